// SPDX-License-Identifier: GPL-2.0
/* util.c: allocation, strings, files and paths. */
#define _GNU_SOURCE
#include <errno.h>
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

void die(const char *fmt, ...)
{
	va_list ap;

	fputs("mapcheck: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_BAD_INPUT);
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

/*
 * Read a whole file.  On failure returns NULL with *why set to a short
 * reason fit for a one-line message.
 */
char *read_file(const char *path, size_t *len, const char **why)
{
	struct stat st;
	FILE *f;
	char *buf;
	size_t n;

	/* stat first: opening a FIFO for reading would block */
	if (stat(path, &st)) {
		*why = strerror(errno);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		*why = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
		return NULL;
	}
	f = fopen(path, "rb");
	if (!f) {
		*why = strerror(errno);
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		fclose(f);
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

bool str_starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
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
