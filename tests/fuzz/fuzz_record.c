// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_record: a worker's record (checker/record.c record_read()), read
 * from memory as the parent reads a worker's pipe and cache.c reads the
 * record of an entry.  What one read accepts, written again, must read
 * back and write the same bytes: the escapes and fields survive.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* @r written as a record (to free), its length in *@len. */
static char *write_record(const struct report *r, size_t *len)
{
	char *buf = NULL;
	FILE *m = open_memstream(&buf, len);

	if (!m)
		abort();
	record_write(m, r);
	if (fclose(m))
		abort();
	return buf;
}

static bool read_record(const void *data, size_t size, struct report *r)
{
	FILE *f;
	bool ok;

	/* fmemopen() of no bytes fails: an empty record is a dead worker's */
	if (!size)
		return false;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		abort();
	ok = record_read(f, r);
	fclose(f);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report r = { 0 }, back = { 0 };
	char *one, *two;
	size_t n1, n2;

	if (!read_record(data, size, &r)) {
		report_free(&r);
		return 0;
	}
	one = write_record(&r, &n1);
	if (!read_record(one, n1, &back))
		abort();	/* it wrote what it cannot read */
	two = write_record(&back, &n2);
	if (n1 != n2 || memcmp(one, two, n1))
		abort();	/* a record does not read back as it was written */
	report_sort_unique(&back);
	free(one);
	free(two);
	report_free(&r);
	report_free(&back);
	return 0;
}
