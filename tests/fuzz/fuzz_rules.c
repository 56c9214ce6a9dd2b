// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_rules: the files of rules/ (checker/rules.c, rules_parse()).  The
 * first input byte picks the file, modulo the number of kinds: 0 apis.tbl,
 * 1 callees.tbl, 2 helpers.tbl, 3 dax-paths.tbl, 4 err-ptr.tbl,
 * 5 buffer-fields.tbl, 6 a rule (kmap-global.md); the rest is its text.
 *
 * One target for all seven rather than one each: the row readers share
 * the column splitter and the error path, so most of what is learnt on one
 * table (comments, blank lines, the column limit) carries over; and the
 * smoke run of make check gives the seven one time budget, with libFuzzer
 * keeping inputs for each table as their coverage differs.
 */
#include <stdlib.h>
#include <string.h>

#include "flags.h"
#include "fuzz.h"

static const char *const files[] = {
	"rules/apis.tbl", "rules/callees.tbl", "rules/helpers.tbl", "rules/dax-paths.tbl",
	"rules/err-ptr.tbl", "rules/buffer-fields.tbl", "rules/kmap-global.md",
	"rules/gcc-options.tbl",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules rs;
	char *text, *err = NULL;

	if (!size)
		return 0;
	memset(&rs, 0, sizeof(rs));
	text = fuzz_str(data + 1, size - 1);
	if (rules_parse(&rs, files[data[0] % (sizeof(files) / sizeof(files[0]))], text, &err)) {
		/* what was read can be looked up as the checks do */
		for (size_t i = 0; i < rs.apis.n; i++) {
			const struct api *a = rs.apis.v[i];

			if (!a->name || !a->shown || !rules_api(&rs, a->name))
				abort();
		}
		for (size_t i = 0; i < rs.callees.n; i++) {
			const struct callee *c = rs.callees.v[i];

			if (!rules_callee(&rs, c->name, c->arg < 0 ? 0 : c->arg))
				abort();
			(void)rules_is_page_address(&rs, c->name);
		}
		for (size_t i = 0; i < rs.err_ptr.n; i++) {
			const struct err_ptr *e = rs.err_ptr.v[i];

			if (!rules_err_ptr(&rs, e->name) || !rules_err_named(&rs, e->role))
				abort();
		}
		for (size_t i = 0; i < rs.buffer_fields.n; i++) {
			const struct buffer_fields *b = rs.buffer_fields.v[i];

			if (!rules_buffer_fields(&rs, b->name, b->arg))
				abort();
		}
		for (size_t i = 0; i < rs.cc_options.n; i++) {
			const struct cc_option *o = rs.cc_options.v[i];

			/* an option row: a named option, a replacement for a translation */
			if (!o->name || o->name[0] != '-' || (o->action == OPT_AS) != (o->as != NULL))
				abort();
		}
		for (size_t i = 0; i < rs.rules.n; i++) {
			const struct rule *r = rs.rules.v[i];

			/* the rule a check asks for is the one its file is named for */
			if (!rules_rule(&rs, r->id) || !r->help || !r->fix ||
			    strlen(r->id) != strlen("kmap-global") || strcmp(r->id, "kmap-global"))
				abort();
			(void)severity_name(r->severity);
		}
	} else if (!err || !*err || strchr(err, '\n')) {
		abort();	/* a refusal says why, on one line */
	}
	free(err);
	free(text);
	rules_free(&rs);
	return 0;
}
