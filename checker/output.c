// SPDX-License-Identifier: GPL-2.0
/*
 * output.c: write a report as gcc-style text, JSON or SARIF 2.1.0 (the
 * JSON built with libjansson, json_out.h).
 */
#include <stdlib.h>
#include <string.h>

#include "mapcheck.h"
#include "json_out.h"
#include "maintainers.h"
#include "output.h"
#include "summary.h"

/* The evidence of a site or finding: file, line and note of each. */
static json_t *evidence_json(const struct vec *ev)
{
	json_t *a = json_array();

	for (size_t i = 0; i < ev->n; i++) {
		const struct evidence *e = ev->v[i];
		json_t *o = json_out_push(a, json_object());

		json_out_set(o, "file", json_out_str(e->file));
		json_out_set(o, "line", json_integer(e->line));
		json_out_set(o, "note", json_out_str(e->note));
	}
	return a;
}

/*
 * stats.seconds as "%.1f" printed it: the value to one decimal, read
 * back, which json_out_write()'s 15 significant digits print as that
 * decimal again ("1.6", "0.0"; jansson adds the ".0" to a whole number).
 */
static json_t *tenths(double seconds)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.1f", seconds);
	return json_real(strtod(buf, NULL));
}

static void write_json(FILE *f, const struct report *r)
{
	json_t *root = json_out_head(r), *a, *o;
	size_t i;

	if (r->diff) {
		o = json_out_set(root, "diff", json_object());
		json_out_set(o, "change", json_out_str(r->diff));
		json_out_set(o, "findings_total", json_integer((json_int_t)r->diff_total));
		json_out_set(o, "findings_reported", json_integer((json_int_t)r->findings.n));
	}
	a = json_out_set(root, "sites", json_array());
	for (i = 0; i < r->sites.n; i++) {
		const struct site *s = r->sites.v[i];

		o = json_out_push(a, json_object());
		json_out_set(o, "file", json_out_str(s->file));
		json_out_set(o, "line", json_integer(s->line));
		json_out_set(o, "column", json_integer(s->column));
		json_out_set(o, "function", json_out_str(s->function));
		json_out_set(o, "api", json_out_str(s->api));
		json_out_set(o, "class", json_out_str(class_name(s->klass)));
		json_out_set(o, "reason", json_out_str(s->reason));
		if (s->config)
			json_out_set(o, "config", json_out_str(s->config));
		json_out_set(o, "evidence", evidence_json(&s->evidence));
	}
	a = json_out_set(root, "findings", json_array());
	for (i = 0; i < r->findings.n; i++) {
		const struct finding *g = r->findings.v[i];

		o = json_out_push(a, json_out_finding(g));
		if (g->config)
			json_out_set(o, "config", json_out_str(g->config));
		json_out_set(o, "evidence", evidence_json(&g->evidence));
	}
	a = json_out_set(root, "skipped", json_array());
	for (i = 0; i < r->skipped.n; i++) {
		const struct skip *k = r->skipped.v[i];

		o = json_out_push(a, json_object());
		json_out_set(o, "file", json_out_str(k->file));
		json_out_set(o, "line", json_integer(k->line));
		json_out_set(o, "reason", json_out_str(k->reason));
	}
	o = json_out_set(root, "stats", json_object());
	json_out_set(o, "files_considered", json_integer(r->files_considered));
	json_out_set(o, "files_parsed", json_integer(r->files_parsed));
	json_out_set(o, "parse_errors", json_integer(r->parse_errors));
	json_out_set(o, "seconds", tenths(r->seconds));
	json_out_write(f, root);
}

static const char *colour(enum severity s)
{
	return s == SEV_ERROR ? "\033[01;31m" : s == SEV_WARNING ? "\033[01;35m" : "\033[01;36m";
}

static void write_text(FILE *f, const struct report *r, bool tty)
{
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct finding *g = r->findings.v[i];

		if (tty)
			fprintf(f, "\033[01m%s:%u:%u:\033[0m %s%s:\033[0m %s [%s]\n", g->file,
				g->line, g->column, colour(g->severity),
				severity_name(g->severity), g->message, g->rule);
		else
			fprintf(f, "%s:%u:%u: %s: %s [%s]\n", g->file, g->line, g->column,
				severity_name(g->severity), g->message, g->rule);
		for (size_t j = 0; j < g->evidence.n; j++) {
			const struct evidence *e = g->evidence.v[j];

			fprintf(f, "%s:%u: note: %s\n", e->file, e->line, e->note);
		}
	}
	for (size_t i = 0; i < r->skipped.n; i++) {
		const struct skip *k = r->skipped.v[i];

		fprintf(f, "%s:%u: skipped: %s\n", k->file, k->line, k->reason);
	}
}

static const char *sarif_level(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

static int rule_index(const struct rules *rs, const char *id)
{
	for (size_t i = 0; i < rs->rules.n; i++)
		if (!strcmp(((struct rule *)rs->rules.v[i])->id, id))
			return (int)i;
	return -1;
}

/* SARIF's message and description objects: { "text": @s }. */
static json_t *sarif_text(const char *s)
{
	json_t *o = json_object();

	json_out_set(o, "text", json_out_str(s));
	return o;
}

/* A physicalLocation: @file under SRCROOT (the tree), its line and column if known. */
static json_t *sarif_physical(const char *file, unsigned line, unsigned col)
{
	json_t *p = json_object(), *o;

	o = json_out_set(p, "artifactLocation", json_object());
	json_out_set(o, "uri", json_out_str(file));
	json_out_set(o, "uriBaseId", json_string("SRCROOT"));
	if (line) {
		o = json_out_set(p, "region", json_object());
		json_out_set(o, "startLine", json_integer(line));
		if (col)
			json_out_set(o, "startColumn", json_integer(col));
	}
	return p;
}

/* tool.driver.rules: every rule of rules/, described. */
static json_t *sarif_rules(const struct rules *rs)
{
	json_t *a = json_array(), *o;

	for (size_t i = 0; i < rs->rules.n; i++) {
		const struct rule *ru = rs->rules.v[i];
		json_t *rule = json_out_push(a, json_object());

		json_out_set(rule, "id", json_out_str(ru->id));
		json_out_set(rule, "shortDescription", sarif_text(ru->title));
		json_out_set(rule, "fullDescription", sarif_text(ru->help));
		json_out_set(rule, "help", sarif_text(ru->fix));
		o = json_out_set(rule, "defaultConfiguration", json_object());
		json_out_set(o, "level", json_string(sarif_level(ru->severity)));
	}
	return a;
}

/* One result: the finding where it is, its evidence as relatedLocations. */
static json_t *sarif_result(const struct finding *g, const struct rules *rs)
{
	json_t *res = json_object(), *a, *o;
	int idx = rule_index(rs, g->rule);

	json_out_set(res, "ruleId", json_out_str(g->rule));
	if (idx >= 0)
		json_out_set(res, "ruleIndex", json_integer(idx));
	json_out_set(res, "level", json_string(sarif_level(g->severity)));
	json_out_set(res, "message", sarif_text(g->message));
	if (g->config) {
		o = json_out_set(res, "properties", json_object());
		json_out_set(o, "config", json_out_str(g->config));
	}
	a = json_out_set(res, "locations", json_array());
	o = json_out_push(a, json_object());
	json_out_set(o, "physicalLocation", sarif_physical(g->file, g->line, g->column));
	if (!g->evidence.n)
		return res;
	a = json_out_set(res, "relatedLocations", json_array());
	for (size_t j = 0; j < g->evidence.n; j++) {
		const struct evidence *e = g->evidence.v[j];

		o = json_out_push(a, json_object());
		json_out_set(o, "id", json_integer((json_int_t)j));
		json_out_set(o, "message", sarif_text(e->note));
		json_out_set(o, "physicalLocation", sarif_physical(e->file, e->line, 0));
	}
	return res;
}

static void write_sarif(FILE *f, const struct report *r, const struct rules *rs)
{
	json_t *root = json_object(), *run, *o, *a;
	char *uri = xasprintf("file://%s/", r->tree ? r->tree : "");

	json_out_set(root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_out_set(root, "version", json_string("2.1.0"));
	run = json_out_push(json_out_set(root, "runs", json_array()), json_object());
	o = json_out_set(json_out_set(run, "tool", json_object()), "driver", json_object());
	json_out_set(o, "name", json_string("mapcheck"));
	json_out_set(o, "version", json_string(MAPCHECK_VERSION));
	json_out_set(o, "rules", sarif_rules(rs));
	o = json_out_set(json_out_set(run, "originalUriBaseIds", json_object()), "SRCROOT",
			 json_object());
	json_out_set(o, "uri", json_out_str(uri));
	free(uri);
	a = json_out_set(run, "results", json_array());
	for (size_t i = 0; i < r->findings.n; i++)
		json_out_push(a, sarif_result(r->findings.v[i], rs));
	json_out_write(f, root);
}

/* One line per site: where, function, API, class and reason. */
static void write_sites(FILE *f, const struct report *r)
{
	for (size_t i = 0; i < r->sites.n; i++) {
		const struct site *s = r->sites.v[i];

		fprintf(f, "%s:%u:%u: %s: %s: %s%s%s\n", s->file, s->line, s->column,
			s->function, s->api, class_name(s->klass), *s->reason ? ": " : "", s->reason);
	}
	for (size_t i = 0; i < r->skipped.n; i++) {
		const struct skip *k = r->skipped.v[i];

		fprintf(f, "%s:%u: skipped: %s\n", k->file, k->line, k->reason);
	}
}

void write_report(FILE *f, const struct report *r, enum format fmt,
		  const struct rules *rs, bool tty)
{
	switch (fmt) {
	case FMT_TEXT: write_text(f, r, tty); break;
	case FMT_JSON: write_json(f, r); break;
	case FMT_SARIF: write_sarif(f, r, rs); break;
	case FMT_SUMMARY: summary_write(f, r, rs); break;
	case FMT_SITES: write_sites(f, r); break;
	case FMT_MAINTAINERS: maintainers_write(f, r, rs, false); break;
	case FMT_MAINTAINERS_JSON: maintainers_write(f, r, rs, true); break;
	}
}
