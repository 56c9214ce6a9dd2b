// SPDX-License-Identifier: GPL-2.0
/*
 * maintainers-test: checker/maintainers.c on a fixture: a tree holding a
 * MAINTAINERS, and a report made of the sites and findings listed in two
 * files ("file api class", "file line rule severity"), written as
 * --format maintainers (text) or maintainers-json would.
 *
 *   maintainers-test RULES TREE SITES FINDINGS text|json
 */
#include <stdlib.h>
#include <string.h>

#include "maintainers.h"

static char *next_line(char **p)
{
	char *l = *p, *nl;

	if (!l || !*l)
		return NULL;
	nl = strchr(l, '\n');
	if (nl)
		*nl++ = 0;
	*p = nl;
	return l;
}

int main(int argc, char **argv)
{
	struct report r = { 0 };
	struct rules rs;
	char *err = NULL, *text, *p, *l;
	const char *why;
	unsigned n = 0;

	if (argc != 6) {
		fputs("usage: maintainers-test RULES TREE SITES FINDINGS text|json\n", stderr);
		return 2;
	}
	if (!rules_load(&rs, argv[1], &err))
		die("%s", err);
	r.tree = xstrdup(argv[2]);
	r.kernel = xstrdup("fixture");
	if (!(text = read_file(argv[3], NULL, &why)))
		die("%s: %s", argv[3], why);
	for (p = text; (l = next_line(&p)); ) {
		char file[256], api[64], klass[64];
		struct site *s;

		if (l[0] == '#' || sscanf(l, "%255s %63s %63s", file, api, klass) != 3)
			continue;
		s = xcalloc(1, sizeof(*s));
		s->file = xstrdup(file);
		s->line = ++n;
		s->column = 1;
		s->function = xstrdup("f");
		s->api = xstrdup(api);
		if (!class_from_name(klass, &s->klass))
			die("%s: no such class '%s'", argv[3], klass);
		s->reason = xstrdup("");
		vec_push(&r.sites, s);
	}
	free(text);
	if (!(text = read_file(argv[4], NULL, &why)))
		die("%s: %s", argv[4], why);
	for (p = text; (l = next_line(&p)); ) {
		char file[256], rule[64], sev[16];
		unsigned line;
		struct finding *g;

		if (l[0] == '#' || sscanf(l, "%255s %u %63s %15s", file, &line, rule, sev) != 4)
			continue;
		g = xcalloc(1, sizeof(*g));
		g->rule = xstrdup(rule);
		g->severity = !strcmp(sev, "error") ? SEV_ERROR : !strcmp(sev, "warning") ?
			      SEV_WARNING : SEV_NOTE;
		g->file = xstrdup(file);
		g->line = line;
		g->column = 1;
		g->function = xstrdup("f");
		g->message = xstrdup("a finding");
		vec_push(&r.findings, g);
	}
	free(text);
	if (!maintainers_check(r.tree, &err))
		die("%s", err);
	maintainers_write(stdout, &r, &rs, !strcmp(argv[5], "json"));
	report_free(&r);
	rules_free(&rs);
	return 0;
}
