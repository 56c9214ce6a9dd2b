/* SPDX-License-Identifier: GPL-2.0 */
/*
 * astdump.h: a parsed file's tree (ast.h) and what parse_file() found
 * beside it, saved to a file and read back, so that one scan parses each
 * file once however many passes need it (main.c's summary rounds and the
 * second pass).  The files live in a private directory for one run only.
 */
#ifndef MAPCHECK_ASTDUMP_H
#define MAPCHECK_ASTDUMP_H

#include "parse.h"

/* A new private directory for one run's trees (under $TMPDIR); dies on error. */
char *ast_dir_new(void);
/* Remove @dir and the trees in it. */
void ast_dir_remove(const char *dir);
/* Write @pr to @path (through a temporary name and rename); false on error. */
bool ast_save(const struct parse_result *pr, const char *path);
/*
 * Read what ast_save() wrote into @pr, whose tu gets @tree and @rules;
 * false (and @pr empty) if @path is missing, truncated or inconsistent.
 */
bool ast_load(const char *path, const char *tree, const struct rules *rules,
	      struct parse_result *pr);

#endif
