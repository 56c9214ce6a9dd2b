// SPDX-License-Identifier: GPL-2.0
/*
 * text.c: find the mapping-API calls written in a file without parsing it.
 *
 * Used as the pre-filter (is the file worth parsing?), and after parsing
 * to account for every written call: one that the parser did not see is
 * in code the configuration compiles out, or in a macro never expanded,
 * and goes to the report's "skipped" list with that reason.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Skip a comment, string or character literal at @p; return the new p. */
static const char *skip_literal(const char *p, const char *end, unsigned *line)
{
	if (p[0] == '/' && p + 1 < end && p[1] == '*') {
		for (p += 2; p + 1 < end && !(p[0] == '*' && p[1] == '/'); p++)
			if (*p == '\n')
				(*line)++;
		return p + 2 <= end ? p + 2 : end;
	}
	if (p[0] == '/' && p + 1 < end && p[1] == '/') {
		while (p < end && *p != '\n')
			p++;
		return p;
	}
	if (*p == '"' || *p == '\'') {
		char q = *p++;

		for (; p < end && *p != q && *p != '\n'; p++)
			if (*p == '\\' && p + 1 < end) {
				if (p[1] == '\n')
					(*line)++;
				p++;
			}
		return p < end ? p + 1 : end;
	}
	return NULL;
}

static const char *api_at(const char *p, const char *end, const struct rules *rules)
{
	for (size_t i = 0; i < rules->apis.n; i++) {
		const struct api *a = rules->apis.v[i];
		size_t n = strlen(a->shown);

		if ((size_t)(end - p) > n && !memcmp(p, a->shown, n) && !ident_char(p[n]))
			return a->shown;
	}
	return NULL;
}

void find_mentions(const char *text, size_t len, const struct rules *rules,
		   struct vec *out)
{
	const char *p = text, *end = text + len, *q;
	unsigned line = 1;
	bool bol = true, directive = false;
	char prev = 0, prev2 = 0;	/* last two non-space characters */

	while (p < end) {
		if (*p == '\n') {
			if (!(p > text && p[-1] == '\\'))
				directive = false;
			line++;
			bol = true;
			p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if ((q = skip_literal(p, end, &line))) {
			p = q;
			bol = false;
			prev = prev2 = 0;
			continue;
		}
		if (bol && *p == '#')
			directive = true;
		bol = false;
		if (ident_char(*p)) {
			const char *start = p, *api = NULL;

			if (!(prev == '.' || (prev == '>' && prev2 == '-')))
				api = api_at(p, end, rules);
			while (p < end && ident_char(*p))
				p++;
			if (api && (size_t)(p - start) == strlen(api)) {
				const char *r = p;

				while (r < end && (*r == ' ' || *r == '\t'))
					r++;
				if (r < end && *r == '(') {
					struct mention *m = xcalloc(1, sizeof(*m));

					m->api = api;
					m->line = line;
					m->in_directive = directive;
					vec_push(out, m);
				}
			}
			prev2 = prev;
			prev = 'a';
			continue;
		}
		prev2 = prev;
		prev = *p++;
	}
}

/*
 * Is API @i's name redundant for the memmem pass: does it contain another
 * API's name (kmap_atomic contains kmap), which memmem finds anyway?
 * Remembered per rules table: this runs once per file of the tree.
 */
static bool covered(const struct rules *rules, size_t i)
{
	static const struct rules *memo_for;
	static size_t memo_n;
	static unsigned char memo[256];	/* 0 unknown, 1 needed, 2 covered */
	const char *name = ((const struct api *)rules->apis.v[i])->shown;

	if (memo_for != rules || memo_n != rules->apis.n) {
		memset(memo, 0, sizeof(memo));
		memo_for = rules;
		memo_n = rules->apis.n;
	}
	if (i >= sizeof(memo))
		return false;
	if (!memo[i]) {
		memo[i] = 1;
		for (size_t k = 0; k < rules->apis.n && memo[i] == 1; k++) {
			const char *other = ((const struct api *)rules->apis.v[k])->shown;

			if (k != i && strcmp(other, name) && strstr(name, other))
				memo[i] = 2;
		}
	}
	return memo[i] == 2;
}

bool text_mentions_api(const char *text, size_t len, const struct rules *rules)
{
	struct vec v = { 0 };
	bool any = false;

	/* memmem first: most files mention no API at all */
	for (size_t i = 0; i < rules->apis.n && !any; i++) {
		const struct api *a = rules->apis.v[i];

		if (!covered(rules, i))
			any = memmem(text, len, a->shown, strlen(a->shown)) != NULL;
	}
	if (!any)
		return false;

	find_mentions(text, len, rules, &v);
	any = v.n > 0;
	vec_free(&v, free);
	return any;
}

void find_mentions_file(const char *path, const struct rules *rules, struct vec *out)
{
	const char *why;
	size_t len;
	char *text = read_file(path, &len, &why);

	if (text)
		find_mentions(text, len, rules, out);
	free(text);
}

/*
 * Is the macro defined on line @line expanded somewhere in the file (an
 * identifier with its name outside its own #define)?  Calls inside an
 * expanded macro are reported where it is expanded.
 */
bool macro_expanded(const char *text, size_t len, unsigned line)
{
	const char *p = text, *end = text + len, *name, *q;
	unsigned l = 1;
	size_t n;
	bool found = false;

	while (p < end && l < line)
		if (*p++ == '\n')
			l++;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '#'))
		p++;
	if ((size_t)(end - p) < 7 || strncmp(p, "define", 6))
		return false;
	for (p += 6; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	for (name = p; p < end && ident_char(*p); p++)
		;
	n = (size_t)(p - name);
	if (!n)
		return false;
	for (q = text, l = 1; q < end && !found; ) {
		const char *r;

		if (*q == '\n') {
			l++;
			q++;
		} else if ((r = skip_literal(q, end, &l))) {
			q = r;
		} else if (ident_char(*q)) {
			const char *s = q;

			while (q < end && ident_char(*q))
				q++;
			if ((size_t)(q - s) == n && !memcmp(s, name, n) && l != line &&
			    !(s > text && ident_char(s[-1])))
				found = true;
		} else {
			q++;
		}
	}
	return found;
}
