/* SPDX-License-Identifier: GPL-2.0 */
/* scan.h: files to parse, and the worker processes that parse them. */
#ifndef MAPCHECK_SCAN_H
#define MAPCHECK_SCAN_H

#include "mapcheck.h"

struct job {
	char *abs, *rel;
	struct vec flags;	/* char * */
	char *not_built;	/* why the configuration does not build it */
};

struct scan_opts {
	const char *tree;
	const struct rules *rules;
	int workers;
	bool progress;
	unsigned timeout;	/* seconds per file */
};

/* Why @path cannot be scanned (unreadable, binary, empty), or NULL. */
const char *file_problem(const char *path, char **text, size_t *len);
void collect_files(const char *path, struct vec *out);
void scan_run(struct vec *jobs, const struct scan_opts *o, struct report *out);
void job_free(void *p);

#endif
