/* SPDX-License-Identifier: GPL-2.0 */
/* diff.h: diff mode, the findings a change touches (diff.c). */
#ifndef MAPCHECK_DIFF_H
#define MAPCHECK_DIFF_H

#include "mapcheck.h"

struct change;

/*
 * The change `git diff @rev` makes in @tree (a git checkout), or the one
 * the unified diff in file @patch makes (@rev NULL); NULL and *@err (to
 * free) when it cannot be read.
 */
struct change *change_load(const char *tree, const char *rev, const char *patch, char **err);
/* "--diff REV" or "--diff-file PATCH" */
const char *change_what(const struct change *c);
/* Append the paths (relative to the tree, owned by @c) of the files it changes lines of. */
void change_files(const struct change *c, struct vec *out);
/* Is finding @g about the change: its lines, or the function it is in, touched? */
bool change_touches(struct change *c, const char *tree, const struct finding *g);
void change_free(struct change *c);

#endif
