// SPDX-License-Identifier: GPL-2.0
/*
 * ctx.c: findings, evidence and wanted callees, reported from a check or
 * a summary through the context of the file it runs on.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ctx.h"

struct api_call *find_api_call(struct ctx *ctx, const struct node *call)
{
	for (size_t i = 0; i < ctx->calls.n; i++) {
		struct api_call *ac = ctx->calls.v[i];

		if (ac->call == call)
			return ac;
	}
	return NULL;
}

const struct page_facts *call_page(struct api_call *ac)
{
	if (!ac->page && ac->call->nkid > 1)
		ac->page = page_facts_new(ac->fn ? ac->fn->body : NULL, ac->call->kid[1]);
	return ac->page;
}

void api_call_free(void *p)
{
	struct api_call *ac = p;

	page_facts_free(ac->page);
	free(ac);
}

void site_set(struct site *s, enum site_class klass, const char *fmt, ...)
{
	va_list ap;

	free(s->reason);
	s->klass = klass;
	va_start(ap, fmt);
	if (vasprintf(&s->reason, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
}

static struct finding *vfinding(struct ctx *ctx, const char *rule, struct func *fn,
				const struct node *n, const char *fmt, va_list ap)
{
	const struct rule *r = rules_rule(ctx->rules, rule);
	struct finding *f = xcalloc(1, sizeof(*f));

	f->rule = xstrdup(rule);
	f->severity = r ? r->severity : SEV_WARNING;
	f->file = xstrdup(tu_file(ctx->tu, n->file));
	f->line = n->line;
	f->column = n->col;
	f->function = xstrdup(fn ? fn->name : "");
	if (vasprintf(&f->message, fmt, ap) < 0)
		die("out of memory");
	vec_push(&ctx->out->findings, f);
	return f;
}

struct finding *report_finding(struct ctx *ctx, const char *rule, struct func *fn,
			       const struct node *n, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	va_start(ap, fmt);
	f = vfinding(ctx, rule, fn, n, fmt, ap);
	va_end(ap);
	return f;
}

void add_evidence(struct ctx *ctx, struct vec *ev, const struct node *n, const char *fmt, ...)
{
	va_list ap;
	char *note;

	va_start(ap, fmt);
	if (vasprintf(&note, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	vec_push(ev, evidence_new(tu_file(ctx->tu, n->file), n->line, note));
	free(note);
}

void want_callee(struct ctx *ctx, const char *name)
{
	if (!vec_has_str(&ctx->out->wanted, name))
		vec_push(&ctx->out->wanted, xstrdup(name));
}
