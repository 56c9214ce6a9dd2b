// SPDX-License-Identifier: GPL-2.0
/*
 * scan.c: walk the files, pre-filter them, and parse the survivors in
 * worker processes, so that a file that crashes or hangs libclang costs
 * that file only (its worker dies; the next file gets a new one).  A
 * worker writes each file's results as a record (record.c) to a temporary
 * file outside the scanned tree, and the files its parse read beside it.
 * A job whose result is in the cache (cache.c) is not parsed at all; the
 * parent stores a parsed one there.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "astdump.h"
#include "cache.h"
#include "parse.h"
#include "pch.h"
#include "scan.h"
#include "sha256.h"
#include "text.h"
#include "tree.h"
#include "walk.h"

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
 * of the tree's ~90,000 entries.  A .c name that is a FIFO, a device or a
 * socket is listed too, for the caller to skip with the reason (reading it
 * is refused without opening it: read_file()).  With @tree, a directory
 * that is a kernel tree's root stops the walk, named in *@tree.
 */
static void walk_dir(const char *dir, struct vec *out, char **tree)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	if (tree && is_kernel_tree(dir)) {
		*tree = xstrdup(dir);
		closedir(d);
		return;
	}
	while ((e = readdir(d)) && !(tree && *tree)) {
		unsigned char type = e->d_type;
		char *path;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		path = path_join(dir, e->d_name);
		if (type == DT_UNKNOWN) {
			struct stat st;

			type = lstat(path, &st) ? DT_UNKNOWN : S_ISDIR(st.st_mode) ? DT_DIR :
				S_ISREG(st.st_mode) ? DT_REG : S_ISLNK(st.st_mode) ? DT_LNK :
				S_ISFIFO(st.st_mode) ? DT_FIFO : DT_CHR;
		}
		if (type == DT_DIR) {
			if (e->d_name[0] != '.')	/* hidden directories: .git, ... */
				walk_dir(path, out, tree);
		} else if (type != DT_LNK && type != DT_UNKNOWN && str_ends(e->d_name, ".c")) {
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

	walk_dir(path, out, NULL);
	vec_sort(out, from, cmp_strp);
}

char *collect_files_outside(const char *path, struct vec *out)
{
	size_t from = out->n;
	char *tree = NULL;

	walk_dir(path, out, &tree);
	vec_sort(out, from, cmp_strp);
	return tree;
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

/* What the parent asks of a worker: parse jobs[job] with @pch. */
struct order {
	size_t job;
	const struct pch *pch;	/* the worker's copy: it was forked after the build */
	bool cacheable;
};

/* A worker process and the job it is parsing. */
struct slot {
	pid_t pid;		/* 0: none */
	int sock;		/* the parent's end of the worker's socket pair */
	unsigned gen;		/* pch_builds() when it was forked */
	bool busy;
	size_t job;
	char *out, *key;
};

/* One scan_run(): its workers, and what the parent keeps for collect(). */
struct pool {
	struct vec *jobs;
	const struct scan_opts *o;
	struct report **r;
	struct slot *slot;
	char **keys;		/* cache keys of the jobs not sent yet */
	bool *hit;
	bool *saved;		/* its tree was saved by an earlier pass */
	char *dir;		/* where workers write their records */
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
	s->out = s->key = NULL;
}

/* Where the worker writes job @job's record for the parent to collect. */
static char *rec_path(const struct pool *p, size_t job)
{
	return xasprintf("%s/%zu.rec", p->dir, job);
}

/* Read exactly @len bytes; false at end of file or on an error. */
static bool read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * A worker process: parse the jobs the parent sends on @sock one at a
 * time, answering each with its index, until the parent closes its end.
 * The process outlives one parse so that the memory a parse grew is
 * reused by the next: a process per file paid for every page of its heap
 * again (page faults were about a quarter of a scan's CPU time), and the
 * heap is kept rather than given back to the kernel between files.
 */
static void worker_loop(int sock, const struct pool *p)
{
	struct order ord;

	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	while (read_all(sock, &ord, sizeof(ord))) {
		char *out = rec_path(p, ord.job);

		worker(p->jobs->v[ord.job], p->o, out, ord.cacheable, ord.pch);
		alarm(0);
		free(out);
		if (write(sock, &ord.job, sizeof(ord.job)) != (ssize_t)sizeof(ord.job))
			_exit(3);
	}
}

/* In a new worker: free the copies of what the parent owned at the fork. */
static void pool_free_copy(struct pool *p)
{
	for (int i = 0; i < p->o->workers; i++) {
		free(p->slot[i].out);
		free(p->slot[i].key);
	}
	for (size_t i = 0; i < p->jobs->n; i++)
		free(p->keys[i]);
	free(p->keys);
	free(p->hit);
	free(p->saved);
	free(p->slot);
	free(p->dir);
}

static void start_worker(struct pool *p, struct slot *s)
{
	int sv[2];
	pid_t parent;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair: %s", strerror(errno));
	fflush(NULL);
	parent = getpid();
	s->pid = fork();
	if (s->pid < 0)
		die("fork: %s", strerror(errno));
	if (!s->pid) {
		/*
		 * A parent killed (SIGKILL: it cannot reap us) takes its workers
		 * with it, rather than leaving them to finish a parse no one
		 * will read; the parent may have died before the prctl().
		 */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(3);
		/* the other workers see the end of their input only when the parent closes it */
		for (int i = 0; i < p->o->workers; i++)
			if (p->slot[i].pid && &p->slot[i] != s)
				close(p->slot[i].sock);
		close(sv[0]);
		worker_loop(sv[1], p);
		close(sv[1]);
		pool_free_copy(p);
		child_leak_check();
		_exit(0);
	}
	close(sv[1]);
	s->sock = sv[0];
	s->gen = pch_builds(p->o->pch);
}

/*
 * Close worker @s's input, killing it first when @kill_it, and wait for
 * it to exit; its status.
 */
static int reap(struct slot *s, bool kill_it)
{
	int status = 0;

	if (kill_it)
		kill(s->pid, SIGKILL);
	close(s->sock);
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	s->pid = 0;
	return status;
}

/* Send job @next to the idle worker @s, starting one if needed. */
static void dispatch(struct pool *p, struct slot *s, size_t next)
{
	struct order ord;

	memset(&ord, 0, sizeof(ord));	/* the padding too: it is sent */
	ord.job = next;
	ord.pch = p->saved[next] ? NULL : pch_for(p->o->pch, p->jobs->v[next]);
	ord.cacheable = p->keys[next] != NULL;

	/* a worker forked before this PCH was built does not have it */
	if (s->pid && ord.pch && ord.pch->seq > s->gen)
		reap(s, false);
	if (!s->pid)
		start_worker(p, s);
	s->job = next;
	s->key = p->keys[next];
	p->keys[next] = NULL;
	s->out = rec_path(p, next);
	s->busy = true;
	/* MSG_NOSIGNAL: a worker gone is noticed when its answer does not come */
	if (send(s->sock, &ord, sizeof(ord), MSG_NOSIGNAL) != (ssize_t)sizeof(ord))
		shutdown(s->sock, SHUT_RDWR);
}

/*
 * Wait for busy workers to answer or die, and collect their jobs; the
 * number collected.
 */
static size_t wait_any(struct pool *p)
{
	int nw = p->o->workers, n = 0;
	struct pollfd *fds = xcalloc((size_t)nw, sizeof(*fds));
	int *which = xcalloc((size_t)nw, sizeof(*which));
	size_t got = 0;

	for (int k = 0; k < nw; k++) {
		if (p->slot[k].busy) {
			fds[n].fd = p->slot[k].sock;
			fds[n].events = POLLIN;
			which[n++] = k;
		}
	}
	while (n && poll(fds, (nfds_t)n, -1) < 0)
		if (errno != EINTR)
			die("poll: %s", strerror(errno));
	for (int i = 0; i < n; i++) {
		struct slot *s = &p->slot[which[i]];
		size_t job;
		int status = 0;

		if (!fds[i].revents)
			continue;
		if (!read_all(s->sock, &job, sizeof(job)) || job != s->job) {
			/* it died: crashed, timed out, or failed to write */
			status = reap(s, true);	/* killing a dead one does nothing */
			if (!status)
				status = W_EXITCODE(3, 0);
		}
		s->busy = false;
		collect(s, status, p->jobs, p->o, p->r);
		got++;
	}
	free(fds);
	free(which);
	return got;
}

void scan_run(struct vec *jobs, const struct scan_opts *o, struct report **r)
{
	struct pool p = { jobs, o, r, NULL, NULL, NULL, NULL, NULL };
	size_t next = 0, done = 0;
	double start = now_seconds();

	p.slot = xcalloc((size_t)o->workers, sizeof(*p.slot));
	p.keys = xcalloc(jobs->n + 1, sizeof(*p.keys));
	p.hit = xcalloc(jobs->n + 1, sizeof(*p.hit));
	p.saved = xcalloc(jobs->n + 1, sizeof(*p.saved));
	p.dir = tmp_dir_new("records");
	/* what the cache has; the rest is what the prelude PCHs are for */
	for (size_t i = 0; i < jobs->n; i++) {
		p.keys[i] = o->cache ? cache_key(o->cache, jobs->v[i], o) : NULL;
		p.hit[i] = p.keys[i] && cache_get(o->cache, p.keys[i], r[i]);
		if (p.hit[i]) {
			free(p.keys[i]);
			p.keys[i] = NULL;
			done++;
			continue;
		}
		/* a file whose tree is read back needs no prelude */
		if (o->ast_dir) {
			char *saved = ast_path(jobs->v[i], o);

			p.saved[i] = !access(saved, R_OK);
			free(saved);
		}
		if (!p.saved[i])
			pch_note(o->pch, jobs->v[i]);
	}
	while (done < jobs->n) {
		for (int k = 0; k < o->workers && next < jobs->n; k++) {
			while (next < jobs->n && p.hit[next])
				next++;
			if (next < jobs->n && !p.slot[k].busy)
				dispatch(&p, &p.slot[k], next++);
		}
		done += wait_any(&p);
		if (o->progress && now_seconds() - start > 1.0)
			fprintf(stderr, "\rmapcheck: [%zu/%zu] %s\033[K", done, jobs->n,
				((struct job *)jobs->v[next ? next - 1 : 0])->rel);
	}
	for (int k = 0; k < o->workers; k++)
		if (p.slot[k].pid)
			reap(&p.slot[k], false);
	if (o->progress && now_seconds() - start > 1.0)
		fputs("\r\033[K", stderr);
	rmdir(p.dir);
	free(p.dir);
	free(p.slot);
	free(p.keys);
	free(p.hit);
	free(p.saved);
}
