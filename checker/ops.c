// SPDX-License-Identifier: GPL-2.0
/*
 * ops.c: calls through a function-pointer field, resolved to the
 * functions stored into it (see ops.h).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "ops.h"

const char *ops_call_key(const struct node *call)
{
	struct node *c = call->nkid ? node_strip(call->kid[0]) : NULL;

	/* (*ops->fn)(...) */
	if (c && c->kind == N_UNARY && !strcmp(c->op, "*") && c->nkid)
		c = node_strip(c->kid[0]);
	return c && c->kind == N_MEMBER && c->type && strchr(c->type, '@') ? c->type : NULL;
}

char *ops_key_type(const char *key)
{
	const char *at = strchr(key, '@'), *dot = at;

	while (dot > key && *dot != '.')
		dot--;
	return strndup(key, (size_t)(dot - key));
}

char *ops_key_field(const char *key)
{
	const char *at = strchr(key, '@'), *dot = at;

	while (dot > key && dot[-1] != '.')
		dot--;
	return strndup(dot, (size_t)(at - dot));
}

char *ops_key_file(const char *key)
{
	return xstrdup(strchr(key, '@') + 1);
}

bool ops_key_private(const struct tu *tu, const char *key)
{
	return !strcmp(strchr(key, '@') + 1, tu_file(tu, 0));
}

/* The main file is in the directory of the header defining the structure, or below. */
bool ops_key_reachable(const struct tu *tu, const char *key)
{
	const char *hdr = strchr(key, '@') + 1, *slash = strrchr(hdr, '/');
	const char *file = tu_file(tu, 0);
	size_t n = slash ? (size_t)(slash - hdr) + 1 : 0;

	return n && !strncmp(file, hdr, n);
}

struct collect {
	const char *key;
	char *type;
	struct vec targets;		/* struct node *: N_REF of a function */
	const struct node *bad;		/* a store of something else */
	const char *bad_how;		/* ... in words */
};

static void bad(struct collect *c, const struct node *at, const char *how)
{
	if (!c->bad) {
		c->bad = at;
		c->bad_how = how;
	}
}

static void stored(struct collect *c, struct node *v, const struct node *at)
{
	v = node_strip(v);
	if (!v)
		return;
	if (v->kind == N_UNARY && !strcmp(v->op, "&") && v->nkid)
		v = node_strip(v->kid[0]);
	if (v->kind == N_REF && v->decl && v->decl->kind == D_FUNC) {
		for (size_t i = 0; i < c->targets.n; i++)
			if (((struct node *)c->targets.v[i])->decl == v->decl)
				return;
		vec_push(&c->targets, v);
	} else if (v->kind == N_LITERAL) {
		/* NULL: no handler */
	} else if (v->kind == N_COND && v->nkid == 3) {
		stored(c, v->kid[1], at);
		stored(c, v->kid[2], at);
	} else if (v->kind == N_MEMBER && v->type && !strcmp(v->type, c->key)) {
		/* copied from another instance: its stores are collected too */
	} else {
		bad(c, at, "is assigned a value that is not a function");
	}
}

/* A designated initialiser ".f = x": an unexposed node whose first kid names the field. */
static bool is_designated(const struct node *e)
{
	return e->kind == N_OTHER && e->nkid >= 2 && e->kid[0]->kind == N_OTHER && e->kid[0]->name;
}

static void find_store(struct node *n, void *data)
{
	struct collect *c = data;
	struct node *p, *kid;

	if (n->kind == N_INITLIST && n->type && !strcmp(n->type, c->type)) {
		/* { f1, f2 }: by position, the field is not named */
		for (unsigned i = 0; i < n->nkid; i++) {
			struct node *v = node_strip(n->kid[i]);

			if (v->kind == N_UNARY && !strcmp(v->op, "&") && v->nkid)
				v = node_strip(v->kid[0]);
			if (!is_designated(n->kid[i]) && v->kind == N_REF && v->decl &&
			    v->decl->kind == D_FUNC)
				bad(c, n->kid[i], "may be assigned by position, without its name,");
		}
		return;
	}
	if (!n->type || strcmp(n->type, c->key))
		return;
	if (n->kind == N_OTHER) {
		p = n->parent;
		if (p && is_designated(p))
			stored(c, p->kid[p->nkid - 1], p);
		return;
	}
	if (n->kind != N_MEMBER)
		return;
	p = node_up(n, &kid);
	if (!p)
		return;
	if (p->kind == N_BINARY && p->nkid == 2 && kid == p->kid[0] &&
	    (!strcmp(p->op, "=") || !strcmp(p->op, "?")))
		stored(c, p->kid[1], p);
	else if (p->kind == N_UNARY && !strcmp(p->op, "&"))
		bad(c, p, "has its address taken");	/* written who knows where */
}

static void collect(const struct tu *tu, const char *key, struct collect *c)
{
	memset(c, 0, sizeof(*c));
	c->key = key;
	c->type = ops_key_type(key);
	for (size_t i = 0; i < tu->globals.n; i++)
		node_walk(tu->globals.v[i], find_store, c);
	for (size_t i = 0; i < tu->funcs.n; i++) {
		struct func *fn = tu->funcs.v[i];

		if (fn->body)
			node_walk(fn->body, find_store, c);
	}
}

static void collect_free(struct collect *c)
{
	free(c->type);
	vec_free(&c->targets, NULL);
}

/*
 * Fold one handler's use of the argument, @in, into @out; @in's why and
 * note (allocated, or NULL) are taken over or freed.
 */
static void merge(struct ext_summary *out, bool *first, struct fate_summary in)
{
	struct fate_summary *o = &out->sum;

	if (*first) {
		o->unmaps = in.unmaps;
		*first = false;
	}
	o->unmaps = o->unmaps && in.unmaps;
	o->page_address |= in.page_address;
	o->returned |= in.returned;
	o->out_params |= in.out_params;
	if (in.fate > o->fate || (!o->why && in.why && in.fate == o->fate && in.fate != FATE_OK)) {
		o->fate = in.fate;
		free(o->why);
		o->why = in.why;
		in.why = NULL;
	}
	if (!o->note && in.note) {
		o->note = in.note;
		in.note = NULL;
	}
	fate_summary_clear(&in);
}

/* A handler that may do anything with the argument, for @why (allocated). */
static struct fate_summary escapes(char *why)
{
	return (struct fate_summary){ .fate = FATE_ESCAPES, .why = why };
}

/* @s, with its why and note said of @name ("NAME() ..., where it is WHY"). */
static struct fate_summary said_of(const struct fate_summary *s, const char *name,
				   const char *where)
{
	struct fate_summary in = *s;

	in.why = s->why ? xasprintf("%s()%s, where it is %s", name, where, s->why) : NULL;
	in.note = s->note ? xasprintf("%s()%s, where it is %s", name, where, s->note) : NULL;
	return in;
}

static void summary_init(struct ext_summary *out, const char *key, int arg)
{
	memset(out, 0, sizeof(*out));
	out->name = xstrdup(key);
	out->arg = arg;
	out->sum.fate = FATE_OK;
	out->origin = xstrdup("");
}

bool ops_summarise(struct ctx *ctx, const char *key, int arg, param_summariser summarise,
		   struct ext_summary *out)
{
	struct collect c;
	bool first = true;

	collect(ctx->tu, key, &c);
	if (!c.targets.n && !c.bad) {
		collect_free(&c);
		return false;
	}
	summary_init(out, key, arg);
	if (c.bad) {
		char *field = ops_key_field(key);

		merge(out, &first, escapes(xasprintf("any function: '%s' %s at %s:%u", field,
						     c.bad_how, tu_file(ctx->tu, c.bad->file),
						     c.bad->line)));
		free(field);
	}
	for (size_t i = 0; i < c.targets.n; i++) {
		const struct node *v = c.targets.v[i];
		struct func *fn = v->decl->def;
		const char *name = v->decl->name;

		if (fn && fn->is_weak) {
			merge(out, &first, escapes(xasprintf("%s(), a __weak function another "
							     "file may replace", name)));
		} else if (fn && fn->body) {
			char *file = xasprintf(" (%s)", tu_file(ctx->tu, fn->file));

			merge(out, &first, said_of(summarise(ctx, fn, arg), name, file));
			free(file);
		} else {
			const struct ext_summary *e = ext_lookup(ctx->ext, name, arg);

			want_callee(ctx, name);
			if (!e)
				merge(out, &first, escapes(xasprintf("%s(), which is not known to "
								     "use it only during the call",
								     name)));
			else
				merge(out, &first, said_of(&e->sum, name, ", defined in another file"));
		}
	}
	collect_free(&c);
	return true;
}

int ops_arity(struct ctx *ctx, const char *key)
{
	struct collect c;
	int n = -1;

	collect(ctx->tu, key, &c);
	for (size_t i = 0; i < c.targets.n; i++) {
		const struct node *v = c.targets.v[i];
		struct func *fn = v->decl->def;
		int k = fn && fn->body ? (int)fn->params.n : 8;

		if (k > n)
			n = k;
	}
	if (c.bad && n < 0)
		n = 0;
	collect_free(&c);
	return n;
}

bool ops_ext_merge(const struct vec *ext, const char *key, int arg, struct ext_summary *out)
{
	bool first = true;

	for (size_t i = 0; ext && i < ext->n; i++) {
		const struct ext_summary *e = ext->v[i];

		if (strcmp(e->name, key) || (e->arg != arg && e->arg != -1))
			continue;
		if (first)
			summary_init(out, key, arg);
		{
			struct fate_summary in;

			fate_summary_copy(&in, &e->sum);
			merge(out, &first, in);
		}
	}
	return !first;
}
