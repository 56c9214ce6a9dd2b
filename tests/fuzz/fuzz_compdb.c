// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_compdb: compile_commands.json (checker/compdb.c).  The input is the
 * file; compdb_load() is given its directory, as for "-p build/".  Every
 * entry read is checked to have a file name and a flag list, and a refusal
 * to come with a message.
 */
#include <stdlib.h>

#include "flags.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *path;
	struct vec entries = { 0 };
	char *err = NULL;

	if (!path)
		path = fuzz_path("compile_commands.json");
	fuzz_write(path, data, size);
	if (compdb_load(fuzz_rules(), fuzz_dir(), &entries, &err)) {
		for (size_t i = 0; i < entries.n; i++) {
			const struct compdb_entry *e = entries.v[i];

			if (!e->file || !*e->file)
				abort();
		}
	} else if (!err || !*err) {
		abort();	/* a refusal without a message */
	}
	free(err);
	compdb_free(&entries);
	return 0;
}
