// SPDX-License-Identifier: GPL-2.0
/* cfg.c: build the control-flow graph of cfg.h from a function body. */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

struct label {
	const char *name;
	struct block *b;
};

/* An enclosing switch: its head enters each case. */
struct switch_ctx {
	struct block *head;
	bool has_default;
};

struct builder {
	struct cfg *g;
	struct block *cur;	/* NULL after return, goto, break, continue */
	struct vec breaks;	/* struct block *: innermost last */
	struct vec continues;
	struct vec switches;	/* struct switch_ctx * */
	struct vec labels;	/* struct label * */
};

static struct block *new_block(struct builder *b)
{
	struct block *blk = xcalloc(1, sizeof(*blk));

	blk->id = b->g->nblock;
	b->g->block = xrealloc(b->g->block, (b->g->nblock + 1) * sizeof(*b->g->block));
	b->g->block[b->g->nblock++] = blk;
	return blk;
}

static void add_edge(struct block *from, struct block *to, enum edge_kind kind)
{
	if (!from || !to)
		return;
	from->succ = xrealloc(from->succ, (from->nsucc + 1) * sizeof(*from->succ));
	from->succ[from->nsucc].to = to;
	from->succ[from->nsucc++].kind = kind;
}

/* The block code is added to: a fresh one nothing reaches after a jump. */
static struct block *current(struct builder *b)
{
	if (!b->cur)
		b->cur = new_block(b);
	return b->cur;
}

/* End the current block with a jump to @to. */
static void jump(struct builder *b, struct block *to)
{
	add_edge(b->cur, to, EDGE_ALWAYS);
	b->cur = NULL;
}

static struct block *label_block(struct builder *b, const char *name)
{
	struct label *l;

	for (size_t i = 0; i < b->labels.n; i++) {
		l = b->labels.v[i];
		if (!strcmp(l->name, name))
			return l->b;
	}
	l = xmalloc(sizeof(*l));
	l->name = name;
	l->b = new_block(b);
	vec_push(&b->labels, l);
	return l->b;
}

static void *top(const struct vec *v)
{
	return v->n ? v->v[v->n - 1] : NULL;
}

static void pop(struct vec *v)
{
	if (v->n)
		v->n--;
}

static struct node *strip_parens(struct node *n)
{
	while (n && n->kind == N_PAREN && n->nkid == 1)
		n = n->kid[0];
	return n;
}

static bool is_op(const struct node *n, enum nkind kind, const char *op, unsigned nkid)
{
	return n && n->kind == kind && n->nkid == nkid && !strcmp(n->op, op);
}

/* __builtin_expect(x, c), which likely() and unlikely() expand to: x. */
static struct node *expected(struct node *n)
{
	if (n && n->kind == N_CALL && n->nkid == 3 && node_is_call_to(n, "__builtin_expect"))
		return n->kid[1];
	return NULL;
}

static bool splits(struct node *n);

/*
 * !X, tested as X with its ways swapped, when X splits or is itself a !
 * (the !!(x) of unlikely()): a rule then reads the test it knows (!addr).
 */
static struct node *negated(struct node *n)
{
	if (!is_op(n, N_UNARY, "!", 1))
		return NULL;
	if (splits(n->kid[0]) || is_op(strip_parens(n->kid[0]), N_UNARY, "!", 1))
		return n->kid[0];
	return NULL;
}

/* Is @n split into blocks when it is a condition? */
static bool splits(struct node *n)
{
	n = strip_parens(n);
	return is_op(n, N_BINARY, "&&", 2) || is_op(n, N_BINARY, "||", 2) || negated(n) ||
	       (n && n->kind == N_COND && n->nkid == 3) || expected(n);
}

static void stmt(struct builder *b, struct node *n);
static void expr(struct builder *b, struct node *n);

/* Evaluate @c as a condition: go to @t when it holds, to @f when not. */
static void cond(struct builder *b, struct node *c, struct block *t, struct block *f)
{
	struct node *s = strip_parens(c);
	struct block *mid, *other;

	if (is_op(s, N_BINARY, "&&", 2) || is_op(s, N_BINARY, "||", 2)) {
		bool and = !strcmp(s->op, "&&");

		mid = new_block(b);
		cond(b, s->kid[0], and ? mid : t, and ? f : mid);
		b->cur = mid;
		cond(b, s->kid[1], t, f);
	} else if (negated(s)) {
		cond(b, negated(s), f, t);
	} else if (expected(s)) {
		cond(b, expected(s), t, f);
	} else if (s && s->kind == N_COND && s->nkid == 3) {
		mid = new_block(b);
		other = new_block(b);
		cond(b, s->kid[0], mid, other);
		b->cur = mid;
		cond(b, s->kid[1], t, f);
		b->cur = other;
		cond(b, s->kid[2], t, f);
	} else {
		expr(b, c);
		current(b)->cond = c;
		add_edge(b->cur, t, EDGE_TRUE);
		add_edge(b->cur, f, EDGE_FALSE);
		b->cur = NULL;
	}
}

/* Evaluate @n for its value, operands first. */
static void expr(struct builder *b, struct node *n)
{
	struct block *join;

	if (!n || n->kind == N_SIZEOF)
		return;
	if (splits(n) && !expected(strip_parens(n))) {
		join = new_block(b);
		if (strip_parens(n)->kind == N_COND) {
			struct node *c = strip_parens(n);
			struct block *t = new_block(b), *f = new_block(b);

			cond(b, c->kid[0], t, f);
			b->cur = t;
			expr(b, c->kid[1]);
			jump(b, join);
			b->cur = f;
			expr(b, c->kid[2]);
			jump(b, join);
		} else {
			cond(b, n, join, join);
		}
		b->cur = join;
		return;
	}
	if (n->kind == N_STMTEXPR) {
		for (unsigned i = 0; i < n->nkid; i++)
			stmt(b, n->kid[i]);
		return;
	}
	for (unsigned i = 0; i < n->nkid; i++)
		expr(b, n->kid[i]);
	vec_push(&current(b)->atoms, n);
}

/* A loop condition: a constant one has one way out. */
static void loop_cond(struct builder *b, struct node *loop, struct node *c,
		      struct block *body, struct block *exit)
{
	if (!c || loop->const_cond == COND_TRUE) {
		expr(b, c);
		jump(b, body);
	} else if (loop->const_cond == COND_FALSE) {
		expr(b, c);
		jump(b, exit);
	} else {
		cond(b, c, body, exit);
	}
}

static void loop_body(struct builder *b, struct node *body, struct block *brk, struct block *cont)
{
	vec_push(&b->breaks, brk);
	vec_push(&b->continues, cont);
	stmt(b, body);
	pop(&b->breaks);
	pop(&b->continues);
}

static void stmt_if(struct builder *b, struct node *n)
{
	struct block *t, *after, *f;

	if (!n->nkid)
		return;
	t = new_block(b);
	after = new_block(b);
	f = n->nkid > 2 ? new_block(b) : after;
	if (n->const_cond == COND_VARIES) {
		cond(b, n->kid[0], t, f);
	} else {
		/* decided by types alone (parse.c if_cond()): one way on; the
		 * other branch is built, unreachable, for the labels in it */
		expr(b, n->kid[0]);
		jump(b, n->const_cond == COND_TRUE ? t : f);
	}
	b->cur = t;
	if (n->nkid > 1)
		stmt(b, n->kid[1]);
	jump(b, after);
	if (n->nkid > 2) {
		b->cur = f;
		stmt(b, n->kid[2]);
		jump(b, after);
	}
	b->cur = after;
}

static void stmt_while(struct builder *b, struct node *n)
{
	struct block *head = new_block(b), *body = new_block(b), *exit = new_block(b);

	jump(b, head);
	b->cur = head;
	loop_cond(b, n, n->nkid > 1 ? n->kid[0] : NULL, body, exit);
	b->cur = body;
	loop_body(b, n->nkid ? n->kid[n->nkid - 1] : NULL, exit, head);
	jump(b, head);
	b->cur = exit;
}

static void stmt_do(struct builder *b, struct node *n)
{
	struct block *body = new_block(b), *test = new_block(b), *exit = new_block(b);

	jump(b, body);
	b->cur = body;
	loop_body(b, n->nkid ? n->kid[0] : NULL, exit, test);
	jump(b, test);
	b->cur = test;
	loop_cond(b, n, n->nkid > 1 ? n->kid[1] : NULL, body, exit);
	b->cur = exit;
}

static void stmt_for(struct builder *b, struct node *n)
{
	struct node *part[3] = { NULL, NULL, NULL };
	struct block *head, *body, *next, *exit;
	unsigned k = 0;

	for (unsigned p = 0; p < 3 && k + 1 < n->nkid; p++)
		if (n->for_parts & (1u << p))
			part[p] = n->kid[k++];
	stmt(b, part[0]);
	head = new_block(b);
	body = new_block(b);
	next = new_block(b);
	exit = new_block(b);
	jump(b, head);
	b->cur = head;
	loop_cond(b, n, part[1], body, exit);
	b->cur = body;
	loop_body(b, n->nkid ? n->kid[n->nkid - 1] : NULL, exit, next);
	jump(b, next);
	b->cur = next;
	expr(b, part[2]);
	jump(b, head);
	b->cur = exit;
}

static void stmt_switch(struct builder *b, struct node *n)
{
	struct switch_ctx sw = { NULL, false };
	struct block *after = new_block(b);

	if (n->nkid)
		expr(b, n->kid[0]);
	sw.head = current(b);
	b->cur = NULL;
	vec_push(&b->switches, &sw);
	vec_push(&b->breaks, after);
	if (n->nkid > 1)
		stmt(b, n->kid[n->nkid - 1]);
	pop(&b->breaks);
	pop(&b->switches);
	jump(b, after);
	if (!sw.has_default)
		add_edge(sw.head, after, EDGE_ALWAYS);
	b->cur = after;
}

/* case V: S, default: S.  The value is a constant; S is the last kid. */
static void stmt_case(struct builder *b, struct node *n)
{
	struct switch_ctx *sw = top(&b->switches);
	struct block *blk = new_block(b);

	jump(b, blk);
	if (sw) {
		add_edge(sw->head, blk, EDGE_ALWAYS);
		sw->has_default |= n->kind == N_DEFAULT;
	}
	b->cur = blk;
	if (n->nkid && (n->kind == N_DEFAULT || n->nkid > 1))
		stmt(b, n->kid[n->nkid - 1]);
}

static void stmt(struct builder *b, struct node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case N_COMPOUND:
	case N_DECLSTMT:
		for (unsigned i = 0; i < n->nkid; i++)
			stmt(b, n->kid[i]);
		break;
	case N_IF:
		stmt_if(b, n);
		break;
	case N_WHILE:
		stmt_while(b, n);
		break;
	case N_DO:
		stmt_do(b, n);
		break;
	case N_FOR:
		stmt_for(b, n);
		break;
	case N_SWITCH:
		stmt_switch(b, n);
		break;
	case N_CASE:
	case N_DEFAULT:
		stmt_case(b, n);
		break;
	case N_LABEL: {
		struct block *blk = n->name ? label_block(b, n->name) : new_block(b);

		jump(b, blk);
		b->cur = blk;
		for (unsigned i = 0; i < n->nkid; i++)
			stmt(b, n->kid[i]);
		break;
	}
	case N_GOTO:
		/* goto *p: a computed goto leaves the paths the analysis follows */
		jump(b, n->name ? label_block(b, n->name) : NULL);
		break;
	case N_RETURN:
		for (unsigned i = 0; i < n->nkid; i++)
			expr(b, n->kid[i]);
		current(b)->exit = n;
		b->cur = NULL;
		break;
	case N_BREAK:
		jump(b, top(&b->breaks));
		break;
	case N_CONTINUE:
		jump(b, top(&b->continues));
		break;
	case N_NULLSTMT:
		break;
	default:
		expr(b, n);
	}
}

struct cfg *cfg_build(struct node *body)
{
	struct builder b = { xcalloc(1, sizeof(struct cfg)), NULL, { 0 }, { 0 }, { 0 }, { 0 } };

	b.cur = new_block(&b);
	stmt(&b, body);
	if (b.cur)
		b.cur->exit = body;	/* falls off the end */
	vec_free(&b.breaks, NULL);
	vec_free(&b.continues, NULL);
	vec_free(&b.switches, NULL);
	vec_free(&b.labels, free);
	return b.g;
}

void cfg_free(struct cfg *g)
{
	if (!g)
		return;
	for (unsigned i = 0; i < g->nblock; i++) {
		vec_free(&g->block[i]->atoms, NULL);
		free(g->block[i]->succ);
		free(g->block[i]);
	}
	free(g->block);
	free(g);
}
