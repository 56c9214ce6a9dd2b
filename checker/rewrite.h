/* SPDX-License-Identifier: GPL-2.0 */
/* rewrite.h: the edits of a kmap() conversion, as carried in site->fix. */
#ifndef MAPCHECK_REWRITE_H
#define MAPCHECK_REWRITE_H

#include "mapcheck.h"

/* Replace bytes [begin, end) of the site's file with @text. */
struct edit {
	unsigned begin, end;
	char *text;
};
void edit_free(void *p);

/*
 * The edits of site->fix into @edits (struct edit *): true when there are
 * some; else false, with @reason set when the site is convertible but was
 * not converted (why), NULL when there is no rewrite at all.
 */
bool fix_decode(const char *fix, struct vec *edits, char **reason);

#endif
