// SPDX-License-Identifier: GPL-2.0
/*
 * check_kunmap_arg.c: kunmap() takes the page, kunmap_local() and
 * kunmap_atomic() take the address (smatch's check_kunmap).  kunmap(addr)
 * compiles, since void * converts to struct page *, and unmaps the wrong
 * thing.
 */
#include <string.h>

#include "walk.h"

static bool is_page_pointer(const char *type)
{
	return type && (!strcmp(type, "struct page *") || !strcmp(type, "const struct page *"));
}

static void check_function(struct ctx *ctx, struct func *fn)
{
	for (size_t i = 0; i < ctx->calls.n; i++) {
		struct api_call *ac = ctx->calls.v[i];
		struct node *arg;

		if (ac->fn != fn || ac->api->role != API_UNMAP || ac->call->nkid < 2)
			continue;
		arg = ac->call->kid[1];
		if (!arg->type)
			continue;
		if (ac->api->arg == ARG_PAGE && !is_page_pointer(arg->type))
			report_finding(ctx, "kunmap-wrong-arg", fn, ac->call,
				       "%s() takes the struct page *, but is given '%s'; "
				       "pass the page that was mapped", ac->api->shown, arg->type);
		else if (ac->api->arg == ARG_ADDR && is_page_pointer(arg->type))
			report_finding(ctx, "kunmap-wrong-arg", fn, ac->call,
				       "%s() takes the mapped address, but is given the page",
				       ac->api->shown);
	}
}

void check_kunmap_arg(struct registry *r)
{
	add_func_hook(r, check_function);
}
