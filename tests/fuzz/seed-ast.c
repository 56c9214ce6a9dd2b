// SPDX-License-Identifier: GPL-2.0
/*
 * seed-ast: a saved tree for the seed corpus of fuzz_astdump, made the way
 * a scan makes one (parse_file(), ast_save()); tests/fuzz/make-seeds.sh.
 *
 *   seed-ast [-rOLD=NEW]... RULES_DIR OUT FILE  FILE parsed without flags
 *   seed-ast [-rOLD=NEW]... RULES_DIR OUT TREE BUILD REL
 *                                  REL of the kernel TREE, with the flags
 *                                  mapcheck gives it
 *
 * -rOLD=NEW writes the paths that start with OLD (the file names and the
 * headers read) as starting with NEW: the machine's directories are not
 * kept in the committed seeds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "astdump.h"
#include "flags.h"
#include "libclang.h"

/* Rewrite the strings of @v that start with one of @from's OLD=NEW. */
static void rename_paths(struct vec *v, char **from, int n)
{
	for (size_t i = 0; i < v->n; i++) {
		for (int k = 0; k < n; k++) {
			const char *eq = strchr(from[k], '=');
			size_t len = eq ? (size_t)(eq - from[k]) : 0;
			char *s = v->v[i];

			if (len && !strncmp(s, from[k], len)) {
				v->v[i] = xasprintf("%s%s", eq + 1, s + len);
				free(s);
				break;
			}
		}
	}
}

int main(int argc, char **argv)
{
	struct rules rules;
	struct flags_ctx fc = { 0 };
	struct vec flags = { 0 };
	struct parse_result pr;
	char *err = NULL, *not_built = NULL, *file;
	const char *tree = "/";
	char **renames = argv + 1;
	int nrenames = 0;
	bool ok;

	while (nrenames + 1 < argc && !strncmp(argv[nrenames + 1], "-r", 2))
		argv[++nrenames] += 2;
	argc -= nrenames;
	argv += nrenames;
	if (argc != 4 && argc != 6) {
		fputs("usage: seed-ast RULES_DIR OUT FILE | RULES_DIR OUT TREE BUILD REL\n", stderr);
		return 2;
	}
	if (!libclang_load(&err) || !rules_load(&rules, argv[1], &err) ||
	    (argc == 6 && !flags_tree_init(&fc, &rules, argv[3], argv[4], &err))) {
		fprintf(stderr, "seed-ast: %s\n", err);
		return 2;
	}
	if (argc == 6) {
		tree = argv[3];
		flags_for_file(&fc, argv[5], &flags, &not_built);
		file = path_join(argv[3], argv[5]);
	} else {
		file = xstrdup(argv[3]);
	}
	if (!parse_file(tree, file, (const char *const *)flags.v, (int)flags.n, NULL, &rules,
			&pr)) {
		fprintf(stderr, "seed-ast: %s: %s\n", file, pr.why);
		return 2;
	}
	rename_paths(&pr.tu->files, renames, nrenames);
	rename_paths(&pr.includes, renames, nrenames);
	ok = ast_save(&pr, argv[2]);
	if (!ok)
		fprintf(stderr, "seed-ast: %s: cannot write\n", argv[2]);
	parse_result_free(&pr);
	rules_free(&rules);
	flags_ctx_free(&fc);
	vec_free(&flags, free);
	free(not_built);
	free(file);
	return ok ? 0 : 1;
}
