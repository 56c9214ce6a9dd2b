/* SPDX-License-Identifier: GPL-2.0 */
/*
 * job.h: one file to parse, with its flags, and the options of the scan
 * that parses it; shared by the scan (scan.h) and what it consults, the
 * result cache (cache.h) and the precompiled headers (pch.h).
 */
#ifndef MAPCHECK_JOB_H
#define MAPCHECK_JOB_H

#include "mapcheck.h"

struct job {
	char *abs, *rel;
	struct vec flags;	/* char * */
	char *not_built;	/* why the configuration does not build it */
	const char *config;	/* the label of the build whose flags it has (flags_ctx) */
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

void job_free(void *p);

#endif
