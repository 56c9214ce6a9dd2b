// SPDX-License-Identifier: GPL-2.0
/*
 * check_follow_pfn.c: PFNs and PTEs looked up from the page tables are
 * only stable under the page-table lock (mm/memory.c kerneldoc).  Reports
 * follow-pfn-call, pfn-escapes-lock, ptep-after-unlock, follow-unbalanced,
 * follow-no-pfnmap-check, follow-write-ignored and pfnmap-page-ref, for the
 * 6.1 API (follow_pte(mm, addr, &ptep, &ptl) + pte_unmap_unlock(),
 * follow_pfn(), follow_phys()) and the 6.12 one (struct follow_pfnmap_args
 * + follow_pfnmap_start()/follow_pfnmap_end()).
 *
 * Which API a call is comes from the call as the tree declares it: a
 * follow_pte() whose first argument is a struct mm_struct * does not test
 * VM_IO|VM_PFNMAP itself; a follow_phys() defined in the file being
 * checked is that file's helper, not the mm/ function.
 *
 * The values of a lookup (anything computed from *ptep, ptep_get(ptep),
 * args.pfn/pgprot/writable/special) are followed through local variables
 * (flow-insensitively, as flow.c does); a dataflow over the function's
 * control-flow graph (dataflow.h) tells, for each lookup, whether the lock
 * may be released at each use.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dataflow.h"
#include "pfn.h"
#include "walk.h"

enum lk_kind {
	LK_PTE,			/* 6.1 follow_pte(): ptep + ptl */
	LK_PFNMAP,		/* 6.12 follow_pfnmap_start(&args) */
	LK_DROPPED,		/* follow_pfn()/follow_phys(): the lock is already gone */
};

/* Path state of one lookup: a set of possibilities. */
enum { ST_NONE = 1, ST_LOCKED = 2, ST_ENDED = 4, ST_FAILED = 8 };

struct lookup {
	const struct ctx *ctx;
	enum lk_kind kind;
	const char *api;		/* follow_pte, follow_pfnmap_start, follow_pfn ... */
	const char *end_api;		/* pte_unmap_unlock, follow_pfnmap_end */
	struct decl *ptep, *ptl;	/* LK_PTE */
	struct decl *args;		/* LK_PFNMAP */
	struct vec outs;		/* LK_DROPPED: variables the results go to */
	struct vec starts;		/* struct node *: the lookup calls */
	struct node *first_end;		/* first release in source order */
	struct vec ends;		/* struct node *: every release */
	struct vec taint;		/* struct decl *: locals holding a value of the entry */
	struct decl *resvar;		/* holds the result of the last start */
	bool flags_checked_inside;	/* the API tests VM_IO|VM_PFNMAP itself */
	/* results of the path walk */
	const struct node *leak, *failed_end, *twice;
};

/* A use of a looked-up value the rules care about. */
enum use_kind { U_STORE, U_RETURN, U_CALL, U_PAGE, U_DEREF };
struct use {
	struct lookup *lk;
	enum use_kind kind;
	const struct node *where;	/* the store, return, call or pfn_to_page */
	char *what;			/* words for the message */
	bool writes;			/* feeds a write or a writable mapping */
	bool after_end;			/* reached on some path with the lock released */
	const struct node *end;		/* ... released there */
};

struct fstate {
	bool dead;
	unsigned char *st;
	const struct node **end;
};

struct fwalk {
	struct ctx *ctx;
	struct func *fn;
	struct lookup **lk;
	unsigned n;
	struct vec uses;		/* struct use * */
	struct flow_walk fw;
};

static const char *const pfnmap_outputs[] = { "pfn", "pgprot", "writable", "special", NULL };

static bool in_list(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

static bool has_decl(const struct vec *v, const struct decl *d)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i] == d)
			return true;
	return false;
}

static struct decl *ref_decl(struct node *n)
{
	n = node_strip(n);
	return n && n->kind == N_REF ? n->decl : NULL;
}

/* &var as an argument: var */
static struct decl *addr_of(struct node *n)
{
	n = node_strip(n);
	if (n && n->kind == N_UNARY && !strcmp(n->op, "&") && n->nkid)
		return ref_decl(n->kid[0]);
	return NULL;
}

static struct node *arg(const struct node *call, unsigned i)
{
	return call->nkid > i + 1 ? call->kid[i + 1] : NULL;
}

/* ------------------------------------------------------------------ */
/* Finding the lookups of a function */

static struct lookup *lookup_for(struct fwalk *w, enum lk_kind kind, struct decl *key)
{
	struct lookup *lk;

	for (unsigned i = 0; key && i < w->n; i++) {
		lk = w->lk[i];
		if (lk->kind == kind && (lk->ptl == key || lk->args == key))
			return lk;
	}
	lk = xcalloc(1, sizeof(*lk));
	lk->ctx = w->ctx;
	lk->kind = kind;
	w->lk = xrealloc(w->lk, (w->n + 1) * sizeof(*w->lk));
	w->lk[w->n++] = lk;
	return lk;
}

static void find_lookups(struct fwalk *w)
{
	struct ctx *ctx = w->ctx;

	for (size_t i = 0; i < ctx->calls.n; i++) {
		struct api_call *ac = ctx->calls.v[i];
		const char *name = ac->api->name;
		struct node *call = ac->call;
		struct lookup *lk;

		if (ac->fn != w->fn || ac->api->role != API_FOLLOW)
			continue;
		if (tu_func(ctx->tu, name))
			continue;	/* the file's own helper of that name */
		if (!strcmp(name, "follow_pte")) {
			struct decl *ptep = addr_of(arg(call, 2)), *ptl = addr_of(arg(call, 3));
			struct node *a0 = arg(call, 0);

			if (!ptep || !ptl)
				continue;
			lk = lookup_for(w, LK_PTE, ptl);
			lk->ptep = ptep;
			lk->ptl = ptl;
			lk->end_api = "pte_unmap_unlock";
			/* 6.1 takes the mm and does not test the vma; later ones take the vma */
			lk->flags_checked_inside = !(a0 && a0->type &&
						     strstr(a0->type, "struct mm_struct"));
		} else if (!strcmp(name, "follow_pfnmap_start")) {
			struct node *a = arg(call, 0);
			struct decl *args = addr_of(a);

			if (!args)
				args = ref_decl(a);
			if (!args)
				continue;
			lk = lookup_for(w, LK_PFNMAP, args);
			lk->args = args;
			lk->end_api = "follow_pfnmap_end";
			lk->flags_checked_inside = true;
		} else if (!strcmp(name, "follow_pfn") || !strcmp(name, "unsafe_follow_pfn") ||
			   !strcmp(name, "follow_phys")) {
			lk = lookup_for(w, LK_DROPPED, NULL);
			for (unsigned a = 2; a < call->nkid - 1u; a++) {
				struct decl *d = addr_of(arg(call, a));

				if (d)
					vec_push(&lk->outs, d);
				else if ((d = ref_decl(arg(call, a))) && d->kind == D_PARAM &&
					 d->is_pointer)
					vec_push(&lk->outs, d);
			}
			lk->flags_checked_inside = true;
		} else {
			continue;
		}
		lk->api = ac->api->shown;
		vec_push(&lk->starts, call);
	}
}

static bool is_start_of(const struct lookup *lk, const struct node *n)
{
	for (size_t i = 0; i < lk->starts.n; i++)
		if (lk->starts.v[i] == n)
			return true;
	return false;
}

/* Does call @n release lookup @lk?  pte_unmap_unlock() expands to spin_unlock(ptl). */
static bool is_end_of(const struct lookup *lk, const struct node *n)
{
	const char *c = node_callee(n);

	if (!c)
		return false;
	if (lk->kind == LK_PTE)
		return (!strcmp(c, "spin_unlock") || !strcmp(c, "pte_unmap_unlock")) &&
		       n->nkid > 1 && ref_decl(n->kid[n->nkid - 1]) == lk->ptl;
	if (lk->kind == LK_PFNMAP)
		return !strcmp(c, "follow_pfnmap_end") &&
		       (addr_of(arg(n, 0)) == lk->args || ref_decl(arg(n, 0)) == lk->args);
	return false;
}

/* Inside the lookup call itself or its release: not a use. */
static bool in_api_call(const struct lookup *lk, const struct node *n)
{
	for (const struct node *p = n->parent; p; p = p->parent) {
		if (p->kind == N_CALL && (is_start_of(lk, p) || is_end_of(lk, p) ||
					  node_is_call_to(p, "pte_unmap")))
			return true;
		/* pte_unmap(ptep) of pte_unmap_unlock() is a macro on some configurations */
		if (p->kind != N_CALL && p->kind != N_REF &&
		    (word_is(lk->ctx, p, "pte_unmap_unlock") || word_is(lk->ctx, p, "pte_unmap")))
			return true;
	}
	return false;
}

/* Is @n itself a value read from the entry of @lk (not through a variable)? */
static bool is_source(const struct lookup *lk, const struct node *n)
{
	if (lk->kind == LK_PTE && n->kind == N_REF && n->decl == lk->ptep) {
		const struct node *p = n->parent;

		while (p && p->kind == N_PAREN)
			p = p->parent;
		if (p && p->kind == N_UNARY && !strcmp(p->op, "&"))
			return false;
		return !in_api_call(lk, n);
	}
	if (lk->kind == LK_PFNMAP && n->kind == N_MEMBER && in_list(n->name, pfnmap_outputs) &&
	    n->nkid && ref_decl(n->kid[0]) == lk->args)
		return true;
	if (lk->kind == LK_DROPPED && n->kind == N_REF && has_decl(&lk->outs, n->decl)) {
		const struct node *p = n->parent;

		while (p && p->kind == N_PAREN)
			p = p->parent;
		if (p && p->kind == N_UNARY && !strcmp(p->op, "&"))
			return false;
		return !in_api_call(lk, n) && !is_start_of(lk, p);
	}
	return false;
}

static bool is_value(const struct lookup *lk, const struct node *n)
{
	return is_source(lk, n) ||
	       (n->kind == N_REF && n->decl && has_decl(&lk->taint, n->decl) && !in_api_call(lk, n));
}

struct contains {
	const struct lookup *lk;
	bool found;
};

/* A value of the entry in @n, not counting conditions (test ? 0 : -EPERM). */
static bool contains_value(const struct lookup *lk, struct node *n)
{
	if (!n || n->kind == N_SIZEOF)
		return false;
	if (is_value(lk, n))
		return true;
	if (n->kind == N_CALL) {
		/* f(pfn) is the value only when f returns it (pte_pfn(), ptep_get()) */
		const char *c = node_callee(n);

		for (unsigned i = 1; c && i < n->nkid; i++) {
			const struct callee *ce = rules_callee(lk->ctx->rules, c, (int)i - 1);

			if (ce && ce->use == USE_RETURNS && contains_value(lk, n->kid[i]))
				return true;
		}
		return false;
	}
	for (unsigned i = n->kind == N_COND ? 1 : 0; i < n->nkid; i++)
		if (contains_value(lk, n->kid[i]))
			return true;
	return false;
}

/*
 * An assignment (=, +=, |= ...).  Inside macro arguments the parser gives
 * no operator ("?"): read it from the main file between the operands, and
 * take a "?" that cannot be read as not an assignment (macro bodies such as
 * PFN_PHYS() compute, they do not assign).
 */
static bool is_assign(const struct ctx *ctx, const struct node *n)
{
	const char *op = n->op, *t = ctx->tu->main_text;
	char buf[4] = "";

	if (n->kind != N_BINARY || n->nkid != 2)
		return false;
	if (!strcmp(op, "?")) {
		const struct node *a = n->kid[0], *b = n->kid[1];
		unsigned i = 0;

		if (a->file || b->file || !t || a->end >= b->begin || b->begin - a->end > 8 ||
		    b->begin > ctx->tu->main_len)
			return false;
		for (unsigned o = a->end; o < b->begin && i < 3; o++)
			if (strchr("=+-*/%&|^<>!", t[o]))
				buf[i++] = t[o];
		buf[i] = 0;
		op = buf;
	}
	return !strcmp(op, "=") || (strlen(op) >= 2 && op[strlen(op) - 1] == '=' &&
		strcmp(op, "==") && strcmp(op, "!=") && strcmp(op, "<=") && strcmp(op, ">="));
}

struct taint_pass {
	struct lookup *lk;
	bool changed;
};

static void taint_step(struct node *n, void *data)
{
	struct taint_pass *t = data;
	struct decl *d = NULL;
	struct node *rhs = NULL;

	if (n->kind == N_VAR && n->nkid) {
		d = n->decl;
		rhs = n->kid[0];
	} else if (is_assign(t->lk->ctx, n)) {
		d = ref_decl(n->kid[0]);
		rhs = n->kid[1];
	}
	if (!d || d->kind != D_LOCAL || has_decl(&t->lk->taint, d) || d == t->lk->ptep ||
	    d == t->lk->args)
		return;
	if (contains_value(t->lk, rhs)) {
		vec_push(&t->lk->taint, d);
		t->changed = true;
	}
}

static void compute_taint(struct fwalk *w, struct lookup *lk)
{
	struct taint_pass t = { lk, true };

	while (t.changed) {
		t.changed = false;
		node_walk(w->fn->body, taint_step, &t);
	}
}

/* ------------------------------------------------------------------ */
/* Where each value goes */

static bool is_comparison(const char *op)
{
	static const char *const cmp[] = { "==", "!=", "<", ">", "<=", ">=", "&&", "||", NULL };

	return in_list(op, cmp);
}

/*
 * A mapping of the PFN (ioremap(), memremap(): rules/callees.tbl rows with
 * an unmap column) that the function only reads through: the mapping is
 * kept in a local variable, every use of which is an argument a callee
 * only reads (readl(), memcpy_fromio()'s source), a test, or the unmap,
 * and the unmap comes before a follow_pfnmap_end()/pte_unmap_unlock().
 * Reading a read-only entry's memory is no write: no writability test is
 * needed for it.
 */
struct mapping_uses {
	struct fwalk *w;
	struct lookup *lk;
	const struct callee *map;
	struct decl *var;
	const struct node *def;		/* the assignment or declaration */
	const struct node *unmap;	/* the last unmap */
	bool other;			/* a use that may write */
	bool end_after;			/* an end of the lookup after the unmap */
};

static void mapping_use(struct node *n, void *data)
{
	struct mapping_uses *mu = data;
	struct node *c = n, *p;
	const char *callee;

	if (n->kind == N_CALL && is_end_of(mu->lk, n) && mu->unmap && n->line > mu->unmap->line)
		mu->end_after = true;
	if (n->kind != N_REF || n->decl != mu->var)
		return;
	for (p = n->parent; p && (p->kind == N_PAREN || p->kind == N_CAST); p = p->parent)
		c = p;
	if (!p)
		return;
	if (p == mu->def && p->kind == N_BINARY && node_strip(p->kid[0]) == n)
		return;
	if ((p->kind == N_UNARY && !strcmp(p->op, "!")) ||
	    (p->kind == N_BINARY && is_comparison(p->op)) ||
	    ((p->kind == N_IF || p->kind == N_WHILE) && p->kid[0] == c))
		return;
	callee = p->kind == N_CALL ? node_callee(p) : NULL;
	if (callee && c != p->kid[0]) {
		int i = -1;

		for (unsigned k = 1; k < p->nkid; k++)
			if (p->kid[k] == c)
				i = (int)k - 1;
		if (!strcmp(callee, mu->map->unmap)) {
			if (!mu->unmap || p->line > mu->unmap->line)
				mu->unmap = p;
			return;
		}
		{
			const struct callee *ce = rules_callee(mu->w->ctx->rules, callee, i);

			if (ce && ce->use == USE_READ)
				return;
		}
	}
	mu->other = true;
}

static bool read_only_mapping(struct fwalk *w, struct lookup *lk, struct node *call,
			      const struct callee *map)
{
	struct mapping_uses mu = { w, lk, map, NULL, NULL, NULL, false, false };
	struct node *p = call->parent;

	if (!map->unmap)
		return false;
	while (p && (p->kind == N_PAREN || p->kind == N_CAST))
		p = p->parent;
	if (p && p->kind == N_VAR && p->decl && p->decl->kind == D_LOCAL)
		mu.var = p->decl;
	else if (p && p->kind == N_BINARY && !strcmp(p->op, "=") && p->nkid == 2)
		mu.var = ref_decl(p->kid[0]);
	if (!mu.var || mu.var->kind != D_LOCAL)
		return false;
	mu.def = p;
	node_walk(w->fn->body, mapping_use, &mu);
	if (mu.other || !mu.unmap)
		return false;
	/* the ends seen before the last unmap was known: walk again */
	mu.end_after = false;
	node_walk(w->fn->body, mapping_use, &mu);
	return !mu.other && mu.end_after;
}

static void add_use(struct fwalk *w, struct lookup *lk, enum use_kind k, const struct node *where,
		    bool writes, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void add_use(struct fwalk *w, struct lookup *lk, enum use_kind k, const struct node *where,
		    bool writes, const char *fmt, ...)
{
	struct use *u;
	va_list ap;

	for (size_t i = 0; i < w->uses.n; i++) {
		u = w->uses.v[i];
		if (u->lk == lk && u->where == where && u->kind == k)
			return;
	}
	u = xcalloc(1, sizeof(*u));
	u->lk = lk;
	u->kind = k;
	u->where = where;
	u->writes = writes;
	va_start(ap, fmt);
	if (vasprintf(&u->what, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	vec_push(&w->uses, u);
}

static bool is_page_macro(const struct ctx *ctx, const struct node *n)
{
	char buf[64];

	word_at(ctx, n, buf, sizeof(buf));
	return node_is_call_to(n, "pfn_to_page") || node_is_call_to(n, "pfn_to_online_page") ||
	       (n->kind != N_CALL && n->kind != N_REF &&
		(!strcmp(buf, "pfn_to_page") || !strcmp(buf, "pfn_to_online_page")));
}

/* Follow the value @v upwards to what consumes it. */
static void classify(struct fwalk *w, struct lookup *lk, struct node *v)
{
	const struct rules *rules = w->ctx->rules;
	struct node *cur = v;
	char *text;

	for (struct node *p = cur->parent; p; cur = p, p = p->parent) {
		if (is_page_macro(w->ctx, p)) {
			struct node *top = p, *user;

			while (top->parent && is_page_macro(w->ctx, top->parent))
				top = top->parent;
			user = top->parent;
			while (user && (user->kind == N_PAREN || user->kind == N_CAST))
				user = user->parent;
			/* PageReserved(pfn_to_page(pfn)): a flag test, no reference */
			if (user && user->kind == N_CALL && user->name &&
			    (str_starts(user->name, "Page") || !strcmp(user->name, "is_zero_page")))
				return;
			add_use(w, lk, U_PAGE, top, false, "pfn_to_page()");
			return;
		}
		switch (p->kind) {
		case N_PAREN:
		case N_CAST:
			continue;
		case N_MEMBER:		/* pgprot_val(args.pgprot) is (x).pgprot */
			if (p->nkid && p->kid[0] == cur)
				continue;
			return;
		case N_UNARY:
			if (!strcmp(p->op, "&") || !strcmp(p->op, "!"))
				return;
			continue;
		case N_COND:
			if (p->nkid && p->kid[0] == cur)
				return;
			continue;
		case N_BINARY:
			if (is_assign(w->ctx, p)) {
				struct node *root;
				bool through;

				if (p->kid[1] != cur)
					return;
				root = lvalue_root(p->kid[0], &through);
				if (!root)
					return;
				if (!through && root->kind == N_REF && root->decl &&
				    (root->decl->kind == D_LOCAL))
					return;	/* a local: followed by the taint */
				text = node_text(p->kid[0]);
				add_use(w, lk, U_STORE, p, false, "stored in %s%s%s%s", text,
					!root->decl ? "" :
					root->decl->kind == D_PARAM ? " (memory of the caller, through "
					"parameter " : root->decl->kind == D_GLOBAL ||
					root->decl->kind == D_STATIC_LOCAL ? " (a global" :
					" (memory reached through ",
					root->decl ? root->decl->name : "", root->decl ? ")" : "");
				free(text);
				return;
			}
			if (is_comparison(p->op))
				return;
			continue;
		case N_RETURN:
			add_use(w, lk, U_RETURN, p, false, "returned");
			return;
		case N_CALL: {
			const char *c = node_callee(p);
			const struct callee *ce;
			int i = -1;

			for (unsigned k = 1; k < p->nkid; k++)
				if (p->kid[k] == cur)
					i = (int)k - 1;
			if (i < 0 || is_start_of(lk, p) || is_end_of(lk, p))
				return;
			if (c && (!strcmp(c, "pfn_to_page") || !strcmp(c, "pfn_to_online_page"))) {
				add_use(w, lk, U_PAGE, p, false, "%s()", c);
				return;
			}
			ce = c ? rules_callee(rules, c, i) : NULL;
			if (ce && ce->use == USE_RETURNS)
				continue;	/* pte_pfn(), ptep_get(): the same value */
			if (ce && ce->use == USE_READ)
				return;
			if (ce && (ce->use == USE_WRITE || ce->use == USE_READWRITE)) {
				add_use(w, lk, U_CALL, p, true, "written through %s()", c);
				return;
			}
			if (ce && ce->use == USE_KEEPS) {
				add_use(w, lk, U_CALL, p, !read_only_mapping(w, lk, p, ce),
					"handed to %s()", c);
				return;
			}
			add_use(w, lk, U_CALL, p, false, "handed to %s()%s", c ? c : "a function pointer",
				c && tu_func(w->ctx->tu, c) ? "" : ", which may keep it");
			return;
		}
		default:
			return;
		}
	}
}

struct collect {
	struct fwalk *w;
	struct lookup *lk;
};

static void collect_uses(struct node *n, void *data)
{
	struct collect *c = data;
	struct lookup *lk = c->lk;

	if (is_value(lk, n))
		classify(c->w, lk, n);
	/* the entry itself read after the release */
	if (lk->kind == LK_PTE && n->kind == N_REF && n->decl == lk->ptep && is_source(lk, n))
		add_use(c->w, lk, U_DEREF, n, false, "ptep");
	if (lk->kind == LK_PFNMAP && n->kind == N_MEMBER && n->name &&
	    (!strcmp(n->name, "ptep") || !strcmp(n->name, "lock")) && n->nkid &&
	    ref_decl(n->kid[0]) == lk->args && !in_api_call(lk, n))
		add_use(c->w, lk, U_DEREF, n, false, "args.%s", n->name);
	if (n->kind == N_CALL && is_end_of(lk, n)) {
		if (!lk->first_end)
			lk->first_end = n;
		vec_push(&lk->ends, n);
	}
}

/* ------------------------------------------------------------------ */
/* The path walk: is the lock held at each use? */

static void st_init(struct fwalk *w, struct fstate *s)
{
	s->dead = false;
	s->st = xcalloc(w->n + 1, 1);
	s->end = xcalloc(w->n + 1, sizeof(*s->end));
	for (unsigned i = 0; i < w->n; i++)
		s->st[i] = ST_NONE;
}

static void st_copy(struct fwalk *w, struct fstate *d, const struct fstate *s)
{
	st_init(w, d);
	d->dead = s->dead;
	memcpy(d->st, s->st, w->n);
	memcpy(d->end, s->end, w->n * sizeof(*s->end));
}

static void st_free(struct fstate *s)
{
	free(s->st);
	free(s->end);
}

/* d = d joined with s; true if d changed */
static bool st_join(struct fwalk *w, struct fstate *d, const struct fstate *s)
{
	bool changed = false;

	if (s->dead)
		return false;
	if (d->dead) {
		st_free(d);
		st_copy(w, d, s);
		return true;
	}
	for (unsigned i = 0; i < w->n; i++) {
		if ((d->st[i] | s->st[i]) != d->st[i]) {
			d->st[i] |= s->st[i];
			changed = true;
		}
		if (!d->end[i] && s->end[i]) {
			d->end[i] = s->end[i];
			changed = true;
		}
	}
	return changed;
}

/* What evaluating @n does to the lookups; its operands came before. */
static void node_event(struct fwalk *w, struct node *n, struct fstate *s)
{
	if (s->dead)
		return;
	for (unsigned k = 0; k < w->n; k++) {
		struct lookup *lk = w->lk[k];

		if (lk->kind == LK_DROPPED)
			continue;
		if (n->kind == N_CALL && is_start_of(lk, n)) {
			struct node *p = n->parent;

			while (p && (p->kind == N_PAREN || p->kind == N_CAST))
				p = p->parent;
			s->st[k] = ST_LOCKED;
			lk->resvar = p && p->kind == N_VAR ? p->decl :
				     p && is_assign(w->ctx, p) ? ref_decl(p->kid[0]) : NULL;
			continue;
		}
		if (n->kind == N_CALL && is_end_of(lk, n)) {
			if (w->fw.final && (s->st[k] & ST_FAILED) && !lk->failed_end)
				lk->failed_end = n;
			else if (w->fw.final && s->st[k] == ST_ENDED && !lk->twice)
				lk->twice = n;
			s->st[k] = ST_ENDED;
			s->end[k] = n;
			continue;
		}
		if (is_assign(w->ctx, n) && lk->resvar && ref_decl(n->kid[0]) == lk->resvar &&
		    !is_start_of(lk, node_strip(n->kid[1])))
			lk->resvar = NULL;
		for (size_t i = 0; i < w->uses.n; i++) {
			struct use *u = w->uses.v[i];

			if (w->fw.final && u->lk == lk && u->where == n &&
			    (s->st[k] & ST_ENDED) && !u->after_end) {
				u->after_end = true;
				u->end = s->end[k];
			}
		}
	}
}

/* +1: @c is true when the lookup failed; -1: when it succeeded; 0: unknown */
static int polarity(struct lookup *lk, struct node *c)
{
	c = node_strip(c);
	if (!c)
		return 0;
	if (c->kind == N_CALL && is_start_of(lk, c))
		return 1;
	if (c->kind == N_REF)
		return lk->resvar && c->decl == lk->resvar ? 1 : 0;
	if (c->kind == N_UNARY && !strcmp(c->op, "!") && c->nkid)
		return -polarity(lk, c->kid[0]);
	if (c->kind == N_CALL && node_is_call_to(c, "__builtin_expect") && c->nkid > 1)
		return polarity(lk, c->kid[1]);
	if (c->kind == N_BINARY && c->nkid == 2) {
		int p = polarity(lk, c->kid[0]);

		if (!strcmp(c->op, "!=") || !strcmp(c->op, "<"))
			return p;
		if (!strcmp(c->op, "=="))
			return -p;
	}
	return 0;
}

static void set_failed(struct fwalk *w, struct fstate *s, int want, struct node *cond)
{
	for (unsigned k = 0; k < w->n; k++)
		if (polarity(w->lk[k], cond) == want && (s->st[k] & ST_LOCKED))
			s->st[k] = (unsigned char)((s->st[k] & ~ST_LOCKED) | ST_FAILED);
}

static void at_return(struct fwalk *w, struct fstate *s, const struct node *where)
{
	if (s->dead || !w->fw.final)
		return;
	for (unsigned k = 0; k < w->n; k++)
		if (s->st[k] == ST_LOCKED && !w->lk[k]->leak && w->lk[k]->kind != LK_DROPPED)
			w->lk[k]->leak = where;
}

/* The dataflow (dataflow.h) over struct fstate. */
static void flow_init(struct flow_walk *fw, void *s)
{
	st_init(fw->data, s);
}

static void flow_copy(struct flow_walk *fw, void *dst, const void *src)
{
	st_copy(fw->data, dst, src);
}

static bool flow_join(struct flow_walk *fw, void *dst, const void *src)
{
	return st_join(fw->data, dst, src);
}

static void flow_free(void *s)
{
	st_free(s);
}

static void flow_event(struct flow_walk *fw, struct node *n, void *s)
{
	node_event(fw->data, n, s);
}

/* if (!pte) / if (ret): which way the lookup failed */
static void flow_branch(struct flow_walk *fw, struct node *cond, void *then_s, void *else_s)
{
	set_failed(fw->data, then_s, 1, cond);
	set_failed(fw->data, else_s, -1, cond);
}

static void flow_exit(struct flow_walk *fw, void *s, const struct node *where)
{
	at_return(fw->data, s, where);
}

static const struct flow_ops follow_flow = {
	sizeof(struct fstate), flow_init, flow_copy, flow_join, flow_free,
	flow_event, flow_branch, flow_exit,
};

/* ------------------------------------------------------------------ */
/* Reports */

static const char *why_of(const struct lookup *lk)
{
	if (lk->kind == LK_PFNMAP)
		return "'After the end() is called, all the fields in @follow_pfnmap_args will be "
		       "invalid to be further accessed' (follow_pfnmap_start() kerneldoc)";
	return "'The contents of the PTE are only stable until @ptlp is released; any further "
	       "use, if any, must be protected against invalidation with MMU notifiers' "
	       "(follow_pte() kerneldoc)";
}

/*
 * An MMU-notifier retry scheme in this file makes later use of the PFN
 * safe: read from the code (calls, the KVM sequence counter), not from
 * comments.
 */
static const char *const notifier_marks[] = {
	"mmu_interval_read_begin", "mmu_interval_read_retry", "mmu_interval_check_retry",
	"mmu_notifier_register", "__mmu_notifier_register", "mmu_interval_notifier_insert",
	"mmu_invalidate_retry", "mmu_invalidate_retry_hva", "mmu_invalidate_retry_gfn",
	"mmu_invalidate_seq", "mmu_notifier_seq", "mmu_notifier_retry", NULL
};

struct notifier_find {
	const char *found;
};

static void find_notifier(struct node *n, void *data)
{
	struct notifier_find *nf = data;

	if (nf->found || !n->name || (n->kind != N_CALL && n->kind != N_MEMBER))
		return;
	if (in_list(n->name, notifier_marks))
		nf->found = n->name;
}

static const char *notifier_scheme(const struct ctx *ctx)
{
	struct notifier_find nf = { NULL };

	for (size_t i = 0; i < ctx->tu->funcs.n && !nf.found; i++)
		node_walk(((struct func *)ctx->tu->funcs.v[i])->body, find_notifier, &nf);
	return nf.found;
}

static unsigned line_of(const struct node *n)
{
	return n ? n->line : 0;
}

static void find_writable(struct node *n, void *data)
{
	struct contains *c = data;

	if (n->kind == N_MEMBER && n->name && !strcmp(n->name, "writable") && n->nkid &&
	    ref_decl(n->kid[0]) == c->lk->args)
		c->found = true;
}

static bool tests_writable(struct fwalk *w, struct lookup *lk)
{
	struct node *body = w->fn->body;

	if (lk->kind == LK_PTE)
		return find_call_to(body, "pte_write") || has_word(w->ctx, body, "pte_write", 0);
	if (lk->kind == LK_PFNMAP) {
		struct contains c = { lk, false };

		node_walk(body, find_writable, &c);
		return c.found;
	}
	return true;
}

/* VM_IO|VM_PFNMAP tested before @call in @fn, or in every caller before the call. */
static bool flags_tested(struct ctx *ctx, struct func *fn, const struct node *call, int depth)
{
	if (has_word(ctx, fn->body, "VM_PFNMAP", call->begin) ||
	    has_word(ctx, fn->body, "VM_IO", call->begin))
		return true;
	if (!fn->is_static || fn->address_taken || !fn->callers.n || depth > 2)
		return false;
	for (size_t i = 0; i < fn->callers.n; i++) {
		struct node *c = fn->callers.v[i];
		struct func *caller = NULL;

		for (size_t j = 0; j < ctx->tu->funcs.n && !caller; j++) {
			struct func *f = ctx->tu->funcs.v[j];

			for (const struct node *p = c; p; p = p->parent)
				if (p == f->body)
					caller = f;
		}
		if (!caller || !flags_tested(ctx, caller, c, depth + 1))
			return false;
	}
	return true;
}

/* The release a store or return is followed by: the next one in the text. */
static const struct node *release_after(const struct lookup *lk, const struct node *n)
{
	for (size_t i = 0; i < lk->ends.n; i++) {
		const struct node *e = lk->ends.v[i];

		if (e->file == n->file && (e->line > n->line ||
		    (e->line == n->line && e->col > n->col)))
			return e;
	}
	return lk->first_end;
}

static void report_lookup(struct fwalk *w, struct lookup *lk)
{
	struct ctx *ctx = w->ctx;
	struct func *fn = w->fn;
	struct node *first = lk->starts.v[0];
	const char *notifier = notifier_scheme(ctx);
	struct finding *f;

	if (lk->kind == LK_DROPPED) {
		bool phys = !strcmp(lk->api, "follow_phys");

		f = report_finding(ctx, "follow-pfn-call", fn, first,
			"%s() returns the %s after it has dropped the page-table lock, so nothing "
			"keeps it valid: %s; use follow_pte()/follow_pfnmap_start() and use the "
			"entry before the unlock, pin_user_pages*(), or an MMU notifier",
			lk->api, phys ? "physical address and protection" : "PFN",
			phys ? "'The contents of the PTE are only stable until @ptlp is released' "
			       "(follow_pte() kerneldoc), and follow_phys() releases it before returning"
			     : "'This function does not allow the caller to read the permissions of "
			       "the PTE.  Do not use it.' (follow_pfn() kerneldoc)");
		for (size_t i = 0; i < lk->outs.n; i++) {
			struct decl *d = lk->outs.v[i];

			if (d->kind == D_PARAM)
				add_evidence(ctx, &f->evidence, first,
					     "the result goes straight into out-parameter %s", d->name);
		}
		for (size_t i = 0; i < w->uses.n; i++) {
			struct use *u = w->uses.v[i];

			if (u->lk == lk && u->kind != U_DEREF)
				add_evidence(ctx, &f->evidence, u->where, "the %s is %s with no lock held",
					     phys ? "address" : "PFN", u->what);
		}
	}

	if (lk->kind == LK_PTE && !lk->flags_checked_inside && !flags_tested(ctx, fn, first, 0))
		report_finding(ctx, "follow-no-pfnmap-check", fn, first,
			"follow_pte() here takes the mm and does not test the vma, and neither this "
			"function nor its callers test vm_flags & (VM_IO | VM_PFNMAP) first: 'Only IO "
			"mappings and raw PFN mappings are allowed' (follow_pte() kerneldoc); test "
			"the flags before the lookup");

	if (lk->leak) {
		f = report_finding(ctx, "follow-unbalanced", fn, lk->leak,
			"returns with the page-table lock of the %s() at line %u still held; %s; "
			"call %s() on every path after a successful lookup",
			lk->api, line_of(first), lk->kind == LK_PFNMAP ?
			"'the caller must invoke another follow_pfnmap_end() to proper releases the "
			"locks and resources of such look up request' (follow_pfnmap_start() kerneldoc)" :
			"'On a successful return, the pointer to the PTE is stored in @ptepp; the "
			"corresponding lock is taken' (follow_pte() kerneldoc)", lk->end_api);
		add_evidence(ctx, &f->evidence, first, "lookup that succeeded on this path");
	}
	if (lk->failed_end) {
		f = report_finding(ctx, "follow-unbalanced", fn, lk->failed_end,
			"%s() after the %s() at line %u failed: a failed lookup takes no lock and "
			"leaves the outputs unset ('Return: zero on success, negative otherwise'); "
			"only release after a successful lookup",
			lk->end_api, lk->api, line_of(first));
		add_evidence(ctx, &f->evidence, first, "lookup that failed on this path");
	}
	if (lk->twice) {
		f = report_finding(ctx, "follow-unbalanced", fn, lk->twice,
			"%s() of a lookup that is already released on this path; release once",
			lk->end_api);
		add_evidence(ctx, &f->evidence, first, "the lookup");
	}

	for (size_t i = 0; i < w->uses.n; i++) {
		struct use *u = w->uses.v[i];
		const struct node *end = u->end ? u->end : release_after(lk, u->where);

		if (u->lk != lk)
			continue;
		if (u->kind == U_PAGE) {
			f = report_finding(ctx, "pfnmap-page-ref", fn, u->where,
				"%s on a PFN looked up by %s() at line %u: a VM_IO/VM_PFNMAP entry may "
				"have no struct page or one that is not refcounted (CVE-2021-22543); "
				"treat it as a raw PFN, or take get_page_unless_zero() under the lock%s%s%s",
				u->what, lk->api, line_of(first),
				notifier ? " (the MMU-notifier scheme of this file, " : "",
				notifier ? notifier : "",
				notifier ? "(), keeps the PFN current, not the page's refcount)" : "");
			add_evidence(ctx, &f->evidence, first, "the lookup");
			continue;
		}
		if (lk->kind == LK_DROPPED)
			continue;
		if (u->kind == U_DEREF) {
			if (!u->after_end)
				continue;
			f = report_finding(ctx, "ptep-after-unlock", fn, u->where,
				"%s is read after %s() released the page-table lock at line %u: %s; "
				"move the access before the release",
				u->what, lk->end_api, line_of(end), why_of(lk));
			add_evidence(ctx, &f->evidence, end, "lock released here");
			add_evidence(ctx, &f->evidence, u->where, "entry read here");
			continue;
		}
		if (u->kind == U_CALL && !u->after_end)
			continue;	/* used under the lock */
		if (!end)
			continue;	/* never released: follow-unbalanced */
		if (notifier)
			continue;	/* the MMU-notifier exception */
		f = report_finding(ctx, "pfn-escapes-lock", fn, u->where,
			"a value of the entry looked up by %s() at line %u is %s and outlives "
			"%s() at line %u, with no MMU notifier in this file: %s; use it before the "
			"release, re-check with pte_same() under the lock, or synchronise with an "
			"MMU notifier (mmu_interval_read_begin()/mmu_interval_read_retry())",
			lk->api, line_of(first), u->what, lk->end_api, line_of(end), why_of(lk));
		add_evidence(ctx, &f->evidence, first, "the lookup");
		add_evidence(ctx, &f->evidence, end, "lock released here");
		add_evidence(ctx, &f->evidence, u->where, "value %s here", u->what);
	}

	if (lk->kind != LK_DROPPED && !tests_writable(w, lk)) {
		for (size_t i = 0; i < w->uses.n; i++) {
			struct use *u = w->uses.v[i];

			if (u->lk != lk || !u->writes)
				continue;
			f = report_finding(ctx, "follow-write-ignored", fn, first,
				"the PFN looked up here is %s, a write or writable mapping, but the "
				"function never tests %s: a read-only entry would become writable "
				"(acrn CVE-2024-38610, KVM hva_to_pfn_remapped); test writability "
				"and refuse a write to a read-only entry%s%s%s",
				u->what, lk->kind == LK_PTE ? "pte_write()" : "args.writable",
				notifier ? " (the MMU-notifier scheme of this file, " : "",
				notifier ? notifier : "",
				notifier ? "(), covers a later use, not the permission)" : "");
			add_evidence(ctx, &f->evidence, u->where, "value %s here", u->what);
			break;
		}
	}
}

static void free_lookup(struct lookup *lk)
{
	vec_free(&lk->outs, NULL);
	vec_free(&lk->starts, NULL);
	vec_free(&lk->taint, NULL);
	vec_free(&lk->ends, NULL);
	free(lk);
}

static void free_use(void *p)
{
	struct use *u = p;

	free(u->what);
	free(u);
}

static void check_function(struct ctx *ctx, struct func *fn)
{
	struct fwalk w = { ctx, fn, NULL, 0, { 0 }, { &follow_flow, NULL, false, 0 } };
	struct fstate s;

	find_lookups(&w);
	if (!w.n)
		return;
	for (unsigned k = 0; k < w.n; k++) {
		struct collect c = { &w, w.lk[k] };

		compute_taint(&w, w.lk[k]);
		node_walk(fn->body, collect_uses, &c);
	}
	w.fw.data = &w;
	st_init(&w, &s);
	flow_solve(&w.fw, fn->body, &s);
	st_free(&s);
	for (unsigned k = 0; k < w.n; k++)
		report_lookup(&w, w.lk[k]);
	vec_free(&w.uses, free_use);
	for (unsigned k = 0; k < w.n; k++)
		free_lookup(w.lk[k]);
	free(w.lk);
}

void check_follow_pfn(struct registry *r)
{
	add_func_hook(r, check_function);
}
