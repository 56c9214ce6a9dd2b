/* SPDX-License-Identifier: GPL-2.0 */
/*
 * text.h: API names written in a file, found without parsing it (the
 * prefilter, and the accounting of calls the parser did not see).
 */
#ifndef MAPCHECK_TEXT_H
#define MAPCHECK_TEXT_H

#include "mapcheck.h"

struct mention {
	const char *api;
	unsigned line;
	bool in_directive;	/* on a preprocessor line (#define ...) */
};
void find_mentions(const char *text, size_t len, const struct rules *rules,
		   struct vec *out);
void find_mentions_file(const char *path, const struct rules *rules, struct vec *out);
bool macro_expanded(const char *text, size_t len, unsigned line);
bool text_mentions_api(const char *text, size_t len, const struct rules *rules);

#endif
