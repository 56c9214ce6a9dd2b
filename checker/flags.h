/* SPDX-License-Identifier: GPL-2.0 */
/* flags.h: compiler flags per file (tree mode, compile_commands.json, CHECK). */
#ifndef MAPCHECK_FLAGS_H
#define MAPCHECK_FLAGS_H

#include <stdio.h>

#include "mapcheck.h"

struct flags_ctx {
	const struct rules *rs;	/* its rules/gcc-options.tbl */
	char *tree, *build, *config;
	char *arch;		/* kbuild's SRCARCH (x86, um), or NULL */
	char *label;		/* what a report calls it: arch, or the build directory's name */
	struct vec base;	/* char *: flags common to every file */
};

bool flags_tree_init(struct flags_ctx *fc, const struct rules *rs, const char *tree,
		     const char *build, char **err);
void flags_for_file(struct flags_ctx *fc, const char *rel, struct vec *out, char **not_built);
bool flags_foreign(const struct flags_ctx *fc, const char *rel);
void flags_ctx_free(struct flags_ctx *fc);
void flags_filter(const struct rules *rs, const struct vec *words, size_t from, const char *dir,
		  struct vec *out, struct vec *files, bool file_macros);
void flags_explain(const struct rules *rs, const struct vec *words, FILE *f);

/* rules/gcc-options.tbl: a row, read by rules.c (rules_parse()) */
enum opt_kind { OPT_FLAG, OPT_NEXT, OPT_JOINED, OPT_PREFIX };
enum opt_action { OPT_KEEP, OPT_DROP, OPT_PATH, OPT_INCLUDE, OPT_MACRO, OPT_AS };
struct cc_option {
	char *name;
	enum opt_kind kind;
	enum opt_action action;
	char *as;		/* OPT_AS: the word given instead */
};
bool flags_option_row(struct rules *rs, char **col, size_t n, char **why);
void flags_option_free(void *p);
void shell_split(const char *s, struct vec *out);
char *read_file_or_empty(const char *dir, const char *name);

/* compdb.c */
struct compdb_entry {
	char *file;		/* absolute */
	struct vec flags;	/* filtered */
};
bool compdb_load(const struct rules *rs, const char *path, struct vec *entries, char **err);
void compdb_free(struct vec *entries);

#endif
