// SPDX-License-Identifier: GPL-2.0
/*
 * main.c: mapcheck's command line.
 *
 *   mapcheck [OPTIONS] [PATH...]            tree mode (flags from kbuild)
 *   mapcheck -p compile_commands.json ...   exact flags from a database
 *   $(CHECK) $(CHECKFLAGS) $(c_flags) f.c   kbuild's make C=1 CHECK=mapcheck
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "astdump.h"
#include "baseline.h"
#include "atomic.h"
#include "cache.h"
#include "defs.h"
#include "diff.h"
#include "flags.h"
#include "libclang.h"
#include "maintainers.h"
#include "ops.h"
#include "output.h"
#include "patch.h"
#include "pch.h"
#include "scan.h"
#include "text.h"
#include "tree.h"
#include "walk.h"

struct options {
	const char *tree, *compdb, *out, *patches;
	const char *baseline, *write_baseline, *rules, *outdir;
	const char *diff_rev, *diff_file;	/* --diff, --diff-file */
	enum format format;
	enum severity fail_on;
	bool fail_never, fail_on_set, check_mode, no_cache, no_pch, print_flags;
	int jobs;
	struct vec paths;	/* const char * */
	struct vec builds;	/* const char *: --build, in order of preference */
	struct vec cwords;	/* const char *: CHECK mode: the compiler's words */
	struct vec cflags;	/* char *: CHECK mode: those given to libclang */
	struct vec cfiles;	/* char *: CHECK mode: the files among them */
	struct vec diff_paths;	/* char *: diff mode without PATH: the changed files */
	bool paths_given;
};

static void usage(FILE *f)
{
	fputs("usage: mapcheck [OPTIONS] [PATH...]\n"
	      "  --tree DIR          kernel source root (default: found from PATH)\n"
	      "  --build DIR         configured, prepared build dir (O=); again for a\n"
	      "                      second configuration (ARCH=um), used for the\n"
	      "                      files the first does not build\n"
	      "  -p DIR|FILE         take flags from compile_commands.json\n"
	      "  --format FMT        text, json, sarif, sites or summary (default text);\n"
	      "                      maintainers, maintainers-json: per section of the\n"
	      "                      tree's MAINTAINERS (sites by class, convertible,\n"
	      "                      findings, lists)\n"
	      "  -o FILE             write the report to FILE\n"
	      "  --out-dir DIR       write report.json, report.sarif and report.txt\n"
	      "                      there, and the summary table to stdout\n"
	      "  -j N                parallel workers (default: number of CPUs)\n"
	      "  --emit-patches DIR  write kmap_local_page() conversion patches\n"
	      "  --baseline FILE     do not fail on findings listed in FILE\n"
	      "  --write-baseline FILE  list the findings of this run in FILE\n"
	      "  --fail-on LEVEL     error, warning (default) or never\n"
	      "  --diff REV          report only the findings on lines, or in functions,\n"
	      "                      that 'git diff REV' in the tree touches; without\n"
	      "                      PATH, scan the .c files it changes\n"
	      "  --diff-file PATCH   the same for the change a unified diff makes\n"
	      "  --rules DIR         rule catalogue and API tables (default: rules/ beside the binary)\n"
	      "  --no-cache          parse every file; do not read or write the result cache\n"
	      "  --no-pch            parse without the precompiled prelude of common headers\n"
	      "  --print-flags WORD...  how each compiler word after it is taken\n"
	      "                      (rules/gcc-options.tbl), and what libclang is given\n"
	      "As kbuild's checker: make C=1 CHECK=/path/to/mapcheck\n"
	      "  the compiler's words are read with rules/gcc-options.tbl (gcc and clang\n"
	      "  options, --param X=Y among them); exit 0 unless --fail-on is given\n", f);
}

static void bad_usage(const char *fmt, const char *arg)
{
	fputs("mapcheck: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (try --help)\n", stderr);
	exit(die_get_status());
}

static bool is_compiler_flag(const char *a)
{
	return str_starts(a, "-D") || str_starts(a, "-I") || !strcmp(a, "-nostdinc") ||
	       !strcmp(a, "-include") || !strcmp(a, "-isystem");
}

static const char *value(int argc, char **argv, int *i)
{
	const char *a = argv[*i], *eq = strchr(a, '=');

	if (str_starts(a, "--") && eq)
		return eq + 1;
	if (*i + 1 >= argc)
		bad_usage("option '%s' needs a value", a);
	return argv[++*i];
}

/* Our option name without any "=value". */
static bool opt_is(const char *a, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(a, name, n) && (a[n] == 0 || (a[n] == '=' && name[1] == '-'));
}

static void parse_args(int argc, char **argv, struct options *o)
{
	bool fail_on = false;

	for (int i = 1; i < argc && strcmp(argv[i], "--print-flags"); i++) {
		if (is_compiler_flag(argv[i]))
			o->check_mode = true;
		fail_on |= opt_is(argv[i], "--fail-on");
	}
	/* kbuild stops the build on a non-zero checker exit: only --fail-on may */
	if (o->check_mode && !fail_on)
		die_set_status(EXIT_CLEAN);
	o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	o->fail_on = SEV_WARNING;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--version")) {
			puts("mapcheck " MAPCHECK_VERSION);
			exit(0);
		} else if (opt_is(a, "--tree")) {
			o->tree = value(argc, argv, &i);
		} else if (opt_is(a, "--build")) {
			vec_push(&o->builds, (void *)value(argc, argv, &i));
		} else if (opt_is(a, "-p")) {
			o->compdb = value(argc, argv, &i);
		} else if (opt_is(a, "-o")) {
			o->out = value(argc, argv, &i);
		} else if (opt_is(a, "--emit-patches")) {
			o->patches = value(argc, argv, &i);
		} else if (opt_is(a, "--baseline")) {
			o->baseline = value(argc, argv, &i);
		} else if (opt_is(a, "--write-baseline")) {
			o->write_baseline = value(argc, argv, &i);
		} else if (opt_is(a, "--diff")) {
			o->diff_rev = value(argc, argv, &i);
		} else if (opt_is(a, "--diff-file")) {
			o->diff_file = value(argc, argv, &i);
		} else if (opt_is(a, "--out-dir")) {
			o->outdir = value(argc, argv, &i);
		} else if (!strcmp(a, "--no-cache")) {
			o->no_cache = true;
		} else if (!strcmp(a, "--no-pch")) {
			o->no_pch = true;
		} else if (!strcmp(a, "--print-flags")) {
			o->print_flags = true;
			for (i++; i < argc; i++)
				vec_push(&o->cwords, argv[i]);
			return;
		} else if (opt_is(a, "--rules")) {
			o->rules = value(argc, argv, &i);
		} else if (opt_is(a, "--format")) {
			const char *f = value(argc, argv, &i);

			if (!strcmp(f, "text"))
				o->format = FMT_TEXT;
			else if (!strcmp(f, "json"))
				o->format = FMT_JSON;
			else if (!strcmp(f, "sarif"))
				o->format = FMT_SARIF;
			else if (!strcmp(f, "summary"))
				o->format = FMT_SUMMARY;
			else if (!strcmp(f, "sites"))
				o->format = FMT_SITES;
			else if (!strcmp(f, "maintainers"))
				o->format = FMT_MAINTAINERS;
			else if (!strcmp(f, "maintainers-json"))
				o->format = FMT_MAINTAINERS_JSON;
			else
				bad_usage("unknown format '%s' (text, json, sarif, sites, summary, "
					  "maintainers, maintainers-json)", f);
		} else if (opt_is(a, "--fail-on")) {
			const char *f = value(argc, argv, &i);

			o->fail_on_set = true;
			if (!strcmp(f, "error"))
				o->fail_on = SEV_ERROR;
			else if (!strcmp(f, "warning"))
				o->fail_on = SEV_WARNING;
			else if (!strcmp(f, "never"))
				o->fail_never = true;
			else
				bad_usage("unknown --fail-on level '%s' (error, warning, never)", f);
		} else if (str_starts(a, "-j")) {
			const char *n = a[2] ? a + 2 : value(argc, argv, &i);
			char *end;
			long j = strtol(n, &end, 10);

			if (*end || j < 1 || j > 256)
				bad_usage("-j needs a number of workers from 1 to 256, not '%s'", n);
			o->jobs = (int)j;
		} else if (o->check_mode) {
			/*
			 * a word of the compiler's command line: an option, an
			 * option's value or the file; which, rules/gcc-options.tbl
			 * says (check_mode_words())
			 */
			vec_push(&o->cwords, argv[i]);
		} else if (a[0] == '-' && a[1]) {
			bad_usage("unknown option '%s'", a);
		} else {
			vec_push(&o->paths, (void *)a);
		}
	}
	if (o->diff_rev && o->diff_file)
		bad_usage("%s", "--diff and --diff-file: give one change");
	if (o->check_mode && (o->diff_rev || o->diff_file))
		bad_usage("%s", "--diff in kbuild's CHECK mode: a change is not one file's");
	o->paths_given = o->paths.n > 0;
	if (!o->paths.n && !o->check_mode)
		vec_push(&o->paths, ".");
}

/*
 * kbuild's CHECK mode: the compiler's words, read with the options table,
 * are the flags libclang is given and the files to check.
 */
static void check_mode_words(struct options *o, const struct rules *rs)
{
	flags_filter(rs, &o->cwords, 0, NULL, &o->cflags, &o->cfiles, true);
	for (size_t i = 0; i < o->cfiles.n; i++)
		vec_push(&o->paths, o->cfiles.v[i]);
	if (!o->paths.n)
		bad_usage("%s", "kbuild CHECK mode: no source file given");
}

/*
 * --rules, else $MAPCHECK_RULES, else rules/ beside the binary's directory,
 * else the one an installed binary was built with (RULES_DIR=, checker/Makefile).
 */
static char *find_rules(const char *given)
{
	char exe[PATH_MAX];
	ssize_t n;
	const char *env = getenv("MAPCHECK_RULES");

	if (given)
		return xstrdup(given);
	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash, *p;

		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			/* a checkout (checker/../rules), then an installed
			 * copy (bin/../share/mapcheck/rules): one binary, the
			 * same bytes either way, for the result cache's key */
			p = xasprintf("%s/../rules", exe);
			if (path_is_dir(p))
				return p;
			free(p);
			p = xasprintf("%s/../share/mapcheck/rules", exe);
			if (path_is_dir(p))
				return p;
			free(p);
		}
	}
	return *MAPCHECK_RULES_DIR ? xstrdup(MAPCHECK_RULES_DIR) : NULL;
}

/* The configurations of the run (--build), the first preferred. */
struct builds {
	struct flags_ctx *fc;
	size_t n;
};

/*
 * What the report calls each build: its architecture, or, for a second
 * build of an architecture already given, that and its directory's name.
 */
static void label_builds(struct builds *b)
{
	for (size_t k = 0; k < b->n; k++) {
		struct flags_ctx *fc = &b->fc[k];
		const char *arch = fc->arch ? fc->arch : "?", *dir = strrchr(fc->build, '/');
		bool seen = false;

		for (size_t i = 0; i < k && !seen; i++)
			seen = !strcmp(arch, b->fc[i].arch ? b->fc[i].arch : "?");
		fc->label = seen ? xasprintf("%s (%s)", arch, dir ? dir + 1 : fc->build) : xstrdup(arch);
	}
}

/* Is @rel outside arch/, or under the arch/ of one of the builds? */
static bool native(const struct builds *b, const char *rel)
{
	for (size_t k = 0; k < b->n; k++)
		if (!flags_foreign(&b->fc[k], rel))
			return true;
	return false;
}

/*
 * Parse flags for @rel (relative to the tree) from the first build whose
 * configuration builds it; a file none builds gets the first build's
 * flags and its reason.  NULL when the file is under arch/ of no build's
 * architecture, with the reason in @buf.
 */
static const char *job_flags(const struct builds *b, const char *rel, struct job *j,
			     char *buf, size_t n)
{
	const struct flags_ctx *first = NULL;

	for (size_t k = 0; k < b->n; k++) {
		struct flags_ctx *fc = &b->fc[k];

		if (flags_foreign(fc, rel))
			continue;
		if (!first) {
			first = fc;
			flags_for_file(fc, rel, &j->flags, &j->not_built);
			j->config = fc->label;
			if (!j->not_built)
				return NULL;
		} else {
			struct vec f = { 0 };
			char *why = NULL;

			flags_for_file(fc, rel, &f, &why);
			if (!why) {
				vec_free(&j->flags, free);
				free(j->not_built);
				j->flags = f;
				j->not_built = NULL;
				j->config = fc->label;
				return NULL;
			}
			vec_free(&f, free);
			free(why);
		}
	}
	if (first)
		return NULL;
	{
		const char *a = rel + 5, *end = strchr(a, '/');
		int len = snprintf(buf, n, "not built: arch/%.*s is not the architecture of "
				   "%s (", (int)(end - a), a, b->n > 1 ? "any build given" :
				   "this build");

		for (size_t k = 0; k < b->n && len > 0 && (size_t)len < n; k++)
			len += snprintf(buf + len, n - (size_t)len, "%s%s", k ? ", " : "",
					b->fc[k].arch ? b->fc[k].arch : "?");
		if (len > 0 && (size_t)len < n)
			snprintf(buf + len, n - (size_t)len, ")");
	}
	return buf;
}

/*
 * Each PATH is a directory or a regular file: a FIFO would block the read
 * and a device never end (a file of them found in a directory is skipped).
 */
static void check_path_kinds(const struct options *o)
{
	for (size_t i = 0; i < o->paths.n; i++) {
		const char *p = o->paths.v[i];
		struct stat st;

		if (stat(p, &st))
			die("%s: %s", p, errno == ENOENT ? "no such file or directory" :
			    strerror(errno));
		if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			die("%s: not a regular file or a directory (%s)", p, file_kind(st.st_mode));
	}
}

/*
 * No PATH of another kernel tree is scanned with this one's flags, and no
 * output goes into the scanned tree.
 */
static void check_places(const struct options *o, const char *tree)
{
	const char *outs[][2] = {
		{ "-o", o->out }, { "--out-dir", o->outdir }, { "--emit-patches", o->patches },
		{ "--write-baseline", o->write_baseline },
	};
	char *why;

	for (size_t i = 0; !o->check_mode && i < o->paths.n; i++)
		if ((why = tree_path_problem(o->paths.v[i], tree,
					     o->tree ? "--tree" : "the tree of the first PATH")))
			die("%s", why);
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++)
		if (outs[i][1] && (why = tree_output_problem(outs[i][0], outs[i][1], tree)))
			die("%s", why);
	/* the series replaces its directory: refused now, not after the scan */
	if (o->patches || o->outdir) {
		char *dir = o->patches ? xstrdup(o->patches) : path_join(o->outdir, "patches");

		why = patches_dir_problem(dir);
		free(dir);
		if (why)
			die("%s", why);
	}
}

/* A single file named on the command line that cannot be read is bad input. */
static void check_single_file(const char *path)
{
	char *text;
	size_t len;
	const char *why = file_problem(path, &text, &len);

	free(text);
	if (why)
		die("%s: %s", path, why);
}

/*
 * Does a header included with #include "..." from the file's directory
 * mention an API?  Then the file is parsed for that header's inline
 * functions.
 */
static bool local_header_mentions_api(const char *abs, const char *text,
				      const struct rules *rules, struct vec *read)
{
	const char *p = text;
	char *dir = xstrdup(abs), *slash = strrchr(dir, '/');
	bool found = false;

	if (slash)
		*slash = 0;
	while (!found && (p = strstr(p, "#include \""))) {
		const char *name = p + 10, *end = strchr(name, '"');
		char *rel, *path, *h;
		size_t len;
		const char *why;

		p = name;
		if (!end || memchr(name, '\n', (size_t)(end - name)))
			continue;
		rel = xasprintf("%.*s", (int)(end - name), name);
		path = path_join(dir, rel);
		vec_push(read, xstrdup(path));
		h = read_file(path, &len, &why);
		found = h && text_mentions_api(h, len, rules);
		free(h);
		free(path);
		free(rel);
	}
	free(dir);
	return found;
}

struct run {
	struct options *o;
	struct rules rules;
	struct report report;
	struct vec jobs;
	char *tree;
	struct cache *cache;	/* NULL: --no-cache */
};

/* Turn the paths into jobs, pre-filtering files that mention no API. */
static void plan(struct run *run, const struct builds *b, struct vec *compdb)
{
	struct vec files = { 0 };
	char buf[160];

	phase("prefilter", false);
	for (size_t i = 0; i < run->o->paths.n; i++) {
		const char *p = run->o->paths.v[i];
		char *real = path_resolve(p), *other = NULL;

		/* outside the tree: a directory of files of its own, not /tmp of trees */
		if (!path_is_dir(p))
			vec_push(&files, xstrdup(p));
		else if (!real || path_inside(real, run->tree))
			collect_files(p, &files);
		else if ((other = collect_files_outside(p, &files)))
			die("%s: holds the kernel tree %s, and is not in the tree scanned, %s: scan "
			    "one tree at a time", p, other, run->tree);
		free(real);
	}
	for (size_t i = 0; i < files.n; i++) {
		char *abs, *text, *rel;
		const char *why;
		size_t len;
		struct job *j;
		int seen;

		run->report.files_considered++;
		/* a file unchanged since the last run keeps its verdict, unread */
		seen = run->cache ? cache_prefilter_get(run->cache, files.v[i]) : -1;
		if (seen == 0)
			continue;
		why = file_problem(files.v[i], &text, &len);
		if (!why && seen < 0) {
			struct vec read = { 0 };
			bool yes = text_mentions_api(text, len, &run->rules) ||
				   local_header_mentions_api(files.v[i], text, &run->rules, &read);

			if (run->cache)
				cache_prefilter_put(run->cache, files.v[i], yes, &read);
			vec_free(&read, free);
			/* most files mention no API: they need no realpath() */
			if (!yes) {
				free(text);
				continue;
			}
		}
		abs = realpath(files.v[i], NULL);
		if (!abs)
			abs = xstrdup(files.v[i]);
		rel = path_relative(abs, run->tree);
		if (why) {
			/* the only file named: bad input; one found in a directory: skipped */
			if (files.n == 1 && run->o->paths.n == 1 && !path_is_dir(run->o->paths.v[0]))
				die("%s: %s", (char *)files.v[i], why);
			report_add_skip(&run->report, rel, 0, why);
			free(abs);
			free(rel);
			free(text);
			continue;
		}
		free(text);
		j = xcalloc(1, sizeof(*j));
		j->abs = abs;
		j->rel = rel;
		if (run->o->check_mode) {
			for (size_t f = 0; f < run->o->cflags.n; f++)
				vec_push(&j->flags, xstrdup(run->o->cflags.v[f]));
		} else if (compdb) {
			bool found = false;

			for (size_t k = 0; k < compdb->n && !found; k++) {
				struct compdb_entry *e = compdb->v[k];

				if (!strcmp(e->file, abs)) {
					for (size_t f = 0; f < e->flags.n; f++)
						vec_push(&j->flags, xstrdup(e->flags.v[f]));
					found = true;
				}
			}
			if (!found) {
				struct vec m = { 0 };

				find_mentions_file(abs, &run->rules, &m);
				for (size_t k = 0; k < m.n; k++)
					report_add_skip(&run->report, rel,
							((struct mention *)m.v[k])->line,
							"not built: no entry in compile_commands.json");
				vec_free(&m, free);
				job_free(j);
				continue;
			}
		} else if ((why = job_flags(b, rel, j, buf, sizeof(buf)))) {
			struct vec m = { 0 };

			find_mentions_file(abs, &run->rules, &m);
			for (size_t k = 0; k < m.n; k++)
				report_add_skip(&run->report, rel, ((struct mention *)m.v[k])->line, why);
			vec_free(&m, free);
			job_free(j);
			continue;
		}
		vec_push(&run->jobs, j);
	}
	vec_free(&files, free);
}

/*
 * The .c files that may store a function into field @key of an ops
 * structure defined in a subsystem header (ops.h): those under the
 * header's directory that name the field.
 */
static void field_jobs(struct run *run, const struct builds *b, const char *key,
		       struct vec *jobs)
{
	char *hdr = ops_key_file(key), *field = ops_key_field(key), *abs;
	struct vec files = { 0 };
	char buf[160];

	*strrchr(hdr, '/') = 0;
	abs = path_join(run->tree, hdr);
	if (path_is_dir(abs))
		collect_files(abs, &files);
	for (size_t i = 0; i < files.n; i++) {
		char *text, *rel;
		size_t len;
		struct job *j;

		if (!str_ends(files.v[i], ".c"))
			continue;
		if (file_problem(files.v[i], &text, &len) ||
		    !memmem(text, len, field, strlen(field))) {
			free(text);
			continue;
		}
		free(text);
		rel = path_relative(files.v[i], run->tree);
		if (!native(b, rel)) {
			free(rel);
			continue;
		}
		j = xcalloc(1, sizeof(*j));
		j->abs = xstrdup(files.v[i]);
		j->rel = rel;
		j->summarise = true;
		job_flags(b, rel, j, buf, sizeof(buf));
		vec_push(jobs, j);
	}
	vec_free(&files, free);
	free(abs);
	free(field);
	free(hdr);
}

/*
 * The files of the tree that define @names (at most a few each), as
 * summary jobs, and those that may store into the ops fields among them.
 */
static void definition_jobs(struct run *run, const struct builds *b, struct defs *defs,
			    struct vec *names, struct vec *dirs, struct vec *jobs)
{
	struct vec files = { 0 };
	char buf[160];

	for (size_t d = 0; d < dirs->n; d++) {
		char *abs = path_join(run->tree, dirs->v[d]);
		DIR *dh = opendir(abs);
		struct dirent *de;

		while (dh && (de = readdir(dh)))
			if (str_ends(de->d_name, ".c"))
				vec_push(&files, path_join(abs, de->d_name));
		if (dh)
			closedir(dh);
		free(abs);
	}
	vec_sort(&files, 0, cmp_strp);
	for (size_t i = 0; i < files.n; i++) {
		if (i && !strcmp(files.v[i], files.v[i - 1]))
			continue;
		char *rel = path_relative(files.v[i], run->tree);

		if (!native(b, rel) || str_starts(rel, "tools/") || str_starts(rel, "scripts/")) {
			free(rel);
			continue;
		}
		if (defs_any(defs, files.v[i], names)) {
			struct job *j = xcalloc(1, sizeof(*j));

			j->abs = xstrdup(files.v[i]);
			j->rel = rel;
			j->summarise = true;
			job_flags(b, rel, j, buf, sizeof(buf));
			vec_push(jobs, j);
		} else {
			free(rel);
		}
	}
	vec_free(&files, free);
	for (size_t i = 0; i < names->n; i++)
		if (strchr(names->v[i], '@'))
			field_jobs(run, b, names->v[i], jobs);
}

static bool wants_known(const struct report *r, const struct vec *ext)
{
	for (size_t i = 0; i < r->wanted.n; i++)
		for (size_t k = 0; k < ext->n; k++)
			if (!strcmp(((struct ext_summary *)ext->v[k])->name, r->wanted.v[i]))
				return true;
	return false;
}

/* Add a copy of @s to the set @v; true when it was not there. */
static bool add_unique(struct vec *v, const char *s)
{
	if (vec_has_str(v, s))
		return false;
	vec_push(v, xstrdup(s));
	return true;
}

/* where a subsystem keeps its helpers: the file's directory and its parent */
static void add_dirs(struct vec *dirs, const char *rel)
{
	char *dir = xstrdup(rel);

	for (int up = 0; up < 2 && strrchr(dir, '/'); up++) {
		*strrchr(dir, '/') = 0;
		add_unique(dirs, dir);
	}
	free(dir);
}

static bool same_summary(const struct ext_summary *a, const struct ext_summary *b)
{
	return fate_summary_equal(&a->sum, &b->sum) && !strcmp(a->origin, b->origin);
}

/*
 * Put @e into @ext in place of the summary of the same function and
 * argument; add its name to @changed when that changes the summary.
 */
static void ext_update(struct vec *ext, struct ext_summary *e, struct vec *changed)
{
	for (size_t i = 0; i < ext->n; i++) {
		struct ext_summary *o = ext->v[i];

		if (!strcmp(o->name, e->name) && o->arg == e->arg && !strcmp(o->origin, e->origin)) {
			if (!same_summary(o, e))
				add_unique(changed, e->name);
			ext_summary_free(o);
			ext->v[i] = e;
			return;
		}
	}
	add_unique(changed, e->name);
	vec_push(ext, e);
}

static bool wants_any(const struct vec *wanted, const struct vec *names)
{
	for (size_t i = 0; i < wanted->n; i++)
		if (vec_has_str(names, wanted->v[i]))
			return true;
	return false;
}

/*
 * The summaries of the other files' functions that decided sites.  A
 * summary can itself depend on a function of a third file, so this runs
 * in rounds: each round parses the files defining newly wanted functions
 * and summarises again the files whose summaries wanted a function whose
 * summary changed, until nothing changes or SUMMARY_ROUNDS is reached
 * (what is still unknown then stays unknown).
 */
#define SUMMARY_ROUNDS 8

static void summarise_others(struct run *run, struct scan_opts *so, const struct builds *b,
			     struct vec *names, struct vec *dirs, struct vec *ext)
{
	struct vec seen = { 0 };	/* char *: files already summarised */
	struct vec done = { 0 };	/* struct job *, with their wanted names */
	struct vec wanted_by = { 0 };	/* struct vec * per entry of done */
	struct vec fresh = { 0 };	/* names not looked up yet */
	struct vec last = { 0 };	/* names whose summary the last round changed */
	struct defs *known = defs_new();	/* what the files read so far define */

	for (size_t i = 0; i < names->n; i++)
		vec_push(&fresh, xstrdup(names->v[i]));
	for (int round = 0; round < SUMMARY_ROUNDS; round++) {
		struct vec defs = { 0 }, found = { 0 }, todo = { 0 }, changed = { 0 };
		struct vec again = { 0 };	/* char *: summarised before, asked again */
		struct report **dper;
		size_t *idx;

		if (fresh.n)
			definition_jobs(run, b, known, &fresh, dirs, &found);
		vec_free(&fresh, free);
		for (size_t i = 0; i < found.n; i++) {
			struct job *j = found.v[i];

			if (add_unique(&seen, j->rel)) {
				vec_push(&todo, j);
			} else {
				/* now wanted for an ops field too: summarised again */
				add_unique(&again, j->rel);
				job_free(j);
			}
		}
		vec_free(&found, NULL);
		/* files summarised before whose summaries wanted a function now known */
		idx = xcalloc(todo.n + done.n + 1, sizeof(*idx));
		for (size_t i = 0; i < todo.n; i++) {
			idx[defs.n] = SIZE_MAX;
			vec_push(&defs, todo.v[i]);
		}
		for (size_t i = 0; round && i < done.n; i++) {
			if (wants_any(wanted_by.v[i], &last) ||
			    vec_has_str(&again, ((struct job *)done.v[i])->rel)) {
				idx[defs.n] = i;
				vec_push(&defs, done.v[i]);
			}
		}
		vec_free(&again, free);
		if (!defs.n) {
			free(idx);
			vec_free(&todo, NULL);
			vec_free(&defs, NULL);
			break;
		}
		dper = xcalloc(defs.n, sizeof(*dper));
		for (size_t i = 0; i < defs.n; i++)
			dper[i] = xcalloc(1, sizeof(**dper));
		so->names = names;
		so->ext = ext;
		scan_run(&defs, so, dper);
		for (size_t i = 0; i < defs.n; i++) {
			struct vec *w;

			for (size_t k = 0; k < dper[i]->summaries.n; k++)
				ext_update(ext, dper[i]->summaries.v[k], &changed);
			dper[i]->summaries.n = 0;
			if (idx[i] == SIZE_MAX) {
				w = xcalloc(1, sizeof(*w));
				vec_push(&done, defs.v[i]);
				vec_push(&wanted_by, w);
			} else {
				w = wanted_by.v[idx[i]];
				vec_free(w, free);
			}
			for (size_t k = 0; k < dper[i]->wanted.n; k++) {
				add_unique(w, dper[i]->wanted.v[k]);
				if (add_unique(names, dper[i]->wanted.v[k])) {
					vec_push(&fresh, xstrdup(dper[i]->wanted.v[k]));
					add_dirs(dirs, ((struct job *)defs.v[i])->rel);
				}
			}
			report_free(dper[i]);
			free(dper[i]);
		}
		free(dper);
		free(idx);
		vec_free(&todo, NULL);
		vec_free(&defs, NULL);
		vec_free(&last, free);
		last = changed;
		if (!changed.n && !fresh.n)
			break;
	}
	so->names = NULL;
	defs_free(known);
	vec_free(&last, free);
	vec_free(&fresh, free);
	vec_free(&seen, free);
	vec_free(&done, job_free);
	for (size_t i = 0; i < wanted_by.n; i++)
		vec_free(wanted_by.v[i], free);
	vec_free(&wanted_by, free);
}

/* The sites and findings of @j's parse say which build's flags it had. */
static void label_results(struct report *r, const struct job *j)
{
	for (size_t i = 0; j->config && i < r->sites.n; i++) {
		struct site *s = r->sites.v[i];

		if (!s->config)
			s->config = xstrdup(j->config);
	}
	for (size_t i = 0; j->config && i < r->findings.n; i++) {
		struct finding *g = r->findings.v[i];

		if (!g->config)
			g->config = xstrdup(j->config);
	}
}

/*
 * Parse every job.  In tree mode, sites decided by a function of another
 * file are decided again with that function's summary: the files defining
 * those functions are parsed and summarised (summarise_others), and the
 * files whose sites wanted them are scanned again with the summaries.
 */
static void scan_all(struct run *run, struct scan_opts *so, const struct builds *b)
{
	size_t n = run->jobs.n;
	struct report **per = xcalloc(n ? n : 1, sizeof(*per));
	struct vec names = { 0 }, ext = { 0 }, again = { 0 }, dirs = { 0 };
	size_t *again_idx = xcalloc(n ? n : 1, sizeof(*again_idx));

	for (size_t i = 0; i < n; i++)
		per[i] = xcalloc(1, sizeof(**per));
	/* each file parsed once: the later passes read back the first one's tree */
	if (b)
		so->ast_dir = ast_dir_new();
	phase("parse", false);
	scan_run(&run->jobs, so, per);
	for (size_t i = 0; b && i < n; i++) {
		if (!per[i]->wanted.n)
			continue;
		for (size_t k = 0; k < per[i]->wanted.n; k++)
			add_unique(&names, per[i]->wanted.v[k]);
		add_dirs(&dirs, ((struct job *)run->jobs.v[i])->rel);
	}
	vec_sort(&names, 0, cmp_strp);
	vec_sort(&dirs, 0, cmp_strp);
	if (names.n) {
		summarise_others(run, so, b, &names, &dirs, &ext);
		/* the files whose sites now have an answer, scanned again */
		for (size_t i = 0; i < n; i++) {
			if (wants_known(per[i], &ext)) {
				again_idx[again.n] = i;
				vec_push(&again, run->jobs.v[i]);
			}
		}
		if (again.n) {
			struct report **aper = xcalloc(again.n, sizeof(*aper));

			for (size_t i = 0; i < again.n; i++)
				aper[i] = xcalloc(1, sizeof(**aper));
			so->ext = &ext;
			scan_run(&again, so, aper);
			for (size_t i = 0; i < again.n; i++) {
				report_free(per[again_idx[i]]);
				free(per[again_idx[i]]);
				per[again_idx[i]] = aper[i];
			}
			free(aper);
		}
	}
	for (size_t i = 0; i < n; i++) {
		vec_free(&per[i]->wanted, free);
		label_results(per[i], run->jobs.v[i]);
		report_merge(&run->report, per[i]);
		report_free(per[i]);
		free(per[i]);
	}
	vec_free(&run->report.wanted, free);
	if (so->ast_dir) {
		ast_dir_remove(so->ast_dir);
		free(so->ast_dir);
		so->ast_dir = NULL;
	}
	free(per);
	free(again_idx);
	vec_free(&again, NULL);
	vec_free(&ext, ext_summary_free);
	vec_free(&names, free);
	vec_free(&dirs, free);
}

static int exit_code(struct run *run)
{
	struct baseline baseline;
	bool have = false;
	char *err = NULL;
	int rc = EXIT_CLEAN;

	if (run->o->baseline) {
		if (!baseline_load(&baseline, run->o->baseline, &err))
			die("%s", err);
		have = true;
	}
	for (size_t i = 0; i < run->report.findings.n && !run->o->fail_never; i++) {
		const struct finding *f = run->report.findings.v[i];

		if (f->severity >= run->o->fail_on && !(have && baseline_has(&baseline, f)))
			rc = EXIT_FINDINGS;
	}
	if (have)
		baseline_free(&baseline);
	return rc;
}

static void write_out_dir(struct run *run)
{
	static const struct { const char *name; enum format fmt; } files[] = {
		{ "report.json", FMT_JSON }, { "report.sarif", FMT_SARIF },
		{ "report.txt", FMT_TEXT },
	};

	if (mkdir(run->o->outdir, 0777) && errno != EEXIST)
		die("%s: cannot create: %s", run->o->outdir, strerror(errno));
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *p = path_join(run->o->outdir, files[i].name);
		struct atomic_file a;
		FILE *f = atomic_open(&a, p);

		if (!f)
			die("%s: cannot write the report: %s", p, strerror(errno));
		write_report(f, &run->report, files[i].fmt, &run->rules, false);
		if (!atomic_commit(&a))
			die("%s: cannot write the report: %s", p, strerror(errno));
		free(p);
	}
	if (!run->o->out)
		run->o->format = FMT_SUMMARY;
}

/* Diff mode without PATH: the .c files the change changes lines of. */
static void diff_paths(struct options *o, const struct change *c, const char *tree)
{
	struct vec rel = { 0 };

	change_files(c, &rel);
	o->paths.n = 0;
	for (size_t i = 0; i < rel.n; i++) {
		char *p = path_join(tree, rel.v[i]);

		if (str_ends(p, ".c") && path_is_file(p)) {
			vec_push(&o->diff_paths, p);
			vec_push(&o->paths, p);
		} else {
			free(p);
		}
	}
	vec_free(&rel, NULL);
}

/* Diff mode: drop the findings the change does not touch. */
static void keep_touched(struct report *r, struct change *c)
{
	size_t j = 0;

	r->diff = xstrdup(change_what(c));
	r->diff_total = r->findings.n;
	for (size_t i = 0; i < r->findings.n; i++) {
		if (change_touches(c, r->tree, r->findings.v[i]))
			r->findings.v[j++] = r->findings.v[i];
		else
			finding_free(r->findings.v[i]);
	}
	r->findings.n = j;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct run run = { .o = &o };
	struct builds builds = { 0 };
	struct vec compdb = { 0 };
	struct scan_opts so;
	struct cache *cache;
	char *rules_dir, *err = NULL;
	double start = now_seconds();
	FILE *out = stdout;
	struct atomic_file outf;
	struct change *change = NULL;
	int rc;

	parse_args(argc, argv, &o);
	if (o.check_mode) {
		o.jobs = 1;
		/* kbuild stops on a non-zero checker exit: report, do not fail */
		if (!o.fail_on_set)
			o.fail_never = true;
	}
	rules_dir = find_rules(o.rules);
	if (!rules_dir)
		die("%s", "no rules/ beside the binary's directory: give --rules DIR "
		    "or MAPCHECK_RULES, or build with RULES_DIR=");
	if (!rules_load(&run.rules, rules_dir, &err)) {
		free(rules_dir);	/* die() exits: nothing else holds it */
		die("%s", err);
	}
	if (o.print_flags) {
		flags_explain(&run.rules, &o.cwords, stdout);
		rules_free(&run.rules);
		free(rules_dir);
		vec_free(&o.cwords, NULL);
		return fflush(stdout) ? EXIT_BAD_INPUT : EXIT_CLEAN;
	}
	if (o.check_mode)
		check_mode_words(&o, &run.rules);
	if (!libclang_load(&err))
		die("%s", err);
	run.cache = cache = o.no_cache ? NULL : cache_open(rules_dir);
	free(rules_dir);

	check_path_kinds(&o);
	if (o.tree) {
		if (!is_kernel_tree(o.tree))
			die("%s: not a kernel source tree (no Kbuild, Kconfig, "
			    "include/linux/kernel.h)", o.tree);
		run.tree = realpath(o.tree, NULL);
	} else {
		if (access(o.paths.v[0], F_OK))
			die("%s: no such file or directory", (char *)o.paths.v[0]);
		run.tree = tree_find_root(o.paths.v[0]);
		if (!run.tree)
			die("%s: not inside a kernel source tree (no Kbuild, Kconfig, "
			    "include/linux/kernel.h above it)", (char *)o.paths.v[0]);
	}
	check_places(&o, run.tree);
	if (o.format == FMT_MAINTAINERS || o.format == FMT_MAINTAINERS_JSON) {
		if (!maintainers_check(run.tree, &err))
			die("%s", err);
	}
	if (o.diff_rev || o.diff_file) {
		change = change_load(run.tree, o.diff_rev, o.diff_file, &err);
		if (!change)
			die("%s", err);
		if (!o.paths_given)
			diff_paths(&o, change, run.tree);
	}
	if (o.paths.n == 1 && path_is_file(o.paths.v[0]))
		check_single_file(o.paths.v[0]);
	else if (o.paths.n == 1 && access(o.paths.v[0], R_OK))
		check_single_file(o.paths.v[0]);

	if (o.compdb) {
		if (!compdb_load(&run.rules, o.compdb, &compdb, &err))
			die("%s", err);
	} else if (!o.check_mode) {
		size_t n = o.builds.n ? o.builds.n : 1;

		builds.fc = xcalloc(n, sizeof(*builds.fc));
		for (size_t k = 0; k < n; k++) {
			char *build = tree_build_dir(run.tree, o.builds.n ? o.builds.v[k] : NULL, &err);
			if (!build || !flags_tree_init(&builds.fc[k], &run.rules, run.tree, build, &err))
				die("%s", err);
			builds.n++;
			free(build);
		}
		label_builds(&builds);
	}
	run.report.tree = xstrdup(run.tree);
	run.report.kernel = tree_version(run.tree);
	plan(&run, &builds, o.compdb ? &compdb : NULL);

	so = (struct scan_opts){ run.tree, &run.rules, o.jobs, isatty(2) && !o.check_mode, 300,
				 NULL, NULL, cache, o.no_pch ? NULL : pch_set_new(&run.rules), NULL };
	scan_all(&run, &so, o.compdb || o.check_mode ? NULL : &builds);
	pch_set_free(so.pch);
	report_sort_unique(&run.report);
	if (change)
		keep_touched(&run.report, change);
	run.report.seconds = now_seconds() - start;

	/* one file given, and it did not parse: that is bad input, not a report */
	if (o.paths.n == 1 && path_is_file(o.paths.v[0]) && run.report.parse_errors &&
	    !o.check_mode) {
		const struct skip *k = run.report.skipped.n ? run.report.skipped.v[0] : NULL;

		die("%s: does not parse: %s", (char *)o.paths.v[0],
		    k ? k->reason : "parse errors");
	}
	if (o.patches && !emit_patches(&run.report, run.tree, o.patches, &err))
		die("%s", err);
	if (o.outdir)
		write_out_dir(&run);
	/* --out-dir DIR also writes the conversion series to DIR/patches */
	if (o.outdir && !o.patches) {
		char *dir = path_join(o.outdir, "patches");

		if (!emit_patches(&run.report, run.tree, dir, &err))
			die("%s", err);
		free(dir);
	}
	if (o.out) {
		out = atomic_open(&outf, o.out);
		if (!out)
			die("%s: cannot write the report: %s", o.out, strerror(errno));
	}
	write_report(out, &run.report, o.format, &run.rules, out == stdout && isatty(1));
	if (out != stdout && !atomic_commit(&outf))
		die("%s: cannot write the report: %s", o.out, strerror(errno));
	if (change && o.format == FMT_TEXT)
		fprintf(stderr, "mapcheck: diff mode (%s): %zu of %zu findings are on lines or in "
			"functions the change touches; only those are reported\n", run.report.diff,
			run.report.findings.n, run.report.diff_total);
	if (o.write_baseline && !baseline_write(o.write_baseline, &run.report))
		die("%s: cannot write the baseline: %s", o.write_baseline, strerror(errno));
	rc = exit_code(&run);

	cache_close(cache);
	vec_free(&run.jobs, job_free);
	report_free(&run.report);
	rules_free(&run.rules);
	for (size_t k = 0; k < builds.n; k++)
		flags_ctx_free(&builds.fc[k]);
	free(builds.fc);
	vec_free(&o.builds, NULL);
	compdb_free(&compdb);
	vec_free(&o.paths, NULL);
	vec_free(&o.cflags, free);
	vec_free(&o.cfiles, free);
	vec_free(&o.cwords, NULL);
	vec_free(&o.diff_paths, free);
	change_free(change);
	free(run.tree);
	return rc;
}
