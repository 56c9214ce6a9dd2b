/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ast.h: a small, libclang-independent tree of each function body.
 *
 * The rules work on this tree rather than on CXCursors: it keeps the
 * operator of every unary and binary expression (libclang 14 has no API
 * for it), the declaration every name refers to, and exact source offsets
 * for the patch writer.
 */
#ifndef MAPCHECK_AST_H
#define MAPCHECK_AST_H

#include "mapcheck.h"

enum nkind {
	N_OTHER,
	N_COMPOUND, N_IF, N_FOR, N_WHILE, N_DO, N_SWITCH, N_CASE, N_DEFAULT,
	N_GOTO, N_LABEL, N_RETURN, N_BREAK, N_CONTINUE, N_DECLSTMT, N_NULLSTMT,
	N_VAR,			/* a variable declaration; kid[0] = initialiser */
	N_CALL,			/* kid[0] = callee expression, kid[1..] = args */
	N_REF,			/* a name: variable, parameter, function, enum */
	N_MEMBER,		/* kid[0] = base; name = field; arrow or dot */
	N_UNARY,		/* op = "&", "*", "-", "!", "++", "--", ... */
	N_BINARY,		/* op = "+", "=", "+=", "==", "&&", ",", ... */
	N_COND,			/* kid[0] ? kid[1] : kid[2] */
	N_CAST,
	N_PAREN,
	N_INDEX,		/* kid[0][kid[1]] */
	N_SIZEOF,
	N_INITLIST,
	N_LITERAL,
	N_STMTEXPR,		/* GNU ({ ... }) */
	N_ASM,			/* GNU asm statement; kids: its operands */
};

enum decl_kind { D_LOCAL, D_STATIC_LOCAL, D_PARAM, D_GLOBAL, D_FUNC, D_OTHER };

struct decl {
	char *name;
	enum decl_kind kind;
	char *type;		/* spelling of the type */
	bool is_pointer, is_array, is_record;	/* after typedefs */
	bool is_bytes;		/* a void or char pointer, or a char array */
	bool is_signed;		/* a signed integer */
	bool is_static;		/* function or variable with internal linkage */
	struct func *def;	/* a function defined in this translation unit */
	int index;		/* parameter index */
	unsigned line;
};

struct node {
	enum nkind kind;
	char *name;		/* callee, name, field */
	const char *op;		/* operator spelling; "?" when unknown */
	bool arrow;		/* N_MEMBER through -> */
	bool in_macro;		/* expanded from a macro */
	bool is_pointer;	/* the expression's type is a pointer */
	bool is_array;		/* ... or an array (decays to a pointer) */
	bool is_integer;
	bool is_bytes;		/* a void or char pointer, or a char array */
	bool is_record;		/* a struct or union value that can hold a pointer */
	bool is_union;		/* ... a union: every member reads the same bytes */
	struct decl *decl;	/* N_REF, N_VAR */
	struct node **kid;
	unsigned nkid;
	struct node *parent;
	unsigned file;		/* index into tu->files */
	unsigned line, col;
	unsigned begin, end;	/* byte offsets of the spelling, if !in_macro */
	/*
	 * N_CALL, N_ASM expanded from a macro: the identifier written where
	 * the macro was used (in_atomic for the preempt_count() call inside
	 * in_atomic()), when it is not the callee's own name nor asm; else NULL
	 */
	char *macro;
	char *type;		/* canonical type, for arguments of API calls */
	/* N_FOR: which of init, condition and increment are written (the
	 * kids hold only those present, then the body) */
	unsigned char for_parts;
	/* N_FOR, N_WHILE, N_DO: the condition as a constant, when it is one */
	enum { COND_VARIES, COND_FALSE, COND_TRUE } const_cond;
};

#define FOR_INIT 1u
#define FOR_COND 2u
#define FOR_INC 4u

struct func {
	char *name;
	struct decl *decl;
	struct node *body;
	struct vec params;	/* struct decl * */
	bool is_static;
	bool is_weak;		/* __weak: another file may replace this body */
	unsigned file, line;
	bool has_errors;	/* the parse of its body had errors */
	struct vec callers;	/* struct node * (N_CALL) in this TU */
	bool address_taken;	/* used other than by a direct call */
	void *summary;		/* owned by the analysis (flow.c) */
};

struct tu {
	const char *tree;	/* kernel source root */
	struct vec files;	/* char *: relative paths; index 0 = main file */
	struct vec funcs;	/* struct func * */
	struct vec helpers;	/* struct func *: rules/helpers.tbl helpers defined in
				 * a global header: name and parameters, no body */
	struct vec decls;	/* struct decl *, owned */
	struct vec globals;	/* struct node * (N_VAR) of file-scope variables */
	const struct rules *rules;
	char *main_text;	/* contents of the main file */
	size_t main_len;
	unsigned errors;	/* error diagnostics in the whole TU */
	char *first_error;
};

struct func *tu_func(const struct tu *tu, const char *name);
struct func *tu_helper(const struct tu *tu, const char *name);
const char *tu_file(const struct tu *tu, unsigned idx);
/* @s as one of the operator spellings nodes hold, or NULL if it is none. */
const char *ast_op(const char *s);
void tu_free(struct tu *tu);

/* Walk helpers. */
typedef void (*node_fn)(struct node *n, void *data);
void node_walk(struct node *n, node_fn pre, void *data);
struct node *node_strip(struct node *n);	/* parens and casts */
/*
 * The variable (or other expression) at the root of lvalue @n, through
 * ., ->, [] and *; *through_pointer says whether a pointer is crossed
 * (->, *, or [] on anything not known to be an array).
 */
struct node *lvalue_root(struct node *n, bool *through_pointer);
/*
 * The pointer variable @cond tests for NULL (p, !p, p == NULL, p != NULL),
 * or NULL; *@null_if_true: the test holds when it is NULL.
 */
struct node *node_null_tested(struct node *cond, bool *null_if_true);
/* The number of elements of array variable @d ("char *[8]"), or 0 when it is not a constant-sized array. */
unsigned decl_array_length(const struct decl *d);
/* The parent of @n above parens and casts; *@child = the kid of it on the way. */
struct node *node_up(struct node *n, struct node **child);
bool node_is_call_to(const struct node *n, const char *name);
const char *node_callee(const struct node *n);	/* direct callee name */
bool node_inside(const struct node *n, const struct node *anc);	/* @n is @anc or below it */
struct node *node_loop(const struct node *n);	/* the innermost loop around @n */
struct func *tu_func_of(const struct tu *tu, const struct node *n);	/* whose body holds @n */
char *node_text(const struct node *n);		/* normalised source */

#endif
