// SPDX-License-Identifier: GPL-2.0
/*
 * astdump.c: save a parse_result to a file and read it back.
 *
 * The format is private to one run of one binary (the directory is made
 * and removed by main.c): native-endian 32-bit integers, strings as a
 * length plus one (0 for NULL) and their bytes.  Declarations are written
 * once and referred to by index; functions' callers by the preorder number
 * of their call node.  The reader checks every count and index against
 * what it has read and gives up on anything inconsistent, so a truncated
 * or damaged file means a parse, never a wrong tree.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "astdump.h"

#define MAGIC "mapcheck-ast 6\n"
#define NONE UINT32_MAX

char *ast_dir_new(void)
{
	return tmp_dir_new("ast");
}

void ast_dir_remove(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] != '.') {
			char *p = path_join(dir, e->d_name);

			unlink(p);
			free(p);
		}
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* ---- writing ---- */

/* pointer -> index, open addressing; the tree has tens of thousands of each */
struct ptrmap {
	const void **key;
	uint32_t *val;
	size_t cap;
};

static size_t ptr_hash(const void *p, size_t cap)
{
	uintptr_t h = (uintptr_t)p;

	h ^= h >> 17;
	h *= (uintptr_t)0x9e3779b97f4a7c15ull;
	return (size_t)(h ^ h >> 29) & (cap - 1);
}

static void ptrmap_init(struct ptrmap *m, size_t n)
{
	m->cap = 16;
	while (m->cap < 2 * n + 2)
		m->cap *= 2;
	m->key = xcalloc(m->cap, sizeof(*m->key));
	m->val = xcalloc(m->cap, sizeof(*m->val));
}

static void ptrmap_put(struct ptrmap *m, const void *p, uint32_t v)
{
	size_t i = ptr_hash(p, m->cap);

	while (m->key[i] && m->key[i] != p)
		i = (i + 1) & (m->cap - 1);
	m->key[i] = p;
	m->val[i] = v;
}

static uint32_t ptrmap_get(const struct ptrmap *m, const void *p)
{
	size_t i = ptr_hash(p, m->cap);

	if (!p)
		return NONE;
	while (m->key[i]) {
		if (m->key[i] == p)
			return m->val[i];
		i = (i + 1) & (m->cap - 1);
	}
	return NONE;
}

static void ptrmap_free(struct ptrmap *m)
{
	free(m->key);
	free(m->val);
}

struct out {
	FILE *f;
	const struct tu *tu;
	struct ptrmap decls, funcs;
	uint32_t nodes;		/* preorder number of the next node */
};

static void put_u32(struct out *o, uint32_t v)
{
	fwrite(&v, sizeof(v), 1, o->f);
}

static void put_str(struct out *o, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) + 1 : 0;

	put_u32(o, n);
	if (n > 1)
		fwrite(s, 1, n - 1, o->f);
}

static void put_node(struct out *o, const struct node *n)
{
	if (!n) {
		put_u32(o, NONE);
		return;
	}
	o->nodes++;
	put_u32(o, (uint32_t)n->kind);
	put_str(o, n->name);
	put_str(o, n->op);
	put_u32(o, (uint32_t)n->arrow | (uint32_t)n->in_macro << 1 | (uint32_t)n->is_pointer << 2 |
		(uint32_t)n->is_array << 3 | (uint32_t)n->is_integer << 4 |
		(uint32_t)n->is_bytes << 5 | (uint32_t)n->is_record << 6 |
		(uint32_t)n->for_parts << 7 | (uint32_t)n->const_cond << 10 |
		(uint32_t)n->is_union << 12);
	put_u32(o, n->decl ? ptrmap_get(&o->decls, n->decl) : NONE);
	put_u32(o, n->file);
	put_u32(o, n->line);
	put_u32(o, n->col);
	put_u32(o, n->begin);
	put_u32(o, n->end);
	put_str(o, n->macro);
	put_str(o, n->type);
	put_u32(o, n->nkid);
	for (unsigned i = 0; i < n->nkid; i++)
		put_node(o, n->kid[i]);
}

static void put_func(struct out *o, const struct func *fn)
{
	put_str(o, fn->name);
	put_u32(o, fn->decl ? ptrmap_get(&o->decls, fn->decl) : NONE);
	put_u32(o, (uint32_t)fn->is_static | (uint32_t)fn->is_weak << 1 |
		(uint32_t)fn->has_errors << 2 | (uint32_t)fn->address_taken << 3);
	put_u32(o, fn->file);
	put_u32(o, fn->line);
	put_u32(o, (uint32_t)fn->params.n);
	for (size_t i = 0; i < fn->params.n; i++)
		put_u32(o, ptrmap_get(&o->decls, fn->params.v[i]));
}

struct numbering {
	struct ptrmap map;
	uint32_t n;
};

static void number(struct node *n, void *data)
{
	struct numbering *nb = data;

	if (n->kind == N_CALL)
		ptrmap_put(&nb->map, n, nb->n);
	nb->n++;
}

/* The callers of every function, as preorder numbers of their call nodes. */
static void put_callers(struct out *o)
{
	const struct tu *tu = o->tu;
	struct numbering nb = { { 0 }, 0 };

	ptrmap_init(&nb.map, o->nodes);
	for (size_t i = 0; i < tu->funcs.n; i++)
		node_walk(((struct func *)tu->funcs.v[i])->body, number, &nb);
	for (size_t i = 0; i < tu->globals.n; i++)
		node_walk(tu->globals.v[i], number, &nb);
	for (size_t i = 0; i < tu->funcs.n; i++) {
		const struct func *fn = tu->funcs.v[i];

		put_u32(o, (uint32_t)fn->callers.n);
		for (size_t k = 0; k < fn->callers.n; k++)
			put_u32(o, ptrmap_get(&nb.map, fn->callers.v[k]));
	}
	ptrmap_free(&nb.map);
}

static void put_strings(struct out *o, const struct vec *v)
{
	put_u32(o, (uint32_t)v->n);
	for (size_t i = 0; i < v->n; i++)
		put_str(o, v->v[i]);
}

bool ast_save(const struct parse_result *pr, const char *path)
{
	const struct tu *tu = pr->tu;
	char *tmp = xasprintf("%s.%ld", path, (long)getpid());
	struct out o = { fopen(tmp, "w"), tu, { 0 }, { 0 }, 0 };
	bool ok;

	if (!o.f) {
		free(tmp);
		return false;
	}
	ptrmap_init(&o.decls, tu->decls.n);
	for (size_t i = 0; i < tu->decls.n; i++)
		ptrmap_put(&o.decls, tu->decls.v[i], (uint32_t)i);
	ptrmap_init(&o.funcs, tu->funcs.n);
	for (size_t i = 0; i < tu->funcs.n; i++)
		ptrmap_put(&o.funcs, tu->funcs.v[i], (uint32_t)i);
	fputs(MAGIC, o.f);
	put_strings(&o, &tu->files);
	put_u32(&o, (uint32_t)tu->decls.n);
	for (size_t i = 0; i < tu->decls.n; i++) {
		const struct decl *d = tu->decls.v[i];

		put_str(&o, d->name);
		put_u32(&o, (uint32_t)d->kind);
		put_str(&o, d->type);
		put_u32(&o, (uint32_t)d->is_pointer | (uint32_t)d->is_array << 1 |
			(uint32_t)d->is_record << 2 | (uint32_t)d->is_bytes << 3 |
			(uint32_t)d->is_static << 4 | (uint32_t)d->is_signed << 5);
		put_u32(&o, (uint32_t)d->index);
		put_u32(&o, d->line);
		put_u32(&o, ptrmap_get(&o.funcs, d->def));
	}
	put_u32(&o, (uint32_t)tu->funcs.n);
	for (size_t i = 0; i < tu->funcs.n; i++)
		put_func(&o, tu->funcs.v[i]);
	for (size_t i = 0; i < tu->funcs.n; i++)
		put_node(&o, ((struct func *)tu->funcs.v[i])->body);
	put_u32(&o, (uint32_t)tu->globals.n);
	for (size_t i = 0; i < tu->globals.n; i++)
		put_node(&o, tu->globals.v[i]);
	put_callers(&o);
	put_u32(&o, (uint32_t)tu->helpers.n);
	for (size_t i = 0; i < tu->helpers.n; i++)
		put_func(&o, tu->helpers.v[i]);
	put_u32(&o, (uint32_t)tu->main_len);
	fwrite(tu->main_text, 1, tu->main_len, o.f);
	put_u32(&o, tu->errors);
	put_str(&o, tu->first_error);
	put_u32(&o, pr->nskip);
	for (unsigned i = 0; i < pr->nskip; i++) {
		put_u32(&o, pr->skip_first[i]);
		put_u32(&o, pr->skip_last[i]);
	}
	put_strings(&o, &pr->includes);
	fputs(MAGIC, o.f);
	ok = !ferror(o.f);
	ok = !fclose(o.f) && ok;
	ok = ok && !rename(tmp, path);
	ptrmap_free(&o.decls);
	ptrmap_free(&o.funcs);
	if (!ok)
		unlink(tmp);
	free(tmp);
	return ok;
}

/* ---- reading ---- */

struct in {
	const char *p, *end;
	bool bad;
	struct tu *tu;
	struct vec nodes;	/* struct node *, preorder */
};

static uint32_t get_u32(struct in *in)
{
	uint32_t v = 0;

	if (in->bad || (size_t)(in->end - in->p) < sizeof(v)) {
		in->bad = true;
		return 0;
	}
	memcpy(&v, in->p, sizeof(v));
	in->p += sizeof(v);
	return v;
}

/* A count of things each at least @unit bytes long, checked against what is left. */
static uint32_t get_count(struct in *in, size_t unit)
{
	uint32_t n = get_u32(in);

	if ((size_t)(in->end - in->p) / unit < n)
		in->bad = true;
	return in->bad ? 0 : n;
}

static char *get_str(struct in *in)
{
	uint32_t n = get_u32(in);
	char *s;

	if (in->bad || !n)
		return NULL;
	if ((size_t)(in->end - in->p) < n - 1 || memchr(in->p, 0, n - 1)) {
		in->bad = true;
		return NULL;
	}
	s = xmalloc(n);
	memcpy(s, in->p, n - 1);
	s[n - 1] = 0;
	in->p += n - 1;
	return s;
}

static bool get_magic(struct in *in)
{
	size_t n = strlen(MAGIC);

	if ((size_t)(in->end - in->p) < n || memcmp(in->p, MAGIC, n))
		return false;
	in->p += n;
	return true;
}

static struct decl *get_decl_ref(struct in *in)
{
	uint32_t i = get_u32(in);

	if (i == NONE)
		return NULL;
	if (i >= in->tu->decls.n) {
		in->bad = true;
		return NULL;
	}
	return in->tu->decls.v[i];
}

/* The kinds the parser always names (parse.c build()): the checks print them. */
static bool named(uint32_t kind)
{
	return kind == N_REF || kind == N_VAR || kind == N_MEMBER || kind == N_LABEL ||
	       kind == N_GOTO;
}

static struct node *get_node(struct in *in, struct node *parent, unsigned depth)
{
	uint32_t kind = get_u32(in), bits;
	struct node *n;
	char *op;

	if (in->bad || kind == NONE)
		return NULL;
	/* deeper than any parse builds (and than the stack allows): damaged */
	if (kind > N_ASM || depth > 20000) {
		in->bad = true;
		return NULL;
	}
	n = xcalloc(1, sizeof(*n));
	vec_push(&in->nodes, n);
	n->kind = (enum nkind)kind;
	n->parent = parent;
	n->name = get_str(in);
	op = get_str(in);
	/* every node has an operator, "" when it is no expression of one */
	n->op = op ? ast_op(op) : NULL;
	if (!n->op || (named(kind) && !n->name))
		in->bad = true;
	free(op);
	bits = get_u32(in);
	n->arrow = bits & 1;
	n->in_macro = bits >> 1 & 1;
	n->is_pointer = bits >> 2 & 1;
	n->is_array = bits >> 3 & 1;
	n->is_integer = bits >> 4 & 1;
	n->is_bytes = bits >> 5 & 1;
	n->is_record = bits >> 6 & 1;
	n->for_parts = bits >> 7 & 7;
	n->const_cond = bits >> 10 & 3;
	n->is_union = bits >> 12 & 1;
	if (n->const_cond > COND_TRUE)
		in->bad = true;
	n->decl = get_decl_ref(in);
	n->file = get_u32(in);
	n->line = get_u32(in);
	n->col = get_u32(in);
	n->begin = get_u32(in);
	n->end = get_u32(in);
	n->macro = get_str(in);
	n->type = get_str(in);
	n->nkid = get_count(in, sizeof(uint32_t));
	if (n->file >= in->tu->files.n)
		in->bad = true;
	n->kid = n->nkid ? xcalloc(n->nkid, sizeof(*n->kid)) : NULL;
	/* a node has no NULL kid (NONE is only a function without a body) */
	for (unsigned i = 0; i < n->nkid && !in->bad; i++)
		if (!(n->kid[i] = get_node(in, n, depth + 1)))
			in->bad = true;
	return n;
}

static struct func *get_func(struct in *in)
{
	struct func *fn = xcalloc(1, sizeof(*fn));
	uint32_t bits, np;

	fn->name = get_str(in);
	fn->decl = get_decl_ref(in);
	bits = get_u32(in);
	fn->is_static = bits & 1;
	fn->is_weak = bits >> 1 & 1;
	fn->has_errors = bits >> 2 & 1;
	fn->address_taken = bits >> 3 & 1;
	fn->file = get_u32(in);
	fn->line = get_u32(in);
	np = get_count(in, sizeof(uint32_t));
	for (uint32_t i = 0; i < np && !in->bad; i++) {
		struct decl *d = get_decl_ref(in);

		if (!d)
			in->bad = true;
		else
			vec_push(&fn->params, d);
	}
	if (!fn->name)
		in->bad = true;
	return fn;
}

static void get_strings(struct in *in, struct vec *v)
{
	uint32_t n = get_count(in, sizeof(uint32_t));

	for (uint32_t i = 0; i < n && !in->bad; i++) {
		char *s = get_str(in);

		if (!s)
			in->bad = true;
		else
			vec_push(v, s);
	}
}

static void get_body(struct in *in)
{
	struct tu *tu = in->tu;
	uint32_t n;

	for (size_t i = 0; i < tu->funcs.n && !in->bad; i++)
		((struct func *)tu->funcs.v[i])->body = get_node(in, NULL, 0);
	n = get_count(in, sizeof(uint32_t));
	for (uint32_t i = 0; i < n && !in->bad; i++) {
		struct node *g = get_node(in, NULL, 0);

		if (g)
			vec_push(&tu->globals, g);
		else
			in->bad = true;
	}
	for (size_t i = 0; i < tu->funcs.n && !in->bad; i++) {
		struct func *fn = tu->funcs.v[i];
		uint32_t nc = get_count(in, sizeof(uint32_t));

		for (uint32_t k = 0; k < nc && !in->bad; k++) {
			uint32_t c = get_u32(in);

			/* a caller is a call: put_callers() numbers no other node */
			if (c >= in->nodes.n || ((struct node *)in->nodes.v[c])->kind != N_CALL)
				in->bad = true;
			else
				vec_push(&fn->callers, in->nodes.v[c]);
		}
	}
}

static void get_parse(struct in *in, struct parse_result *pr)
{
	struct tu *tu = pr->tu;
	uint32_t n;

	get_strings(in, &tu->files);
	n = get_count(in, 7 * sizeof(uint32_t));
	for (uint32_t i = 0; i < n && !in->bad; i++) {
		struct decl *d = xcalloc(1, sizeof(*d));
		uint32_t bits;

		vec_push(&tu->decls, d);
		d->name = get_str(in);
		d->kind = (enum decl_kind)get_u32(in);
		d->type = get_str(in);
		bits = get_u32(in);
		d->is_pointer = bits & 1;
		d->is_array = bits >> 1 & 1;
		d->is_record = bits >> 2 & 1;
		d->is_bytes = bits >> 3 & 1;
		d->is_static = bits >> 4 & 1;
		d->is_signed = bits >> 5 & 1;
		d->index = (int)get_u32(in);
		d->line = get_u32(in);
		/* decl->def is an index into the functions, read below */
		d->def = (struct func *)(uintptr_t)get_u32(in);
		if (d->kind > D_OTHER)
			in->bad = true;
	}
	n = get_count(in, 6 * sizeof(uint32_t));
	for (uint32_t i = 0; i < n && !in->bad; i++)
		vec_push(&tu->funcs, get_func(in));
	for (size_t i = 0; i < tu->decls.n; i++) {
		struct decl *d = tu->decls.v[i];
		uint32_t f = (uint32_t)(uintptr_t)d->def;

		d->def = f < tu->funcs.n ? tu->funcs.v[f] : NULL;
		if (f != NONE && f >= tu->funcs.n)
			in->bad = true;
	}
	if (!in->bad)
		get_body(in);
	n = get_count(in, 6 * sizeof(uint32_t));
	for (uint32_t i = 0; i < n && !in->bad; i++)
		vec_push(&tu->helpers, get_func(in));
	n = get_count(in, 1);
	if (!in->bad) {
		tu->main_text = xmalloc((size_t)n + 1);
		memcpy(tu->main_text, in->p, n);
		tu->main_text[n] = 0;
		tu->main_len = n;
		in->p += n;
	}
	tu->errors = get_u32(in);
	tu->first_error = get_str(in);
	pr->nskip = get_count(in, 2 * sizeof(uint32_t));
	if (pr->nskip) {
		pr->skip_first = xcalloc(pr->nskip, sizeof(*pr->skip_first));
		pr->skip_last = xcalloc(pr->nskip, sizeof(*pr->skip_last));
	}
	for (unsigned i = 0; i < pr->nskip; i++) {
		pr->skip_first[i] = get_u32(in);
		pr->skip_last[i] = get_u32(in);
	}
	get_strings(in, &pr->includes);
}

bool ast_load(const char *path, const char *tree, const struct rules *rules,
	      struct parse_result *pr)
{
	size_t len;
	const char *why;
	char *data = read_file(path, &len, &why);
	struct in in;

	memset(pr, 0, sizeof(*pr));
	if (!data)
		return false;	/* and no data + len: arithmetic on NULL is undefined */
	in = (struct in){ data, data + len, false, NULL, { 0 } };
	pr->tu = xcalloc(1, sizeof(*pr->tu));
	pr->tu->tree = tree;
	pr->tu->rules = rules;
	in.tu = pr->tu;
	if (!get_magic(&in))
		in.bad = true;
	if (!in.bad)
		get_parse(&in, pr);
	if (!in.bad && (!get_magic(&in) || in.p != in.end || !pr->tu->files.n))
		in.bad = true;
	vec_free(&in.nodes, NULL);
	free(data);
	if (in.bad) {
		parse_result_free(pr);
		memset(pr, 0, sizeof(*pr));
		return false;
	}
	return true;
}
