// SPDX-License-Identifier: GPL-2.0
/*
 * pch.c: the precompiled prelude.
 *
 * Most of what libclang spends on a kernel file goes to the same few
 * hundred headers.  A prelude that includes the most common of them is
 * precompiled once per set of flags, and each file is parsed with
 * -include-pch.  A file must give the same report with it as without, so:
 *  - the PCH is built with the file's own flags less what kbuild sets per
 *    file (KBUILD_MODNAME and friends, which no header tests in #if) and
 *    the -I directories (subsystem headers, which no global header
 *    includes); clang checks that the macros the PCH was built with match,
 *    and does not include again the -include files it was built with;
 *  - a file that #defines macros before its first #include (pr_fmt,
 *    DEBUG) gets a prelude that starts with those lines, so the headers see
 *    them as they would; a file with code or any other directive before its
 *    first #include is parsed without a PCH;
 *  - a file that does not parse cleanly with the PCH is parsed again
 *    without it (scan.c), so the PCH never adds an error.
 * tests/cache/pch.sh checks this on small inputs, tests/cache/tree.sh
 * compares whole-tree reports with and without it.
 *
 * The PCH is built in a child process (libclang may crash on anything) in
 * a private directory of $TMPDIR, never in the scanned tree, and removed at
 * the end of the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pch.h"
#include "sha256.h"

/* files that must share a PCH before one is built (a build costs ~3 parses) */
#define PCH_MIN_FILES 4

/* the global headers most files with a mapping call include */
static const char *const prelude[] = {
	"linux/kernel.h", "linux/module.h", "linux/slab.h", "linux/sched.h",
	"linux/mm.h", "linux/fs.h", "linux/pagemap.h", "linux/highmem.h",
	"linux/blkdev.h", "linux/bio.h", "linux/uaccess.h", "linux/scatterlist.h",
	NULL
};

struct variant {
	char key[65];
	char *hdr, *deps, *helpers;	/* the prelude; what it read, and defines */
	unsigned files;
	int state;		/* 0 not built, 1 built, -1 failed */
	struct pch pch;
};

struct pch_set {
	const struct rules *rules;
	char *dir;		/* created on the first build */
	struct vec variants;	/* struct variant * */
	unsigned builds;	/* PCHs built so far */
	pid_t owner;		/* the process that removes dir */
};

/*
 * What kbuild defines per file.  No header tests these in #if; a #define
 * pr_fmt() before the first #include expands to KBUILD_MODNAME, so the
 * prelude defines them while its headers are read, and then undefines
 * them for the file's own -D to define.
 */
static const char *const per_file_macros[] = {
	"KBUILD_MODFILE", "KBUILD_BASENAME", "KBUILD_MODNAME", "__KBUILD_MODNAME", NULL
};
static const char *const per_file_values[] = {
	"\"mapcheck_prelude\"", "\"mapcheck_prelude\"", "\"mapcheck_prelude\"",
	"kmod_mapcheck_prelude", NULL
};

/* A per-file macro's -D, or an -I directory. */
static bool per_file_flag(const char *f)
{
	if (str_starts(f, "-I"))
		return true;
	for (size_t i = 0; per_file_macros[i]; i++) {
		size_t n = strlen(per_file_macros[i]);

		if (str_starts(f, "-D") && !strncmp(f + 2, per_file_macros[i], n) &&
		    (f[2 + n] == '=' || !f[2 + n]))
			return true;
	}
	return false;
}

/*
 * The #define lines before the first #include of @t, into @out; false when
 * anything else comes first (code, #if, #undef, no #include at all).
 */
static bool leading_defines(const char *t, size_t len, struct vec *out)
{
	const char *p = t, *end = t + len;

	while (p < end) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
			p++;
		} else if (end - p > 1 && p[0] == '/' && p[1] == '*') {
			p = memmem(p + 2, (size_t)(end - p - 2), "*/", 2);
			if (!p)
				return false;
			p += 2;
		} else if (end - p > 1 && p[0] == '/' && p[1] == '/') {
			while (p < end && *p != '\n')
				p++;
		} else if (*p == '#') {
			const char *w = p + 1, *e;

			while (w < end && (*w == ' ' || *w == '\t'))
				w++;
			if (end - w >= 7 && !memcmp(w, "include", 7))
				return true;
			if (end - w < 7 || memcmp(w, "define", 6) || (w[6] != ' ' && w[6] != '\t'))
				return false;
			/* the logical line, continuations included */
			for (e = w; e < end && (*e != '\n' || e[-1] == '\\'); e++)
				;
			if (memmem(p, (size_t)(e - p), "/*", 2) &&
			    !memmem(p, (size_t)(e - p), "*/", 2))
				return false;
			vec_push(out, xasprintf("%.*s", (int)(e - p), p));
			p = e;
		} else {
			return false;
		}
	}
	return false;
}

/* The prelude's text for @j, and its key; false when @j takes no PCH. */
static bool variant_of(const struct job *j, char key[65], char **text)
{
	struct vec defs = { 0 };
	struct sha256 s;
	const char *why;
	size_t len;
	char *src = read_file(j->abs, &len, &why), *buf = NULL;
	size_t blen = 0;
	FILE *m;
	bool ok;

	if (!src)
		return false;
	ok = leading_defines(src, len < 65536 ? len : 65536, &defs);
	free(src);
	if (!ok) {
		vec_free(&defs, free);
		return false;
	}
	m = open_memstream(&buf, &blen);
	if (!m)
		die("out of memory");
	for (size_t i = 0; i < defs.n; i++)
		fprintf(m, "%s\n", (char *)defs.v[i]);
	/* what those lines may expand to in a header's inline function */
	for (size_t i = 0; per_file_macros[i]; i++)
		fprintf(m, "#define %s %s\n", per_file_macros[i], per_file_values[i]);
	for (size_t i = 0; prelude[i]; i++)
		fprintf(m, "#include <%s>\n", prelude[i]);
	for (size_t i = 0; per_file_macros[i]; i++)
		fprintf(m, "#undef %s\n", per_file_macros[i]);
	fclose(m);
	vec_free(&defs, free);
	sha256_init(&s);
	for (size_t i = 0; i < j->flags.n; i++)
		if (!per_file_flag(j->flags.v[i]))
			sha256_add(&s, j->flags.v[i], strlen(j->flags.v[i]) + 1);
	sha256_add(&s, buf, blen);
	sha256_hex(&s, key);
	*text = buf;
	return true;
}

static struct variant *find(struct pch_set *set, const char *key)
{
	for (size_t i = 0; i < set->variants.n; i++) {
		struct variant *v = set->variants.v[i];

		if (!strcmp(v->key, key))
			return v;
	}
	return NULL;
}

struct pch_set *pch_set_new(const struct rules *rules)
{
	struct pch_set *set = xcalloc(1, sizeof(*set));

	set->rules = rules;
	set->owner = getpid();
	return set;
}

void pch_set_free(struct pch_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->variants.n; i++) {
		struct variant *v = set->variants.v[i];

		if (v->hdr && getpid() == set->owner) {
			unlink(v->hdr);
			unlink(v->deps);
			unlink(v->helpers);
			unlink(v->pch.path);
		}
		free(v->hdr);
		free(v->deps);
		free(v->helpers);
		free(v->pch.path);
		vec_free(&v->pch.includes, free);
		vec_free(&v->pch.helpers, pch_helper_free);
		free(v);
	}
	vec_free(&set->variants, NULL);
	if (set->dir && getpid() == set->owner)
		rmdir(set->dir);
	free(set->dir);
	free(set);
}

void pch_note(struct pch_set *set, const struct job *j)
{
	char key[65], *text = NULL;
	struct variant *v;

	if (!set || !variant_of(j, key, &text))
		return;
	free(text);
	v = find(set, key);
	if (!v) {
		v = xcalloc(1, sizeof(*v));
		memcpy(v->key, key, sizeof(key));
		vec_push(&set->variants, v);
	}
	v->files++;
}

/* In a child: precompile @v's prelude with @j's flags. */
static void build_child(const struct pch_set *set, const struct variant *v,
			const struct job *j)
{
	const char **argv = xcalloc(j->flags.n + 1, sizeof(*argv));
	FILE *deps = fopen(v->deps, "w"), *helpers = fopen(v->helpers, "w");
	int argc = 0;

	alarm(300);
	/* the first file's -I directories: the prelude reads global headers only */
	for (size_t i = 0; i < j->flags.n; i++)
		if (!per_file_flag(j->flags.v[i]) || str_starts(j->flags.v[i], "-I"))
			argv[argc++] = j->flags.v[i];
	if (!deps || !helpers ||
	    !parse_precompile(v->hdr, argv, argc, set->rules, v->pch.path, deps, helpers) ||
	    fclose(deps) || fclose(helpers))
		_exit(1);
	free(argv);
	child_leak_check();
	_exit(0);
}

/* What the child wrote: false when anything is missing or malformed. */
static bool read_outputs(struct variant *v)
{
	const char *why;
	size_t len;
	char *t = read_file(v->deps, &len, &why), *line, *save = NULL;
	bool ok = t != NULL;

	for (line = t ? strtok_r(t, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
		if (strcmp(line, v->hdr))	/* the prelude itself is gone after the run */
			vec_push(&v->pch.includes, xstrdup(line));
	free(t);
	t = read_file(v->helpers, &len, &why);
	ok = ok && t;
	for (line = t ? strtok_r(t, "\n", &save) : NULL; ok && line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct func *fn = pch_helper_read(line);

		if (fn)
			vec_push(&v->pch.helpers, fn);
		ok = fn != NULL;
	}
	free(t);
	return ok && v->pch.includes.n;
}

static bool build(struct pch_set *set, struct variant *v, const struct job *j,
		  const char *text)
{
	int status;
	FILE *f;
	pid_t pid;

	if (!set->dir)
		set->dir = tmp_dir_new("pch");
	v->hdr = xasprintf("%s/%.16s.h", set->dir, v->key);
	v->deps = xasprintf("%s/%.16s.deps", set->dir, v->key);
	v->helpers = xasprintf("%s/%.16s.helpers", set->dir, v->key);
	v->pch.path = xasprintf("%s/%.16s.pch", set->dir, v->key);
	f = fopen(v->hdr, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		return false;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0)
		build_child(set, v, j);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 && read_outputs(v);
}

const struct pch *pch_for(struct pch_set *set, const struct job *j)
{
	char key[65], *text = NULL;
	struct variant *v;

	if (!set || !variant_of(j, key, &text))
		return NULL;
	v = find(set, key);
	if (v && !v->state && v->files >= PCH_MIN_FILES) {
		v->state = build(set, v, j, text) ? 1 : -1;
		v->pch.seq = ++set->builds;
	}
	free(text);
	return v && v->state == 1 ? &v->pch : NULL;
}

unsigned pch_builds(const struct pch_set *set)
{
	return set ? set->builds : 0;
}
