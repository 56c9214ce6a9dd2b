// SPDX-License-Identifier: GPL-2.0
/* output.c: write a report as gcc-style text, JSON or SARIF 2.1.0. */
#include <stdlib.h>
#include <string.h>

#include "mapcheck.h"
#include "json_out.h"
#include "maintainers.h"
#include "output.h"
#include "summary.h"

static void json_evidence(FILE *f, const struct vec *ev)
{
	fputs("\"evidence\": [", f);
	for (size_t i = 0; i < ev->n; i++) {
		const struct evidence *e = ev->v[i];

		fputs(i ? ", { \"file\": " : " { \"file\": ", f);
		json_str(f, e->file);
		fprintf(f, ", \"line\": %u, \"note\": ", e->line);
		json_str(f, e->note);
		fputs(" }", f);
	}
	fputs(ev->n ? " ]" : "]", f);
}

static void write_json(FILE *f, const struct report *r)
{
	size_t i;

	fputs("{ \"tool\": \"mapcheck\", \"version\": \"" MAPCHECK_VERSION "\", \"tree\": ", f);
	json_str(f, r->tree);
	fputs(", \"kernel\": ", f);
	json_str(f, r->kernel);
	if (r->diff) {
		fputs(",\n  \"diff\": { \"change\": ", f);
		json_str(f, r->diff);
		fprintf(f, ", \"findings_total\": %zu, \"findings_reported\": %zu }",
			r->diff_total, r->findings.n);
	}
	fputs(",\n  \"sites\": [", f);
	for (i = 0; i < r->sites.n; i++) {
		const struct site *s = r->sites.v[i];

		fputs(i ? ",\n    { \"file\": " : "\n    { \"file\": ", f);
		json_str(f, s->file);
		fprintf(f, ", \"line\": %u, \"column\": %u, \"function\": ", s->line, s->column);
		json_str(f, s->function);
		fputs(", \"api\": ", f);
		json_str(f, s->api);
		fputs(", \"class\": ", f);
		json_str(f, class_name(s->klass));
		fputs(", \"reason\": ", f);
		json_str(f, s->reason);
		fputs(", ", f);
		json_evidence(f, &s->evidence);
		fputs(" }", f);
	}
	fputs(r->sites.n ? "\n  ],\n  \"findings\": [" : "],\n  \"findings\": [", f);
	for (i = 0; i < r->findings.n; i++) {
		const struct finding *g = r->findings.v[i];

		fputs(i ? ",\n    { " : "\n    { ", f);
		json_finding_fields(f, g);
		fputs(", ", f);
		json_evidence(f, &g->evidence);
		fputs(" }", f);
	}
	fputs(r->findings.n ? "\n  ],\n  \"skipped\": [" : "],\n  \"skipped\": [", f);
	for (i = 0; i < r->skipped.n; i++) {
		const struct skip *k = r->skipped.v[i];

		fputs(i ? ",\n    { \"file\": " : "\n    { \"file\": ", f);
		json_str(f, k->file);
		fprintf(f, ", \"line\": %u, \"reason\": ", k->line);
		json_str(f, k->reason);
		fputs(" }", f);
	}
	fprintf(f, "%s  \"stats\": { \"files_considered\": %u, \"files_parsed\": %u, "
		"\"parse_errors\": %u, \"seconds\": %.1f } }\n",
		r->skipped.n ? "\n  ],\n" : "],\n", r->files_considered, r->files_parsed,
		r->parse_errors, r->seconds);
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

static void sarif_location(FILE *f, const char *file, unsigned line, unsigned col)
{
	fputs("{ \"physicalLocation\": { \"artifactLocation\": { \"uri\": ", f);
	json_str(f, file);
	fputs(", \"uriBaseId\": \"SRCROOT\" }", f);
	if (line) {
		fprintf(f, ", \"region\": { \"startLine\": %u", line);
		if (col)
			fprintf(f, ", \"startColumn\": %u", col);
		fputs(" }", f);
	}
	fputs(" } }", f);
}

static void write_sarif(FILE *f, const struct report *r, const struct rules *rs)
{
	size_t i;

	fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
	      "  \"version\": \"2.1.0\",\n  \"runs\": [ {\n"
	      "    \"tool\": { \"driver\": { \"name\": \"mapcheck\", \"version\": \""
	      MAPCHECK_VERSION "\",\n      \"rules\": [", f);
	for (i = 0; i < rs->rules.n; i++) {
		const struct rule *ru = rs->rules.v[i];

		fputs(i ? ",\n        { \"id\": " : "\n        { \"id\": ", f);
		json_str(f, ru->id);
		fputs(", \"shortDescription\": { \"text\": ", f);
		json_str(f, ru->title);
		fputs(" }, \"fullDescription\": { \"text\": ", f);
		json_str(f, ru->help);
		fputs(" }, \"help\": { \"text\": ", f);
		json_str(f, ru->fix);
		fprintf(f, " }, \"defaultConfiguration\": { \"level\": \"%s\" } }",
			sarif_level(ru->severity));
	}
	fputs(" ] } },\n    \"originalUriBaseIds\": { \"SRCROOT\": { \"uri\": ", f);
	{
		char *uri = xasprintf("file://%s/", r->tree ? r->tree : "");

		json_str(f, uri);
		free(uri);
	}
	fputs(" } },\n    \"results\": [", f);
	for (i = 0; i < r->findings.n; i++) {
		const struct finding *g = r->findings.v[i];
		int idx = rule_index(rs, g->rule);

		fputs(i ? ",\n      { \"ruleId\": " : "\n      { \"ruleId\": ", f);
		json_str(f, g->rule);
		if (idx >= 0)
			fprintf(f, ", \"ruleIndex\": %d", idx);
		fprintf(f, ", \"level\": \"%s\", \"message\": { \"text\": ",
			sarif_level(g->severity));
		json_str(f, g->message);
		fputs(" },\n        \"locations\": [ ", f);
		sarif_location(f, g->file, g->line, g->column);
		fputs(" ]", f);
		if (g->evidence.n) {
			fputs(",\n        \"relatedLocations\": [", f);
			for (size_t j = 0; j < g->evidence.n; j++) {
				const struct evidence *e = g->evidence.v[j];

				fprintf(f, "%s{ \"id\": %zu, \"message\": { \"text\": ",
					j ? ", " : " ", j);
				json_str(f, e->note);
				fputs(" }, \"physicalLocation\": { \"artifactLocation\": { \"uri\": ", f);
				json_str(f, e->file);
				fputs(", \"uriBaseId\": \"SRCROOT\" }", f);
				if (e->line)
					fprintf(f, ", \"region\": { \"startLine\": %u }", e->line);
				fputs(" } }", f);
			}
			fputs(" ]", f);
		}
		fputs(" }", f);
	}
	fputs(r->findings.n ? "\n    ]\n  } ]\n}\n" : "]\n  } ]\n}\n", f);
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
