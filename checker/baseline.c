// SPDX-License-Identifier: GPL-2.0
/* baseline.c: --baseline and --write-baseline (baseline.h). */
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "baseline.h"

bool baseline_load(struct baseline *b, const char *path, char **err)
{
	const char *why;
	size_t len;
	char *line, *end;

	memset(b, 0, sizeof(*b));
	b->text = read_file(path, &len, &why);
	if (!b->text) {
		*err = xasprintf("%s: %s", path, why);
		return false;
	}
	/* a last line without its newline is a line too */
	for (line = b->text, end = b->text + len; line < end; line++) {
		char *nl = memchr(line, '\n', (size_t)(end - line));

		if (nl)
			*nl = 0;
		else
			nl = end;
		/* whole lines only: a finding is never matched by the end of another's */
		if (*line && *line != '#')
			vec_push(&b->lines, line);
		line = nl;
	}
	vec_sort(&b->lines, 0, cmp_strp);
	return true;
}

bool baseline_has(const struct baseline *b, const struct finding *f)
{
	char *key = xasprintf("%s\t%s\t%s", f->rule, f->file, f->function);
	bool in = b->lines.n && bsearch(&key, b->lines.v, b->lines.n, sizeof(void *), cmp_strp);

	free(key);
	return in;
}

void baseline_free(struct baseline *b)
{
	vec_free(&b->lines, NULL);
	free(b->text);
	b->text = NULL;
}

bool baseline_write(const char *path, const struct report *r)
{
	struct atomic_file a;
	FILE *f = atomic_open(&a, path);

	if (!f)
		return false;
	fputs("# mapcheck baseline: rule<TAB>file<TAB>function\n", f);
	for (size_t i = 0; i < r->findings.n; i++) {
		const struct finding *g = r->findings.v[i];

		fprintf(f, "%s\t%s\t%s\n", g->rule, g->file, g->function);
	}
	return atomic_commit(&a);
}
