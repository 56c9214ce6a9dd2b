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
};

bool parse_file(const char *tree, const char *file, const char *const *argv, int argc,
		const struct rules *rules, struct parse_result *pr);
void parse_result_free(struct parse_result *pr);

#endif
