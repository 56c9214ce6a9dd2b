/* SPDX-License-Identifier: GPL-2.0 */
/*
 * flow.h: where a pointer value goes inside one function.
 *
 * A value (a mapped address, a pointer parameter) is followed through
 * every variable it is copied into, every expression derived from it, and
 * every callee it is handed to, until it is stored somewhere that outlives
 * the call (an escape), returned, unmapped, or only used.  The tracking is
 * flow-insensitive over variables: a variable that ever holds the value is
 * treated as holding it everywhere, which can only add escapes.
 */
#ifndef MAPCHECK_FLOW_H
#define MAPCHECK_FLOW_H

#include "ctx.h"
#include "fate.h"

struct track {
	struct ctx *ctx;
	struct func *fn;
	struct vec decls;		/* struct decl *: variables holding it */
	struct decl *page;		/* discarded-return kmap(page): the page */
	char *page_text;		/* ... as normalised text */
	/* what it comes to (sum.unmaps and sum.page_address are left for
	 * summarise_param to fill: the walk keeps the unmap calls themselves) */
	struct fate_summary sum;
	const struct node *where;	/* where sum.why happened */
	const struct node *note_at;	/* where sum.note happened */
	struct vec unmaps;		/* struct node *: calls that unmap it */
	struct vec returns;		/* struct node *: returns / out-param stores */
	struct vec out_args;		/* struct decl *: caller vars filled through &var */
	bool summary;			/* following a parameter for a summary */
	int depth;
};

void track_init(struct track *t, struct ctx *ctx, struct func *fn);
void track_free(struct track *t);
/* Follow the value produced by expression @n (a call, a parameter use). */
void track_value(struct track *t, struct node *n);
/* Follow every use of @d in the function. */
void track_decl(struct track *t, struct decl *d);
/* Run to a fixpoint over the variables found so far. */
void track_run(struct track *t);

const struct fate_summary *summarise_param(struct ctx *ctx, struct func *fn, int i);
void summaries_free(struct ctx *ctx);

const char *decl_where(const struct decl *d);

#endif
