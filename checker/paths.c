// SPDX-License-Identifier: GPL-2.0
/* paths.c: the path walk of paths.h, shared by the checks that need one. */
#include <stdlib.h>
#include <string.h>

#include "paths.h"

struct path_label {
	const char *label;
	void *s;
};

static bool is_dead(const void *s)
{
	return *(const bool *)s;
}

static void set_dead(void *s)
{
	*(bool *)s = true;
}

static void *state_new(struct path_walk *pw)
{
	return xmalloc(pw->ops->size);
}

static void *state_dup(struct path_walk *pw, const void *src)
{
	void *s = state_new(pw);

	pw->ops->copy(pw, s, src);
	return s;
}

static void state_drop(struct path_walk *pw, void *s)
{
	pw->ops->free(s);
	free(s);
}

/* A dead state, to merge paths into. */
static void *state_dead(struct path_walk *pw)
{
	void *s = state_new(pw);

	pw->ops->init(pw, s);
	set_dead(s);
	return s;
}

static void *label_state(struct path_walk *pw, const char *label)
{
	for (unsigned i = 0; i < pw->nlabels; i++)
		if (!strcmp(pw->labels[i].label, label))
			return pw->labels[i].s;
	pw->labels = xrealloc(pw->labels, (pw->nlabels + 1) * sizeof(*pw->labels));
	pw->labels[pw->nlabels].label = label;
	pw->labels[pw->nlabels].s = state_dead(pw);
	return pw->labels[pw->nlabels++].s;
}

static void exec(struct path_walk *pw, struct node *n, void *s);

static void exec_loop(struct path_walk *pw, struct node *n, void *s)
{
	struct node *b = n->nkid ? n->kid[n->kind == N_DO ? 0 : n->nkid - 1] : NULL;
	void *body, *exits;

	for (unsigned i = 0; i < n->nkid; i++)
		if (n->kid[i] != b)
			pw->ops->events(pw, n->kid[i], s);
	body = state_dup(pw, s);
	exits = state_dead(pw);
	if (pw->nloops < 32)
		pw->loop_exit[pw->nloops++] = exits;
	exec(pw, b, body);
	if (pw->nloops && pw->loop_exit[pw->nloops - 1] == exits)
		pw->nloops--;
	if (n->kind == N_DO) {
		pw->ops->free(s);
		pw->ops->copy(pw, s, body);
	} else {
		pw->ops->merge(pw, s, body);
	}
	pw->ops->merge(pw, s, exits);
	state_drop(pw, body);
	state_drop(pw, exits);
}

static void exec(struct path_walk *pw, struct node *n, void *s)
{
	if (!n)
		return;
	switch (n->kind) {
	case N_COMPOUND:
	case N_DECLSTMT:
	case N_CASE:
	case N_DEFAULT:
		for (unsigned i = 0; i < n->nkid; i++)
			exec(pw, n->kid[i], s);
		break;
	case N_IF: {
		void *alt;

		if (!n->nkid)
			break;
		pw->ops->events(pw, n->kid[0], s);
		alt = state_dup(pw, s);
		pw->ops->branch(pw, n->kid[0], s, alt);
		if (n->nkid > 1)
			exec(pw, n->kid[1], s);
		if (n->nkid > 2)
			exec(pw, n->kid[2], alt);
		pw->ops->merge(pw, s, alt);
		state_drop(pw, alt);
		break;
	}
	case N_FOR:
	case N_WHILE:
	case N_DO:
		exec_loop(pw, n, s);
		break;
	case N_SWITCH: {
		void *before;

		if (n->nkid)
			pw->ops->events(pw, n->kid[0], s);
		before = state_dup(pw, s);
		if (n->nkid > 1)
			exec_loop(pw, n, s);
		pw->ops->merge(pw, s, before);
		state_drop(pw, before);
		break;
	}
	case N_RETURN:
		for (unsigned i = 0; i < n->nkid; i++)
			pw->ops->events(pw, n->kid[i], s);
		if (!is_dead(s))
			pw->ops->exit(pw, s, n);
		set_dead(s);
		break;
	case N_GOTO:
		if (n->name)
			pw->ops->merge(pw, label_state(pw, n->name), s);
		set_dead(s);
		break;
	case N_LABEL:
		if (n->name)
			pw->ops->merge(pw, s, label_state(pw, n->name));
		for (unsigned i = 0; i < n->nkid; i++)
			exec(pw, n->kid[i], s);
		break;
	case N_BREAK:
	case N_CONTINUE:
		if (pw->nloops)
			pw->ops->merge(pw, pw->loop_exit[pw->nloops - 1], s);
		set_dead(s);
		break;
	default:
		pw->ops->events(pw, n, s);
	}
}

void paths_walk(struct path_walk *pw, struct node *body, void *s)
{
	exec(pw, body, s);
}

void paths_free(struct path_walk *pw)
{
	for (unsigned i = 0; i < pw->nlabels; i++)
		state_drop(pw, pw->labels[i].s);
	free(pw->labels);
	pw->labels = NULL;
	pw->nlabels = 0;
}
