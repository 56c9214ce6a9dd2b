/* SPDX-License-Identifier: GPL-2.0 */
/*
 * facts.h: what is known about the page a mapping call maps, computed once
 * per call and read by every consumer (the classifier in check_kmap.c and
 * the rewriter in rewrite.c), so that both agree on which kunmap() calls
 * name the same page.
 */
#ifndef MAPCHECK_FACTS_H
#define MAPCHECK_FACTS_H

#include "ast.h"

struct page_facts {
	struct node *expr;	/* the page expression: past kmap(*pp = page) */
	char *text;		/* its normalised text */
	struct decl *decl;	/* the page, when it is a variable */
	struct vec alias;	/* char *: what a local page variable was set from */
};

/* The facts of @arg, the page argument of a call in function body @body. */
struct page_facts *page_facts_new(struct node *body, struct node *arg);
void page_facts_free(struct page_facts *f);

/*
 * Does expression @n name the same page?  A variable is compared by its
 * declaration (two blocks may each declare their own "page"), anything
 * else by its normalised text; both also through what a local page
 * variable was set from (page = E; ... kunmap(E)).
 */
bool page_facts_match(const struct page_facts *f, struct node *n);

#endif
