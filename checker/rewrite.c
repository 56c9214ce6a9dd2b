// SPDX-License-Identifier: GPL-2.0
/*
 * rewrite.c: the source edits that turn each convertible kmap() site into
 * kmap_local_page() (issue 4).  Runs in the worker, after check_kmap has
 * classified every site, on the AST's exact byte offsets in the main file.
 *
 * A site is converted completely or not at all: its kmap() call, every
 * kunmap() of its page in the function, and (discarded-return form) every
 * page_address() of the page while it is mapped.  When any of that cannot
 * be written exactly (a macro, an address that is not kept in a variable,
 * an unmap through a helper), the site gets no edits and a reason instead.
 *
 * The result travels in site->fix (see fix_encode()): the parent's patch
 * writer (patch.c) applies the edits to the file and makes the series.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "rewrite.h"

/* One convertible kmap() site and what its conversion needs. */
struct plan {
	struct api_call *ac;
	char *page_text;
	struct decl *page_decl;	/* the page, when it is a variable */
	struct vec alias;	/* char *: what the page variable was set from */
	bool discarded;		/* kmap(page); with the return value unused */
	struct vec unmaps;	/* struct node *: kunmap() calls of the page */
	struct vec edits;	/* struct edit * */
	char *addr;		/* address expression for kunmap_local() */
	char *fail;		/* why it is not converted */
	bool swapped;		/* an unmap was moved to make the order LIFO */
};

struct fnplan {
	struct ctx *ctx;
	struct func *fn;
	const char *text;	/* the main file */
	size_t len;
	const char *map_local, *unmap_local;	/* from rules/apis.tbl */
	struct plan *p;
	unsigned n;
};

static void edit_add(struct vec *v, unsigned begin, unsigned end, const char *text)
{
	struct edit *e = xcalloc(1, sizeof(*e));

	e->begin = begin;
	e->end = end;
	e->text = xstrdup(text);
	vec_push(v, e);
}

void edit_free(void *p)
{
	struct edit *e = p;

	free(e->text);
	free(e);
}

static void plan_fail(struct plan *pl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void plan_fail(struct plan *pl, const char *fmt, ...)
{
	va_list ap;

	if (pl->fail)
		return;
	va_start(ap, fmt);
	if (vasprintf(&pl->fail, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
}

static bool is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* A node written in the main file with usable offsets. */
static bool in_main(const struct fnplan *fp, const struct node *n)
{
	return n && !n->in_macro && n->file == 0 && n->begin < n->end && n->end <= fp->len;
}

/* The source of @n as written. */
static char *src_of(const struct fnplan *fp, const struct node *n)
{
	return strndup(fp->text + n->begin, n->end - n->begin);
}

/* A call "NAME ( ... )" written out in full in the main file. */
static bool call_written(const struct fnplan *fp, const struct node *call)
{
	size_t l;

	if (!in_main(fp, call) || !call->name)
		return false;
	l = strlen(call->name);
	return call->end - call->begin > l && !strncmp(fp->text + call->begin, call->name, l) &&
	       !is_ident(fp->text[call->begin + l]) && fp->text[call->end - 1] == ')';
}

static struct node *up(struct node *n)
{
	struct node *p = n->parent;

	while (p && (p->kind == N_PAREN || p->kind == N_CAST))
		p = p->parent;
	return p;
}

/*
 * Does expression @n name the site's page?  A page variable is compared by
 * declaration (two blocks may each declare their own "page"), anything
 * else by its normalised text; both through what the variable was set from.
 */
static bool page_matches(const struct plan *pl, struct node *n)
{
	struct node *x = node_strip(n);
	char *text;
	bool same;

	if (pl->page_decl && x->kind == N_REF && x->decl == pl->page_decl)
		return true;
	text = node_text(x);
	same = !pl->page_decl && !strcmp(pl->page_text, text);
	for (size_t i = 0; i < pl->alias.n && !same; i++)
		same = !strcmp(pl->alias.v[i], text);
	free(text);
	return same;
}

static bool is_global_unmap(const struct fnplan *fp, const struct node *n)
{
	const struct api *api;

	if (n->kind != N_CALL || !n->name || n->nkid < 2)
		return false;
	api = rules_api(fp->ctx->rules, n->name);
	return api && api->role == API_UNMAP && api->scope == SCOPE_GLOBAL && api->arg == ARG_PAGE;
}

static bool is_global_map(const struct fnplan *fp, const struct node *n)
{
	const struct api *api;

	if (n->kind != N_CALL || !n->name || n->nkid < 2)
		return false;
	api = rules_api(fp->ctx->rules, n->name);
	return api && api->role == API_MAP && api->scope == SCOPE_GLOBAL;
}

/* Collect nodes of the function body matching a predicate. */
struct collect {
	struct fnplan *fp;
	bool (*want)(const struct fnplan *fp, const struct node *n);
	struct vec out;
};

static void collect_fn(struct node *n, void *data)
{
	struct collect *c = data;

	if (c->want(c->fp, n))
		vec_push(&c->out, n);
}

static void collect(struct fnplan *fp, bool (*want)(const struct fnplan *, const struct node *),
		    struct vec *out)
{
	struct collect c = { fp, want, { 0 } };

	node_walk(fp->fn->body, collect_fn, &c);
	*out = c.out;
}

static bool is_page_address(const struct fnplan *fp, const struct node *n)
{
	return n->kind == N_CALL && n->name && n->nkid == 2 &&
	       rules_is_page_address(fp->ctx->rules, n->name);
}

static bool is_assignment(const struct fnplan *fp, const struct node *n)
{
	(void)fp;
	return (n->kind == N_BINARY && n->nkid == 2 && n->op[0] && strchr("=+-*/%&|^<>", n->op[0]) &&
		!strcmp(n->op + strlen(n->op) - 1, "=") && strcmp(n->op, "==") &&
		strcmp(n->op, "!=") && strcmp(n->op, "<=") && strcmp(n->op, ">=")) ||
	       (n->kind == N_UNARY && (strstr(n->op, "++") || strstr(n->op, "--") ||
				       !strcmp(n->op, "&")));
}

static bool is_var(const struct fnplan *fp, const struct node *n)
{
	(void)fp;
	return n->kind == N_VAR;
}

/* What a page variable was set from: kunmap(E) then unmaps kmap(page). */
static void find_aliases(struct fnplan *fp, struct plan *pl, struct node *arg)
{
	struct vec v;

	if (arg->kind != N_REF || !arg->decl || arg->decl->kind != D_LOCAL)
		return;
	collect(fp, is_var, &v);
	for (size_t i = 0; i < v.n; i++) {
		struct node *n = v.v[i];

		if (n->decl == arg->decl && n->nkid && node_strip(n->kid[0])->kind != N_CALL)
			vec_push(&pl->alias, node_text(node_strip(n->kid[0])));
	}
	vec_free(&v, NULL);
	collect(fp, is_assignment, &v);
	for (size_t i = 0; i < v.n; i++) {
		struct node *n = v.v[i], *l, *r;

		if (n->kind != N_BINARY || strcmp(n->op, "="))
			continue;
		l = node_strip(n->kid[0]);
		r = node_strip(n->kid[1]);
		if (l->kind == N_REF && l->decl == arg->decl && r->kind != N_CALL)
			vec_push(&pl->alias, node_text(r));
	}
	vec_free(&v, NULL);
}

/* Is @n inside @anc? */
static bool inside(const struct node *n, const struct node *anc)
{
	for (const struct node *p = n; p; p = p->parent)
		if (p == anc)
			return true;
	return false;
}

/* The declaration node of local variable @d in the function. */
static struct node *var_node(struct fnplan *fp, const struct decl *d)
{
	struct vec v;
	struct node *found = NULL;

	collect(fp, is_var, &v);
	for (size_t i = 0; i < v.n && !found; i++)
		if (((struct node *)v.v[i])->decl == d)
			found = v.v[i];
	vec_free(&v, NULL);
	return found;
}

static struct node *enclosing_block(struct node *n)
{
	for (struct node *p = n->parent; p; p = p->parent)
		if (p->kind == N_COMPOUND)
			return p;
	return NULL;
}

/*
 * Is @d written in the function, other than by @except, between source
 * offsets @from and @to (or anywhere, for &d)?
 */
static const struct node *written_between(struct fnplan *fp, const struct decl *d,
					  const struct node *except, unsigned from, unsigned to)
{
	struct vec v;
	const struct node *found = NULL;

	collect(fp, is_assignment, &v);
	for (size_t i = 0; i < v.n && !found; i++) {
		struct node *n = v.v[i], *l = n->nkid ? node_strip(n->kid[0]) : NULL;

		if (n == except || !l || l->kind != N_REF || l->decl != d)
			continue;
		if ((n->kind == N_UNARY && !strcmp(n->op, "&")) || n->in_macro ||
		    (n->end > from && n->begin < to))
			found = n;
	}
	vec_free(&v, NULL);
	return found;
}

/* The end of the last unmap of @pl, or 0 when one comes before the map. */
static unsigned last_unmap(const struct plan *pl)
{
	unsigned last = pl->ac->call->end;

	for (size_t i = 0; i < pl->unmaps.n; i++) {
		const struct node *u = pl->unmaps.v[i];

		if (u->begin < pl->ac->call->end)
			return 0;
		if (u->end > last)
			last = u->end;
	}
	return last;
}

/*
 * kunmap(page) becomes kunmap_local(ADDR): ADDR is the variable the
 * address is stored into.
 */
static void find_addr(struct fnplan *fp, struct plan *pl)
{
	struct node *c = pl->ac->call, *p = up(c);
	const struct node *w;
	struct decl *d = NULL;
	struct node *decl_node = NULL;

	/*
	 * kmap(page) + offset: kunmap_local() needs an address inside the
	 * page, and nothing here proves that the offset keeps it there.
	 */
	if (p && p->kind == N_BINARY && (!strcmp(p->op, "+") || !strcmp(p->op, "-"))) {
		plan_fail(pl, "only the mapping plus an offset is kept, and the offset is not "
			  "known to stay inside the page that kunmap_local() must be given");
		return;
	}
	if (p && p->kind == N_VAR) {
		d = p->decl;
		decl_node = p;
	} else if (p && p->kind == N_BINARY && !strcmp(p->op, "=") && p->nkid == 2 &&
		   inside(c, p->kid[1])) {
		struct node *l = node_strip(p->kid[0]);

		if (l->kind == N_REF && l->decl) {
			d = l->decl;
		} else if (l->kind == N_MEMBER && !l->arrow && l->is_pointer && in_main(fp, l) &&
			   node_strip(l->kid[0])->kind == N_REF &&
			   node_strip(l->kid[0])->decl &&
			   node_strip(l->kid[0])->decl->kind == D_LOCAL) {
			/* a field of a local struct: sp.start = kmap(page) */
			pl->addr = src_of(fp, l);
			return;
		}
	}
	if (!d) {
		plan_fail(pl, "the mapped address is not kept in a variable that "
			  "kunmap_local() could be given");
		return;
	}
	if (d->kind != D_LOCAL || !d->is_pointer) {
		plan_fail(pl, "the address is kept in %s, not a local pointer variable",
			  d->name);
		return;
	}
	/*
	 * The variable must hold the address from the map to every unmap: no
	 * other write in between (a later kmap() of the same function may
	 * reuse it once this mapping is gone).
	 */
	if (!last_unmap(pl)) {
		plan_fail(pl, "an unmap comes before the map in the source (a loop); the "
			  "variable holding the address cannot be followed there");
		return;
	}
	w = written_between(fp, d, p, pl->ac->call->end, last_unmap(pl));
	if (w) {
		plan_fail(pl, "%s, which holds the address, is also written at line %u",
			  d->name, w->line);
		return;
	}
	if (!decl_node)
		decl_node = var_node(fp, d);
	if (!decl_node) {
		plan_fail(pl, "the declaration of %s was not found", d->name);
		return;
	}
	/* every kunmap() must be in the scope of the variable */
	for (size_t i = 0; i < pl->unmaps.n; i++) {
		struct node *b = enclosing_block(decl_node);

		if (!b || !inside(pl->unmaps.v[i], b)) {
			plan_fail(pl, "the unmap at line %u is outside the scope of %s",
				  ((struct node *)pl->unmaps.v[i])->line, d->name);
			return;
		}
	}
	pl->addr = xstrdup(d->name);
}

/* An identifier not written anywhere in the function. */
static char *fresh_name(struct fnplan *fp, const char *base)
{
	const struct node *b = fp->fn->body;

	for (unsigned k = 0;; k++) {
		char *name = k ? xasprintf("%s%u", base, k + 1) : xstrdup(base);
		size_t l = strlen(name);
		bool used = false;

		for (unsigned o = b->begin; o + l <= b->end && !used; o++)
			used = !strncmp(fp->text + o, name, l) &&
			       (o == 0 || !is_ident(fp->text[o - 1])) && !is_ident(fp->text[o + l]);
		for (size_t i = 0; i < fp->fn->params.n && !used; i++)
			used = !strcmp(((struct decl *)fp->fn->params.v[i])->name, name);
		if (!used)
			return name;
		free(name);
	}
}

/* The whitespace that starts the line holding offset @off, or NULL. */
static char *indent_of(const struct fnplan *fp, unsigned off)
{
	unsigned s = off;

	while (s > 0 && fp->text[s - 1] != '\n')
		s--;
	for (unsigned i = s; i < off; i++)
		if (fp->text[i] != ' ' && fp->text[i] != '\t')
			return NULL;
	return strndup(fp->text + s, off - s);
}

/* The offset just past the end of the line where @off is, if only
 * ';' and blanks follow; else 0. */
static unsigned after_line(const struct fnplan *fp, unsigned off)
{
	while (off < fp->len && (fp->text[off] == ';' || fp->text[off] == ' ' ||
				 fp->text[off] == '\t'))
		off++;
	return off < fp->len && fp->text[off] == '\n' ? off + 1 : 0;
}

/*
 * kmap(page); then page_address(page): keep the address in a new variable
 * declared at the top of the block, and use it for page_address() and
 * kunmap_local().
 */
static void plan_discarded(struct fnplan *fp, struct plan *pl)
{
	struct node *call = pl->ac->call, *block = call->parent, *arg;
	struct vec pa = { 0 }, all;
	unsigned last = call->end, at = 0;
	char *name, *ind = NULL, *decl;
	unsigned k;

	if (!block || block->kind != N_COMPOUND) {
		plan_fail(pl, "kmap() with its result unused is not a statement of its own block");
		return;
	}
	for (size_t i = 0; i < pl->unmaps.n; i++) {
		struct node *u = pl->unmaps.v[i];

		if (!inside(u, block) || u->begin < call->end) {
			plan_fail(pl, "the unmap at line %u is outside the block that maps the page",
				  u->line);
			return;
		}
		if (u->end > last)
			last = u->end;
	}
	arg = node_strip(call->kid[1]);
	if (arg->kind == N_REF && arg->decl) {
		const struct node *w = written_between(fp, arg->decl, NULL, call->end, last);

		if (w) {
			plan_fail(pl, "the page variable is reassigned at line %u while mapped",
				  w->line);
			return;
		}
	}
	collect(fp, is_page_address, &all);
	for (size_t i = 0; i < all.n; i++) {
		struct node *n = all.v[i];

		if (page_matches(pl, n->kid[1]))
			vec_push(&pa, n);
	}
	vec_free(&all, NULL);
	for (size_t i = 0; i < pa.n && !pl->fail; i++) {
		struct node *n = pa.v[i];

		if (!in_main(fp, n) || n->begin < call->end || n->end > last || !inside(n, block))
			plan_fail(pl, "page_address() of the page at line %u is outside the mapping "
				  "or in a macro", n->line);
	}
	if (pl->fail) {
		vec_free(&pa, NULL);
		return;
	}
	/* the declaration: after the block's leading declarations */
	for (k = 0; k < block->nkid && block->kid[k]->kind == N_DECLSTMT; k++)
		;
	if (k > 0 && in_main(fp, block->kid[k - 1])) {
		at = after_line(fp, block->kid[k - 1]->end);
		ind = indent_of(fp, block->kid[k - 1]->begin);
	} else if (k == 0 && k < block->nkid && in_main(fp, block->kid[0]) && in_main(fp, block)) {
		at = after_line(fp, block->begin + 1);
		ind = indent_of(fp, block->kid[0]->begin);
	}
	if (!at || !ind) {
		plan_fail(pl, "no place to declare the address variable in the block");
		free(ind);
		vec_free(&pa, NULL);
		return;
	}
	name = fresh_name(fp, "kaddr");
	decl = xasprintf("%svoid *%s;\n%s", ind, name, k ? "" : "\n");
	edit_add(&pl->edits, at, at, decl);
	free(decl);
	for (size_t i = 0; i < pa.n; i++) {
		struct node *n = pa.v[i], *c = n, *p = n->parent;

		/* (T *)page_address(page) assigned or initialising: the cast of the
		 * void * is implicit, drop it with the call */
		while (p && (p->kind == N_PAREN || (p->kind == N_CAST && p->is_pointer))) {
			c = p;
			p = p->parent;
		}
		if (c != n && in_main(fp, c) && p && (p->kind == N_VAR ||
		    (p->kind == N_BINARY && !strcmp(p->op, "=") && p->nkid == 2 && p->kid[1] == c)))
			n = c;
		edit_add(&pl->edits, n->begin, n->end, name);
	}
	pl->addr = name;
	free(ind);
	vec_free(&pa, NULL);
}

static void plan_site(struct fnplan *fp, struct plan *pl)
{
	struct node *call = pl->ac->call, *arg, *own;
	struct vec maps, unmaps, others = { 0 };
	const char *klass = pl->ac->site->klass;

	if (!strcmp(klass, "cross-function")) {
		plan_fail(pl, "cross-function helper pairs are not rewritten by this version");
		return;
	}
	if (call->file != 0) {
		plan_fail(pl, "in an included file (a header or an #included .c): converting it "
			  "would change every file that includes it");
		return;
	}
	if (!call_written(fp, call)) {
		plan_fail(pl, "kmap() is written inside a macro");
		return;
	}
	arg = node_strip(call->kid[1]);
	pl->page_text = node_text(arg);
	if (arg->kind == N_REF && arg->decl)
		pl->page_decl = arg->decl;
	find_aliases(fp, pl, arg);
	own = enclosing_block(call);
	/*
	 * Another kmap() of the same page in the function: its unmaps can be
	 * told apart from this one's only when each map is in a block of its
	 * own (if (write) { map; ...; unmap; } else { map; ...; unmap; }) and
	 * every unmap of the page is in one of those blocks.
	 */
	collect(fp, is_global_map, &maps);
	for (size_t i = 0; i < maps.n && !pl->fail; i++) {
		struct node *m = maps.v[i], *bm = enclosing_block(m);

		if (m == call || !page_matches(pl, m->kid[1]))
			continue;
		if (!own || !bm || inside(bm, own) || inside(own, bm))
			plan_fail(pl, "the same page is also mapped at line %u; its kunmap() "
				  "calls cannot be told apart", m->line);
		else
			vec_push(&others, bm);
	}
	vec_free(&maps, NULL);
	collect(fp, is_global_unmap, &unmaps);
	for (size_t i = 0; i < unmaps.n && !pl->fail; i++) {
		struct node *u = unmaps.v[i];
		bool theirs = false;

		if (!page_matches(pl, u->kid[1]))
			continue;
		for (size_t k = 0; k < others.n; k++)
			theirs |= inside(u, others.v[k]);
		if (!others.n || inside(u, own))
			vec_push(&pl->unmaps, u);
		else if (!theirs)
			plan_fail(pl, "the same page is also mapped in another block, and the "
				  "kunmap() at line %u is in neither", u->line);
	}
	vec_free(&unmaps, NULL);
	vec_free(&others, NULL);
	if (pl->fail)
		return;
	if (!pl->unmaps.n) {
		plan_fail(pl, "unmapped through a helper function; helper pairs are not rewritten "
			  "by this version");
		return;
	}
	for (size_t i = 0; i < pl->unmaps.n; i++) {
		struct node *u = pl->unmaps.v[i];

		if (!call_written(fp, u)) {
			plan_fail(pl, "the kunmap() at line %u is written inside a macro", u->line);
			return;
		}
	}
	/* a helper of this file that unmaps the page it is given */
	for (unsigned i = 0; i < fp->ctx->tu->funcs.n; i++) {
		struct func *g = fp->ctx->tu->funcs.v[i];

		for (size_t c = 0; c < g->callers.n; c++) {
			struct node *cl = g->callers.v[c];

			if (!inside(cl, fp->fn->body))
				continue;
			for (unsigned a = 1; a < cl->nkid; a++) {
				if (page_matches(pl, cl->kid[a]) && g->body && summarise_param(fp->ctx, g, (int)a - 1)->unmaps) {
					plan_fail(pl, "also unmapped through %s() at line %u; helper "
						  "pairs are not rewritten by this version",
						  g->name, cl->line);
					return;
				}
			}
		}
	}
	pl->discarded = up(call) && up(call)->kind == N_COMPOUND;
	if (pl->discarded)
		plan_discarded(fp, pl);
	else
		find_addr(fp, pl);
	if (pl->fail)
		return;
	{
		char *t = pl->discarded ? xasprintf("%s = %s", pl->addr, fp->map_local)
					: xstrdup(fp->map_local);

		edit_add(&pl->edits, call->begin, call->begin + (unsigned)strlen(call->name), t);
		free(t);
	}
	for (size_t i = 0; i < pl->unmaps.n; i++) {
		struct node *u = pl->unmaps.v[i];
		char *t = xasprintf("%s(%s)", fp->unmap_local, pl->addr);

		edit_add(&pl->edits, u->begin, u->end, t);
		free(t);
	}
}

/* The edit of plan @pl that rewrites unmap call @u. */
static struct edit *unmap_edit(struct plan *pl, const struct node *u)
{
	for (size_t i = 0; i < pl->edits.n; i++) {
		struct edit *e = pl->edits.v[i];

		if (e->begin == u->begin && e->end == u->end)
			return e;
	}
	return NULL;
}

/* The statement of @u's block just after it, if it is a call. */
static struct node *next_stmt(struct node *u)
{
	struct node *b = u->parent;

	if (!b || b->kind != N_COMPOUND)
		return NULL;
	for (unsigned i = 0; i + 1 < b->nkid; i++)
		if (b->kid[i] == u)
			return b->kid[i + 1];
	return NULL;
}

/*
 * local-reorder: where kunmap(a); kunmap(b); undoes a before b although b
 * was mapped later, swap the two unmaps.  Any other out-of-order unmap in
 * the function (a FIFO loop, unmaps that are not adjacent) is not
 * rewritten: the sites stay unconverted with that reason.
 */
static void plan_reorder(struct fnplan *fp)
{
	bool any = false;

	for (unsigned a = 0; a < fp->n; a++)
		any |= !strcmp(fp->p[a].ac->site->klass, "local-reorder");
	if (!any)
		return;
	for (unsigned a = 0; a < fp->n; a++) {
		struct plan *pa = &fp->p[a];

		if (pa->fail)
			continue;
		for (size_t i = 0; i < pa->unmaps.n; i++) {
			struct node *u = pa->unmaps.v[i];

			for (unsigned b = 0; b < fp->n; b++) {
				struct plan *pb = &fp->p[b];

				if (b == a || pb->fail || pb->ac->call->begin < pa->ac->call->begin)
					continue;
				/* b mapped after a: any unmap of b after this unmap of a, in the
				 * same block, is out of LIFO order */
				for (size_t j = 0; j < pb->unmaps.n; j++) {
					struct node *v = pb->unmaps.v[j];
					struct edit *ea, *eb;
					char *t;

					if (v->parent != u->parent || v->begin < u->end)
						continue;
					if (next_stmt(u) != v) {
						plan_fail(pa, "the unmaps at lines %u and %u are out of "
							  "LIFO order and not adjacent", u->line, v->line);
						plan_fail(pb, "the unmaps at lines %u and %u are out of "
							  "LIFO order and not adjacent", u->line, v->line);
						continue;
					}
					ea = unmap_edit(pa, u);
					eb = unmap_edit(pb, v);
					if (!ea || !eb)
						continue;
					/* swap the texts: b is unmapped first */
					t = ea->text;
					ea->text = eb->text;
					eb->text = t;
					pa->swapped = pb->swapped = true;
				}
			}
		}
	}
	for (unsigned a = 0; a < fp->n; a++) {
		struct plan *pa = &fp->p[a];

		/* what is left is a FIFO loop (the site is its own other half) */
		if (!strcmp(pa->ac->site->klass, "local-reorder") && !pa->swapped)
			plan_fail(pa, "the out-of-order unmap (a loop that unmaps in mapping "
				  "order) is not rewritten by this version");
	}
}

/*
 * map + memcpy()/memset() + unmap of one page, three statements in a row,
 * with an address variable used nowhere else: the highmem.h helper of
 * rules/helpers.tbl (memcpy_from_page(), memcpy_to_page(), memzero_page())
 * does all three.  Sites that do not fit exactly keep the plain conversion.
 */
struct fold {
	struct plan *pl;
	const struct helper *h;
	struct decl *addr;
	struct node *map_stmt, *op_stmt;
	unsigned map_end;	/* just past the map statement's ';' */
	unsigned op_begin;	/* the call as written */
	unsigned unmap_end;	/* just past the unmap's ';' */
	char *call;		/* the helper call, without indentation */
};

/* Does a statement starting at @begin and ending at @end have its lines to itself? */
static bool own_lines(const struct fnplan *fp, unsigned begin, unsigned end)
{
	char *indent = indent_of(fp, begin);

	free(indent);
	return indent && end && after_line(fp, end);
}

/* Just past the ';' that ends the statement ending at @off, or 0. */
static unsigned semicolon_after(const struct fnplan *fp, unsigned off)
{
	if (off && fp->text[off - 1] == ';')
		return off;
	while (off < fp->len && (fp->text[off] == ' ' || fp->text[off] == '\t'))
		off++;
	return off < fp->len && fp->text[off] == ';' ? off + 1 : 0;
}

static bool blank(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n')
			return false;
	return true;
}

/*
 * The arguments of the call written at @p: "NAME ( a, b, c ) ;", top-level
 * commas only; NULL unless that is all there is up to @end (blanks aside).
 */
static struct vec *call_args(const char *p, const char *end, const char *name)
{
	size_t l = strlen(name);
	struct vec *args;
	const char *a;
	int depth = 0;

	if ((size_t)(end - p) <= l || strncmp(p, name, l) || is_ident(p[l]))
		return NULL;
	p += l;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p != '(')
		return NULL;
	args = xcalloc(1, sizeof(*args));
	for (a = ++p; p < end; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p;

			for (p++; p < end && *p != q; p++)
				if (*p == '\\')
					p++;
			continue;
		}
		if (*p == '/' && p + 1 < end && (p[1] == '/' || p[1] == '*'))
			break;	/* a comment: not rewritten */
		if (*p == '(' || *p == '[' || *p == '{') {
			depth++;
		} else if (depth && (*p == ')' || *p == ']' || *p == '}')) {
			depth--;
		} else if (!depth && (*p == ',' || *p == ')')) {
			const char *b = a, *e = p;
			char *t, *w;

			while (b < e && strchr(" \t\n", *b))
				b++;
			while (e > b && strchr(" \t\n", e[-1]))
				e--;
			/* one line: runs of blanks with a newline become one space */
			t = w = xmalloc((size_t)(e - b) + 1);
			for (const char *c = b; c < e; c++) {
				if (*c == '\n') {
					while (w > t && (w[-1] == ' ' || w[-1] == '\t'))
						w--;
					*w++ = ' ';
					while (c + 1 < e && strchr(" \t\n", c[1]))
						c++;
				} else {
					*w++ = *c;
				}
			}
			*w = 0;
			vec_push(args, t);
			a = p + 1;
			if (*p == ')') {
				p++;
				while (p < end && (*p == ' ' || *p == '\t'))
					p++;
				if (p < end && *p == ';' && blank(p + 1, end) && **(char **)args->v)
					return args;
				break;
			}
		}
	}
	vec_free(args, free);
	free(args);
	return NULL;
}

/* "ADDR" (offset 0) or "ADDR + OFFSET" with nothing binding looser than +. */
static char *offset_of(const char *arg, const char *name)
{
	size_t l = strlen(name);
	const char *p = arg + l;
	int depth = 0;

	if (strncmp(arg, name, l) || is_ident(*p))
		return NULL;
	while (*p == ' ')
		p++;
	if (!*p)
		return xstrdup("0");
	if (*p++ != '+')
		return NULL;
	while (*p == ' ')
		p++;
	if (!*p)
		return NULL;
	for (const char *c = p; *c; c++) {
		if (*c == '(' || *c == '[')
			depth++;
		else if (*c == ')' || *c == ']')
			depth--;
		else if (!depth && (strchr("<=&|^?:!,", *c) || (*c == '>' && c[-1] != '-')))
			return NULL;
	}
	return xstrdup(p);
}

struct find_at {
	unsigned off;
	const char *name;
	struct node *found;
};

static void find_at_fn(struct node *n, void *data)
{
	struct find_at *fa = data;

	if ((n->kind == N_REF || n->kind == N_MEMBER) && n->name && n->file == 0 &&
	    n->begin == fa->off && !strcmp(n->name, fa->name))
		fa->found = n;
}

/*
 * Pointer argument @arg, written at offset @off, is a byte pointer: a
 * name or a chain of fields (buf, bh->b_data) whose type the parse gave.
 */
static bool bytes_arg(struct node *stmt, const char *arg, unsigned off)
{
	const char *last = arg;
	struct find_at fa = { 0, NULL, NULL };
	char *name;

	for (const char *p = arg; *p; p++) {
		if (!is_ident(*p) && *p != '.' && !(p[0] == '-' && p[1] == '>') &&
		    !(p[0] == '>' && p > arg && p[-1] == '-'))
			return false;
		if (*p == '.' || *p == '>')
			last = p + 1;
	}
	if (!is_ident(*arg) || (*arg >= '0' && *arg <= '9') || !*last)
		return false;
	name = xstrdup(last);
	fa.off = off;	/* a field chain's node starts where its base does */
	fa.name = name;
	node_walk(stmt, find_at_fn, &fa);
	free(name);
	return fa.found && fa.found->is_bytes;
}

/* Does @stmt call the function @name (through whatever macro wraps it)? */
struct calls_named {
	const char *name;
	bool yes;
};

static void calls_named_fn(struct node *n, void *data)
{
	struct calls_named *cn = data;

	if (n->kind == N_CALL && n->name && str_ends(n->name, cn->name))
		cn->yes = true;
}

/* The offset of argument text @arg inside the written call at @from. */
static unsigned arg_offset(const struct fnplan *fp, unsigned from, unsigned to, const char *arg)
{
	size_t l = strlen(arg);

	for (unsigned o = from; o + l <= to; o++)
		if (!strncmp(fp->text + o, arg, l) && (o == from || !is_ident(fp->text[o - 1])))
			return o;
	return 0;
}

static char *fold_call(struct fnplan *fp, struct fold *fd, struct vec *args, const char *off)
{
	struct func *hf = tu_helper(fp->ctx->tu, fd->h->name);
	char *page, *out = xstrdup("");
	size_t k = 0;

	if (!hf || hf->params.n != fd->h->args.n || !in_main(fp, fd->pl->ac->call->kid[1]))
		return free(out), NULL;
	page = src_of(fp, fd->pl->ac->call->kid[1]);
	for (k = 0; k < fd->h->args.n; k++) {
		const char *a = fd->h->args.v[k], *t;
		struct decl *param = hf->params.v[k];
		char *n;

		if (!strcmp(a, "$page")) {
			t = page;
		} else if (!strcmp(a, "$off")) {
			t = off;
		} else {
			size_t i = strtoul(a + 1, NULL, 10);

			if (i >= args->n)
				break;
			t = args->v[i];
			/* a pointer parameter (char *to) takes a byte pointer only */
			if (param->is_pointer &&
			    !bytes_arg(fd->op_stmt, t, arg_offset(fp, fd->op_begin, fd->unmap_end, t)))
				break;
		}
		n = xasprintf("%s%s%s", out, k ? ", " : "", t);
		free(out);
		out = n;
	}
	free(page);
	if (k < fd->h->args.n)
		return free(out), NULL;
	{
		char *call = xasprintf("%s(%s);", fd->h->name, out);

		free(out);
		return call;
	}
}

/* The map, copy and unmap of @pl as three statements: which helper, if any. */
static bool fold_find(struct fnplan *fp, struct plan *pl, struct fold *fd)
{
	struct node *call = pl->ac->call, *p = up(call), *b, *u;
	unsigned i;

	memset(fd, 0, sizeof(*fd));
	fd->pl = pl;
	if (pl->fail || pl->discarded || pl->swapped || pl->unmaps.n != 1 ||
	    strcmp(pl->ac->site->klass, "local") || !p)
		return false;
	if (p->kind == N_VAR && p->decl && p->parent && p->parent->kind == N_DECLSTMT &&
	    p->parent->nkid == 1) {
		fd->addr = p->decl;
		fd->map_stmt = p->parent;
	} else if (p->kind == N_BINARY && !strcmp(p->op, "=") && p->nkid == 2 &&
		   node_strip(p->kid[0])->kind == N_REF) {
		fd->addr = node_strip(p->kid[0])->decl;
		fd->map_stmt = p;
	}
	if (!fd->addr || fd->addr->kind != D_LOCAL || !fd->addr->is_pointer || !fd->addr->is_bytes ||
	    !in_main(fp, fd->map_stmt))
		return false;
	b = fd->map_stmt->parent;
	u = pl->unmaps.v[0];
	if (!b || b->kind != N_COMPOUND || u->parent != b)
		return false;
	for (i = 0; i + 2 < b->nkid && b->kid[i] != fd->map_stmt; i++)
		;
	if (i + 2 >= b->nkid || b->kid[i + 2] != u)
		return false;
	fd->op_stmt = b->kid[i + 1];
	fd->map_end = semicolon_after(fp, fd->map_stmt->end);
	fd->unmap_end = semicolon_after(fp, u->end);
	if (!fd->map_end || !fd->unmap_end || !own_lines(fp, fd->map_stmt->begin, fd->map_end))
		return false;
	for (fd->op_begin = fd->map_end; fd->op_begin < u->begin &&
	     strchr(" \t\n", fp->text[fd->op_begin]); fd->op_begin++)
		;
	for (size_t k = 0; k < fp->ctx->rules->helpers.n && !fd->call; k++) {
		const struct helper *h = fp->ctx->rules->helpers.v[k];
		struct vec *args = call_args(fp->text + fd->op_begin, fp->text + u->begin, h->call);
		struct calls_named cn = { h->call, false };
		char *off;

		if (!args)
			continue;
		node_walk(fd->op_stmt, calls_named_fn, &cn);
		off = cn.yes && (size_t)h->addr < args->n && (h->need < 0 ||
		      ((size_t)h->need < args->n && !strcmp(args->v[h->need], h->need_text))) ?
		      offset_of(args->v[h->addr], fd->addr->name) : NULL;
		fd->h = h;
		if (off)
			fd->call = fold_call(fp, fd, args, off);
		free(off);
		vec_free(args, free);
		free(args);
	}
	return fd->call != NULL;
}

struct refs {
	const struct decl *d;
	struct vec v;
};

static void refs_fn(struct node *n, void *data)
{
	struct refs *r = data;

	if (n->kind == N_REF && n->decl == r->d)
		vec_push(&r->v, n);
}

/* The lines holding [begin, end), and a blank line after them that would
 * otherwise follow an opening brace. */
static void delete_lines(const struct fnplan *fp, struct vec *edits, unsigned begin, unsigned end)
{
	unsigned s = begin, e = after_line(fp, end), before;

	while (s > 0 && fp->text[s - 1] != '\n')
		s--;
	for (before = s; before > 0 && strchr(" \t\n", fp->text[before - 1]); before--)
		;
	if (e && before > 0 && fp->text[before - 1] == '{' && e < fp->len && fp->text[e] == '\n')
		e++;
	edit_add(edits, s, e ? e : end, "");
}

/* Width of the text from the start of @off's line, tabs at 8. */
static unsigned column_of(const struct fnplan *fp, unsigned off)
{
	unsigned s = off, col = 0;

	while (s > 0 && fp->text[s - 1] != '\n')
		s--;
	for (; s < off; s++)
		col = fp->text[s] == '\t' ? (col + 8) & ~7u : col + 1;
	return col;
}

/* @call at column @col, its arguments wrapped under the '(' past 100 columns. */
static char *wrap_call(const char *call, unsigned col)
{
	const char *open = strchr(call, '(');
	unsigned align = col + (unsigned)(open - call) + 1, width = col;
	char *out, *n, *pad;
	const char *p = call;

	if (col + strlen(call) <= 100)
		return xstrdup(call);
	out = xstrdup("");
	pad = xmalloc(align / 8 + align % 8 + 1);
	memset(pad, '\t', align / 8);
	memset(pad + align / 8, ' ', align % 8);
	pad[align / 8 + align % 8] = 0;
	while (*p) {
		const char *e = strstr(p, ", ");
		size_t l = e ? (size_t)(e - p) + 1 : strlen(p);

		if (p != call && width + 1 + l > 100) {
			n = xasprintf("%s\n%s%.*s", out, pad, (int)l, p);
			width = align + (unsigned)l;
		} else {
			n = xasprintf("%s%s%.*s", out, p == call ? "" : " ", (int)l, p);
			width += (p == call ? 0 : 1) + (unsigned)l;
		}
		free(out);
		out = n;
		p += l;
		if (*p == ' ')
			p++;
	}
	free(pad);
	return out;
}

static void plan_helpers(struct fnplan *fp)
{
	struct fold *fd = xcalloc(fp->n, sizeof(*fd));

	for (unsigned k = 0; k < fp->n; k++)
		fold_find(fp, &fp->p[k], &fd[k]);
	for (unsigned k = 0; k < fp->n; k++) {
		struct refs r = { fd[k].addr, { 0 } };
		struct node *decl = NULL;
		bool ok = fd[k].call != NULL, first = true;

		if (!ok)
			continue;
		/* every use of the address is in a map or copy folded away */
		node_walk(fp->fn->body, refs_fn, &r);
		for (size_t i = 0; i < r.v.n && ok; i++) {
			bool in = false;

			for (unsigned j = 0; j < fp->n && !in; j++)
				in = fd[j].call && fd[j].addr == fd[k].addr &&
				     (inside(r.v.v[i], fd[j].map_stmt) || inside(r.v.v[i], fd[j].op_stmt));
			ok = in;
		}
		vec_free(&r.v, NULL);
		for (unsigned j = 0; j < k; j++)
			first &= !(fd[j].call && fd[j].addr == fd[k].addr);
		/* the variable goes too: its own line, no initialiser */
		if (ok && fd[k].map_stmt->kind != N_DECLSTMT) {
			decl = var_node(fp, fd[k].addr);
			ok = decl && !decl->nkid && decl->parent && decl->parent->kind == N_DECLSTMT &&
			     decl->parent->nkid == 1 && in_main(fp, decl->parent) &&
			     own_lines(fp, decl->parent->begin, semicolon_after(fp, decl->parent->end));
		}
		if (!ok) {
			/* none of the folds sharing this variable */
			for (unsigned j = 0; j < fp->n; j++)
				if (j != k && fd[j].addr == fd[k].addr) {
					free(fd[j].call);
					fd[j].call = NULL;
				}
			free(fd[k].call);
			fd[k].call = NULL;
			continue;
		}
		{
			struct plan *pl = fd[k].pl;
			char *call = wrap_call(fd[k].call, column_of(fp, fd[k].op_begin));

			vec_free(&pl->edits, edit_free);
			delete_lines(fp, &pl->edits, fd[k].map_stmt->begin, fd[k].map_end);
			edit_add(&pl->edits, fd[k].op_begin, fd[k].unmap_end, call);
			if (decl && first)
				delete_lines(fp, &pl->edits, decl->parent->begin,
					     semicolon_after(fp, decl->parent->end));
			free(call);
		}
	}
	for (unsigned k = 0; k < fp->n; k++)
		free(fd[k].call);
	free(fd);
}

/* Overlapping edits of two sites, or one failed site of a reordered
 * function: convert none of them. */
static void plan_conflicts(struct fnplan *fp)
{
	bool reorder = false, failed = false;

	for (unsigned a = 0; a < fp->n; a++) {
		for (unsigned b = a + 1; b < fp->n; b++) {
			struct plan *pa = &fp->p[a], *pb = &fp->p[b];

			for (size_t i = 0; i < pa->edits.n; i++)
				for (size_t j = 0; j < pb->edits.n; j++) {
					struct edit *x = pa->edits.v[i], *y = pb->edits.v[j];

					if (x->begin < y->end && y->begin < x->end) {
						plan_fail(pa, "its rewrite overlaps the one of the kmap() "
							  "at line %u", pb->ac->call->line);
						plan_fail(pb, "its rewrite overlaps the one of the kmap() "
							  "at line %u", pa->ac->call->line);
					}
				}
		}
		reorder |= !strcmp(fp->p[a].ac->site->klass, "local-reorder");
		failed |= fp->p[a].fail != NULL;
	}
	if (!reorder || !failed)
		return;
	for (unsigned a = 0; a < fp->n; a++)
		plan_fail(&fp->p[a], "another mapping of this function that takes part in the "
			  "unmap reorder is not converted");
}

/*
 * site->fix: "E<begin>,<end>,<length>:<text>" per edit, or "N<reason>"
 * for a convertible site that is not converted.
 */
static char *fix_encode(const struct plan *pl)
{
	char *s = xstrdup("");

	if (pl->fail) {
		free(s);
		return xasprintf("N%s", pl->fail);
	}
	for (size_t i = 0; i < pl->edits.n; i++) {
		const struct edit *e = pl->edits.v[i];
		char *t = xasprintf("%sE%u,%u,%zu:%s", s, e->begin, e->end, strlen(e->text),
				    e->text);

		free(s);
		s = t;
	}
	return s;
}

bool fix_decode(const char *fix, struct vec *edits, char **reason)
{
	*reason = NULL;
	if (!fix)
		return false;
	if (fix[0] == 'N') {
		*reason = xstrdup(fix + 1);
		return false;
	}
	while (*fix == 'E') {
		unsigned b, e;
		size_t l;
		int used = 0;

		if (sscanf(fix + 1, "%u,%u,%zu:%n", &b, &e, &l, &used) != 3 || !used ||
		    strnlen(fix + 1 + used, l) < l || e < b)
			break;
		fix += 1 + used;
		{
			struct edit *ed = xcalloc(1, sizeof(*ed));

			ed->begin = b;
			ed->end = e;
			ed->text = strndup(fix, l);
			vec_push(edits, ed);
		}
		fix += l;
	}
	if (*fix) {
		*reason = xstrdup("malformed rewrite record");
		vec_free(edits, edit_free);
		return false;
	}
	return edits->n > 0;
}

static const char *api_named(const struct rules *rs, enum api_role role, enum map_scope scope,
			     enum arg_kind arg)
{
	for (size_t i = 0; i < rs->apis.n; i++) {
		const struct api *a = rs->apis.v[i];

		if (a->role == role && a->scope == scope && a->arg == arg)
			return role == API_MAP ? a->name : a->shown;
	}
	return NULL;
}

static bool convertible(const struct site *s)
{
	return !strcmp(s->klass, "local") || !strcmp(s->klass, "local-reorder") ||
	       !strcmp(s->klass, "cross-function");
}

static void rewrite_function(struct ctx *ctx, struct func *fn)
{
	struct fnplan fp = { ctx, fn, ctx->tu->main_text, ctx->tu->main_len, NULL, NULL, NULL, 0 };

	fp.map_local = api_named(ctx->rules, API_MAP, SCOPE_LOCAL, ARG_PAGE);
	fp.unmap_local = api_named(ctx->rules, API_UNMAP, SCOPE_LOCAL, ARG_ADDR);
	for (size_t i = 0; i < ctx->calls.n; i++) {
		struct api_call *ac = ctx->calls.v[i];

		if (ac->fn == fn && ac->api->role == API_MAP && ac->api->scope == SCOPE_GLOBAL &&
		    convertible(ac->site))
			fp.n++;
	}
	if (!fp.n)
		return;
	fp.p = xcalloc(fp.n, sizeof(*fp.p));
	fp.n = 0;
	for (size_t i = 0; i < ctx->calls.n; i++) {
		struct api_call *ac = ctx->calls.v[i];

		if (ac->fn == fn && ac->api->role == API_MAP && ac->api->scope == SCOPE_GLOBAL &&
		    convertible(ac->site))
			fp.p[fp.n++].ac = ac;
	}
	for (unsigned k = 0; k < fp.n; k++) {
		if (!fp.map_local || !fp.unmap_local || !fp.text)
			plan_fail(&fp.p[k], "rules/apis.tbl names no local map/unmap pair");
		else
			plan_site(&fp, &fp.p[k]);
	}
	plan_reorder(&fp);
	plan_helpers(&fp);
	plan_conflicts(&fp);
	for (unsigned k = 0; k < fp.n; k++) {
		struct plan *pl = &fp.p[k];

		free(pl->ac->site->fix);
		pl->ac->site->fix = fix_encode(pl);
		free(pl->page_text);
		vec_free(&pl->alias, free);
		vec_free(&pl->unmaps, NULL);
		vec_free(&pl->edits, edit_free);
		free(pl->addr);
		free(pl->fail);
	}
	free(fp.p);
}

static void rewrite_tu(struct ctx *ctx)
{
	for (size_t i = 0; i < ctx->tu->funcs.n; i++) {
		struct func *fn = ctx->tu->funcs.v[i];

		if (fn->body)
			rewrite_function(ctx, fn);
	}
	summaries_free(ctx);
}

void check_rewrite(struct registry *r)
{
	add_tu_hook(r, rewrite_tu);
}
