// SPDX-License-Identifier: GPL-2.0
/* dataflow.c: the worklist solver of dataflow.h. */
#include <stdlib.h>
#include <string.h>

#include "dataflow.h"

struct solver {
	struct flow_walk *fw;
	struct cfg *g;
	void **in;		/* the state at each block's start */
	/* the blocks whose start state grew, as a queue with a membership flag */
	unsigned *queue;
	unsigned head, count;
	bool *queued;
};

static bool is_dead(const void *s)
{
	return *(const bool *)s;
}

static void *state_dead(struct flow_walk *fw)
{
	void *s = xmalloc(fw->ops->size);

	fw->ops->init(fw, s);
	*(bool *)s = true;
	return s;
}

static void *state_dup(struct flow_walk *fw, const void *src)
{
	void *s = xmalloc(fw->ops->size);

	fw->ops->copy(fw, s, src);
	return s;
}

static void state_drop(struct flow_walk *fw, void *s)
{
	fw->ops->free(s);
	free(s);
}

static void enqueue(struct solver *sv, unsigned id)
{
	if (sv->queued[id])
		return;
	sv->queued[id] = true;
	sv->queue[(sv->head + sv->count++) % sv->g->nblock] = id;
}

static void hand_over(struct solver *sv, struct block *to, const void *s)
{
	if (sv->fw->ops->join(sv->fw, sv->in[to->id], s))
		enqueue(sv, to->id);
}

/* Hand the state @s at the end of @b to its successors, through its test. */
static void hand_on(struct solver *sv, struct block *b, const void *s)
{
	struct flow_walk *fw = sv->fw;
	void *t, *f;

	if (!b->cond) {
		for (unsigned i = 0; i < b->nsucc; i++)
			hand_over(sv, b->succ[i].to, s);
		return;
	}
	t = state_dup(fw, s);
	f = state_dup(fw, s);
	fw->ops->branch(fw, b->cond, t, f);
	for (unsigned i = 0; i < b->nsucc; i++)
		hand_over(sv, b->succ[i].to, b->succ[i].kind == EDGE_FALSE ? f : t);
	state_drop(fw, t);
	state_drop(fw, f);
}

/*
 * Run block @b from its start state; in the fixpoint, hand the result on
 * (in the final pass the states no longer change).
 */
static void visit(struct solver *sv, struct block *b)
{
	struct flow_walk *fw = sv->fw;
	void *s = state_dup(fw, sv->in[b->id]);

	fw->visits++;
	for (size_t i = 0; i < b->atoms.n; i++)
		fw->ops->event(fw, b->atoms.v[i], s);
	if (b->exit)
		fw->ops->exit(fw, s, b->exit);
	if (!fw->final)
		hand_on(sv, b, s);
	state_drop(fw, s);
}

void flow_solve(struct flow_walk *fw, struct node *body, const void *entry)
{
	struct solver sv = { fw, cfg_build(body), NULL, NULL, 0, 0, NULL };
	unsigned n = sv.g->nblock;

	sv.in = xcalloc(n, sizeof(*sv.in));
	sv.queue = xcalloc(n, sizeof(*sv.queue));
	sv.queued = xcalloc(n, sizeof(*sv.queued));
	for (unsigned i = 0; i < n; i++)
		sv.in[i] = state_dead(fw);
	fw->final = false;
	fw->ops->join(fw, sv.in[0], entry);
	enqueue(&sv, 0);
	while (sv.count) {
		unsigned id = sv.queue[sv.head];

		sv.head = (sv.head + 1) % n;
		sv.count--;
		sv.queued[id] = false;
		visit(&sv, sv.g->block[id]);
	}
	fw->final = true;
	for (unsigned i = 0; i < n; i++)
		if (!is_dead(sv.in[i]))
			visit(&sv, sv.g->block[i]);
	fw->final = false;
	for (unsigned i = 0; i < n; i++)
		state_drop(fw, sv.in[i]);
	free(sv.in);
	free(sv.queue);
	free(sv.queued);
	cfg_free(sv.g);
}
