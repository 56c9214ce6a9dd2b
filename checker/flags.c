// SPDX-License-Identifier: GPL-2.0
/*
 * flags.c: the compiler flags each file is parsed with.
 *
 * Tree mode takes the flags kbuild itself used for a C file during
 * `make prepare` (arch/x86/kernel/.asm-offsets.s.cmd), and adds what kbuild
 * adds per file: KBUILD_MODNAME and friends, and the directory's ccflags-y
 * and the subdir-ccflags-y of its parents.  compile_commands.json and
 * kbuild's CHECK= mode give exact flags.  Either way only the flags that
 * change what the preprocessor and the parser see are kept.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flags.h"

/* Split a shell command line into words (quotes and backslashes). */
void shell_split(const char *s, struct vec *out)
{
	while (*s) {
		char *w, *p;

		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		w = p = xmalloc(strlen(s) + 1);
		while (*s && !isspace((unsigned char)*s)) {
			if (*s == '\'') {
				for (s++; *s && *s != '\''; )
					*p++ = *s++;
				if (*s)
					s++;
			} else if (*s == '"') {
				for (s++; *s && *s != '"'; s++) {
					if (*s == '\\' && s[1])
						s++;
					*p++ = *s;
				}
				if (*s)
					s++;
			} else if (*s == '\\' && s[1]) {
				*p++ = s[1];
				s += 2;
			} else {
				*p++ = *s++;
			}
		}
		*p = 0;
		vec_push(out, w);
	}
}

/*
 * The compiler options of rules/gcc-options.tbl: one row a line, "option
 * kind action" (the table's head says what each means).
 */
static const char *const kind_words[] = { "flag", "next", "joined", "prefix" };
static const char *const action_words[] = { "keep", "drop", "path", "include", "macro" };

bool flags_option_row(struct rules *rs, char **col, size_t n, char **why)
{
	struct cc_option *o;
	size_t k, a;

	if (n != 3) {
		*why = xasprintf("expected 3 columns (option kind action), got %zu", n);
		return false;
	}
	if (col[0][0] != '-') {
		*why = xasprintf("'%s' is not an option (no leading '-')", col[0]);
		return false;
	}
	for (k = 0; k < sizeof(kind_words) / sizeof(kind_words[0]) && strcmp(col[1], kind_words[k]); k++)
		;
	if (k == sizeof(kind_words) / sizeof(kind_words[0])) {
		*why = xasprintf("bad kind '%s' (flag, next, joined or prefix)", col[1]);
		return false;
	}
	for (a = 0; a < sizeof(action_words) / sizeof(action_words[0]) &&
		    strcmp(col[2], action_words[a]); a++)
		;
	if (a == sizeof(action_words) / sizeof(action_words[0]) && (col[2][0] != '=' || !col[2][1])) {
		*why = xasprintf("bad action '%s' (keep, drop, path, include, macro or =WORD)", col[2]);
		return false;
	}
	if ((a == OPT_PATH || a == OPT_INCLUDE || a == OPT_MACRO) &&
	    (k == OPT_FLAG || k == OPT_PREFIX)) {
		*why = xasprintf("action '%s' needs a value: kind next or joined, not %s",
				 col[2], col[1]);
		return false;
	}
	for (size_t i = 0; i < rs->cc_options.n; i++) {
		const struct cc_option *p = rs->cc_options.v[i];

		if (!strcmp(p->name, col[0])) {
			*why = xasprintf("option '%s' listed twice", col[0]);
			return false;
		}
	}
	o = xcalloc(1, sizeof(*o));
	o->name = xstrdup(col[0]);
	o->kind = (enum opt_kind)k;
	o->action = a < sizeof(action_words) / sizeof(action_words[0]) ? (enum opt_action)a : OPT_AS;
	o->as = o->action == OPT_AS ? xstrdup(col[2] + 1) : NULL;
	vec_push(&rs->cc_options, o);
	return true;
}

void flags_option_free(void *p)
{
	struct cc_option *o = p;

	free(o->name);
	free(o->as);
	free(o);
}

/*
 * The row that takes words[i]: the exact one (flag, next) of its spelling,
 * else the joined or prefix row of the longest option it starts with;
 * NULL for an option no row takes, and for a word that is no option.
 * *@used is the number of words taken (the next one is a next row's
 * value, and a joined row's when the word is the option alone), and
 * *@val the value (NULL when none).
 */
static const struct cc_option *take(const struct rules *rs, const struct vec *words, size_t i,
				    size_t *used, const char **val)
{
	const char *w = words->v[i];
	const struct cc_option *best = NULL;
	size_t best_len = 0;

	*used = 1;
	*val = NULL;
	if (w[0] != '-' || !w[1])
		return NULL;
	for (size_t k = 0; k < rs->cc_options.n; k++) {
		const struct cc_option *o = rs->cc_options.v[k];
		size_t n = strlen(o->name);

		if ((o->kind == OPT_FLAG || o->kind == OPT_NEXT) && !strcmp(w, o->name)) {
			best = o;
			break;
		}
		if ((o->kind == OPT_JOINED || o->kind == OPT_PREFIX) && n > best_len &&
		    !strncmp(w, o->name, n)) {
			best = o;
			best_len = n;
		}
	}
	if (!best)
		return NULL;
	if (best->kind == OPT_NEXT || (best->kind == OPT_JOINED && !w[strlen(best->name)])) {
		if (i + 1 < words->n) {
			*used = 2;
			*val = words->v[i + 1];
		}
	} else if (best->kind == OPT_JOINED) {
		*val = w + strlen(best->name);
	}
	return best;
}

/* Is @v the name of a macro kbuild sets per file (flags_for_file() sets them)? */
static bool kbuild_macro(const char *v)
{
	return str_starts(v, "KBUILD_") || str_starts(v, "__KBUILD_MODNAME");
}

static char *absolute(const char *dir, const char *p)
{
	if (p[0] == '/' || !dir)
		return xstrdup(p);
	if (str_starts(p, "./"))
		p += 2;
	if (!*p || !strcmp(p, "."))
		return xstrdup(dir);
	return path_join(dir, p);
}

static bool file_under(const char *dir, const char *p)
{
	char *a = absolute(dir, p);
	bool yes = access(a, F_OK) == 0;

	free(a);
	return yes;
}

/*
 * Append the parse-relevant flags of @words, from index @from, to @out as
 * rules/gcc-options.tbl says, with paths made absolute against @dir (the
 * directory the compiler ran in; NULL: as they are).  The words that are
 * no option nor an option's value (the source file) go to @files, unless
 * it is NULL.  kbuild's per-file macros (KBUILD_MODNAME and friends) are
 * kept when @file_macros (the command line is the file's own), else
 * dropped: flags_for_file() sets them per file.
 */
void flags_filter(const struct rules *rs, const struct vec *words, size_t from, const char *dir,
		  struct vec *out, struct vec *files, bool file_macros)
{
	for (size_t i = from, used; i < words->n; i += used) {
		const char *w = words->v[i], *v;
		const struct cc_option *o = take(rs, words, i, &used, &v);
		size_t n = o ? strlen(o->name) : 0;

		if (!o) {
			if (files && (w[0] != '-' || !w[1]))
				vec_push(files, xstrdup(w));
			continue;
		}
		switch (o->action) {
		case OPT_KEEP:
			for (size_t k = 0; k < used; k++)
				vec_push(out, xstrdup(words->v[i + k]));
			break;
		case OPT_DROP:
			break;
		case OPT_AS:
			vec_push(out, xstrdup(o->as));
			break;
		case OPT_MACRO:
			if (v && (file_macros || !kbuild_macro(v)))
				vec_push(out, xasprintf("%.*s%s", (int)n, o->name, v));
			break;
		case OPT_PATH:
			if (!v)
				break;
			if (used == 2) {
				vec_push(out, xstrdup(o->name));
				vec_push(out, absolute(dir, v));
			} else {
				char *a = absolute(dir, v);

				vec_push(out, xasprintf("%.*s%s", (int)n, o->name, a));
				free(a);
			}
			break;
		case OPT_INCLUDE:
			if (!v)
				break;
			vec_push(out, xstrdup(o->name));
			/* not in the directory the compiler ran in: found on the -I path */
			if (v[0] != '/' && dir && !file_under(dir, v))
				vec_push(out, xstrdup(v));
			else
				vec_push(out, absolute(dir, v));
			break;
		}
	}
}

/*
 * mapcheck --print-flags: how each of @words is taken, a line each
 * ("ACTION ROW WORDS"), then the flags libclang is given.
 */
void flags_explain(const struct rules *rs, const struct vec *words, FILE *f)
{
	struct vec out = { 0 }, files = { 0 };

	for (size_t i = 0, used; i < words->n; i += used) {
		const char *w = words->v[i], *v;
		const struct cc_option *o = take(rs, words, i, &used, &v);
		const char *what = !o ? (w[0] == '-' && w[1] ? "unknown" : "file") :
				   o->action == OPT_AS ? "as" : action_words[o->action];

		fprintf(f, "%-8s %-28s %s%s%s%s%s\n", what, o ? o->name : "-", w,
			used == 2 ? " " : "", used == 2 ? (const char *)words->v[i + 1] : "",
			o && o->action == OPT_AS ? " -> " : "", o && o->action == OPT_AS ? o->as : "");
	}
	flags_filter(rs, words, 0, NULL, &out, &files, true);
	fputs("libclang:", f);
	for (size_t i = 0; i < out.n; i++)
		fprintf(f, " %s", (char *)out.v[i]);
	fputc('\n', f);
	vec_free(&out, free);
	vec_free(&files, free);
}

/* The words of "cmd_x := ..." or "savedcmd_x := ..." in a kbuild .cmd file. */
static bool cmd_file_words(const char *path, struct vec *out)
{
	const char *why;
	char *text = read_file(path, NULL, &why), *p, *nl;

	if (!text)
		return false;
	p = strstr(text, " := ");
	if (!p) {
		free(text);
		return false;
	}
	p += 4;
	nl = strchr(p, '\n');
	if (nl)
		*nl = 0;
	shell_split(p, out);
	free(text);
	return out->n > 1;
}

/*
 * The flags kbuild used for arch/$(SRCARCH)/kernel/asm-offsets.c during
 * `make prepare`: every C file of the configuration starts from them.
 * The directory it is in names the build's architecture.
 */
static bool base_words(const char *build, struct vec *words, char **arch)
{
	char *dir = path_join(build, "arch");
	DIR *dh = opendir(dir);
	struct dirent *de;

	while (dh && !words->n && (de = readdir(dh))) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s/kernel/.asm-offsets.s.cmd", dir, de->d_name);
		if (cmd_file_words(p, words))
			*arch = xstrdup(de->d_name);
		else
			vec_free(words, free);
		free(p);
	}
	if (dh)
		closedir(dh);
	free(dir);
	if (!words->n) {
		char *p = path_join(build, "kernel/.bounds.s.cmd");

		if (!cmd_file_words(p, words))
			vec_free(words, free);
		free(p);
	}
	return words->n > 0;
}

bool flags_tree_init(struct flags_ctx *fc, const struct rules *rs, const char *tree,
		     const char *build, char **err)
{
	struct vec words = { 0 };

	memset(fc, 0, sizeof(*fc));
	fc->rs = rs;
	fc->tree = xstrdup(tree);
	fc->build = xstrdup(build);
	if (!base_words(build, &words, &fc->arch)) {
		*err = xasprintf("%s: no kbuild command record (arch/*/kernel/.asm-offsets.s.cmd); "
				 "the build directory is not prepared: run 'make O=%s prepare'",
				 build, build);
		return false;
	}
	/* words[0] is the compiler */
	flags_filter(rs, &words, 1, build, &fc->base, NULL, false);
	vec_free(&words, free);
	fc->config = read_file_or_empty(build, ".config");
	return true;
}

/*
 * Is @rel under arch/<B>/ for another architecture than the build's?  A
 * directory of another architecture that kbuild built into this
 * configuration (UML builds arch/x86/um/) has its built-in.a in the build
 * directory, and is not foreign.
 */
bool flags_foreign(const struct flags_ctx *fc, const char *rel)
{
	const char *a = rel + 5, *end, *slash;
	char *built;
	bool yes;

	if (!str_starts(rel, "arch/") || !(end = strchr(a, '/')))
		return false;
	if (fc->arch && strlen(fc->arch) == (size_t)(end - a) &&
	    !strncmp(a, fc->arch, (size_t)(end - a)))
		return false;
	slash = strrchr(rel, '/');
	built = xasprintf("%s/%.*s/built-in.a", fc->build, (int)(slash - rel), rel);
	yes = access(built, F_OK) != 0;
	free(built);
	return yes;
}

char *read_file_or_empty(const char *dir, const char *name)
{
	char *p = path_join(dir, name), *t;
	const char *why;

	t = read_file(p, NULL, &why);
	free(p);
	return t ? t : xstrdup("");
}

/* Is CONFIG_x (given as "CONFIG_x", @n long) set to y or m in .config? */
/* 'y', 'm', or 0 when the symbol is not set. */
static char config_value(const char *config, const char *sym, size_t n)
{
	char *key = xasprintf("\n%.*s=", (int)n, sym);
	const char *p = strstr(config, key);
	char v = p && (p[strlen(key)] == 'y' || p[strlen(key)] == 'm') ? p[strlen(key)] : 0;

	free(key);
	return v;
}

static bool config_on(const char *config, const char *sym, size_t n)
{
	return config_value(config, sym, n) != 0;
}

/* Makefile variables: NAME = value, with the kbuild ones seeded. */
struct mkvars {
	struct vec names, values;	/* char * */
};

static const char *mkvar_get(const struct mkvars *v, const char *name, size_t n)
{
	for (size_t i = v->names.n; i-- > 0; )
		if (strlen(v->names.v[i]) == n && !strncmp(v->names.v[i], name, n))
			return v->values.v[i];
	return NULL;
}

static void mkvar_set(struct mkvars *v, const char *name, size_t n, const char *val, bool append)
{
	const char *old = mkvar_get(v, name, n);
	char *nv = append && old ? xasprintf("%s %s", old, val) : xstrdup(val);

	vec_push(&v->names, xasprintf("%.*s", (int)n, name));
	vec_push(&v->values, nv);
}

static void mkvars_free(struct mkvars *v)
{
	vec_free(&v->names, free);
	vec_free(&v->values, free);
}

/*
 * The longest expansion taken.  A kbuild variable is at most a few
 * kilobytes; a Makefile whose lines each double one ("A += $(A)") would
 * otherwise take all memory in forty lines.  Longer is taken as unknown.
 */
#define EXPAND_MAX (64 * 1024)

/* Expand $(VAR) from @v; NULL if a variable we do not know remains. */
static char *expand(const char *w, const struct mkvars *v)
{
	char *out = xstrdup(w), *p;

	/* 6.1 writes $(srctree)/$(src), 6.12 $(src): both are the source dir */
	while ((p = strstr(out, "$(srctree)/$(src)")) || (p = strstr(out, "$(srctree)/$(obj)"))) {
		char *n = xasprintf("%.*s$(src)%s", (int)(p - out), out, p + 17);

		free(out);
		out = n;
	}

	for (int round = 0; round < 4096; round++) {
		char *p = strstr(out, "$("), *end, *n;
		const char *val;

		if (!p)
			return out;
		end = strchr(p, ')');
		if (!end)
			break;
		val = mkvar_get(v, p + 2, (size_t)(end - p - 2));
		if (!val || strlen(out) + strlen(val) > EXPAND_MAX)
			break;
		n = xasprintf("%.*s%s%s", (int)(p - out), out, val, end + 1);
		free(out);
		out = n;
	}
	free(out);
	return NULL;
}

static void seed_vars(struct flags_ctx *fc, const char *dir, struct mkvars *v)
{
	char *src = path_join(fc->tree, dir), *obj = path_join(fc->build, dir);

	mkvar_set(v, "srctree", 7, fc->tree, false);
	mkvar_set(v, "srcroot", 7, fc->tree, false);
	mkvar_set(v, "objtree", 7, fc->build, false);
	/* $(srctree)/$(src) (6.1) and $(src) (6.12) both name the source dir */
	mkvar_set(v, "src", 3, src, false);
	mkvar_set(v, "obj", 3, obj, false);
	mkvar_set(v, "SRCARCH", 7, "x86", false);
	mkvar_set(v, "ARCH", 4, "x86", false);
	free(src);
	free(obj);
}

/* The Makefile (or Kbuild) of @dir, with continuation lines joined. */
static char *read_makefile(struct flags_ctx *fc, const char *dir)
{
	char *mk = path_join(fc->tree, dir), *path, *text;
	const char *why;

	path = path_join(mk, "Kbuild");
	text = read_file(path, NULL, &why);
	if (!text) {
		free(path);
		path = path_join(mk, "Makefile");
		text = read_file(path, NULL, &why);
	}
	free(path);
	free(mk);
	if (text)
		for (char *p = text; (p = strstr(p, "\\\n")); )
			p[0] = p[1] = ' ';
	return text;
}

/*
 * Collect "ccflags-y += ..." style assignments for @var (ccflags,
 * subdir-ccflags, or CFLAGS_<obj>.o) from the Makefile or Kbuild in @dir,
 * expanding the variables that Makefile sets.
 */
static void makefile_flags(struct flags_ctx *fc, const char *dir, const char *var,
			   struct vec *out)
{
	char *text = read_makefile(fc, dir);
	struct mkvars vars = { { 0 }, { 0 } };
	size_t vlen = strlen(var);

	if (!text)
		return;
	seed_vars(fc, dir, &vars);
	if (!strcmp(dir, "."))
		dir = "";
	for (char *line = text, *next; line; line = next) {
		char *p = line, *name, *val;
		struct vec words = { 0 };
		bool append = false, ours;
		size_t n;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if ((val = strchr(p, '#')))
			*val = 0;
		name = p;
		while (*p && (isalnum((unsigned char)*p) || strchr("_-$()", *p)))
			p++;
		n = (size_t)(p - name);
		while (*p == ' ' || *p == '\t')
			p++;
		if (str_starts(p, "+=")) {
			append = true;
			p += 2;
		} else if (str_starts(p, ":=") || str_starts(p, "?=")) {
			p += 2;
		} else if (*p == '=') {
			p++;
		} else {
			continue;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		ours = !strncmp(name, var, vlen) &&
		       (n == vlen || !strncmp(name + vlen, "-y", n - vlen) ||
			(str_starts(name + vlen, "-$(CONFIG_") &&
			 config_on(fc->config, name + vlen + 3, n - vlen - 4)));
		if (!ours) {
			/* a plain variable other lines may use */
			bool plain = n && !memchr(name, '$', n) && !memchr(name, '-', n);

			if (plain) {
				char *e = expand(p, &vars);

				if (e) {
					mkvar_set(&vars, name, n, e, append);
					free(e);
				}
			}
			continue;
		}
		shell_split(p, &words);
		for (size_t i = 0; i < words.n; i++) {
			char *e = expand(words.v[i], &vars);

			if (e)
				shell_split(e, out);
			free(e);
		}
		vec_free(&words, free);
	}
	mkvars_free(&vars);
	free(text);
}

static bool has_makefile(struct flags_ctx *fc, const char *dir)
{
	char *t = read_makefile(fc, dir);

	free(t);
	return t != NULL;
}

/*
 * The CONFIG_ symbol that builds @base.o in @dir's Makefile ("" for
 * obj-y), following one level of composite objects (foo-y += base.o);
 * *@module is then the composite's name (foo), what kbuild calls the module.
 */
static char *object_config(struct flags_ctx *fc, const char *dir, const char *base,
			   char **module)
{
	char *text = read_makefile(fc, dir), *obj = xasprintf("%s.o", base), *found = NULL;

	for (int level = 0; text && level < 2 && !found; level++) {
		char *composite = NULL;

		for (char *line = text; line && !found; ) {
			char *end = strchr(line, '\n'), *hit;
			size_t len = end ? (size_t)(end - line) : strlen(line);

			hit = memmem(line, len, obj, strlen(obj));
			if (hit && (hit == line || hit[-1] == ' ' || hit[-1] == '\t' || hit[-1] == '/' ||
				    hit[-1] == '=')) {
				if (str_starts(line, "obj-y") || str_starts(line, "lib-y"))
					found = xstrdup("");
				else if (str_starts(line, "obj-$(CONFIG_")) {
					char *c = strchr(line, ')');

					if (c)
						found = xasprintf("%.*s", (int)(c - line - 6), line + 6);
				} else if (!composite) {
					char *dash = memchr(line, '-', len);

					if (dash && dash > line)
						composite = xasprintf("%.*s.o", (int)(dash - line), line);
				}
			}
			line = end ? end + 1 : NULL;
		}
		if (found && level) {
			free(*module);
			*module = xasprintf("%.*s", (int)(strlen(obj) - 2), obj);
		}
		free(obj);
		obj = composite ? composite : xstrdup("\001");
	}
	free(obj);
	free(text);
	return found;
}

/* The flags to parse @rel (relative to the tree) with in tree mode. */
void flags_for_file(struct flags_ctx *fc, const char *rel, struct vec *out, char **not_built)
{
	char *dir = xstrdup(rel), *base, *slash, *obj, *mod, *mkdir, *module;
	struct vec extra = { 0 }, words = { 0 };
	bool is_module = false, exact;

	slash = strrchr(dir, '/');
	base = xstrdup(slash ? slash + 1 : rel);
	if (slash)
		*slash = 0;
	else
		strcpy(dir, ".");
	if (str_ends(base, ".c"))
		base[strlen(base) - 2] = 0;
	mod = xstrdup(base);
	for (char *p = mod; *p; p++)
		if (*p == '-')
			*p = '_';

	/* an object kbuild compiled in this build: its exact flags */
	obj = xasprintf("%s/%s/.%s.o.cmd", fc->build, dir, base);
	exact = cmd_file_words(obj, &words);
	free(obj);
	if (exact)
		flags_filter(fc->rs, &words, 1, fc->build, out, NULL, false);
	vec_free(&words, free);
	for (size_t i = 0; !exact && i < fc->base.n; i++)
		vec_push(out, xstrdup(fc->base.v[i]));

	/* subdir-ccflags-y of every parent, then the directory's own */
	for (char *p = dir; ; ) {
		char *end = strchr(p, '/');
		char *sub = end ? xasprintf("%.*s", (int)(end - dir), dir) : xstrdup(dir);

		if (end)
			makefile_flags(fc, sub, "subdir-ccflags", &extra);
		free(sub);
		if (!end)
			break;
		p = end + 1;
	}
	/* a file in a directory without a Makefile is built by an ancestor's */
	mkdir = xstrdup(dir);
	while (!has_makefile(fc, mkdir) && strrchr(mkdir, '/'))
		*strrchr(mkdir, '/') = 0;
	makefile_flags(fc, dir, "subdir-ccflags", &extra);
	makefile_flags(fc, mkdir, "ccflags", &extra);
	obj = xasprintf("CFLAGS_%s.o", base);
	makefile_flags(fc, mkdir, obj, &extra);
	free(obj);
	module = xstrdup(base);
	{
		char *cfg = object_config(fc, mkdir, base, &module);

		/* kbuild: -DMODULE for the objects of a module (obj-m) */
		is_module = cfg && *cfg && config_value(fc->config, cfg, strlen(cfg)) == 'm';
		if (cfg && *cfg && !config_on(fc->config, cfg, strlen(cfg)))
			*not_built = xasprintf("not built: %s is not set in this configuration",
					       cfg);
		else if (!cfg)
			*not_built = xasprintf("not built on its own: %s.o is not in %s's "
					       "Makefile (a file #included by another?)", base,
					       mkdir);
		free(cfg);
	}
	free(mkdir);
	if (!exact)
		flags_filter(fc->rs, &extra, 0, fc->build, out, NULL, false);
	vec_free(&extra, free);

	/* what kbuild's c_flags add per file: the module's name, not the file's */
	if (is_module && !exact)
		vec_push(out, xstrdup("-DMODULE"));
	vec_push(out, xasprintf("-DKBUILD_MODFILE=\"%s/%s\"", dir, module));
	for (char *p = module; *p; p++)
		if (*p == '-')
			*p = '_';
	vec_push(out, xasprintf("-DKBUILD_BASENAME=\"%s\"", mod));
	vec_push(out, xasprintf("-DKBUILD_MODNAME=\"%s\"", module));
	vec_push(out, xasprintf("-D__KBUILD_MODNAME=kmod_%s", module));
	free(module);
	free(mod);
	free(base);
	free(dir);
}

void flags_ctx_free(struct flags_ctx *fc)
{
	vec_free(&fc->base, free);
	free(fc->arch);
	free(fc->label);
	free(fc->tree);
	free(fc->build);
	free(fc->config);
}
