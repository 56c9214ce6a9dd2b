// SPDX-License-Identifier: GPL-2.0
/*
 * check_pfnmap_cow.c: PFNs inserted into a copy-on-write VM_PFNMAP
 * mapping.  vmf_insert_pfn_prot() has
 *	BUG_ON((vma->vm_flags & VM_PFNMAP) && is_cow_mapping(vma->vm_flags));
 * and remap_pfn_range() of a COW mapping must cover the whole vma, since it
 * records the first PFN in vm_pgoff (which x86 PAT reads back for COW
 * mappings, CVE-2024-35877).  Reports pfnmap-cow-insert and
 * pfnmap-cow-partial-remap.
 *
 * pfnmap-cow-insert joins, in one translation unit, an ->mmap handler
 * (found through the initialiser of an ops table: .mmap = foo_mmap), the
 * vm_operations_struct it installs (vma->vm_ops = &foo_vm_ops), and that
 * table's ->fault/->huge_fault handler.
 */
#include <stdlib.h>
#include <string.h>

#include "pfn.h"
#include "walk.h"

#define MAX_DEPTH 3

/* Functions of this TU reached from @fn by direct calls, @fn first. */
static void reach(struct ctx *ctx, struct func *fn, struct vec *out, int depth);

struct reach_walk {
	struct ctx *ctx;
	struct vec *out;
	int depth;
};

static bool in_vec(const struct vec *v, const void *p)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i] == p)
			return true;
	return false;
}

static void reach_call(struct node *n, void *data)
{
	struct reach_walk *r = data;
	struct node *c;

	if (n->kind != N_CALL || !n->nkid)
		return;
	c = node_strip(n->kid[0]);
	if (c && c->kind == N_REF && c->decl && c->decl->def)
		reach(r->ctx, c->decl->def, r->out, r->depth + 1);
}

static void reach(struct ctx *ctx, struct func *fn, struct vec *out, int depth)
{
	struct reach_walk r = { ctx, out, depth };

	if (!fn || !fn->body || in_vec(out, fn) || depth > MAX_DEPTH)
		return;
	vec_push(out, fn);
	node_walk(fn->body, reach_call, &r);
}

/* The function a designated initialiser ".field = fn" names, or NULL. */
static struct func *init_func(struct node *entry)
{
	struct node *v;

	if (!entry || entry->nkid < 2)
		return NULL;
	v = node_strip(entry->kid[entry->nkid - 1]);
	if (v && v->kind == N_UNARY && !strcmp(v->op, "&") && v->nkid)
		v = node_strip(v->kid[0]);
	return v && v->kind == N_REF && v->decl && v->decl->def ? v->decl->def : NULL;
}

/* The handler at field @field of the ops table initialised by @var. */
static struct func *ops_field(const struct ctx *ctx, struct node *var, const char *field,
			      struct node **where)
{
	struct node *init = var && var->nkid ? var->kid[0] : NULL;

	if (!init || init->kind != N_INITLIST)
		return NULL;
	for (unsigned i = 0; i < init->nkid; i++) {
		struct node *e = init->kid[i];
		struct func *f;

		if (e->nkid < 2 || !word_is(ctx, e->kid[0], field))
			continue;
		f = init_func(e);
		if (f) {
			if (where)
				*where = e;
			return f;
		}
	}
	return NULL;
}

static struct node *global_var(struct ctx *ctx, const struct decl *d)
{
	for (size_t i = 0; d && i < ctx->tu->globals.n; i++) {
		struct node *v = ctx->tu->globals.v[i];

		if (v->decl == d && v->nkid)
			return v;
	}
	return NULL;
}

struct scan {
	struct ctx *ctx;
	struct node *sets_pfnmap;	/* VM_PFNMAP written into vm_flags */
	struct node *vm_ops;		/* vma->vm_ops = &ops */
	struct node *cow_test;		/* is_cow_mapping() / VM_SHARED / VM_MAYWRITE */
	struct node *insert;		/* vmf_insert_pfn*() */
	struct func *insert_fn;
	struct func *cur;
};

static bool sets_flags(const struct ctx *ctx, struct node *n)
{
	for (struct node *p = n->parent; p; p = p->parent) {
		const char *c = node_callee(p);

		if (p->kind == N_IF || p->kind == N_WHILE || p->kind == N_FOR || p->kind == N_RETURN)
			return false;
		if (c && (!strcmp(c, "vm_flags_set") || !strcmp(c, "vm_flags_init") ||
			  !strcmp(c, "vm_flags_reset") || !strcmp(c, "vm_flags_mod")))
			return true;
		if (p->kind == N_BINARY && p->nkid == 2 && strcmp(p->op, "&") &&
		    strcmp(p->op, "|") && strcmp(p->op, "==") && strcmp(p->op, "!=")) {
			struct node *l = node_strip(p->kid[0]);

			if (l && l->kind == N_MEMBER && l->name && !strcmp(l->name, "vm_flags"))
				return true;
		}
	}
	(void)ctx;
	return false;
}

static void scan_node(struct node *n, void *data)
{
	struct scan *s = data;

	if (!s->sets_pfnmap && n->kind == N_LITERAL && word_is(s->ctx, n, "VM_PFNMAP") &&
	    sets_flags(s->ctx, n))
		s->sets_pfnmap = n;
	if (!s->cow_test && (node_is_call_to(n, "is_cow_mapping") ||
	    (n->kind == N_LITERAL && (word_is(s->ctx, n, "VM_SHARED") ||
				      word_is(s->ctx, n, "VM_MAYSHARE") ||
				      word_is(s->ctx, n, "VM_MAYWRITE")))))
		s->cow_test = n;
	if (!s->vm_ops && n->kind == N_BINARY && n->nkid == 2) {
		struct node *l = node_strip(n->kid[0]);

		if (l && l->kind == N_MEMBER && l->name && !strcmp(l->name, "vm_ops"))
			s->vm_ops = n;
	}
	if (!s->insert && (node_is_call_to(n, "vmf_insert_pfn") ||
			   node_is_call_to(n, "vmf_insert_pfn_prot"))) {
		s->insert = n;
		s->insert_fn = s->cur;
	}
}

static void scan_funcs(struct scan *s, const struct vec *fns)
{
	for (size_t i = 0; i < fns->n; i++) {
		s->cur = fns->v[i];
		node_walk(s->cur->body, scan_node, s);
	}
}

/* The vm_operations_struct installed by "vma->vm_ops = &ops". */
static struct node *installed_ops(struct ctx *ctx, struct node *assign)
{
	struct node *r = assign ? node_strip(assign->kid[1]) : NULL;

	if (r && r->kind == N_UNARY && r->nkid)
		r = node_strip(r->kid[0]);
	return r && r->kind == N_REF ? global_var(ctx, r->decl) : NULL;
}

/*
 * The fault handler of a vm_operations_struct of this TU that inserts PFNs,
 * for an mmap function that does not install the table itself (the drm
 * shmem helper: drm_gem_mmap_obj() installs obj->funcs->vm_ops).
 */
static struct node *ops_inserting(struct ctx *ctx, struct func **fault, struct node **entry)
{
	for (size_t i = 0; i < ctx->tu->globals.n; i++) {
		struct node *v = ctx->tu->globals.v[i];
		struct vec fp = { 0 };
		struct scan fs = { ctx, NULL, NULL, NULL, NULL, NULL, NULL };

		if (!v->decl || !v->decl->type || !strstr(v->decl->type, "vm_operations_struct"))
			continue;
		*fault = ops_field(ctx, v, "fault", entry);
		if (!*fault)
			*fault = ops_field(ctx, v, "huge_fault", entry);
		if (!*fault)
			continue;
		reach(ctx, *fault, &fp, 0);
		scan_funcs(&fs, &fp);
		vec_free(&fp, NULL);
		if (fs.insert)
			return v;
	}
	*fault = NULL;
	return NULL;
}

/* The table named by the .vm_ops initialiser of @table. */
static struct node *table_ops(struct ctx *ctx, struct node *table)
{
	struct node *init = table->nkid ? table->kid[0] : NULL;

	for (unsigned i = 0; init && init->kind == N_INITLIST && i < init->nkid; i++) {
		struct node *e = init->kid[i], *v;

		if (e->nkid < 2 || !word_is(ctx, e->kid[0], "vm_ops"))
			continue;
		v = node_strip(e->kid[e->nkid - 1]);
		if (v && v->kind == N_UNARY && v->nkid)
			v = node_strip(v->kid[0]);
		if (v && v->kind == N_REF)
			return global_var(ctx, v->decl);
	}
	return NULL;
}

static void check_mmap(struct ctx *ctx, struct node *table, struct node *entry, struct func *mmap)
{
	struct vec path = { 0 }, fault_path = { 0 };
	struct scan s = { ctx, NULL, NULL, NULL, NULL, NULL, NULL };
	struct node *ops, *fault_entry = NULL;
	struct func *fault = NULL;
	struct finding *f;

	reach(ctx, mmap, &path, 0);
	scan_funcs(&s, &path);
	if (!s.sets_pfnmap || s.cow_test)
		goto out;
	ops = installed_ops(ctx, s.vm_ops);
	if (!ops && table)	/* drm_gem_object_funcs: .mmap and .vm_ops side by side */
		ops = table_ops(ctx, table);
	if (!ops)
		ops = ops_inserting(ctx, &fault, &fault_entry);
	if (ops) {
		fault = ops_field(ctx, ops, "fault", &fault_entry);
		if (!fault)
			fault = ops_field(ctx, ops, "huge_fault", &fault_entry);
	}
	if (fault) {
		struct scan fs = { ctx, NULL, NULL, NULL, NULL, NULL, NULL };

		reach(ctx, fault, &fault_path, 0);
		scan_funcs(&fs, &fault_path);
		if (fs.cow_test)
			goto out;
		s.insert = s.insert ? s.insert : fs.insert;
		s.insert_fn = s.insert_fn ? s.insert_fn : fs.insert_fn;
	}
	if (!s.insert)
		goto out;
	f = report_finding(ctx, "pfnmap-cow-insert", mmap, s.sets_pfnmap,
		"%s() sets VM_PFNMAP and %s() inserts PFNs with %s(), but nothing rejects a "
		"copy-on-write (MAP_PRIVATE, writable) mapping: vmf_insert_pfn_prot() does "
		"'BUG_ON((vma->vm_flags & VM_PFNMAP) && is_cow_mapping(vma->vm_flags))'; add "
		"'if (is_cow_mapping(vma->vm_flags)) return -EINVAL;' (or require VM_SHARED), "
		"or use VM_MIXEDMAP",
		mmap->name, s.insert_fn->name, node_callee(s.insert));
	if (table)
		add_evidence(ctx, &f->evidence, entry, "%s() is the .mmap handler of %s",
			     mmap->name, table->name);
	else
		add_evidence(ctx, &f->evidence, mmap->body, "%s() is an mmap function other files "
			     "call (not static)", mmap->name);
	add_evidence(ctx, &f->evidence, s.sets_pfnmap, "VM_PFNMAP set here");
	if (fault_entry) {
		add_evidence(ctx, &f->evidence, s.vm_ops && installed_ops(ctx, s.vm_ops) ? s.vm_ops :
			     fault_entry, "%s %s", s.vm_ops && installed_ops(ctx, s.vm_ops) ?
			     "installs" : "with the vm_operations_struct", ops->name);
		add_evidence(ctx, &f->evidence, fault_entry, "whose fault handler is %s()",
			     fault->name);
	}
	add_evidence(ctx, &f->evidence, s.insert, "PFN inserted here");
out:
	vec_free(&path, NULL);
	vec_free(&fault_path, NULL);
}

/* ------------------------------------------------------------------ */
/* pfnmap-cow-partial-remap */

struct callers_of {
	struct ctx *ctx;
	struct func *fn;
};

static struct func *func_of(struct ctx *ctx, const struct node *n)
{
	while (n->parent)
		n = n->parent;
	for (size_t i = 0; i < ctx->tu->funcs.n; i++) {
		struct func *f = ctx->tu->funcs.v[i];

		if (f->body == n)
			return f;
	}
	return NULL;
}

/* Some function on a call chain into @fn (in this TU) rejects COW mappings. */
static struct node *cow_rejected(struct ctx *ctx, struct func *fn, int depth)
{
	struct scan s = { ctx, NULL, NULL, NULL, NULL, NULL, NULL };

	s.cur = fn;
	node_walk(fn->body, scan_node, &s);
	if (s.cow_test)
		return s.cow_test;
	if (depth >= MAX_DEPTH)
		return NULL;
	for (size_t i = 0; i < fn->callers.n; i++) {
		struct func *c = func_of(ctx, fn->callers.v[i]);
		struct node *t = c && c != fn ? cow_rejected(ctx, c, depth + 1) : NULL;

		if (t)
			return t;
	}
	return NULL;
}

/* @n is vma->vm_start, or a local only ever given that value. */
static bool text_of_local_is(struct func *fn, struct node *n, const char *a, const char *b);

struct assigns {
	struct decl *d;
	const char *a, *b;
	bool all, any;
};

static bool text_has(struct node *n, const char *a, const char *b)
{
	char *t = node_text(n);
	bool ok = strstr(t, a) && (!b || strstr(t, b));

	free(t);
	return ok;
}

static void assign_scan(struct node *n, void *data)
{
	struct assigns *as = data;
	struct node *rhs = NULL;

	if (n->kind == N_VAR && n->decl == as->d && n->nkid)
		rhs = n->kid[0];
	else if (n->kind == N_BINARY && n->nkid == 2 && !strcmp(n->op, "=") &&
		 node_strip(n->kid[0])->kind == N_REF && node_strip(n->kid[0])->decl == as->d)
		rhs = n->kid[1];
	else if (n->kind == N_BINARY && n->nkid == 2 && strcmp(n->op, "=") &&
		 strlen(n->op) >= 2 && n->op[strlen(n->op) - 1] == '=' && strcmp(n->op, "==") &&
		 strcmp(n->op, "!=") && strcmp(n->op, "<=") && strcmp(n->op, ">=") &&
		 node_strip(n->kid[0])->kind == N_REF && node_strip(n->kid[0])->decl == as->d) {
		as->all = false;	/* start += PAGE_SIZE */
		return;
	}
	if (!rhs)
		return;
	as->any = true;
	if (!text_has(rhs, as->a, as->b))
		as->all = false;
}

static bool text_of_local_is(struct func *fn, struct node *n, const char *a, const char *b)
{
	struct assigns as;

	n = node_strip(n);
	if (!n)
		return false;
	if (text_has(n, a, b))
		return true;
	if (n->kind != N_REF || !n->decl || n->decl->kind != D_LOCAL)
		return false;
	as.d = n->decl;
	as.a = a;
	as.b = b;
	as.all = true;
	as.any = false;
	node_walk(fn->body, assign_scan, &as);
	return as.any && as.all;
}

static bool in_loop(const struct node *n)
{
	for (const struct node *p = n->parent; p; p = p->parent)
		if (p->kind == N_FOR || p->kind == N_WHILE || p->kind == N_DO)
			return !p->nkid || !p->kid[0]->in_macro;	/* not do { } while (0) */
	return false;
}

static bool contains(const struct node *a, const struct node *n)
{
	for (; n; n = n->parent)
		if (n == a)
			return true;
	return false;
}

/*
 * @b cannot run after @a: a case label, break or return lies between them
 * in the innermost block holding both (the other arm of a switch).
 */
static bool separated(const struct node *a, const struct node *b)
{
	const struct node *blk = a->parent;
	unsigned ia = 0, ib = 0;

	while (blk && !(blk->kind == N_COMPOUND && contains(blk, b)))
		blk = blk->parent;
	if (!blk)
		return false;
	for (unsigned i = 0; i < blk->nkid; i++) {
		if (contains(blk->kid[i], a))
			ia = i;
		if (contains(blk->kid[i], b))
			ib = i;
	}
	for (unsigned i = ia + 1; i <= ib && i < blk->nkid; i++) {
		enum nkind k = blk->kid[i]->kind;

		if (k == N_CASE || k == N_DEFAULT || k == N_BREAK || k == N_RETURN)
			return true;
	}
	return ia != ib && (blk->kid[ia]->kind == N_RETURN || blk->kid[ia]->kind == N_BREAK);
}

struct pgoff_find {
	const struct node *after;
	struct node *found;
};

static void find_pgoff(struct node *n, void *data)
{
	struct pgoff_find *pf = data;
	struct node *l;

	if (pf->found || n->kind != N_BINARY || n->nkid != 2 || strcmp(n->op, "=") ||
	    n->line < pf->after->line)
		return;
	l = node_strip(n->kid[0]);
	if (l && l->kind == N_MEMBER && l->name && !strcmp(l->name, "vm_pgoff") &&
	    (n->line > pf->after->line || n->col > pf->after->col) && !separated(pf->after, n))
		pf->found = n;
}

static bool returned(const struct node *n)
{
	for (const struct node *p = n->parent; p; p = p->parent)
		if (p->kind == N_RETURN)
			return true;
	return false;
}

/* vma->vm_start + off, vma->vm_start - x: not the start */
static bool offset_added(struct node *n)
{
	char *t = node_text(n);
	bool yes = strchr(t, '+') != NULL;

	for (char *p = t; *p && !yes; p++)
		if (*p == '-' && p[1] != '>')
			yes = true;
	free(t);
	return yes;
}

/* An argument as written, for the message. */
static char *source_text(const struct ctx *ctx, const struct node *n)
{
	const char *t = ctx->tu->main_text;
	char *out, *o;

	if (n->file || n->in_macro || !t || n->end <= n->begin || n->end - n->begin > 80 ||
	    n->end > ctx->tu->main_len)
		return node_text(n);
	out = o = xmalloc(n->end - n->begin + 1);
	for (unsigned i = n->begin; i < n->end; i++) {
		if (t[i] == '\n' || t[i] == '\t' || (t[i] == ' ' && o > out && o[-1] == ' ')) {
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
			continue;
		}
		*o++ = t[i];
	}
	*o = 0;
	return out;
}

static struct decl *ref_decl_of(struct node *n)
{
	n = node_strip(n);
	return n && n->kind == N_REF ? n->decl : NULL;
}

struct size_walk {
	struct func *fn;
	struct decl *vma;
	bool yes;
};

static void local_of_vma(struct node *n, void *data)
{
	struct size_walk *sw = data;

	if (!sw->yes && n->kind == N_REF && n->decl && n->decl->kind == D_LOCAL &&
	    (text_of_local_is(sw->fn, n, "vm_end", "vm_start") ||
	     text_of_local_is(sw->fn, n, "vma_pages", NULL)))
		sw->yes = true;
}

/* vma->vm_end - vma->vm_start, vma_pages(vma) << PAGE_SHIFT, or a local holding it */
static bool size_of_vma(struct func *fn, struct node *size)
{
	struct size_walk sw = { fn, NULL, false };

	if (text_has(size, "vm_end", "vm_start") || text_has(size, "vma_pages", NULL))
		return true;
	node_walk(size, local_of_vma, &sw);
	return sw.yes;
}

static void param_ref(struct node *n, void *data)
{
	struct size_walk *sw = data;

	if (!sw->yes && n->kind == N_REF && n->decl && n->decl->kind == D_PARAM &&
	    n->decl != sw->vma)
		sw->yes = true;
}

/*
 * A size handed in by the caller (dma_direct_mmap(), gaudi_mmap()): the
 * caller, often in another file, decides; not reported.
 */
static bool from_param(struct node *size, struct decl *vma)
{
	struct size_walk sw = { NULL, vma, false };

	node_walk(size, param_ref, &sw);
	return sw.yes;
}

struct size_check {
	const struct ctx *ctx;
	char *size;
	char *alias;		/* what a local size was initialised with */
	const char *local;	/* pages in "pages * PAGE_SIZE" */
	bool found;
};

/*
 * if (vma->vm_end - vma->vm_start != PAGE_SIZE) return -EINVAL; ... PAGE_SIZE
 * (the operator is "?" when an operand is a macro)
 */
static void find_size_check(struct node *n, void *data)
{
	static const char *const cmp[] = { "==", "!=", "<", ">", "<=", ">=", "?", NULL };
	struct size_check *sc = data;
	bool is_cmp = false;

	if (sc->found || n->kind != N_BINARY || n->nkid != 2)
		return;
	for (const char *const *c = cmp; *c; c++)
		is_cmp |= !strcmp(n->op, *c);
	if (!is_cmp)
		return;
	for (int side = 0; side < 2 && !sc->found; side++) {
		char *other;

		if (!text_has(n->kid[side], "vm_end", "vm_start") &&
		    !text_has(n->kid[side], "vma_pages", NULL))
			continue;
		other = source_text(sc->ctx, n->kid[!side]);
		sc->found = !strcmp(other, sc->size) || (sc->alias && !strcmp(other, sc->alias)) ||
			    (sc->local && !strcmp(other, sc->local));
		free(other);
	}
}

struct single {
	const struct ctx *ctx;
	struct decl *d;
	struct node *rhs;
	int n;
};

static void find_single(struct node *n, void *data)
{
	struct single *sg = data;

	if (n->kind == N_BINARY && n->nkid == 2 && !strcmp(n->op, "=") &&
	    node_strip(n->kid[0])->kind == N_REF && node_strip(n->kid[0])->decl == sg->d) {
		sg->rhs = n->kid[1];
		sg->n++;
	}
}

/* The text of the only assignment to local @d, or NULL. */
static char *single_assignment(const struct ctx *ctx, struct func *fn, struct decl *d)
{
	struct single sg = { ctx, d, NULL, 0 };

	node_walk(fn->body, find_single, &sg);
	return sg.n == 1 ? source_text(ctx, sg.rhs) : NULL;
}

/* The function (or a helper it calls) compares the vma's extent with @size. */
static bool size_checked(struct ctx *ctx, struct func *fn, struct node *size)
{
	struct size_check sc = { ctx, source_text(ctx, size), NULL, NULL, false };
	struct node *r = node_strip(size);
	struct vec fns = { 0 };

	/* len = bar->len; if (vma->vm_end - vma->vm_start != bar->len) ... */
	if (r && r->kind == N_REF && r->decl && r->decl->kind == D_LOCAL) {
		for (size_t i = 0; i < fn->body->nkid && !sc.alias; i++) {
			struct node *st = fn->body->kid[i];

			if (st->kind == N_DECLSTMT && st->nkid && st->kid[0]->decl == r->decl &&
			    st->kid[0]->nkid)
				sc.alias = source_text(ctx, st->kid[0]->kid[0]);
		}
		if (!sc.alias)
			sc.alias = single_assignment(ctx, fn, r->decl);
	}

	/* pages * PAGE_SIZE ... if (pages == vma_pages(vma)) */
	if (r && r->kind == N_BINARY && r->nkid == 2 && node_strip(r->kid[0])->kind == N_REF)
		sc.local = node_strip(r->kid[0])->name;
	reach(ctx, fn, &fns, 0);
	for (size_t i = 0; i < fns.n && !sc.found; i++)
		node_walk(((struct func *)fns.v[i])->body, find_size_check, &sc);
	vec_free(&fns, NULL);
	free(sc.size);
	free(sc.alias);
	return sc.found;
}

static void check_remap(struct ctx *ctx, struct func *fn, struct node *call)
{
	struct node *addr = call->nkid > 2 ? call->kid[2] : NULL;
	struct node *size = call->nkid > 4 ? call->kid[4] : NULL;
	struct pgoff_find pf = { call, NULL };
	const char *why = NULL;
	char *at = NULL, *sz = NULL;
	struct finding *f;

	if (!addr || !size || cow_rejected(ctx, fn, 0))
		return;
	if (!returned(call))	/* return remap_pfn_range(...): nothing follows it */
		node_walk(fn->body, find_pgoff, &pf);
	if (pf.found)
		why = "maps the vma and then changes vm_pgoff, which it sets to the first PFN "
		      "of a COW mapping";
	else if (in_loop(call))
		why = "maps the vma one piece at a time, in a loop";
	else if (!text_of_local_is(fn, addr, "vm_start", NULL) || offset_added(addr))
		why = "maps at an address that is not the start of the vma";
	else if (!size_of_vma(fn, size) && !size_checked(ctx, fn, size) &&
		 !from_param(size, ref_decl_of(call->kid[1])))
		why = "maps a size not computed from the vma's extent";
	if (!why)
		return;
	at = source_text(ctx, addr);
	sz = source_text(ctx, size);
	f = report_finding(ctx, "pfnmap-cow-partial-remap", fn, call,
		"%s() %s (address %s, size %s), and nothing on the way here rejects a "
		"copy-on-write mapping: for a COW mapping remap_pfn_range() requires the whole "
		"vma ('if (addr != vma->vm_start || end != vma->vm_end) return -EINVAL;') and "
		"records the PFN in vm_pgoff for x86 PAT and vm_normal_page() (CVE-2024-35877); "
		"reject COW mappings (is_cow_mapping() or a VM_SHARED requirement) or map the "
		"whole vma",
		node_callee(call), why, at, sz);
	if (pf.found)
		add_evidence(ctx, &f->evidence, pf.found, "vm_pgoff changed here");
	free(at);
	free(sz);
}

static void check_tu(struct ctx *ctx)
{
	struct vec seen = { 0 }, paths = { 0 };

	/* ->mmap handlers found through ops tables */
	for (size_t i = 0; i < ctx->tu->globals.n; i++) {
		struct node *var = ctx->tu->globals.v[i];
		struct node *entry = NULL;
		struct func *mmap = ops_field(ctx, var, "mmap", &entry);

		if (!mmap)
			mmap = ops_field(ctx, var, "fb_mmap", &entry);
		if (mmap && !in_vec(&seen, mmap)) {
			vec_push(&seen, mmap);
			reach(ctx, mmap, &paths, 0);
			check_mmap(ctx, var, entry, mmap);
		}
	}
	/* exported mmap functions that set VM_PFNMAP, called from other files */
	for (size_t i = 0; i < ctx->tu->funcs.n; i++) {
		struct func *fn = ctx->tu->funcs.v[i];
		bool takes_vma = false;

		for (size_t p = 0; p < fn->params.n; p++) {
			struct decl *d = fn->params.v[p];

			takes_vma |= d->type && strstr(d->type, "struct vm_area_struct *");
		}
		if (fn->is_static || !fn->body || fn->file || !takes_vma || in_vec(&paths, fn))
			continue;
		check_mmap(ctx, NULL, NULL, fn);
	}
	vec_free(&paths, NULL);
	vec_free(&seen, NULL);
	for (size_t i = 0; i < ctx->calls.n; i++) {
		struct api_call *ac = ctx->calls.v[i];

		if ((!strcmp(ac->api->name, "remap_pfn_range") ||
		     !strcmp(ac->api->name, "io_remap_pfn_range")) && !tu_func(ctx->tu, ac->api->name))
			check_remap(ctx, ac->fn, ac->call);
	}
}

void check_pfnmap_cow(struct registry *r)
{
	add_tu_hook(r, check_tu);
}
