// SPDX-License-Identifier: GPL-2.0
/*
 * facts.c: the page of a mapping call, and the expressions that name it.
 */
#include <stdlib.h>
#include <string.h>

#include "facts.h"

struct alias_find {
	const struct decl *page;
	struct vec *out;
};

/* page = E; or struct page *page = E;, E not a call: E names the page too */
static void find_alias(struct node *n, void *data)
{
	struct alias_find *af = data;
	struct node *v = NULL;

	if (n->kind == N_VAR && n->decl == af->page && n->nkid)
		v = n->kid[0];
	else if (n->kind == N_BINARY && !strcmp(n->op, "=") && n->nkid == 2 &&
		 node_strip(n->kid[0])->kind == N_REF && node_strip(n->kid[0])->decl == af->page)
		v = n->kid[1];
	if (v && node_strip(v)->kind != N_CALL)
		vec_push(af->out, node_text(node_strip(v)));
}

struct page_facts *page_facts_new(struct node *body, struct node *arg)
{
	struct page_facts *f = xcalloc(1, sizeof(*f));
	struct node *x = node_strip(arg);

	/* kmap(*pp = page) maps page */
	while (x->kind == N_BINARY && !strcmp(x->op, "=") && x->nkid == 2)
		x = node_strip(x->kid[1]);
	f->expr = x;
	f->text = node_text(x);
	if (x->kind == N_REF && x->decl)
		f->decl = x->decl;
	if (f->decl && f->decl->kind == D_LOCAL && body) {
		struct alias_find af = { f->decl, &f->alias };

		node_walk(body, find_alias, &af);
	}
	return f;
}

void page_facts_free(struct page_facts *f)
{
	if (!f)
		return;
	free(f->text);
	vec_free(&f->alias, free);
	free(f);
}

bool page_facts_match(const struct page_facts *f, struct node *n)
{
	struct node *x = node_strip(n);
	char *text;
	bool same;

	if (f->decl && x->kind == N_REF && x->decl == f->decl)
		return true;
	text = node_text(x);
	same = (!f->decl && !strcmp(f->text, text)) || vec_has_str(&f->alias, text);
	free(text);
	return same;
}
