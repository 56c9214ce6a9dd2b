// SPDX-License-Identifier: GPL-2.0
/*
 * defs.c: the functions a .c file defines, found the way a kernel reader
 * finds them: an identifier followed by '(' on a line that starts with a
 * letter (the return type, or the name itself), is no declaration (ends
 * in ';', or starts "extern ") and no EXPORT_SYMBOL().  A line that starts
 * "static " defines nothing another file can call, and only those are
 * asked for (the summaries are of non-static functions, walk.c); a static
 * definition whose "static" is on the line before is still counted, so a
 * file is at worst parsed for nothing.  One pass a file, kept for the run:
 * the summary rounds ask the same files again for new names.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"

struct file_defs {
	char *path;
	char **names;		/* sorted */
	size_t n;
};

struct defs {
	struct file_defs *v;	/* open addressing on the path */
	size_t cap, n;
};

/* The names defined on the line [@bol, @eol) (@eol at '\n' or the end). */
static void line_defs(const char *bol, const char *eol, bool last, struct vec *out)
{
	if (!isalpha((unsigned char)*bol) || str_starts(bol, "extern ") ||
	    str_starts(bol, "static ") || str_starts(bol, "EXPORT_SYMBOL"))
		return;
	if (!last && eol > bol && eol[-1] == ';')
		return;
	for (const char *p = bol; p < eol; ) {
		const char *q = p;

		if (!ident_char(*p)) {
			p++;
			continue;
		}
		while (q < eol && ident_char(*q))
			q++;
		if (q < eol && *q == '(' && !isdigit((unsigned char)*p))
			vec_push(out, xasprintf("%.*s", (int)(q - p), p));
		p = q;
	}
}

static void file_scan(struct file_defs *f)
{
	const char *why;
	size_t len = 0;
	char *text = read_file(f->path, &len, &why);
	struct vec v = { 0 };

	/* an unreadable file has no names: text + len only when there is a text */
	for (const char *p = text, *end = text ? text + len : NULL; text && p < end; ) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		line_defs(p, eol ? eol : end, !eol, &v);
		p = eol ? eol + 1 : end;
	}
	free(text);
	vec_sort(&v, 0, cmp_strp);
	f->names = (char **)v.v;
	f->n = v.n;
}

struct defs *defs_new(void)
{
	return xcalloc(1, sizeof(struct defs));
}

static void grow(struct defs *d)
{
	struct defs old = *d;

	d->cap = d->cap ? d->cap * 2 : 256;
	d->v = xcalloc(d->cap, sizeof(*d->v));
	for (size_t i = 0; i < old.cap; i++) {
		const char *p = old.v[i].path;
		size_t k;

		if (!p)
			continue;
		for (k = str_hash_n(p, strlen(p)) & (d->cap - 1); d->v[k].path; k = (k + 1) & (d->cap - 1))
			;
		d->v[k] = old.v[i];
	}
	free(old.v);
}

static struct file_defs *lookup(struct defs *d, const char *path)
{
	size_t k;

	if ((d->n + 1) * 2 > d->cap)
		grow(d);
	for (k = str_hash_n(path, strlen(path)) & (d->cap - 1); d->v[k].path; k = (k + 1) & (d->cap - 1))
		if (!strcmp(d->v[k].path, path))
			return &d->v[k];
	d->v[k].path = xstrdup(path);
	d->n++;
	file_scan(&d->v[k]);
	return &d->v[k];
}

bool defs_any(struct defs *d, const char *path, const struct vec *names)
{
	struct file_defs *f = lookup(d, path);

	for (size_t i = 0; i < names->n; i++)
		if (f->n && bsearch(&names->v[i], f->names, f->n, sizeof(char *), cmp_strp))
			return true;
	return false;
}

void defs_free(struct defs *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->cap; i++) {
		if (!d->v[i].path)
			continue;
		for (size_t k = 0; k < d->v[i].n; k++)
			free(d->v[i].names[k]);
		free(d->v[i].names);
		free(d->v[i].path);
	}
	free(d->v);
	free(d);
}
