// SPDX-License-Identifier: GPL-2.0
/*
 * tree.c: find the kernel source root, its version, and a configured,
 * prepared build directory (O=) to take flags and generated headers from.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tree.h"

/* The files every kernel source tree has at its root. */
static const char *const markers[] = {
	"Kbuild", "Kconfig", "Makefile", "include/linux/kernel.h", "scripts/Makefile.build",
	NULL
};

bool is_kernel_tree(const char *dir)
{
	for (int i = 0; markers[i]; i++) {
		char *p = path_join(dir, markers[i]);
		bool ok = path_is_file(p);

		free(p);
		if (!ok)
			return false;
	}
	return true;
}

/* Walk up from @path to the kernel tree containing it. */
char *tree_find_root(const char *path)
{
	char buf[PATH_MAX], *p;

	if (!realpath(path, buf))
		return NULL;
	if (!path_is_dir(buf)) {
		p = strrchr(buf, '/');
		if (p && p != buf)
			*p = 0;
	}
	for (;;) {
		if (is_kernel_tree(buf))
			return xstrdup(buf);
		p = strrchr(buf, '/');
		if (!p || p == buf)
			return NULL;
		*p = 0;
	}
}

char *tree_version(const char *tree)
{
	char *mk = read_file_or_empty(tree, "Makefile"), *out;
	const char *keys[] = { "\nVERSION = ", "\nPATCHLEVEL = ", "\nSUBLEVEL = " };
	long v[3] = { 0, 0, 0 };

	for (int i = 0; i < 3; i++) {
		const char *p = strstr(mk, keys[i]);

		if (p)
			v[i] = strtol(p + strlen(keys[i]), NULL, 10);
	}
	free(mk);
	out = xasprintf("%ld.%ld.%ld", v[0], v[1], v[2]);
	return out;
}

static bool is_prepared(const char *build)
{
	const char *need[] = { ".config", "include/generated/autoconf.h",
			       "include/generated/asm-offsets.h" };

	for (int i = 0; i < 3; i++) {
		char *p = path_join(build, need[i]);
		bool ok = path_is_file(p);

		free(p);
		if (!ok)
			return false;
	}
	return true;
}

char *cache_dir(void)
{
	const char *c = getenv("MAPCHECK_CACHE"), *x = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (c && *c)
		return xstrdup(c);
	if (x && *x)
		return xasprintf("%s/mapcheck", x);
	return xasprintf("%s/.cache/mapcheck", home && *home ? home : "/tmp");
}

/* Run kbuild to configure and prepare @build for @tree; output to @log. */
static bool kbuild_prepare(const char *tree, const char *build, const char *log)
{
	char *cmd = xasprintf("mkdir -p '%s' && { make -s -C '%s' O='%s' ARCH=x86_64 CC=clang "
			      "allmodconfig && make -s -C '%s' O='%s' ARCH=x86_64 CC=clang "
			      "-j%ld prepare; } >'%s' 2>&1", build, tree, build, tree, build,
			      sysconf(_SC_NPROCESSORS_ONLN), log);
	int rc = system(cmd);

	free(cmd);
	return rc == 0;
}

/*
 * The build directory to use: --build if given (must be prepared), the
 * tree itself if configured in place, else one prepared in the cache.
 */
char *tree_build_dir(const char *tree, const char *given, char **err)
{
	char *cache, *name, *build, *log;

	if (given) {
		if (!path_is_dir(given)) {
			*err = xasprintf("%s: build directory does not exist", given);
			return NULL;
		}
		if (!is_prepared(given)) {
			*err = xasprintf("%s: not a configured and prepared build directory "
					 "(run 'make O=%s allmodconfig prepare')", given, given);
			return NULL;
		}
		return realpath(given, NULL);
	}
	if (is_prepared(tree))
		return xstrdup(tree);
	cache = cache_dir();
	name = xstrdup(tree);
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	build = xasprintf("%s/build%s", cache, name);
	log = xasprintf("%s.log", build);
	free(name);
	free(cache);
	if (!is_prepared(build)) {
		if (isatty(2))
			fprintf(stderr, "mapcheck: preparing %s with kbuild (allmodconfig, prepare)\n",
				build);
		if (!kbuild_prepare(tree, build, log) || !is_prepared(build)) {
			*err = xasprintf("%s: unconfigured tree and 'make allmodconfig prepare' "
					 "failed (see %s); pass --build DIR", tree, log);
			free(build);
			free(log);
			return NULL;
		}
	}
	free(log);
	return build;
}
