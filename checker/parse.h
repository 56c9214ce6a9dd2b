/* SPDX-License-Identifier: GPL-2.0 */
/* parse.h: one file through libclang into the tree of ast.h. */
#ifndef MAPCHECK_PARSE_H
#define MAPCHECK_PARSE_H

#include "ast.h"

struct parse_result {
	struct tu *tu;
	char *why;			/* set when parsing failed */
	unsigned nskip;			/* lines the preprocessor skipped */
	unsigned *skip_first, *skip_last;
	struct vec includes;		/* char *: absolute path of every file read */
};

/* a precompiled prelude of common headers (pch.c) */
struct pch {
	char *path;		/* the .pch file */
	struct vec includes;	/* char *: every file the prelude read */
	struct vec helpers;	/* struct func *: rules/helpers.tbl functions it defines */
	unsigned seq;		/* built n-th by its set (pch_builds()) */
};

/* Parse with the precompiled prelude @pch when not NULL. */
bool parse_file(const char *tree, const char *file, const char *const *argv, int argc,
		const struct pch *pch, const struct rules *rules, struct parse_result *pr);
/*
 * Precompile the header @hdr with @argv into @out; write to @deps the files
 * it read, one per line, and to @helpers the rules/helpers.tbl functions it
 * defines, one per line (pch_helper_read()).  False on any error.
 */
bool parse_precompile(const char *hdr, const char *const *argv, int argc,
		      const struct rules *rules, const char *out, FILE *deps, FILE *helpers);
/* A line @parse_precompile wrote to @helpers, as a function; NULL if malformed. */
struct func *pch_helper_read(const char *line);
void pch_helper_free(void *fn);
void parse_result_free(struct parse_result *pr);
/* The libclang version string ("Debian clang version 14.0.6"), to free. */
char *parse_engine_version(void);

#endif
