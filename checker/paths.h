/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paths.h: walk a function body along its paths — branches, loops,
 * switch, goto and return — carrying a check's own state.
 *
 * A check says what its state is and what happens to it (struct
 * path_ops); the walk copies the state at each branch, merges it where
 * paths join (after an if, at a label, at a loop's exits) and marks it
 * dead after return, goto, break and continue.  Loops are walked once:
 * the state after the body is merged with the state before it.
 */
#ifndef MAPCHECK_PATHS_H
#define MAPCHECK_PATHS_H

#include "ast.h"

struct path_walk;

/* A state is a struct whose first member is "bool dead" (unreachable). */
struct path_ops {
	size_t size;
	/* a live state; @s is uninitialised */
	void (*init)(struct path_walk *pw, void *s);
	/* @dst (uninitialised) = @src */
	void (*copy)(struct path_walk *pw, void *dst, const void *src);
	/* @dst = @dst joined with @src; a dead @src changes nothing */
	void (*merge)(struct path_walk *pw, void *dst, const void *src);
	void (*free)(void *s);
	/* what an expression statement (or condition) does, in order */
	void (*events)(struct path_walk *pw, struct node *n, void *s);
	/* after an if's condition: @then_s and @else_s start as copies */
	void (*branch)(struct path_walk *pw, struct node *cond, void *then_s, void *else_s);
	/* a return, after its value's events */
	void (*exit)(struct path_walk *pw, void *s, const struct node *where);
};

struct path_walk {
	const struct path_ops *ops;
	void *data;			/* the check's own walk */
	struct path_label *labels;
	unsigned nlabels;
	void *loop_exit[32];
	unsigned nloops;
};

/* Walk @body from state @s, which holds the state at its end afterwards. */
void paths_walk(struct path_walk *pw, struct node *body, void *s);
/* Free the label states of a walk. */
void paths_free(struct path_walk *pw);

#endif
