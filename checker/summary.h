/* SPDX-License-Identifier: GPL-2.0 */
/*
 * summary.h: the summary table (--format summary, what make scan prints)
 * and the orders it and the maintainers view share: APIs in rules/apis.tbl
 * order, classes in a fixed order, findings by severity.
 */
#ifndef MAPCHECK_SUMMARY_H
#define MAPCHECK_SUMMARY_H

#include "mapcheck.h"

/* A key and how often it was counted. */
struct count {
	const char *key;	/* not owned */
	unsigned n;
};

/* Count one @key in @v (a vec of struct count *, freed with free). */
void count_key(struct vec *v, const char *key);

/* Sort counts of class names: local, local-reorder, cross-function, global,
 * unknown, n/a, then any other by name. */
void sort_by_class(struct vec *counts);
/* Sort counts of API names in rules/apis.tbl order (by name or as written);
 * names the table lacks after, by name. */
void sort_by_api(struct vec *counts, const struct rules *rs);

void summary_write(FILE *f, const struct report *r, const struct rules *rs);

#endif
