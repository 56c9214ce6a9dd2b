/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctx.h: what a check sees of the translation unit it runs on, and how it
 * reports: the per-file context the walk (walk.h) hands to every rule and
 * to the summaries (flow.h, ops.h), which sit below the walk.
 */
#ifndef MAPCHECK_CTX_H
#define MAPCHECK_CTX_H

#include "ast.h"
#include "facts.h"
#include "parse.h"

/* A mapping-API call found by the walk, with its site in the report. */
struct api_call {
	struct node *call;
	struct func *fn;
	const struct api *api;
	struct site *site;
	struct page_facts *page;	/* call_page(): computed on first use */
};

struct ctx {
	struct tu *tu;
	struct parse_result *pr;
	const struct rules *rules;
	struct report *out;
	struct vec calls;	/* struct api_call * for the whole TU */
	const struct vec *ext;	/* struct ext_summary *: other files' functions */
};

/*
 * An external callee (or ops field, ops.h) whose summary decided, or would
 * have decided, a site or a summary: asked for, and followed when it changes.
 */
void want_callee(struct ctx *ctx, const char *name);

/* For checks: report a finding at @n with the rule's severity from rules/. */
struct finding *report_finding(struct ctx *ctx, const char *rule, struct func *fn,
			       const struct node *n, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Give site @s its class and the reason, in words. */
void site_set(struct site *s, enum site_class klass, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void add_evidence(struct ctx *ctx, struct vec *ev, const struct node *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The API calls the walk found inside @fn. */
struct api_call *find_api_call(struct ctx *ctx, const struct node *call);
/* The page (or folio) @ac takes as its first argument; NULL if it has none. */
const struct page_facts *call_page(struct api_call *ac);
void api_call_free(void *ac);

#endif
