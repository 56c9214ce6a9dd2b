// SPDX-License-Identifier: GPL-2.0
/*
 * scratch.c: a field of a file-static structure used as scratch space.
 *
 * zlib users keep their z_stream in a static variable and point its
 * next_in/next_out at the caller's buffers before each inflate or deflate
 * (fs/cramfs/uncompress.c, fs/jffs2/compr_zlib.c).  The pointer stays in
 * the static after the function returns, yet nothing follows it: each
 * later user stores its own buffer there before the next call that uses
 * it.  scratch_store() proves that for one field f of a variable V:
 *
 *  - V is a structure with internal linkage, or a static local, so every
 *    use of it is in this translation unit;
 *  - V.f is only ever assigned (=, +=, -=, ++, --), never read directly;
 *  - every other use of V is a field other than f, or &V passed directly
 *    as an argument that rules/buffer-fields.tbl lists for its callee: a
 *    callee that uses the buffers of the listed fields during the call
 *    only and keeps no pointer to them;
 *  - each of those calls that uses f's buffer comes, on every path through
 *    its function, after an assignment "V.f = ..." in that function.
 *
 * So a pointer left in V.f is overwritten before anything follows it.
 * Like the code it reads, this assumes the users of V are serialised (the
 * zlib users hold a mutex): without that, sharing V is a data race already.
 */
#include <string.h>

#include "dataflow.h"
#include "scratch.h"

struct uses {
	const struct rules *rules;
	const struct decl *v;
	const char *field;
	char *why;		/* the first use that breaks the rule */
	struct vec calls;	/* struct node *: calls that use f's buffer */
};

/* @n is V.f: a member of V itself, not through a pointer */
static bool is_field(const struct uses *u, struct node *n)
{
	struct node *base;

	n = node_strip(n);
	if (!n || n->kind != N_MEMBER || n->arrow || !n->nkid || !n->name ||
	    strcmp(n->name, u->field))
		return false;
	base = node_strip(n->kid[0]);
	return base && base->kind == N_REF && base->decl == u->v;
}

/* the member expression @m is the target of an assignment or ++/-- */
static bool assigned(struct node *m)
{
	struct node *c, *p = node_up(m, &c);

	if (!p)
		return false;
	if (p->kind == N_BINARY && p->nkid == 2 && c == p->kid[0])
		return !strcmp(p->op, "=") || !strcmp(p->op, "+=") || !strcmp(p->op, "-=");
	return p->kind == N_UNARY && (!strcmp(p->op, "++") || !strcmp(p->op, "--") ||
				      !strcmp(p->op, "post++") || !strcmp(p->op, "post--"));
}

static bool in_sizeof(const struct node *n)
{
	for (const struct node *p = n->parent; p; p = p->parent)
		if (p->kind == N_SIZEOF)
			return true;
	return false;
}

/* &V passed directly to a callee of rules/buffer-fields.tbl */
static bool listed_arg(struct uses *u, struct node *addr)
{
	struct node *arg, *call = node_up(addr, &arg);
	const struct buffer_fields *b = NULL;

	if (!call || call->kind != N_CALL)
		return false;
	for (unsigned i = 1; !b && i < call->nkid; i++)
		if (call->kid[i] == arg)
			b = rules_buffer_fields(u->rules, node_callee(call), (int)i - 1);
	if (!b)
		return false;
	if (vec_has_str(&b->fields, u->field))
		vec_push(&u->calls, call);
	return true;
}

static void find_use(struct node *n, void *data)
{
	struct uses *u = data;
	struct node *c, *p;

	if (u->why || n->kind != N_REF || n->decl != u->v || in_sizeof(n))
		return;
	p = node_up(n, &c);
	if (p && p->kind == N_MEMBER && !p->arrow && c == p->kid[0]) {
		if (!strcmp(p->name ? p->name : "", u->field) && !assigned(p))
			u->why = xasprintf("'%s.%s' is read at line %u", u->v->name, u->field,
					   n->line);
		return;
	}
	/*
	 * In a macro's arguments the operator is not known ("?"), but the
	 * only unary operator a structure takes is &.
	 */
	if (p && p->kind == N_UNARY && (!strcmp(p->op, "&") || !strcmp(p->op, "?")) &&
	    listed_arg(u, p))
		return;
	u->why = xasprintf("'%s' is used at line %u other than as an argument "
			   "rules/buffer-fields.tbl lists", u->v->name, n->line);
}

/* The path walk: has V.f been assigned on every path so far? */
struct stored {
	bool dead;
	bool yes;
};

struct order {
	struct uses *u;
	const struct node *late;	/* a call of u->calls before any assignment */
};

static void st_init(struct flow_walk *fw, void *s)
{
	(void)fw;
	memset(s, 0, sizeof(struct stored));
}

static void st_copy(struct flow_walk *fw, void *dst, const void *src)
{
	(void)fw;
	memcpy(dst, src, sizeof(struct stored));
}

/* Assigned on the joined paths only when on both. */
static bool st_join(struct flow_walk *fw, void *dst, const void *src)
{
	struct stored *d = dst;
	const struct stored *s = src;

	(void)fw;
	if (s->dead)
		return false;
	if (d->dead) {
		*d = *s;
		return true;
	}
	if (d->yes && !s->yes) {
		d->yes = false;
		return true;
	}
	return false;
}

static void st_free(void *s)
{
	(void)s;
}

static bool is_call_of(const struct uses *u, const struct node *n)
{
	for (size_t i = 0; i < u->calls.n; i++)
		if (u->calls.v[i] == n)
			return true;
	return false;
}

/*
 * An assignment to V.f stores it; a listed call before it on some path
 * reads what was not stored.  The parts of an expression that may not run
 * (the right of && and ||, the arms of ?:) are paths of their own.
 */
static void st_event(struct flow_walk *fw, struct node *n, void *state)
{
	struct order *o = fw->data;
	struct stored *s = state;

	if (n->kind == N_BINARY && n->nkid == 2 && !strcmp(n->op, "=") && is_field(o->u, n->kid[0]))
		s->yes = true;
	else if (fw->final && n->kind == N_CALL && !s->yes && is_call_of(o->u, n) && !o->late)
		o->late = n;
}

static void st_branch(struct flow_walk *fw, struct node *cond, void *then_s, void *else_s)
{
	(void)fw; (void)cond; (void)then_s; (void)else_s;
}

static void st_exit(struct flow_walk *fw, void *s, const struct node *where)
{
	(void)fw; (void)s; (void)where;
}

static const struct flow_ops stored_flow = {
	sizeof(struct stored), st_init, st_copy, st_join, st_free,
	st_event, st_branch, st_exit,
};

/* Every call of u->calls in @fn comes after an assignment of V.f. */
static bool assigned_first(struct uses *u, struct func *fn)
{
	struct order o = { u, NULL };
	struct flow_walk fw = { &stored_flow, &o, false, 0 };
	struct stored s = { false, false };

	flow_solve(&fw, fn->body, &s);
	if (o.late)
		u->why = xasprintf("%s() uses '%s.%s' at line %u, where %s() has not stored "
				   "it on every path", o.late->name, u->v->name, u->field,
				   o.late->line, fn->name);
	return !o.late;
}

bool scratch_store(struct ctx *ctx, const struct decl *v, struct node *lhs, char **why)
{
	struct node *m = node_strip(lhs);
	struct uses u = { ctx->rules, v, NULL, NULL, { 0 } };
	const struct tu *tu = ctx->tu;
	bool ok = true;

	if (!v->is_record || !(v->kind == D_STATIC_LOCAL || (v->kind == D_GLOBAL && v->is_static)))
		return false;
	if (!m || m->kind != N_MEMBER || !m->name)
		return false;
	u.field = m->name;
	if (!is_field(&u, m))
		return false;
	for (size_t i = 0; i < tu->globals.n && !u.why; i++)
		node_walk(tu->globals.v[i], find_use, &u);
	for (size_t i = 0; i < tu->funcs.n && !u.why; i++)
		node_walk(((struct func *)tu->funcs.v[i])->body, find_use, &u);
	if (u.why) {
		*why = u.why;
		vec_free(&u.calls, NULL);
		return false;
	}
	for (size_t i = 0; i < tu->funcs.n && ok; i++) {
		struct func *fn = tu->funcs.v[i];
		bool has = false;

		for (size_t k = 0; k < u.calls.n && !has; k++)
			has = node_inside(u.calls.v[k], fn->body);
		if (has)
			ok = assigned_first(&u, fn);
	}
	vec_free(&u.calls, NULL);
	*why = u.why;
	return ok;
}
