/* SPDX-License-Identifier: GPL-2.0 */
/*
 * baseline.h: the findings a run does not fail on (--baseline FILE), and
 * the file that lists a run's findings for a later one (--write-baseline).
 *
 * The file has one finding a line, "<rule>\t<file>\t<function>", as
 * --write-baseline writes it; a line starting with '#' is a comment.  A
 * finding is in the baseline when one line is exactly its three fields.
 */
#ifndef MAPCHECK_BASELINE_H
#define MAPCHECK_BASELINE_H

#include "mapcheck.h"

struct baseline {
	char *text;		/* the file, its lines cut in place */
	struct vec lines;	/* char *: into text, sorted (cmp_strp) */
};

/* Read the baseline @path into @b; false with *@err (to free) if it cannot be read. */
bool baseline_load(struct baseline *b, const char *path, char **err);
/* Is @f listed in @b? */
bool baseline_has(const struct baseline *b, const struct finding *f);
void baseline_free(struct baseline *b);
/* Write the findings of @r to @path as a baseline; false on any error. */
bool baseline_write(const char *path, const struct report *r);

#endif
