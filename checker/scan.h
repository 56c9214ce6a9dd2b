/* SPDX-License-Identifier: GPL-2.0 */
/* scan.h: files to parse, and the worker processes that parse them. */
#ifndef MAPCHECK_SCAN_H
#define MAPCHECK_SCAN_H

#include "job.h"

/* Why @path cannot be scanned (unreadable, binary, empty), or NULL. */
const char *file_problem(const char *path, char **text, size_t *len);
void collect_files(const char *path, struct vec *out);
/*
 * The same for a directory outside the tree scanned; when it holds a
 * kernel tree, that tree's root (to free), and the list is not complete.
 */
char *collect_files_outside(const char *path, struct vec *out);
/* Parse every job; per_job[i] receives job i's results. */
void scan_run(struct vec *jobs, const struct scan_opts *o, struct report **per_job);

#endif
