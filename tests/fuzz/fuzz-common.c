// SPDX-License-Identifier: GPL-2.0
/* fuzz-common.c: the private directory and files of a fuzz target (fuzz.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static char *dir;

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

static void remove_dir(void)
{
	/* depth first, not following links: a target may write any name */
	if (dir)
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
	dir = NULL;
}

const char *fuzz_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (dir)
		return dir;
	dir = xasprintf("%s/mapcheck-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "fuzz: cannot create %s: %s\n", dir, strerror(errno));
		abort();
	}
	atexit(remove_dir);
	return dir;
}

char *fuzz_path(const char *name)
{
	return path_join(fuzz_dir(), name);
}

static void make_parents(const char *path)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0777);
			*s = '/';
		}
	}
	free(p);
}

void fuzz_write(const char *path, const void *data, size_t len)
{
	FILE *f;

	make_parents(path);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "fuzz: cannot write %s: %s\n", path, strerror(errno));
		abort();
	}
}

char *fuzz_str(const uint8_t *data, size_t len)
{
	char *s = xmalloc(len + 1);

	if (len)
		memcpy(s, data, len);
	s[len] = 0;
	return s;
}

const char *fuzz_rules_dir(void)
{
	static char *rules;
	char exe[PATH_MAX];
	ssize_t n;

	if (rules)
		return rules;
	/* the targets are checker/fuzz-build/fuzz_<name>: rules/ is two up */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		fprintf(stderr, "fuzz: cannot find the binary: %s\n", strerror(errno));
		abort();
	}
	exe[n] = 0;
	*strrchr(exe, '/') = 0;
	rules = xasprintf("%s/../../rules", exe);
	if (!path_is_dir(rules)) {
		fprintf(stderr, "fuzz: %s: no rules directory\n", rules);
		abort();
	}
	return rules;
}

const struct rules *fuzz_rules(void)
{
	static struct rules rs;
	static bool loaded;
	char *err = NULL;

	if (!loaded && !rules_load(&rs, fuzz_rules_dir(), &err)) {
		fprintf(stderr, "fuzz: %s\n", err);
		abort();
	}
	loaded = true;
	return &rs;
}
