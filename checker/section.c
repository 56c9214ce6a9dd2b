// SPDX-License-Identifier: GPL-2.0
/*
 * section.c: the kmap_atomic() sections of a function, as a dataflow over
 * its control-flow graph, and what the calls in them rely on (section.h).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataflow.h"
#include "section.h"

/* What a call does, as a section sees it: a chain naming each first use. */
struct uses {
	char *via[EFFECT_COUNT];	/* "helper() -> __copy_from_user_inatomic()" */
	char *unknown;			/* the chain to a call it cannot judge */
};

/* What a function's body does, computed once per walk. */
struct callee_uses {
	struct func *fn;
	bool done;			/* false while it is being computed */
	struct uses u;
};

struct walk {
	struct ctx *ctx;
	const struct vec *maps;
	enum map_scope scope;		/* of the maps, and of the unmaps that undo them */
	bool effects;			/* look at what the sections do */
	struct decl **addr;		/* per map: the variable holding its address */
	struct decl **page;		/* per map: the variable its page is read from */
	struct atomic_section *out;
	struct vec callees;		/* struct callee_uses * */
	unsigned char *undone;		/* per map: what the unmap being walked undoes */
};

/* Per path: which maps may be live, which surely are. */
struct sstate {
	bool dead;
	unsigned char *maybe, *sure;
};

static void uses_clear(struct uses *u)
{
	for (int e = 0; e < EFFECT_COUNT; e++)
		free(u->via[e]);
	free(u->unknown);
	memset(u, 0, sizeof(*u));
}

static bool uses_any(const struct uses *u)
{
	for (int e = EFFECT_NONE + 1; e < EFFECT_COUNT; e++)
		if (u->via[e])
			return true;
	return u->unknown != NULL;
}

/* Keep in @into the first of each use of @from, said as "@head -> ..." when @head is set. */
static void uses_add(struct uses *into, const struct uses *from, const char *head)
{
	for (int e = EFFECT_NONE + 1; e < EFFECT_COUNT; e++)
		if (!into->via[e] && from->via[e])
			into->via[e] = head ? xasprintf("%s -> %s", head, from->via[e])
					    : xstrdup(from->via[e]);
	if (!into->unknown && from->unknown)
		into->unknown = head ? xasprintf("%s -> %s", head, from->unknown)
				     : xstrdup(from->unknown);
}

static void uses_say(struct uses *u, enum atomic_effect e, const char *name)
{
	if (e != EFFECT_NONE && !u->via[e])
		u->via[e] = xasprintf("%s()", name);
}

static void node_uses(struct walk *w, const struct node *n, struct uses *u);

struct body_walk {
	struct walk *w;
	struct uses *u;
};

static void body_node(struct node *n, void *data)
{
	struct body_walk *bw = data;

	node_uses(bw->w, n, bw->u);
}

/* What @fn's body does, anywhere in it; a call back into a function being looked into adds nothing. */
static const struct uses *callee_uses(struct walk *w, struct func *fn)
{
	struct callee_uses *c;

	for (size_t i = 0; i < w->callees.n; i++) {
		c = w->callees.v[i];
		if (c->fn == fn)
			return c->done ? &c->u : NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->fn = fn;
	vec_push(&w->callees, c);
	{
		struct body_walk bw = { w, &c->u };

		node_walk(fn->body, body_node, &bw);
	}
	c->done = true;
	return &c->u;
}

/*
 * What evaluating @n itself does (its operands are nodes of their own): a
 * call by the table, under the name of the macro it was written as first,
 * then by its body; an asm statement by the macro it came from.
 */
static void node_uses(struct walk *w, const struct node *n, struct uses *u)
{
	const struct atomic_effect_row *r;
	struct func *fn;

	if (n->kind == N_ASM) {
		r = n->macro ? rules_atomic_effect(w->ctx->rules, n->macro) : NULL;
		if (r)
			uses_say(u, r->effect, n->macro);
		return;
	}
	if (n->kind != N_CALL)
		return;
	if (n->macro && (r = rules_atomic_effect(w->ctx->rules, n->macro))) {
		uses_say(u, r->effect, n->macro);
		return;
	}
	if (!n->name) {
		if (!u->unknown)
			u->unknown = xstrdup("an indirect call");
		return;
	}
	if (rules_api(w->ctx->rules, n->name))
		return;		/* a mapping call: a section of its own */
	r = rules_atomic_effect(w->ctx->rules, n->name);
	if (r) {
		uses_say(u, r->effect, n->name);
		return;
	}
	fn = tu_func(w->ctx->tu, n->name);
	if (fn && fn->body && !fn->is_weak) {
		const struct uses *cu = callee_uses(w, fn);

		if (cu) {
			char *head = xasprintf("%s()", n->name);

			uses_add(u, cu, head);
			free(head);
		}
		return;
	}
	if (!u->unknown)
		u->unknown = xasprintf("%s()", n->name);
}

static size_t nmaps(const struct walk *w)
{
	return w->maps->n;
}

static void s_init(struct flow_walk *fw, void *p)
{
	struct walk *w = fw->data;
	struct sstate *s = p;

	s->dead = false;
	s->maybe = xcalloc(nmaps(w) + 1, 1);
	s->sure = xcalloc(nmaps(w) + 1, 1);
}

static void s_copy(struct flow_walk *fw, void *d, const void *p)
{
	struct walk *w = fw->data;
	struct sstate *dst = d;
	const struct sstate *src = p;

	s_init(fw, dst);
	dst->dead = src->dead;
	memcpy(dst->maybe, src->maybe, nmaps(w));
	memcpy(dst->sure, src->sure, nmaps(w));
}

static void s_free(void *p)
{
	struct sstate *s = p;

	free(s->maybe);
	free(s->sure);
}

static bool s_join(struct flow_walk *fw, void *d, const void *p)
{
	struct walk *w = fw->data;
	struct sstate *dst = d;
	const struct sstate *src = p;
	bool changed = false;

	if (src->dead)
		return false;
	if (dst->dead) {
		s_free(dst);
		s_copy(fw, dst, src);
		return true;
	}
	for (size_t k = 0; k < nmaps(w); k++) {
		if (src->maybe[k] && !dst->maybe[k])
			dst->maybe[k] = 1, changed = true;
		if (!src->sure[k] && dst->sure[k])
			dst->sure[k] = 0, changed = true;
	}
	return changed;
}

static int map_index(const struct walk *w, const struct node *call)
{
	for (size_t k = 0; k < nmaps(w); k++)
		if (w->maps->v[k] == call)
			return (int)k;
	return -1;
}

/* The variable an unmap's argument is read from: addr, (void *)addr, addr - off. */
static struct decl *addr_root(struct node *n)
{
	n = node_strip(n);
	while (n && n->kind == N_BINARY && n->nkid == 2 && (!strcmp(n->op, "+") || !strcmp(n->op, "-")))
		n = node_strip(n->kid[0]);
	return n && n->kind == N_REF ? n->decl : NULL;
}

/*
 * Which maps an unmap undoes: every live one put in the variable it names
 * (a variable holds one address at a time: on each path, the map made into
 * it last), else the latest live one.  Marks them in @undone.
 */
static bool unmap_undoes(const struct walk *w, const struct node *call, const struct sstate *s,
			 unsigned char *undone, int *guess)
{
	struct decl *d = call->nkid > 1 ? addr_root(call->kid[1]) : NULL;
	int latest = -1;
	bool named = false;

	for (size_t k = 0; k < nmaps(w); k++) {
		if (!s->maybe[k])
			continue;
		latest = (int)k;
		if (d && w->addr[k] == d)
			undone[k] = 1, named = true;
	}
	*guess = -1;
	if (!named && latest >= 0)
		undone[latest] = 1, *guess = latest;
	return named || latest >= 0;
}

static void note_use(struct section_use *su, const struct node *at, const char *via)
{
	if (su->at || !via)
		return;
	su->at = at;
	su->what = xasprintf("%s (line %u)", via, at->line);
}

static void s_event(struct flow_walk *fw, struct node *n, void *p)
{
	struct walk *w = fw->data;
	struct sstate *s = p;
	const struct api *api = n->kind == N_CALL ? rules_api(w->ctx->rules, n->name) : NULL;
	struct uses u = { 0 };
	bool live = false;
	int k;

	if (api && api->role == API_MAP && (k = map_index(w, n)) >= 0) {
		if (fw->final && s->maybe[k] && !w->out[k].nests)
			w->out[k].nests = n;
		s->maybe[k] = s->sure[k] = 1;
		return;
	}
	if (api && api->scope == w->scope && api->role == API_UNMAP) {
		int guess;

		memset(w->undone, 0, nmaps(w));
		if (unmap_undoes(w, n, s, w->undone, &guess)) {
			for (size_t j = 0; j < nmaps(w); j++) {
				if (!w->undone[j])
					continue;
				s->maybe[j] = s->sure[j] = 0;
				if (!fw->final)
					continue;
				w->out[j].unmapped = true;
				if (!vec_has(&w->out[j].unmaps, n))
					vec_push(&w->out[j].unmaps, n);
				if ((int)j == guess && !w->out[j].guessed)
					w->out[j].guessed = n;
			}
		}
		return;
	}
	if (!fw->final || !w->effects)
		return;
	for (size_t j = 0; j < nmaps(w); j++)
		live |= s->maybe[j];
	if (!live)
		return;
	node_uses(w, n, &u);
	for (size_t j = 0; uses_any(&u) && j < nmaps(w); j++) {
		struct atomic_section *sec = &w->out[j];

		if (!s->maybe[j])
			continue;
		for (int e = EFFECT_NONE + 1; e < EFFECT_COUNT; e++)
			note_use(&sec->effect[e], n, u.via[e]);
		note_use(&sec->unknown, n, u.unknown);
		if (s->sure[j] && u.via[EFFECT_SLEEP]) {
			struct section_use *su = xcalloc(1, sizeof(*su));

			note_use(su, n, u.via[EFFECT_SLEEP]);
			vec_push(&sec->sleeps, su);
		}
	}
	uses_clear(&u);
}

/*
 * Where the variable holding a map's address, or its page, is NULL, the
 * map did not happen (a mapped address is never NULL): the idiom "if
 * (addr) kunmap_local(addr);" before mapping again, or "if (page)" around
 * both the map and the unmap.
 */
static void s_branch(struct flow_walk *fw, struct node *cond, void *t, void *e)
{
	struct walk *w = fw->data;
	bool null_if_true;
	struct node *x = node_null_tested(cond, &null_if_true);
	struct sstate *null_s = null_if_true ? t : e;

	for (size_t k = 0; x && !null_s->dead && k < nmaps(w); k++)
		if (w->addr[k] == x->decl || w->page[k] == x->decl)
			null_s->maybe[k] = null_s->sure[k] = 0;
}

static void s_exit(struct flow_walk *fw, void *p, const struct node *where)
{
	struct walk *w = fw->data;
	struct sstate *s = p;

	for (size_t k = 0; fw->final && !s->dead && k < nmaps(w); k++)
		if (s->maybe[k] && !w->out[k].leaks)
			w->out[k].leaks = where ? where : w->maps->v[k];
}

static const struct flow_ops section_flow = {
	sizeof(struct sstate), s_init, s_copy, s_join, s_free, s_event, s_branch, s_exit,
};

struct node *map_destination(struct node *call)
{
	struct node *c = call, *p = call->parent;

	while (p && (p->kind == N_PAREN || p->kind == N_CAST ||
		     (p->kind == N_BINARY && p->nkid == 2 && p->kid[0] == c &&
		      (!strcmp(p->op, "+") || !strcmp(p->op, "-"))))) {
		c = p;
		p = p->parent;
	}
	if (p && p->kind == N_VAR)
		return p;
	if (p && p->kind == N_BINARY && !strcmp(p->op, "=") && p->nkid == 2 && p->kid[1] == c)
		return node_strip(p->kid[0]);
	return NULL;
}

/*
 * The variable a map's address is put in: p = kmap_atomic(), T *p =
 * kmap_atomic(), p = kmap_atomic() + offset.
 */
static struct decl *addr_of(struct node *call)
{
	struct node *d = map_destination(call);

	return d && (d->kind == N_VAR || d->kind == N_REF) ? d->decl : NULL;
}

static void callee_uses_free(void *p)
{
	struct callee_uses *c = p;

	uses_clear(&c->u);
	free(c);
}

static struct atomic_section *sections(struct ctx *ctx, struct func *fn, const struct vec *maps,
				       enum map_scope scope, bool effects)
{
	struct walk w = { .ctx = ctx, .maps = maps, .scope = scope, .effects = effects };
	struct flow_walk fw = { &section_flow, &w, false, 0 };
	struct sstate entry;

	w.addr = xcalloc(maps->n + 1, sizeof(*w.addr));
	w.page = xcalloc(maps->n + 1, sizeof(*w.page));
	w.out = xcalloc(maps->n + 1, sizeof(*w.out));
	w.undone = xcalloc(maps->n + 1, 1);
	for (size_t k = 0; k < maps->n; k++) {
		struct node *call = maps->v[k], *pg = call->nkid > 1 ? node_strip(call->kid[1]) : NULL;

		w.addr[k] = addr_of(call);
		w.page[k] = pg && pg->kind == N_REF && pg->decl && pg->decl->kind != D_FUNC ?
			    pg->decl : NULL;
	}
	s_init(&fw, &entry);
	flow_solve(&fw, fn->body, &entry);
	s_free(&entry);
	vec_free(&w.callees, callee_uses_free);
	free(w.addr);
	free(w.page);
	free(w.undone);
	return w.out;
}

struct atomic_section *atomic_sections(struct ctx *ctx, struct func *fn, const struct vec *maps)
{
	return sections(ctx, fn, maps, SCOPE_ATOMIC, true);
}

struct atomic_section *local_sections(struct ctx *ctx, struct func *fn, const struct vec *maps,
				      enum map_scope scope)
{
	return sections(ctx, fn, maps, scope, false);
}

static void section_use_free(void *p)
{
	struct section_use *su = p;

	free(su->what);
	free(su);
}

void atomic_sections_free(struct atomic_section *s, size_t n)
{
	for (size_t k = 0; s && k < n; k++) {
		for (int e = 0; e < EFFECT_COUNT; e++)
			free(s[k].effect[e].what);
		free(s[k].unknown.what);
		vec_free(&s[k].sleeps, section_use_free);
		vec_free(&s[k].unmaps, NULL);
	}
	free(s);
}
