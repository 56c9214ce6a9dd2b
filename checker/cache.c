// SPDX-License-Identifier: GPL-2.0
/*
 * cache.c: the result cache, under <cache dir>/results/ (the cache dir is
 * $MAPCHECK_CACHE, else $XDG_CACHE_HOME/mapcheck, else ~/.cache/mapcheck;
 * never the repository or the scanned tree).
 *
 * An entry is named by its key, the SHA-256 of: the checker binary, the
 * libclang version, rules/, the file's path, content and flags, the mode
 * (scan or summarise, with the names asked for) and the other files'
 * summaries the file is analysed with.  Like ccache's direct mode, the
 * entry lists what the parse read, checked on every hit:
 *
 *   mapcheck-result 1
 *   key <key>
 *   F <sha256 of the content> <path>      every file the parse read
 *   D <sha256 of the names> <dir>         the directories those files, the
 *                                         main file and the -I paths are in,
 *                                         so a new header that would shadow
 *                                         or supply a missing one is seen
 *   record <bytes>
 *   <the record, record.c's format>
 *   sum <sha256 of everything above>
 *
 * A wrong version, key or checksum, a short or garbled entry, or a changed
 * dependency is a miss: the file is parsed again and the entry replaced.
 * A hit touches its entry; once a day a run removes the entries no run
 * has used for PRUNE_DAYS days (those of older checkers and trees).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "parse.h"
#include "sha256.h"
#include "tree.h"

#define MAGIC "mapcheck-result 1\n"
#define PRUNE_DAYS 14

/* What a file's content or a directory's names hash to now; memoised. */
struct memo {
	char *what;		/* "F/path" or "D/path" */
	char hex[65];
};

struct cache {
	char *dir;
	char salt[65];
	struct memo *tab;
	size_t cap, n;
};

static unsigned long str_hash(const char *s)
{
	unsigned long h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static void hash_bytes(const void *p, size_t n, char hex[65])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_add(&s, p, n);
	sha256_hex(&s, hex);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in @dir, hashed; "missing" when it cannot be read. */
static void hash_dir(const char *dir, char hex[65])
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct vec names = { 0 };
	struct sha256 s;

	if (!d) {
		strcpy(hex, "missing");
		return;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			vec_push(&names, xstrdup(e->d_name));
	closedir(d);
	qsort(names.v, names.n, sizeof(void *), cmp_str);
	sha256_init(&s);
	for (size_t i = 0; i < names.n; i++)
		sha256_add(&s, names.v[i], strlen(names.v[i]) + 1);
	sha256_hex(&s, hex);
	vec_free(&names, free);
}

static void hash_file(const char *path, char hex[65])
{
	const char *why;
	size_t len;
	char *text = read_file(path, &len, &why);

	if (!text) {
		strcpy(hex, "missing");
		return;
	}
	hash_bytes(text, len, hex);
	free(text);
}

/* The hash of file ('F') or directory ('D') @path now. */
static const char *current(struct cache *c, char type, const char *path)
{
	char *what = xasprintf("%c/%s", type, path);
	size_t i;

	if (2 * (c->n + 1) > c->cap) {
		struct memo *old = c->tab;
		size_t oldcap = c->cap;

		c->cap = c->cap ? 2 * c->cap : 4096;
		c->tab = xcalloc(c->cap, sizeof(*c->tab));
		for (size_t k = 0; k < oldcap; k++) {
			if (!old[k].what)
				continue;
			for (i = str_hash(old[k].what) % c->cap; c->tab[i].what; i = (i + 1) % c->cap)
				;
			c->tab[i] = old[k];
		}
		free(old);
	}
	for (i = str_hash(what) % c->cap; c->tab[i].what; i = (i + 1) % c->cap) {
		if (!strcmp(c->tab[i].what, what)) {
			free(what);
			return c->tab[i].hex;
		}
	}
	c->tab[i].what = what;
	c->n++;
	if (type == 'F')
		hash_file(path, c->tab[i].hex);
	else
		hash_dir(path, c->tab[i].hex);
	return c->tab[i].hex;
}

static void add_str(struct sha256 *s, const char *str)
{
	str = str ? str : "";
	sha256_add(s, str, strlen(str) + 1);
}

struct cache *cache_open(const char *rules_dir)
{
	struct cache *c;
	struct sha256 s;
	struct vec names = { 0 };
	DIR *d;
	struct dirent *e;
	char *top, *v;

	/* the fault-injection test hook must reach a worker */
	if (getenv("MAPCHECK_FAULT_INJECT"))
		return NULL;
	c = xcalloc(1, sizeof(*c));
	top = cache_dir();
	c->dir = path_join(top, "results");
	free(top);
	sha256_init(&s);
	add_str(&s, MAGIC MAPCHECK_VERSION);
	add_str(&s, current(c, 'F', "/proc/self/exe"));
	v = parse_engine_version();
	add_str(&s, v);
	free(v);
	add_str(&s, getenv("CPATH"));
	add_str(&s, getenv("C_INCLUDE_PATH"));
	d = opendir(rules_dir);
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			vec_push(&names, path_join(rules_dir, e->d_name));
	if (d)
		closedir(d);
	qsort(names.v, names.n, sizeof(void *), cmp_str);
	for (size_t i = 0; i < names.n; i++) {
		add_str(&s, strrchr(names.v[i], '/') + 1);
		add_str(&s, current(c, 'F', names.v[i]));
	}
	vec_free(&names, free);
	sha256_hex(&s, c->salt);
	return c;
}

static time_t prune_before;

static int prune_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_F && st->st_mtime < prune_before)
		unlink(path);
	return 0;
}

/* Once a day: remove the entries no run has used for PRUNE_DAYS days. */
static void prune(const struct cache *c)
{
	char *stamp = path_join(c->dir, ".pruned");
	struct stat st;
	time_t now = time(NULL);

	if (stat(c->dir, &st) == 0 &&
	    (stat(stamp, &st) || st.st_mtime < now - 24 * 3600)) {
		FILE *f = fopen(stamp, "w");

		if (f)
			fclose(f);
		prune_before = now - PRUNE_DAYS * 24 * 3600;
		nftw(c->dir, prune_one, 16, FTW_PHYS);
	}
	free(stamp);
}

void cache_close(struct cache *c)
{
	if (!c)
		return;
	prune(c);
	for (size_t i = 0; i < c->cap; i++)
		free(c->tab[i].what);
	free(c->tab);
	free(c->dir);
	free(c);
}

char *cache_key(struct cache *c, const struct job *j, const struct scan_opts *o)
{
	struct sha256 s;
	char *hex = xmalloc(65);

	sha256_init(&s);
	add_str(&s, c->salt);
	add_str(&s, o->tree);
	add_str(&s, j->abs);
	add_str(&s, j->rel);
	add_str(&s, j->not_built);
	add_str(&s, current(c, 'F', j->abs));
	for (size_t i = 0; i < j->flags.n; i++)
		add_str(&s, j->flags.v[i]);
	add_str(&s, j->summarise ? "summarise" : "scan");
	for (size_t i = 0; j->summarise && o->names && i < o->names->n; i++)
		add_str(&s, o->names->v[i]);
	if (!j->summarise && o->ext) {
		/* the other files' summaries, as the worker will see them */
		struct report r = { .summaries = *o->ext };
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		if (!m)
			die("out of memory");
		record_write(m, &r);
		fclose(m);
		add_str(&s, "ext");
		sha256_add(&s, buf, len);
		free(buf);
	}
	sha256_hex(&s, hex);
	return hex;
}

static char *entry_path(const struct cache *c, const char *key)
{
	return xasprintf("%s/%.2s/%s", c->dir, key, key + 2);
}

/* The next line of [*p, end) without its newline, or NULL. */
static char *line(char **p, char *end)
{
	char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));

	if (!nl)
		return NULL;
	*nl = 0;
	*p = nl + 1;
	return s;
}

bool cache_get(struct cache *c, const char *key, struct report *r)
{
	char *path = entry_path(c, key), *text, *p, *end, *l, *rec = NULL, sum[65];
	const char *why;
	size_t len, nrec = 0;
	bool ok = false;
	struct report one = { 0 };

	text = read_file(path, &len, &why);
	free(path);
	if (!text)
		return false;
	end = text + len;
	/* the checksum line closes the entry */
	if (len < 69 || end[-1] != '\n' || strncmp(end - 69, "sum ", 4))
		goto out;
	hash_bytes(text, len - 69, sum);
	if (memcmp(sum, end - 65, 64))
		goto out;
	end -= 69;
	p = text;
	if ((size_t)(end - p) < strlen(MAGIC) || strncmp(p, MAGIC, strlen(MAGIC)))
		goto out;
	p += strlen(MAGIC);
	l = line(&p, end);
	if (!l || strncmp(l, "key ", 4) || strcmp(l + 4, key))
		goto out;
	while ((l = line(&p, end))) {
		char *sp = l[0] && l[1] == ' ' ? strchr(l + 2, ' ') : NULL;

		if ((l[0] == 'F' || l[0] == 'D') && sp) {
			/* "<type> <hash or 'missing'> <path>" */
			*sp = 0;
			if (strcmp(current(c, l[0], sp + 1), l + 2))
				goto out;	/* changed since: stale */
		} else if (str_starts(l, "record ")) {
			char *e;
			unsigned long n = strtoul(l + 7, &e, 10);

			if (*e || n != (unsigned long)(end - p))
				goto out;
			rec = p;
			nrec = n;
			break;
		} else {
			goto out;
		}
	}
	if (rec) {
		FILE *f = fmemopen(rec, nrec, "r");

		ok = f && nrec && record_read(f, &one);
		if (f)
			fclose(f);
	}
	if (ok) {
		report_merge(r, &one);
		path = entry_path(c, key);
		utimensat(AT_FDCWD, path, NULL, 0);	/* used: kept by prune() */
		free(path);
	}
out:
	report_free(&one);
	free(text);
	return ok;
}

static void mkdirs(const char *dir)
{
	char *p = xstrdup(dir);

	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0777);
			*s = '/';
		}
	}
	mkdir(p, 0777);
	free(p);
}

/* Add "-I dir" style include directories of @flags to @dirs. */
static void include_dirs(const struct vec *flags, struct vec *dirs)
{
	static const char *const opt[] = { "-I", "-iquote", "-isystem", "-idirafter" };

	for (size_t i = 0; i < flags->n; i++) {
		const char *f = flags->v[i];

		for (size_t k = 0; k < sizeof(opt) / sizeof(opt[0]); k++) {
			size_t n = strlen(opt[k]);

			if (strncmp(f, opt[k], n))
				continue;
			if (f[n])
				vec_push(dirs, xstrdup(f + n));
			else if (i + 1 < flags->n)
				vec_push(dirs, xstrdup(flags->v[i + 1]));
			break;
		}
	}
}

static char *dir_of(const char *path)
{
	char *d = xstrdup(path), *slash = strrchr(d, '/');

	if (slash && slash != d)
		*slash = 0;
	return d;
}

void cache_put(struct cache *c, const char *key, const char *rec, size_t len,
	       const struct job *j, const struct vec *reads)
{
	char *path, *dir, *tmp, *buf = NULL, sum[65];
	struct vec files = { 0 }, dirs = { 0 };
	size_t blen = 0;
	FILE *m, *f;

	/* a name the entry's lines cannot hold: not cached */
	if (strchr(j->abs, '\n'))
		return;
	for (size_t i = 0; i < reads->n; i++)
		if (strchr(reads->v[i], '\n'))
			return;
	for (size_t i = 0; i < reads->n; i++) {
		vec_push(&files, xstrdup(reads->v[i]));
		vec_push(&dirs, dir_of(reads->v[i]));
	}
	vec_push(&dirs, dir_of(j->abs));
	include_dirs(&j->flags, &dirs);
	qsort(files.v, files.n, sizeof(void *), cmp_str);
	qsort(dirs.v, dirs.n, sizeof(void *), cmp_str);
	m = open_memstream(&buf, &blen);
	if (!m)
		die("out of memory");
	fputs(MAGIC, m);
	fprintf(m, "key %s\n", key);
	for (size_t i = 0; i < files.n; i++)
		if (!i || strcmp(files.v[i], files.v[i - 1]))
			fprintf(m, "F %s %s\n", current(c, 'F', files.v[i]), (char *)files.v[i]);
	for (size_t i = 0; i < dirs.n; i++)
		if (!i || strcmp(dirs.v[i], dirs.v[i - 1]))
			fprintf(m, "D %s %s\n", current(c, 'D', dirs.v[i]), (char *)dirs.v[i]);
	fprintf(m, "record %zu\n", len);
	fwrite(rec, 1, len, m);
	fclose(m);
	hash_bytes(buf, blen, sum);
	/* written whole under a temporary name, then renamed: never half an entry */
	path = entry_path(c, key);
	dir = dir_of(path);
	mkdirs(dir);
	tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	f = fopen(tmp, "w");
	if (f) {
		bool ok = fwrite(buf, 1, blen, f) == blen && fprintf(f, "sum %s\n", sum) > 0;

		if (fclose(f) == 0 && ok && rename(tmp, path) == 0)
			tmp[0] = 0;
		if (tmp[0])
			unlink(tmp);
	}
	free(tmp);
	free(buf);
	free(dir);
	free(path);
	vec_free(&files, free);
	vec_free(&dirs, free);
}
