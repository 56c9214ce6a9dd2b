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
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "edit.h"
#include "walk.h"

/* One convertible kmap() site and what its conversion needs. */
struct plan {
	struct api_call *ac;
	const struct page_facts *page;	/* call_page(): shared with check_kmap.c */
	bool discarded;		/* kmap(page); with the return value unused */
	struct vec unmaps;	/* struct node *: kunmap() calls of the page */
	struct vec edits;	/* struct edit * */
	char *addr;		/* address expression for kunmap_local() */
	char *fail;		/* why it is not converted */
	bool swapped;		/* an unmap was moved to make the order LIFO */
	struct node *loop;	/* the loop that maps into ARRAY[I], or NULL */
	struct decl *index;	/* its counter I */
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

/* Why @pl is not converted: the first reason found. */
#define plan_fail(pl, ...) fail_first(&(pl)->fail, __VA_ARGS__)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* A node written in the main file with usable offsets. */
static bool in_main(const struct fnplan *fp, const struct node *n)
{
	struct source src = { fp->text, fp->len };

	return src_in_main(&src, n);
}

/* The source of @n as written. */
static char *src_of(const struct fnplan *fp, const struct node *n)
{
	return strndup(fp->text + n->begin, n->end - n->begin);
}

/* A call "NAME ( ... )" written out in full in the main file. */
static bool call_written(const struct fnplan *fp, const struct node *call)
{
	struct source src = { fp->text, fp->len };

	return src_call_written(&src, call);
}

static struct node *up(struct node *n)
{
	struct node *p = n->parent;

	while (p && (p->kind == N_PAREN || p->kind == N_CAST))
		p = p->parent;
	return p;
}

static bool page_matches(const struct plan *pl, struct node *n)
{
	return pl->page && page_facts_match(pl->page, n);
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
 * for (I = LO; I < HI; I++) as written, counting I up over [LO, HI):
 * the three clauses, normalised, and the offsets just inside the
 * header's parentheses.
 */
struct count_up {
	char *var, *lo, *hi;
	unsigned open, close;
};

static void count_up_free(struct count_up *cu)
{
	free(cu->var);
	free(cu->lo);
	free(cu->hi);
	memset(cu, 0, sizeof(*cu));
}

/* @p..@end without leading and trailing blanks, inner blanks as one space. */
static char *squeeze(const char *p, const char *end)
{
	char *out = xcalloc(1, (size_t)(end - p) + 1), *w = out;

	for (; p < end; p++) {
		if (is_blank(*p)) {
			if (w > out && w[-1] != ' ')
				*w++ = ' ';
		} else {
			*w++ = *p;
		}
	}
	while (w > out && w[-1] == ' ')
		w--;
	*w = 0;
	return out;
}

static bool ident_only(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!ident_char(*s))
			return false;
	return true;
}

static bool count_up(const struct fnplan *fp, const struct node *loop, struct count_up *cu)
{
	const struct node *body = loop && loop->kind == N_FOR && loop->nkid ?
				  loop->kid[loop->nkid - 1] : NULL;
	const char *t = fp->text, *open, *close, *semi1 = NULL, *semi2 = NULL, *op;
	char *init = NULL, *cond = NULL, *inc = NULL;
	int depth = 0;
	bool ok = false;

	memset(cu, 0, sizeof(*cu));
	if (!body || !in_main(fp, loop) || !in_main(fp, body))
		return false;
	open = memchr(t + loop->begin, '(', body->begin - loop->begin);
	for (close = t + body->begin; close > t + loop->begin && *close != ')'; close--)
		;
	if (!open || close <= open)
		return false;
	for (const char *q = open + 1; q < close; q++) {
		depth += (*q == '(' || *q == '[') - (*q == ')' || *q == ']');
		if (*q == ';' && !depth) {
			if (!semi1)
				semi1 = q;
			else if (!semi2)
				semi2 = q;
			else
				return false;
		}
	}
	if (!semi2)
		return false;
	init = squeeze(open + 1, semi1);
	cond = squeeze(semi1 + 1, semi2);
	inc = squeeze(semi2 + 1, close);
	/* one clause each: no "i = 0, j = 0", no "i < n && i < 8" */
	if (strpbrk(init, ",?") || strpbrk(cond, ",?") || strstr(cond, "&&") ||
	    strstr(cond, "||"))
		goto out;
	/* init: I = LO */
	op = strchr(init, '=');
	if (!op || op == init || op[1] == '=' || strchr("<>!=", op[-1]))
		goto out;
	cu->var = squeeze(init, op);
	cu->lo = squeeze(op + 1, init + strlen(init));
	/* cond: I < HI */
	op = strchr(cond, '<');
	if (!op || op[1] == '<' || op[1] == '=')
		goto out;
	{
		char *v = squeeze(cond, op);

		ok = !strcmp(v, cu->var);
		free(v);
	}
	cu->hi = squeeze(op + 1, cond + strlen(cond));
	/* inc: I++, ++I or I += 1 */
	{
		char *a = xasprintf("%s++", cu->var), *b = xasprintf("++%s", cu->var),
		     *c = xasprintf("%s += 1", cu->var);

		ok = ok && ident_only(cu->var) && *cu->lo && *cu->hi &&
		     (!strcmp(inc, a) || !strcmp(inc, b) || !strcmp(inc, c));
		free(a);
		free(b);
		free(c);
	}
	cu->open = (unsigned)(open + 1 - t);
	cu->close = (unsigned)(close - t);
out:
	free(init);
	free(cond);
	free(inc);
	if (!ok)
		count_up_free(cu);
	return ok;
}

/* A write to an element of array @d (ARRAY[...] = ..., ++ARRAY[...]), or
 * ARRAY itself handed to a call, other than @except, inside [@from, @to). */
struct array_use {
	const struct fnplan *fp;
	const struct decl *d;
	const struct node *except;
	unsigned from, to;
	const char *lit;	/* the map's constant index: other constants are other elements */
	const struct node *found;
};

static void array_use_fn(struct node *n, void *data)
{
	struct array_use *au = data;
	struct node *l, *p;

	if (au->found || n == au->except || n->end <= au->from || n->begin >= au->to)
		return;
	if (is_assignment(NULL, n) && n->nkid) {
		struct node *x = node_strip(n->kid[0]), *k = NULL;

		for (l = x; l->kind == N_INDEX; l = node_strip(l->kid[0]))
			k = node_strip(l->kid[1]);
		if (l->kind == N_REF && l->decl == au->d && au->lit && k && k->kind == N_LITERAL &&
		    node_strip(x->kid[0]) == l && in_main(au->fp, k)) {
			char *t = src_of(au->fp, k);

			if (strcmp(t, au->lit))
				l = NULL;	/* ARRAY[other constant] = ... */
			free(t);
		}
		if (l && l->kind == N_REF && l->decl == au->d)
			au->found = n;
	} else if (n->kind == N_REF && n->decl == au->d) {
		for (p = n->parent; p && (p->kind == N_PAREN || p->kind == N_CAST); p = p->parent)
			;
		if (p && p->kind == N_CALL)
			au->found = n;
	}
}

/*
 * A loop that maps into ARRAY[I] and unmaps in a later loop keeps every
 * mapping it made live at once: as many as ARRAY has elements at most,
 * which must be within the local mappings a task can hold (the limit of
 * rules/kmap-local-depth.md).  Sets pl->fail and returns false if not.
 */
static bool fifo_depth_ok(struct fnplan *fp, struct plan *pl, const struct node *loop,
			  const struct decl *array)
{
	const struct rule *r = rules_rule(fp->ctx->rules, "kmap-local-depth");
	unsigned len = decl_array_length(array), limit = r ? r->limit : 0;

	if (!limit)
		plan_fail(pl, "rules/kmap-local-depth.md gives no limit to the local mappings "
			  "the loop at line %u keeps at once", loop->line);
	else if (!len)
		plan_fail(pl, "the loop at line %u keeps its mappings until a later loop, and "
			  "%s has no constant length to bound how many (kmap-local-depth)",
			  loop->line, array->name);
	else if (len > limit)
		plan_fail(pl, "the loop at line %u keeps up to %u mappings at once (the length "
			  "of %s), more than the %u local mappings a task can hold "
			  "(kmap-local-depth)", loop->line, len, array->name, limit);
	return !pl->fail;
}

/*
 * ARRAY[I] = kmap(PAGES[I]) in for (I = LO; I < HI; I++): kunmap(PAGES[I])
 * becomes kunmap_local(ARRAY[I]) where I is the same element, that is in
 * the same iteration of that loop, or in a later loop with the same
 * header.  A constant index needs no loop.
 */
static void find_array_addr(struct fnplan *fp, struct plan *pl, struct node *lhs,
			    struct node *assign)
{
	struct node *base = node_strip(lhs->kid[0]), *idx = node_strip(lhs->kid[1]);
	struct node *ml = NULL;
	struct count_up mc = { 0 };
	struct array_use au;
	char *lit;

	if (!in_main(fp, lhs) || base->kind != N_REF || !base->decl ||
	    base->decl->kind != D_LOCAL || !base->decl->is_array) {
		plan_fail(pl, "the mapped address is not kept in a variable or a local array "
			  "that kunmap_local() could be given");
		return;
	}
	if (idx->kind == N_REF && idx->decl && idx->decl->kind == D_LOCAL && idx->is_integer) {
		bool later = false;

		ml = node_loop(pl->ac->call);
		for (size_t i = 0; i < pl->unmaps.n; i++)
			later |= node_loop(pl->unmaps.v[i]) != ml;
		/* unmapped in a later loop: the two loops' headers must match */
		if (later && (!count_up(fp, ml, &mc) || strcmp(mc.var, idx->decl->name))) {
			count_up_free(&mc);
			plan_fail(pl, "the address is kept in %s, whose index %s is not the counter "
				  "of a for loop around the map", base->decl->name, idx->decl->name);
			return;
		}
		if (later && !fifo_depth_ok(fp, pl, ml, base->decl)) {
			count_up_free(&mc);
			return;
		}
	} else if (idx->kind != N_LITERAL) {
		plan_fail(pl, "the address is kept in an element of %s whose index is neither a "
			  "constant nor a loop counter", base->decl->name);
		return;
	}
	if (!last_unmap(pl) && !ml) {
		plan_fail(pl, "an unmap comes before the map in the source (a loop); the "
			  "array element holding the address cannot be followed there");
		return;
	}
	/* kunmap(pages[i]) of the very element kmap(pages[i]) mapped, as written */
	{
		struct node *ma = pl->ac->call->kid[1];
		char *m = in_main(fp, ma) ? src_of(fp, ma) : NULL, *mt;

		mt = m ? squeeze(m, m + strlen(m)) : NULL;
		for (size_t i = 0; i < pl->unmaps.n && !pl->fail; i++) {
			struct node *ua = ((struct node *)pl->unmaps.v[i])->kid[1];
			char *u = in_main(fp, ua) ? src_of(fp, ua) : NULL;
			char *ut = u ? squeeze(u, u + strlen(u)) : NULL;

			if (!mt || !ut || strcmp(mt, ut))
				plan_fail(pl, "the unmap at line %u is not written with the same "
					  "page expression as the map",
					  ((struct node *)pl->unmaps.v[i])->line);
			free(u);
			free(ut);
		}
		free(m);
		free(mt);
		if (pl->fail) {
			count_up_free(&mc);	/* the map's loop header, if it was read */
			return;
		}
	}
	for (size_t i = 0; i < pl->unmaps.n && idx->kind == N_REF; i++) {
		struct node *u = pl->unmaps.v[i], *ul = node_loop(u);
		struct count_up uc;
		const struct node *w;

		/* in the same iteration, or with no loop around either */
		if (ul == ml) {
			w = written_between(fp, idx->decl, NULL, pl->ac->call->end, u->begin);
			if (w || u->begin < pl->ac->call->end) {
				plan_fail(pl, "the unmap at line %u is not in the same iteration as "
					  "the map, or %s changes in between", u->line,
					  idx->decl->name);
				break;
			}
			continue;
		}
		if (!ml || node_inside(u, ml) || u->begin < ml->end || !count_up(fp, ul, &uc)) {
			plan_fail(pl, "the unmap at line %u is not in a loop over the same "
				  "elements as the map", u->line);
			break;
		}
		if (strcmp(uc.var, mc.var) || strcmp(uc.lo, mc.lo) || strcmp(uc.hi, mc.hi) ||
		    written_between(fp, idx->decl, NULL, ul->kid[ul->nkid - 1]->begin,
				    ul->kid[ul->nkid - 1]->end))
			plan_fail(pl, "the loop of the unmap at line %u does not go over the "
				  "elements the loop of the map at line %u does", u->line,
				  ml->line);
		count_up_free(&uc);
	}
	count_up_free(&mc);
	if (pl->fail)
		return;
	/* every unmap in the scope of ARRAY */
	{
		struct node *dn = var_node(fp, base->decl), *b = dn ? enclosing_block(dn) : NULL;

		for (size_t i = 0; i < pl->unmaps.n && !pl->fail; i++)
			if (!b || !node_inside(pl->unmaps.v[i], b))
				plan_fail(pl, "the unmap at line %u is outside the scope of %s",
					  ((struct node *)pl->unmaps.v[i])->line, base->decl->name);
		if (pl->fail)
			return;
	}
	/* ARRAY keeps the addresses from the map to the last unmap */
	lit = idx->kind == N_LITERAL && in_main(fp, idx) ? src_of(fp, idx) : NULL;
	au = (struct array_use){ fp, base->decl, assign, pl->ac->call->end,
				 ml ? ml->end : 0, lit, NULL };
	for (size_t i = 0; i < pl->unmaps.n; i++)
		if (((struct node *)pl->unmaps.v[i])->end > au.to)
			au.to = ((struct node *)pl->unmaps.v[i])->end;
	if (ml && ml->begin < au.from)
		au.from = ml->begin;
	node_walk(fp->fn->body, array_use_fn, &au);
	free(lit);
	if (au.found) {
		plan_fail(pl, "%s, which holds the addresses, is also written or passed on at "
			  "line %u", base->decl->name, au.found->line);
		return;
	}
	pl->addr = src_of(fp, lhs);
	/* a loop counter: reverse_unmap_loop() may turn the unmap loop round */
	pl->loop = idx->kind == N_REF ? ml : NULL;
	pl->index = pl->loop ? idx->decl : NULL;
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
		   node_inside(c, p->kid[1])) {
		struct node *l = node_strip(p->kid[0]);

		if (l->kind == N_REF && l->decl) {
			d = l->decl;
		} else if (l->kind == N_INDEX) {
			find_array_addr(fp, pl, l, p);
			return;
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

		if (!b || !node_inside(pl->unmaps.v[i], b)) {
			plan_fail(pl, "the unmap at line %u is outside the scope of %s",
				  ((struct node *)pl->unmaps.v[i])->line, d->name);
			return;
		}
	}
	pl->addr = xstrdup(d->name);
}

/* An identifier not written anywhere in function @fn. */
static char *fresh_name_in(struct fnplan *fp, const struct func *fn, const char *base)
{
	const struct node *b = fn->body;

	for (unsigned k = 0;; k++) {
		char *name = k ? xasprintf("%s%u", base, k + 1) : xstrdup(base);
		size_t l = strlen(name);
		bool used = false;

		for (unsigned o = b->begin; o + l <= b->end && !used; o++)
			used = !strncmp(fp->text + o, name, l) &&
			       (o == 0 || !ident_char(fp->text[o - 1])) && !ident_char(fp->text[o + l]);
		for (size_t i = 0; i < fn->params.n && !used; i++)
			used = !strcmp(((struct decl *)fn->params.v[i])->name, name);
		if (!used)
			return name;
		free(name);
	}
}

static char *fresh_name(struct fnplan *fp, const char *base)
{
	return fresh_name_in(fp, fp->fn, base);
}

/* The whitespace that starts the line holding offset @off, or NULL. */
static char *indent_of(const struct fnplan *fp, unsigned off)
{
	struct source src = { fp->text, fp->len };

	return src_indent_of(&src, off);
}

/* The offset just past the end of the line where @off is, if only
 * ';' and blanks follow; else 0. */
static unsigned after_line(const struct fnplan *fp, unsigned off)
{
	struct source src = { fp->text, fp->len };

	return src_after_line(&src, off);
}

/* Just past the ';' that ends the statement ending at @off, or 0. */
static unsigned semicolon_after(const struct fnplan *fp, unsigned off)
{
	struct source src = { fp->text, fp->len };

	return src_semicolon_after(&src, off);
}

/* "void *NAME;" at the top of @block, after its leading declarations. */
static bool declare_in(struct fnplan *fp, struct node *block, const char *name, struct vec *edits)
{
	unsigned k, at = 0;
	char *ind = NULL, *decl;

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
		free(ind);
		return false;
	}
	decl = xasprintf("%svoid *%s;\n%s", ind, name, k ? "" : "\n");
	edit_add(edits, at, at, decl);
	free(decl);
	free(ind);
	return true;
}

/*
 * page_address(page) call @n becomes @name; (T *)page_address(page)
 * assigned or initialising loses the cast too, since the void * converts
 * without it.
 */
static void replace_page_address(struct fnplan *fp, struct node *n, const char *name,
				 struct vec *edits)
{
	struct node *c = n, *p = n->parent;

	while (p && (p->kind == N_PAREN || (p->kind == N_CAST && p->is_pointer))) {
		c = p;
		p = p->parent;
	}
	if (c != n && in_main(fp, c) && p && (p->kind == N_VAR ||
	    (p->kind == N_BINARY && !strcmp(p->op, "=") && p->nkid == 2 && p->kid[1] == c)))
		n = c;
	edit_add(edits, n->begin, n->end, name);
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
	unsigned last = call->end;
	char *name;

	if (!block || block->kind != N_COMPOUND) {
		plan_fail(pl, "kmap() with its result unused is not a statement of its own block");
		return;
	}
	for (size_t i = 0; i < pl->unmaps.n; i++) {
		struct node *u = pl->unmaps.v[i];

		if (!node_inside(u, block) || u->begin < call->end) {
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

		if (!in_main(fp, n) || n->begin < call->end || n->end > last || !node_inside(n, block))
			plan_fail(pl, "page_address() of the page at line %u is outside the mapping "
				  "or in a macro", n->line);
	}
	if (pl->fail) {
		vec_free(&pa, NULL);
		return;
	}
	name = fresh_name(fp, "kaddr");
	if (!declare_in(fp, block, name, &pl->edits)) {
		plan_fail(pl, "no place to declare the address variable in the block");
		free(name);
		vec_free(&pa, NULL);
		return;
	}
	for (size_t i = 0; i < pa.n; i++)
		replace_page_address(fp, pa.v[i], name, &pl->edits);
	pl->addr = name;
	vec_free(&pa, NULL);
}

/*
 * cross-function: a static get helper maps the page it returns, and every
 * caller in the file unmaps it in the calling function, directly or through
 * a static put helper (ext2, minix, sysv and ufs's dir_get_page() and
 * dir_put_page() before their conversions).  Rewritten as upstream rewrote
 * those: the get helper returns the kmap_local_page() address and hands
 * the page back through a new struct page ** parameter; the put helper
 * takes the address too, for kunmap_local(); each caller keeps the address
 * in a new variable, tests it for an error instead of the page, and uses
 * it where it took page_address() of the page.  The get helper must end
 * "[if (!IS_ERR(page))] kmap(page); return page;" and return nothing but
 * the page or an error otherwise.
 */

/*
 * Where @fn's parameter list is written: the offsets of its name and of
 * the '(' and ')' around the parameters, searched back from the body.
 */
static bool signature_of(const struct fnplan *fp, const struct func *fn, unsigned *name,
			 unsigned *open, unsigned *close)
{
	const char *t = fp->text;
	unsigned c, o, depth = 0, l = (unsigned)strlen(fn->name);

	if (!in_main(fp, fn->body))
		return false;
	for (c = fn->body->begin; c > 0 && is_blank(t[c - 1]); c--)
		;
	if (!c || t[c - 1] != ')')
		return false;
	*close = c - 1;
	for (o = c; o > 0; o--) {
		if (t[o - 1] == ')')
			depth++;
		else if (t[o - 1] == '(' && !--depth)
			break;
	}
	if (!o)
		return false;
	*open = o - 1;
	for (c = *open; c > 0 && is_blank(t[c - 1]); c--)
		;
	if (c < l || strncmp(t + c - l, fn->name, l) || (c > l && ident_char(t[c - l - 1])))
		return false;
	*name = c - l;
	return true;
}

/* Where "struct page *" starts, written just before offset @name, or 0. */
static unsigned page_type_before(const struct fnplan *fp, unsigned name)
{
	const char *t = fp->text;
	unsigned c = name;

	while (c > 0 && is_blank(t[c - 1]))
		c--;
	if (!c || t[--c] != '*')
		return 0;
	while (c > 0 && is_blank(t[c - 1]))
		c--;
	if (c < 12 || strncmp(t + c - 4, "page", 4) || !is_blank(t[c - 5]))
		return 0;
	for (c -= 4; c > 0 && is_blank(t[c - 1]); c--)
		;
	if (c < 6 || strncmp(t + c - 6, "struct", 6) || (c > 6 && ident_char(t[c - 7])))
		return 0;
	return c - 6;
}

/* Add parameter @decl ("struct page **p") at the end of @fn's list. */
static bool add_param(struct fnplan *fp, const struct func *fn, const char *decl,
		      struct vec *edits)
{
	unsigned name, open, close;
	char *inside_text, *t;
	bool empty;

	if (!signature_of(fp, fn, &name, &open, &close))
		return false;
	inside_text = strndup(fp->text + open + 1, close - open - 1);
	t = squeeze(inside_text, inside_text + strlen(inside_text));
	empty = !*t || !strcmp(t, "void");
	free(t);
	free(inside_text);
	if (empty) {
		edit_add(edits, open + 1, close, decl);
	} else {
		t = xasprintf(", %s", decl);
		edit_add(edits, close, close, t);
		free(t);
	}
	return true;
}

/* A caller's page variable, and the address variable that joins it. */
struct xvar {
	struct func *fn;
	struct decl *page;
	char *addr;
	struct node *block;	/* where the address is declared */
};

/* A put helper: a static function that unmaps its parameter @arg. */
struct xput {
	struct func *fn;
	int arg;
};

struct xplan {
	struct fnplan *fp;
	struct plan *pl;
	struct func *get;
	struct vec vars;	/* struct xvar * */
	struct vec puts;	/* struct xput * */
	struct vec put_calls;	/* struct node *: the calls of put helpers rewritten */
};

static void xvar_free(void *p)
{
	struct xvar *x = p;

	free(x->addr);
	free(x);
}

static bool is_return(const struct fnplan *fp, const struct node *n)
{
	(void)fp;
	return n->kind == N_RETURN;
}

/* The get helper: "[if (!IS_ERR(page))] kmap(page); return page;" at its end. */
static void cross_get(struct xplan *xp)
{
	struct fnplan *fp = xp->fp;
	struct plan *pl = xp->pl;
	struct func *g = xp->get;
	struct node *call = pl->ac->call, *body = g->body, *ret, *prev, *rv;
	struct node *arg = node_strip(call->kid[1]), *guard = NULL;
	const char *cast = rules_err_named(fp->ctx->rules, ERR_CAST_TO);
	struct vec v;
	unsigned name, open, close, type;
	char *pp, *t;

	if (!g->is_static || g->address_taken || !in_main(fp, body) || body->nkid < 2 || !cast) {
		plan_fail(pl, "%s() is not a static helper written out in this file", g->name);
		return;
	}
	ret = body->kid[body->nkid - 1];
	prev = body->kid[body->nkid - 2];
	rv = ret->kind == N_RETURN && ret->nkid ? ret->kid[0] : NULL;
	if (arg->kind != N_REF || !arg->decl || arg->decl->kind != D_LOCAL || !rv ||
	    rv->kind != N_REF || rv->decl != arg->decl || !in_main(fp, rv)) {
		plan_fail(pl, "%s() does not end by returning the page it maps", g->name);
		return;
	}
	if (prev->kind == N_IF && prev->nkid == 2 &&
	    (prev->kid[1] == call || (prev->kid[1]->kind == N_COMPOUND &&
				      prev->kid[1]->nkid == 1 && prev->kid[1]->kid[0] == call))) {
		struct node *c = node_strip(prev->kid[0]), *e;

		e = c->kind == N_UNARY && !strcmp(c->op, "!") && c->nkid ? node_strip(c->kid[0]) : NULL;
		if (e && e->kind == N_CALL && e->nkid == 2 && rules_err_ptr(fp->ctx->rules, e->name) &&
		    rules_err_ptr(fp->ctx->rules, e->name)->role == ERR_TEST &&
		    node_strip(e->kid[1])->kind == N_REF && node_strip(e->kid[1])->decl == arg->decl)
			guard = e;
	}
	if (!guard && prev != call) {
		plan_fail(pl, "%s() does not map the page just before returning it, alone or "
			  "under a test that it is not an error", g->name);
		return;
	}
	/* nothing else returned but errors; no other use of the mapping */
	collect(fp, is_page_address, &v);
	for (size_t i = 0; i < v.n && !pl->fail; i++) {
		struct node *pa = node_strip(((struct node *)v.v[i])->kid[1]);

		if (pa->kind == N_REF && pa->decl == arg->decl)
			plan_fail(pl, "%s() uses page_address() of the page itself", g->name);
	}
	vec_free(&v, NULL);
	collect(fp, is_global_map, &v);
	if (v.n != 1)
		plan_fail(pl, "%s() maps more than one page", g->name);
	vec_free(&v, NULL);
	{
		struct vec rets;

		collect(fp, is_return, &rets);
		for (size_t i = 0; i < rets.n && !pl->fail; i++) {
			struct node *n = rets.v[i], *e = n->nkid ? node_strip(n->kid[0]) : NULL;
			const struct err_ptr *ep = e && e->kind == N_CALL ?
						   rules_err_ptr(fp->ctx->rules, e->name) : NULL;

			if (n != ret && (!ep || (ep->role != ERR_CAST_TO && ep->role != ERR_MAKE)))
				plan_fail(pl, "%s() also returns at line %u something other than an "
					  "error", g->name, n->line);
		}
		vec_free(&rets, NULL);
	}
	if (pl->fail)
		return;
	if (!signature_of(fp, g, &name, &open, &close) ||
	    !(type = page_type_before(fp, name))) {
		plan_fail(pl, "the return type of %s() is not written \"struct page *\"", g->name);
		return;
	}
	/* static void *get(..., struct page **p) */
	edit_add(&pl->edits, type, name, "void *");
	pp = fresh_name(fp, "p");
	t = xasprintf("struct page **%s", pp);
	add_param(fp, g, t, &pl->edits);
	free(t);
	if (guard) {
		char *ind = indent_of(fp, prev->begin);
		unsigned end = fp->text[prev->end - 1] == '}' ? prev->end :
			       semicolon_after(fp, prev->end);

		if (!ind || !end || !in_main(fp, prev)) {
			plan_fail(pl, "the test before the map in %s() is not on lines of its own",
				  g->name);
			free(ind);
			free(pp);
			return;
		}
		t = xasprintf("if (%s(%s))\n%s\treturn %s(%s);\n%s*%s = %s;", guard->name,
			      arg->decl->name, ind, cast, arg->decl->name, ind, pp, arg->decl->name);
		edit_add(&pl->edits, prev->begin, end, t);
		free(t);
		free(ind);
	} else {
		t = xasprintf("*%s = %s", pp, arg->decl->name);
		edit_add(&pl->edits, call->begin, call->end, t);
		free(t);
	}
	t = xasprintf("%s(%s)", fp->map_local, arg->decl->name);
	edit_add(&pl->edits, rv->begin, rv->end, t);
	free(t);
	free(pp);
}

/* The variable of caller @c's call of the get helper, the address joining it. */
static struct xvar *cross_var(struct xplan *xp, struct func *fn, struct decl *page)
{
	struct xvar *x;

	for (size_t i = 0; i < xp->vars.n; i++) {
		x = xp->vars.v[i];
		if (x->fn == fn && x->page == page)
			return x;
	}
	x = xcalloc(1, sizeof(*x));
	x->fn = fn;
	x->page = page;
	x->addr = fresh_name_in(xp->fp, fn, "kaddr");
	vec_push(&xp->vars, x);
	return x;
}

/*
 * A call of the get helper: "struct page *page = get(...);" or
 * "page = get(...);" becomes "... void *kaddr = get(..., &page);" or
 * "kaddr = get(..., &page);".
 */
static void cross_call(struct xplan *xp, struct node *c)
{
	struct fnplan *fp = xp->fp;
	struct plan *pl = xp->pl;
	struct func *fn = tu_func_of(fp->ctx->tu, c);
	struct node *p = c->parent, *l = NULL;
	struct decl *page = NULL;
	struct xvar *x;
	char *t;

	if (!fn || !call_written(fp, c)) {
		plan_fail(pl, "the call of %s() at line %u is written inside a macro",
			  xp->get->name, c->line);
		return;
	}
	if (p && p->kind == N_VAR && p->kid[0] == c && p->parent &&
	    p->parent->kind == N_DECLSTMT && p->parent->nkid == 1 && in_main(fp, p->parent))
		page = p->decl;
	else if (p && p->kind == N_BINARY && !strcmp(p->op, "=") && p->nkid == 2 &&
		 p->kid[1] == c && p->parent && p->parent->kind == N_COMPOUND &&
		 (l = node_strip(p->kid[0]))->kind == N_REF && in_main(fp, l))
		page = l->decl;
	if (!page || page->kind != D_LOCAL || !page->is_pointer) {
		plan_fail(pl, "%s() at line %u does not keep the page %s() returns in a local "
			  "variable of its own", fn->name, c->line, xp->get->name);
		return;
	}
	x = cross_var(xp, fn, page);
	t = xasprintf("%s&%s", c->nkid > 1 ? ", " : "", page->name);
	edit_add(&pl->edits, c->end - 1, c->end - 1, t);
	free(t);
	if (!l) {
		/* struct page *page = get(...); -> struct page *page; void *kaddr = get(...); */
		unsigned eq = c->begin, start;
		char *ind = indent_of(fp, p->parent->begin);

		while (eq > p->begin && fp->text[eq - 1] != '=')
			eq--;
		for (start = eq ? eq - 1 : 0; start > p->begin && is_blank(fp->text[start - 1]); start--)
			;
		if (!ind || eq <= p->begin || x->block) {
			plan_fail(pl, "the declaration of %s in %s() at line %u cannot be split",
				  page->name, fn->name, p->line);
			free(ind);
			return;
		}
		t = xasprintf(";\n%svoid *%s = ", ind, x->addr);
		edit_add(&pl->edits, start, c->begin, t);
		free(t);
		free(ind);
		x->block = enclosing_block(p);
		return;
	}
	edit_add(&pl->edits, l->begin, l->end, x->addr);
	if (!x->block) {
		x->block = enclosing_block(p);
		if (!x->block || !declare_in(fp, x->block, x->addr, &pl->edits))
			plan_fail(pl, "no place in %s() to declare the address variable", fn->name);
	} else if (!node_inside(p, x->block)) {
		plan_fail(pl, "%s() calls %s() in more than one block", fn->name, xp->get->name);
	}
}

/* A use of a caller's page variable @n, other than the get helper's call. */
static void cross_use(struct xplan *xp, struct xvar *x, struct node *n)
{
	struct fnplan *fp = xp->fp;
	struct plan *pl = xp->pl;
	struct node *c = n, *p = n->parent;
	const struct err_ptr *ep;
	struct func *h;
	int a = -1;

	while (p && (p->kind == N_PAREN || p->kind == N_CAST)) {
		c = p;
		p = p->parent;
	}
	if (!p)
		return;
	/* page = get(...): rewritten with the call */
	if (p->kind == N_BINARY && !strcmp(p->op, "=") && p->kid[0] == c && p->nkid == 2 &&
	    node_strip(p->kid[1])->kind == N_CALL &&
	    node_callee(node_strip(p->kid[1])) &&
	    !strcmp(node_callee(node_strip(p->kid[1])), xp->get->name))
		return;
	if (p->kind == N_UNARY && !strcmp(p->op, "&")) {
		plan_fail(pl, "%s() takes the address of %s at line %u", x->fn->name,
			  x->page->name, n->line);
		return;
	}
	if (is_assignment(fp, p) && p->kid[0] == c) {
		plan_fail(pl, "%s() also sets %s at line %u from something else than %s()",
			  x->fn->name, x->page->name, n->line, xp->get->name);
		return;
	}
	if (p->kind != N_CALL || !p->name)
		return;
	for (unsigned i = 1; i < p->nkid; i++)
		if (p->kid[i] == c)
			a = (int)i - 1;
	if (a < 0)
		return;
	if (x->block && !node_inside(n, x->block)) {
		plan_fail(pl, "%s() uses %s at line %u outside the block of its %s() call",
			  x->fn->name, x->page->name, n->line, xp->get->name);
		return;
	}
	ep = rules_err_ptr(fp->ctx->rules, p->name);
	if (ep && (ep->role == ERR_TEST || ep->role == ERR_VALUE || ep->role == ERR_CAST_TO)) {
		/* the error comes back in the address now */
		if (in_main(fp, n))
			edit_add(&pl->edits, n->begin, n->end, x->addr);
		else
			plan_fail(pl, "%s(%s) at line %u is written inside a macro", p->name,
				  x->page->name, n->line);
	} else if (is_page_address(fp, p)) {
		if (in_main(fp, p))
			replace_page_address(fp, p, x->addr, &pl->edits);
		else
			plan_fail(pl, "page_address() at line %u is written inside a macro", p->line);
	} else if (is_global_unmap(fp, p)) {
		char *t = xasprintf("%s(%s)", fp->unmap_local, x->addr);

		if (call_written(fp, p))
			edit_add(&pl->edits, p->begin, p->end, t);
		else
			plan_fail(pl, "the unmap at line %u is written inside a macro", p->line);
		free(t);
	} else if ((h = tu_func(fp->ctx->tu, p->name)) && h->body &&
		   summarise_param(fp->ctx, h, a)->unmaps) {
		struct xput *put = NULL;
		char *t = xasprintf(", %s", x->addr);

		for (size_t i = 0; i < xp->puts.n && !put; i++)
			if (((struct xput *)xp->puts.v[i])->fn == h)
				put = xp->puts.v[i];
		if (!put) {
			put = xcalloc(1, sizeof(*put));
			put->fn = h;
			put->arg = a;
			vec_push(&xp->puts, put);
		} else if (put->arg != a) {
			plan_fail(pl, "%s() is given the page in different arguments", h->name);
		}
		if (call_written(fp, p))
			edit_add(&pl->edits, p->end - 1, p->end - 1, t);
		else
			plan_fail(pl, "the call of %s() at line %u is written inside a macro",
				  h->name, p->line);
		vec_push(&xp->put_calls, p);
		free(t);
	}
}

/* The references to a declaration in a subtree. */
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

/*
 * A put helper: put(struct page *page) { kunmap(page); put_page(page); }
 * becomes put(struct page *page, void *kaddr) { kunmap_local(kaddr); ... }.
 * Every call of it must be one of the callers' rewritten above.
 */
static void cross_put(struct xplan *xp, struct xput *put)
{
	struct fnplan *fp = xp->fp;
	struct plan *pl = xp->pl;
	struct func *h = put->fn;
	struct decl *param = (size_t)put->arg < h->params.n ? h->params.v[put->arg] : NULL;
	struct refs u = { param, { 0 } };
	unsigned unmaps = 0;
	char *addr, *t;

	if (!h->is_static || h->address_taken || !param || !in_main(fp, h->body)) {
		plan_fail(pl, "%s() unmaps the page and is not a static helper of this file",
			  h->name);
		return;
	}
	for (size_t i = 0; i < h->callers.n; i++) {
		bool ours = false;

		for (size_t k = 0; k < xp->put_calls.n; k++)
			ours |= xp->put_calls.v[k] == h->callers.v[i];
		if (!ours) {
			plan_fail(pl, "%s() is also called at line %u on a page %s() did not map",
				  h->name, ((struct node *)h->callers.v[i])->line, xp->get->name);
			return;
		}
	}
	addr = fresh_name_in(fp, h, "kaddr");
	node_walk(h->body, refs_fn, &u);
	for (size_t i = 0; i < u.v.n && !pl->fail; i++) {
		struct node *n = u.v.v[i], *p = up(n);
		struct func *f;

		if (p && p->kind == N_CALL && is_global_unmap(fp, p) && node_strip(p->kid[1]) == n) {
			t = xasprintf("%s(%s)", fp->unmap_local, addr);
			if (call_written(fp, p))
				edit_add(&pl->edits, p->begin, p->end, t);
			else
				plan_fail(pl, "the unmap in %s() is written inside a macro", h->name);
			free(t);
			unmaps++;
		} else if (p && p->kind == N_CALL && p->name && (f = tu_func(fp->ctx->tu, p->name)) &&
			   f->body) {
			for (unsigned k = 1; k < p->nkid; k++)
				if (node_strip(p->kid[k]) == n &&
				    summarise_param(fp->ctx, f, (int)k - 1)->unmaps)
					plan_fail(pl, "%s() unmaps the page through %s()", h->name,
						  f->name);
		}
	}
	vec_free(&u.v, NULL);
	if (!pl->fail && !unmaps)
		plan_fail(pl, "%s() does not call kunmap() on the page itself", h->name);
	t = xasprintf("void *%s", addr);
	if (!pl->fail && !add_param(fp, h, t, &pl->edits))
		plan_fail(pl, "the parameters of %s() are not written out", h->name);
	free(t);
	free(addr);
}

static void plan_cross(struct fnplan *fp, struct plan *pl)
{
	struct xplan xp = { fp, pl, fp->fn, { 0 }, { 0 }, { 0 } };

	cross_get(&xp);
	for (size_t i = 0; i < xp.get->callers.n && !pl->fail; i++)
		cross_call(&xp, xp.get->callers.v[i]);
	for (size_t i = 0; i < xp.vars.n && !pl->fail; i++) {
		struct xvar *x = xp.vars.v[i];
		struct refs u = { x->page, { 0 } };

		node_walk(x->fn->body, refs_fn, &u);
		for (size_t k = 0; k < u.v.n && !pl->fail; k++)
			cross_use(&xp, x, u.v.v[k]);
		vec_free(&u.v, NULL);
	}
	for (size_t i = 0; i < xp.puts.n && !pl->fail; i++)
		cross_put(&xp, xp.puts.v[i]);
	vec_free(&xp.vars, xvar_free);
	vec_free(&xp.puts, free);
	vec_free(&xp.put_calls, NULL);
	if (pl->fail)
		vec_free(&pl->edits, edit_free);
	else
		pl->addr = xstrdup("");
}

static void plan_site(struct fnplan *fp, struct plan *pl)
{
	struct node *call = pl->ac->call, *own;
	struct vec maps, unmaps, others = { 0 };
	enum site_class klass = pl->ac->site->klass;

	if (call->file != 0) {
		plan_fail(pl, "%s", SRC_INCLUDED_REASON);
		return;
	}
	if (!call_written(fp, call)) {
		plan_fail(pl, "kmap() is written inside a macro");
		return;
	}
	if (klass == CLASS_CROSS_FUNCTION) {
		plan_cross(fp, pl);
		return;
	}
	pl->page = call_page(pl->ac);
	if (!pl->page) {
		plan_fail(pl, "the call has no page argument");
		return;
	}
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
		if (!own || !bm || node_inside(bm, own) || node_inside(own, bm))
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
			theirs |= node_inside(u, others.v[k]);
		if (!others.n || node_inside(u, own))
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

			if (!node_inside(cl, fp->fn->body))
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

/* HI - 1 for a header: a constant, or a name or field chain. */
static char *minus_one(const char *hi)
{
	char *end;
	unsigned long v = strtoul(hi, &end, 0);
	bool chain = *hi && !(*hi >= '0' && *hi <= '9');

	if (*hi >= '0' && *hi <= '9' && !*end && v > 0)
		return xasprintf("%lu", v - 1);
	for (const char *q = hi; *q && chain; q++)
		if (!ident_char(*q) && *q != '.' && !(q[0] == '-' && q[1] == '>') &&
		    !(q[0] == '>' && q > hi && q[-1] == '-'))
			chain = false;
	return chain ? xasprintf("%s - 1", hi) : NULL;
}

/* Is @stmt, the body of an unmap loop, made of unmaps of converted sites? */
static bool only_unmaps(const struct fnplan *fp, const struct node *stmt)
{
	if (stmt->kind == N_COMPOUND) {
		for (unsigned i = 0; i < stmt->nkid; i++)
			if (!only_unmaps(fp, stmt->kid[i]))
				return false;
		return stmt->nkid > 0;
	}
	for (unsigned a = 0; a < fp->n; a++)
		for (size_t i = 0; i < fp->p[a].unmaps.n; i++)
			if (fp->p[a].unmaps.v[i] == stmt)
				return true;
	return false;
}

/*
 * A FIFO loop pair: ARRAY[I] = kmap(PAGES[I]) in for (I = LO; I < HI; I++),
 * then a later loop with the same header that only unmaps.  That loop
 * counts down instead, for (I = HI - 1; I >= LO; I--), as upstream wrote
 * btrfs's raid56 conversions.  I must be signed and LO a constant, so that
 * the new loop ends where the old one began.
 */
static void reverse_unmap_loop(struct fnplan *fp, struct plan *pl)
{
	for (size_t i = 0; i < pl->unmaps.n && !pl->fail; i++) {
		struct node *u = pl->unmaps.v[i], *ul = node_loop(u);
		struct count_up uc;
		char *hi1, *end, *text;
		bool dup = false;

		if (ul == pl->loop)
			continue;
		if (!count_up(fp, ul, &uc)) {
			plan_fail(pl, "the loop of the unmap at line %u cannot be reversed", u->line);
			return;
		}
		if (!only_unmaps(fp, ul->kid[ul->nkid - 1]))
			plan_fail(pl, "the loop at line %u does more than unmap: reversing it "
				  "would reorder the rest too", ul->line);
		else if (!pl->index->is_signed)
			plan_fail(pl, "the loop at line %u unmaps in mapping order, and its counter "
				  "%s is unsigned: it cannot simply count down to %s", ul->line,
				  uc.var, uc.lo);
		else if ((strtol(uc.lo, &end, 0), *end || !(*uc.lo >= '0' && *uc.lo <= '9')))
			plan_fail(pl, "the loop at line %u starts at %s, not a constant: counting "
				  "down to it is not written exactly", ul->line, uc.lo);
		hi1 = pl->fail ? NULL : minus_one(uc.hi);
		if (!pl->fail && !hi1)
			plan_fail(pl, "the loop at line %u ends at %s, which cannot be written "
				  "minus one without more parentheses", ul->line, uc.hi);
		if (pl->fail) {
			count_up_free(&uc);
			return;
		}
		text = xasprintf("%s = %s; %s >= %s; %s--", uc.var, hi1, uc.var, uc.lo, uc.var);
		for (unsigned a = 0; a < fp->n; a++)
			for (size_t k = 0; k < fp->p[a].edits.n; k++) {
				struct edit *e = fp->p[a].edits.v[k];

				dup |= e->begin == uc.open && e->end == uc.close;
			}
		if (!dup)
			edit_add(&pl->edits, uc.open, uc.close, text);
		free(text);
		free(hi1);
		count_up_free(&uc);
	}
	pl->swapped = !pl->fail;
}

/*
 * local-reorder: where kunmap(a); kunmap(b); undoes a before b although b
 * was mapped later, swap the two unmaps; where a loop unmaps an array of
 * mappings in mapping order, make it count down (reverse_unmap_loop()).
 * Any other out-of-order unmap (unmaps that are not adjacent, a loop that
 * does more than unmap) is not rewritten: the sites stay unconverted with
 * that reason.
 */
static void plan_reorder(struct fnplan *fp)
{
	bool any = false;

	for (unsigned a = 0; a < fp->n; a++)
		any |= fp->p[a].ac->site->klass == CLASS_LOCAL_REORDER;
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
		if (pa->ac->site->klass != CLASS_LOCAL_REORDER || pa->swapped || pa->fail)
			continue;
		if (pa->loop)
			reverse_unmap_loop(fp, pa);
		else
			plan_fail(pa, "the out-of-order unmap is neither a pair of adjacent "
				  "unmaps nor a loop over an array of addresses");
	}
}

/*
 * map + memcpy()/memset() + unmap of one page, three statements in a row,
 * with an address variable used nowhere else: the highmem.h helper of
 * rules/helpers.tbl (memcpy_from_page(), memcpy_to_page(), memzero_page())
 * does all three.  Two maps, one memcpy() between the two pages and the
 * two unmaps, five statements in a row, are memcpy_page()'s.  Sites that
 * do not fit exactly keep the plain conversion.
 */
struct fold {
	struct plan *pl;
	struct plan *pl2;	/* the second mapping of a two-page helper */
	const struct helper *h;
	struct decl *addr, *addr2;
	struct node *map_stmt, *map_stmt2, *op_stmt;
	unsigned map_end;	/* just past the (last) map statement's ';' */
	unsigned op_begin;	/* the call as written */
	unsigned unmap_end;	/* just past the (last) unmap's ';' */
	char *call;		/* the helper call, without indentation */
};

/* Does a statement starting at @begin and ending at @end have its lines to itself? */
static bool own_lines(const struct fnplan *fp, unsigned begin, unsigned end)
{
	char *indent = indent_of(fp, begin);

	free(indent);
	return indent && end && after_line(fp, end);
}

static bool blank(const char *p, const char *end)
{
	for (; p < end; p++)
		if (!is_blank(*p))
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

	if ((size_t)(end - p) <= l || strncmp(p, name, l) || ident_char(p[l]))
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

	if (strncmp(arg, name, l) || ident_char(*p))
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
		if (!ident_char(*p) && *p != '.' && !(p[0] == '-' && p[1] == '>') &&
		    !(p[0] == '>' && p > arg && p[-1] == '-'))
			return false;
		if (*p == '.' || *p == '>')
			last = p + 1;
	}
	if (!ident_char(*arg) || (*arg >= '0' && *arg <= '9') || !*last)
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
		if (!strncmp(fp->text + o, arg, l) && (o == from || !ident_char(fp->text[o - 1])))
			return o;
	return 0;
}

static char *fold_call(struct fnplan *fp, struct fold *fd, struct vec *args, const char *off,
		       const char *off1)
{
	struct func *hf = tu_helper(fp->ctx->tu, fd->h->name);
	char *page, *page1 = NULL, *out = xstrdup("");
	size_t k = 0;

	if (!hf || hf->params.n != fd->h->args.n || !in_main(fp, fd->pl->ac->call->kid[1]) ||
	    (fd->pl2 && !in_main(fp, fd->pl2->ac->call->kid[1])))
		return free(out), NULL;
	page = src_of(fp, fd->pl->ac->call->kid[1]);
	if (fd->pl2)
		page1 = src_of(fp, fd->pl2->ac->call->kid[1]);
	for (k = 0; k < fd->h->args.n; k++) {
		const char *a = fd->h->args.v[k], *t;
		struct decl *param = hf->params.v[k];
		char *n;

		if (!strcmp(a, "$page")) {
			t = page;
		} else if (!strcmp(a, "$off")) {
			t = off;
		} else if (!strcmp(a, "$page1") || !strcmp(a, "$off1")) {
			t = a[2] == 'a' ? page1 : off1;
			if (!t)
				break;
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
	free(page1);
	if (k < fd->h->args.n)
		return free(out), NULL;
	{
		char *call = xasprintf("%s(%s);", fd->h->name, out);

		free(out);
		return call;
	}
}

/*
 * The statement that maps @pl into a byte variable of its own, as
 * "char *a = kmap(p);" or "a = kmap(p);": the variable, or NULL.
 */
static struct decl *map_statement(struct fnplan *fp, struct plan *pl, struct node **stmt)
{
	struct node *p = up(pl->ac->call);
	struct decl *d = NULL;

	*stmt = NULL;
	if (pl->fail || pl->discarded || pl->unmaps.n != 1 || !p ||
	    (pl->ac->site->klass != CLASS_LOCAL && pl->ac->site->klass != CLASS_LOCAL_REORDER))
		return NULL;
	if (p->kind == N_VAR && p->decl && p->parent && p->parent->kind == N_DECLSTMT &&
	    p->parent->nkid == 1) {
		d = p->decl;
		*stmt = p->parent;
	} else if (p->kind == N_BINARY && !strcmp(p->op, "=") && p->nkid == 2 &&
		   node_strip(p->kid[0])->kind == N_REF) {
		d = node_strip(p->kid[0])->decl;
		*stmt = p;
	}
	if (!d || d->kind != D_LOCAL || !d->is_pointer || !d->is_bytes || !in_main(fp, *stmt) ||
	    !own_lines(fp, (*stmt)->begin, semicolon_after(fp, (*stmt)->end)))
		return NULL;
	return d;
}

/* The index of @n among its block's statements, or -1. */
static int stmt_index(const struct node *n)
{
	const struct node *b = n ? n->parent : NULL;

	for (unsigned i = 0; b && b->kind == N_COMPOUND && i < b->nkid; i++)
		if (b->kid[i] == n)
			return (int)i;
	return -1;
}

/* The first offset from @from that is not blank, at most @to. */
static unsigned skip_blanks(const struct fnplan *fp, unsigned from, unsigned to)
{
	while (from < to && is_blank(fp->text[from]))
		from++;
	return from;
}

/*
 * The arguments of @stmt, written at [@from, @to), as a call of helper row
 * @h's function: NULL unless @stmt calls it, every address argument is
 * there and the need of the row holds.
 */
static struct vec *helper_args(struct fnplan *fp, const struct helper *h, struct node *stmt,
			       unsigned from, unsigned to)
{
	struct vec *args = call_args(fp->text + from, fp->text + to, h->call);
	struct calls_named cn = { h->call, false };

	if (!args)
		return NULL;
	node_walk(stmt, calls_named_fn, &cn);
	if (cn.yes && (size_t)h->addr < args->n && (h->addr2 < 0 || (size_t)h->addr2 < args->n) &&
	    (h->need < 0 ||
	     ((size_t)h->need < args->n && !strcmp(args->v[h->need], h->need_text))))
		return args;
	vec_free(args, free);
	free(args);
	return NULL;
}

/* The map, copy and unmap of @pl as three statements: which helper, if any. */
static bool fold_find(struct fnplan *fp, struct plan *pl, struct fold *fd)
{
	struct node *b, *u;
	int i;

	memset(fd, 0, sizeof(*fd));
	fd->pl = pl;
	if (pl->swapped || pl->ac->site->klass != CLASS_LOCAL)
		return false;
	fd->addr = map_statement(fp, pl, &fd->map_stmt);
	if (!fd->addr)
		return false;
	b = fd->map_stmt->parent;
	u = pl->unmaps.v[0];
	i = stmt_index(fd->map_stmt);
	if (i < 0 || (unsigned)i + 2 >= b->nkid || b->kid[i + 2] != u)
		return false;
	fd->op_stmt = b->kid[i + 1];
	fd->map_end = semicolon_after(fp, fd->map_stmt->end);
	fd->unmap_end = semicolon_after(fp, u->end);
	if (!fd->map_end || !fd->unmap_end)
		return false;
	fd->op_begin = skip_blanks(fp, fd->map_end, u->begin);
	for (size_t k = 0; k < fp->ctx->rules->helpers.n && !fd->call; k++) {
		const struct helper *h = fp->ctx->rules->helpers.v[k];
		struct vec *args = h->addr2 < 0 ?
			helper_args(fp, h, fd->op_stmt, fd->op_begin, u->begin) : NULL;
		char *off;

		if (!args)
			continue;
		off = offset_of(args->v[h->addr], fd->addr->name);
		fd->h = h;
		if (off)
			fd->call = fold_call(fp, fd, args, off, NULL);
		free(off);
		vec_free(args, free);
		free(args);
	}
	return fd->call != NULL;
}

/*
 * map A; map B; COPY; and the two unmaps (in either order) as five
 * statements: a two-page helper whose address arguments are A's and B's
 * variables, in either order.
 */
static bool fold_pair(struct fnplan *fp, struct plan *pa, struct plan *pb, struct fold *fd)
{
	struct node *sa, *sb, *b, *ua = pa->unmaps.n ? pa->unmaps.v[0] : NULL,
		    *ub = pb->unmaps.n ? pb->unmaps.v[0] : NULL, *first;
	struct decl *da = map_statement(fp, pa, &sa), *db = map_statement(fp, pb, &sb);
	unsigned op_begin, map_end;
	int i;

	memset(fd, 0, sizeof(*fd));
	if (!da || !db || da == db || !ua || !ub)
		return false;
	b = sa->parent;
	i = stmt_index(sa);
	if (i < 0 || (unsigned)i + 4 >= b->nkid || b->kid[i + 1] != sb ||
	    !((b->kid[i + 3] == ua && b->kid[i + 4] == ub) ||
	      (b->kid[i + 3] == ub && b->kid[i + 4] == ua)))
		return false;
	first = b->kid[i + 3];
	map_end = semicolon_after(fp, sb->end);
	if (!map_end || !semicolon_after(fp, b->kid[i + 4]->end))
		return false;
	op_begin = skip_blanks(fp, map_end, first->begin);
	for (size_t k = 0; k < fp->ctx->rules->helpers.n && !fd->call; k++) {
		const struct helper *h = fp->ctx->rules->helpers.v[k];
		struct vec *args = h->addr2 >= 0 ?
			helper_args(fp, h, b->kid[i + 2], op_begin, first->begin) : NULL;

		if (!args)
			continue;
		/* argument addr of A and addr2 of B, or the other way round */
		for (int swap = 0; swap < 2 && !fd->call; swap++) {
			struct decl *x = swap ? db : da, *y = swap ? da : db;
			char *off = offset_of(args->v[h->addr], x->name);
			char *off1 = offset_of(args->v[h->addr2], y->name);

			if (off && off1) {
				*fd = (struct fold){
					.pl = swap ? pb : pa, .pl2 = swap ? pa : pb, .h = h,
					.addr = x, .addr2 = y,
					.map_stmt = swap ? sb : sa, .map_stmt2 = swap ? sa : sb,
					.op_stmt = b->kid[i + 2], .map_end = map_end,
					.op_begin = op_begin,
					.unmap_end = semicolon_after(fp, b->kid[i + 4]->end),
				};
				fd->call = fold_call(fp, fd, args, off, off1);
			}
			free(off);
			free(off1);
		}
		vec_free(args, free);
		free(args);
	}
	return fd->call != NULL;
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

/* Is use @n of variable @d inside a statement that fold @f removes? */
static bool fold_covers(const struct fold *f, const struct node *n, const struct decl *d)
{
	return f->call && (f->addr == d || f->addr2 == d) &&
	       (node_inside(n, f->op_stmt) || node_inside(n, f->addr == d ? f->map_stmt : f->map_stmt2));
}

/*
 * Can variable @d of fold @k go: every use of it is in a statement one of
 * the folds removes, and, unless fold @k's map declares it, its
 * declaration has a line of its own with no initialiser and declares
 * nothing else (or only the other variable of a two-page fold).  The
 * declaration to delete goes to *@decl.
 */
static bool var_goes(struct fnplan *fp, const struct fold *fd, unsigned k, const struct decl *d,
		     struct node **decl)
{
	struct refs r = { d, { 0 } };
	const struct fold *f = &fd[k];
	struct node *ms = f->addr == d ? f->map_stmt : f->map_stmt2, *ds;
	bool ok = true;

	*decl = NULL;
	node_walk(fp->fn->body, refs_fn, &r);
	for (size_t i = 0; i < r.v.n && ok; i++) {
		bool in = false;

		for (unsigned j = 0; j < fp->n && !in; j++)
			in = fold_covers(&fd[j], r.v.v[i], d);
		ok = in;
	}
	vec_free(&r.v, NULL);
	if (!ok || ms->kind == N_DECLSTMT)
		return ok;
	*decl = var_node(fp, d);
	ds = *decl ? (*decl)->parent : NULL;
	if (!ds || (*decl)->nkid || ds->kind != N_DECLSTMT || !in_main(fp, ds) ||
	    !own_lines(fp, ds->begin, semicolon_after(fp, ds->end)))
		return false;
	for (unsigned i = 0; i < ds->nkid; i++)
		if (ds->kid[i]->decl != d && (!f->pl2 || ds->kid[i]->decl != (f->addr == d ?
							f->addr2 : f->addr) || ds->kid[i]->nkid))
			return false;
	return true;
}

/* Does a fold before @k remove variable @d too? */
static bool var_seen(const struct fold *fd, unsigned k, const struct decl *d)
{
	for (unsigned j = 0; j < k; j++)
		if (fd[j].call && (fd[j].addr == d || fd[j].addr2 == d))
			return true;
	return false;
}

static void plan_helpers(struct fnplan *fp)
{
	struct fold *fd = xcalloc(fp->n, sizeof(*fd));
	bool *paired = xcalloc(fp->n ? fp->n : 1, sizeof(*paired)), changed = true;

	/* two-page folds first: a site of one is not folded alone */
	for (unsigned k = 0; k < fp->n; k++)
		for (unsigned j = 0; j < fp->n && !fd[k].call; j++)
			if (j != k && !paired[k] && !paired[j] &&
			    fold_pair(fp, &fp->p[k], &fp->p[j], &fd[k]))
				paired[k] = paired[j] = true;
	for (unsigned k = 0; k < fp->n; k++)
		if (!paired[k])
			fold_find(fp, &fp->p[k], &fd[k]);
	/* drop the folds whose variables cannot go, until all that are left can */
	while (changed) {
		changed = false;
		for (unsigned k = 0; k < fp->n; k++) {
			struct node *d1, *d2;

			if (!fd[k].call || (var_goes(fp, fd, k, fd[k].addr, &d1) &&
					    (!fd[k].pl2 || var_goes(fp, fd, k, fd[k].addr2, &d2))))
				continue;
			free(fd[k].call);
			fd[k].call = NULL;
			changed = true;
		}
	}
	for (unsigned k = 0; k < fp->n; k++) {
		struct node *d1 = NULL, *d2 = NULL;
		struct plan *pl = fd[k].pl;
		char *call;

		if (!fd[k].call)
			continue;
		var_goes(fp, fd, k, fd[k].addr, &d1);
		if (fd[k].pl2)
			var_goes(fp, fd, k, fd[k].addr2, &d2);
		call = wrap_call(fd[k].call, column_of(fp, fd[k].op_begin));
		vec_free(&pl->edits, edit_free);
		delete_lines(fp, &pl->edits, fd[k].map_stmt->begin,
			     semicolon_after(fp, fd[k].map_stmt->end));
		edit_add(&pl->edits, fd[k].op_begin, fd[k].unmap_end, call);
		if (d1 && !var_seen(fd, k, fd[k].addr))
			delete_lines(fp, &pl->edits, d1->parent->begin,
				     semicolon_after(fp, d1->parent->end));
		free(call);
		if (!fd[k].pl2)
			continue;
		/* the second mapping's site: its map goes, and its variable */
		pl = fd[k].pl2;
		vec_free(&pl->edits, edit_free);
		delete_lines(fp, &pl->edits, fd[k].map_stmt2->begin,
			     semicolon_after(fp, fd[k].map_stmt2->end));
		if (d2 && d2->parent != (d1 ? d1->parent : NULL) && !var_seen(fd, k, fd[k].addr2))
			delete_lines(fp, &pl->edits, d2->parent->begin,
				     semicolon_after(fp, d2->parent->end));
	}
	for (unsigned k = 0; k < fp->n; k++)
		free(fd[k].call);
	free(fd);
	free(paired);
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
		reorder |= fp->p[a].ac->site->klass == CLASS_LOCAL_REORDER;
		failed |= fp->p[a].fail != NULL;
	}
	if (!reorder || !failed)
		return;
	for (unsigned a = 0; a < fp->n; a++)
		plan_fail(&fp->p[a], "another mapping of this function that takes part in the "
			  "unmap reorder is not converted");
}

static bool convertible(const struct site *s)
{
	return class_convertible(s->klass);
}

static void rewrite_function(struct ctx *ctx, struct func *fn)
{
	struct fnplan fp = { ctx, fn, ctx->tu->main_text, ctx->tu->main_len, NULL, NULL, NULL, 0 };

	fp.map_local = rules_api_named(ctx->rules, API_MAP, SCOPE_LOCAL, ARG_PAGE);
	fp.unmap_local = rules_api_named(ctx->rules, API_UNMAP, SCOPE_LOCAL, ARG_ADDR);
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
		pl->ac->site->fix = fix_encode(&pl->edits, pl->fail);
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
