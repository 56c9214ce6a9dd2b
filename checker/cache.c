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
 *   D <sha256 of the .h names> <dir>      the directories those files, the
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
 *
 * Runs share the cache, at once too: an entry is written whole under a
 * temporary name and renamed (two runs writing one key write the same
 * bytes), and every run holds a shared flock on results/.lock for as long
 * as it uses the cache.  What removes entries takes an exclusive one
 * without waiting, and does not remove when it cannot: prune() below, and
 * scripts/remove-cache.sh, which removes a whole cache directory (renamed
 * away before its lock is let go: a run that opened the old lock file sees
 * that the name no longer leads to it, and opens the new one).
 *
 * The pre-filter's verdicts (does a file mention an API, itself or through
 * a local header) are kept in results/.prefilter-<salt>, one line a file:
 *   <0|1> <path> <stat> [<header> <stat>]...   (tab-separated)
 * where <stat> is device:inode:size:mtime:ctime (nanoseconds); a warm run
 * then stats the tree's files instead of reading them.  The ctime cannot
 * be set back by a user, so a changed file never keeps its old verdict.
 * A run saving its verdicts adds those of the file as it is then (another
 * run's, saved meanwhile) that it does not have, under an exclusive flock
 * on .prefilter-<salt>.lock, so that neither run's verdicts are lost.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "parse.h"
#include "sha256.h"
#include "tree.h"

#define MAGIC "mapcheck-result 2\n"
#define PRUNE_DAYS 14

/* What a file's content or a directory's names hash to now; memoised. */
struct memo {
	char *what;		/* "F/path" or "D/path" */
	char hex[65];
};

/* One pre-filter verdict: "<path>\t<stat>[\t<dep>\t<stat>]..." */
struct verdict {
	char *line;
	size_t pathlen;
	bool yes;
};

struct cache {
	char *dir;
	char salt[65];
	struct memo *tab;
	size_t cap, n;
	struct verdict *pf;	/* open addressing on the path */
	size_t pfcap, pfn;
	bool pf_loaded, pf_changed;
	int lock;		/* results/.lock, held shared; -1: none */
};

static void hash_bytes(const void *p, size_t n, char hex[65])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_add(&s, p, n);
	sha256_hex(&s, hex);
}

/* The sorted header names in @dir, hashed; "missing" when it cannot be read. */
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
	/*
	 * Only the headers: what the preprocessor can find there.  Other names
	 * come and go (tools' temporary directories in the tree's root, which
	 * every kernel file has on its -I path) and would make every entry stale.
	 */
	while ((e = readdir(d)))
		if (str_ends(e->d_name, ".h"))
			vec_push(&names, xstrdup(e->d_name));
	closedir(d);
	vec_sort(&names, 0, cmp_strp);
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
			const char *w = old[k].what;

			if (!w)
				continue;
			for (i = str_hash_n(w, strlen(w)) % c->cap; c->tab[i].what; i = (i + 1) % c->cap)
				;
			c->tab[i] = old[k];
		}
		free(old);
	}
	for (i = str_hash_n(what, strlen(what)) % c->cap; c->tab[i].what; i = (i + 1) % c->cap) {
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


/*
 * Take a shared flock on results/.lock for the life of the run (see the top
 * of the file); the descriptor, or -1 when the cache cannot be written
 * (then nothing is stored, and nothing removed).
 */
static int lock_shared(const char *dir)
{
	char *path = path_join(dir, ".lock");
	int fd = -1;

	for (int tries = 0; tries < 1000; tries++) {
		struct stat held, named;

		mkdirs(dir);
		fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0)
			break;
		/* still the file of that name: not one a remover renamed away meanwhile */
		if (!flock(fd, LOCK_SH) && !fstat(fd, &held) && !stat(path, &named) &&
		    held.st_ino == named.st_ino && held.st_dev == named.st_dev)
			break;
		close(fd);
		fd = -1;
	}
	free(path);
	return fd;
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
	vec_sort(&names, 0, cmp_strp);
	for (size_t i = 0; i < names.n; i++) {
		add_str(&s, strrchr(names.v[i], '/') + 1);
		add_str(&s, current(c, 'F', names.v[i]));
	}
	vec_free(&names, free);
	sha256_hex(&s, c->salt);
	c->lock = lock_shared(c->dir);
	return c;
}

static time_t prune_before;

static void stat_str(const char *path, char *buf, size_t n)
{
	struct stat st;

	if (stat(path, &st)) {
		snprintf(buf, n, "missing");
		return;
	}
	snprintf(buf, n, "%lu:%lu:%lld:%lld.%09ld:%lld.%09ld", (unsigned long)st.st_dev,
		 (unsigned long)st.st_ino, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		 st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

static char *prefilter_file(const struct cache *c)
{
	return xasprintf("%s/.prefilter-%.32s", c->dir, c->salt);
}

/* The slot of @path (length @n) in the verdict table: its own or a free one. */
static struct verdict *pf_slot(struct cache *c, const char *path, size_t n)
{
	size_t i;

	for (i = str_hash_n(path, n) % c->pfcap; c->pf[i].line; i = (i + 1) % c->pfcap)
		if (c->pf[i].pathlen == n && !memcmp(c->pf[i].line, path, n))
			break;
	return &c->pf[i];
}

/* Add or replace @line ("<path>\t...", taken over) with verdict @yes. */
static void pf_add(struct cache *c, char *line, bool yes)
{
	char *tab = strchr(line, '\t');
	size_t n = tab ? (size_t)(tab - line) : strlen(line);
	struct verdict *v;

	if (2 * (c->pfn + 1) > c->pfcap) {
		struct verdict *old = c->pf;
		size_t oldcap = c->pfcap;

		c->pfcap = c->pfcap ? 2 * c->pfcap : 65536;
		c->pf = xcalloc(c->pfcap, sizeof(*c->pf));
		for (size_t k = 0; k < oldcap; k++)
			if (old[k].line)
				*pf_slot(c, old[k].line, old[k].pathlen) = old[k];
		free(old);
	}
	v = pf_slot(c, line, n);
	if (v->line)
		free(v->line);
	else
		c->pfn++;
	v->line = line;
	v->pathlen = n;
	v->yes = yes;
}

/*
 * Read the saved verdicts; with @merge, only those of paths this run has
 * none of (its own are as new as the other run's, or newer).
 */
static void pf_read(struct cache *c, bool merge)
{
	char *path = prefilter_file(c), *text, *p, *nl;
	const char *why;
	size_t len;

	text = read_file(path, &len, &why);
	free(path);
	for (p = text; p && p < text + len && (nl = memchr(p, '\n', (size_t)(text + len - p)));
	     p = nl + 1) {
		char *tab;

		*nl = 0;
		if ((p[0] != '0' && p[0] != '1') || p[1] != ' ' || !(tab = strchr(p + 2, '\t')))
			continue;
		if (merge && c->pfcap && pf_slot(c, p + 2, (size_t)(tab - p - 2))->line)
			continue;
		pf_add(c, xstrdup(p + 2), p[0] == '1');
	}
	free(text);
}

static void pf_load(struct cache *c)
{
	c->pf_loaded = true;
	pf_read(c, false);
}

int cache_prefilter_get(struct cache *c, const char *path)
{
	struct verdict *v;
	char st[128];
	const char *p;

	if (!c->pf_loaded)
		pf_load(c);
	if (!c->pfn)
		return -1;
	v = pf_slot(c, path, strlen(path));
	if (!v->line)
		return -1;
	/* every "<path>\t<stat>" pair of the line must still hold */
	for (p = v->line; p; ) {
		const char *t1 = strchr(p, '\t'), *t2;
		char *name;
		bool same;

		if (!t1)
			return -1;
		t2 = strchr(t1 + 1, '\t');
		name = xasprintf("%.*s", (int)(t1 - p), p);
		stat_str(name, st, sizeof(st));
		free(name);
		same = strlen(st) == (size_t)((t2 ? t2 : t1 + strlen(t1)) - t1 - 1) &&
		       !strncmp(st, t1 + 1, strlen(st));
		if (!same)
			return -1;
		p = t2 ? t2 + 1 : NULL;
	}
	return v->yes;
}

void cache_prefilter_put(struct cache *c, const char *path, bool yes, const struct vec *deps)
{
	char st[128];
	char *line, *buf = NULL;
	size_t len = 0;
	FILE *m;

	if (strchr(path, '\n') || strchr(path, '\t'))
		return;
	for (size_t i = 0; i < deps->n; i++)
		if (strchr(deps->v[i], '\n') || strchr(deps->v[i], '\t'))
			return;
	if (!c->pf_loaded)
		pf_load(c);
	m = open_memstream(&buf, &len);
	if (!m)
		die("out of memory");
	stat_str(path, st, sizeof(st));
	fprintf(m, "%s\t%s", path, st);
	for (size_t i = 0; i < deps->n; i++) {
		stat_str(deps->v[i], st, sizeof(st));
		fprintf(m, "\t%s\t%s", (char *)deps->v[i], st);
	}
	fclose(m);
	line = buf;
	pf_add(c, line, yes);
	c->pf_changed = true;
}

static void pf_save(struct cache *c)
{
	char *path, *tmp;
	FILE *f;
	bool ok = true;
	int fd;

	if (!c->pf_changed)
		return;
	path = prefilter_file(c);
	tmp = xasprintf("%s.lock", path);
	mkdirs(c->dir);
	/* read, merge and replace with no other run's save in between */
	fd = open(tmp, O_RDONLY | O_CREAT | O_CLOEXEC, 0666);
	if (fd >= 0)
		flock(fd, LOCK_EX);
	free(tmp);
	pf_read(c, true);
	tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	f = fopen(tmp, "w");
	for (size_t i = 0; f && i < c->pfcap; i++) {
		if (c->pf[i].line && fprintf(f, "%d %s\n", c->pf[i].yes, c->pf[i].line) < 0)
			ok = false;
		if (i == c->pfcap / 2)
			phase("cache-write", true);
	}
	if (f && (fclose(f) || !ok || rename(tmp, path)))
		unlink(tmp);
	if (fd >= 0)
		close(fd);
	free(tmp);
	free(path);
}

static int prune_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	/* the lock every run opens by name is kept: removed, runs would lock different files */
	if (type == FTW_F && st->st_mtime < prune_before && strcmp(path + ftw->base, ".lock"))
		unlink(path);
	return 0;
}

/*
 * Once a day: remove the entries no run has used for PRUNE_DAYS days, when
 * no other run is using the cache (one could be about to read an entry
 * pruned here, or to touch it as used).  At the end of the run: taking the
 * exclusive lock in place of our shared one lets the shared one go even
 * when it fails.
 */
static void prune(const struct cache *c)
{
	char *stamp = path_join(c->dir, ".pruned");
	struct stat st;
	time_t now = time(NULL);

	if (c->lock >= 0 && stat(c->dir, &st) == 0 &&
	    (stat(stamp, &st) || st.st_mtime < now - 24 * 3600) &&
	    !flock(c->lock, LOCK_EX | LOCK_NB)) {
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
	pf_save(c);
	prune(c);
	if (c->lock >= 0)
		close(c->lock);
	for (size_t i = 0; i < c->pfcap; i++)
		free(c->pf[i].line);
	free(c->pf);
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
	if (o->ext) {
		/*
		 * the other files' summaries, as the worker will see them: a
		 * file summarised again in a later round sees more of them
		 */
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
	vec_sort(&files, 0, cmp_strp);
	vec_sort(&dirs, 0, cmp_strp);
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
		/* in two halves: the test hook's pause (util.c) is in a half-written entry */
		bool ok = fwrite(buf, 1, blen / 2, f) == blen / 2 && !fflush(f);

		phase("cache-write", true);
		ok = ok && fwrite(buf + blen / 2, 1, blen - blen / 2, f) == blen - blen / 2 &&
		     fprintf(f, "sum %s\n", sum) > 0;

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
