/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rewrite_atomic.h: the edits that turn each convertible kmap_atomic()
 * site into kmap_local_page(), from the sections check_kmap_atomic.c
 * classified them by (section.h), into site->fix (edit.h).
 */
#ifndef MAPCHECK_REWRITE_ATOMIC_H
#define MAPCHECK_REWRITE_ATOMIC_H

#include "section.h"

/*
 * @maps (struct node *: the kmap_atomic() calls of one function), @sites
 * (struct site *: theirs, classified) and @sec (their sections), in the
 * same order.
 */
void rewrite_atomic(struct ctx *ctx, const struct vec *maps, const struct vec *sites,
		    const struct atomic_section *sec);

#endif
