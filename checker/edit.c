// SPDX-License-Identifier: GPL-2.0
/* edit.c: source edits, their site->fix form, and text questions (edit.h). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"

void edit_add(struct vec *v, unsigned begin, unsigned end, const char *text)
{
	struct edit *e = xcalloc(1, sizeof(*e));

	e->begin = begin;
	e->end = end;
	e->text = xstrdup(text);
	vec_push(v, e);
}

void edit_free(void *p)
{
	struct edit *e = p;

	free(e->text);
	free(e);
}

char *fix_encode(const struct vec *edits, const char *fail)
{
	char *s;

	if (fail)
		return xasprintf("N%s", fail);
	s = xstrdup("");
	for (size_t i = 0; i < edits->n; i++) {
		const struct edit *e = edits->v[i];
		char *t = xasprintf("%sE%u,%u,%zu:%s", s, e->begin, e->end, strlen(e->text),
				    e->text);

		free(s);
		s = t;
	}
	return s;
}

bool fix_decode(const char *fix, struct vec *edits, char **reason)
{
	*reason = NULL;
	if (!fix)
		return false;
	if (fix[0] == 'N') {
		*reason = xstrdup(fix + 1);
		return false;
	}
	while (*fix == 'E') {
		unsigned b, e;
		size_t l;
		int used = 0;
		struct edit *ed;

		if (sscanf(fix + 1, "%u,%u,%zu:%n", &b, &e, &l, &used) != 3 || !used ||
		    strnlen(fix + 1 + used, l) < l || e < b)
			break;
		fix += 1 + used;
		ed = xcalloc(1, sizeof(*ed));
		ed->begin = b;
		ed->end = e;
		ed->text = strndup(fix, l);
		vec_push(edits, ed);
		fix += l;
	}
	if (*fix) {
		*reason = xstrdup("malformed rewrite record");
		vec_free(edits, edit_free);
		return false;
	}
	return edits->n > 0;
}

void fail_first(char **why, const char *fmt, ...)
{
	va_list ap;

	if (*why)
		return;
	va_start(ap, fmt);
	if (vasprintf(why, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
}

bool src_in_main(const struct source *s, const struct node *n)
{
	return n && !n->in_macro && n->file == 0 && n->begin < n->end && n->end <= s->len;
}

bool src_call_written(const struct source *s, const struct node *call)
{
	size_t l;

	if (!src_in_main(s, call) || !call->name)
		return false;
	l = strlen(call->name);
	return call->end - call->begin > l && !strncmp(s->text + call->begin, call->name, l) &&
	       !ident_char(s->text[call->begin + l]) && s->text[call->end - 1] == ')';
}

char *src_indent_of(const struct source *s, unsigned off)
{
	unsigned b = off;

	while (b > 0 && s->text[b - 1] != '\n')
		b--;
	for (unsigned i = b; i < off; i++)
		if (s->text[i] != ' ' && s->text[i] != '\t')
			return NULL;
	return strndup(s->text + b, off - b);
}

unsigned src_after_line(const struct source *s, unsigned off)
{
	while (off < s->len && (s->text[off] == ';' || s->text[off] == ' ' ||
				s->text[off] == '\t'))
		off++;
	return off < s->len && s->text[off] == '\n' ? off + 1 : 0;
}

unsigned src_semicolon_after(const struct source *s, unsigned off)
{
	if (off && s->text[off - 1] == ';')
		return off;
	while (off < s->len && (s->text[off] == ' ' || s->text[off] == '\t'))
		off++;
	return off < s->len && s->text[off] == ';' ? off + 1 : 0;
}
