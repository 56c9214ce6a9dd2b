// SPDX-License-Identifier: GPL-2.0
/*
 * rules.c: load the rule catalogue (rules/<id>.md) and the API tables
 * (rules/apis.tbl, rules/callees.tbl, rules/helpers.tbl, rules/dax-paths.tbl,
 * rules/err-ptr.tbl, rules/buffer-fields.tbl, rules/gcc-options.tbl).  Knowledge about kernel APIs lives
 * in those files so that a user can add one without recompiling.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "flags.h"
#include "mapcheck.h"

const char *severity_name(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

static bool parse_severity(const char *s, enum severity *out)
{
	if (!strcmp(s, "error"))
		*out = SEV_ERROR;
	else if (!strcmp(s, "warning"))
		*out = SEV_WARNING;
	else if (!strcmp(s, "note"))
		*out = SEV_NOTE;
	else
		return false;
	return true;
}

/* A table keyword and the enum value it stands for. */
struct word {
	const char *s;
	int v;
};

static const struct word role_words[] = {
	{ "map", API_MAP }, { "unmap", API_UNMAP },
	{ "follow", API_FOLLOW }, { "follow_end", API_FOLLOW_END }, { NULL, 0 }
};
static const struct word arg_words[] = {
	{ "page", ARG_PAGE }, { "addr", ARG_ADDR }, { "folio", ARG_FOLIO },
	{ "other", ARG_OTHER }, { NULL, 0 }
};
static const struct word scope_words[] = {
	{ "global", SCOPE_GLOBAL }, { "local", SCOPE_LOCAL },
	{ "atomic", SCOPE_ATOMIC }, { "none", SCOPE_NONE }, { NULL, 0 }
};
static const struct word use_words[] = {
	{ "read", USE_READ }, { "write", USE_WRITE },
	{ "readwrite", USE_READWRITE }, { "keeps", USE_KEEPS },
	{ "returns", USE_RETURNS }, { "pageaddr", USE_PAGEADDR }, { NULL, 0 }
};

static bool lookup(const struct word *w, const char *s, int *v)
{
	for (; w->s; w++) {
		if (!strcmp(w->s, s)) {
			*v = w->v;
			return true;
		}
	}
	return false;
}

/* Split a table line into whitespace-separated columns; '#' starts a comment. */
static size_t columns(char *line, char **col, size_t max)
{
	size_t n = 0;
	char *p, *save = NULL;

	if ((p = strchr(line, '#')))
		*p = 0;
	for (p = strtok_r(line, " \t\r\n", &save); p && n < max;
	     p = strtok_r(NULL, " \t\r\n", &save))
		col[n++] = p;
	return p ? max + 1 : n;
}

typedef bool (*row_fn)(struct rules *rs, char **col, size_t n, char **why);

static bool api_row(struct rules *rs, char **col, size_t n, char **why)
{
	struct api *a;
	int role, arg, scope;

	if (n != 6) {
		*why = xasprintf("expected 6 columns (name role arg scope pair written-as), got %zu", n);
		return false;
	}
	if (!lookup(role_words, col[1], &role) || !lookup(arg_words, col[2], &arg) ||
	    !lookup(scope_words, col[3], &scope)) {
		*why = xasprintf("unknown role, argument kind or scope in '%s %s %s'",
				 col[1], col[2], col[3]);
		return false;
	}
	a = xcalloc(1, sizeof(*a));
	a->name = xstrdup(col[0]);
	a->role = role;
	a->arg = arg;
	a->scope = scope;
	a->pair = strcmp(col[4], "-") ? xstrdup(col[4]) : NULL;
	a->shown = xstrdup(strcmp(col[5], "-") ? col[5] : col[0]);
	vec_push(&rs->apis, a);
	return true;
}

static bool callee_row(struct rules *rs, char **col, size_t n, char **why)
{
	struct callee *c;
	int use;
	char *end;
	long arg;

	if (n != 3 && !(n == 4 && !strcmp(col[2], "keeps"))) {
		*why = xasprintf("expected 3 columns (callee arg use), or 4 for a mapping "
				 "(callee arg keeps unmap), got %zu", n);
		return false;
	}
	arg = strcmp(col[1], "*") ? strtol(col[1], &end, 10) : -1;
	if ((arg != -1 && (*end || arg < 0 || arg > 16)) || !lookup(use_words, col[2], &use)) {
		*why = xasprintf("bad argument index '%s' or use '%s'", col[1], col[2]);
		return false;
	}
	c = xcalloc(1, sizeof(*c));
	c->name = xstrdup(col[0]);
	c->arg = (int)arg;
	c->use = use;
	c->unmap = n == 4 ? xstrdup(col[3]) : NULL;
	vec_push(&rs->callees, c);
	return true;
}

/* $page, $off (the mapping of argument addr), $page1, $off1 (of addr2) */
static bool helper_token(const struct helper *h, const char *tok)
{
	char *end;
	long a;

	if (!strcmp(tok, "$page") || !strcmp(tok, "$off"))
		return true;
	if (!strcmp(tok, "$page1") || !strcmp(tok, "$off1"))
		return h->addr2 >= 0;
	if (tok[0] != '$' || tok[1] < '0' || tok[1] > '9')
		return false;
	a = strtol(tok + 1, &end, 10);
	return !*end && a != h->addr && a != h->addr2;
}

static bool helper_row(struct rules *rs, char **col, size_t n, char **why)
{
	struct helper *h;
	char *end, *args, *tok, *save = NULL;
	long addr, addr2 = -1, need = -1;

	if (n != 5) {
		*why = xasprintf("expected 5 columns (call addr need helper args), got %zu", n);
		return false;
	}
	addr = strtol(col[1], &end, 10);
	if (*end == ',' && end[1] >= '0' && end[1] <= '9')
		addr2 = strtol(end + 1, &end, 10);
	if (*end || addr < 0 || addr > 16 || addr2 > 16 || addr2 == addr) {
		*why = xasprintf("bad address argument '%s' (N, or N,M for two mappings)", col[1]);
		return false;
	}
	if (strcmp(col[2], "-")) {
		need = strtol(col[2], &end, 10);
		if (*end != '=' || !end[1] || need < 0 || need > 16 || need == addr ||
		    need == addr2) {
			*why = xasprintf("bad need '%s' (N=TEXT or -)", col[2]);
			return false;
		}
	}
	h = xcalloc(1, sizeof(*h));
	h->call = xstrdup(col[0]);
	h->addr = (int)addr;
	h->addr2 = (int)addr2;
	h->need = (int)need;
	h->need_text = need >= 0 ? xstrdup(strchr(col[2], '=') + 1) : NULL;
	h->name = xstrdup(col[3]);
	args = xstrdup(col[4]);
	for (tok = strtok_r(args, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!helper_token(h, tok)) {
			*why = xasprintf("bad helper argument '%s' ($N, $page, $off, and $page1, "
					 "$off1 for a second mapping)", tok);
			vec_push(&rs->helpers, h);
			free(args);
			return false;
		}
		vec_push(&h->args, xstrdup(tok));
	}
	free(args);
	vec_push(&rs->helpers, h);
	return true;
}

static bool dax_path_row(struct rules *rs, char **col, size_t n, char **why)
{
	if (n != 1) {
		*why = xasprintf("expected one path prefix, got %zu columns", n);
		return false;
	}
	vec_push(&rs->dax_paths, xstrdup(col[0]));
	return true;
}

/* The rows of the table @path (read into @text, changed in place), by @fn. */
static bool parse_table(struct rules *rs, const char *path, char *text, row_fn fn, char **err)
{
	char *line, *save = NULL, *col[8];
	unsigned lineno = 0;
	char *why = NULL;

	/* strtok_r would merge empty lines; count them by hand */
	for (line = text; line; line = save) {
		size_t n;

		save = strchr(line, '\n');
		if (save)
			*save++ = 0;
		lineno++;
		n = columns(line, col, 7);
		if (!n)
			continue;
		if (n > 7 || !fn(rs, col, n, &why)) {
			*err = xasprintf("%s:%u: %s", path, lineno,
					 why ? why : "too many columns");
			free(why);
			return false;
		}
	}
	return true;
}

/* Text of the markdown section "## @name" up to the next "## ", trimmed. */
static char *section(const char *text, const char *name)
{
	char *head = xasprintf("\n## %s\n", name);
	const char *p = strstr(text, head), *end;
	char *out;

	if (!p) {
		free(head);
		return xstrdup("");
	}
	p += strlen(head);
	free(head);
	end = strstr(p, "\n## ");
	if (!end)
		end = p + strlen(p);
	while (p < end && (*p == '\n' || *p == ' '))
		p++;
	while (end > p && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	out = xmalloc((size_t)(end - p) + 1);
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = 0;
	return out;
}

/*
 * The optional "limit: N" line of a rule's head (before its first
 * section): a positive number the rule measures against.  False when the
 * line is there but N is not such a number.
 */
static bool parse_limit(const char *text, unsigned *limit)
{
	const char *end = strstr(text, "\n## "), *line = text;
	char *num_end;
	unsigned long v;

	*limit = 0;
	while (line && (!end || line < end)) {
		if (!strncmp(line, "limit: ", 7)) {
			v = strtoul(line + 7, &num_end, 10);
			if (num_end == line + 7 || (*num_end && *num_end != '\n') || !v ||
			    v > 1000000)
				return false;
			*limit = (unsigned)v;
			return true;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return true;
}

/*
 * A rule file starts with "id:", "severity:" and "title:" lines (and
 * "limit:" for a rule that measures something), then markdown sections
 * "## Explanation", "## Example" and "## Fix".
 */
static bool parse_rule(struct rules *rs, const char *path, const char *text, char **err)
{
	const char *p;
	struct rule *r;
	const char *keys[] = { "id: ", "severity: ", "title: " };
	char *val[3] = { NULL, NULL, NULL };

	for (int i = 0; i < 3; i++) {
		const char *line = strstr(text, keys[i]);
		size_t n;

		if (!line || (line != text && line[-1] != '\n')) {
			*err = xasprintf("%s:1: missing '%s' line", path, keys[i]);
			goto fail;
		}
		line += strlen(keys[i]);
		n = strcspn(line, "\n");
		val[i] = xmalloc(n + 1);
		memcpy(val[i], line, n);
		val[i][n] = 0;
	}
	r = xcalloc(1, sizeof(*r));
	if (!parse_severity(val[1], &r->severity)) {
		*err = xasprintf("%s:2: unknown severity '%s'", path, val[1]);
		free(r);
		goto fail;
	}
	if (!parse_limit(text, &r->limit)) {
		*err = xasprintf("%s: 'limit:' is not a positive number", path);
		free(r);
		goto fail;
	}
	p = strrchr(path, '/');
	p = p ? p + 1 : path;
	r->id = val[0];
	r->title = val[2];
	free(val[1]);
	r->help = section(text, "Explanation");
	r->fix = section(text, "Fix");
	/* the whole name: "kmap" in kmap-global.md would hide the rule kmap-global */
	if (strlen(p) != strlen(r->id) + 3 || strncmp(p, r->id, strlen(r->id)) ||
	    strcmp(p + strlen(r->id), ".md")) {
		*err = xasprintf("%s:1: id '%s' does not match the file name", path, r->id);
		free(r->id); free(r->title); free(r->help); free(r->fix); free(r);
		return false;
	}
	vec_push(&rs->rules, r);
	return true;
fail:
	for (int i = 0; i < 3; i++)
		free(val[i]);
	return false;
}

static bool err_ptr_row(struct rules *rs, char **col, size_t n, char **why)
{
	static const char *const roles[] = { "test", "value", "cast", "make" };
	struct err_ptr *e;
	size_t r;

	if (n != 2) {
		*why = xasprintf("expected 2 columns (name role), got %zu", n);
		return false;
	}
	for (r = 0; r < sizeof(roles) / sizeof(roles[0]) && strcmp(col[1], roles[r]); r++)
		;
	if (r == sizeof(roles) / sizeof(roles[0])) {
		*why = xasprintf("bad role '%s' (test, value, cast or make)", col[1]);
		return false;
	}
	e = xcalloc(1, sizeof(*e));
	e->name = xstrdup(col[0]);
	e->role = (enum err_role)r;
	vec_push(&rs->err_ptr, e);
	return true;
}

const struct err_ptr *rules_err_ptr(const struct rules *rs, const char *name)
{
	for (size_t i = 0; name && i < rs->err_ptr.n; i++) {
		const struct err_ptr *e = rs->err_ptr.v[i];

		if (!strcmp(e->name, name))
			return e;
	}
	return NULL;
}

const char *rules_err_named(const struct rules *rs, enum err_role role)
{
	for (size_t i = 0; i < rs->err_ptr.n; i++) {
		const struct err_ptr *e = rs->err_ptr.v[i];

		if (e->role == role)
			return e->name;
	}
	return NULL;
}

static void err_ptr_free(void *p)
{
	struct err_ptr *e = p;

	free(e->name);
	free(e);
}

static bool buffer_fields_row(struct rules *rs, char **col, size_t n, char **why)
{
	struct buffer_fields *b;
	char *end;
	long arg;

	if (n < 3) {
		*why = xasprintf("expected callee, argument and fields (or -), got %zu columns", n);
		return false;
	}
	arg = strtol(col[1], &end, 10);
	if (*end || arg < 0 || arg > 16) {
		*why = xasprintf("bad argument index '%s'", col[1]);
		return false;
	}
	if (!strcmp(col[2], "-") && n > 3) {
		*why = xasprintf("'-' (no field) with fields after it");
		return false;
	}
	b = xcalloc(1, sizeof(*b));
	b->name = xstrdup(col[0]);
	b->arg = (int)arg;
	for (size_t i = 2; i < n && strcmp(col[i], "-"); i++)
		vec_push(&b->fields, xstrdup(col[i]));
	vec_push(&rs->buffer_fields, b);
	return true;
}

const struct buffer_fields *rules_buffer_fields(const struct rules *rs, const char *name,
						int arg)
{
	for (size_t i = 0; name && i < rs->buffer_fields.n; i++) {
		const struct buffer_fields *b = rs->buffer_fields.v[i];

		if (b->arg == arg && !strcmp(b->name, name))
			return b;
	}
	return NULL;
}

static void buffer_fields_free(void *p)
{
	struct buffer_fields *b = p;

	free(b->name);
	vec_free(&b->fields, free);
	free(b);
}

static bool atomic_effect_row(struct rules *rs, char **col, size_t n, char **why)
{
	static const char *const effects[] = {
		[EFFECT_NONE] = "none", [EFFECT_NOFAULT] = "nofault",
		[EFFECT_NOPREEMPT] = "nopreempt", [EFFECT_SLEEP] = "sleep",
	};
	struct atomic_effect_row *r;
	size_t e, len;

	if (n != 2) {
		*why = xasprintf("expected 2 columns (name effect), got %zu", n);
		return false;
	}
	for (e = 0; e < EFFECT_COUNT && strcmp(col[1], effects[e]); e++)
		;
	if (e == EFFECT_COUNT) {
		*why = xasprintf("bad effect '%s' (none, nofault, nopreempt or sleep)", col[1]);
		return false;
	}
	len = strlen(col[0]);
	if (!len || strchr(col[0], '*') != (col[0][len - 1] == '*' ? col[0] + len - 1 : NULL) ||
	    !strcmp(col[0], "*")) {
		*why = xasprintf("bad name '%s' (a name, or a prefix written NAME*)", col[0]);
		return false;
	}
	r = xcalloc(1, sizeof(*r));
	r->prefix = col[0][len - 1] == '*';
	r->name = xasprintf("%.*s", (int)(len - r->prefix), col[0]);
	r->effect = (enum atomic_effect)e;
	vec_push(&rs->atomic_effects, r);
	return true;
}

const struct atomic_effect_row *rules_atomic_effect(const struct rules *rs, const char *name)
{
	const struct atomic_effect_row *by_prefix = NULL;

	for (size_t i = 0; name && i < rs->atomic_effects.n; i++) {
		const struct atomic_effect_row *r = rs->atomic_effects.v[i];

		if (!r->prefix && !strcmp(r->name, name))
			return r;
		if (r->prefix && !by_prefix && !strncmp(r->name, name, strlen(r->name)))
			by_prefix = r;
	}
	return by_prefix;
}

static void atomic_effect_free(void *p)
{
	struct atomic_effect_row *r = p;

	free(r->name);
	free(r);
}

/* The API tables of rules/, each with the reader of its rows. */
static const struct {
	const char *name;
	row_fn row;
} tables[] = {
	{ "apis.tbl", api_row },
	{ "callees.tbl", callee_row },
	{ "helpers.tbl", helper_row },
	{ "dax-paths.tbl", dax_path_row },
	{ "err-ptr.tbl", err_ptr_row },
	{ "buffer-fields.tbl", buffer_fields_row },
	{ "gcc-options.tbl", flags_option_row },
	{ "atomic-effects.tbl", atomic_effect_row },
};

bool rules_parse(struct rules *rs, const char *path, char *text, char **err)
{
	const char *name = strrchr(path, '/');

	name = name ? name + 1 : path;
	if (str_ends(name, ".md"))
		return parse_rule(rs, path, text, err);
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (!strcmp(name, tables[i].name))
			return parse_table(rs, path, text, tables[i].row, err);
	*err = xasprintf("%s: not a table of rules/ nor a rule (<id>.md)", path);
	return false;
}

/* Read @path and add what it holds to @rs (rules_parse()). */
static bool load_file(struct rules *rs, const char *path, char **err)
{
	const char *why;
	char *text = read_file(path, NULL, &why);
	bool ok;

	if (!text) {
		*err = xasprintf("%s: %s", path, why);
		return false;
	}
	ok = rules_parse(rs, path, text, err);
	free(text);
	return ok;
}

bool rules_load(struct rules *rs, const char *dir, char **err)
{
	struct vec names = { 0 };
	struct dirent *de;
	DIR *d = opendir(dir);
	char *path;
	bool ok = true;

	memset(rs, 0, sizeof(*rs));
	rs->dir = xstrdup(dir);
	if (!d) {
		*err = xasprintf("%s: cannot open the rules directory", dir);
		return false;
	}
	while ((de = readdir(d)))
		if (str_ends(de->d_name, ".md") && strcmp(de->d_name, "README.md"))
			vec_push(&names, xstrdup(de->d_name));
	closedir(d);
	vec_sort(&names, 0, cmp_strp);
	for (size_t i = 0; ok && i < names.n; i++) {
		path = path_join(dir, names.v[i]);
		ok = load_file(rs, path, err);
		free(path);
		/* an id is its file's name (load_file): no two files share one */
	}
	vec_free(&names, free);
	for (size_t i = 0; ok && i < sizeof(tables) / sizeof(tables[0]); i++) {
		path = path_join(dir, tables[i].name);
		ok = load_file(rs, path, err);
		free(path);
	}
	if (ok && !rs->apis.n) {
		*err = xasprintf("%s/apis.tbl: no mapping APIs listed", dir);
		ok = false;
	}
	return ok;
}

static void api_free(void *p)
{
	struct api *a = p;

	free(a->name);
	free(a->pair);
	free(a->shown);
	free(a);
}

static void callee_free(void *p)
{
	struct callee *c = p;

	free(c->name);
	free(c->unmap);
	free(c);
}

static void helper_free(void *p)
{
	struct helper *h = p;

	free(h->call);
	free(h->need_text);
	free(h->name);
	vec_free(&h->args, free);
	free(h);
}

static void rule_free(void *p)
{
	struct rule *r = p;

	free(r->id);
	free(r->title);
	free(r->help);
	free(r->fix);
	free(r);
}

void rules_free(struct rules *rs)
{
	vec_free(&rs->apis, api_free);
	vec_free(&rs->callees, callee_free);
	vec_free(&rs->helpers, helper_free);
	vec_free(&rs->dax_paths, free);
	vec_free(&rs->err_ptr, err_ptr_free);
	vec_free(&rs->buffer_fields, buffer_fields_free);
	vec_free(&rs->cc_options, flags_option_free);
	vec_free(&rs->atomic_effects, atomic_effect_free);
	vec_free(&rs->rules, rule_free);
	free(rs->dir);
}

const struct api *rules_api(const struct rules *rs, const char *name)
{
	for (size_t i = 0; name && i < rs->apis.n; i++) {
		const struct api *a = rs->apis.v[i];

		if (!strcmp(a->name, name))
			return a;
	}
	return NULL;
}

const char *rules_api_named(const struct rules *rs, enum api_role role, enum map_scope scope,
			    enum arg_kind arg)
{
	for (size_t i = 0; i < rs->apis.n; i++) {
		const struct api *a = rs->apis.v[i];

		if (a->role == role && a->scope == scope && a->arg == arg)
			return role == API_MAP ? a->name : a->shown;
	}
	return NULL;
}

/* The entry for argument @arg of @name, or one that covers every argument. */
const struct callee *rules_callee(const struct rules *rs, const char *name, int arg)
{
	const struct callee *any = NULL;

	for (size_t i = 0; name && i < rs->callees.n; i++) {
		const struct callee *c = rs->callees.v[i];

		if (strcmp(c->name, name))
			continue;
		if (c->arg == arg)
			return c;
		if (c->arg == -1)
			any = c;
	}
	return any;
}

/* Does @name return the kernel address of its page argument? */
bool rules_is_page_address(const struct rules *rs, const char *name)
{
	const struct callee *c = rules_callee(rs, name, 0);

	return c && c->use == USE_PAGEADDR;
}

const struct rule *rules_rule(const struct rules *rs, const char *id)
{
	for (size_t i = 0; i < rs->rules.n; i++) {
		const struct rule *r = rs->rules.v[i];

		if (!strcmp(r->id, id))
			return r;
	}
	return NULL;
}
