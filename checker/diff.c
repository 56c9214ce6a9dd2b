// SPDX-License-Identifier: GPL-2.0
/*
 * diff.c: diff mode (--diff REV, --diff-file PATCH): what a change touches,
 * and which findings are about it.
 *
 * The change is a unified diff: `git diff REV` in the tree (a git checkout;
 * paths relative to the tree), or a patch file (git's a/ and b/ prefixes
 * dropped).  Of each file it changes, the lines of the new version it adds
 * are touched, and a removal touches the lines on either side of it.  A
 * finding is about the change when its line or a line of its evidence in
 * the same file is touched, or when a touched line is inside the function
 * the finding is in.  A function is found in the new file's text as kernel
 * style writes one: a header starting in column 0, then "{" in column 0
 * (or at the end of a header line), up to the next "}" in column 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diff.h"

struct changed_file {
	char *path;		/* relative to the tree */
	struct vec lines;	/* unsigned, as uintptr_t: touched new-side lines */
	bool functions_known;
	struct vec fn_names;	/* char *: the functions touched lines are in */
};

struct change {
	char *what;		/* "--diff REV" or "--diff-file PATCH", for the summary */
	struct vec files;	/* struct changed_file * */
};

static struct changed_file *file_of(struct change *c, const char *path)
{
	struct changed_file *f;

	for (size_t i = 0; i < c->files.n; i++) {
		f = c->files.v[i];
		if (!strcmp(f->path, path))
			return f;
	}
	f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(path);
	vec_push(&c->files, f);
	return f;
}

static void touch(struct changed_file *f, unsigned long line)
{
	if (line)
		vec_push(&f->lines, (void *)(uintptr_t)line);
}

/* The path of a "+++ " line: to the first tab, git's b/ prefix dropped. */
static char *new_path(const char *s)
{
	size_t n = strcspn(s, "\t\r\n");

	if (n >= 2 && (s[0] == 'b' || s[0] == 'a') && s[1] == '/') {
		s += 2;
		n -= 2;
	}
	while (n > 2 && s[0] == '.' && s[1] == '/') {
		s += 2;
		n -= 2;
	}
	return xasprintf("%.*s", (int)n, s);
}

/* Read the unified diff @text into @c. */
static bool parse(struct change *c, char *text, char **err)
{
	struct changed_file *cur = NULL;
	unsigned long line = 0;
	bool in_hunk = false;
	unsigned lineno = 0;

	for (char *l = text, *next; l; l = next) {
		next = strchr(l, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		if (str_starts(l, "+++ ")) {
			char *p = new_path(l + 4);

			cur = strcmp(p, "/dev/null") ? file_of(c, p) : NULL;
			free(p);
			in_hunk = false;
		} else if (str_starts(l, "@@ ")) {
			char *plus = strstr(l, " +"), *end;

			if (!plus) {
				*err = xasprintf("line %u: a hunk header without its +LINE", lineno);
				return false;
			}
			line = strtoul(plus + 2, &end, 10);
			if (end == plus + 2) {
				*err = xasprintf("line %u: a hunk header without its +LINE", lineno);
				return false;
			}
			in_hunk = true;
		} else if (in_hunk && cur && l[0] == '+') {
			touch(cur, line++);
		} else if (in_hunk && cur && l[0] == '-') {
			/* a removal: the lines on either side of where it was */
			touch(cur, line ? line - 1 : 0);
			touch(cur, line);
		} else if (in_hunk && l[0] == ' ') {
			line++;
		} else if (in_hunk && l[0] != '\\') {
			in_hunk = false;
		}
	}
	return true;
}

/* The standard output of `git -C @tree diff --relative REV` (to free), or NULL. */
static char *git_diff(const char *tree, const char *rev, char **err)
{
	char *argv[] = { "git", "-C", (char *)tree, "diff", "--no-color", "--no-ext-diff",
			 "--relative", "-U0", (char *)rev, "--", NULL };
	int fd[2], status;
	size_t len = 0, cap = 1 << 16;
	char *out;
	ssize_t n;
	pid_t pid;

	if (pipe(fd))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execvp("git", argv);
		_exit(127);
	}
	close(fd[1]);
	out = xmalloc(cap);
	while ((n = read(fd[0], out + len, cap - len - 1)) > 0 || (n < 0 && errno == EINTR)) {
		if (n < 0)
			continue;
		len += (size_t)n;
		if (cap - len < 4096)
			out = xrealloc(out, cap *= 2);
	}
	out[len] = 0;
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		*err = xasprintf("--diff %s: 'git -C %s diff %s' failed (%s): the tree must be a git "
				 "checkout and %s a revision of it", rev, tree, rev,
				 WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "no git" :
				 "see its message above", rev);
		free(out);
		return NULL;
	}
	return out;
}

struct change *change_load(const char *tree, const char *rev, const char *patch, char **err)
{
	struct change *c = xcalloc(1, sizeof(*c));
	const char *why;
	char *text, *perr = NULL;

	if (rev) {
		text = git_diff(tree, rev, err);
		c->what = xasprintf("--diff %s", rev);
	} else {
		text = read_file(patch, NULL, &why);
		if (!text)
			*err = xasprintf("--diff-file %s: %s", patch, why);
		c->what = xasprintf("--diff-file %s", patch);
	}
	if (!text) {
		change_free(c);
		return NULL;
	}
	if (!parse(c, text, &perr)) {
		*err = xasprintf("%s: not a unified diff: %s", c->what, perr);
		free(perr);
		free(text);
		change_free(c);
		return NULL;
	}
	free(text);
	return c;
}

const char *change_what(const struct change *c)
{
	return c->what;
}

void change_files(const struct change *c, struct vec *out)
{
	for (size_t i = 0; i < c->files.n; i++) {
		const struct changed_file *f = c->files.v[i];

		if (f->lines.n)
			vec_push(out, f->path);
	}
}

static bool line_touched(const struct changed_file *f, unsigned line)
{
	for (size_t i = 0; i < f->lines.n; i++)
		if ((uintptr_t)f->lines.v[i] == line)
			return true;
	return false;
}

/* The identifier before the first '(' of @s..@end, or NULL. */
static char *header_name(const char *s, const char *end)
{
	const char *paren = memchr(s, '(', (size_t)(end - s)), *b;

	if (!paren)
		return NULL;
	while (paren > s && (paren[-1] == ' ' || paren[-1] == '\t'))
		paren--;
	for (b = paren; b > s && (b[-1] == '_' || (b[-1] >= 'a' && b[-1] <= 'z') ||
				  (b[-1] >= 'A' && b[-1] <= 'Z') || (b[-1] >= '0' && b[-1] <= '9')); b--)
		;
	return b < paren ? xasprintf("%.*s", (int)(paren - b), b) : NULL;
}

/* Which functions of @f's new text (under @tree) its touched lines are in. */
static void find_functions(struct changed_file *f, const char *tree)
{
	char *path = path_join(tree, f->path), *text;
	const char *why;
	struct vec starts = { 0 };	/* const char *: each line's start */
	size_t n;

	f->functions_known = true;
	text = read_file(path, NULL, &why);
	free(path);
	if (!text)
		return;
	for (char *p = text; *p; ) {
		char *nl = strchr(p, '\n');

		vec_push(&starts, p);
		p = nl ? nl + 1 : p + strlen(p);
	}
	n = starts.n;
	for (size_t i = 0; i < n; i++) {
		const char *l = starts.v[i], *le = i + 1 < n ? starts.v[i + 1] : l + strlen(l);
		size_t head = i, end;
		char *name;
		bool open = l[0] == '{';

		/* "type name(args) {" on one line, in column 0 */
		if (!open && l[0] && l[0] != ' ' && l[0] != '\t' && l[0] != '#' && l[0] != '}' &&
		    memchr(l, '(', (size_t)(le - l))) {
			const char *e = le;

			while (e > l && (e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
				e--;
			open = e > l && e[-1] == '{';
		}
		if (!open)
			continue;
		if (l[0] == '{') {
			/* the header: the lines above, back to a blank line or the end of something */
			while (head > 0) {
				const char *h = starts.v[head - 1], *he = starts.v[head];
				const char *e = he;

				while (e > h && (e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t' ||
						 e[-1] == '\r'))
					e--;
				if (e == h || h[0] == '#' || h[0] == '}' || e[-1] == ';' || e[-1] == '}' ||
				    (e - h >= 2 && e[-2] == '*' && e[-1] == '/'))
					break;
				head--;
			}
		}
		if (head == i && l[0] == '{')
			continue;
		name = header_name(starts.v[head], le);
		for (end = i + 1; end < n && ((const char *)starts.v[end])[0] != '}'; end++)
			;
		for (size_t k = head; name && k <= end && k < n; k++)
			if (line_touched(f, (unsigned)(k + 1)) && !vec_has_str(&f->fn_names, name)) {
				vec_push(&f->fn_names, xstrdup(name));
				break;
			}
		free(name);
		i = end < n ? end : n;
	}
	vec_free(&starts, NULL);
	free(text);
}

bool change_touches(struct change *c, const char *tree, const struct finding *g)
{
	struct changed_file *f = NULL;

	for (size_t i = 0; i < c->files.n && !f; i++)
		if (!strcmp(((struct changed_file *)c->files.v[i])->path, g->file))
			f = c->files.v[i];
	if (!f || !f->lines.n)
		return false;
	if (line_touched(f, g->line))
		return true;
	for (size_t i = 0; i < g->evidence.n; i++) {
		const struct evidence *e = g->evidence.v[i];

		if (e->file && !strcmp(e->file, g->file) && line_touched(f, e->line))
			return true;
	}
	if (!f->functions_known)
		find_functions(f, tree);
	return g->function && vec_has_str(&f->fn_names, g->function);
}

static void changed_file_free(void *p)
{
	struct changed_file *f = p;

	free(f->path);
	vec_free(&f->lines, NULL);
	vec_free(&f->fn_names, free);
	free(f);
}

void change_free(struct change *c)
{
	if (!c)
		return;
	free(c->what);
	vec_free(&c->files, changed_file_free);
	free(c);
}
