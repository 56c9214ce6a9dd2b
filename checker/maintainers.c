// SPDX-License-Identifier: GPL-2.0
/*
 * maintainers.c: the report per MAINTAINERS section (--format maintainers,
 * maintainers-json), the view a maintainer coordinating a tree-wide
 * conversion reads: for each section of the tree's own MAINTAINERS, its
 * mapping-API sites by class and by API, how many are convertible, its
 * findings, and its lists (L:) and maintainers (M:).
 *
 * A file belongs to the sections whose F: patterns match it and whose X:
 * patterns do not, as scripts/get_maintainer.pl reads them: a pattern is
 * matched from the start of the path (relative to the tree), '*' is any
 * run of characters ('/' too), '?' any one, [...] a class; a pattern that
 * ends in '/' (or names a directory of the tree) matches everything under
 * it, any other only paths with as many '/' as it has.  Of those sections
 * each site goes to exactly one, the most specific: the one with the
 * longest matching pattern, measured by what it names before its first
 * wildcard, then by its whole length (the first in the file on a tie).
 * THE REST's "*" and "*" "/" name nothing literally and are the shortest
 * patterns there are, so it gets only what nothing else matches.  N:
 * (regular expressions on the path) and K: are not read.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "maintainers.h"
#include "json_out.h"
#include "summary.h"

struct pattern {
	char *glob;
	size_t literal;		/* the length before the first wildcard */
	size_t slashes;
	bool dir;		/* ends in '/': everything under it */
};

struct section {
	char *name, *status;
	struct vec lists, people;	/* char * */
	struct vec files, excludes;	/* struct pattern * */
};

/* What one section holds of the report. */
struct bucket {
	const struct section *s;	/* NULL: a file no section matches */
	unsigned sites, convertible, skipped;
	struct vec classes, apis, files;	/* struct count * */
	struct vec findings;		/* const struct finding * */
};

static void pattern_free(void *p)
{
	struct pattern *t = p;

	free(t->glob);
	free(t);
}

static void section_free(void *p)
{
	struct section *s = p;

	free(s->name);
	free(s->status);
	vec_free(&s->lists, free);
	vec_free(&s->people, free);
	vec_free(&s->files, pattern_free);
	vec_free(&s->excludes, pattern_free);
	free(s);
}

static struct pattern *pattern_new(const char *tree, const char *value)
{
	struct pattern *t = xcalloc(1, sizeof(*t));
	size_t n = strlen(value);
	struct stat st;
	char *p;

	t->glob = xstrdup(value);
	t->literal = strcspn(value, "*?[");
	/* a directory named without its '/' (get_maintainer.pl adds one) */
	if (n && value[n - 1] != '/' && t->literal == n) {
		p = path_join(tree, value);
		if (!stat(p, &st) && S_ISDIR(st.st_mode)) {
			free(t->glob);
			t->glob = xasprintf("%s/", value);
		}
		free(p);
	}
	n = strlen(t->glob);
	t->dir = n && t->glob[n - 1] == '/';
	for (p = t->glob; *p; p++)
		t->slashes += *p == '/';
	return t;
}

/* Where the class [...] at @p ends (at its ']'), or NULL if it does not. */
static const char *class_end(const char *p)
{
	const char *q = p + 1;

	if (*q == '^' || *q == '!')
		q++;
	if (*q == ']')
		q++;
	while (*q && *q != ']')
		q++;
	return *q ? q : NULL;
}

static bool class_has(const char *p, const char *end, char c)
{
	bool neg = p[1] == '^' || p[1] == '!', in = false;

	for (const char *q = p + 1 + neg; q < end; q++) {
		if (q + 2 < end && q[1] == '-') {
			in |= c >= q[0] && c <= q[2];
			q += 2;
		} else {
			in |= *q == c;
		}
	}
	return in != neg;
}

/* Does glob @p match a prefix of @s? */
static bool glob_prefix(const char *p, const char *s)
{
	while (*p) {
		const char *end;

		if (*p == '*') {
			while (*p == '*')
				p++;
			if (!*p)
				return true;
			for (;; s++) {
				if (glob_prefix(p, s))
					return true;
				if (!*s)
					return false;
			}
		}
		if (!*s)
			return false;
		if (*p == '?') {
			p++;
			s++;
		} else if (*p == '[' && (end = class_end(p))) {
			if (!class_has(p, end, *s))
				return false;
			p = end + 1;
			s++;
		} else if (*p++ != *s++) {
			return false;
		}
	}
	return true;
}

static bool pattern_match(const struct pattern *t, const char *file, size_t slashes)
{
	if (strncmp(t->glob, file, t->literal))
		return false;
	if (!t->dir && slashes != t->slashes)
		return false;
	return glob_prefix(t->glob, file);
}

/* The tree's MAINTAINERS, its sections with an F: pattern, in file order. */
static bool load(const char *tree, struct vec *sections, char **err)
{
	char *path = path_join(tree, "MAINTAINERS"), *text, *line, *next;
	const char *why;
	struct section *cur = NULL;

	text = read_file(path, NULL, &why);
	if (!text) {
		*err = xasprintf("%s: %s (--format maintainers reads the tree's MAINTAINERS)",
				 path, why);
		free(path);
		return false;
	}
	free(path);
	for (line = text; line; line = next) {
		char *v, *e;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (line[0] >= 'A' && line[0] <= 'Z' && line[1] == ':') {
			if (!cur)
				continue;
			for (v = line + 2; *v == ' ' || *v == '\t'; v++)
				;
			for (e = v + strlen(v); e > v && (e[-1] == ' ' || e[-1] == '\t' ||
							  e[-1] == '\r'); )
				*--e = 0;
			if (!*v)
				continue;
			switch (line[0]) {
			case 'F':
				vec_push(&cur->files, pattern_new(tree, v));
				break;
			case 'X':
				vec_push(&cur->excludes, pattern_new(tree, v));
				break;
			case 'L':
				/* the address, without "(moderated for non-subscribers)" */
				vec_push(&cur->lists, xasprintf("%.*s", (int)strcspn(v, " \t"), v));
				break;
			case 'M':
				vec_push(&cur->people, xstrdup(v));
				break;
			case 'S':
				free(cur->status);
				cur->status = xstrdup(v);
				break;
			}
			continue;
		}
		for (v = line; *v == ' ' || *v == '\t'; v++)
			;
		if (!*v || line[0] == ' ' || line[0] == '\t' || line[0] == '#')
			continue;
		/* any other line names a section; its tags follow it */
		if (cur && !cur->files.n)
			section_free(cur);
		else if (cur)
			vec_push(sections, cur);
		cur = xcalloc(1, sizeof(*cur));
		cur->name = xstrdup(line);
	}
	if (cur && cur->files.n)
		vec_push(sections, cur);
	else if (cur)
		section_free(cur);
	free(text);
	if (!sections->n) {
		*err = xasprintf("%s/MAINTAINERS: no section with an F: pattern", tree);
		return false;
	}
	return true;
}

bool maintainers_check(const char *tree, char **err)
{
	struct vec sections = { 0 };
	bool ok = load(tree, &sections, err);

	vec_free(&sections, section_free);
	return ok;
}

/*
 * How specific a pattern is: the length of what it names literally before
 * its first wildcard, then its whole length ("drivers/block/xen*" is more
 * specific than "drivers/STAR/xen-STARfront.c", STAR a '*'); never 0 for a match.
 */
static size_t specificity(const struct pattern *t)
{
	return (t->literal << 16) + strlen(t->glob) + 1;
}

/* The section @file (relative to the tree) belongs to, or NULL. */
static const struct section *section_of(const struct vec *sections, const char *file)
{
	const struct section *best = NULL;
	size_t best_len = 0, slashes = 0;

	for (const char *p = file; *p; p++)
		slashes += *p == '/';
	for (size_t i = 0; i < sections->n; i++) {
		const struct section *s = sections->v[i];
		size_t len = 0;
		bool excluded = false;

		for (size_t k = 0; k < s->files.n; k++) {
			const struct pattern *t = s->files.v[k];
			size_t n = specificity(t);

			if (n > len && pattern_match(t, file, slashes))
				len = n;
		}
		if (len <= best_len)
			continue;
		for (size_t k = 0; k < s->excludes.n && !excluded; k++)
			excluded = pattern_match(s->excludes.v[k], file, slashes);
		if (!excluded) {
			best = s;
			best_len = len;
		}
	}
	return best;
}

/* Files to their sections, each looked up once. */
struct lookup {
	const struct vec *sections;
	struct vec files;	/* const char * */
	struct vec found;	/* const struct section * (NULL: none) */
	struct vec buckets;	/* struct bucket * */
};

static struct bucket *bucket_of(struct lookup *l, const char *file)
{
	const struct section *s = NULL;
	struct bucket *b;
	size_t i;

	for (i = l->files.n; i-- > 0; )
		if (!strcmp(l->files.v[i], file))
			break;
	if (i == (size_t)-1) {
		vec_push(&l->files, (void *)file);
		vec_push(&l->found, (void *)section_of(l->sections, file));
		i = l->files.n - 1;
	}
	s = l->found.v[i];
	for (size_t k = 0; k < l->buckets.n; k++) {
		b = l->buckets.v[k];
		if (b->s == s)
			return b;
	}
	b = xcalloc(1, sizeof(*b));
	b->s = s;
	vec_push(&l->buckets, b);
	return b;
}

static void bucket_free(void *p)
{
	struct bucket *b = p;

	vec_free(&b->classes, free);
	vec_free(&b->apis, free);
	vec_free(&b->files, free);
	vec_free(&b->findings, NULL);
	free(b);
}

static int cmp_count_desc(const void *a, const void *b)
{
	const struct count *x = *(struct count *const *)a, *y = *(struct count *const *)b;

	return x->n != y->n ? (x->n > y->n ? -1 : 1) : strcmp(x->key, y->key);
}

/* Most sites first, then most findings, then by name; no section last. */
static int cmp_bucket(const void *a, const void *b)
{
	const struct bucket *x = *(struct bucket *const *)a, *y = *(struct bucket *const *)b;

	if (!x->s != !y->s)
		return x->s ? -1 : 1;
	if (x->sites != y->sites)
		return x->sites > y->sites ? -1 : 1;
	if (x->findings.n != y->findings.n)
		return x->findings.n > y->findings.n ? -1 : 1;
	return x->s ? strcmp(x->s->name, y->s->name) : 0;
}

/* Is @s a kmap() site mapcheck's series converts (rewrite.c's convertible())? */
static bool convertible(const struct rules *rs, const struct site *s)
{
	const struct api *a = rules_api(rs, s->api);

	return a && a->role == API_MAP && a->scope == SCOPE_GLOBAL &&
	       class_convertible(s->klass);
}

static void counts_text(FILE *f, const char *what, const struct vec *v)
{
	fprintf(f, "  %-12s", what);
	for (size_t i = 0; i < v->n; i++) {
		const struct count *c = v->v[i];

		fprintf(f, "%s%s %u", i ? ", " : " ", c->key, c->n);
	}
	fputc('\n', f);
}

static void strings_text(FILE *f, const char *what, const struct vec *v)
{
	if (!v->n)
		return;
	fprintf(f, "  %-12s", what);
	for (size_t i = 0; i < v->n; i++)
		fprintf(f, "%s%s", i ? ", " : " ", (char *)v->v[i]);
	fputc('\n', f);
}

static void write_text(FILE *f, const struct report *r, const struct vec *buckets)
{
	unsigned convertible = 0, sections = 0;

	for (size_t i = 0; i < buckets->n; i++) {
		const struct bucket *b = buckets->v[i];

		convertible += b->convertible;
		sections += b->s != NULL;
	}
	fprintf(f, "%zu sites, %u convertible, %zu findings in %u MAINTAINERS sections%s\n",
		r->sites.n, convertible, r->findings.n, sections,
		sections == buckets->n ? "" : " (and files no section names)");
	for (size_t i = 0; i < buckets->n; i++) {
		const struct bucket *b = buckets->v[i];

		fprintf(f, "\n%s\n", b->s ? b->s->name : "(no MAINTAINERS section)");
		if (b->s && b->s->status)
			fprintf(f, "  %-12s %s\n", "status:", b->s->status);
		if (b->s)
			strings_text(f, "lists:", &b->s->lists);
		if (b->s)
			strings_text(f, "maintainers:", &b->s->people);
		fprintf(f, "  %-12s %u, %u convertible\n", "sites:", b->sites, b->convertible);
		if (b->sites) {
			counts_text(f, "by class:", &b->classes);
			counts_text(f, "by api:", &b->apis);
		}
		counts_text(f, "files:", &b->files);
		if (b->skipped)
			fprintf(f, "  %-12s %u\n", "skipped:", b->skipped);
		fprintf(f, "  %-12s %zu\n", "findings:", b->findings.n);
		for (size_t k = 0; k < b->findings.n; k++) {
			const struct finding *g = b->findings.v[k];

			fprintf(f, "    %s:%u:%u: %s: %s: %s [%s]\n", g->file, g->line, g->column,
				severity_name(g->severity), g->function, g->message, g->rule);
		}
	}
}

/* @v's keys and counts, in @v's order, as one object. */
static json_t *counts_json(const struct vec *v)
{
	json_t *o = json_object();

	for (size_t i = 0; i < v->n; i++) {
		const struct count *c = v->v[i];

		json_out_set(o, c->key, json_integer(c->n));
	}
	return o;
}

static json_t *strings_json(const struct vec *v)
{
	json_t *a = json_array();

	for (size_t i = 0; i < v->n; i++)
		json_out_push(a, json_out_str(v->v[i]));
	return a;
}

static void write_json(FILE *f, const struct report *r, const struct vec *buckets)
{
	json_t *root = json_out_head(r), *o, *sections;
	unsigned convertible = 0;

	for (size_t i = 0; i < buckets->n; i++)
		convertible += ((struct bucket *)buckets->v[i])->convertible;
	o = json_out_set(root, "totals", json_object());
	json_out_set(o, "sites", json_integer((json_int_t)r->sites.n));
	json_out_set(o, "convertible", json_integer(convertible));
	json_out_set(o, "findings", json_integer((json_int_t)r->findings.n));
	json_out_set(o, "sections", json_integer((json_int_t)buckets->n));
	sections = json_out_set(root, "sections", json_array());
	for (size_t i = 0; i < buckets->n; i++) {
		const struct bucket *b = buckets->v[i];
		static const struct vec none;
		json_t *a;

		o = json_out_push(sections, json_object());
		/* null: the files no section names; a section without S: */
		json_out_set(o, "name", b->s ? json_out_str(b->s->name) : json_null());
		json_out_set(o, "status", b->s && b->s->status ? json_out_str(b->s->status) :
				 json_null());
		json_out_set(o, "lists", strings_json(b->s ? &b->s->lists : &none));
		json_out_set(o, "maintainers", strings_json(b->s ? &b->s->people : &none));
		json_out_set(o, "sites", json_integer(b->sites));
		json_out_set(o, "convertible", json_integer(b->convertible));
		json_out_set(o, "skipped", json_integer(b->skipped));
		json_out_set(o, "classes", counts_json(&b->classes));
		json_out_set(o, "apis", counts_json(&b->apis));
		json_out_set(o, "files", counts_json(&b->files));
		a = json_out_set(o, "findings", json_array());
		for (size_t k = 0; k < b->findings.n; k++)
			json_out_push(a, json_out_finding(b->findings.v[k]));
	}
	json_out_write(f, root);
}

void maintainers_write(FILE *f, const struct report *r, const struct rules *rs, bool json)
{
	struct vec sections = { 0 };
	struct lookup l = { &sections, { 0 }, { 0 }, { 0 } };
	char *err = NULL;

	if (!load(r->tree, &sections, &err))
		die("%s", err);
	for (size_t i = 0; i < r->sites.n; i++) {
		const struct site *s = r->sites.v[i];
		struct bucket *b = bucket_of(&l, s->file);

		b->sites++;
		b->convertible += convertible(rs, s);
		count_key(&b->classes, class_name(s->klass));
		count_key(&b->apis, s->api);
		count_key(&b->files, s->file);
	}
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct finding *g = r->findings.v[i];

		vec_push(&bucket_of(&l, g->file)->findings, (void *)g);
	}
	for (size_t i = 0; i < r->skipped.n; i++)
		bucket_of(&l, ((struct skip *)r->skipped.v[i])->file)->skipped++;
	for (size_t i = 0; i < l.buckets.n; i++) {
		struct bucket *b = l.buckets.v[i];

		sort_by_class(&b->classes);
		sort_by_api(&b->apis, rs);
		vec_sort(&b->files, 0, cmp_count_desc);
	}
	vec_sort(&l.buckets, 0, cmp_bucket);
	if (json)
		write_json(f, r, &l.buckets);
	else
		write_text(f, r, &l.buckets);
	vec_free(&l.buckets, bucket_free);
	vec_free(&l.files, NULL);
	vec_free(&l.found, NULL);
	vec_free(&sections, section_free);
}
