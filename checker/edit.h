/* SPDX-License-Identifier: GPL-2.0 */
/*
 * edit.h: source edits of a conversion and how they travel in site->fix
 * from the worker that computes them (rewrite.c for kmap(),
 * rewrite_atomic.c for kmap_atomic()) to the patch writer (patch.c); and
 * the questions both rewriters ask of the main file's text.
 */
#ifndef MAPCHECK_EDIT_H
#define MAPCHECK_EDIT_H

#include "ast.h"

/* Replace bytes [begin, end) of the site's file with @text. */
struct edit {
	unsigned begin, end;
	char *text;
};
void edit_free(void *p);
void edit_add(struct vec *v, unsigned begin, unsigned end, const char *text);

/*
 * site->fix: "E<begin>,<end>,<length>:<text>" per edit of @edits, or
 * "N<reason>" when @fail is set (a convertible site that is not converted).
 */
char *fix_encode(const struct vec *edits, const char *fail);
/*
 * The edits of site->fix into @edits (struct edit *): true when there are
 * some; else false, with @reason set when the site is convertible but was
 * not converted (why), NULL when there is no rewrite at all.
 */
bool fix_decode(const char *fix, struct vec *edits, char **reason);

/* Set *@why to the message unless it holds one: a rewrite keeps its first reason. */
void fail_first(char **why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The main file of a translation unit, as the rewriters read it. */
struct source {
	const char *text;
	size_t len;
};

/* Why neither rewriter edits a site outside the main file. */
#define SRC_INCLUDED_REASON "in an included file (a header or an #included .c): " \
	"converting it would change every file that includes it"

/* A node written in the main file with usable offsets. */
bool src_in_main(const struct source *s, const struct node *n);
/* A call "NAME ( ... )" written out in full in the main file. */
bool src_call_written(const struct source *s, const struct node *call);
/* The whitespace that starts the line holding offset @off, or NULL when
 * something else comes before @off on it. */
char *src_indent_of(const struct source *s, unsigned off);
/* The offset just past the end of the line where @off is, if only ';'
 * and blanks follow; else 0. */
unsigned src_after_line(const struct source *s, unsigned off);
/* Just past the ';' that ends the statement ending at @off, or 0. */
unsigned src_semicolon_after(const struct source *s, unsigned off);

#endif
