// SPDX-License-Identifier: GPL-2.0
/*
 * check_kmap_local_depth.c: kmap-local-depth.  kmap_atomic(),
 * kmap_local_page() and kmap_local_folio() share one bounded per-task
 * stack of mappings; a loop that maps again while the mapping it made on
 * the previous iteration may still be live nests as deep as it runs.  The
 * sections come from the same dataflow as the kmap_atomic() ones
 * (section.h); the bound is the length of the local array the addresses
 * go into, against the "limit:" of rules/kmap-local-depth.md.
 */
#include "section.h"
#include "walk.h"

#define RULE "kmap-local-depth"

/*
 * How many mappings of @call can be live at once when its address (plus
 * an offset) goes into ARRAY[I] of a local array: the array's length;
 * else 0 (no bound).
 */
static unsigned array_bound(struct node *call)
{
	struct node *lhs = map_destination(call);

	if (!lhs || lhs->kind != N_INDEX || lhs->nkid != 2)
		return 0;
	lhs = node_strip(lhs->kid[0]);
	if (lhs->kind != N_REF || !lhs->decl || lhs->decl->kind != D_LOCAL)
		return 0;
	return decl_array_length(lhs->decl);
}

static void check_scope(struct ctx *ctx, struct func *fn, enum map_scope scope, unsigned limit)
{
	struct vec maps = { 0 };
	struct atomic_section *sec;

	for (size_t i = 0; i < ctx->calls.n; i++) {
		struct api_call *ac = ctx->calls.v[i];

		if (ac->fn == fn && ac->api->role == API_MAP && ac->api->scope == scope)
			vec_push(&maps, ac->call);
	}
	if (!maps.n)
		return;
	sec = local_sections(ctx, fn, &maps, scope);
	for (size_t k = 0; k < maps.n; k++) {
		struct node *call = maps.v[k];
		const struct api *api = rules_api(ctx->rules, call->name);
		unsigned bound = array_bound(call);

		/* without an unmap found the section is not known, nor its nesting */
		if (!sec[k].nests || !sec[k].unmapped || (bound && bound <= limit))
			continue;
		if (bound)
			report_finding(ctx, RULE, fn, sec[k].nests,
				       "%s() maps again here while the mapping it made on the "
				       "previous iteration may still be live: up to %u at once (the "
				       "length of the array the addresses go into), more than the %u "
				       "local mappings a task can hold (KM_MAX_IDX)",
				       api->shown, bound, limit);
		else
			report_finding(ctx, RULE, fn, sec[k].nests,
				       "%s() maps again here while the mapping it made on the "
				       "previous iteration may still be live: the task's local "
				       "mappings nest as deep as the loop runs, and there are at "
				       "most %u of them (KM_MAX_IDX)", api->shown, limit);
	}
	atomic_sections_free(sec, maps.n);
	vec_free(&maps, NULL);
}

static void check_function(struct ctx *ctx, struct func *fn)
{
	const struct rule *r = rules_rule(ctx->rules, RULE);

	if (!r || !r->limit)
		return;
	check_scope(ctx, fn, SCOPE_ATOMIC, r->limit);
	check_scope(ctx, fn, SCOPE_LOCAL, r->limit);
}

void check_kmap_local_depth(struct registry *r)
{
	add_func_hook(r, check_function);
}
