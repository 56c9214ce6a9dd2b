// SPDX-License-Identifier: GPL-2.0
/*
 * scan.c: walk the files, pre-filter them, and parse the survivors in
 * worker processes, so that a file that crashes or hangs libclang costs
 * that file only.  A worker writes its results as a record (record.c) to
 * a temporary file outside the scanned tree, and the files its parse read
 * beside it.  A job whose result is in the cache (cache.c) is not parsed
 * at all; the parent stores a parsed one there.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "astdump.h"
#include "cache.h"
#include "parse.h"
#include "pch.h"
#include "scan.h"
#include "sha256.h"
#include "walk.h"

void job_free(void *p)
{
	struct job *j = p;

	free(j->abs);
	free(j->rel);
	free(j->not_built);
	vec_free(&j->flags, free);
	free(j);
}

const char *file_problem(const char *path, char **text, size_t *len)
{
	static char why[256];
	const char *e;

	*text = read_file(path, len, &e);
	if (!*text) {
		snprintf(why, sizeof(why), "cannot read: %s", e);
		return why;
	}
	if (!*len)
		return "empty file";
	if (memchr(*text, 0, *len < 65536 ? *len : 65536))
		return "binary file, not C source";
	return NULL;
}

/*
 * The .c files under @dir, not following symbolic links, skipping hidden
 * directories below the top.  readdir()'s d_type spares a stat() of each
 * of the tree's ~90,000 entries.
 */
static void walk_dir(const char *dir, struct vec *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		unsigned char type = e->d_type;
		char *path;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		path = path_join(dir, e->d_name);
		if (type == DT_UNKNOWN) {
			struct stat st;

			type = lstat(path, &st) ? DT_UNKNOWN : S_ISDIR(st.st_mode) ? DT_DIR :
				S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		}
		if (type == DT_DIR) {
			if (e->d_name[0] != '.')	/* hidden directories: .git, ... */
				walk_dir(path, out);
		} else if (type == DT_REG && str_ends(e->d_name, ".c")) {
			vec_push(out, path);
			path = NULL;
		}
		free(path);
	}
	closedir(d);
}

void collect_files(const char *path, struct vec *out)
{
	size_t from = out->n;

	walk_dir(path, out);
	qsort(out->v + from, out->n - from, sizeof(void *), cmp_strp);
}

/* One skip per API call written in the file, so none is lost silently. */
static void skip_mentions(const struct job *j, const struct rules *rules, const char *why,
			  struct report *r)
{
	char *text;
	size_t len;
	struct vec m = { 0 };

	if (file_problem(j->abs, &text, &len)) {
		report_add_skip(r, j->rel, 0, why);
		free(text);
		return;
	}
	find_mentions(text, len, rules, &m);
	for (size_t i = 0; i < m.n; i++)
		report_add_skip(r, j->rel, ((struct mention *)m.v[i])->line, why);
	if (!m.n)
		report_add_skip(r, j->rel, 0, why);
	vec_free(&m, free);
	free(text);
}

/* Where this run keeps @j's parsed tree: one name per file and flags. */
static char *ast_path(const struct job *j, const struct scan_opts *o)
{
	struct sha256 s;
	char hex[65];

	sha256_init(&s);
	sha256_add(&s, j->abs, strlen(j->abs) + 1);
	for (size_t i = 0; i < j->flags.n; i++)
		sha256_add(&s, j->flags.v[i], strlen(j->flags.v[i]) + 1);
	sha256_hex(&s, hex);
	return xasprintf("%s/%.32s.ast", o->ast_dir, hex);
}

/*
 * Parse @j, with the precompiled prelude @pch when there is one; a file
 * that does not parse cleanly with it is parsed again without, so that the
 * prelude never changes a result (pch.c).  A file an earlier pass of this
 * run parsed is read back from o->ast_dir instead (astdump.c).
 */
static bool parse_job(const struct job *j, const struct scan_opts *o, const struct pch *pch,
		      struct parse_result *pr)
{
	const char *const *argv = (const char *const *)j->flags.v;
	char *saved = o->ast_dir ? ast_path(j, o) : NULL;
	bool ok = false;

	if (saved && ast_load(saved, o->tree, o->rules, pr)) {
		free(saved);
		return true;
	}
	if (pch) {
		ok = parse_file(o->tree, j->abs, argv, (int)j->flags.n, pch, o->rules, pr) &&
		     !pr->tu->errors;
		if (!ok)
			parse_result_free(pr);
	}
	if (!ok)
		ok = parse_file(o->tree, j->abs, argv, (int)j->flags.n, NULL, o->rules, pr);
	if (ok && saved)
		ast_save(pr, saved);
	free(saved);
	return ok;
}

static void worker(const struct job *j, const struct scan_opts *o, const char *out,
		   bool cacheable, const struct pch *pch)
{
	struct parse_result pr;
	struct report r = { 0 };
	FILE *f;
	char *rec = NULL;
	size_t len = 0;

	alarm(o->timeout);
	/* test hook: make the worker for a matching file crash like libclang can */
	if (getenv("MAPCHECK_FAULT_INJECT") && strstr(j->abs, getenv("MAPCHECK_FAULT_INJECT")))
		abort();
	if (!parse_job(j, o, pch, &pr)) {
		char *why = xasprintf("not parsed: %s", pr.why);

		skip_mentions(j, o->rules, why, &r);
		free(why);
	} else {
		r.files_parsed = 1;
		if (pr.tu->errors && j->not_built) {
			/* say why it does not parse: the configuration does not build it */
			char *why = xasprintf("%s; %s", j->not_built, pr.tu->first_error);

			free(pr.tu->first_error);
			pr.tu->first_error = why;
		}
		if (j->summarise) {
			/* nothing to report about this file itself */
		} else if (pr.tu->errors) {
			char *why = xasprintf("parse errors, sites here are 'unknown': %s",
					      pr.tu->first_error);

			r.parse_errors = 1;
			report_add_skip(&r, j->rel, 0, why);
			free(why);
		}
		if (j->summarise)
			summarise_tu(&pr, o->rules, o->names, o->ext, &r);
		else
			walk_tu(&pr, o->rules, o->ext, &r);
	}
	f = open_memstream(&rec, &len);
	if (!f)
		_exit(3);
	record_write(f, &r);
	fclose(f);
	f = fopen(out, "w");
	if (!f || fwrite(rec, 1, len, f) != len || fclose(f))
		_exit(3);
	/*
	 * What the parse read, for the cache entry collect() writes; a file
	 * libclang could not parse at all is tried again next time.
	 */
	for (size_t i = 0; cacheable && i < pr.includes.n; i++)
		if (strchr(pr.includes.v[i], '\n'))
			cacheable = false;	/* a name the entry's lines cannot hold */
	if (cacheable && !pr.why) {
		char *reads = xasprintf("%s.reads", out);

		f = fopen(reads, "w");
		for (size_t i = 0; f && i < pr.includes.n; i++)
			fprintf(f, "%s\n", (char *)pr.includes.v[i]);
		if (!f || ferror(f) || fclose(f))
			_exit(3);
		free(reads);
	}
	free(rec);
	parse_result_free(&pr);
	report_free(&r);
}

/*
 * The files @out's worker said its parse read (one a line), or false when
 * it wrote none (not cacheable, or a name that a line cannot hold).
 */
static bool read_reads(const char *out, struct vec *reads)
{
	char *path = xasprintf("%s.reads", out), *text, *p, *nl;
	const char *why;
	size_t len;
	bool wrote;

	text = read_file(path, &len, &why);
	wrote = text != NULL;
	unlink(path);
	free(path);
	for (p = text; p && p < text + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(text + len - p));
		if (!nl)
			break;
		vec_push(reads, xasprintf("%.*s", (int)(nl - p), p));
	}
	free(text);
	return wrote;
}

struct slot {
	pid_t pid;
	size_t job;
	char *out, *key;
};

static void collect(struct slot *s, int status, struct vec *jobs, const struct scan_opts *o,
		    struct report **per_job)
{
	struct report *r = per_job[s->job];
	const struct job *j = jobs->v[s->job];
	const char *why;
	size_t len = 0;
	char *rec = read_file(s->out, &len, &why);
	FILE *f = rec && len ? fmemopen(rec, len, "r") : NULL;
	struct report one = { 0 };
	struct vec reads = { 0 };
	bool ok = f && WIFEXITED(status) && WEXITSTATUS(status) == 0 && record_read(f, &one);

	if (f)
		fclose(f);
	unlink(s->out);
	/*
	 * The cache entry is written here rather than in the worker: the
	 * parent's memo of header hashes (cache.c) lasts the whole run, so
	 * each header is read and hashed once, not once per file including it.
	 */
	if (read_reads(s->out, &reads) && ok && s->key)
		cache_put(o->cache, s->key, rec, len, j, &reads);
	vec_free(&reads, free);
	free(rec);
	if (ok) {
		report_merge(r, &one);
	} else if (j->summarise) {
		/* a summary we could not get stays unknown: nothing to report */
	} else {
		char *why;

		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
			why = xasprintf("not parsed: timed out after %u s", o->timeout);
		else if (WIFSIGNALED(status))
			why = xasprintf("not parsed: libclang crashed (%s)",
					strsignal(WTERMSIG(status)));
		else
			why = xasprintf("not parsed: worker failed (exit %d)",
					WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		skip_mentions(j, o->rules, why, r);
		free(why);
	}
	report_free(&one);
	free(s->out);
	free(s->key);
	s->pid = 0;
}

void scan_run(struct vec *jobs, const struct scan_opts *o, struct report **r)
{
	char tmpl[] = "/tmp/mapcheck.XXXXXX";
	const char *tmp = getenv("TMPDIR");
	char *dir;
	struct slot *slot = xcalloc((size_t)o->workers, sizeof(*slot));
	size_t next = 0, done = 0;
	double start = now_seconds();
	int running = 0;
	char **keys = xcalloc(jobs->n + 1, sizeof(*keys));
	bool *hit = xcalloc(jobs->n + 1, sizeof(*hit));

	dir = tmp && *tmp ? xasprintf("%s/mapcheck.XXXXXX", tmp) : xstrdup(tmpl);
	if (!mkdtemp(dir))
		die("cannot create a temporary directory: %s", strerror(errno));
	/* what the cache has; the rest is what the prelude PCHs are for */
	for (size_t i = 0; i < jobs->n; i++) {
		keys[i] = o->cache ? cache_key(o->cache, jobs->v[i], o) : NULL;
		hit[i] = keys[i] && cache_get(o->cache, keys[i], r[i]);
		if (hit[i]) {
			free(keys[i]);
			keys[i] = NULL;
		} else {
			pch_note(o->pch, jobs->v[i]);
		}
	}
	fflush(NULL);
	while (done < jobs->n) {
		while (running < o->workers && next < jobs->n) {
			int k = 0;
			const struct pch *pch;

			if (hit[next]) {
				next++;
				done++;
				continue;
			}
			pch = pch_for(o->pch, jobs->v[next]);
			while (slot[k].pid)
				k++;
			slot[k].job = next;
			slot[k].key = keys[next];
			slot[k].out = xasprintf("%s/%zu.rec", dir, next);
			fflush(NULL);
			slot[k].pid = fork();
			if (slot[k].pid < 0)
				die("fork: %s", strerror(errno));
			if (!slot[k].pid) {
				worker(jobs->v[next], o, slot[k].out, keys[next] != NULL, pch);
				/* the child's copies of the parent's bookkeeping */
				for (int i = 0; i < o->workers; i++) {
					if (slot[i].pid || i == k) {
						free(slot[i].out);
						free(slot[i].key);
					}
				}
				for (size_t i = next + 1; i < jobs->n; i++)
					free(keys[i]);
				free(keys);
				free(hit);
				free(slot);
				free(dir);
				_exit(0);
			}
			running++;
			next++;
		}
		if (!running)
			continue;	/* the rest came from the cache */
		int status;
		pid_t pid = waitpid(-1, &status, 0);

		if (pid < 0)
			die("waitpid: %s", strerror(errno));
		for (int k = 0; k < o->workers; k++) {
			if (slot[k].pid == pid) {
				collect(&slot[k], status, jobs, o, r);
				running--;
				done++;
				break;
			}
		}
		if (o->progress && now_seconds() - start > 1.0)
			fprintf(stderr, "\rmapcheck: [%zu/%zu] %s\033[K", done, jobs->n,
				((struct job *)jobs->v[next ? next - 1 : 0])->rel);
	}
	if (o->progress && now_seconds() - start > 1.0)
		fputs("\r\033[K", stderr);
	rmdir(dir);
	free(dir);
	free(slot);
	free(keys);
	free(hit);
}
