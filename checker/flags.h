/* SPDX-License-Identifier: GPL-2.0 */
/* flags.h: compiler flags per file (tree mode, compile_commands.json, CHECK). */
#ifndef MAPCHECK_FLAGS_H
#define MAPCHECK_FLAGS_H

#include "mapcheck.h"

struct flags_ctx {
	char *tree, *build, *config;
	char *arch;		/* kbuild's SRCARCH (x86, um), or NULL */
	struct vec base;	/* char *: flags common to every file */
};

bool flags_tree_init(struct flags_ctx *fc, const char *tree, const char *build, char **err);
void flags_for_file(struct flags_ctx *fc, const char *rel, struct vec *out, char **not_built);
bool flags_foreign(const struct flags_ctx *fc, const char *rel);
void flags_ctx_free(struct flags_ctx *fc);
void flags_filter(struct vec *words, size_t from, const char *dir, struct vec *out);
void shell_split(const char *s, struct vec *out);
char *read_file_or_empty(const char *dir, const char *name);

/* compdb.c */
struct compdb_entry {
	char *file;		/* absolute */
	struct vec flags;	/* filtered */
};
bool compdb_load(const char *path, struct vec *entries, char **err);
void compdb_free(struct vec *entries);

#endif
