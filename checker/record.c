// SPDX-License-Identifier: GPL-2.0
/*
 * record.c: the line format a worker process uses to hand its results to
 * the parent.  The last line is "END"; a record without it came from a
 * worker that died and is not trusted.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "mapcheck.h"

static void put(FILE *f, const char *s)
{
	fputc('\t', f);
	while (s && *s) {
		size_t n = strcspn(s, "\t\n\\");	/* the run that needs no escape */

		fwrite(s, 1, n, f);
		s += n;
		switch (*s) {
		case '\t': fputs("\\t", f); break;
		case '\n': fputs("\\n", f); break;
		case '\\': fputs("\\\\", f); break;
		default: continue;	/* the end */
		}
		s++;
	}
}

static void put_u(FILE *f, unsigned u)
{
	fprintf(f, "\t%u", u);
}

static void put_evidence(FILE *f, const struct vec *ev)
{
	for (size_t i = 0; i < ev->n; i++) {
		const struct evidence *e = ev->v[i];

		fputc('E', f);
		put(f, e->file);
		put_u(f, e->line);
		put(f, e->note);
		fputc('\n', f);
	}
}

void record_write(FILE *f, const struct report *r)
{
	size_t i;

	for (i = 0; i < r->sites.n; i++) {
		const struct site *s = r->sites.v[i];

		fputc('S', f);
		put(f, s->file);
		put_u(f, s->line);
		put_u(f, s->column);
		put(f, s->function);
		put(f, s->api);
		put(f, class_name(s->klass));
		put(f, s->reason);
		put(f, s->fix);
		fputc('\n', f);
		put_evidence(f, &s->evidence);
	}
	for (i = 0; i < r->findings.n; i++) {
		const struct finding *g = r->findings.v[i];

		fputc('F', f);
		put(f, g->rule);
		put_u(f, g->severity);
		put(f, g->file);
		put_u(f, g->line);
		put_u(f, g->column);
		put(f, g->function);
		put(f, g->message);
		fputc('\n', f);
		put_evidence(f, &g->evidence);
	}
	for (i = 0; i < r->skipped.n; i++) {
		const struct skip *k = r->skipped.v[i];

		fputc('K', f);
		put(f, k->file);
		put_u(f, k->line);
		put(f, k->reason);
		fputc('\n', f);
	}
	for (i = 0; i < r->wanted.n; i++) {
		fputc('N', f);
		put(f, r->wanted.v[i]);
		fputc('\n', f);
	}
	for (i = 0; i < r->summaries.n; i++) {
		const struct ext_summary *e = r->summaries.v[i];

		fputc('U', f);
		put(f, e->name);
		put_u(f, (unsigned)e->arg);
		put_u(f, (unsigned)e->sum.fate);
		put_u(f, e->sum.unmaps);
		put_u(f, e->sum.page_address);
		put_u(f, e->sum.returned);
		put_u(f, e->sum.out_params);
		put(f, e->sum.why);
		put(f, e->sum.note);
		put(f, e->origin);
		fputc('\n', f);
	}
	fprintf(f, "C\t%u\t%u\t%u\nEND\n", r->files_considered,
		r->files_parsed, r->parse_errors);
}

static void unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*w++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s;
		} else {
			*w++ = *s;
		}
	}
	*w = 0;
}

/*
 * Split "\tf1\tf2..." in place.  Escaped tabs are two characters, so every
 * raw tab is a separator; unescaping afterwards only shortens a field.
 */
static size_t split(char *line, char **field, size_t max)
{
	size_t n = 0;
	char *p;

	if (*line != '\t')
		return 0;
	line++;
	while ((p = strsep(&line, "\t")) && n < max)
		field[n++] = p;
	if (p)
		return 0;
	for (size_t i = 0; i < n; i++)
		unescape(field[i]);
	return n;
}

static unsigned u(const char *s)
{
	return (unsigned)strtoul(s, NULL, 10);
}

/* Append the records in @f to @r.  False if the record is incomplete. */
bool record_read(FILE *f, struct report *r)
{
	char *line = NULL, *fl[10];
	enum site_class klass;
	size_t cap = 0;
	ssize_t len;
	struct vec *ev = NULL;
	bool done = false;

	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = 0;
		if (!strcmp(line, "END")) {
			done = true;
			break;
		}
		switch (line[0]) {
		case 'S':
			if (split(line + 1, fl, 10) != 8 || !class_from_name(fl[5], &klass))
				goto bad;
			{
				struct site *s = xcalloc(1, sizeof(*s));

				s->file = xstrdup(fl[0]);
				s->line = u(fl[1]);
				s->column = u(fl[2]);
				s->function = xstrdup(fl[3]);
				s->api = xstrdup(fl[4]);
				s->klass = klass;
				s->reason = xstrdup(fl[6]);
				s->fix = *fl[7] ? xstrdup(fl[7]) : NULL;
				vec_push(&r->sites, s);
				ev = &s->evidence;
			}
			break;
		case 'F':
			if (split(line + 1, fl, 10) != 7)
				goto bad;
			{
				struct finding *g = xcalloc(1, sizeof(*g));

				g->rule = xstrdup(fl[0]);
				g->severity = (enum severity)u(fl[1]);
				g->file = xstrdup(fl[2]);
				g->line = u(fl[3]);
				g->column = u(fl[4]);
				g->function = xstrdup(fl[5]);
				g->message = xstrdup(fl[6]);
				vec_push(&r->findings, g);
				ev = &g->evidence;
			}
			break;
		case 'E':
			if (!ev || split(line + 1, fl, 10) != 3)
				goto bad;
			vec_push(ev, evidence_new(fl[0], u(fl[1]), fl[2]));
			break;
		case 'K':
			if (split(line + 1, fl, 10) != 3)
				goto bad;
			report_add_skip(r, fl[0], u(fl[1]), fl[2]);
			ev = NULL;
			break;
		case 'N':
			if (split(line + 1, fl, 10) != 1)
				goto bad;
			vec_push(&r->wanted, xstrdup(fl[0]));
			break;
		case 'U':
			if (split(line + 1, fl, 10) != 10 || u(fl[2]) > FATE_ESCAPES)
				goto bad;
			{
				struct ext_summary *e = xcalloc(1, sizeof(*e));

				e->name = xstrdup(fl[0]);
				e->arg = (int)u(fl[1]);
				e->sum.fate = (enum fate)u(fl[2]);
				e->sum.unmaps = u(fl[3]);
				e->sum.page_address = u(fl[4]);
				e->sum.returned = u(fl[5]);
				e->sum.out_params = u(fl[6]);
				e->sum.why = *fl[7] ? xstrdup(fl[7]) : NULL;
				e->sum.note = *fl[8] ? xstrdup(fl[8]) : NULL;
				e->origin = xstrdup(fl[9]);
				vec_push(&r->summaries, e);
			}
			break;
		case 'C':
			if (split(line + 1, fl, 10) != 3)
				goto bad;
			r->files_considered += u(fl[0]);
			r->files_parsed += u(fl[1]);
			r->parse_errors += u(fl[2]);
			break;
		default:
			goto bad;
		}
	}
bad:
	free(line);
	return done;
}
