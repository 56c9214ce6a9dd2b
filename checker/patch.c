// SPDX-License-Identifier: GPL-2.0
/*
 * patch.c: the kmap_local_page() conversion series (--emit-patches DIR).
 *
 * The workers computed each convertible site's edits (rewrite.c, carried
 * in site->fix).  Here they are applied to a copy of each file in memory,
 * diffed against the tree's file with diff(1), and grouped into one patch
 * per directory, numbered after a cover letter, in git format-patch form.
 * Nothing is written into the scanned tree.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "patch.h"
#include "edit.h"

/* One file of the series, its converted sites and its diff. */
struct pfile {
	char *path;		/* relative to the tree (as in the report) */
	struct vec sites;	/* const struct site *: converted */
	struct vec edits;	/* struct edit * */
	char *diff;
	unsigned adds, dels;
};

/* One patch: the files of one directory. */
struct unit {
	char *dir;
	char *prefix;		/* subject prefix */
	struct vec files;	/* struct pfile * */
	char *cc;		/* get_maintainer.pl output, or NULL */
};

struct series {
	const char *tree;
	struct vec files;	/* struct pfile * */
	struct vec units;	/* struct unit * */
	struct vec skipped;	/* char *: "file:line function(): reason" */
	char *from, *date, *tmp;
	bool from_placeholder, cc_failed;
	unsigned converted;
};

/* Which mapping calls the sites of @files convert: kmap(), kmap_atomic(). */
static void apis_of(const struct vec *files, bool *kmap, bool *atomic)
{
	*kmap = *atomic = false;
	for (size_t i = 0; i < files->n; i++) {
		const struct pfile *pf = files->v[i];

		for (size_t k = 0; k < pf->sites.n; k++) {
			const struct site *s = pf->sites.v[k];

			if (!strcmp(s->api, "kmap_atomic"))
				*atomic = true;
			else
				*kmap = true;
		}
	}
}

/* "Replace kmap() with kmap_local_page()" and its kmap_atomic() forms. */
static const char *subject_of(const struct vec *files)
{
	bool kmap, atomic;

	apis_of(files, &kmap, &atomic);
	if (kmap && atomic)
		return "Replace kmap() and kmap_atomic() with kmap_local_page()";
	return atomic ? "Replace kmap_atomic() with kmap_local_page()"
		      : "Replace kmap() with kmap_local_page()";
}

static char *shell_quote(const char *s)
{
	size_t n = 3;
	char *q, *w;

	for (const char *p = s; *p; p++)
		n += *p == '\'' ? 4 : 1;
	q = w = xmalloc(n);
	*w++ = '\'';
	for (; *s; s++) {
		if (*s == '\'') {
			memcpy(w, "'\\''", 4);
			w += 4;
		} else {
			*w++ = *s;
		}
	}
	*w++ = '\'';
	*w = 0;
	return q;
}

/* The standard output of a shell command, or NULL when it fails. */
static char *run_output(const char *cmd, int ok_status)
{
	FILE *p = popen(cmd, "r");
	char *out = NULL;
	size_t n = 0;
	FILE *m;
	int st;

	if (!p)
		return NULL;
	m = open_memstream(&out, &n);
	if (!m)
		die("out of memory");
	for (int c; (c = fgetc(p)) != EOF;)
		fputc(c, m);
	fclose(m);
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st) ||
	    (WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != ok_status)) {
		free(out);
		return NULL;
	}
	return out;
}

static char *trim(char *s)
{
	size_t n = s ? strlen(s) : 0;

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = 0;
	return s;
}

static struct pfile *pfile_get(struct series *sr, const char *path)
{
	struct pfile *f;

	for (size_t i = 0; i < sr->files.n; i++) {
		f = sr->files.v[i];
		if (!strcmp(f->path, path))
			return f;
	}
	f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(path);
	vec_push(&sr->files, f);
	return f;
}

static int edit_cmp(const void *a, const void *b)
{
	const struct edit *x = *(const struct edit *const *)a, *y = *(const struct edit *const *)b;

	if (x->begin != y->begin)
		return x->begin < y->begin ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

static char *tree_path(const struct series *sr, const char *path)
{
	return path[0] == '/' ? xstrdup(path) : path_join(sr->tree, path);
}

/* a/ and b/ names: the path in the tree (an absolute path loses its '/') */
static const char *label(const char *path)
{
	return path[0] == '/' ? path + 1 : path;
}

/* Apply the file's edits and diff the result against the tree's file. */
static bool make_diff(struct series *sr, struct pfile *f, char **why)
{
	char *orig_path = tree_path(sr, f->path), *text, *newp, *cmd, *qa, *qb, *qo, *qn;
	const char *err;
	size_t len, at = 0;
	FILE *out, *nf;
	bool ok = true;

	text = read_file(orig_path, &len, &err);
	if (!text) {
		*why = xasprintf("cannot read %s: %s", orig_path, err);
		free(orig_path);
		return false;
	}
	vec_sort(&f->edits, 0, edit_cmp);
	newp = xasprintf("%s/new.c", sr->tmp);
	nf = fopen(newp, "w");
	if (!nf)
		die("%s: cannot write: %s", newp, strerror(errno));
	out = nf;
	for (size_t i = 0; i < f->edits.n && ok; i++) {
		const struct edit *e = f->edits.v[i];

		if (e->begin < at || e->end > len) {
			*why = xasprintf("edits overlap or run past the end of the file at "
					 "offset %u", e->begin);
			ok = false;
			break;
		}
		fwrite(text + at, 1, e->begin - at, out);
		fputs(e->text, out);
		at = e->end;
	}
	if (ok)
		fwrite(text + at, 1, len - at, out);
	if (fclose(nf))
		die("%s: cannot write", newp);
	free(text);
	if (ok) {
		char *la = xasprintf("a/%s", label(f->path)), *lb = xasprintf("b/%s", label(f->path));

		qa = shell_quote(la);
		qb = shell_quote(lb);
		qo = shell_quote(orig_path);
		qn = shell_quote(newp);
		cmd = xasprintf("diff -up --label %s --label %s %s %s", qa, qb, qo, qn);
		f->diff = run_output(cmd, 1);
		if (!f->diff || !*f->diff) {
			*why = xstrdup("diff(1) failed or found no change");
			ok = false;
		}
		free(cmd);
		free(qa);
		free(qb);
		free(qo);
		free(qn);
		free(la);
		free(lb);
	}
	for (char *l = ok ? f->diff : NULL; l && *l;) {
		char *nl = strchr(l, '\n');

		if (l[0] == '+' && strncmp(l, "+++ ", 4))
			f->adds++;
		else if (l[0] == '-' && strncmp(l, "--- ", 4))
			f->dels++;
		l = nl ? nl + 1 : NULL;
	}
	unlink(newp);
	free(newp);
	free(orig_path);
	return ok;
}

/*
 * Does directory @dir of the tree only group other directories?  A
 * top-level one does when it has no C source of its own (drivers/), a
 * deeper one when its subdirectories outnumber its C sources (6.12's
 * drivers/gpu/ has buddy.c beside drm/, host1x/, vga/ and three more).
 * An unreadable directory groups nothing.
 */
static bool groups_dirs(const struct series *sr, const char *dir, bool top)
{
	char *p = tree_path(sr, dir);
	DIR *d = opendir(p);
	struct dirent *e;
	struct stat st;
	unsigned sources = 0, dirs = 0;

	free(p);
	if (!d)
		return false;
	while ((e = readdir(d))) {
		if (str_ends(e->d_name, ".c"))
			sources++;
		else if (e->d_name[0] != '.' &&
			 !fstatat(dirfd(d), e->d_name, &st, 0) && S_ISDIR(st.st_mode))
			dirs++;
	}
	closedir(d);
	return top ? !sources : dirs > sources;
}

/*
 * The subject prefix, from the tree's layout alone: the directory without
 * its leading components that only group other directories, keeping at
 * least two components where the directory has more than two
 * (drivers/gpu/drm/i915/gt -> drm/i915/gt, drivers/mmc/host -> mmc/host,
 * drivers/scsi -> scsi, fs/ext2 -> fs/ext2, net/ceph -> net/ceph).
 */
static char *subject_prefix(const struct series *sr, const char *dir)
{
	const char *s = label(dir);
	unsigned parts = 1, left;

	for (const char *p = s; *p; p++)
		parts += *p == '/';
	for (left = parts; left > 1; left--) {
		const char *sl = strchr(s, '/');
		char *lead = strndup(label(dir), (size_t)(sl - label(dir)));
		bool group = groups_dirs(sr, lead, left == parts);

		free(lead);
		if (!group || (left == 2 && parts > 2))
			break;
		s = sl + 1;
	}
	return xstrdup(s);
}

static char *dir_of(const char *path)
{
	const char *sl = strrchr(label(path), '/');

	return sl ? strndup(label(path), (size_t)(sl - label(path))) : xstrdup(".");
}

static int unit_cmp(const void *a, const void *b)
{
	return strcmp((*(struct unit *const *)a)->dir, (*(struct unit *const *)b)->dir);
}

static void group(struct series *sr)
{
	for (size_t i = 0; i < sr->files.n; i++) {
		struct pfile *f = sr->files.v[i];
		char *dir = dir_of(f->path);
		struct unit *u = NULL;

		if (!f->diff) {
			free(dir);
			continue;
		}
		for (size_t k = 0; k < sr->units.n && !u; k++)
			if (!strcmp(((struct unit *)sr->units.v[k])->dir, dir))
				u = sr->units.v[k];
		if (!u) {
			u = xcalloc(1, sizeof(*u));
			u->dir = dir;
			u->prefix = subject_prefix(sr, dir);
			vec_push(&sr->units, u);
		} else {
			free(dir);
		}
		vec_push(&u->files, f);
	}
	vec_sort(&sr->units, 0, unit_cmp);
}

/* Append @text to @f wrapped at 72 columns, first line after @lead. */
static void wrap(FILE *f, const char *lead, const char *indent, const char *text)
{
	size_t col = strlen(lead);
	const char *p = text;

	fputs(lead, f);
	while (*p) {
		size_t w = strcspn(p, " ");

		if (col > strlen(indent) && col + 1 + w > 72) {
			fprintf(f, "\n%s", indent);
			col = strlen(indent);
		} else if (col > strlen(lead) || (col > strlen(indent) && p != text)) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, w, f);
		col += w;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

static const char *const intro =
	"kmap() sets up a global mapping: on HIGHMEM systems it takes a global "
	"lock, needs a TLB flush on every CPU when the pool of mappings wraps, "
	"and may sleep until a slot is free. kmap_local_page() sets up a "
	"mapping that is valid only in the thread that made it, which is "
	"cheaper and is what every user that maps and unmaps in the same "
	"thread should use (Documentation/mm/highmem.rst).";

static const char *const intro_atomic =
	"kmap_atomic() is deprecated in favour of kmap_local_page() "
	"(Documentation/mm/highmem.rst). Besides the mapping, kmap_atomic() "
	"disables page faults and, outside PREEMPT_RT, preemption, and code "
	"between kmap_atomic() and kunmap_atomic() may depend on that; "
	"kmap_local_page() does neither, and its mapping stays valid across "
	"preemption and migration.";

static const char *const how_atomic =
	"kunmap_atomic() becomes kunmap_local(); the order of the unmaps is "
	"unchanged. Where a section relies on page faults or preemption being "
	"disabled, the explicit pagefault_disable() or preempt_disable() is "
	"added after the map and the matching enable before each unmap.";

static const char *const how =
	"kunmap_local() takes the mapped address rather than the page, and "
	"local mappings must be released in the reverse order of mapping.";

/* Why kmap() and kmap_atomic() are replaced: the paragraphs of the calls converted. */
static void write_intros(FILE *f, bool kmap, bool atomic)
{
	if (kmap) {
		wrap(f, "", "", intro);
		fputc('\n', f);
	}
	if (atomic) {
		wrap(f, "", "", intro_atomic);
		fputc('\n', f);
	}
}

static void write_body(FILE *f, const struct unit *u)
{
	bool reorder = false, discarded = false, folded = false, kmap, atomic;

	apis_of(&u->files, &kmap, &atomic);
	write_intros(f, kmap, atomic);
	wrap(f, "", "", "Each mapping converted here is used only by the thread that makes "
	     "it; as found by mapcheck:");
	fputc('\n', f);
	for (size_t i = 0; i < u->files.n; i++) {
		const struct pfile *pf = u->files.v[i];

		for (size_t k = 0; k < pf->sites.n; k++) {
			const struct site *s = pf->sites.v[k];
			char *lead = xasprintf("- %s(): ", s->function);

			wrap(f, lead, "  ", s->reason);
			free(lead);
			reorder |= s->klass == CLASS_LOCAL_REORDER;
			for (size_t e = 0; e < pf->edits.n; e++) {
				const char *t = ((struct edit *)pf->edits.v[e])->text;

				discarded |= strstr(t, " = ") != NULL;
				/* a whole map, copy, unmap made one helper call */
				folded |= str_ends(t, ");");
			}
		}
	}
	fputc('\n', f);
	if (atomic)
		wrap(f, "", "", how_atomic);
	if (kmap) {
		char *t = xasprintf("%s%s%s%s", how, reorder ? " Where the unmaps were not in "
				    "that order, they are swapped." : "", discarded ? " Where "
				    "kmap()'s return value was unused and the code called "
				    "page_address() instead, the mapped address is now kept in a "
				    "local variable and used in place of page_address()." : "",
				    folded ? " Where the page was mapped only for one memcpy() or "
				    "memset(), the helper of highmem.h that maps, copies or clears, "
				    "and unmaps in one call is used instead (memcpy_to_page() and "
				    "memzero_page() also call flush_dcache_page(), a no-op where the "
				    "data cache does not alias, as on x86)." : "");

		wrap(f, "", "", t);
		free(t);
	}
}

static void write_diffstat(FILE *f, const struct vec *files)
{
	size_t w = 0;
	unsigned adds = 0, dels = 0, bar;

	for (size_t i = 0; i < files->n; i++) {
		const struct pfile *pf = files->v[i];

		if (strlen(label(pf->path)) > w)
			w = strlen(label(pf->path));
	}
	bar = w + 8 + 10 < 79 ? (unsigned)(79 - 8 - w) : 10;
	for (size_t i = 0; i < files->n; i++) {
		const struct pfile *pf = files->v[i];
		unsigned a = pf->adds, d = pf->dels, t = a + d;

		/* the bar is scaled so that the line fits 79 columns, like git's */
		if (t > bar) {
			a = (a * bar + t - 1) / t;
			d = bar - a < d ? bar - a : d;
		}
		fprintf(f, " %-*s | %u ", (int)w, label(pf->path), pf->adds + pf->dels);
		for (unsigned k = 0; k < a; k++)
			fputc('+', f);
		for (unsigned k = 0; k < d; k++)
			fputc('-', f);
		fputc('\n', f);
		adds += pf->adds;
		dels += pf->dels;
	}
	fprintf(f, " %zu file%s changed", files->n, files->n == 1 ? "" : "s");
	if (adds)
		fprintf(f, ", %u insertion%s(+)", adds, adds == 1 ? "" : "s");
	if (dels)
		fprintf(f, ", %u deletion%s(-)", dels, dels == 1 ? "" : "s");
	fputs("\n\n", f);
}

static void write_header(FILE *f, const struct series *sr, unsigned nr, unsigned total,
			 const char *subject)
{
	fprintf(f, "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n"
		"From: %s\nDate: %s\nSubject: [PATCH %0*u/%u] %s\n\n", sr->from, sr->date,
		total >= 100 ? 3 : total >= 10 ? 2 : 1, nr, total, subject);
}

static const char *const trailer = "-- \nmapcheck " MAPCHECK_VERSION "\n\n";

/* One patch's text, without Cc lines (get_maintainer.pl reads it). */
static void write_patch(FILE *f, const struct series *sr, const struct unit *u, unsigned nr,
			unsigned total)
{
	char *subject = xasprintf("%s: %s", u->prefix, subject_of(&u->files));

	write_header(f, sr, nr, total, subject);
	write_body(f, u);
	if (u->cc && *u->cc) {
		fputc('\n', f);
		for (char *l = u->cc; *l;) {
			size_t n = strcspn(l, "\n");

			fprintf(f, "Cc: %.*s\n", (int)n, l);
			l += n;
			while (*l == '\n')
				l++;
		}
	}
	fputs("---\n", f);
	write_diffstat(f, &u->files);
	for (size_t i = 0; i < u->files.n; i++) {
		const struct pfile *pf = u->files.v[i];

		fprintf(f, "diff --git a/%s b/%s\n%s", label(pf->path), label(pf->path), pf->diff);
	}
	fputs(trailer, f);
	free(subject);
}

static char *patch_name(const char *dir, unsigned nr, const char *subject)
{
	char *name = xasprintf("%s/%04u-", dir, nr), *w;
	size_t n = strlen(name);
	bool dash = true;

	name = xrealloc(name, n + strlen(subject) + 8);
	w = name + n;
	for (const char *p = subject; *p && w - name - n < 52; p++) {
		if (ident_char(*p) || *p == '.') {
			*w++ = *p;
			dash = false;
		} else if (!dash) {
			*w++ = '-';
			dash = true;
		}
	}
	while (w > name + n && (w[-1] == '-' || w[-1] == '.'))
		w--;
	strcpy(w, ".patch");
	return name;
}

/* Cc: the tree's own scripts/get_maintainer.pl on the patch. */
static void maintainers(struct series *sr, struct unit *u, unsigned nr, unsigned total)
{
	char *p = xasprintf("%s/cc.patch", sr->tmp), *qt, *qp, *cmd;
	FILE *f = fopen(p, "w");
	char *script = path_join(sr->tree, "scripts/get_maintainer.pl");

	if (!f)
		die("%s: cannot write: %s", p, strerror(errno));
	write_patch(f, sr, u, nr, total);
	if (fclose(f))
		die("%s: cannot write", p);
	if (path_is_file(script)) {
		qt = shell_quote(sr->tree);
		qp = shell_quote(p);
		/*
		 * perl orders hash keys differently in each process, and with
		 * them get_maintainer.pl's equally ranked entries: fixed, so
		 * that the same tree gives the same series
		 */
		cmd = xasprintf("cd %s && PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0 "
				"perl scripts/get_maintainer.pl --no-git --no-rolestats "
				"%s 2>/dev/null", qt, qp);
		u->cc = run_output(cmd, 0);
		free(cmd);
		free(qt);
		free(qp);
	}
	if (!u->cc)
		sr->cc_failed = true;
	trim(u->cc);
	unlink(p);
	free(p);
	free(script);
}

static void write_cover(FILE *f, const struct series *sr)
{
	unsigned total = (unsigned)sr->units.n, nfiles = 0;
	struct vec all = { 0 };
	bool kmap, atomic;

	for (size_t i = 0; i < sr->units.n; i++) {
		const struct unit *u = sr->units.v[i];

		nfiles += u->files.n;
		for (size_t k = 0; k < u->files.n; k++)
			vec_push(&all, u->files.v[k]);
	}
	apis_of(&all, &kmap, &atomic);
	write_header(f, sr, 0, total, subject_of(&all));
	write_intros(f, kmap, atomic);
	{
		char *t = xasprintf("This series converts %u %s call sites in %u file%s, one "
				    "patch per directory. mapcheck (a libclang-based checker) found "
				    "each of them thread-local: the mapped address stays in the "
				    "function, or in callees that only use it during the call, and "
				    "is unmapped there on every path. Each patch says why for each "
				    "site. Every touched file was rewritten from the compiler's "
				    "source ranges, not from text patterns.", sr->converted,
				    kmap && atomic ? "kmap() and kmap_atomic()" :
				    atomic ? "kmap_atomic()" : "kmap()", nfiles,
				    nfiles == 1 ? "" : "s");

		wrap(f, "", "", t);
		free(t);
	}
	fputc('\n', f);
	wrap(f, "", "", "The submitter must add their own Signed-off-by: line to each patch; "
	     "mapcheck does not add one.");
	if (sr->from_placeholder)
		wrap(f, "", "", "git config user.name/user.email were not set: the From: lines are "
		     "a placeholder the submitter must replace.");
	if (sr->cc_failed)
		wrap(f, "", "", "scripts/get_maintainer.pl could not be run on some patches; they "
		     "carry no Cc: lines.");
	if (sr->skipped.n) {
		char *t = xasprintf("Not converted (%zu site%s mapcheck calls convertible, whose "
				    "rewrite it cannot make exactly; left untouched):",
				    sr->skipped.n, sr->skipped.n == 1 ? "" : "s");

		fputc('\n', f);
		wrap(f, "", "", t);
		free(t);
		for (size_t i = 0; i < sr->skipped.n; i++)
			wrap(f, "- ", "  ", sr->skipped.v[i]);
	}
	fputs("\n---\n", f);
	for (size_t i = 0; i < sr->units.n; i++) {
		const struct unit *u = sr->units.v[i];

		fprintf(f, "  %s: %s\n", u->prefix, subject_of(&u->files));
	}
	fputc('\n', f);
	write_diffstat(f, &all);
	vec_free(&all, NULL);
	fputs(trailer, f);
}

/* A file of a series: NNNN-*.patch. */
static bool series_name(const char *n)
{
	for (int i = 0; i < 4; i++)
		if (n[i] < '0' || n[i] > '9')
			return false;
	return n[4] == '-' && strlen(n) > 11 && str_ends(n, ".patch");
}

/*
 * The series replaces the whole directory (atomic.c), so a directory
 * holding anything else is refused rather than emptied of it.
 */
char *patches_dir_problem(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *why = NULL;

	if (!d)
		return path_is_dir(dir) || errno == ENOENT ? NULL :
		       xasprintf("--emit-patches %s: not a directory", dir);
	while (!why && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && !series_name(e->d_name))
			why = xasprintf("--emit-patches %s: holds '%s', not only a patch series "
					"(NNNN-*.patch); give a new or empty directory: the series "
					"replaces its content", dir, e->d_name);
	closedir(d);
	return why;
}

static void author(struct series *sr)
{
	char *name = trim(run_output("git config user.name 2>/dev/null", 0));
	char *mail = trim(run_output("git config user.email 2>/dev/null", 0));

	if (name && *name && mail && *mail) {
		sr->from = xasprintf("%s <%s>", name, mail);
	} else {
		sr->from = xstrdup("SUBMITTER NAME <submitter@example.invalid>");
		sr->from_placeholder = true;
	}
	free(name);
	free(mail);
}

static void date(struct series *sr)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t t = epoch && *epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
	char buf[64];

	strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S +0000", gmtime(&t));
	sr->date = xstrdup(buf);
}

static void collect_sites(struct series *sr, const struct report *r)
{
	for (size_t i = 0; i < r->sites.n; i++) {
		const struct site *s = r->sites.v[i];
		struct vec edits = { 0 };
		char *reason;

		if (fix_decode(s->fix, &edits, &reason)) {
			struct pfile *f = pfile_get(sr, s->file);

			vec_push(&f->sites, (void *)s);
			for (size_t k = 0; k < edits.n; k++)
				vec_push(&f->edits, edits.v[k]);
			vec_free(&edits, NULL);
		} else if (reason) {
			vec_push(&sr->skipped, xasprintf("%s:%u %s() (%s): %s", label(s->file),
							  s->line, s->function, class_name(s->klass), reason));
			free(reason);
		}
	}
}

static void free_series(struct series *sr)
{
	for (size_t i = 0; i < sr->files.n; i++) {
		struct pfile *f = sr->files.v[i];

		free(f->path);
		vec_free(&f->sites, NULL);
		vec_free(&f->edits, edit_free);
		free(f->diff);
		free(f);
	}
	vec_free(&sr->files, NULL);
	for (size_t i = 0; i < sr->units.n; i++) {
		struct unit *u = sr->units.v[i];

		free(u->dir);
		free(u->prefix);
		free(u->cc);
		vec_free(&u->files, NULL);
		free(u);
	}
	vec_free(&sr->units, NULL);
	vec_free(&sr->skipped, free);
	free(sr->from);
	free(sr->date);
	if (sr->tmp)
		rmdir(sr->tmp);
	free(sr->tmp);
}

bool emit_patches(const struct report *r, const char *tree, const char *dir, char **err)
{
	struct series sr = { .tree = tree };
	unsigned total;
	char *out, *open_err;

	phase("patches", false);
	if ((*err = patches_dir_problem(dir)))
		return false;
	/* written beside @dir, put in its place whole at the end */
	out = atomic_dir_open(dir, series_name, &open_err);
	if (!out) {
		*err = xasprintf("--emit-patches %s", open_err);
		free(open_err);
		return false;
	}
	sr.tmp = tmp_dir_new("patch");
	author(&sr);
	date(&sr);
	collect_sites(&sr, r);
	for (size_t i = 0; i < sr.files.n; i++) {
		struct pfile *f = sr.files.v[i];
		char *why = NULL;

		if (make_diff(&sr, f, &why)) {
			sr.converted += (unsigned)f->sites.n;
			continue;
		}
		for (size_t k = 0; k < f->sites.n; k++) {
			const struct site *s = f->sites.v[k];

			vec_push(&sr.skipped, xasprintf("%s:%u %s() (%s): %s", label(s->file),
							 s->line, s->function, class_name(s->klass), why));
		}
		free(why);
	}
	group(&sr);
	total = (unsigned)sr.units.n;
	for (unsigned i = 0; i < total; i++)
		maintainers(&sr, sr.units.v[i], i + 1, total);
	for (unsigned i = 0; i <= total; i++) {
		const struct unit *u = i ? sr.units.v[i - 1] : NULL;
		char *subject = u ? xasprintf("%s: %s", u->prefix, subject_of(&u->files))
				  : xstrdup("cover letter");
		char *name = patch_name(out, i, subject);
		FILE *f = fopen(name, "w");

		if (!f)
			die("%s: cannot write: %s", name, strerror(errno));
		if (i)
			write_patch(f, &sr, sr.units.v[i - 1], i, total);
		else
			write_cover(f, &sr);
		phase("patch-write", true);
		if (fclose(f))
			die("%s: cannot write", name);
		free(name);
		free(subject);
	}
	{
		size_t nfiles = 0;

		for (unsigned i = 0; i < total; i++)
			nfiles += ((struct unit *)sr.units.v[i])->files.n;
		/* a file that appeared in @dir since the check above is not removed */
		if ((*err = patches_dir_problem(dir)) ||
		    !atomic_dir_commit(out, dir, series_name, err)) {
			char *e = xasprintf("%s%s", (*err)[0] == '-' ? "" : "--emit-patches ", *err);

			free(*err);
			*err = e;
			free(out);
			free_series(&sr);
			return false;
		}
		free(out);
		fprintf(stderr, "mapcheck: %u sites converted in %zu files, %u patches in %s; "
			"%zu convertible sites not converted (see the cover letter)\n",
			sr.converted, nfiles, total, dir, sr.skipped.n);
	}
	free_series(&sr);
	return true;
}
