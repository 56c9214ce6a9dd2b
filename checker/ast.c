// SPDX-License-Identifier: GPL-2.0
/* ast.c: helpers over the tree of ast.h. */
#include <stdlib.h>
#include <string.h>

#include "ast.h"

static struct func *func_named(const struct vec *funcs, const char *name)
{
	for (size_t i = 0; name && i < funcs->n; i++) {
		struct func *f = funcs->v[i];

		if (!strcmp(f->name, name))
			return f;
	}
	return NULL;
}

struct func *tu_helper(const struct tu *tu, const char *name)
{
	return func_named(&tu->helpers, name);
}

struct func *tu_func(const struct tu *tu, const char *name)
{
	return func_named(&tu->funcs, name);
}

/*
 * The operator spellings a node's op can hold (parse.c).  Ops are static
 * strings, never owned by the tree; a saved tree (astdump.c) gets them back
 * from here.
 */
static const char *const operators[] = {
	"<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=",
	"&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
	"+", "-", "*", "/", "%", "<", ">", "&", "|", "^", "!", "~", "=", ",",
	"?", "", "post++", "post--",
	NULL
};

const char *ast_op(const char *s)
{
	for (int i = 0; operators[i]; i++)
		if (!strcmp(operators[i], s))
			return operators[i];
	return NULL;
}

const char *tu_file(const struct tu *tu, unsigned idx)
{
	return idx < tu->files.n ? tu->files.v[idx] : "?";
}

void node_walk(struct node *n, node_fn pre, void *data)
{
	if (!n)
		return;
	pre(n, data);
	for (unsigned i = 0; i < n->nkid; i++)
		node_walk(n->kid[i], pre, data);
}

struct node *node_strip(struct node *n)
{
	while (n && (n->kind == N_PAREN || n->kind == N_CAST) && n->nkid)
		n = n->kid[n->nkid - 1];
	return n;
}

/*
 * The pointer @cond tests for NULL, or NULL.  *@null_if_true: the test
 * holds when it is NULL (!p, p == NULL), rather than when it is not (p,
 * p != NULL).
 */
struct node *node_null_tested(struct node *cond, bool *null_if_true)
{
	struct node *c = node_strip(cond), *x = c;

	*null_if_true = false;
	if (c->kind == N_UNARY && !strcmp(c->op, "!") && c->nkid) {
		x = node_strip(c->kid[0]);
		*null_if_true = true;
	} else if (c->kind == N_BINARY && (!strcmp(c->op, "==") || !strcmp(c->op, "!=")) &&
		   c->nkid == 2 && node_strip(c->kid[1])->kind == N_LITERAL) {
		x = node_strip(c->kid[0]);
		*null_if_true = !strcmp(c->op, "==");
	}
	return x && x->kind == N_REF && x->decl && x->decl->is_pointer ? x : NULL;
}

unsigned decl_array_length(const struct decl *d)
{
	const char *open, *end;
	unsigned long v;
	char *num_end;

	if (!d || !d->is_array || !d->type)
		return 0;
	/* the outermost dimension is the first: "char *[8][2]" holds 8 */
	open = strchr(d->type, '[');
	if (!open)
		return 0;
	v = strtoul(open + 1, &num_end, 10);
	end = num_end;
	return num_end != open + 1 && *end == ']' && v <= 0xffffffffUL ? (unsigned)v : 0;
}

struct node *lvalue_root(struct node *n, bool *through_pointer)
{
	*through_pointer = false;
	for (;;) {
		n = node_strip(n);
		if (!n)
			return NULL;
		if (n->kind == N_MEMBER && n->nkid) {
			if (n->arrow)
				*through_pointer = true;
			n = n->kid[0];
		} else if (n->kind == N_INDEX && n->nkid == 2) {
			if (!n->kid[0]->is_array)
				*through_pointer = true;
			n = n->kid[0];
		} else if (n->kind == N_UNARY && !strcmp(n->op, "*") && n->nkid &&
			   node_strip(n->kid[0]) && node_strip(n->kid[0])->kind == N_UNARY &&
			   !strcmp(node_strip(n->kid[0])->op, "&") && node_strip(n->kid[0])->nkid) {
			/* *(void **)&x, a type-punned store: x itself */
			n = node_strip(n->kid[0])->kid[0];
		} else if (n->kind == N_UNARY && !strcmp(n->op, "*") && n->nkid) {
			*through_pointer = true;
			n = n->kid[0];
		} else if (n->kind == N_UNARY && n->nkid && *through_pointer &&
			   (!strcmp(n->op, "++") || !strcmp(n->op, "--") ||
			    !strcmp(n->op, "post++") || !strcmp(n->op, "post--"))) {
			/* *p++ = v: memory reached through p */
			n = n->kid[0];
		} else if (n->kind == N_BINARY && n->nkid == 2 && *through_pointer &&
			   (!strcmp(n->op, "+") || !strcmp(n->op, "-")) &&
			   (node_strip(n->kid[0])->is_pointer || node_strip(n->kid[1])->is_pointer)) {
			/* *(p + off): memory reached through p */
			n = node_strip(n->kid[0])->is_pointer ? n->kid[0] : n->kid[1];
		} else {
			return n;
		}
	}
}

struct node *node_up(struct node *n, struct node **child)
{
	struct node *p = n->parent;

	*child = n;
	while (p && (p->kind == N_PAREN || p->kind == N_CAST)) {
		*child = p;
		p = p->parent;
	}
	return p;
}

const char *node_callee(const struct node *n)
{
	return n && n->kind == N_CALL ? n->name : NULL;
}

bool node_is_call_to(const struct node *n, const char *name)
{
	const char *c = node_callee(n);

	return c && !strcmp(c, name);
}

struct buf {
	char *s;
	size_t n, cap;
};

static void put(struct buf *b, const char *s)
{
	size_t l = strlen(s);

	if (b->n + l + 1 > b->cap) {
		b->cap = (b->n + l + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, s, l + 1);
	b->n += l;
}

/*
 * Print an expression in a normal form: no spaces, no casts, array
 * indices as [*] so that kunmap(pages[j]) matches kmap(pages[i]).
 */
static void text(const struct node *n, struct buf *b)
{
	if (!n) {
		put(b, "?");
		return;
	}
	switch (n->kind) {
	case N_REF:
		put(b, n->name);
		break;
	case N_MEMBER:
		if (n->nkid)
			text(n->kid[0], b);
		put(b, n->arrow ? "->" : ".");
		put(b, n->name);
		break;
	case N_INDEX:
		text(n->kid[0], b);
		put(b, "[*]");
		break;
	case N_PAREN:
	case N_CAST:
		text(node_strip((struct node *)n), b);
		break;
	case N_UNARY:
		if (str_starts(n->op, "post")) {
			if (n->nkid)
				text(n->kid[0], b);
			put(b, n->op + 4);
		} else {
			put(b, n->op);
			if (n->nkid)
				text(n->kid[0], b);
		}
		break;
	case N_BINARY:
		if (n->nkid == 2) {
			text(n->kid[0], b);
			put(b, n->op);
			text(n->kid[1], b);
		}
		break;
	case N_CALL:
		if (n->nkid)
			text(n->kid[0], b);
		put(b, "(");
		for (unsigned i = 1; i < n->nkid; i++) {
			if (i > 1)
				put(b, ",");
			text(n->kid[i], b);
		}
		put(b, ")");
		break;
	case N_LITERAL:
		put(b, "#");
		break;
	default:
		put(b, "{...}");
	}
}

bool node_inside(const struct node *n, const struct node *anc)
{
	for (const struct node *p = n; p; p = p->parent)
		if (p == anc)
			return true;
	return false;
}

struct node *node_loop(const struct node *n)
{
	for (struct node *p = n->parent; p; p = p->parent)
		if (p->kind == N_FOR || p->kind == N_WHILE || p->kind == N_DO)
			return p;
	return NULL;
}

struct func *tu_func_of(const struct tu *tu, const struct node *n)
{
	for (size_t i = 0; i < tu->funcs.n; i++) {
		struct func *g = tu->funcs.v[i];

		if (g->body && node_inside(n, g->body))
			return g;
	}
	return NULL;
}

char *node_text(const struct node *n)
{
	struct buf b = { 0 };

	put(&b, "");
	text(n, &b);
	return b.s;
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	for (unsigned i = 0; i < n->nkid; i++)
		node_free(n->kid[i]);
	free(n->kid);
	free(n->name);
	free(n->macro);
	free(n->type);
	free(n);
}

static void func_free(void *p)
{
	struct func *f = p;

	node_free(f->body);
	vec_free(&f->params, NULL);
	vec_free(&f->callers, NULL);
	free(f->name);
	free(f->summary);
	free(f);
}

static void decl_free(void *p)
{
	struct decl *d = p;

	free(d->name);
	free(d->type);
	free(d);
}

static void global_free(void *p)
{
	node_free(p);
}

void tu_free(struct tu *tu)
{
	vec_free(&tu->funcs, func_free);
	vec_free(&tu->helpers, func_free);
	vec_free(&tu->decls, decl_free);
	vec_free(&tu->globals, global_free);
	vec_free(&tu->files, free);
	free(tu->main_text);
	free(tu->first_error);
}
