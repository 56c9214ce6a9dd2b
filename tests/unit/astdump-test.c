// SPDX-License-Identifier: GPL-2.0
/*
 * astdump-test: the saved trees of checker/astdump.c read back exactly, and
 * a damaged one is refused rather than trusted.
 *
 *   astdump-test RULES_DIR TMPDIR TREE BUILD FILE
 *
 * Parses FILE (relative to the kernel source TREE, configured in BUILD)
 * with the flags mapcheck would give it, then checks:
 *  - save, load, save again: the two files are byte for byte the same
 *    (every field, and every pointer between nodes, declarations and
 *    functions, survives the round trip);
 *  - the loaded tree prints the same normalised text for every function
 *    body and file-scope variable as the parsed one (node_text());
 *  - the file cut short anywhere (every length up to 512 bytes, then 500
 *    lengths spread over the rest) is refused;
 *  - a file with one byte changed, at each of 300 places, is
 *    either refused or read into a tree (never a crash, never a read out
 *    of bounds: run it under valgrind).
 * Prints "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "astdump.h"
#include "flags.h"
#include "libclang.h"

static unsigned pass, fail;

static void result(bool ok, const char *what)
{
	printf("%s: %s\n", ok ? "PASS" : "FAIL", what);
	if (ok)
		pass++;
	else
		fail++;
}

static bool write_bytes(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");
	bool ok = f && fwrite(data, 1, len, f) == len;

	return f && !fclose(f) && ok;
}

/* The normalised text of every body and global, one per line. */
static char *texts(const struct tu *tu)
{
	char *all = xstrdup("");

	for (size_t i = 0; i < tu->funcs.n; i++) {
		const struct func *fn = tu->funcs.v[i];
		char *t = fn->body ? node_text(fn->body) : xstrdup("-");
		char *n = xasprintf("%s%s %u %zu %zu %s\n", all, fn->name, fn->line,
				    fn->params.n, fn->callers.n, t);

		free(t);
		free(all);
		all = n;
	}
	for (size_t i = 0; i < tu->globals.n; i++) {
		char *t = node_text(tu->globals.v[i]);
		char *n = xasprintf("%s%s\n", all, t);

		free(t);
		free(all);
		all = n;
	}
	return all;
}

int main(int argc, char **argv)
{
	struct rules rules = { 0 };
	struct flags_ctx fc = { 0 };
	struct vec flags = { 0 };
	char *not_built = NULL, *file;
	struct parse_result pr, back;
	char *err = NULL, *a, *b, *bad, *da, *db, *ta, *tb;
	size_t la, lb;
	const char *why;
	unsigned tried = 0, refused = 0, flipped = 0;

	if (argc != 6) {
		fputs("usage: astdump-test RULES_DIR TMPDIR TREE BUILD FILE\n", stderr);
		return 2;
	}
	if (!libclang_load(&err) || !rules_load(&rules, argv[1], &err) ||
	    !flags_tree_init(&fc, &rules, argv[3], argv[4], &err)) {
		fprintf(stderr, "astdump-test: %s\n", err);
		return 2;
	}
	flags_for_file(&fc, argv[5], &flags, &not_built);
	file = path_join(argv[3], argv[5]);
	a = xasprintf("%s/a.ast", argv[2]);
	b = xasprintf("%s/b.ast", argv[2]);
	bad = xasprintf("%s/bad.ast", argv[2]);
	if (!parse_file(argv[3], file, (const char *const *)flags.v, (int)flags.n, NULL, &rules,
			&pr)) {
		fprintf(stderr, "astdump-test: %s: %s\n", file, pr.why);
		return 2;
	}
	result(!pr.tu->errors, "the file parses without errors");
	result(pr.tu->funcs.n > 0, "the file has function bodies to save");
	result(ast_save(&pr, a), "saved");
	/* no file at all (a tree not saved yet): refused, nothing computed from it */
	remove(bad);
	result(!ast_load(bad, argv[3], &rules, &back) && !back.tu, "a tree never saved is refused");
	result(ast_load(a, argv[3], &rules, &back), "read back");
	result(back.tu && ast_save(&back, b), "saved again");
	da = read_file(a, &la, &why);
	db = read_file(b, &lb, &why);
	result(da && db && la == lb && !memcmp(da, db, la), "the second save is the first, byte for byte");
	ta = texts(pr.tu);
	tb = back.tu ? texts(back.tu) : xstrdup("");
	result(!strcmp(ta, tb), "every body and global reads back as it was parsed");
	parse_result_free(&back);

	for (size_t len = 0; da && len < la; len += len < 512 ? 1 : la / 500 + 1) {
		if (!write_bytes(bad, da, len))
			break;
		tried++;
		if (!ast_load(bad, argv[3], &rules, &back))
			refused++;
		else
			parse_result_free(&back);
	}
	result(tried > 512 && refused == tried, "every truncated file is refused");

	for (size_t at = 0; da && at < la; at += la / 300 + 1) {
		da[at] ^= 0x5a;
		if (write_bytes(bad, da, la) && ast_load(bad, argv[3], &rules, &back))
			parse_result_free(&back);
		da[at] ^= 0x5a;
		flipped++;
	}
	result(flipped > 0, "files with a byte changed are read or refused, without a crash");

	parse_result_free(&pr);
	rules_free(&rules);
	flags_ctx_free(&fc);
	vec_free(&flags, free);
	free(not_built);
	free(file);
	remove(a);
	remove(b);
	remove(bad);
	free(a);
	free(b);
	free(bad);
	free(da);
	free(db);
	free(ta);
	free(tb);
	printf("%u passed, %u failed\n", pass, fail);
	return fail ? 1 : 0;
}
