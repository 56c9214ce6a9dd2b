/* SPDX-License-Identifier: GPL-2.0 */
/*
 * section.h: what runs between a kmap_atomic() and its kunmap_atomic(),
 * and what of it relies on the page faults and preemption kmap_atomic()
 * disables (rules/atomic-effects.tbl).
 *
 * The section of a map is every node evaluated, on some path of the
 * function's control-flow graph (dataflow.h), while the mapping may be
 * live.  A call in it is judged by the table (by the macro it was written
 * as, then by its own name), else by what the callee's body does when the
 * translation unit has it (every call and macro in it, transitively), else
 * it is unknown.
 */
#ifndef MAPCHECK_SECTION_H
#define MAPCHECK_SECTION_H

#include "ctx.h"

/* One thing the section does: where, and in words ("f() (line 3), which calls g()"). */
struct section_use {
	const struct node *at;		/* in the function: the call or macro use */
	char *what;
};

struct atomic_section {
	/* the first use of each effect on any path (EFFECT_NONE unused) */
	struct section_use effect[EFFECT_COUNT];
	struct section_use unknown;	/* the first call it cannot judge */
	/* struct section_use *: uses that may sleep where the map surely is live */
	struct vec sleeps;
	bool unmapped;			/* an unmap of this map was found */
	/* struct node *: the unmap calls that undo it on some path */
	struct vec unmaps;
	/* an unmap that undid it without naming the variable it is in */
	const struct node *guessed;
	/* the map runs again while its last mapping may still be live (a loop) */
	const struct node *nests;
	/* it may still be mapped where the function returns */
	const struct node *leaks;
};

/*
 * The sections of @maps (struct node *: the kmap_atomic() calls of @fn, in
 * source order), one each, in the same order.
 */
struct atomic_section *atomic_sections(struct ctx *ctx, struct func *fn, const struct vec *maps);
/*
 * The same for thread-local maps of @scope (SCOPE_ATOMIC or SCOPE_LOCAL)
 * and the unmaps of that scope, without what the sections do: only
 * unmapped, unmaps, guessed, nests and leaks are set.
 */
struct atomic_section *local_sections(struct ctx *ctx, struct func *fn, const struct vec *maps,
				      enum map_scope scope);
void atomic_sections_free(struct atomic_section *s, size_t n);

/*
 * Where a map's address (plus or minus an offset) is put: the N_VAR it
 * initialises, or the left side of the assignment, stripped; else NULL.
 */
struct node *map_destination(struct node *call);

#endif
