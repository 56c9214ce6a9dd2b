/* SPDX-License-Identifier: GPL-2.0 */
/*
 * walk.h: the one walk over a translation unit, and the hooks through
 * which each check_*.c sees it.
 */
#ifndef MAPCHECK_WALK_H
#define MAPCHECK_WALK_H

#include "ctx.h"

typedef void (*func_hook)(struct ctx *ctx, struct func *fn);
typedef void (*tu_hook)(struct ctx *ctx);

struct registry;
void add_func_hook(struct registry *r, func_hook fn);
void add_tu_hook(struct registry *r, tu_hook fn);

/* The checks, from check_list.h. */
#define CK(x) void x(struct registry *r);
#include "check_list.h"
#undef CK

void walk_tu(struct parse_result *pr, const struct rules *rules, const struct vec *ext,
	     struct report *out);
/* Summarise the pointer parameters of the functions named in @names. */
void summarise_tu(struct parse_result *pr, const struct rules *rules, const struct vec *names,
		  const struct vec *ext, struct report *out);
#endif
