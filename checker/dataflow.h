/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dataflow.h: a forward dataflow over the control-flow graph of cfg.h,
 * run to a fixpoint, with a rule's own state and join.
 *
 * A rule says what its state is and what each evaluated node and each
 * tested condition does to it (struct flow_ops).  The solver keeps the
 * state at the start of every block, joins into it what each predecessor
 * hands over and visits a block again whenever its start state grows,
 * until nothing changes: a loop is followed until the state it carries
 * round stops changing, a backward goto carries its state back to the
 * label, each case of a switch starts from the state at the switch.
 *
 * Then it visits every reachable block once more, in source order, with
 * fw->final set: the pass in which a rule records what it found (a leak,
 * a double unmap) from states that no longer change.  During the fixpoint
 * a rule must only change its state.
 */
#ifndef MAPCHECK_DATAFLOW_H
#define MAPCHECK_DATAFLOW_H

#include "cfg.h"

struct flow_walk;

/* A state is a struct whose first member is "bool dead" (unreachable). */
struct flow_ops {
	size_t size;
	/* a live state; @s is uninitialised */
	void (*init)(struct flow_walk *fw, void *s);
	/* @dst (uninitialised) = @src */
	void (*copy)(struct flow_walk *fw, void *dst, const void *src);
	/*
	 * @dst = @dst joined with @src; a dead @src changes nothing.  True when
	 * @dst changed.  The join must only go up a lattice of finite height
	 * (a set that grows, a flag that goes from sure to maybe).
	 */
	bool (*join)(struct flow_walk *fw, void *dst, const void *src);
	void (*free)(void *s);
	/* what evaluating @n does; its operands have been evaluated before */
	void (*event)(struct flow_walk *fw, struct node *n, void *s);
	/* after a tested condition: @then_s and @else_s start as copies */
	void (*branch)(struct flow_walk *fw, struct node *cond, void *then_s, void *else_s);
	/* leaving the function at @where: a return, or the body's end */
	void (*exit)(struct flow_walk *fw, void *s, const struct node *where);
};

struct flow_walk {
	const struct flow_ops *ops;
	void *data;			/* the rule's own walk */
	bool final;			/* the recording pass */
	unsigned visits;		/* blocks visited, both passes */
};

/* Run @fw over @body from the live state @entry (left as it was). */
void flow_solve(struct flow_walk *fw, struct node *body, const void *entry);

#endif
