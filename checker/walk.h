/* SPDX-License-Identifier: GPL-2.0 */
/*
 * walk.h: the one walk over a translation unit, and the hooks through
 * which each check_*.c sees it.
 */
#ifndef MAPCHECK_WALK_H
#define MAPCHECK_WALK_H

#include "ast.h"
#include "parse.h"

/* A mapping-API call found by the walk, with its site in the report. */
struct api_call {
	struct node *call;
	struct func *fn;
	const struct api *api;
	struct site *site;
};

struct ctx {
	struct tu *tu;
	struct parse_result *pr;
	const struct rules *rules;
	struct report *out;
	struct vec calls;	/* struct api_call * for the whole TU */
	const struct vec *ext;	/* struct ext_summary *: other files' functions */
};

typedef void (*func_hook)(struct ctx *ctx, struct func *fn);
typedef void (*tu_hook)(struct ctx *ctx);

struct registry;
void add_func_hook(struct registry *r, func_hook fn);
void add_tu_hook(struct registry *r, tu_hook fn);

/* The checks, from check_list.h. */
#define CK(x) void x(struct registry *r);
#include "check_list.h"
#undef CK

void walk_tu(struct parse_result *pr, const struct rules *rules, const struct vec *ext,
	     struct report *out);
/* Summarise the pointer parameters of the functions named in @names. */
void summarise_tu(struct parse_result *pr, const struct rules *rules, const struct vec *names,
		  const struct vec *ext, struct report *out);
/*
 * An external callee (or ops field, ops.h) whose summary decided, or would
 * have decided, a site or a summary: asked for, and followed when it changes.
 */
void want_callee(struct ctx *ctx, const char *name);

/* For checks: report a finding at @n with the rule's severity from rules/. */
struct finding *report_finding(struct ctx *ctx, const char *rule, struct func *fn,
			       const struct node *n, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void add_evidence(struct ctx *ctx, struct vec *ev, const struct node *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The API calls the walk found inside @fn. */
struct api_call *find_api_call(struct ctx *ctx, const struct node *call);

/* text.c: API names written in a file, found without parsing it. */
struct mention {
	const char *api;
	unsigned line;
	bool in_directive;	/* on a preprocessor line (#define ...) */
};
void find_mentions(const char *text, size_t len, const struct rules *rules,
		   struct vec *out);
void find_mentions_file(const char *path, const struct rules *rules, struct vec *out);
bool macro_expanded(const char *text, size_t len, unsigned line);
bool text_mentions_api(const char *text, size_t len, const struct rules *rules);

#endif
