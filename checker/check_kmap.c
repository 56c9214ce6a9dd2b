// SPDX-License-Identifier: GPL-2.0
/*
 * check_kmap.c: sort every kmap() call site into local, local-reorder,
 * cross-function, global or unknown (design.md), and report kmap-global,
 * kmap-convertible and kmap-unbalanced.
 *
 * A site is local when the mapped address, and everything derived from it,
 * never leaves the function except into callees that only use it during
 * the call (rules/callees.tbl, or a summary of a callee in the same file),
 * and the function unmaps it.  A wrong "local" becomes a patch that breaks
 * HIGHMEM machines, so every doubt gives "global" (with the escape) or
 * "unknown" (with the reason).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "dataflow.h"
#include "walk.h"

enum status { UNMAPPED, MAPPED, MAYBE };

/* One mapping in a function: a kmap() site or an existing local map. */
struct slot {
	struct api_call *ac;
	bool is_kmap;		/* a kmap() site being classified */
	bool candidate;		/* would become kmap_local_page() */
	const struct page_facts *page;	/* call_page(): shared with rewrite.c */
	struct decl *addr;	/* the variable holding the address, if any */
	struct track t;		/* where the address goes (kmap sites) */
	bool discarded;		/* kmap(page); with the return value unused */
	bool page_returned;	/* discarded-return page handed back */
	const struct node *page_escape;
	char *page_why;
	/* results of the path walk */
	const struct node *leak;	/* a return with it still mapped */
	const struct node *twice;	/* unmapped when already unmapped */
	const struct node *remap;	/* reached again while it may be mapped */
	bool remap_sure;		/* ... on a path where it surely is */
	/* a variable of the page expression changed while it surely was mapped */
	const struct node *lost;
	struct vec unmap_calls;		/* const struct node *: its unmaps */
	const struct node *wrong_arg;	/* kunmap(addr) */
	const struct node *order;	/* unmapped out of LIFO order */
	struct slot *order_other;
	bool matched_unmap;
};

struct state {
	bool dead;		/* unreachable (after return/goto) */
	unsigned char *st;	/* enum status per slot */
	/*
	 * per slot: a path into this block arrived with it surely mapped and
	 * nothing since unmapped it (the label of a goto retry; the return of
	 * if (!addr || len > max) return, reached by the second test): mapping
	 * it again, or returning, there loses that mapping, even where the
	 * join of all paths only says "maybe"
	 */
	unsigned char *entered_mapped;
	int *stack;		/* slot ids in mapping order */
	unsigned depth;
};

struct fnwalk {
	struct ctx *ctx;
	struct func *fn;
	struct slot *slot;
	unsigned n;
	struct flow_walk fw;
};

static bool page_matches(const struct slot *sl, struct node *n)
{
	return sl->page && page_facts_match(sl->page, n);
}

static void state_init(struct fnwalk *w, struct state *s)
{
	s->dead = false;
	s->st = xcalloc(w->n + 1, 1);
	s->entered_mapped = xcalloc(w->n + 1, 1);
	s->stack = xcalloc(w->n + 1, sizeof(int));
	s->depth = 0;
}

static void state_copy(struct fnwalk *w, struct state *dst, const struct state *src)
{
	state_init(w, dst);
	dst->dead = src->dead;
	memcpy(dst->st, src->st, w->n);
	memcpy(dst->entered_mapped, src->entered_mapped, w->n);
	memcpy(dst->stack, src->stack, w->n * sizeof(int));
	dst->depth = src->depth;
}

static void state_free(struct state *s)
{
	free(s->st);
	free(s->entered_mapped);
	free(s->stack);
}

static void stack_remove(struct state *s, int k)
{
	for (unsigned i = 0; i < s->depth; i++) {
		if (s->stack[i] == k) {
			memmove(&s->stack[i], &s->stack[i + 1], (s->depth - i - 1) * sizeof(int));
			s->depth--;
			return;
		}
	}
}

static bool on_stack(const struct state *s, int k)
{
	for (unsigned i = 0; i < s->depth; i++)
		if (s->stack[i] == k)
			return true;
	return false;
}

/* dst = dst joined with src; true if dst changed */
static bool state_join(struct fnwalk *w, struct state *dst, const struct state *src)
{
	bool changed = false;

	if (src->dead)
		return false;
	if (dst->dead) {
		state_free(dst);
		state_copy(w, dst, src);
		for (unsigned k = 0; k < w->n; k++)
			dst->entered_mapped[k] = src->st[k] == MAPPED;
		return true;
	}
	for (unsigned k = 0; k < w->n; k++) {
		if (dst->st[k] != src->st[k] && dst->st[k] != MAYBE) {
			dst->st[k] = MAYBE;
			changed = true;
		}
		if (src->st[k] == MAPPED && !dst->entered_mapped[k]) {
			dst->entered_mapped[k] = 1;
			changed = true;
		}
	}
	for (unsigned i = 0; i < src->depth; i++) {
		if (!on_stack(dst, src->stack[i])) {
			dst->stack[dst->depth++] = src->stack[i];
			changed = true;
		}
	}
	return changed;
}

static int slot_of_call(struct fnwalk *w, const struct node *call)
{
	for (unsigned k = 0; k < w->n; k++)
		if (w->slot[k].ac->call == call)
			return (int)k;
	return -1;
}

/* Which mapping does this unmap call undo? */
static int slot_of_unmap(struct fnwalk *w, const struct node *call, const struct api *api,
			 const struct state *s)
{
	struct node *arg = call->nkid > 1 ? node_strip(call->kid[1]) : NULL;
	int found = -1;

	if (!arg)
		return -1;
	/* kunmap_local(addr): the variable the address was stored in */
	if (api->arg == ARG_ADDR) {
		bool through;
		struct node *n = arg;

		while (n && n->kind == N_BINARY && n->nkid == 2)
			n = node_strip(n->kid[0]);
		(void)through;
		if (n && n->kind == N_REF) {
			for (unsigned k = 0; k < w->n; k++) {
				struct slot *sl = &w->slot[k];

				if (sl->addr == n->decl || (sl->is_kmap && sl->t.decls.n &&
				    sl->t.decls.v[0] == n->decl))
					found = (int)k;
			}
		}
		return found;
	}
	/* kunmap(addr): the wrong argument (check_kunmap_arg), but this mapping */
	if (arg->kind == N_REF && arg->decl) {
		for (unsigned k = 0; k < w->n; k++) {
			struct slot *sl = &w->slot[k];

			if (sl->is_kmap && sl->t.decls.n && sl->t.decls.v[0] == arg->decl) {
				if (!sl->wrong_arg)
					sl->wrong_arg = call;
				return (int)k;
			}
		}
	}
	/* kunmap(page): the same page expression; prefer one still mapped */
	for (unsigned k = 0; k < w->n; k++) {
		if (!page_matches(&w->slot[k], arg))
			continue;
		if (found < 0 || s->st[k] != UNMAPPED)
			found = (int)k;
	}
	return found;
}

/* The mapping an argument handed to a put helper refers to. */
static int slot_of_arg(struct fnwalk *w, struct node *arg, const struct state *s)
{
	struct node *a = node_strip(arg);
	int found = -1;

	for (unsigned k = 0; k < w->n; k++) {
		struct slot *sl = &w->slot[k];

		if (page_matches(sl, a) && (found < 0 || s->st[k] != UNMAPPED))
			found = (int)k;
		else if (found < 0 && a->kind == N_REF && sl->t.decls.n &&
			 sl->t.decls.v[0] == a->decl)
			found = (int)k;
	}
	return found;
}

/*
 * kunmap(page) where paths that each mapped the page once have joined
 * (if (a) { p = kmap(page); } else { p = kmap(page); } kunmap(page);):
 * every mapping of the page that is only maybe mapped here is the one
 * this path made, so the unmap undoes each of them.
 */
static void unmap_joined(struct fnwalk *w, struct state *s, const struct node *call, int k)
{
	if (s->st[k] != MAYBE || call->nkid < 2)
		return;
	for (unsigned j = 0; j < w->n; j++) {
		if ((int)j == k || s->st[j] != MAYBE || !page_matches(&w->slot[j], call->kid[1]))
			continue;
		if (w->fw.final)
			w->slot[j].matched_unmap = true;
		s->st[j] = UNMAPPED;
		s->entered_mapped[j] = 0;
		stack_remove(s, (int)j);
	}
}

/* What an unmap on a path shows: a second unmap, an out-of-order one. */
static void record_unmap(struct fnwalk *w, struct state *s, const struct node *call, int k)
{
	struct slot *sl = &w->slot[k];

	sl->matched_unmap = true;
	vec_push(&sl->unmap_calls, (void *)call);
	if (s->st[k] == UNMAPPED && !sl->twice)
		sl->twice = call;
	/* LIFO: nothing mapped after it may still be mapped */
	if (sl->candidate || !sl->is_kmap) {
		bool seen = false;

		for (unsigned i = 0; i < s->depth; i++) {
			int j = s->stack[i];

			if (j == k) {
				seen = true;
				continue;
			}
			if (!seen || s->st[j] == UNMAPPED)
				continue;
			if (!(w->slot[j].candidate || !w->slot[j].is_kmap))
				continue;
			/* both mappings take part in the reorder */
			if (!sl->order) {
				sl->order = call;
				sl->order_other = &w->slot[j];
			}
			if (!w->slot[j].order) {
				w->slot[j].order = call;
				w->slot[j].order_other = sl;
			}
		}
	}
}

static void event_unmap(struct fnwalk *w, struct state *s, const struct node *call, int k)
{
	if (w->fw.final)
		record_unmap(w, s, call, k);
	s->st[k] = UNMAPPED;
	s->entered_mapped[k] = 0;
	stack_remove(s, k);
}

/*
 * Is slot @k surely not mapped where @x is NULL?  When @x holds its
 * address (the map returned NULL), or is its page (no page was mapped:
 * if (page) kunmap(page) after a loop that may not have run).
 */
static bool unmapped_if_null(struct fnwalk *w, unsigned k, struct node *x)
{
	struct slot *sl = &w->slot[k];

	if (sl->t.decls.n && sl->t.decls.v[0] == x->decl)
		return sl->is_kmap;
	return page_matches(sl, x);
}

/* The variable a page expression is read from: page, req->page; not pages[i]. */
static struct decl *page_root(struct node *n)
{
	n = node_strip(n);
	while (n && n->kind == N_MEMBER && n->nkid)
		n = node_strip(n->kid[0]);
	return n && n->kind == N_REF ? n->decl : NULL;
}

struct assign_find {
	struct decl *root;
	bool found;
};

static void find_assign(struct node *n, void *data)
{
	struct assign_find *af = data;

	if (((n->kind == N_BINARY && n->nkid == 2 && strchr(n->op, '=') &&
	      strcmp(n->op, "==") && strcmp(n->op, "!=") && strcmp(n->op, "<=") &&
	      strcmp(n->op, ">=")) ||
	     (n->kind == N_UNARY && n->nkid && (strstr(n->op, "++") || strstr(n->op, "--") ||
						!strcmp(n->op, "&") || !strcmp(n->op, "?")))) &&
	    page_root(n->kid[0]) == af->root)
		af->found = true;
}

/*
 * Does a second pass through the call map the same page as the first?
 * When the page comes from a variable nothing in the function changes
 * (goto retry with kmap(page)); not for kmap(pages[i]) in a loop, where
 * each pass maps another page for a later loop to unmap.
 */
static bool maps_same_page(struct fnwalk *w, struct slot *sl)
{
	struct node *call = sl->ac->call;
	struct assign_find af = { call->nkid > 1 ? page_root(call->kid[1]) : NULL, false };

	if (!af.root)
		return false;
	node_walk(w->fn->body, find_assign, &af);
	return !af.found;
}

struct refs_decl {
	const struct decl *d;
	bool found;
};

static void refs_decl(struct node *n, void *data)
{
	struct refs_decl *r = data;

	if (n->kind == N_REF && n->decl == r->d)
		r->found = true;
}

/*
 * @n assigns a variable (i++, page = next): a mapping surely held whose
 * page expression reads that variable (kmap(pages[i])) can no longer be
 * unmapped through its page expression.  Whether that loses it is decided
 * at the end (handle_lost): a loop that maps pages[i] and unmaps pages[i]
 * itself, and goes round on a path that did not (continue), leaks one.
 */
static void page_changed(struct fnwalk *w, struct node *n, const struct state *s)
{
	struct node *target = NULL, *root;
	bool through;

	if (n->kind == N_BINARY && n->nkid == 2 && strchr(n->op, '=') && strcmp(n->op, "==") &&
	    strcmp(n->op, "!=") && strcmp(n->op, "<=") && strcmp(n->op, ">="))
		target = n->kid[0];
	else if (n->kind == N_UNARY && n->nkid && (strstr(n->op, "++") || strstr(n->op, "--")))
		target = n->kid[0];
	root = target ? lvalue_root(target, &through) : NULL;
	if (!root || root->kind != N_REF || !root->decl)
		return;
	for (unsigned k = 0; k < w->n; k++) {
		struct slot *sl = &w->slot[k];
		struct node *call = sl->ac->call;
		struct refs_decl r = { root->decl, false };

		if (!sl->is_kmap || sl->lost || call->nkid < 2 ||
		    (s->st[k] != MAPPED && !s->entered_mapped[k]))
			continue;
		node_walk(call->kid[1], refs_decl, &r);
		if (r.found)
			sl->lost = n;
	}
}

static bool inside(const struct node *n, const struct node *outer)
{
	for (; n; n = n->parent)
		if (n == outer)
			return true;
	return false;
}

/* The change of page_changed() lost the mapping: see there. */
static bool handle_lost(const struct slot *sl)
{
	const struct node *loop = sl->ac->call->parent;

	if (!sl->lost)
		return false;
	while (loop && loop->kind != N_FOR && loop->kind != N_WHILE && loop->kind != N_DO)
		loop = loop->parent;
	if (!loop || !inside(sl->lost, loop))
		return false;
	for (size_t i = 0; i < sl->unmap_calls.n; i++)
		if (inside(sl->unmap_calls.v[i], loop))
			return true;
	return false;
}

/* What evaluating @n does to the mappings; its operands came before. */
static void node_event(struct fnwalk *w, struct node *n, struct state *s)
{
	int k;

	if (w->fw.final && !s->dead && n->kind != N_CALL)
		page_changed(w, n, s);

	if (n->kind != N_CALL || s->dead)
		return;
	k = slot_of_call(w, n);
	if (k >= 0) {
		/* back at the call (a loop, goto retry) with its mapping still held */
		struct slot *sl = &w->slot[k];

		if (w->fw.final && sl->is_kmap && s->st[k] != UNMAPPED && !sl->remap_sure &&
		    maps_same_page(w, sl)) {
			sl->remap = n;
			sl->remap_sure = s->st[k] == MAPPED || s->entered_mapped[k];
		}
		s->st[k] = MAPPED;
		stack_remove(s, k);
		s->stack[s->depth++] = k;
		return;
	}
	if (n->name) {
		const struct api *api = rules_api(w->ctx->rules, n->name);
		struct func *fn = api ? NULL : tu_func(w->ctx->tu, n->name);

		if (api && api->role == API_UNMAP) {
			k = slot_of_unmap(w, n, api, s);
			if (k >= 0 && api->arg == ARG_PAGE)
				unmap_joined(w, s, n, k);
			if (k >= 0)
				event_unmap(w, s, n, k);
		} else if (fn && fn->body) {
			/* a helper in this file that unmaps its argument: a put helper */
			for (unsigned a = 1; a < n->nkid; a++) {
				const struct fate_summary *ps;

				ps = summarise_param(w->ctx, fn, (int)a - 1);
				if (!ps->unmaps)
					continue;
				k = slot_of_arg(w, n->kid[a], s);
				if (k >= 0)
					event_unmap(w, s, n, k);
			}
		}
	}
}

static void at_exit(struct fnwalk *w, struct state *s, const struct node *where)
{
	if (s->dead)
		return;
	for (unsigned k = 0; k < w->n; k++) {
		struct slot *sl = &w->slot[k];

		if (w->fw.final && sl->is_kmap && !sl->leak &&
		    (s->st[k] == MAPPED || s->entered_mapped[k]) &&
		    !sl->t.returns.n && !sl->page_returned)
			sl->leak = where;
	}
}

/* The dataflow (dataflow.h) over struct state. */
static void flow_init(struct flow_walk *fw, void *s)
{
	state_init(fw->data, s);
}

static void flow_copy(struct flow_walk *fw, void *dst, const void *src)
{
	state_copy(fw->data, dst, src);
}

static bool flow_join(struct flow_walk *fw, void *dst, const void *src)
{
	return state_join(fw->data, dst, src);
}

static void flow_free(void *s)
{
	state_free(s);
}

static void flow_event(struct flow_walk *fw, struct node *n, void *s)
{
	node_event(fw->data, n, s);
}

/* if (!addr), or the else of if (page): there is nothing to unmap */
static void flow_branch(struct flow_walk *fw, struct node *cond, void *then_s, void *else_s)
{
	struct fnwalk *w = fw->data;
	bool null_if_true;
	struct node *x = node_null_tested(cond, &null_if_true);
	struct state *s = null_if_true ? then_s : else_s;

	for (unsigned k = 0; x && !s->dead && k < w->n; k++) {
		if (!unmapped_if_null(w, k, x))
			continue;
		s->st[k] = UNMAPPED;
		s->entered_mapped[k] = 0;
		stack_remove(s, (int)k);
	}
}

static void flow_exit(struct flow_walk *fw, void *s, const struct node *where)
{
	at_exit(fw->data, s, where);
}

static const struct flow_ops kmap_flow = {
	sizeof(struct state), flow_init, flow_copy, flow_join, flow_free,
	flow_event, flow_branch, flow_exit,
};

static void find_dir(struct node *n, void *data)
{
	int *dir = data;

	if (n->kind == N_UNARY && (strstr(n->op, "++")))
		*dir = *dir == 0 || *dir == 1 ? 1 : 2;
	else if (n->kind == N_UNARY && strstr(n->op, "--"))
		*dir = *dir == 0 || *dir == -1 ? -1 : 2;
	else if (n->kind == N_BINARY && !strcmp(n->op, "+="))
		*dir = *dir == 0 || *dir == 1 ? 1 : 2;
	else if (n->kind == N_BINARY && !strcmp(n->op, "-="))
		*dir = *dir == 0 || *dir == -1 ? -1 : 2;
}

/* Does @loop count up (1) or down (-1), or neither clearly (0)? */
static int loop_direction(struct node *loop)
{
	int dir = 0;

	if (loop->kind != N_FOR)
		return 0;
	for (unsigned i = 0; i + 1 < loop->nkid; i++)
		node_walk(loop->kid[i], find_dir, &dir);
	return dir == 2 ? 0 : dir;
}

struct unmap_find {
	struct fnwalk *w;
	struct slot *sl;
	struct node *found;
};

static void find_kunmap(struct node *n, void *data)
{
	struct unmap_find *uf = data;
	const struct api *api;

	if (uf->found || n->kind != N_CALL || !n->name || n->nkid < 2)
		return;
	api = rules_api(uf->w->ctx->rules, n->name);
	if (!api || api->role != API_UNMAP || api->arg != ARG_PAGE)
		return;
	if (page_matches(uf->sl, n->kid[1]))
		uf->found = n;
}

/* A FIFO loop pair: map in one loop, unmap in a later one in the same order. */
static void fifo_loops(struct fnwalk *w, struct slot *sl)
{
	struct node *ml = node_loop(sl->ac->call), *ul;
	struct unmap_find uf = { w, sl, NULL };
	int dm, du;

	if (!ml)
		return;
	node_walk(w->fn->body, find_kunmap, &uf);
	if (!uf.found)
		return;
	ul = node_loop(uf.found);
	if (!ul || node_inside(uf.found, ml) || node_inside(sl->ac->call, ul))
		return;
	dm = loop_direction(ml);
	du = loop_direction(ul);
	if (dm && dm == du && !sl->order) {
		sl->order = uf.found;
		sl->order_other = sl;
	}
}

/* kmap(page); with the result unused: follow page_address(page) instead. */
static bool discarded(const struct node *call)
{
	struct node *c, *p = call->parent;

	c = (struct node *)call;
	while (p && (p->kind == N_PAREN || p->kind == N_CAST)) {
		c = p;
		p = p->parent;
	}
	(void)c;
	return !p || p->kind == N_COMPOUND || p->kind == N_LABEL || p->kind == N_CASE ||
	       p->kind == N_DEFAULT || (p->kind == N_IF && p->nkid > 1 && p->kid[0] != c) ||
	       ((p->kind == N_FOR || p->kind == N_WHILE || p->kind == N_DO) && c == p->kid[p->nkid - 1]);
}

/* Uses of the page variable of a discarded-return kmap(page). */
struct page_use {
	struct fnwalk *w;
	struct slot *sl;
	struct decl *page;
};

static void page_uses(struct node *n, void *data)
{
	struct page_use *pu = data;
	struct node *c, *p;
	const char *name;

	if (n->kind != N_REF || n->decl != pu->page)
		return;
	for (c = n, p = n->parent; p && (p->kind == N_PAREN || p->kind == N_CAST); p = p->parent)
		c = p;
	if (!p)
		return;
	if (p->kind == N_RETURN) {
		pu->sl->page_returned = true;
		return;
	}
	if (p->kind == N_BINARY && !strcmp(p->op, "=") && p->nkid == 2 && c == p->kid[1]) {
		bool through = false;
		struct node *l = node_strip(p->kid[0]);

		if (l->kind == N_UNARY && !strcmp(l->op, "*") && l->nkid &&
		    node_strip(l->kid[0])->kind == N_REF &&
		    node_strip(l->kid[0])->decl->kind == D_PARAM) {
			pu->sl->page_returned = true;
			return;
		}
		(void)through;
		return;
	}
	if (p->kind != N_CALL || c == p->kid[0])
		return;
	name = node_callee(p);
	if (!name) {
		if (!pu->sl->page_escape) {
			pu->sl->page_escape = p;
			pu->sl->page_why = xasprintf("the page is passed to an indirect call "
						     "(line %u), which may use page_address() on it",
						     p->line);
		}
		return;
	}
	if (rules_is_page_address(pu->w->ctx->rules, name) || rules_api(pu->w->ctx->rules, name))
		return;
	{
		struct func *fn = tu_func(pu->w->ctx->tu, name);
		int i = -1;

		for (unsigned a = 1; a < p->nkid; a++)
			if (p->kid[a] == c)
				i = (int)a - 1;
		if (fn && fn->body) {
			const struct fate_summary *s = summarise_param(pu->w->ctx, fn, i);

			if (s->page_address && !pu->sl->page_escape) {
				pu->sl->page_escape = p;
				pu->sl->page_why = xasprintf("the page is passed to %s() (line %u), "
							     "which calls page_address() on it; a "
							     "kmap_local_page() mapping is not visible "
							     "there", name, p->line);
			}
			return;
		}
		{
			const struct ext_summary *e = ext_lookup(pu->w->ctx->ext, name, i);

			want_callee(pu->w->ctx, name);
			if (e && !e->sum.page_address)
				return;
		}
		if (!rules_callee(pu->w->ctx->rules, name, i) && !pu->sl->page_escape) {
			pu->sl->page_escape = p;
			pu->sl->page_why = xasprintf("the page is passed to %s() (line %u), which may "
						     "use page_address() on it; a kmap_local_page() "
						     "mapping is not visible there", name, p->line);
		}
	}
}

static void analyse_slot(struct fnwalk *w, struct slot *sl)
{
	struct node *call = sl->ac->call, *arg;

	sl->page = call_page(sl->ac);
	arg = sl->page ? sl->page->expr : NULL;
	track_init(&sl->t, w->ctx, w->fn);
	if (!sl->is_kmap) {
		/* an existing local map: remember the variable for kunmap_local() */
		struct node *p = call->parent;

		while (p && (p->kind == N_PAREN || p->kind == N_CAST))
			p = p->parent;
		if (p && p->kind == N_VAR)
			sl->addr = p->decl;
		else if (p && p->kind == N_BINARY && !strcmp(p->op, "=") && p->nkid == 2 &&
			 node_strip(p->kid[0])->kind == N_REF)
			sl->addr = node_strip(p->kid[0])->decl;
		return;
	}
	sl->discarded = discarded(call);
	if (sl->discarded) {
		sl->t.page_text = arg ? xstrdup(sl->page->text) : NULL;
		if (arg && arg->kind == N_REF && arg->decl &&
		    (arg->decl->kind == D_LOCAL || arg->decl->kind == D_PARAM)) {
			struct page_use pu = { w, sl, arg->decl };

			node_walk(w->fn->body, page_uses, &pu);
		}
	} else {
		track_value(&sl->t, call);
	}
	track_run(&sl->t);
	if (sl->t.decls.n)
		sl->addr = sl->t.decls.v[0];
}

/* The message's remark only: rules/dax-paths.tbl, no class depends on it. */
static const char *dax_note(const struct rules *rs, const char *file)
{
	for (size_t i = 0; i < rs->dax_paths.n; i++)
		if (str_starts(file, rs->dax_paths.v[i]))
			return "; this file is on a DAX-capable path, so this global mapping "
			       "is incompatible with PKS protection of devmap (PMEM) pages";
	return "; a global mapping is incompatible with PKS protection of devmap pages";
}

static void classify(struct fnwalk *w, struct slot *sl)
{
	struct site *s = sl->ac->site;
	struct track *t = &sl->t;
	struct ctx *ctx = w->ctx;
	struct node *call = sl->ac->call;

	if (ctx->tu->errors) {
		site_set(s, CLASS_UNKNOWN, "the translation unit has parse errors (%s)",
			 ctx->tu->first_error);
		return;
	}
	if (t->sum.fate == FATE_ESCAPES) {
		site_set(s, CLASS_GLOBAL, "the address is %s", t->sum.why);
		vec_push(&s->evidence, evidence_new(s->file, t->where->line, t->sum.why));
		return;
	}
	if (sl->page_escape && sl->matched_unmap) {
		site_set(s, CLASS_UNKNOWN, "%s", sl->page_why);
		vec_push(&s->evidence, evidence_new(s->file, sl->page_escape->line, sl->page_why));
		return;
	}
	if (t->sum.fate == FATE_UNKNOWN) {
		site_set(s, CLASS_UNKNOWN, "the address is %s", t->sum.why);
		vec_push(&s->evidence, evidence_new(s->file, t->where->line, t->sum.why));
		return;
	}
	if (t->returns.n || sl->page_returned) {
		/* decided per caller in the translation-unit pass */
		site_set(s, CLASS_PENDING, "returned");
		return;
	}
	if (!sl->matched_unmap) {
		site_set(s, CLASS_GLOBAL, "not unmapped in %s(): the mapping outlives the call",
			 w->fn->name);
		return;
	}
	if (sl->wrong_arg) {
		site_set(s, CLASS_UNKNOWN, "unmapped with kunmap() of the address at line %u "
			 "(kunmap-wrong-arg): fix the argument first", sl->wrong_arg->line);
		return;
	}
	if (sl->twice) {
		site_set(s, CLASS_UNKNOWN, "unmapped twice on a path (line %u)", sl->twice->line);
		vec_push(&s->evidence, evidence_new(s->file, sl->twice->line,
						    "second kunmap() of the page"));
		return;
	}
	if (handle_lost(sl)) {
		site_set(s, CLASS_UNKNOWN, "the loop unmaps this page itself, but a path goes round "
			 "with this iteration's mapping still held (a continue, or a branch that "
			 "skips the unmap) and line %u changes which page the expression names: "
			 "that mapping is never unmapped", sl->lost->line);
		vec_push(&s->evidence, evidence_new(s->file, sl->lost->line,
						    "the page expression changes, still mapped"));
		return;
	}
	if (sl->remap) {
		site_set(s, CLASS_UNKNOWN, "%s reached again with its earlier mapping still held: a "
			 "goto or loop leads back to line %u without unmapping on %s path",
			 sl->remap_sure ? "is" : "may be", sl->remap->line,
			 sl->remap_sure ? "a" : "some");
		vec_push(&s->evidence, evidence_new(s->file, sl->remap->line,
						    "mapped again, the earlier mapping still held"));
		return;
	}
	if (sl->leak) {
		site_set(s, CLASS_UNKNOWN, "not unmapped on every path: line %u returns with it "
			 "mapped", sl->leak->line);
		vec_push(&s->evidence, evidence_new(s->file, sl->leak->line,
						    "returns with the page still mapped"));
		return;
	}
	if (sl->order) {
		const struct slot *o = sl->order_other;

		if (o == sl)
			site_set(s, CLASS_LOCAL_REORDER, "thread-local; the loop at line %u unmaps the "
				 "pages in the order they were mapped: unmap in reverse order",
				 sl->order->line);
		else if (o->ac->call->line > sl->ac->call->line)
			site_set(s, CLASS_LOCAL_REORDER, "thread-local; unmapped at line %u while the "
				 "mapping made later at line %u is still mapped: unmap in reverse "
				 "order of mapping", sl->order->line, o->ac->call->line);
		else
			site_set(s, CLASS_LOCAL_REORDER, "thread-local; still mapped when the earlier "
				 "mapping made at line %u is unmapped at line %u: unmap in reverse "
				 "order of mapping", o->ac->call->line, sl->order->line);
		vec_push(&s->evidence, evidence_new(s->file, sl->order->line,
						    "unmap out of LIFO order"));
		return;
	}
	if (t->sum.note) {
		site_set(s, CLASS_LOCAL, "the address stays in %s() and is unmapped there on every "
			 "path; it is %s", w->fn->name, t->sum.note);
		vec_push(&s->evidence, evidence_new(s->file, t->note_at->line, t->sum.note));
		return;
	}
	site_set(s, CLASS_LOCAL, "the address stays in %s() and is unmapped there on every path",
		 w->fn->name);
	(void)call;
}

static void report_site(struct ctx *ctx, struct fnwalk *w, struct slot *sl)
{
	struct site *s = sl->ac->site;
	struct finding *f;

	if (sl->twice)
		report_finding(ctx, "kmap-unbalanced", w->fn, sl->twice,
			       "kunmap() of a page mapped at line %u that is already unmapped "
			       "on this path", s->line);
	if (sl->remap_sure)
		report_finding(ctx, "kmap-unbalanced", w->fn, sl->remap,
			       "kmap() reached again with the page it mapped before still "
			       "mapped: that mapping is never unmapped");
	if (sl->leak)
		report_finding(ctx, "kmap-unbalanced", w->fn, sl->leak,
			       "returns with the page mapped at line %u still mapped", s->line);
	if (s->klass == CLASS_GLOBAL) {
		f = report_finding(ctx, "kmap-global", w->fn, sl->ac->call,
				   "kmap() cannot become kmap_local_page(): %s%s", s->reason,
				   dax_note(ctx->rules, s->file));
		for (size_t i = 0; i < s->evidence.n; i++) {
			const struct evidence *e = s->evidence.v[i];

			vec_push(&f->evidence, evidence_new(e->file, e->line, e->note));
		}
	} else if (class_convertible(s->klass)) {
		report_finding(ctx, "kmap-convertible", w->fn, sl->ac->call,
			       "kmap() can become kmap_local_page() (%s): %s", class_name(s->klass),
			       s->reason);
	}
}

/*
 * Per translation unit (one per worker process): the slots whose class
 * depends on the callers, and the function walks they point into.
 */
struct pending {
	struct fnwalk *w;
	struct slot *sl;
};
static struct vec pending, walks;

static void check_function(struct ctx *ctx, struct func *fn)
{
	struct fnwalk *w = xcalloc(1, sizeof(*w));
	struct state s;
	unsigned n = 0;

	for (size_t i = 0; i < ctx->calls.n; i++) {
		struct api_call *ac = ctx->calls.v[i];

		if (ac->fn == fn && ac->api->role == API_MAP)
			n++;
	}
	if (!n) {
		free(w);
		return;
	}
	w->ctx = ctx;
	w->fn = fn;
	w->slot = xcalloc(n, sizeof(*w->slot));
	for (size_t i = 0; i < ctx->calls.n; i++) {
		struct api_call *ac = ctx->calls.v[i];

		if (ac->fn != fn || ac->api->role != API_MAP)
			continue;
		w->slot[w->n].ac = ac;
		w->slot[w->n].is_kmap = ac->api->scope == SCOPE_GLOBAL;
		analyse_slot(w, &w->slot[w->n]);
		w->n++;
	}
	for (unsigned k = 0; k < w->n; k++) {
		struct slot *sl = &w->slot[k];

		sl->candidate = sl->is_kmap && sl->t.sum.fate <= FATE_RETURNED && !sl->page_escape;
	}
	w->fw.ops = &kmap_flow;
	w->fw.data = w;
	state_init(w, &s);
	flow_solve(&w->fw, fn->body, &s);
	state_free(&s);
	for (unsigned k = 0; k < w->n; k++) {
		struct slot *sl = &w->slot[k];

		if (!sl->is_kmap)
			continue;
		if (sl->candidate)
			fifo_loops(w, sl);
		classify(w, sl);
		if (sl->ac->site->klass == CLASS_PENDING) {
			struct pending *p = xcalloc(1, sizeof(*p));

			p->w = w;
			p->sl = sl;
			vec_push(&pending, p);
		} else {
			report_site(ctx, w, sl);
		}
	}
	vec_push(&walks, w);
}

/*
 * A static helper returns the mapped address or page: it is
 * cross-function when every caller in the file unmaps it in the calling
 * function (through an unmap API or a helper that does), and the value
 * goes nowhere else there.
 */
static bool caller_pairs(struct ctx *ctx, struct slot *sl, struct node *call,
			 struct func *caller, char **why, unsigned *unmap_line,
			 const char **unmap_by)
{
	struct track t;
	bool ok;

	track_init(&t, ctx, caller);
	if (sl->page_returned) {
		/* the page comes back: follow page_address() of the variable */
		struct node *p = call->parent;

		while (p && (p->kind == N_PAREN || p->kind == N_CAST))
			p = p->parent;
		if (p && p->kind == N_VAR)
			track_decl(&t, p->decl);
		else if (p && p->kind == N_BINARY && !strcmp(p->op, "=") && p->nkid == 2)
			track_decl(&t, node_strip(p->kid[0])->decl);
		/* out-parameter: F(..., &page) */
		for (unsigned a = 1; a < call->nkid; a++) {
			struct node *x = node_strip(call->kid[a]);

			if (x->kind == N_UNARY && !strcmp(x->op, "&") && x->nkid &&
			    node_strip(x->kid[0])->kind == N_REF)
				track_decl(&t, node_strip(x->kid[0])->decl);
		}
		if (t.decls.n && t.decls.v[0]) {
			t.page_text = xstrdup(((struct decl *)t.decls.v[0])->name);
		}
	} else {
		track_value(&t, call);
	}
	track_run(&t);
	ok = t.sum.fate <= FATE_OK && t.unmaps.n > 0;
	if (!ok) {
		if (t.sum.fate > FATE_OK)
			*why = xasprintf("in %s() it is %s", caller->name, t.sum.why);
		else
			*why = xasprintf("%s() does not unmap it", caller->name);
	} else {
		struct node *u = t.unmaps.v[0];

		*unmap_line = u->line;
		*unmap_by = u->name;
	}
	track_free(&t);
	return ok;
}

static void cross_function(struct ctx *ctx, struct fnwalk *w, struct slot *sl)
{
	struct site *s = sl->ac->site;
	struct func *fn = w->fn;
	char *why = NULL;

	if (!fn->is_static) {
		site_set(s, CLASS_GLOBAL, "returned from %s(), which is not static: callers "
			 "outside this file may keep it", fn->name);
	} else if (fn->address_taken) {
		site_set(s, CLASS_GLOBAL, "returned from %s(), which is also used through a "
			 "function pointer", fn->name);
	} else if (!fn->callers.n) {
		site_set(s, CLASS_GLOBAL, "returned from %s(), which has no callers in this file",
			 fn->name);
	} else {
		struct vec ev = { 0 };
		bool ok = true;

		for (size_t i = 0; i < fn->callers.n && ok; i++) {
			struct node *call = fn->callers.v[i];
			struct func *caller = NULL;
			unsigned line = 0;
			const char *by = NULL;

			caller = tu_func_of(ctx->tu, call);
			if (!caller) {
				why = xasprintf("a caller of %s() could not be found", fn->name);
				ok = false;
			} else if (!caller_pairs(ctx, sl, call, caller, &why, &line, &by)) {
				ok = false;
			} else {
				char *note = xasprintf("%s() calls %s() at line %u and unmaps through "
						       "%s() at line %u", caller->name, fn->name,
						       call->line, by ? by : "?", line);

				vec_push(&ev, evidence_new(tu_file(ctx->tu, call->file), line, note));
				free(note);
			}
		}
		if (ok) {
			site_set(s, CLASS_CROSS_FUNCTION, "%s() returns the mapped %s and every caller "
				 "in this file unmaps it in the same function", fn->name,
				 sl->page_returned ? "page" : "address");
			for (size_t i = 0; i < ev.n; i++)
				vec_push(&s->evidence, ev.v[i]);
			vec_free(&ev, NULL);
		} else {
			site_set(s, CLASS_GLOBAL, "returned from %s(); %s", fn->name, why);
			vec_free(&ev, evidence_free);
		}
		free(why);
	}
	report_site(ctx, w, sl);
}

static void free_fnwalk(struct fnwalk *w)
{
	for (unsigned k = 0; k < w->n; k++) {
		track_free(&w->slot[k].t);
		free(w->slot[k].page_why);
		vec_free(&w->slot[k].unmap_calls, NULL);
	}
	free(w->slot);
	free(w);
}

static void check_tu(struct ctx *ctx)
{
	for (size_t i = 0; i < pending.n; i++) {
		struct pending *p = pending.v[i];

		cross_function(ctx, p->w, p->sl);
	}
	vec_free(&pending, free);
	for (size_t i = 0; i < walks.n; i++)
		free_fnwalk(walks.v[i]);
	vec_free(&walks, NULL);
	summaries_free(ctx);
}

void check_kmap(struct registry *r)
{
	add_func_hook(r, check_function);
	add_tu_hook(r, check_tu);
}
