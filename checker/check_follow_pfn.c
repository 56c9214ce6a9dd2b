// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "walk.h"

static const char *kn[] = { "OTHER","COMPOUND","IF","FOR","WHILE","DO","SWITCH","CASE","DEFAULT","GOTO","LABEL","RETURN","BREAK","CONTINUE","DECLSTMT","NULLSTMT","VAR","CALL","REF","MEMBER","UNARY","BINARY","COND","CAST","PAREN","INDEX","SIZEOF","INITLIST","LITERAL","STMTEXPR" };
static void dump(struct ctx *ctx, struct node *n, int d)
{
	if (!n) return;
	char sp[64] = ""; int k = 0;
	const char *t = ctx->tu->main_text;
	char w[40] = "";
	if (n->in_macro && n->file == 0 && n->begin < ctx->tu->main_len) {
		size_t i = 0; while (i < 39 && (t[n->begin+i]=='_'||(t[n->begin+i]>='a'&&t[n->begin+i]<='z')||(t[n->begin+i]>='A'&&t[n->begin+i]<='Z')||(t[n->begin+i]>='0'&&t[n->begin+i]<='9'))) { w[i]=t[n->begin+i]; i++; } w[i]=0;
	}
	for (; k < d && k < 60; k++)
		sp[k] = ' ';
	sp[k] = 0;
	fprintf(stderr, "%s%s %s op=%s f%u:%u:%u m=%d [%s] decl=%s\n", sp, kn[n->kind], n->name ? n->name : "", n->op ? n->op : "", n->file, n->line, n->col, n->in_macro, w, n->decl ? n->decl->name : "");
	for (unsigned i = 0; i < n->nkid; i++) dump(ctx, n->kid[i], d + 1);
}
static void check_function(struct ctx *ctx, struct func *fn)
{
	if (getenv("DUMP_IR")) { fprintf(stderr, "FUNC %s\n", fn->name); dump(ctx, fn->body, 1); }
}
static void check_tu(struct ctx *ctx)
{
	if (getenv("DUMP_IR")) for (size_t i = 0; i < ctx->tu->globals.n; i++) dump(ctx, ctx->tu->globals.v[i], 0);
}
void check_follow_pfn(struct registry *r)
{
	add_func_hook(r, check_function);
	add_tu_hook(r, check_tu);
}
