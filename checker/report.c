// SPDX-License-Identifier: GPL-2.0
/*
 * report.c: sites, findings, skips and summaries, and putting them in a
 * stable order.
 */
#include <stdlib.h>
#include <string.h>

#include "mapcheck.h"

struct evidence *evidence_new(const char *file, unsigned line, const char *note)
{
	struct evidence *e = xcalloc(1, sizeof(*e));

	e->file = xstrdup(file);
	e->line = line;
	e->note = xstrdup(note);
	return e;
}

void evidence_free(void *p)
{
	struct evidence *e = p;

	free(e->file);
	free(e->note);
	free(e);
}

void site_free(void *p)
{
	struct site *s = p;

	free(s->file);
	free(s->function);
	free(s->api);
	free(s->reason);
	free(s->fix);
	free(s->config);
	vec_free(&s->evidence, evidence_free);
	free(s);
}

void finding_free(void *p)
{
	struct finding *f = p;

	free(f->rule);
	free(f->file);
	free(f->function);
	free(f->message);
	free(f->config);
	vec_free(&f->evidence, evidence_free);
	free(f);
}

void skip_free(void *p)
{
	struct skip *k = p;

	free(k->file);
	free(k->reason);
	free(k);
}

void report_add_skip(struct report *r, const char *file, unsigned line,
		     const char *reason)
{
	struct skip *k = xcalloc(1, sizeof(*k));

	k->file = xstrdup(file);
	k->line = line;
	k->reason = xstrdup(reason);
	vec_push(&r->skipped, k);
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

#define CMP(x) do { int c_ = (x); if (c_) return c_; } while (0)
#define CMPU(a, b) CMP(((a) > (b)) - ((a) < (b)))

static int cmp_evidence(const struct vec *a, const struct vec *b)
{
	for (size_t i = 0; i < a->n && i < b->n; i++) {
		const struct evidence *x = a->v[i], *y = b->v[i];

		CMP(cmp_str(x->file, y->file));
		CMPU(x->line, y->line);
		CMP(cmp_str(x->note, y->note));
	}
	CMPU(a->n, b->n);
	return 0;
}

/* Sites are keyed by position and API; the rest only breaks ties. */
static int site_key(const struct site *a, const struct site *b)
{
	CMP(cmp_str(a->file, b->file));
	CMPU(a->line, b->line);
	CMPU(a->column, b->column);
	return cmp_str(a->api, b->api);
}

static int cmp_site(const void *pa, const void *pb)
{
	const struct site *a = *(struct site *const *)pa;
	const struct site *b = *(struct site *const *)pb;

	CMP(site_key(a, b));
	CMP(cmp_str(a->function, b->function));
	CMP((int)a->klass - (int)b->klass);
	CMP(cmp_str(a->reason, b->reason));
	return cmp_evidence(&a->evidence, &b->evidence);
}

static int finding_key(const struct finding *a, const struct finding *b)
{
	CMP(cmp_str(a->file, b->file));
	CMPU(a->line, b->line);
	CMPU(a->column, b->column);
	return cmp_str(a->rule, b->rule);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct finding *a = *(struct finding *const *)pa;
	const struct finding *b = *(struct finding *const *)pb;

	CMP(finding_key(a, b));
	CMP(cmp_str(a->message, b->message));
	return cmp_evidence(&a->evidence, &b->evidence);
}

static int cmp_skip(const void *pa, const void *pb)
{
	const struct skip *a = *(struct skip *const *)pa;
	const struct skip *b = *(struct skip *const *)pb;

	CMP(cmp_str(a->file, b->file));
	CMPU(a->line, b->line);
	return cmp_str(a->reason, b->reason);
}

/*
 * A file that does not parse on its own may still be parsed through the
 * file that #includes it; its calls are then sites, not skips.
 */
static bool seen_as_site(const struct report *r, const struct skip *k)
{
	struct site key = { .file = k->file, .line = k->line };
	size_t lo = 0, hi = r->sites.n;

	/* sites are sorted by file, then line */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct site *s = r->sites.v[mid];
		int c = strcmp(s->file, key.file);

		if (!c)
			c = (s->line > key.line) - (s->line < key.line);
		if (!c)
			return k->line != 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/*
 * Sort everything and drop duplicates: a site in a header is seen once
 * per translation unit that includes it, and must be reported once.  The
 * first of equal keys after a full sort wins, so the result does not
 * depend on which worker saw it first.
 */
void report_sort_unique(struct report *r)
{
	size_t i, j;

	vec_sort(&r->sites, 0, cmp_site);
	for (i = j = 0; i < r->sites.n; i++) {
		if (j && !site_key(r->sites.v[j - 1], r->sites.v[i]))
			site_free(r->sites.v[i]);
		else
			r->sites.v[j++] = r->sites.v[i];
	}
	r->sites.n = j;

	vec_sort(&r->findings, 0, cmp_finding);
	for (i = j = 0; i < r->findings.n; i++) {
		if (j && !finding_key(r->findings.v[j - 1], r->findings.v[i]))
			finding_free(r->findings.v[i]);
		else
			r->findings.v[j++] = r->findings.v[i];
	}
	r->findings.n = j;

	vec_sort(&r->skipped, 0, cmp_skip);
	for (i = j = 0; i < r->skipped.n; i++) {
		if ((j && !cmp_skip(&r->skipped.v[j - 1], &r->skipped.v[i])) ||
		    seen_as_site(r, r->skipped.v[i]))
			skip_free(r->skipped.v[i]);
		else
			r->skipped.v[j++] = r->skipped.v[i];
	}
	r->skipped.n = j;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

void fate_summary_copy(struct fate_summary *dst, const struct fate_summary *src)
{
	*dst = *src;
	dst->why = dup_or_null(src->why);
	dst->note = dup_or_null(src->note);
}

void fate_summary_clear(struct fate_summary *s)
{
	free(s->why);
	free(s->note);
	s->why = s->note = NULL;
}

bool fate_summary_equal(const struct fate_summary *a, const struct fate_summary *b)
{
	return a->fate == b->fate && a->unmaps == b->unmaps &&
	       a->page_address == b->page_address && a->returned == b->returned &&
	       a->out_params == b->out_params && same_text(a->why, b->why) &&
	       same_text(a->note, b->note);
}

void ext_summary_free(void *p)
{
	struct ext_summary *e = p;

	free(e->name);
	fate_summary_clear(&e->sum);
	free(e->origin);
	free(e);
}

const struct ext_summary *ext_lookup(const struct vec *db, const char *name, int arg)
{
	for (size_t i = 0; db && name && i < db->n; i++) {
		const struct ext_summary *e = db->v[i];

		if (e->arg == arg && !strcmp(e->name, name))
			return e;
	}
	return NULL;
}

/* Move everything of @from into @into. */
void report_merge(struct report *into, struct report *from)
{
	struct vec *v[][2] = {
		{ &into->sites, &from->sites }, { &into->findings, &from->findings },
		{ &into->skipped, &from->skipped }, { &into->wanted, &from->wanted },
		{ &into->summaries, &from->summaries },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (size_t j = 0; j < v[i][1]->n; j++)
			vec_push(v[i][0], v[i][1]->v[j]);
		v[i][1]->n = 0;
	}
	into->files_considered += from->files_considered;
	into->files_parsed += from->files_parsed;
	into->parse_errors += from->parse_errors;
}

void report_free(struct report *r)
{
	vec_free(&r->wanted, free);
	vec_free(&r->summaries, ext_summary_free);
	vec_free(&r->sites, site_free);
	vec_free(&r->findings, finding_free);
	vec_free(&r->skipped, skip_free);
	free(r->tree);
	free(r->kernel);
	free(r->diff);
}
