// SPDX-License-Identifier: GPL-2.0
/*
 * tree.c: find the kernel source root, its version, and a configured,
 * prepared build directory (O=) to take flags and generated headers from.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
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

/* The first line of @build/@name, or NULL. */
static char *first_line(const char *build, const char *name)
{
	char *p = path_join(build, name), *text;
	const char *why;

	text = read_file(p, NULL, &why);
	free(p);
	if (text)
		text[strcspn(text, "\n")] = 0;
	return text;
}

/* The kernel release a prepared build directory was made for, or NULL. */
static char *build_release(const char *build)
{
	char *r = first_line(build, "include/config/kernel.release"), *q;

	if (r && *r)
		return r;
	free(r);
	/* #define UTS_RELEASE "6.1.192" */
	r = read_file_or_empty(build, "include/generated/utsrelease.h");
	q = strstr(r, "UTS_RELEASE \"");
	if (q) {
		char *v = q + 13;

		v[strcspn(v, "\"")] = 0;
		q = xstrdup(v);
	}
	free(r);
	return q;
}

/* The modification time of @build/@name in nanoseconds, or -1. */
static long long mtime_ns(const char *build, const char *name)
{
	char *p = path_join(build, name);
	struct stat st;
	long long t = -1;

	if (!stat(p, &st))
		t = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	free(p);
	return t;
}

/*
 * Why the prepared @build does not go with @tree, or NULL.  A .config newer
 * than include/config/auto.conf is kbuild's own signal that the
 * configuration changed since it was last synced (the top Makefile then
 * runs syncconfig before anything else): its generated headers are those of
 * the old configuration.  And the kernel release it was prepared for
 * (include/config/kernel.release) must be the tree's version: a build
 * directory of another tree has another version's generated headers.
 */
static char *build_problem(const char *tree, const char *build)
{
	long long config = mtime_ns(build, ".config"), synced = mtime_ns(build,
									 "include/config/auto.conf");
	char *release, *version, *why = NULL;
	size_t n;

	if (synced < 0 || config > synced)
		return strcmp(tree, build) ?
		       xasprintf("%s: .config changed since the build directory was prepared "
				 "(include/config/auto.conf is older): run 'make -C %s O=%s "
				 "olddefconfig prepare'", build, tree, build) :
		       xasprintf("%s: .config changed since the tree was prepared "
				 "(include/config/auto.conf is older): run 'make -C %s "
				 "olddefconfig prepare'", build, tree);
	release = build_release(build);
	version = tree_version(tree);
	n = strlen(version);
	/* "6.1.192", "6.1.192-rc1+": the version, then no more digits */
	if (release && (strncmp(release, version, n) || (release[n] >= '0' && release[n] <= '9')))
		why = xasprintf("%s: a build directory of Linux %s, but the tree %s is %s: "
				"give a build directory prepared from this tree", build, release,
				tree, version);
	free(release);
	free(version);
	return why;
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

/* Make the directories above @path (the cache's). */
static void mkdir_cache(const char *path)
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
	char *cache, *name, *build, *log, *lock, *why = NULL;
	int fd;

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
		build = realpath(given, NULL);
		if ((*err = build_problem(tree, build))) {
			free(build);
			return NULL;
		}
		return build;
	}
	if (is_prepared(tree))
		return (*err = build_problem(tree, tree)) ? NULL : xstrdup(tree);
	cache = cache_dir();
	name = xstrdup(tree);
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	build = xasprintf("%s/build%s", cache, name);
	log = xasprintf("%s.log", build);
	lock = xasprintf("%s.lock", build);
	free(name);
	free(cache);
	/* one kbuild at a time in it: two runs preparing it at once would mix their files */
	mkdir_cache(lock);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd >= 0)
		flock(fd, LOCK_EX);
	free(lock);
	if (!is_prepared(build) || (why = build_problem(tree, build))) {
		free(why);
		if (isatty(2))
			fprintf(stderr, "mapcheck: preparing %s with kbuild (allmodconfig, prepare)\n",
				build);
		if (!kbuild_prepare(tree, build, log) || !is_prepared(build) ||
		    (why = build_problem(tree, build))) {
			*err = why ? why : xasprintf("%s: unconfigured tree and 'make allmodconfig "
						    "prepare' failed (see %s); pass --build DIR",
						    tree, log);
			free(build);
			build = NULL;
		}
	}
	if (fd >= 0)
		close(fd);
	free(log);
	return build;
}

char *tree_path_problem(const char *path, const char *tree, const char *how)
{
	char *real = path_resolve(path), *other, *why = NULL;

	if (!real || path_inside(real, tree)) {
		free(real);
		return NULL;
	}
	other = tree_find_root(real);
	if (other)
		why = xasprintf("%s: in the kernel tree %s, not in %s (%s): scan one tree at a "
				"time", path, other, tree, how);
	free(other);
	free(real);
	return why;
}

char *tree_output_problem(const char *opt, const char *path, const char *tree)
{
	char *real = path_resolve(path), *why = NULL;

	if (real && path_inside(real, tree))
		why = xasprintf("%s %s: inside the scanned tree %s; mapcheck writes nothing "
				"into the tree it scans", opt, path, tree);
	free(real);
	return why;
}
