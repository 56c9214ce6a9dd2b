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
#include <stdlib.h>
#include <string.h>

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

/* Flags that take their value as the next word. */
static const char *const with_value[] = {
	"-I", "-D", "-U", "-include", "-isystem", "-iquote", "-idirafter", "-imacros",
	NULL
};

/* Flags that only matter to code generation or warnings, and their words. */
static bool keep_flag(const char *f)
{
	static const char *const prefixes[] = {
		"-I", "-D", "-U", "-std=", "--target=", "-nostdinc", "-ffreestanding",
		"-fno-builtin", "-fshort-wchar", "-fms-extensions", "-funsigned-char",
		"-fsigned-char", "-m64", "-m32", "-mno-sse", "-mno-mmx", "-mno-3dnow",
		"-mno-avx", "-mno-80387", "-fgnu89-inline", NULL
	};

	for (int i = 0; prefixes[i]; i++)
		if (str_starts(f, prefixes[i]))
			return true;
	return false;
}

static bool takes_value(const char *f)
{
	for (int i = 0; with_value[i]; i++)
		if (!strcmp(f, with_value[i]))
			return true;
	return false;
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

/*
 * Append the parse-relevant flags of @words to @out, with paths made
 * absolute against @dir (the directory the compiler ran in).  Per-file
 * kbuild macros are dropped: flags_for_file() sets them per file.
 */
void flags_filter(struct vec *words, size_t from, const char *dir, struct vec *out)
{
	for (size_t i = from; i < words->n; i++) {
		const char *w = words->v[i];

		if (str_starts(w, "-DKBUILD_") || str_starts(w, "-D__KBUILD_MODNAME"))
			continue;
		if (takes_value(w) && i + 1 < words->n) {
			const char *v = words->v[++i];

			if (!strcmp(w, "-D") || !strcmp(w, "-U")) {
				if (!str_starts(v, "KBUILD_") && !str_starts(v, "__KBUILD_MODNAME"))
					vec_push(out, xasprintf("%s%s", w, v));
			} else {
				vec_push(out, xstrdup(w));
				vec_push(out, absolute(dir, v));
			}
			continue;
		}
		if (str_starts(w, "-I") && w[2]) {
			char *a = absolute(dir, w + 2);

			vec_push(out, xasprintf("-I%s", a));
			free(a);
			continue;
		}
		if (keep_flag(w))
			vec_push(out, xstrdup(w));
	}
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

static const char *const base_cmd_files[] = {
	"arch/x86/kernel/.asm-offsets.s.cmd",
	"kernel/.bounds.s.cmd",
	NULL
};

bool flags_tree_init(struct flags_ctx *fc, const char *tree, const char *build, char **err)
{
	struct vec words = { 0 };

	memset(fc, 0, sizeof(*fc));
	fc->tree = xstrdup(tree);
	fc->build = xstrdup(build);
	for (int i = 0; base_cmd_files[i] && !words.n; i++) {
		char *p = path_join(build, base_cmd_files[i]);

		if (!cmd_file_words(p, &words))
			vec_free(&words, free);
		free(p);
	}
	if (!words.n) {
		*err = xasprintf("%s: no kbuild command record (%s); the build directory is "
				 "not prepared: run 'make O=%s prepare'", build,
				 base_cmd_files[0], build);
		return false;
	}
	/* words[0] is the compiler */
	flags_filter(&words, 1, build, &fc->base);
	vec_free(&words, free);
	fc->config = read_file_or_empty(build, ".config");
	return true;
}

char *read_file_or_empty(const char *dir, const char *name)
{
	char *p = path_join(dir, name), *t;
	const char *why;

	t = read_file(p, NULL, &why);
	free(p);
	return t ? t : xstrdup("");
}

/* Is CONFIG_x (given as "CONFIG_x") set to y or m in .config? */
static bool config_on(const char *config, const char *sym, size_t n)
{
	char *key = xasprintf("\n%.*s=", (int)n, sym);
	const char *p = strstr(config, key);
	bool on = p && (p[strlen(key)] == 'y' || p[strlen(key)] == 'm');

	free(key);
	return on;
}

/* Replace kbuild variables we know; false if one we do not know remains. */
static char *expand(const char *w, const char *tree, const char *build, const char *dir)
{
	static const char *const vars[] = {
		"$(srctree)", "$(src)", "$(obj)", "$(objtree)", "$(srcroot)", NULL
	};
	char *out = xstrdup(w);

	for (int changed = 1; changed; ) {
		changed = 0;
		for (int i = 0; vars[i]; i++) {
			char *p = strstr(out, vars[i]), *n, *val;

			if (!p)
				continue;
			if (i == 0 || i == 4)
				val = xstrdup(tree);
			else if (i == 1)
				val = path_join(tree, dir);
			else if (i == 2)
				val = path_join(build, dir);
			else
				val = xstrdup(build);
			n = xasprintf("%.*s%s%s", (int)(p - out), out, val, p + strlen(vars[i]));
			free(val);
			free(out);
			out = n;
			changed = 1;
		}
	}
	if (strchr(out, '$')) {
		free(out);
		return NULL;
	}
	return out;
}

/*
 * Collect "ccflags-y += ..." style assignments for @var (ccflags,
 * subdir-ccflags, or CFLAGS_<obj>.o) from the Makefile or Kbuild in @dir.
 */
static void makefile_flags(struct flags_ctx *fc, const char *dir, const char *var,
			   struct vec *out)
{
	char *mk = path_join(fc->tree, dir), *path, *text;
	const char *why;
	size_t vlen = strlen(var);

	path = path_join(mk, "Kbuild");
	text = read_file(path, NULL, &why);
	if (!text) {
		free(path);
		path = path_join(mk, "Makefile");
		text = read_file(path, NULL, &why);
	}
	free(path);
	free(mk);
	if (!text)
		return;
	/* join continuation lines */
	for (char *p = text; (p = strstr(p, "\\\n")); )
		p[0] = p[1] = ' ';
	for (char *line = text, *next; line; line = next) {
		char *p = line, *val;
		struct vec words = { 0 };

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, var, vlen))
			continue;
		p += vlen;
		if (*p == '-') {
			p++;
			if (*p == 'y') {
				p++;
			} else if (str_starts(p, "$(CONFIG_")) {
				char *end = strchr(p, ')');

				if (!end || !config_on(fc->config, p + 2, (size_t)(end - p - 2)))
					continue;
				p = end + 1;
			} else {
				continue;
			}
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (str_starts(p, "+="))
			p += 2;
		else if (str_starts(p, ":="))
			p += 2;
		else if (*p == '=')
			p++;
		else
			continue;
		if ((val = strchr(p, '#')))
			*val = 0;
		shell_split(p, &words);
		for (size_t i = 0; i < words.n; i++) {
			char *e = expand(words.v[i], fc->tree, fc->build, dir);

			if (e)
				vec_push(out, e);
		}
		vec_free(&words, free);
	}
	free(text);
}

/* The flags to parse @rel (relative to the tree) with in tree mode. */
void flags_for_file(struct flags_ctx *fc, const char *rel, struct vec *out)
{
	char *dir = xstrdup(rel), *base, *slash, *obj, *mod;
	struct vec extra = { 0 };

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

	for (size_t i = 0; i < fc->base.n; i++)
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
	makefile_flags(fc, dir, "subdir-ccflags", &extra);
	makefile_flags(fc, dir, "ccflags", &extra);
	obj = xasprintf("CFLAGS_%s.o", base);
	makefile_flags(fc, dir, obj, &extra);
	free(obj);
	flags_filter(&extra, 0, fc->build, out);
	vec_free(&extra, free);

	/* what kbuild's c_flags add per file */
	vec_push(out, xasprintf("-DKBUILD_MODFILE=\"%s/%s\"", dir, base));
	vec_push(out, xasprintf("-DKBUILD_BASENAME=\"%s\"", mod));
	vec_push(out, xasprintf("-DKBUILD_MODNAME=\"%s\"", mod));
	vec_push(out, xasprintf("-D__KBUILD_MODNAME=kmod_%s", mod));
	free(mod);
	free(base);
	free(dir);
}

void flags_ctx_free(struct flags_ctx *fc)
{
	vec_free(&fc->base, free);
	free(fc->tree);
	free(fc->build);
	free(fc->config);
}
