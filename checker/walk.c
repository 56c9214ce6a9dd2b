// SPDX-License-Identifier: GPL-2.0
/*
 * walk.c: the one walk over a translation unit.  It lists every
 * mapping-API call as a site, runs each check's hooks, and accounts for
 * every call written in the file that the parser did not see.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "ops.h"
#include "text.h"
#include "walk.h"

struct registry {
	func_hook *func;
	tu_hook *tu;
	size_t nfunc, ntu;
};

void add_func_hook(struct registry *r, func_hook fn)
{
	r->func = xrealloc(r->func, (r->nfunc + 1) * sizeof(*r->func));
	r->func[r->nfunc++] = fn;
}

void add_tu_hook(struct registry *r, tu_hook fn)
{
	r->tu = xrealloc(r->tu, (r->ntu + 1) * sizeof(*r->tu));
	r->tu[r->ntu++] = fn;
}

static void (*const checks[])(struct registry *) = {
#define CK(x) x,
#include "check_list.h"
#undef CK
};

struct find {
	struct ctx *ctx;
	struct func *fn;
};

/*
 * Until a rule decides: kmap() and kmap_atomic() sites are not classified
 * (in a translation unit with parse errors no rule runs, and they stay so);
 * a map that is thread-local already is so by its API alone.
 */
static void default_class(struct site *s, const struct api *api)
{
	if (api->role == API_MAP && api->scope != SCOPE_LOCAL) {
		s->klass = CLASS_UNKNOWN;
		s->reason = xstrdup("not classified");
	} else if (api->role == API_MAP) {
		s->klass = CLASS_LOCAL;
		s->reason = xasprintf("already a thread-local mapping (%s)", api->shown);
	} else {
		s->klass = CLASS_NA;
		s->reason = xstrdup("");
	}
}

static void find_call(struct node *n, void *data)
{
	struct find *f = data;
	const struct api *api;
	struct api_call *ac;
	struct site *s;

	if (n->kind != N_CALL || !n->name)
		return;
	api = rules_api(f->ctx->rules, n->name);
	if (!api)
		return;
	s = xcalloc(1, sizeof(*s));
	s->file = xstrdup(tu_file(f->ctx->tu, n->file));
	s->line = n->line;
	s->column = n->col;
	s->function = xstrdup(f->fn->name);
	s->api = xstrdup(api->shown);
	default_class(s, api);
	ac = xcalloc(1, sizeof(*ac));
	ac->call = n;
	ac->fn = f->fn;
	ac->api = api;
	ac->site = s;
	vec_push(&f->ctx->calls, ac);
}

static const char *skipped_reason(struct parse_result *pr, unsigned line, char *buf, size_t n)
{
	for (unsigned i = 0; i < pr->nskip; i++) {
		if (line >= pr->skip_first[i] && line <= pr->skip_last[i]) {
			snprintf(buf, n, "compiled out: inside a preprocessor conditional "
				 "(lines %u-%u) this configuration does not build",
				 pr->skip_first[i], pr->skip_last[i]);
			return buf;
		}
	}
	return NULL;
}

/* Every call written in the main file is either a site or a skip. */
static void account_mentions(struct ctx *ctx)
{
	struct tu *tu = ctx->tu;
	struct vec m = { 0 };
	char buf[160];

	find_mentions(tu->main_text, tu->main_len, ctx->rules, &m);
	for (size_t i = 0; i < m.n; i++) {
		const struct mention *me = m.v[i];
		const char *why;
		bool seen = false;

		for (size_t j = 0; j < ctx->calls.n && !seen; j++) {
			const struct api_call *ac = ctx->calls.v[j];

			seen = ac->call->file == 0 && ac->site->line == me->line &&
			       !strcmp(ac->api->shown, me->api);
		}
		if (!seen && me->in_directive &&
		    macro_expanded(tu->main_text, tu->main_len, me->line))
			seen = true;	/* reported where the macro is expanded */
		if (seen)
			continue;
		why = skipped_reason(ctx->pr, me->line, buf, sizeof(buf));
		if (!why && me->in_directive)
			why = "in a macro definition this file never expands";
		if (!why && tu->errors)
			why = "not seen by the parser; the file has parse errors";
		if (!why)
			why = "written as a call but not a call of the API after preprocessing";
		report_add_skip(ctx->out, tu_file(tu, 0), me->line, why);
	}
	vec_free(&m, free);
}

void walk_tu(struct parse_result *pr, const struct rules *rules, const struct vec *ext,
	     struct report *out)
{
	struct registry reg = { 0 };
	struct ctx ctx = { pr->tu, pr, rules, out, { 0 }, ext };
	size_t i;
	size_t h;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		checks[i](&reg);
	for (i = 0; i < pr->tu->funcs.n; i++) {
		struct find f = { &ctx, pr->tu->funcs.v[i] };

		node_walk(f.fn->body, find_call, &f);
	}
	/*
	 * A translation unit with parse errors has a partial tree: its kmap()
	 * sites are unknown and no rule reports a finding from it.
	 */
	for (i = 0; pr->tu->errors && i < ctx.calls.n; i++) {
		struct site *s = ((struct api_call *)ctx.calls.v[i])->site;

		if (s->klass == CLASS_UNKNOWN) {
			free(s->reason);
			s->reason = xasprintf("the translation unit has parse errors (%s)",
					      pr->tu->first_error);
		}
	}
	for (h = 0; !pr->tu->errors && h < reg.nfunc; h++)
		for (i = 0; i < pr->tu->funcs.n; i++)
			if (((struct func *)pr->tu->funcs.v[i])->body)
				reg.func[h](&ctx, pr->tu->funcs.v[i]);
	for (h = 0; !pr->tu->errors && h < reg.ntu; h++)
		reg.tu[h](&ctx);
	for (i = 0; i < ctx.calls.n; i++) {
		struct api_call *ac = ctx.calls.v[i];

		vec_push(&out->sites, ac->site);
	}
	account_mentions(&ctx);
	vec_free(&ctx.calls, api_call_free);
	free(reg.func);
	free(reg.tu);
}

/* Keep @e, a summary of this file's stores into an ops field, as this file's. */
static void push_field(struct ctx *ctx, struct ext_summary *e)
{
	free(e->origin);
	e->origin = xstrdup(tu_file(ctx->tu, 0));
	vec_push(&ctx->out->summaries, e);
}

/*
 * For the files calling through field @key of an ops structure: what the
 * functions this file stores into it do with each argument (ops.h), or
 * with any (arg -1) when it stores no function with parameters.  A file
 * with parse errors that names the field may store one the analysis
 * cannot see.
 */
static void summarise_field(struct ctx *ctx, const char *key)
{
	struct ext_summary *e;
	int n;

	if (ctx->tu->errors) {
		char *field = ops_key_field(key);

		if (ops_key_reachable(ctx->tu, key) &&
		    memmem(ctx->tu->main_text, ctx->tu->main_len, field, strlen(field))) {
			e = xcalloc(1, sizeof(*e));
			e->name = xstrdup(key);
			e->arg = -1;
			e->sum.fate = FATE_UNKNOWN;
			e->sum.why = xasprintf("a function stored into '%s' by %s, which has parse "
					   "errors", field, tu_file(ctx->tu, 0));
			push_field(ctx, e);
		}
		free(field);
		return;
	}
	n = ops_arity(ctx, key);
	for (int a = n > 0 ? 0 : -1; a < (n > 0 ? n : 0); a++) {
		e = xmalloc(sizeof(*e));
		if (!ops_summarise(ctx, key, a, summarise_param, e)) {
			free(e);
			return;
		}
		push_field(ctx, e);
	}
}

/*
 * For another file's sites: what each named, non-static function defined
 * here does with its pointer parameters.
 */
void summarise_tu(struct parse_result *pr, const struct rules *rules, const struct vec *names,
		  const struct vec *ext, struct report *out)
{
	struct ctx ctx = { pr->tu, pr, rules, out, { 0 }, ext };

	for (size_t i = 0; i < pr->tu->funcs.n; i++) {
		struct func *fn = pr->tu->funcs.v[i];

		if (!vec_has_str(names, fn->name) || !fn->body || fn->is_static || fn->is_weak || pr->tu->errors)
			continue;
		for (size_t a = 0; a < fn->params.n; a++) {
			struct decl *d = fn->params.v[a];
			const struct fate_summary *s;
			struct ext_summary *e;

			if (!d->is_pointer)
				continue;
			s = summarise_param(&ctx, fn, (int)a);
			e = xcalloc(1, sizeof(*e));
			e->name = xstrdup(fn->name);
			e->arg = (int)a;
			fate_summary_copy(&e->sum, s);
			e->origin = xstrdup("");
			vec_push(&out->summaries, e);
		}
	}
	for (size_t i = 0; i < names->n; i++)
		if (strchr(names->v[i], '@'))
			summarise_field(&ctx, names->v[i]);
	summaries_free(&ctx);
	/* out->wanted: the other files' functions that left a summary unknown */
}
