// SPDX-License-Identifier: GPL-2.0
/*
 * rewrite_atomic.c: kmap_atomic() -> kmap_local_page() (rewrite_atomic.h).
 *
 * A site is converted completely or not at all: its kmap_atomic() call is
 * renamed, and so is every kunmap_atomic() that undoes it on some path;
 * for a section that relies on page faults or preemption being disabled
 * (local-nofault, local-nopreempt) the explicit disable goes on the line
 * after the map and the enable on the line before each unmap, as upstream
 * wrote them (mm/memory.c __wp_page_copy_user() in 6.12).
 *
 * Nothing is reordered: kunmap_atomic() already had to undo the maps in
 * reverse order.  A site is left as it is, with the reason, when its
 * mapping may nest with itself (a loop that maps again before unmapping:
 * the local-mapping stack is bounded), may be live where the function
 * returns, is undone by an unmap whose variable mapcheck cannot tell, or
 * when any of the text cannot be written exactly (a macro, a map that is
 * not a statement of its own, declarations after it).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "rewrite_atomic.h"

struct aplan {
	struct site *site;
	struct node *call;
	const struct atomic_section *sec;
	bool want;		/* the site is convertible */
	char *fail;		/* why it is not converted */
	struct vec edits;	/* struct edit * */
};

struct arun {
	struct ctx *ctx;
	struct source src;
	const char *map_local, *unmap_local;
	struct aplan *p;
	size_t n;
};

#define fail(pl, ...) fail_first(&(pl)->fail, __VA_ARGS__)

/* Is @name written at @off, as a whole identifier? */
static bool name_at(const struct source *s, unsigned off, const char *name)
{
	size_t l = strlen(name);

	return off + l < s->len && !strncmp(s->text + off, name, l) &&
	       !ident_char(s->text[off + l]) && (!off || !ident_char(s->text[off - 1]));
}

/*
 * The statement a map is part of, when that is a statement of its own in a
 * block: "p = kmap_atomic(page) + off;", "T *p = kmap_atomic(page);".
 */
static struct node *map_statement(struct node *call)
{
	struct node *c = call, *p = call->parent;

	while (p && p->kind != N_COMPOUND) {
		bool through = p->kind == N_PAREN || p->kind == N_CAST || p->kind == N_VAR ||
			       p->kind == N_DECLSTMT ||
			       (p->kind == N_BINARY && p->nkid == 2 &&
				(((!strcmp(p->op, "+") || !strcmp(p->op, "-")) && p->kid[0] == c) ||
				 (!strcmp(p->op, "=") && p->kid[1] == c)));

		if (!through)
			return NULL;
		c = p;
		p = p->parent;
	}
	return p && !p->in_macro ? c : NULL;
}

/* The statement an unmap is, with the macro it was written as: the child of a block. */
static struct node *unmap_statement(struct node *call)
{
	struct node *c = call;

	while (c->parent && !(c->parent->kind == N_COMPOUND && !c->parent->in_macro)) {
		if (!c->parent->in_macro)
			return NULL;
		c = c->parent;
	}
	return c->parent ? c : NULL;
}

static const struct node *next_sibling(const struct node *stmt)
{
	const struct node *b = stmt->parent;

	for (unsigned i = 0; i + 1 < b->nkid; i++)
		if (b->kid[i] == stmt)
			return b->kid[i + 1];
	return NULL;
}

/* What the section needs around it, from what it relies on: "" for nothing. */
static void disables_of(const struct aplan *pl, const char **on, const char **off)
{
	bool nofault = pl->sec->effect[EFFECT_NOFAULT].at != NULL;
	bool nopreempt = pl->sec->effect[EFFECT_NOPREEMPT].at != NULL;
	enum site_class c = pl->site->klass;

	*on = *off = "";
	if (c != CLASS_LOCAL_NOFAULT && c != CLASS_LOCAL_NOPREEMPT)
		return;
	if (nopreempt && nofault) {
		*on = "preempt_disable();\n%spagefault_disable();\n";
		*off = "pagefault_enable();\n%spreempt_enable();\n";
	} else if (nopreempt) {
		*on = "preempt_disable();\n";
		*off = "preempt_enable();\n";
	} else if (nofault) {
		*on = "pagefault_disable();\n";
		*off = "pagefault_enable();\n";
	}
}

/* Insert the lines @fmt (each "%s" the indent) before the line at @line_start. */
static void insert_lines(struct aplan *pl, unsigned line_start, const char *ind, const char *fmt)
{
	char *t = xasprintf("%s%s", ind, fmt), *u;

	u = strstr(t, "%s") ? xasprintf(t, ind) : xstrdup(t);
	edit_add(&pl->edits, line_start, line_start, u);
	free(t);
	free(u);
}

/* The other converting site that also owns unmap @u, with a lower index, or NULL. */
static struct aplan *earlier_owner(struct arun *r, size_t k, const struct node *u)
{
	for (size_t j = 0; j < k; j++)
		if (vec_has(&r->p[j].sec->unmaps, u))
			return &r->p[j];
	return NULL;
}

/* Why @pl's site cannot be converted, from its section alone; sets pl->fail. */
static void plan_checks(struct arun *r, struct aplan *pl)
{
	const struct atomic_section *sec = pl->sec;
	const struct api *api = rules_api(r->ctx->rules, pl->call->name);

	if (!r->map_local || !r->unmap_local)
		fail(pl, "rules/apis.tbl names no local map/unmap pair");
	if (pl->call->file != 0)
		fail(pl, "%s", SRC_INCLUDED_REASON);
	if (!api || !src_call_written(&r->src, pl->call))
		fail(pl, "the %s() call is not written out in this file (a macro)",
		     api ? api->name : pl->call->name);
	if (sec->nests)
		fail(pl, "it maps again at line %u while its last mapping may still be live: "
		     "the local mappings nest as deep as the loop runs, and there are at most "
		     "KM_MAX_IDX of them", sec->nests->line);
	if (sec->leaks)
		fail(pl, "it may still be mapped where the function returns (line %u)",
		     sec->leaks->line);
	if (sec->guessed)
		fail(pl, "the kunmap_atomic() of line %u does not name the variable its "
		     "address was put in", sec->guessed->line);
	if (!sec->unmaps.n)
		fail(pl, "no kunmap_atomic() of it in the function");
	for (size_t i = 0; i < sec->unmaps.n; i++) {
		const struct node *u = sec->unmaps.v[i];
		const struct api *ua = rules_api(r->ctx->rules, u->name);

		if (!ua || u->file != 0 || !name_at(&r->src, u->begin, ua->shown))
			fail(pl, "the unmap of line %u is not written as %s() in this file",
			     u->line, ua ? ua->shown : u->name);
	}
}

/* Sites that share an unmap are converted together, with the same disables. */
static bool plan_shared(struct arun *r)
{
	bool changed = false;

	for (size_t k = 0; k < r->n; k++) {
		struct aplan *pl = &r->p[k];

		for (size_t j = 0; j < r->n && !pl->fail; j++) {
			struct aplan *o = &r->p[j];
			const char *on1, *off1, *on2, *off2;

			if (j == k)
				continue;
			for (size_t i = 0; i < pl->sec->unmaps.n && !pl->fail; i++) {
				const struct node *u = pl->sec->unmaps.v[i];

				if (!vec_has(&o->sec->unmaps, u))
					continue;
				disables_of(pl, &on1, &off1);
				disables_of(o, &on2, &off2);
				if (!o->want || o->fail)
					fail(pl, "its kunmap_atomic() of line %u also undoes the map "
					     "of line %u, which is not converted", u->line, o->site->line);
				else if (strcmp(off1, off2))
					fail(pl, "its kunmap_atomic() of line %u also undoes the map "
					     "of line %u, whose section needs other disables",
					     u->line, o->site->line);
				changed |= pl->fail != NULL;
			}
		}
	}
	return changed;
}

static void plan_edits(struct arun *r, size_t k)
{
	struct aplan *pl = &r->p[k];
	const struct api *api = rules_api(r->ctx->rules, pl->call->name);
	const char *on, *off;

	edit_add(&pl->edits, pl->call->begin, pl->call->begin + (unsigned)strlen(api->name),
		 r->map_local);
	disables_of(pl, &on, &off);
	if (*on) {
		struct node *stmt = map_statement(pl->call);
		const struct node *next = stmt ? next_sibling(stmt) : NULL;
		unsigned semi = stmt ? src_semicolon_after(&r->src, stmt->end) : 0;
		unsigned line = semi ? src_after_line(&r->src, semi) : 0;
		char *ind = stmt && src_in_main(&r->src, stmt) ?
			    src_indent_of(&r->src, stmt->begin) : NULL;

		if (!ind || !line)
			fail(pl, "the map is not a statement of its own on its lines, where the "
			     "explicit disable would go after it");
		else if (next && next->kind == N_DECLSTMT)
			fail(pl, "declarations follow the map, where the explicit disable "
			     "would go");
		else
			insert_lines(pl, line, ind, on);
		free(ind);
	}
	for (size_t i = 0; i < pl->sec->unmaps.n && !pl->fail; i++) {
		struct node *u = pl->sec->unmaps.v[i];
		const struct api *ua = rules_api(r->ctx->rules, u->name);
		char *ind;

		if (earlier_owner(r, k, u))
			continue;	/* shared: renamed, with its enable, by that site */
		if (*off) {
			ind = unmap_statement(u) ? src_indent_of(&r->src, u->begin) : NULL;
			if (!ind) {
				fail(pl, "the unmap of line %u is not a statement of its own on its "
				     "line, where the explicit enable would go before it", u->line);
				break;
			}
			insert_lines(pl, u->begin - (unsigned)strlen(ind), ind, off);
			free(ind);
		}
		edit_add(&pl->edits, u->begin, u->begin + (unsigned)strlen(ua->shown),
			 r->unmap_local);
	}
}

void rewrite_atomic(struct ctx *ctx, const struct vec *maps, const struct vec *sites,
		    const struct atomic_section *sec)
{
	struct arun r = { ctx, { ctx->tu->main_text, ctx->tu->main_len }, NULL, NULL, NULL, 0 };
	bool any = false;

	r.map_local = rules_api_named(ctx->rules, API_MAP, SCOPE_LOCAL, ARG_PAGE);
	r.unmap_local = rules_api_named(ctx->rules, API_UNMAP, SCOPE_LOCAL, ARG_ADDR);
	r.n = maps->n;
	r.p = xcalloc(r.n + 1, sizeof(*r.p));
	for (size_t k = 0; k < r.n; k++) {
		struct aplan *pl = &r.p[k];

		pl->site = sites->v[k];
		pl->call = maps->v[k];
		pl->sec = &sec[k];
		pl->want = class_convertible(pl->site->klass);
		any |= pl->want;
		if (pl->want && !r.src.text)
			fail(pl, "the file's text is not at hand");
		else if (pl->want)
			plan_checks(&r, pl);
	}
	while (any && plan_shared(&r))
		;
	for (size_t k = 0; any && k < r.n; k++)
		if (r.p[k].want && !r.p[k].fail)
			plan_edits(&r, k);
	/* a site that failed while writing its edits takes its partners along */
	while (any && plan_shared(&r))
		;
	for (size_t k = 0; k < r.n; k++) {
		struct aplan *pl = &r.p[k];

		if (pl->want) {
			free(pl->site->fix);
			pl->site->fix = fix_encode(&pl->edits, pl->fail);
		}
		vec_free(&pl->edits, edit_free);
		free(pl->fail);
	}
	free(r.p);
}
