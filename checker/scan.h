/* SPDX-License-Identifier: GPL-2.0 */
/* scan.h: files to parse, and the worker processes that parse them. */
#ifndef MAPCHECK_SCAN_H
#define MAPCHECK_SCAN_H

#include "mapcheck.h"

struct job {
	char *abs, *rel;
	struct vec flags;	/* char * */
	char *not_built;	/* why the configuration does not build it */
	bool summarise;		/* only summarise scan_opts.names for other files */
};

struct scan_opts {
	const char *tree;
	const struct rules *rules;
	int workers;
	bool progress;
	unsigned timeout;	/* seconds per file */
	const struct vec *ext;	/* struct ext_summary *: other files' functions */
	const struct vec *names;	/* char *: functions to summarise */
	struct cache *cache;	/* NULL: --no-cache */
	struct pch_set *pch;	/* NULL: --no-pch */
	char *ast_dir;		/* where parsed trees are kept for later passes, or NULL */
};

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
void job_free(void *p);

#endif
