// SPDX-License-Identifier: GPL-2.0
/* pfn.c: source-text helpers for the follow_pfn and pfnmap-cow checks. */
#include <ctype.h>
#include <string.h>

#include "pfn.h"

const char *word_at(const struct ctx *ctx, const struct node *n, char *buf, size_t len)
{
	const char *t = ctx->tu->main_text;
	size_t i = 0, o;

	buf[0] = 0;
	if (!n || n->file != 0 || !t || n->begin >= ctx->tu->main_len)
		return buf;
	o = n->begin;
	while (i + 1 < len && o + i < ctx->tu->main_len &&
	       (isalnum((unsigned char)t[o + i]) || t[o + i] == '_')) {
		buf[i] = t[o + i];
		i++;
	}
	buf[i] = 0;
	return buf;
}

bool word_is(const struct ctx *ctx, const struct node *n, const char *w)
{
	char buf[64];

	return !strcmp(word_at(ctx, n, buf, sizeof(buf)), w);
}

struct word_find {
	const struct ctx *ctx;
	const char *w;
	unsigned before;
	bool found;
};

static void find_word(struct node *n, void *data)
{
	struct word_find *f = data;

	if (!f->found && n->file == 0 && (!f->before || n->begin < f->before) &&
	    word_is(f->ctx, n, f->w))
		f->found = true;
}

bool has_word(const struct ctx *ctx, struct node *root, const char *w, unsigned before)
{
	struct word_find f = { ctx, w, before, false };

	node_walk(root, find_word, &f);
	return f.found;
}

struct call_find {
	const char *name;
	struct node *found;
};

static void find_call(struct node *n, void *data)
{
	struct call_find *f = data;

	if (!f->found && node_is_call_to(n, f->name))
		f->found = n;
}

struct node *find_call_to(struct node *root, const char *name)
{
	struct call_find f = { name, NULL };

	node_walk(root, find_call, &f);
	return f.found;
}
