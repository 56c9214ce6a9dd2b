/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cfg.h: the control-flow graph of a function body, built from the ast.h
 * tree.
 *
 * A block holds the nodes it evaluates, operands before the operator
 * (post-order), and ends in edges: one to each successor, or a condition
 * with a true and a false successor.  Conditions are split at && and ||,
 * ! of those, ?: and __builtin_expect(), so each condition a block tests
 * is one a rule can read (if (p && !IS_ERR(p)) tests p, then !IS_ERR(p)).
 * The parts of an expression that may not run (the right of && and ||, the
 * arms of ?:) and statement expressions get their own blocks; sizeof is
 * not evaluated.  switch enters every case and default from its head;
 * goto, break, continue and return end their block.  Nothing is bounded:
 * nesting, labels and cases grow the graph.
 */
#ifndef MAPCHECK_CFG_H
#define MAPCHECK_CFG_H

#include "ast.h"

enum edge_kind { EDGE_ALWAYS, EDGE_TRUE, EDGE_FALSE };

struct edge {
	struct block *to;
	enum edge_kind kind;
};

struct block {
	unsigned id;			/* creation order, which is source order */
	struct vec atoms;		/* struct node *, evaluated in order */
	struct node *cond;		/* tested at the end: EDGE_TRUE/EDGE_FALSE successors */
	const struct node *exit;	/* leaves the function here: the return, or the body */
	struct edge *succ;
	unsigned nsucc;
};

struct cfg {
	struct block **block;		/* block[0] is the entry */
	unsigned nblock;
};

struct cfg *cfg_build(struct node *body);
void cfg_free(struct cfg *g);

#endif
