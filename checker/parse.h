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

bool parse_file(const char *tree, const char *file, const char *const *argv, int argc,
		const struct rules *rules, struct parse_result *pr);
void parse_result_free(struct parse_result *pr);
/* The libclang version string ("Debian clang version 14.0.6"), to free. */
char *parse_engine_version(void);

#endif
