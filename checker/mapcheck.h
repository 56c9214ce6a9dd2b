/* SPDX-License-Identifier: GPL-2.0 */
/* mapcheck.h: types shared by every stage of the checker. */
#ifndef MAPCHECK_H
#define MAPCHECK_H

#include "class.h"
#include "fate.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define MAPCHECK_VERSION "0.1"

/* Exit codes (design.md). */
enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_BAD_INPUT = 2 };

enum severity { SEV_NOTE, SEV_WARNING, SEV_ERROR };

/* A growable array of pointers. */
struct vec {
	void **v;
	size_t n, cap;
};
void vec_push(struct vec *vec, void *p);
void vec_free(struct vec *vec, void (*fn)(void *));
/*
 * Sort @v's elements from @from on with @cmp: qsort() with its pointer never
 * null (glibc declares it nonnull even for no elements; a vec that never
 * grew has v == NULL).
 */
void vec_sort(struct vec *v, size_t from, int (*cmp)(const void *, const void *));
/* Does the vec of strings @v hold one equal to @s? */
bool vec_has_str(const struct vec *v, const char *s);
/* Does @v hold the pointer @p itself? */
bool vec_has(const struct vec *v, const void *p);

/* util.c */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *read_file(const char *path, size_t *len, const char **why);
/* "a FIFO", "a character device", ...: a st_mode that is not a file's */
const char *file_kind(unsigned mode);
bool path_is_dir(const char *path);
bool path_is_file(const char *path);
char *path_join(const char *a, const char *b);
char *path_relative(const char *path, const char *root);
char *path_resolve(const char *path);
bool path_inside(const char *path, const char *dir);
void phase(const char *name, bool writing);
/*
 * A new directory of this run under $TMPDIR (or /tmp), for @what ("ast",
 * "pch", ...); the first call removes those of runs that were killed.
 */
char *tmp_dir_new(const char *what);
bool str_starts(const char *s, const char *prefix);
/* A character of a C identifier. */
bool ident_char(char c);
bool str_ends(const char *s, const char *suffix);
unsigned long str_hash_n(const char *s, size_t n);
int cmp_strp(const void *a, const void *b);
double now_seconds(void);
/* before a forked child's _exit(0): its leaks, in the sanitized build */
void child_leak_check(void);
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/*
 * The status die() exits with: EXIT_BAD_INPUT unless set; kbuild's CHECK
 * mode sets 0 (a checker's exit stops the build) unless --fail-on is given.
 */
void die_set_status(int status);
int die_get_status(void);

/* One piece of evidence behind a site's class or a finding. */
struct evidence {
	char *file;
	unsigned line;
	char *note;
};

/* A mapping-API call site. */
struct site {
	char *file;		/* relative to the tree */
	unsigned line, column;
	char *function;
	char *api;
	enum site_class klass;
	char *reason;
	struct vec evidence;	/* struct evidence * */
	/* For the patch writer: how to rewrite this site (see patch.c). */
	char *fix;
	char *config;		/* the --build it was analysed with (its label), or NULL */
};

struct finding {
	char *rule;
	enum severity severity;
	char *file;
	unsigned line, column;
	char *function;
	char *message;
	struct vec evidence;
	char *config;		/* as for struct site */
};

struct skip {
	char *file;
	unsigned line;
	char *reason;
};

/* Everything one run produces; merged from all workers. */
/* What a function of another file does with pointer parameter @arg. */
struct ext_summary {
	char *name;
	int arg;
	struct fate_summary sum;
	char *origin;		/* for an ops field (ops.h): the file summarised, else "" */
};

struct report {
	struct vec sites, findings, skipped;
	struct vec wanted;	/* char *: external callees that decided a site */
	struct vec summaries;	/* struct ext_summary * */
	unsigned files_considered, files_parsed, parse_errors;
	double seconds;
	char *tree, *kernel;
	/* diff mode: the change ("--diff REV"), and the findings before only
	 * those it touches were kept; NULL and 0 otherwise */
	char *diff;
	size_t diff_total;
};

struct evidence *evidence_new(const char *file, unsigned line, const char *note);
void evidence_free(void *p);
void site_free(void *p);
void finding_free(void *p);
void skip_free(void *p);
void report_add_skip(struct report *r, const char *file, unsigned line,
		     const char *reason);
void report_sort_unique(struct report *r);
void report_free(struct report *r);
void report_merge(struct report *into, struct report *from);
/* Summaries (fate.h): @dst (whose strings are not kept) becomes a copy of @src. */
void fate_summary_copy(struct fate_summary *dst, const struct fate_summary *src);
void fate_summary_clear(struct fate_summary *s);
bool fate_summary_equal(const struct fate_summary *a, const struct fate_summary *b);

void ext_summary_free(void *p);
const struct ext_summary *ext_lookup(const struct vec *db, const char *name, int arg);

/* Serialising a report between a worker and the parent (record.c). */
void record_write(FILE *f, const struct report *r);
bool record_read(FILE *f, struct report *r);

/* rules.c: the catalogue and the API tables, loaded from rules/. */
enum api_role {
	API_MAP,		/* returns a mapped address */
	API_UNMAP,		/* takes an address or a page */
	API_FOLLOW,		/* follow_pfn and friends */
	API_FOLLOW_END,
};
enum arg_kind { ARG_PAGE, ARG_ADDR, ARG_FOLIO, ARG_OTHER };
enum map_scope { SCOPE_GLOBAL, SCOPE_LOCAL, SCOPE_ATOMIC, SCOPE_NONE };

struct api {
	char *name;
	enum api_role role;
	enum arg_kind arg;	/* what the (first) argument is */
	enum map_scope scope;
	char *pair;		/* the unmap of a map, or the map of an unmap */
	char *shown;		/* name as written: kunmap_local for __kunmap_local */
};

/* What a callee does with a pointer argument during the call. */
enum callee_use { USE_READ, USE_WRITE, USE_READWRITE, USE_KEEPS, USE_RETURNS, USE_PAGEADDR };
struct callee {
	char *name;
	int arg;		/* 0-based argument index, -1 = every argument */
	enum callee_use use;
	char *unmap;		/* keeps: a mapping, returned, that lasts until unmap(), or NULL */
};

struct rule {
	char *id;
	enum severity severity;
	char *title;
	char *help;		/* explanation, for SARIF */
	char *fix;
	unsigned limit;		/* its "limit:" line, or 0 */
};

/* A map + memcpy()/memset() + unmap that a highmem.h helper does in one. */
struct helper {
	char *call;		/* memcpy */
	int addr;		/* the argument that is the mapped address */
	int addr2;		/* the argument that is a second one, or -1 */
	int need;		/* argument that must be written @need_text, or -1 */
	char *need_text;
	char *name;		/* memcpy_from_page */
	struct vec args;	/* char *: "$0", "$page", "$off", "$page1", "$off1" */
};

/*
 * A callee that takes a structure whose pointer fields name the caller's
 * buffers (rules/buffer-fields.tbl): zlib and its z_stream.
 */
struct buffer_fields {
	char *name;
	int arg;		/* 0-based argument index of the structure */
	struct vec fields;	/* char *: the fields whose buffers it uses */
};

/* A call of include/linux/err.h (rules/err-ptr.tbl). */
enum err_role { ERR_TEST, ERR_VALUE, ERR_CAST_TO, ERR_MAKE };
struct err_ptr {
	char *name;
	enum err_role role;
};

/*
 * What a call, or a macro written in the code, relies on when it runs
 * between kmap_atomic() and kunmap_atomic() (rules/atomic-effects.tbl).
 */
enum atomic_effect {
	EFFECT_NONE,		/* nothing: it runs the same with a local mapping */
	EFFECT_NOFAULT,		/* page faults disabled (user copies that fail short) */
	EFFECT_NOPREEMPT,	/* preemption disabled (a per-CPU pointer or id) */
	EFFECT_SLEEP,		/* it may sleep: a bug inside kmap_atomic() */
	EFFECT_COUNT
};
struct atomic_effect_row {
	char *name;
	bool prefix;		/* written NAME*: every name that begins so */
	enum atomic_effect effect;
};

struct rules {
	struct vec apis;	/* struct api * */
	struct vec atomic_effects;	/* struct atomic_effect_row * */
	struct vec callees;	/* struct callee * */
	struct vec helpers;	/* struct helper * */
	struct vec dax_paths;	/* char *: path prefixes (rules/dax-paths.tbl) */
	struct vec err_ptr;	/* struct err_ptr * (rules/err-ptr.tbl) */
	struct vec buffer_fields;	/* struct buffer_fields * */
	struct vec cc_options;	/* struct cc_option * (rules/gcc-options.tbl, flags.h) */
	struct vec rules;	/* struct rule * */
	char *dir;
};

bool rules_load(struct rules *rs, const char *dir, char **err);
/*
 * Add to @rs what one file of rules/ holds: @text (changed in place) read
 * as the table or the rule (<id>.md) that @path's name says; @path names
 * it in the error.  rules_load() reads each file with it; the fuzz target
 * tests/fuzz/fuzz_rules.c gives it a table from memory.
 */
bool rules_parse(struct rules *rs, const char *path, char *text, char **err);
void rules_free(struct rules *rs);
const struct api *rules_api(const struct rules *rs, const char *name);
/* The name of the first rules/apis.tbl entry of this role, scope and
 * argument, as written in code (the macro for an unmap), or NULL. */
const char *rules_api_named(const struct rules *rs, enum api_role role, enum map_scope scope,
			    enum arg_kind arg);
const struct callee *rules_callee(const struct rules *rs, const char *name, int arg);
bool rules_is_page_address(const struct rules *rs, const char *name);
/* The rules/buffer-fields.tbl row of argument @arg of @name, or NULL. */
const struct buffer_fields *rules_buffer_fields(const struct rules *rs, const char *name,
						int arg);
/* The err.h call @name (rules/err-ptr.tbl), or NULL. */
const struct err_ptr *rules_err_ptr(const struct rules *rs, const char *name);
/* The first err.h call of role @role, or NULL. */
const char *rules_err_named(const struct rules *rs, enum err_role role);
const struct rule *rules_rule(const struct rules *rs, const char *id);
/* The rules/atomic-effects.tbl row naming @name (exactly, else by prefix), or NULL. */
const struct atomic_effect_row *rules_atomic_effect(const struct rules *rs, const char *name);
const char *severity_name(enum severity s);

#endif
