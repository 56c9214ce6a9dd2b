// SPDX-License-Identifier: GPL-2.0
/*
 * flow.c: follow a pointer value through one function (see flow.h), and
 * summarise what functions of the same translation unit do with their
 * pointer parameters.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "ops.h"
#include "scratch.h"

static void use(struct track *t, struct node *n);

void track_init(struct track *t, struct ctx *ctx, struct func *fn)
{
	memset(t, 0, sizeof(*t));
	t->ctx = ctx;
	t->fn = fn;
}

void track_free(struct track *t)
{
	vec_free(&t->decls, NULL);
	vec_free(&t->unmaps, NULL);
	vec_free(&t->returns, NULL);
	vec_free(&t->out_args, NULL);
	free(t->sum.why);
	free(t->sum.note);
	free(t->page_text);
}

static void set_fate(struct track *t, enum fate f, const struct node *where,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void set_fate(struct track *t, enum fate f, const struct node *where,
		     const char *fmt, ...)
{
	va_list ap;

	if (f <= t->sum.fate && t->sum.why)
		return;
	if (f < t->sum.fate)
		return;
	free(t->sum.why);
	va_start(ap, fmt);
	if (vasprintf(&t->sum.why, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	t->sum.fate = f;
	t->where = where;
}

/* Keep the first note (@text, allocated) of the value's way. */
static void note(struct track *t, const struct node *at, char *text)
{
	if (t->sum.note) {
		free(text);
		return;
	}
	t->sum.note = text;
	t->note_at = at;
}

const char *decl_where(const struct decl *d)
{
	switch (d->kind) {
	case D_GLOBAL: return d->is_static ? "static variable" : "global variable";
	case D_STATIC_LOCAL: return "static local variable";
	case D_PARAM: return "parameter";
	default: return "variable";
	}
}

static bool tracked(const struct track *t, const struct decl *d)
{
	for (size_t i = 0; d && i < t->decls.n; i++)
		if (t->decls.v[i] == d)
			return true;
	return false;
}

void track_decl(struct track *t, struct decl *d)
{
	if (!tracked(t, d))
		vec_push(&t->decls, d);
}

/* @lhs is param->f, or param->f.g: one pointer crossed, at the parameter. */
static bool field_of_param(struct node *lhs, const struct decl *param)
{
	struct node *n = node_strip(lhs);

	while (n && n->kind == N_MEMBER && !n->arrow && n->nkid)
		n = node_strip(n->kid[0]);
	if (!n || n->kind != N_MEMBER || !n->arrow || !n->nkid)
		return false;
	n = node_strip(n->kid[0]);
	return n->kind == N_REF && n->decl == param;
}

/* The value is stored into @lhs. */
static void store(struct track *t, struct node *lhs, struct node *at)
{
	bool through;
	struct node *root = lvalue_root(lhs, &through);
	struct decl *d = root && root->kind == N_REF ? root->decl : NULL;
	char *text, *why = NULL;

	if (!d) {
		set_fate(t, FATE_UNKNOWN, at, "stored through an expression the analysis "
			 "does not follow (line %u)", at->line);
		return;
	}
	if (!through) {
		if (d->kind == D_LOCAL || d->kind == D_PARAM) {
			track_decl(t, d);
			return;
		}
		/* a static z_stream's next_out, overwritten before each use */
		if (scratch_store(t->ctx, d, lhs, &why)) {
			note(t, at, xasprintf("stored in %s '%s' (line %u), whose field %s every "
					      "user stores again before each call that uses it "
					      "(rules/buffer-fields.tbl)", decl_where(d), d->name,
					      at->line, node_strip(lhs)->name));
			return;
		}
		if (why)
			set_fate(t, FATE_ESCAPES, at, "stored in %s '%s' (line %u), and %s",
				 decl_where(d), d->name, at->line, why);
		else
			set_fate(t, FATE_ESCAPES, at, "stored in %s '%s' (line %u)",
				 decl_where(d), d->name, at->line);
		free(why);
		return;
	}
	/*
	 * *out = v with out a parameter: handed back to the caller.  In a
	 * summary, so is out->f = v (init_pushpull(&pp, buf) keeps buf in
	 * the caller's pp, which the caller follows as "pp.buf = buf").
	 */
	if (d->kind == D_PARAM && (node_strip(lhs)->kind == N_UNARY ||
				   (t->summary && field_of_param(lhs, d)))) {
		if (d->index < 0 || d->index >= 32) {
			set_fate(t, FATE_UNKNOWN, at, "written to out-parameter '*%s' (line %u), "
				 "past the 32 parameters the analysis follows", d->name, at->line);
			return;
		}
		t->sum.out_params |= 1u << d->index;
		vec_push(&t->returns, at);
		text = node_text(lhs);
		if (node_strip(lhs)->kind == N_UNARY)
			set_fate(t, FATE_RETURNED, at, "written to out-parameter '*%s' (line %u)",
				 d->name, at->line);
		else
			set_fate(t, FATE_RETURNED, at, "written to '%s' through out-parameter "
				 "'%s' (line %u)", text, d->name, at->line);
		free(text);
		return;
	}
	if (tracked(t, d) && d->kind == D_LOCAL && d->is_record) {
		track_decl(t, d);
		return;
	}
	text = node_text(lhs);
	if (d->kind == D_PARAM)
		set_fate(t, FATE_ESCAPES, at, "stored in '%s', memory reached through "
			 "parameter '%s' (line %u)", text, d->name, at->line);
	else if (d->kind == D_GLOBAL || d->kind == D_STATIC_LOCAL)
		set_fate(t, FATE_ESCAPES, at, "stored in '%s', reached through %s '%s' (line %u)",
			 text, decl_where(d), d->name, at->line);
	else
		set_fate(t, FATE_ESCAPES, at, "stored in '%s', memory reached through pointer "
			 "'%s' that may outlive the call (line %u)", text, d->name, at->line);
	free(text);
}

/* The index of @arg among @call's arguments. */
static int arg_index(const struct node *call, const struct node *arg)
{
	for (unsigned i = 1; i < call->nkid; i++)
		if (call->kid[i] == arg)
			return (int)i - 1;
	return -1;
}

/*
 * A callee hands the value back: as its result (@returned), and through
 * the pointer arguments of @out_params ("*out = v" in its body).
 */
static void handed_back(struct track *t, struct node *call, const char *name, bool returned,
			unsigned out_params)
{
	if (returned)
		use(t, call);
	for (unsigned k = 0; k < 32 && k + 1 < call->nkid; k++) {
		struct node *a;

		if (!(out_params & (1u << k)))
			continue;
		a = node_strip(call->kid[k + 1]);
		if (a->kind == N_UNARY && !strcmp(a->op, "&") && a->nkid) {
			/* f(v, &x): as "x = v" */
			store(t, a->kid[0], call);
		} else if (a->kind == N_REF && a->decl && a->decl->is_array) {
			/* f(v, arr): as "arr[0] = v" */
			store(t, a, call);
		} else if (a->kind == N_REF && a->decl && a->decl->kind == D_PARAM &&
			   a->decl->index >= 0 && a->decl->index < 32) {
			/* f(v, out) with out our own out-parameter: as "*out = v" */
			t->sum.out_params |= 1u << a->decl->index;
			vec_push(&t->returns, call);
			set_fate(t, FATE_RETURNED, call, "written to out-parameter '*%s' by "
				 "%s() (line %u)", a->decl->name, name, call->line);
		} else {
			set_fate(t, FATE_UNKNOWN, call, "written by %s() (line %u) through "
				 "argument %u, an expression the analysis does not follow",
				 name, call->line, k + 1);
		}
	}
}

/*
 * @arg is (the address of) a local array or structure that holds the value,
 * or the address of a variable holding it (memcpy(&h->p, &addr, 8): the
 * pointer's own bytes), not the value itself: what the callee reads from
 * it is the value.
 */
static bool holds_value(const struct track *t, struct node *arg)
{
	struct node *a = node_strip(arg);

	if (a->kind == N_UNARY && !strcmp(a->op, "&") && a->nkid) {
		a = node_strip(a->kid[0]);
		return a->kind == N_REF && tracked(t, a->decl);
	}
	return a->kind == N_REF && tracked(t, a->decl) && (a->decl->is_array || a->decl->is_record);
}

/*
 * A callee of rules/callees.tbl reads argument @i, a copy of the value
 * (memcpy(dst, arr, n) with arr[0] the mapped address): what it writes
 * through its other arguments holds the value too.
 */
static void copied_out(struct track *t, struct node *call, const char *name, int i)
{
	unsigned written = 0;

	for (unsigned k = 0; k < 32 && k + 1 < call->nkid; k++) {
		const struct callee *c = rules_callee(t->ctx->rules, name, (int)k);

		if ((int)k != i && c && (c->use == USE_WRITE || c->use == USE_READWRITE))
			written |= 1u << k;
	}
	handed_back(t, call, name, false, written);
}

/*
 * Argument @i of a call through a function-pointer field: what the
 * functions stored into the field do with it (ops.h), or an escape.
 */
static void indirect_call(struct track *t, struct node *call, int i)
{
	const char *key = ops_call_key(call);
	struct ext_summary s;
	char *field, *type, *via;
	bool known;

	if (!key || (!ops_key_private(t->ctx->tu, key) && !ops_key_reachable(t->ctx->tu, key))) {
		set_fate(t, FATE_ESCAPES, call, "passed to an indirect call (line %u), which "
			 "may keep it", call->line);
		return;
	}
	if (ops_key_private(t->ctx->tu, key))
		known = ops_summarise(t->ctx, key, i, summarise_param, &s);
	else
		known = ops_ext_merge(t->ctx->ext, key, i, &s);
	field = ops_key_field(key);
	type = ops_key_type(key);
	via = xasprintf("passed to an indirect call through '%s' of %s (line %u)", field, type,
			call->line);
	if (!ops_key_private(t->ctx->tu, key))
		want_callee(t->ctx, key);
	if (!known) {
		set_fate(t, FATE_ESCAPES, call, "%s, and no function stored into that field "
			 "was found", via);
	} else {
		if (s.sum.unmaps)
			vec_push(&t->unmaps, call);
		if (s.sum.note)
			note(t, call, xasprintf("%s, which may call %s", via, s.sum.note));
		else if (s.sum.fate == FATE_OK)
			note(t, call, xasprintf("%s, where each function stored into that field "
						"uses it only during the call", via));
		if (s.sum.fate == FATE_ESCAPES || s.sum.fate == FATE_UNKNOWN)
			set_fate(t, s.sum.fate, call, "%s, which may call %s", via, s.sum.why);
		else if (s.sum.fate == FATE_RETURNED)
			handed_back(t, call, field, s.sum.returned, s.sum.out_params);
		free(s.name);
		fate_summary_clear(&s.sum);
		free(s.origin);
	}
	free(via);
	free(type);
	free(field);
}

static void call_use(struct track *t, struct node *call, struct node *arg)
{
	const char *name = node_callee(call);
	int i = arg_index(call, arg);
	const struct api *api;
	const struct callee *c;
	struct func *fn;

	if (i < 0)
		return;		/* calling through the value: a use */
	if (!name) {
		indirect_call(t, call, i);
		return;
	}
	api = rules_api(t->ctx->rules, name);
	if (api) {
		if (api->role == API_UNMAP)
			vec_push(&t->unmaps, call);
		return;
	}
	c = rules_callee(t->ctx->rules, name, i);
	if (c) {
		if (c->use == USE_KEEPS)
			set_fate(t, FATE_ESCAPES, call, "passed to %s() (line %u), which keeps it",
				 name, call->line);
		else if (c->use == USE_RETURNS)
			use(t, call);
		else if ((c->use == USE_READ || c->use == USE_READWRITE) && holds_value(t, arg))
			copied_out(t, call, name, i);
		return;
	}
	fn = tu_func(t->ctx->tu, name);
	if (fn && fn->is_weak) {
		set_fate(t, FATE_ESCAPES, call, "passed to %s() (line %u), a __weak function "
			 "another file may replace with a body that keeps it", name, call->line);
		return;
	}
	if (fn && fn->body && t->depth < 8) {
		const struct fate_summary *s = summarise_param(t->ctx, fn, i);

		if (s->unmaps)
			vec_push(&t->unmaps, call);
		if (s->note)
			note(t, call, xasprintf("passed to %s() (line %u), where it is %s", name,
						call->line, s->note));
		if (s->fate == FATE_ESCAPES)
			set_fate(t, FATE_ESCAPES, call, "passed to %s() (line %u), where it is %s",
				 name, call->line, s->why);
		else if (s->fate == FATE_UNKNOWN)
			set_fate(t, FATE_UNKNOWN, call, "passed to %s() (line %u), where it is %s",
				 name, call->line, s->why);
		else if (s->fate == FATE_RETURNED)
			handed_back(t, call, name, s->returned, s->out_params);
		return;
	}
	{
		const struct ext_summary *e = ext_lookup(t->ctx->ext, name, i);

		if (e) {
			want_callee(t->ctx, name);	/* decided by it: again if it changes */
			if (e->sum.unmaps)
				vec_push(&t->unmaps, call);
			if (e->sum.note)
				note(t, call, xasprintf("passed to %s() (line %u), defined in another "
							"file, where it is %s", name, call->line,
							e->sum.note));
			if (e->sum.fate == FATE_ESCAPES || e->sum.fate == FATE_UNKNOWN)
				set_fate(t, e->sum.fate, call, "passed to %s() (line %u), "
					 "defined in another file, where it is %s", name,
					 call->line, e->sum.why);
			else if (e->sum.fate == FATE_RETURNED)
				handed_back(t, call, name, e->sum.returned, e->sum.out_params);
			return;
		}
	}
	want_callee(t->ctx, name);
	set_fate(t, FATE_ESCAPES, call, "passed to %s() (line %u), which is not known to "
		 "use it only during the call (rules/callees.tbl)", name, call->line);
}

static bool is_op(const struct node *n, const char *const *ops)
{
	for (; *ops; ops++)
		if (!strcmp(n->op, *ops))
			return true;
	return false;
}

static const char *const value_ops[] = { "+", "-", "&", "|", "^", "*", "/", "%", "<<", ">>", "?", NULL };
static const char *const test_ops[] = { "==", "!=", "<", ">", "<=", ">=", "&&", "||", NULL };

/* The value of expression @n is the tracked value (or derived from it). */
static void use(struct track *t, struct node *n)
{
	struct node *c, *p = node_up(n, &c);

	if (!p || t->depth > 200)
		return;
	t->depth++;
	switch (p->kind) {
	case N_BINARY:
		if (p->nkid != 2)
			break;
		if (!strcmp(p->op, "=")) {
			if (c == p->kid[1]) {
				store(t, p->kid[0], p);
				use(t, p);
			}
		} else if (!strcmp(p->op, "+=") || !strcmp(p->op, "-=")) {
			if (c == p->kid[1])
				store(t, p->kid[0], p);
		} else if (!strcmp(p->op, ",")) {
			if (c == p->kid[1])
				use(t, p);
		} else if (!strcmp(p->op, "?")) {
			/* an operator inside a macro expansion: maybe a store */
			if (c == p->kid[1])
				store(t, p->kid[0], p);
			use(t, p);
		} else if (is_op(p, test_ops)) {
			/* a comparison: a use */
		} else if (!strcmp(p->op, "-") && p->kid[0]->is_pointer && p->kid[1]->is_pointer) {
			/* pointer difference: an integer */
		} else if (is_op(p, value_ops)) {
			use(t, p);
		} else {
			/* other compound assignments: the target changes, a use */
		}
		break;
	case N_UNARY:
		if (!strcmp(p->op, "*")) {
			if (p->is_pointer || p->is_record)
				use(t, p);
		} else if (!strcmp(p->op, "&") || !strcmp(p->op, "?")) {
			use(t, p);
		}
		break;
	case N_INDEX:
	case N_MEMBER:
		if (c != p->kid[0])
			break;
		{
			struct node *pc, *pp = node_up(p, &pc);

			/*
			 * a pointer, an array, an address taken, a structure
			 * that may hold the value (iv[0] of a struct kvec *iv,
			 * whose .iov_base is followed from there), or one whose
			 * field is taken on (&h->sub.len)
			 */
			if (p->is_pointer || p->is_array || p->is_record ||
			    (p->kind == N_MEMBER && !p->arrow && p->kid[0]->is_union) ||
			    (pp && pp->kind == N_UNARY && !strcmp(pp->op, "&")) ||
			    (pp && pp->kind == N_MEMBER && !pp->arrow && pc == pp->kid[0]))
				use(t, p);
		}
		break;
	case N_COND:
		if (p->nkid == 3 && c != p->kid[0])
			use(t, p);
		break;
	case N_CALL:
		call_use(t, p, c);
		break;
	case N_RETURN:
		t->sum.returned = true;
		vec_push(&t->returns, p);
		set_fate(t, FATE_RETURNED, p, "returned from %s() (line %u)", t->fn->name, p->line);
		break;
	case N_VAR:
		if (p->decl && (p->decl->kind == D_LOCAL))
			track_decl(t, p->decl);
		else if (p->decl)
			set_fate(t, FATE_ESCAPES, p, "stored in %s '%s' (line %u)",
				 decl_where(p->decl), p->decl->name, p->line);
		break;
	case N_INITLIST: {
		struct node *v = p;

		while (v && v->kind == N_INITLIST)
			v = v->parent;
		if (v && v->kind == N_VAR && v->decl && v->decl->kind == D_LOCAL)
			track_decl(t, v->decl);
		else if (v && v->kind == N_OTHER && v->is_record)
			use(t, v);	/* a compound literal: its value holds it */
		else
			set_fate(t, FATE_ESCAPES, p, "stored in an initialiser (line %u)", p->line);
		break;
	}
	case N_STMTEXPR:
		use(t, p);
		break;
	case N_ASM: {
		/*
		 * An operand of inline assembly (xchg(), cmpxchg(),
		 * this_cpu_write() and their kind end in one): the assembly
		 * may store it into any memory operand, so each lvalue
		 * operand beside it is a store; with none, it is not followed.
		 */
		bool stored = false;

		for (unsigned k = 0; k < p->nkid; k++) {
			struct node *o = node_strip(p->kid[k]);

			if (o == node_strip(c) || !(o->kind == N_UNARY || o->kind == N_MEMBER ||
						   o->kind == N_INDEX || o->kind == N_REF))
				continue;
			if (o->kind == N_UNARY && strcmp(o->op, "*") && strcmp(o->op, "?"))
				continue;
			store(t, o, p);
			stored = true;
		}
		if (!stored)
			set_fate(t, FATE_UNKNOWN, p, "an operand of inline assembly (line %u)",
				 p->line);
		break;
	}
	case N_OTHER: {
		const struct node *at = p;

		/*
		 * ".f = v" in an initialiser (its kids the field named and the
		 * value), and a compound literal "(struct T){ ... }": the value
		 * of the initialiser around it, or of the literal
		 */
		if ((p->parent && p->parent->kind == N_INITLIST && p->nkid &&
		     c == p->kid[p->nkid - 1]) ||
		    (c->kind == N_INITLIST && p->is_record)) {
			use(t, p);
			break;
		}
		/* some expressions (compound literals) come without a location */
		while (!at->line && at->parent)
			at = at->parent;
		set_fate(t, FATE_UNKNOWN, p, "used in a construct the analysis does not "
			 "model (line %u)", at->line);
		break;
	}
	default:
		/* statements, conditions, sizeof: a use */
		break;
	}
	t->depth--;
}

void track_value(struct track *t, struct node *n)
{
	use(t, n);
}

struct refs {
	struct track *t;
	size_t from, to;
	bool first;
};

static void ref_use(struct node *n, void *data)
{
	struct refs *r = data;

	if (n->kind == N_REF) {
		for (size_t i = r->from; i < r->to; i++)
			if (n->decl == r->t->decls.v[i])
				use(r->t, n);
	} else if (r->first && r->t->page_text && n->kind == N_CALL && n->nkid == 2 &&
		   rules_is_page_address(r->t->ctx->rules, node_callee(n))) {
		char *s = node_text(n->kid[1]);

		if (!strcmp(s, r->t->page_text))
			use(r->t, n);
		free(s);
	}
}

void track_run(struct track *t)
{
	size_t done = 0;
	bool first = true;

	/* every new variable adds uses to follow */
	while (first || done < t->decls.n) {
		struct refs r = { t, done, t->decls.n, first };

		node_walk(t->fn->body, ref_use, &r);
		done = r.to;
		first = false;
	}
}

/* Summaries are memoised per function: one slot per parameter. */
struct summaries {
	unsigned n;
	unsigned char *state;		/* 0 none, 1 in progress, 2 done */
	struct fate_summary *s;
};

static const struct fate_summary recursive = {
	.fate = FATE_UNKNOWN, .why = "passed around a recursive call chain"
};

static const struct fate_summary variadic = {
	.fate = FATE_UNKNOWN, .why = "a variadic argument, which the analysis does not follow"
};

struct pa {
	const struct rules *rules;
	struct decl *param;
	bool found;
};

static void find_page_address(struct node *n, void *data)
{
	struct pa *pa = data;

	if (n->kind == N_CALL && n->nkid == 2 &&
	    rules_is_page_address(pa->rules, node_callee(n))) {
		struct node *a = node_strip(n->kid[1]);

		if (a->kind == N_REF && a->decl == pa->param)
			pa->found = true;
	}
}

const struct fate_summary *summarise_param(struct ctx *ctx, struct func *fn, int i)
{
	struct summaries *sm = fn->summary;
	struct fate_summary *s;
	struct track t;

	if (i < 0 || (size_t)i >= fn->params.n)
		return &variadic;
	if (!sm) {
		sm = xcalloc(1, sizeof(*sm));
		sm->n = (unsigned)fn->params.n;
		sm->state = xcalloc(sm->n, 1);
		sm->s = xcalloc(sm->n, sizeof(*sm->s));
		fn->summary = sm;
	}
	s = &sm->s[i];
	if (sm->state[i] == 1)
		return &recursive;
	if (sm->state[i] == 2)
		return s;
	sm->state[i] = 1;
	track_init(&t, ctx, fn);
	t.summary = true;
	track_decl(&t, fn->params.v[i]);
	track_run(&t);
	fate_summary_copy(s, &t.sum);
	s->unmaps = t.unmaps.n > 0;
	{
		struct pa pa = { ctx->rules, fn->params.v[i], false };

		node_walk(fn->body, find_page_address, &pa);
		s->page_address = pa.found;
	}
	track_free(&t);
	sm->state[i] = 2;
	return s;
}

void summaries_free(struct ctx *ctx)
{
	for (size_t i = 0; i < ctx->tu->funcs.n; i++) {
		struct func *fn = ctx->tu->funcs.v[i];
		struct summaries *sm = fn->summary;

		if (!sm)
			continue;
		for (unsigned j = 0; j < sm->n; j++)
			fate_summary_clear(&sm->s[j]);
		free(sm->s);
		free(sm->state);
		free(sm);
		fn->summary = NULL;
	}
}
