// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_cache: a result-cache entry (checker/cache.c cache_get(), and the
 * record reader it hands the entry's record to).  The input is the entry,
 * written where cache_get() looks for the key it names.
 *
 * An entry whose last line is not "sum ..." gets the right checksum line
 * appended, so that mutations get past the checksum to the dependency
 * lines and the record; one that ends in a sum line is taken as it is
 * (the checksum test itself).  The key is the entry's "key" line when that
 * is 64 hex digits, else a fixed one: a key is a file name under the cache,
 * and only hex keeps the input from naming a file outside it.
 *
 * The cache is opened once in a private directory (MAPCHECK_CACHE), with
 * libclang's version function stubbed: no libclang is loaded.  It memoises
 * the hash of every path an entry names, so it is opened anew now and then
 * to keep the memory of a long run flat.
 */
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "fuzz.h"
#include "libclang.h"
#include "sha256.h"

static CXString version(void)
{
	return (CXString){ "fuzz clang version 0", 0 };
}

static const char *cstring(CXString s)
{
	return s.data;
}

static void dispose(CXString s)
{
	(void)s;
}

static struct cache *cache;
static unsigned uses;

static void close_cache(void)
{
	cache_close(cache);
	cache = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *dir = fuzz_path("cache");

	(void)argc;
	(void)argv;
	setenv("MAPCHECK_CACHE", dir, 1);
	free(dir);
	p_clang_getClangVersion = version;
	p_clang_getCString = cstring;
	p_clang_disposeString = dispose;
	atexit(close_cache);
	return 0;
}

static bool is_hex_key(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

/* The key the entry names, when it is a safe one. */
static void entry_key(const char *text, char key[65])
{
	const char *k = strstr(text, "\nkey ");

	strcpy(key, "0000000000000000000000000000000000000000000000000000000000000000");
	if (k && is_hex_key(k + 5, strcspn(k + 5, "\n"))) {
		memcpy(key, k + 5, 64);
		key[64] = 0;
	}
}

/* Does @text (@len bytes) end in a line "sum ..."? */
static bool sealed(const char *text, size_t len)
{
	const char *last;

	if (!len || text[len - 1] != '\n')
		return false;
	for (last = text + len - 1; last > text && last[-1] != '\n'; last--)
		;
	return !strncmp(last, "sum ", 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), key[65], *path, *top, *entry;
	struct report r = { 0 };
	size_t len = size;

	if (!cache || ++uses % 4096 == 0) {
		close_cache();
		cache = cache_open(fuzz_rules_dir());
		if (!cache)
			abort();
	}
	entry_key(text, key);
	if (!sealed(text, size)) {
		struct sha256 s;
		char hex[65];

		sha256_init(&s);
		sha256_add(&s, data, size);
		sha256_hex(&s, hex);
		entry = xmalloc(size + 70);
		memcpy(entry, data, size);
		len += (size_t)sprintf(entry + size, "sum %s\n", hex);
		free(text);
		text = entry;
	}
	/* the place of an entry: cache.c entry_path() */
	top = getenv("MAPCHECK_CACHE");
	path = xasprintf("%s/results/%.2s/%s", top, key, key + 2);
	fuzz_write(path, text, len);
	if (cache_get(cache, key, &r)) {
		for (size_t i = 0; i < r.sites.n; i++)
			if (!((struct site *)r.sites.v[i])->file)
				abort();
	}
	report_free(&r);
	remove(path);
	free(path);
	free(text);
	return 0;
}
