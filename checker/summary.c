// SPDX-License-Identifier: GPL-2.0
/*
 * summary.c: the summary table.  Sorted so that two runs, or two trees,
 * read side by side line for line: sites by API (rules/apis.tbl order) and
 * class (a fixed order, most convertible first), findings by severity
 * (errors first) and rule, each with its total.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"

void count_key(struct vec *v, const char *key)
{
	struct count *c;

	for (size_t i = 0; i < v->n; i++) {
		c = v->v[i];
		if (!strcmp(c->key, key)) {
			c->n++;
			return;
		}
	}
	c = xcalloc(1, sizeof(*c));
	c->key = key;
	c->n = 1;
	vec_push(v, c);
}

static int cmp_count_key(const void *a, const void *b)
{
	const struct count *x = *(struct count *const *)a, *y = *(struct count *const *)b;

	return strcmp(x->key, y->key);
}

/* The classes in enum site_class order; any other key after them. */
static size_t class_rank(const char *k)
{
	enum site_class c;

	return class_from_name(k, &c) ? (size_t)c : (size_t)CLASS_PENDING;
}

static size_t api_rank(const struct rules *rs, const char *k)
{
	size_t i;

	for (i = 0; i < rs->apis.n; i++) {
		const struct api *a = rs->apis.v[i];

		if (!strcmp(k, a->name) || !strcmp(k, a->shown))
			break;
	}
	return i;
}

static int by_rank(size_t i, size_t j, const char *x, const char *y)
{
	return i != j ? (i < j ? -1 : 1) : strcmp(x, y);
}

static int cmp_class(const void *a, const void *b)
{
	const struct count *x = *(struct count *const *)a, *y = *(struct count *const *)b;

	return by_rank(class_rank(x->key), class_rank(y->key), x->key, y->key);
}

void sort_by_class(struct vec *counts)
{
	vec_sort(counts, 0, cmp_class);
}

/* qsort() has no context argument; the rules for the sort in progress. */
static const struct rules *sort_rules;

static int cmp_api(const void *a, const void *b)
{
	const struct count *x = *(struct count *const *)a, *y = *(struct count *const *)b;

	return by_rank(api_rank(sort_rules, x->key), api_rank(sort_rules, y->key),
		       x->key, y->key);
}

void sort_by_api(struct vec *counts, const struct rules *rs)
{
	sort_rules = rs;
	vec_sort(counts, 0, cmp_api);
	sort_rules = NULL;
}

/* The sites of one API, counted by class. */
struct api_row {
	struct count api;
	struct vec classes;	/* struct count * */
};

static void api_row_free(void *p)
{
	struct api_row *a = p;

	vec_free(&a->classes, free);
	free(a);
}

static int cmp_api_row(const void *a, const void *b)
{
	const struct count *x = &(*(struct api_row *const *)a)->api;
	const struct count *y = &(*(struct api_row *const *)b)->api;

	return by_rank(api_rank(sort_rules, x->key), api_rank(sort_rules, y->key),
		       x->key, y->key);
}

/* Findings of one rule. */
struct rule_row {
	const char *rule;
	enum severity severity;
	unsigned n;
};

static int cmp_rule_row(const void *a, const void *b)
{
	const struct rule_row *x = *(struct rule_row *const *)a, *y = *(struct rule_row *const *)b;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

static void write_site_counts(FILE *f, const struct report *r, const struct rules *rs)
{
	struct vec rows = { 0 };

	for (size_t i = 0; i < r->sites.n; i++) {
		const struct site *s = r->sites.v[i];
		struct api_row *a = NULL;

		for (size_t j = 0; j < rows.n && !a; j++)
			if (!strcmp(((struct api_row *)rows.v[j])->api.key, s->api))
				a = rows.v[j];
		if (!a) {
			a = xcalloc(1, sizeof(*a));
			a->api.key = s->api;
			vec_push(&rows, a);
		}
		a->api.n++;
		count_key(&a->classes, class_name(s->klass));
	}
	sort_rules = rs;
	vec_sort(&rows, 0, cmp_api_row);
	sort_rules = NULL;
	fputs("sites by api and class:\n", f);
	for (size_t i = 0; i < rows.n; i++) {
		struct api_row *a = rows.v[i];

		sort_by_class(&a->classes);
		for (size_t j = 0; j < a->classes.n; j++) {
			const struct count *c = a->classes.v[j];

			fprintf(f, "  %-22s %-15s %6u\n", j ? "" : a->api.key, c->key, c->n);
		}
		/* An API with one class needs no sum of its own. */
		if (a->classes.n > 1)
			fprintf(f, "  %-22s %-15s %6u\n", "", "all", a->api.n);
	}
	fprintf(f, "  %-38s %6zu\n", "total", r->sites.n);
	vec_free(&rows, api_row_free);
}

/* With more than one configuration: how many sites each analysed. */
static void write_config_counts(FILE *f, const struct report *r)
{
	struct vec counts = { 0 };

	for (size_t i = 0; i < r->sites.n; i++) {
		const struct site *s = r->sites.v[i];

		count_key(&counts, s->config ? s->config : "-");
	}
	if (counts.n > 1) {
		vec_sort(&counts, 0, cmp_count_key);
		fputs("sites by configuration:\n", f);
		for (size_t i = 0; i < counts.n; i++) {
			const struct count *c = counts.v[i];

			fprintf(f, "  %-38s %6u\n", c->key, c->n);
		}
	}
	vec_free(&counts, free);
}

static void write_finding_counts(FILE *f, const struct report *r)
{
	struct vec rows = { 0 };

	for (size_t i = 0; i < r->findings.n; i++) {
		const struct finding *g = r->findings.v[i];
		struct rule_row *w = NULL;

		for (size_t j = 0; j < rows.n && !w; j++) {
			struct rule_row *x = rows.v[j];

			if (x->severity == g->severity && !strcmp(x->rule, g->rule))
				w = x;
		}
		if (!w) {
			w = xcalloc(1, sizeof(*w));
			w->rule = g->rule;
			w->severity = g->severity;
			vec_push(&rows, w);
		}
		w->n++;
	}
	vec_sort(&rows, 0, cmp_rule_row);
	fputs("findings by severity and rule:\n", f);
	for (size_t i = 0; i < rows.n; i++) {
		const struct rule_row *w = rows.v[i];

		fprintf(f, "  %-8s %-29s %6u\n", severity_name(w->severity), w->rule, w->n);
	}
	fprintf(f, "  %-38s %6zu\n", "total", r->findings.n);
	vec_free(&rows, free);
}

void summary_write(FILE *f, const struct report *r, const struct rules *rs)
{
	write_site_counts(f, r, rs);
	write_config_counts(f, r);
	write_finding_counts(f, r);
	fprintf(f, "files considered %u, parsed %u, with parse errors %u; "
		"skipped entries %zu; %.1f s\n", r->files_considered, r->files_parsed,
		r->parse_errors, r->skipped.n, r->seconds);
	if (r->diff)
		fprintf(f, "diff mode (%s): %zu of %zu findings are on lines or in functions "
			"the change touches; only those are reported\n", r->diff, r->findings.n,
			r->diff_total);
}
