// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_baseline: a --baseline file (checker/baseline.c).  The input is the
 * file.  Every line of it that has the form of a finding must match that
 * finding, and the findings so made, written with baseline_write() and
 * read back, must all match again; a finding none of its lines names
 * must not.
 */
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "fuzz.h"

/* The finding "<rule>\t<file>\t<function>" of @line, or NULL. */
static struct finding *finding_of(const char *line)
{
	const char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
	struct finding *f;

	if (!t2 || strchr(t2 + 1, '\t'))
		return NULL;
	f = xcalloc(1, sizeof(*f));
	f->rule = xasprintf("%.*s", (int)(t1 - line), line);
	f->file = xasprintf("%.*s", (int)(t2 - t1 - 1), t1 + 1);
	f->function = xstrdup(t2 + 1);
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *in, *out;
	struct baseline b, back;
	struct report r = { 0 };
	struct finding none = { .rule = "no\nrule", .file = "", .function = "" };
	char *err = NULL;

	if (!in) {
		in = fuzz_path("baseline");
		out = fuzz_path("written");
	}
	fuzz_write(in, data, size);
	if (!baseline_load(&b, in, &err))
		abort();	/* any file reads: there is nothing to refuse */
	for (size_t i = 0; i < b.lines.n; i++) {
		struct finding *f = finding_of(b.lines.v[i]);

		if (f && !baseline_has(&b, f))
			abort();
		if (f)
			vec_push(&r.findings, f);
	}
	/* a newline cannot be in a line: this one is never listed */
	if (baseline_has(&b, &none))
		abort();
	if (!baseline_write(out, &r) || !baseline_load(&back, out, &err))
		abort();
	for (size_t i = 0; i < r.findings.n; i++)
		if (!baseline_has(&back, r.findings.v[i]))
			abort();
	baseline_free(&back);
	baseline_free(&b);
	report_free(&r);
	return 0;
}
