// SPDX-License-Identifier: GPL-2.0
/* util.c: allocation, strings, files and paths. */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mapcheck.h"

/* the sanitized build (checker/Makefile's make sanitize): gcc says so, clang has a feature */
#if defined(__SANITIZE_ADDRESS__)
#define MAPCHECK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MAPCHECK_ASAN 1
#endif
#endif
#ifdef MAPCHECK_ASAN
#include <sanitizer/lsan_interface.h>
#endif

/*
 * A forked child ends with _exit(), which skips LeakSanitizer's check at
 * exit: in the sanitized build the workers' and prelude builders' leaks
 * are looked for here, just before it.  Nothing in the normal build.
 */
void child_leak_check(void)
{
#ifdef MAPCHECK_ASAN
	__lsan_do_leak_check();
#endif
}

/* How die() exits: EXIT_BAD_INPUT, or 0 in kbuild's CHECK mode (main.c). */
static int die_status = EXIT_BAD_INPUT;

void die_set_status(int status)
{
	die_status = status;
}

int die_get_status(void)
{
	return die_status;
}

void die(const char *fmt, ...)
{
	va_list ap;

	fputs("mapcheck: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(die_status);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		die("out of memory");
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
	return s;
}

void vec_push(struct vec *vec, void *p)
{
	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? vec->cap * 2 : 8;
		vec->v = xrealloc(vec->v, vec->cap * sizeof(*vec->v));
	}
	vec->v[vec->n++] = p;
}

void vec_free(struct vec *vec, void (*fn)(void *))
{
	if (fn)
		for (size_t i = 0; i < vec->n; i++)
			fn(vec->v[i]);
	free(vec->v);
	vec->v = NULL;
	vec->n = vec->cap = 0;
}

void vec_sort(struct vec *v, size_t from, int (*cmp)(const void *, const void *))
{
	if (v->n - from > 1)
		qsort(v->v + from, v->n - from, sizeof(void *), cmp);
}

bool vec_has_str(const struct vec *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], s))
			return true;
	return false;
}

bool vec_has(const struct vec *v, const void *p)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i] == p)
			return true;
	return false;
}

/* What a file that is neither a regular file nor a directory is, in words. */
const char *file_kind(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFSOCK: return "a socket";
	case S_IFLNK: return "a symbolic link";
	case S_IFDIR: return "a directory";
	default: return "not a regular file";
	}
}

/*
 * Read a whole file.  On failure returns NULL with *why set to a short
 * reason fit for a one-line message.
 */
char *read_file(const char *path, size_t *len, const char **why)
{
	static char kind[64];
	struct stat st;
	FILE *f;
	char *buf;
	size_t n;
	int fd;

	/* stat first: opening a FIFO for reading would block */
	if (stat(path, &st)) {
		*why = strerror(errno);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			*why = "is a directory";
		} else {
			snprintf(kind, sizeof(kind), "not a regular file (%s)",
				 file_kind(st.st_mode));
			*why = kind;
		}
		return NULL;
	}
	/*
	 * O_NONBLOCK: a file replaced by a FIFO since the stat() must not
	 * block the open; it is refused by the fstat() below.  A regular
	 * file ignores the flag.
	 */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*why = strerror(errno);
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "rb");
	if (!f) {
		*why = strerror(errno);
		close(fd);
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	n = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		*why = strerror(errno);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

bool path_is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

bool path_is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	if (b[0] == '/')
		return xstrdup(b);
	if (la && a[la - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

/* @path relative to @root if it is inside it, else a copy of @path. */
char *path_relative(const char *path, const char *root)
{
	size_t n = strlen(root);

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (!strncmp(path, root, n) && path[n] == '/')
		return xstrdup(path + n + 1);
	if (str_starts(path, "./"))
		return xstrdup(path + 2);
	return xstrdup(path);
}

/*
 * @path made absolute, with "." and ".." taken out and the longest part of
 * it that exists resolved by realpath() (symbolic links followed), so that
 * it can be compared with another resolved path even when its last
 * components are yet to be created (-o FILE, --out-dir DIR).
 */
char *path_resolve(const char *path)
{
	char cwd[PATH_MAX], *abs, *out, *save = NULL, *tok;

	if (path[0] == '/')
		abs = xstrdup(path);
	else if (getcwd(cwd, sizeof(cwd)))
		abs = path_join(cwd, path);
	else
		return NULL;
	out = xstrdup("/");
	for (tok = strtok_r(abs, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		char *next, *real;

		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			/* the part before is resolved already: its parent is the real one */
			char *slash = strrchr(out, '/');

			slash[slash == out] = 0;
			continue;
		}
		next = xasprintf("%s%s%s", out, out[1] ? "/" : "", tok);
		free(out);
		out = next;
		real = realpath(out, NULL);
		if (real) {
			free(out);
			out = real;
		}
	}
	free(abs);
	return out;
}

/* Is @path (resolved) @dir (resolved) or inside it? */
bool path_inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return !strncmp(path, dir, n) && (path[n] == 0 || path[n] == '/' || n == 1);
}

/*
 * Test hook (tests/robust/kill.sh): with MAPCHECK_PHASES set, each phase
 * of a run says "mapcheck: phase NAME" on stderr when it starts, so that a
 * test can kill the run inside the phase it wants.  The points where an
 * output is half written under its temporary name (@writing: cache-write,
 * report-write, patch-write) also pause there when the value is
 * "NAME:MS", for MS milliseconds at each point NAME, so that a kill lands
 * inside the write.
 */
void phase(const char *name, bool writing)
{
	const char *v = getenv("MAPCHECK_PHASES"), *colon;
	size_t n = strlen(name);

	if (!v || !*v)
		return;
	fprintf(stderr, "mapcheck: phase %s\n", name);
	fflush(stderr);
	colon = strchr(v, ':');
	if (writing && colon && (size_t)(colon - v) == n && !strncmp(v, name, n)) {
		long ms = strtol(colon + 1, NULL, 10);
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

		while (ms > 0 && nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
}

/*
 * Removes the temporary directories of runs that are gone: a run killed
 * (SIGKILL, SIGINT, the OOM killer) cannot remove its own, and they hold
 * its parsed trees and precompiled headers, hundreds of megabytes for a
 * whole tree.  Their names carry the run's process id
 * (mapcheck-<what>-<pid>.XXXXXX); those of a process that still runs, or
 * that we may not signal, are kept, and so is any name not of that form.
 */
static void tmp_dirs_sweep(const char *root)
{
	DIR *d = opendir(root);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		const char *dash = strrchr(e->d_name, '-'), *dot = strrchr(e->d_name, '.');
		char *end, *path;
		long pid;

		if (!str_starts(e->d_name, "mapcheck-") || !dash || !dot || dot < dash ||
		    strlen(dot) != 7)
			continue;
		pid = strtol(dash + 1, &end, 10);
		if (end != dot || pid <= 0 || pid == getpid() || !kill((pid_t)pid, 0) ||
		    errno != ESRCH)
			continue;
		path = path_join(root, e->d_name);
		{
			/* files only: what the run put there */
			DIR *sub = opendir(path);
			struct dirent *f;

			while (sub && (f = readdir(sub))) {
				if (strcmp(f->d_name, ".") && strcmp(f->d_name, "..")) {
					char *p = path_join(path, f->d_name);

					unlink(p);
					free(p);
				}
			}
			if (sub)
				closedir(sub);
			rmdir(path);
		}
		free(path);
	}
	if (d)
		closedir(d);
}

char *tmp_dir_new(const char *what)
{
	static bool swept;
	const char *t = getenv("TMPDIR");
	const char *root = t && *t ? t : "/tmp";
	char *dir;

	if (!swept) {
		swept = true;
		tmp_dirs_sweep(root);
	}
	dir = xasprintf("%s/mapcheck-%s-%ld.XXXXXX", root, what, (long)getpid());
	if (!mkdtemp(dir))
		die("cannot create a temporary directory in %s: %s", root, strerror(errno));
	return dir;
}

bool str_starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

bool str_ends(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* qsort()/bsearch() order of an array of strings */
int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* djb2 over @n bytes of @s: the hash of the open-addressing tables */
unsigned long str_hash_n(const char *s, size_t n)
{
	unsigned long h = 5381;

	while (n--)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
