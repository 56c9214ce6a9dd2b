// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_astdump: a saved tree (checker/astdump.c ast_load()).  The input is
 * the file.  A tree the reader accepts must be one the checks can use and
 * the writer can save: every body and file-scope variable is printed with
 * node_text() (as tests/unit/astdump-test.c does), and the tree is saved,
 * read back and saved again, the two saves byte for byte the same.
 */
#include <stdlib.h>
#include <string.h>

#include "astdump.h"
#include "fuzz.h"

static void print_all(const struct tu *tu)
{
	for (size_t i = 0; i < tu->funcs.n; i++) {
		const struct func *fn = tu->funcs.v[i];

		if (fn->body)
			free(node_text(fn->body));
		(void)tu_file(tu, fn->file);
	}
	for (size_t i = 0; i < tu->globals.n; i++)
		free(node_text(tu->globals.v[i]));
}

static char *slurp(const char *path, size_t *len)
{
	const char *why;
	char *s = read_file(path, len, &why);

	if (!s)
		abort();
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *in, *again, *third;
	static struct rules rules;	/* the tree only keeps the pointer */
	struct parse_result pr, back;
	char *a, *b;
	size_t la, lb;

	if (!in) {
		in = fuzz_path("in.ast");
		again = fuzz_path("again.ast");
		third = fuzz_path("third.ast");
	}
	fuzz_write(in, data, size);
	if (!ast_load(in, "/tree", &rules, &pr)) {
		if (pr.tu)
			abort();	/* refused, but not emptied */
		return 0;
	}
	print_all(pr.tu);
	if (!ast_save(&pr, again))
		abort();
	parse_result_free(&pr);
	if (!ast_load(again, "/tree", &rules, &back))
		abort();	/* it wrote what it cannot read */
	if (!ast_save(&back, third))
		abort();
	parse_result_free(&back);
	a = slurp(again, &la);
	b = slurp(third, &lb);
	if (la != lb || memcmp(a, b, la))
		abort();	/* a saved tree does not read back as it was */
	free(a);
	free(b);
	return 0;
}
