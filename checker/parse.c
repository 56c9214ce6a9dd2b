// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c: parse one file with libclang and turn the function bodies the
 * rules care about into the tree of ast.h.
 *
 * Function bodies are built for the main file and for headers that belong
 * to a subsystem (not include/ or arch/x/include/): an inline helper in
 * fs/ext2/ext2.h is checked, the API's own definitions in
 * include/linux/highmem*.h are not.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "libclang.h"

#include "ast.h"
#include "parse.h"

/* Per translation unit state, passed as CXClientData. */
struct builder {
	CXTranslationUnit cx;
	struct tu *tu;
	CXFile main;
	/* CXFile -> index in tu->files, or -1 for a global header */
	struct { CXFile f; int idx; } *fmap;
	size_t nfmap, capfmap;
	/* canonical declaration cursor -> struct decl, open addressing on
	 * clang_hashCursor() (a kernel TU declares tens of thousands) */
	struct dslot { CXCursor c; struct decl *d; unsigned h; } *dmap;
	size_t ndmap, capdmap;
	struct func *cur;
	/* record declaration -> does the record hold a pointer somewhere */
	struct rslot { CXCursor c; unsigned h; bool ptr; } *rmap;
	size_t nrmap, caprmap;
	char *main_dir;		/* directory of the main file, relative or absolute */
};

static char *cx_string(CXString s)
{
	const char *c = clang_getCString(s);
	char *out = xstrdup(c ? c : "");

	clang_disposeString(s);
	return out;
}

/*
 * Headers whose function bodies are not checked: the tree's include/ and
 * arch/x/include/, and files outside the tree (generated headers, system
 * headers) unless they sit next to the main file.
 */
static bool is_global_header(const char *rel, const char *main_dir)
{
	if (str_starts(rel, "include/"))
		return true;
	if (rel[0] == '/') {
		size_t n = strlen(main_dir);

		return !(n && !strncmp(rel, main_dir, n) && rel[n] == '/' &&
			 !strchr(rel + n + 1, '/'));
	}
	if (str_starts(rel, "arch/")) {
		const char *p = strchr(rel + 5, '/');

		return p && str_starts(p, "/include/");
	}
	return false;
}

/* Index of @f in tu->files, or -1 when bodies there are not built. */
static int file_index(struct builder *b, CXFile f)
{
	char *abs, *rel;
	int idx = -1;

	if (!f)
		return -1;
	for (size_t i = 0; i < b->nfmap; i++)
		if (clang_File_isEqual(b->fmap[i].f, f))
			return b->fmap[i].idx;
	abs = cx_string(clang_File_tryGetRealPathName(f));
	if (!*abs) {
		free(abs);
		abs = cx_string(clang_getFileName(f));
	}
	rel = path_relative(abs, b->tu->tree);
	if (clang_File_isEqual(f, b->main)) {
		idx = 0;
	} else if ((str_ends(rel, ".h") || str_ends(rel, ".c")) &&
		   !is_global_header(rel, b->main_dir)) {
		/* a subsystem header, or a .c the main file #includes (selftests) */
		idx = (int)b->tu->files.n;
		vec_push(&b->tu->files, rel);
		rel = NULL;
	}
	free(rel);
	free(abs);
	if (b->nfmap == b->capfmap) {
		b->capfmap = b->capfmap ? 2 * b->capfmap : 32;
		b->fmap = xrealloc(b->fmap, b->capfmap * sizeof(*b->fmap));
	}
	b->fmap[b->nfmap].f = f;
	b->fmap[b->nfmap++].idx = idx;
	return idx;
}

/*
 * Where to report @loc: its spelling location when that is in a file we
 * build (a call written in a macro defined in the .c file), else where the
 * macro was expanded.
 */
static void locate(struct builder *b, CXSourceLocation loc, struct node *n)
{
	CXFile sf, ef;
	unsigned sl, sc, so, el, ec, eo;
	int idx;

	clang_getSpellingLocation(loc, &sf, &sl, &sc, &so);
	clang_getExpansionLocation(loc, &ef, &el, &ec, &eo);
	n->in_macro = !sf || !ef || !clang_File_isEqual(sf, ef) || so != eo;
	idx = file_index(b, sf);
	if (idx < 0) {
		idx = file_index(b, ef);
		sl = el;
		sc = ec;
		so = eo;
	}
	n->file = idx < 0 ? 0 : (unsigned)idx;
	n->line = sl;
	n->col = sc;
	n->begin = n->end = so;
}

/*
 * libclang maps a cursor's extent to file locations (the expansion of a
 * macro), but keeps the cursor's own location as written: locate by the
 * latter, take rewrite offsets from the former when both agree.
 */
static void extent(struct builder *b, CXCursor c, struct node *n)
{
	CXSourceRange r = clang_getCursorExtent(c);
	CXFile f1, f2;
	unsigned o1, o2;

	locate(b, clang_getCursorLocation(c), n);
	if (n->in_macro)
		return;
	clang_getSpellingLocation(clang_getRangeStart(r), &f1, NULL, NULL, &o1);
	clang_getSpellingLocation(clang_getRangeEnd(r), &f2, NULL, NULL, &o2);
	if (f1 && f2 && clang_File_isEqual(f1, f2) && o2 >= o1) {
		n->begin = o1;
		n->end = o2;
	}
}

/* A pointer to void or to a character type, or an array of characters:
 * what the copy helpers of highmem.h take (char *, const char *). */
static bool type_is_bytes(CXType t)
{
	CXType e;

	t = clang_getCanonicalType(t);
	if (t.kind == CXType_Pointer)
		e = clang_getPointeeType(t);
	else if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
		 t.kind == CXType_VariableArray)
		e = clang_getArrayElementType(t);
	else
		return false;
	e = clang_getCanonicalType(e);
	return e.kind == CXType_Void || e.kind == CXType_Char_S || e.kind == CXType_Char_U ||
	       e.kind == CXType_SChar || e.kind == CXType_UChar;
}

static void dmap_put(struct builder *b, CXCursor c, struct decl *d, unsigned h)
{
	size_t i;

	if (2 * (b->ndmap + 1) > b->capdmap) {
		struct dslot *old = b->dmap;
		size_t n = b->capdmap;

		b->capdmap = n ? 2 * n : 1024;
		b->dmap = xcalloc(b->capdmap, sizeof(*b->dmap));
		b->ndmap = 0;
		for (size_t k = 0; k < n; k++)
			if (old[k].d)
				dmap_put(b, old[k].c, old[k].d, old[k].h);
		free(old);
	}
	for (i = h & (b->capdmap - 1); b->dmap[i].d; i = (i + 1) & (b->capdmap - 1))
		;
	b->dmap[i] = (struct dslot){ c, d, h };
	b->ndmap++;
}

static void decl_fill(struct decl *d, CXCursor c);

static struct decl *decl_of(struct builder *b, CXCursor ref)
{
	CXCursor c = clang_getCanonicalCursor(ref);
	unsigned h = clang_hashCursor(c);
	struct decl *d;
	size_t i;

	for (i = h & (b->capdmap - 1); b->capdmap && b->dmap[i].d; i = (i + 1) & (b->capdmap - 1))
		if (b->dmap[i].h == h && clang_equalCursors(b->dmap[i].c, c))
			return b->dmap[i].d;
	d = xcalloc(1, sizeof(*d));
	decl_fill(d, c);
	vec_push(&b->tu->decls, d);
	dmap_put(b, c, d, h);
	return d;
}

/* @d's name, type and kind, from its canonical cursor @c */
static void decl_fill(struct decl *d, CXCursor c)
{
	enum CXCursorKind k = clang_getCursorKind(c);
	CXType t;

	d->name = cx_string(clang_getCursorSpelling(c));
	t = clang_getCanonicalType(clang_getCursorType(c));
	d->type = cx_string(clang_getTypeSpelling(clang_getCursorType(c)));
	d->is_pointer = t.kind == CXType_Pointer;
	d->is_array = t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
		      t.kind == CXType_VariableArray;
	d->is_record = t.kind == CXType_Record;
	d->is_bytes = type_is_bytes(t);
	d->is_signed = t.kind == CXType_Char_S || t.kind == CXType_SChar ||
		       (t.kind >= CXType_Short && t.kind <= CXType_Int128);
	d->index = -1;
	clang_getSpellingLocation(clang_getCursorLocation(c), NULL, &d->line, NULL, NULL);
	switch (k) {
	case CXCursor_FunctionDecl:
		d->kind = D_FUNC;
		d->is_static = clang_getCursorLinkage(c) == CXLinkage_Internal;
		break;
	case CXCursor_ParmDecl:
		d->kind = D_PARAM;
		break;
	case CXCursor_VarDecl:
		if (clang_Cursor_hasVarDeclGlobalStorage(c) != 1)
			d->kind = D_LOCAL;
		else if (clang_getCursorSemanticParent(c).kind == CXCursor_FunctionDecl)
			d->kind = D_STATIC_LOCAL;
		else
			d->kind = D_GLOBAL;
		d->is_static = clang_getCursorLinkage(c) == CXLinkage_Internal;
		break;
	default:
		d->kind = D_OTHER;
	}
}

static const char *intern_op(const char *s)
{
	const char *op = ast_op(s);

	return op ? op : "?";
}

/*
 * libclang 14 does not expose operator kinds.  Read the operator from
 * the text: for a binary operator the first punctuation between the
 * operands, for a unary one the first (prefix) or last (postfix) token.
 * Inside a macro expansion the text is not there; the operator is "?" and
 * the rules treat it conservatively.
 */
static const char *const binary_ops[] = {
	"<<=", ">>=", "==", "!=", "<=", ">=", "&&", "||", "<<", ">>", "+=", "-=",
	"*=", "/=", "%=", "&=", "|=", "^=", "+", "-", "*", "/", "%", "<", ">", "&",
	"|", "^", "=", ",",
};

/*
 * The operator in @text between the operands, skipping blanks, comments
 * and the closing brackets of the left operand.  The text is read rather
 * than tokenized: libclang tokenizes a range that ends where a macro is
 * expanded (p = NULL, x * PAGE_SIZE) to nothing.
 */
static const char *op_in_text(const char *text, size_t len, size_t at, size_t end)
{
	while (at < end && at < len) {
		const char *p = text + at;

		if (isspace((unsigned char)*p) || *p == ')' || *p == ']') {
			at++;
		} else if (*p == '/' && at + 1 < len && p[1] == '*') {
			const char *e = memmem(p + 2, len - at - 2, "*/", 2);

			if (!e)
				break;
			at = (size_t)(e - text) + 2;
		} else if (*p == '/' && at + 1 < len && p[1] == '/') {
			const char *e = memchr(p, '\n', len - at);

			if (!e)
				break;
			at = (size_t)(e - text) + 1;
		} else if (*p == '\\' && at + 1 < len && p[1] == '\n') {
			at += 2;
		} else {
			for (size_t i = 0; i < sizeof(binary_ops) / sizeof(binary_ops[0]); i++) {
				size_t l = strlen(binary_ops[i]);

				if (at + l <= len && !strncmp(p, binary_ops[i], l))
					return intern_op(binary_ops[i]);
			}
			break;
		}
	}
	return "?";
}

static const char *op_between(struct builder *b, CXSourceLocation from, CXSourceLocation to)
{
	CXFile ff, tf;
	unsigned fo, to_off;
	const char *text;
	size_t len;

	clang_getExpansionLocation(from, &ff, NULL, NULL, &fo);
	clang_getExpansionLocation(to, &tf, NULL, NULL, &to_off);
	if (!ff || !tf || !clang_File_isEqual(ff, tf) || fo > to_off)
		return "?";
	text = clang_getFileContents(b->cx, ff, &len);
	return text ? op_in_text(text, len, fo, to_off) : "?";
}

/*
 * A prefix operator spelled in a macro's definition or argument
 * (WRITE_ONCE()'s *(volatile T *)&(x)): the text where it is spelled,
 * which is a header or the file itself.  A postfix one, or one made by
 * token pasting, stays "?".
 */
static const char *macro_prefix_op(struct builder *b, CXCursor c)
{
	static const char *const prefix[] = { "++", "--", "&", "*", "-", "+", "!", "~" };
	CXFile f;
	unsigned off;
	size_t len;
	const char *text;

	clang_getSpellingLocation(clang_getRangeStart(clang_getCursorExtent(c)), &f, NULL, NULL,
				  &off);
	text = f ? clang_getFileContents(b->cx, f, &len) : NULL;
	if (!text || off >= len || (off + 1 < len && text[off] == '&' && text[off + 1] == '&'))
		return "?";
	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (!strncmp(text + off, prefix[i], strlen(prefix[i])))
			return intern_op(prefix[i]);
	return "?";
}

/*
 * The identifier written where cursor @c comes from: the macro's name for
 * a call or an asm statement expanded from one, the callee's own name for a
 * call written out (in a macro argument too); NULL when there is none.
 */
static char *written_ident(struct builder *b, CXCursor c)
{
	CXFile f;
	unsigned off;
	size_t len, n = 0;
	const char *text;

	clang_getSpellingLocation(clang_getCursorLocation(c), &f, NULL, NULL, &off);
	text = f ? clang_getFileContents(b->cx, f, &len) : NULL;
	if (!text || off >= len || !(isalpha((unsigned char)text[off]) || text[off] == '_'))
		return NULL;
	while (off + n < len && ident_char(text[off + n]))
		n++;
	return xasprintf("%.*s", (int)n, text + off);
}

static const char *unary_op(struct builder *b, CXCursor c)
{
	CXToken *tok = NULL;
	unsigned n = 0;
	const char *op = "?";

	clang_tokenize(b->cx, clang_getCursorExtent(c), &tok, &n);
	if (n) {
		char *first = cx_string(clang_getTokenSpelling(b->cx, tok[0]));
		char *last = cx_string(clang_getTokenSpelling(b->cx, tok[n - 1]));

		if (clang_getTokenKind(tok[0]) == CXToken_Punctuation && strcmp(first, "("))
			op = intern_op(first);
		else if (!strcmp(last, "++"))
			op = "post++";
		else if (!strcmp(last, "--"))
			op = "post--";
		free(first);
		free(last);
		clang_disposeTokens(b->cx, tok, n);
	}
	return op;
}

static bool holds_pointer(struct builder *b, CXType t, int depth);

struct fields {
	struct builder *b;
	int depth;
	bool ptr;
};

static enum CXVisitorResult field_visit(CXCursor c, CXClientData data)
{
	struct fields *f = data;

	f->ptr = holds_pointer(f->b, clang_getCursorType(c), f->depth + 1);
	return f->ptr ? CXVisit_Break : CXVisit_Continue;
}

/* Can a value of type @t hold a pointer: a pointer, or a record or array with one? */
static bool holds_pointer(struct builder *b, CXType t, int depth)
{
	CXCursor decl;
	unsigned h;
	struct fields f = { b, depth, false };

	t = clang_getCanonicalType(t);
	if (t.kind == CXType_Pointer || depth > 6)
		return true;
	if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
		return holds_pointer(b, clang_getArrayElementType(t), depth + 1);
	if (t.kind != CXType_Record)
		return false;
	decl = clang_getTypeDeclaration(t);
	h = clang_hashCursor(decl);
	for (size_t i = 0; i < b->nrmap; i++)
		if (b->rmap[i].h == h && clang_equalCursors(b->rmap[i].c, decl))
			return b->rmap[i].ptr;
	clang_Type_visitFields(t, field_visit, &f);
	if (b->nrmap == b->caprmap) {
		b->caprmap = b->caprmap ? 2 * b->caprmap : 32;
		b->rmap = xrealloc(b->rmap, b->caprmap * sizeof(*b->rmap));
	}
	b->rmap[b->nrmap].c = decl;
	b->rmap[b->nrmap].h = h;
	b->rmap[b->nrmap++].ptr = f.ptr;
	return f.ptr;
}

static void set_type(struct builder *b, struct node *n, CXType t)
{
	t = clang_getCanonicalType(t);
	n->is_pointer = t.kind == CXType_Pointer;
	n->is_array = t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray ||
		      t.kind == CXType_VariableArray;
	n->is_integer = t.kind >= CXType_Bool && t.kind <= CXType_Int128;
	n->is_bytes = type_is_bytes(t);
	/* a structure or union that can hold a pointer (a jint16_t cannot) */
	n->is_record = t.kind == CXType_Record && holds_pointer(b, t, 0);
	n->is_union = n->is_record &&
		      clang_getCursorKind(clang_getTypeDeclaration(t)) == CXCursor_UnionDecl;
}

static struct node *build(struct builder *b, CXCursor c, struct node *parent);

/*
 * The key of a function-pointer field, "struct ops.fn@dir/ops.h", for
 * @field (a FieldDecl) when its structure is defined in a file whose
 * bodies are built (the main file or a subsystem header, not include/):
 * only then can the functions stored into it be found (ops.c).
 */
static char *field_key(struct builder *b, CXCursor field)
{
	CXType t = clang_getCanonicalType(clang_getCursorType(field));
	CXCursor rec;
	CXFile f;
	char *tspell, *fname, *key = NULL;
	int idx;

	if (clang_getCursorKind(field) != CXCursor_FieldDecl || t.kind != CXType_Pointer)
		return NULL;
	t = clang_getCanonicalType(clang_getPointeeType(t));
	if (t.kind != CXType_FunctionProto && t.kind != CXType_FunctionNoProto)
		return NULL;
	rec = clang_getCursorSemanticParent(field);
	clang_getSpellingLocation(clang_getCursorLocation(rec), &f, NULL, NULL, NULL);
	idx = file_index(b, f);
	if (idx < 0)
		return NULL;
	tspell = cx_string(clang_getTypeSpelling(clang_getCanonicalType(clang_getCursorType(rec))));
	fname = cx_string(clang_getCursorSpelling(field));
	if (!strchr(tspell, '(') && *fname &&
	    (str_starts(tspell, "struct ") || str_starts(tspell, "union ")))
		key = xasprintf("%s.%s@%s", tspell, fname, tu_file(b->tu, (unsigned)idx));
	free(tspell);
	free(fname);
	return key;
}

struct kids {
	struct builder *b;
	struct vec v;		/* CXCursor * */
};

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent, CXClientData data)
{
	struct kids *k = data;
	CXCursor *copy;

	(void)parent;
	switch (clang_getCursorKind(c)) {
	case CXCursor_TypeRef:
	case CXCursor_TemplateRef:
	case CXCursor_NamespaceRef:
	case CXCursor_ParmDecl:
	case CXCursor_StructDecl:
	case CXCursor_UnionDecl:
	case CXCursor_EnumDecl:
	case CXCursor_TypedefDecl:
	case CXCursor_FieldDecl:
	case CXCursor_UnexposedAttr:
	case CXCursor_PackedAttr:
	case CXCursor_AlignedAttr:
		return CXChildVisit_Continue;
	default:
		break;
	}
	if (clang_isAttribute(clang_getCursorKind(c)))
		return CXChildVisit_Continue;
	copy = xmalloc(sizeof(*copy));
	*copy = c;
	vec_push(&k->v, copy);
	return CXChildVisit_Continue;
}

/*
 * A unary operator written in a macro's body: libclang 14 reports its
 * place as where the macro is expanded (clang_getSpellingLocation is the
 * file location there), so its text is out of reach.  The types tell
 * the two that matter apart: *p has the type p points to, &x points to
 * the type of x, and !p of a pointer is the only one of them on a
 * pointer that gives an int.
 */
static const char *typed_unary_op(struct builder *b, CXCursor c)
{
	struct kids k = { b, { 0 } };
	const char *op = "?";

	clang_visitChildren(c, collect, &k);
	if (k.v.n == 1) {
		CXType r = clang_getCanonicalType(clang_getCursorType(c));
		CXType o = clang_getCanonicalType(clang_getCursorType(*(CXCursor *)k.v.v[0]));

		if (o.kind == CXType_Pointer &&
		    clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(o)), r))
			op = "*";
		else if (r.kind == CXType_Pointer &&
			 clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(r)), o))
			op = "&";
		else if (o.kind == CXType_Pointer && r.kind == CXType_Int)
			op = "!";
	}
	vec_free(&k.v, free);
	return op;
}

static void add_kids(struct builder *b, struct node *n, CXCursor c)
{
	struct kids k = { b, { 0 } };

	clang_visitChildren(c, collect, &k);
	n->kid = xcalloc(k.v.n, sizeof(*n->kid));
	for (size_t i = 0; i < k.v.n; i++) {
		struct node *kid = build(b, *(CXCursor *)k.v.v[i], n);

		if (kid)
			n->kid[n->nkid++] = kid;
	}
	vec_free(&k.v, free);
}

static const struct { enum CXCursorKind ck; enum nkind nk; } kind_map[] = {
	{ CXCursor_CompoundStmt, N_COMPOUND }, { CXCursor_IfStmt, N_IF },
	{ CXCursor_ForStmt, N_FOR }, { CXCursor_WhileStmt, N_WHILE },
	{ CXCursor_DoStmt, N_DO }, { CXCursor_SwitchStmt, N_SWITCH },
	{ CXCursor_CaseStmt, N_CASE }, { CXCursor_DefaultStmt, N_DEFAULT },
	{ CXCursor_GotoStmt, N_GOTO }, { CXCursor_LabelStmt, N_LABEL },
	{ CXCursor_ReturnStmt, N_RETURN }, { CXCursor_BreakStmt, N_BREAK },
	{ CXCursor_ContinueStmt, N_CONTINUE }, { CXCursor_DeclStmt, N_DECLSTMT },
	{ CXCursor_NullStmt, N_NULLSTMT }, { CXCursor_VarDecl, N_VAR },
	{ CXCursor_CallExpr, N_CALL }, { CXCursor_DeclRefExpr, N_REF },
	{ CXCursor_MemberRefExpr, N_MEMBER }, { CXCursor_UnaryOperator, N_UNARY },
	{ CXCursor_BinaryOperator, N_BINARY },
	{ CXCursor_CompoundAssignOperator, N_BINARY },
	{ CXCursor_ConditionalOperator, N_COND },
	{ CXCursor_CStyleCastExpr, N_CAST }, { CXCursor_ParenExpr, N_PAREN },
	{ CXCursor_ArraySubscriptExpr, N_INDEX }, { CXCursor_UnaryExpr, N_SIZEOF },
	{ CXCursor_InitListExpr, N_INITLIST }, { CXCursor_IntegerLiteral, N_LITERAL },
	{ CXCursor_StringLiteral, N_LITERAL }, { CXCursor_CharacterLiteral, N_LITERAL },
	{ CXCursor_FloatingLiteral, N_LITERAL }, { CXCursor_StmtExpr, N_STMTEXPR },
	{ CXCursor_GCCAsmStmt, N_ASM },
};

static enum nkind node_kind(enum CXCursorKind ck)
{
	for (size_t i = 0; i < sizeof(kind_map) / sizeof(kind_map[0]); i++)
		if (kind_map[i].ck == ck)
			return kind_map[i].nk;
	return N_OTHER;
}

/* An implicit cast or other unexposed expression with one child: skip it. */
static bool passthrough(CXCursor c, CXCursor *only)
{
	struct kids k = { NULL, { 0 } };
	bool one;

	if (clang_getCursorKind(c) != CXCursor_UnexposedExpr)
		return false;
	clang_visitChildren(c, collect, &k);
	one = k.v.n == 1;
	if (one)
		*only = *(CXCursor *)k.v.v[0];
	vec_free(&k.v, free);
	return one;
}

/* The value of a loop condition that is an integer constant (while (1), while (0)). */
static void eval_cond(struct node *loop, CXCursor cond)
{
	CXEvalResult r = clang_Cursor_Evaluate(cond);

	if (!r)
		return;
	if (clang_EvalResult_getKind(r) == CXEval_Int)
		loop->const_cond = clang_EvalResult_getAsLongLong(r) ? COND_TRUE : COND_FALSE;
	clang_EvalResult_dispose(r);
}

/*
 * Whether a constant if condition is decided by types alone, as
 * __builtin_types_compatible_p() decides the branches of
 * static_branch_likely() and __same_type(): nothing in it that a
 * configuration or an architecture could change (a literal, which is
 * what IS_ENABLED() expands to, an enumerator, sizeof, a call
 * such as __builtin_constant_p()).  Only such a branch is left out of the
 * control flow: the analysis is of one configuration, its conversions are
 * for the HIGHMEM ones.
 */
static enum CXChildVisitResult config_dependent(CXCursor c, CXCursor parent, CXClientData data)
{
	bool *dep = data;

	(void)parent;
	switch (clang_getCursorKind(c)) {
	case CXCursor_IntegerLiteral: case CXCursor_FloatingLiteral:
	case CXCursor_CharacterLiteral: case CXCursor_StringLiteral:
	case CXCursor_CallExpr: case CXCursor_UnaryExpr:
		*dep = true;
		return CXChildVisit_Break;
	case CXCursor_DeclRefExpr:
		if (clang_getCursorKind(clang_getCursorReferenced(c)) == CXCursor_EnumConstantDecl) {
			*dep = true;
			return CXChildVisit_Break;
		}
		break;
	default:
		break;
	}
	return CXChildVisit_Recurse;
}

/* The condition of an if, as a constant, when types alone decide it. */
static void if_cond(CXCursor c, struct node *n)
{
	struct kids k = { NULL, { 0 } };
	bool dep = false;

	clang_visitChildren(c, collect, &k);
	if (k.v.n >= 2) {
		CXCursor cond = *(CXCursor *)k.v.v[0];

		/* the condition itself (IS_ENABLED() can end in a bare 0), then its parts */
		if (config_dependent(cond, c, &dep) == CXChildVisit_Recurse)
			clang_visitChildren(cond, config_dependent, &dep);
		if (!dep)
			eval_cond(n, cond);
	}
	vec_free(&k.v, free);
}

/* Where @loc is expanded in the main file, as an offset; false elsewhere. */
static bool main_offset(struct builder *b, CXSourceLocation loc, unsigned *off)
{
	CXFile f;

	clang_getExpansionLocation(loc, &f, NULL, NULL, off);
	return f && clang_File_isEqual(f, b->main);
}

/*
 * Which parts of for (init; cond; inc) are written.  libclang lists only
 * the parts present, so the two ';' of the header tell them apart; a loop
 * spelled inside a macro (list_for_each_entry()) has all three when it has
 * four children, and is read init, cond, inc in that order otherwise.
 */
static void for_parts(struct builder *b, CXCursor c, struct node *n)
{
	struct kids k = { b, { 0 } };
	unsigned semi[2] = { 0, 0 }, nsemi = 0, start, body, ntok = 0, depth = 0;
	CXToken *tok = NULL;
	size_t i;
	unsigned part = 0;

	clang_visitChildren(c, collect, &k);
	if (k.v.n != n->nkid || !n->nkid)
		goto out;
	if (n->nkid == 4) {
		n->for_parts = FOR_INIT | FOR_COND | FOR_INC;
	} else if (!n->in_macro &&
		   main_offset(b, clang_getRangeStart(clang_getCursorExtent(c)), &start) &&
		   main_offset(b, clang_getRangeStart(clang_getCursorExtent(
				*(CXCursor *)k.v.v[k.v.n - 1])), &body) && body > start) {
		CXSourceRange r = clang_getRange(clang_getLocationForOffset(b->cx, b->main, start),
						 clang_getLocationForOffset(b->cx, b->main, body));

		clang_tokenize(b->cx, r, &tok, &ntok);
		for (unsigned t = 0; t < ntok && nsemi < 2; t++) {
			CXString sp = clang_getTokenSpelling(b->cx, tok[t]);
			const char *ts = clang_getCString(sp);

			if (!strcmp(ts, "(") || !strcmp(ts, "[") || !strcmp(ts, "{"))
				depth++;
			else if ((!strcmp(ts, ")") || !strcmp(ts, "]") || !strcmp(ts, "}")) && depth)
				depth--;
			else if (!strcmp(ts, ";") && depth == 1)
				clang_getExpansionLocation(clang_getTokenLocation(b->cx, tok[t]),
							   NULL, NULL, NULL, &semi[nsemi++]);
			clang_disposeString(sp);
		}
		clang_disposeTokens(b->cx, tok, ntok);
	}
	if (!n->for_parts && nsemi == 2) {
		for (i = 0; i + 1 < k.v.n; i++) {
			unsigned at;

			if (!main_offset(b, clang_getRangeStart(clang_getCursorExtent(
						*(CXCursor *)k.v.v[i])), &at))
				break;
			n->for_parts |= at < semi[0] ? FOR_INIT : at < semi[1] ? FOR_COND : FOR_INC;
		}
		if (i + 1 < k.v.n)
			n->for_parts = 0;
	}
	if (!n->for_parts && n->nkid == 2)
		n->for_parts = FOR_COND;
	else if (!n->for_parts && n->nkid == 3)
		n->for_parts = FOR_INIT | FOR_COND;
	/* the condition, for a constant */
	for (i = 0; i + 1 < k.v.n; i++) {
		unsigned bit;

		while (part < 3 && !(n->for_parts & (1u << part)))
			part++;
		bit = 1u << part++;
		if (bit == FOR_COND)
			eval_cond(n, *(CXCursor *)k.v.v[i]);
	}
out:
	vec_free(&k.v, free);
}

/* The condition of a while or do loop, for a constant. */
static void loop_cond(struct builder *b, CXCursor c, struct node *n)
{
	struct kids k = { b, { 0 } };

	clang_visitChildren(c, collect, &k);
	if (k.v.n == 2)
		eval_cond(n, *(CXCursor *)k.v.v[n->kind == N_DO ? 1 : 0]);
	vec_free(&k.v, free);
}

static struct node *build(struct builder *b, CXCursor c, struct node *parent)
{
	enum CXCursorKind ck = clang_getCursorKind(c);
	CXCursor only;
	struct node *n;

	while (passthrough(c, &only)) {
		c = only;
		ck = clang_getCursorKind(c);
	}
	n = xcalloc(1, sizeof(*n));
	n->parent = parent;
	n->kind = node_kind(ck);
	n->op = "";
	extent(b, c, n);
	if (clang_isExpression(ck))
		set_type(b, n, clang_getCursorType(c));
	/* arguments of API calls keep their type as written, before conversion */
	if (parent && parent->kind == N_CALL && parent->name && clang_isExpression(ck) &&
	    rules_api(b->tu->rules, parent->name))
		n->type = cx_string(clang_getTypeSpelling(
			clang_getCanonicalType(clang_getCursorType(c))));

	switch (n->kind) {
	case N_REF: {
		CXCursor ref = clang_getCursorReferenced(c);

		n->name = cx_string(clang_getCursorSpelling(c));
		if (!clang_Cursor_isNull(ref))
			n->decl = decl_of(b, ref);
		break;
	}
	case N_VAR:
		n->name = cx_string(clang_getCursorSpelling(c));
		n->decl = decl_of(b, c);
		set_type(b, n, clang_getCursorType(c));
		{
			CXCursor init = clang_Cursor_getVarDeclInitializer(c);

			if (!clang_Cursor_isNull(init)) {
				n->kid = xcalloc(1, sizeof(*n->kid));
				n->kid[0] = build(b, init, n);
				n->nkid = 1;
			}
		}
		return n;
	case N_MEMBER:
		n->name = cx_string(clang_getCursorSpelling(c));
		if (!n->type)
			n->type = field_key(b, clang_getCursorReferenced(c));
		break;
	case N_INITLIST:
		/* which structure it initialises (ops.c: stores by position) */
		if (!n->type && n->is_record)
			n->type = cx_string(clang_getTypeSpelling(
				clang_getCanonicalType(clang_getCursorType(c))));
		break;
	case N_OTHER:
		/* ".fn = handler" in an initialiser names the field so */
		if (ck == CXCursor_MemberRef) {
			n->name = cx_string(clang_getCursorSpelling(c));
			n->type = field_key(b, clang_getCursorReferenced(c));
		}
		break;
	case N_CALL: {
		CXCursor ref = clang_getCursorReferenced(c);

		if (!clang_Cursor_isNull(ref) && clang_getCursorKind(ref) == CXCursor_FunctionDecl)
			n->name = cx_string(clang_getCursorSpelling(c));
		/* (libclang 14 locates a macro body's tokens where the macro is
		 * used, so in_macro does not tell: compare with the text) */
		n->macro = n->name ? written_ident(b, c) : NULL;
		if (n->macro && !strcmp(n->macro, n->name)) {
			free(n->macro);
			n->macro = NULL;
		}
		break;
	}
	case N_ASM:
		n->macro = written_ident(b, c);
		if (n->macro && (!strcmp(n->macro, "asm") || !strncmp(n->macro, "__asm", 5))) {
			free(n->macro);
			n->macro = NULL;
		}
		break;
	case N_LABEL:
		n->name = cx_string(clang_getCursorSpelling(c));
		break;
	case N_GOTO: {
		CXCursor ref = clang_getCursorReferenced(c);

		n->name = cx_string(clang_getCursorSpelling(ref));
		return n;
	}
	case N_SIZEOF:
		return n;	/* sizeof(*p) is not a use of p */
	case N_UNARY:
		n->op = n->in_macro ? macro_prefix_op(b, c) : unary_op(b, c);
		if (!strcmp(n->op, "?"))
			n->op = typed_unary_op(b, c);
		break;
	default:
		break;
	}
	add_kids(b, n, c);
	if (n->kind == N_FOR)
		for_parts(b, c, n);
	else if (n->kind == N_WHILE || n->kind == N_DO)
		loop_cond(b, c, n);
	else if (n->kind == N_IF)
		if_cond(c, n);
	if (n->kind == N_MEMBER)
		n->arrow = n->nkid && n->kid[0]->is_pointer;
	if (n->kind == N_BINARY && n->nkid == 2) {
		struct kids k = { NULL, { 0 } };

		clang_visitChildren(c, collect, &k);
		if (k.v.n == 2 && !n->in_macro)
			n->op = op_between(b,
				clang_getRangeEnd(clang_getCursorExtent(*(CXCursor *)k.v.v[0])),
				clang_getRangeStart(clang_getCursorExtent(*(CXCursor *)k.v.v[1])));
		else
			n->op = "?";
		vec_free(&k.v, free);
	}
	return n;
}

/* Record direct calls and other uses of functions defined in this TU. */
static void link_calls(struct node *n, void *data)
{
	struct tu *tu = data;

	(void)tu;
	if (n->kind == N_CALL && n->nkid) {
		struct node *callee = node_strip(n->kid[0]);

		if (callee->kind == N_REF && callee->decl && callee->decl->def)
			vec_push(&callee->decl->def->callers, n);
	} else if (n->kind == N_REF && n->decl && n->decl->def) {
		struct node *p = n->parent;

		while (p && (p->kind == N_PAREN || p->kind == N_CAST))
			p = p->parent;
		if (!p || p->kind != N_CALL || node_strip(p->kid[0]) != n)
			n->decl->def->address_taken = true;
	}
}

struct top {
	struct builder *b;
	struct vec defs;	/* CXCursor * of function definitions */
	struct vec vars;	/* CXCursor * of file-scope variables */
};

/*
 * A definition in a header whose bodies are not built: keep its name and
 * parameters when rules/helpers.tbl names it, so that the rewrite uses a
 * helper only where the tree has it, with the types it takes.
 */
static void helper_def(struct builder *b, CXCursor c)
{
	const struct rules *rs = b->tu->rules;
	char *name = cx_string(clang_getCursorSpelling(c));
	struct func *fn;
	int nargs;
	size_t i;

	for (i = 0; i < rs->helpers.n; i++)
		if (!strcmp(((struct helper *)rs->helpers.v[i])->name, name))
			break;
	if (i == rs->helpers.n || tu_helper(b->tu, name)) {
		free(name);
		return;
	}
	fn = xcalloc(1, sizeof(*fn));
	fn->name = name;
	fn->decl = decl_of(b, c);
	nargs = clang_Cursor_getNumArguments(c);
	for (int a = 0; a < nargs; a++) {
		struct decl *p = decl_of(b, clang_Cursor_getArgument(c, (unsigned)a));

		p->index = a;
		vec_push(&fn->params, p);
	}
	vec_push(&b->tu->helpers, fn);
}

static enum CXChildVisitResult top_level(CXCursor c, CXCursor parent, CXClientData data)
{
	struct top *t = data;
	enum CXCursorKind k = clang_getCursorKind(c);
	CXFile f;
	CXCursor *copy;

	(void)parent;
	if (k != CXCursor_FunctionDecl && k != CXCursor_VarDecl)
		return CXChildVisit_Continue;
	if (k == CXCursor_FunctionDecl && !clang_isCursorDefinition(c))
		return CXChildVisit_Continue;
	clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL, NULL);
	if (file_index(t->b, f) < 0) {
		if (k == CXCursor_FunctionDecl)
			helper_def(t->b, c);
		return CXChildVisit_Continue;
	}
	copy = xmalloc(sizeof(*copy));
	*copy = c;
	vec_push(k == CXCursor_FunctionDecl ? &t->defs : &t->vars, copy);
	return CXChildVisit_Continue;
}

/*
 * Is the function declared __weak?  libclang 14 does not expose the
 * attribute; read the tokens of the declaration before its name.
 */
static bool is_weak(struct builder *b, CXCursor c)
{
	CXSourceRange r = clang_getRange(clang_getRangeStart(clang_getCursorExtent(c)),
					 clang_getCursorLocation(c));
	CXToken *tok = NULL;
	unsigned n = 0;
	bool weak = false;

	clang_tokenize(b->cx, r, &tok, &n);
	for (unsigned i = 0; i < n && !weak; i++) {
		char *s = cx_string(clang_getTokenSpelling(b->cx, tok[i]));

		weak = !strcmp(s, "__weak") || !strcmp(s, "weak") || !strcmp(s, "__weak__");
		free(s);
	}
	if (tok)
		clang_disposeTokens(b->cx, tok, n);
	return weak;
}

static void build_tu(struct builder *b)
{
	struct top t = { b, { 0 }, { 0 } };
	struct tu *tu = b->tu;

	clang_visitChildren(clang_getTranslationUnitCursor(b->cx), top_level, &t);

	/* first every function, so calls to later ones resolve */
	for (size_t i = 0; i < t.defs.n; i++) {
		CXCursor c = *(CXCursor *)t.defs.v[i];
		struct func *fn = xcalloc(1, sizeof(*fn));
		struct node where = { 0 };
		int nargs = clang_Cursor_getNumArguments(c);

		fn->decl = decl_of(b, c);
		fn->decl->def = fn;
		fn->name = xstrdup(fn->decl->name);
		fn->is_static = fn->decl->is_static;
		fn->is_weak = is_weak(b, c);
		locate(b, clang_getCursorLocation(c), &where);
		fn->file = where.file;
		fn->line = where.line;
		for (int a = 0; a < nargs; a++) {
			struct decl *p = decl_of(b, clang_Cursor_getArgument(c, (unsigned)a));

			p->index = a;
			vec_push(&fn->params, p);
		}
		vec_push(&tu->funcs, fn);
	}
	for (size_t i = 0; i < t.defs.n; i++) {
		CXCursor c = *(CXCursor *)t.defs.v[i];
		struct func *fn = tu->funcs.v[i];
		struct kids k = { b, { 0 } };

		b->cur = fn;
		clang_visitChildren(c, collect, &k);
		for (size_t j = 0; j < k.v.n; j++) {
			CXCursor body = *(CXCursor *)k.v.v[j];

			if (clang_getCursorKind(body) == CXCursor_CompoundStmt)
				fn->body = build(b, body, NULL);
		}
		vec_free(&k.v, free);
		if (fn->body)
			node_walk(fn->body, link_calls, tu);
	}
	/* initialisers of file-scope variables: ops tables name handlers */
	for (size_t i = 0; i < t.vars.n; i++) {
		struct node *v = build(b, *(CXCursor *)t.vars.v[i], NULL);

		vec_push(&tu->globals, v);
		node_walk(v, link_calls, tu);
	}
	vec_free(&t.defs, free);
	vec_free(&t.vars, free);
}

static const char *error_name(enum CXErrorCode e)
{
	switch (e) {
	case CXError_Success: return "success";
	case CXError_Failure: return "libclang failed to parse";
	case CXError_Crashed: return "libclang crashed";
	case CXError_InvalidArguments: return "invalid arguments to libclang";
	case CXError_ASTReadError: return "cannot read the precompiled header";
	}
	return "unknown libclang error";
}

/* Count error diagnostics and keep the first as a one-line reason. */
static void diagnostics(struct builder *b)
{
	unsigned n = clang_getNumDiagnostics(b->cx);

	for (unsigned i = 0; i < n; i++) {
		CXDiagnostic d = clang_getDiagnostic(b->cx, i);
		enum CXDiagnosticSeverity s = clang_getDiagnosticSeverity(d);

		if (s >= CXDiagnostic_Error) {
			b->tu->errors++;
			if (!b->tu->first_error) {
				CXFile f;
				unsigned line;
				char *msg = cx_string(clang_getDiagnosticSpelling(d));
				char *file, *rel;

				clang_getSpellingLocation(clang_getDiagnosticLocation(d), &f,
							  &line, NULL, NULL);
				file = f ? cx_string(clang_getFileName(f)) : xstrdup("?");
				rel = path_relative(file, b->tu->tree);
				b->tu->first_error = xasprintf("%s:%u: %s", rel, line, msg);
				free(rel);
				free(file);
				free(msg);
			}
		}
		clang_disposeDiagnostic(d);
	}
}

/* Offsets of the main file's lines that the preprocessor skipped. */
static void skipped_ranges(struct builder *b, struct parse_result *pr)
{
	CXSourceRangeList *l = clang_getSkippedRanges(b->cx, b->main);

	if (!l)
		return;
	for (unsigned i = 0; i < l->count; i++) {
		unsigned s, e;

		clang_getSpellingLocation(clang_getRangeStart(l->ranges[i]), NULL, &s, NULL, NULL);
		clang_getSpellingLocation(clang_getRangeEnd(l->ranges[i]), NULL, &e, NULL, NULL);
		pr->skip_first = xrealloc(pr->skip_first, (pr->nskip + 1) * sizeof(unsigned));
		pr->skip_last = xrealloc(pr->skip_last, (pr->nskip + 1) * sizeof(unsigned));
		pr->skip_first[pr->nskip] = s;
		pr->skip_last[pr->nskip++] = e;
	}
	clang_disposeSourceRangeList(l);
}

/*
 * Every file the translation unit read (the main file, -include files,
 * headers), by absolute path: what a cached result depends on.
 */
static void inclusion(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData data)
{
	struct vec *out = data;
	char *abs = cx_string(clang_File_tryGetRealPathName(f));

	(void)stack;
	(void)depth;
	if (abs[0] != '/') {
		char *name = cx_string(clang_getFileName(f)), *real = realpath(name, NULL);

		free(abs);
		abs = real ? real : name;
		if (real)
			free(name);
	}
	vec_push(out, abs);
}

static struct decl *decl_copy(struct tu *tu, const struct decl *d)
{
	struct decl *c = xmalloc(sizeof(*c));

	*c = *d;
	c->name = xstrdup(d->name);
	c->type = xstrdup(d->type);
	c->def = NULL;
	vec_push(&tu->decls, c);
	return c;
}

/* A helper the PCH's headers define, as helper_def() finds it without one. */
static void add_helper(struct tu *tu, const struct func *h)
{
	struct func *fn;

	if (tu_helper(tu, h->name))
		return;
	fn = xcalloc(1, sizeof(*fn));
	fn->name = xstrdup(h->name);
	fn->decl = decl_copy(tu, h->decl);
	for (size_t i = 0; i < h->params.n; i++)
		vec_push(&fn->params, decl_copy(tu, h->params.v[i]));
	vec_push(&tu->helpers, fn);
}

/* One declaration of a helper line: the fields of struct decl. */
static void put_decl(FILE *f, CXCursor c)
{
	struct decl d = { 0 };

	decl_fill(&d, c);
	fprintf(f, "\t%d,%d,%d,%d,%d,%d,%u\t%s\t%s", (int)d.kind, d.is_pointer, d.is_array,
		d.is_record, d.is_bytes, d.is_static, d.line, d.name, d.type);
	free(d.name);
	free(d.type);
}

struct prelude_visit {
	const struct rules *rules;
	FILE *out;
};

static enum CXChildVisitResult prelude_helper(CXCursor c, CXCursor parent, CXClientData data)
{
	struct prelude_visit *v = data;
	char *name;
	int nargs;

	(void)parent;
	if (clang_getCursorKind(c) != CXCursor_FunctionDecl || !clang_isCursorDefinition(c))
		return CXChildVisit_Continue;
	name = cx_string(clang_getCursorSpelling(c));
	for (size_t i = 0; i < v->rules->helpers.n; i++) {
		if (strcmp(((struct helper *)v->rules->helpers.v[i])->name, name))
			continue;
		nargs = clang_Cursor_getNumArguments(c);
		fprintf(v->out, "%s\t%d", name, nargs);
		put_decl(v->out, clang_getCanonicalCursor(c));
		for (int a = 0; a < nargs; a++)
			put_decl(v->out, clang_getCanonicalCursor(
				clang_Cursor_getArgument(c, (unsigned)a)));
		fputc('\n', v->out);
		break;
	}
	free(name);
	return CXChildVisit_Continue;
}

static void inclusion_line(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData data)
{
	struct vec one = { 0 };

	inclusion(f, stack, depth, &one);
	fprintf(data, "%s\n", (char *)one.v[0]);
	vec_free(&one, free);
}

bool parse_precompile(const char *hdr, const char *const *argv, int argc,
		      const struct rules *rules, const char *out, FILE *deps, FILE *helpers)
{
	CXIndex idx = clang_createIndex(0, 0);
	CXTranslationUnit tu = NULL;
	unsigned opts = CXTranslationUnit_ForSerialization | CXTranslationUnit_Incomplete |
			CXTranslationUnit_DetailedPreprocessingRecord;
	struct prelude_visit v = { rules, helpers };
	bool ok = clang_parseTranslationUnit2(idx, hdr, argv, argc, NULL, 0, opts, &tu) ==
		  CXError_Success && tu;

	for (unsigned i = 0; ok && i < clang_getNumDiagnostics(tu); i++) {
		CXDiagnostic d = clang_getDiagnostic(tu, i);

		ok = clang_getDiagnosticSeverity(d) < CXDiagnostic_Error;
		clang_disposeDiagnostic(d);
	}
	ok = ok && !clang_saveTranslationUnit(tu, out, CXSaveTranslationUnit_None);
	if (ok) {
		clang_getInclusions(tu, inclusion_line, deps);
		clang_visitChildren(clang_getTranslationUnitCursor(tu), prelude_helper, &v);
	}
	if (tu)
		clang_disposeTranslationUnit(tu);
	clang_disposeIndex(idx);
	return ok;
}

static bool get_decl(char **p, struct decl *d)
{
	char *f = strsep(p, "\t"), *name = strsep(p, "\t"), *type = strsep(p, "\t");
	int kind, ptr, arr, rec, bytes, st;

	if (!f || !name || !type ||
	    sscanf(f, "%d,%d,%d,%d,%d,%d,%u", &kind, &ptr, &arr, &rec, &bytes, &st, &d->line) != 7)
		return false;
	d->kind = (enum decl_kind)kind;
	d->is_pointer = ptr;
	d->is_array = arr;
	d->is_record = rec;
	d->is_bytes = bytes;
	d->is_static = st;
	d->index = -1;
	d->name = xstrdup(name);
	d->type = xstrdup(type);
	return true;
}

void pch_helper_free(void *p)
{
	struct func *fn = p;

	for (size_t i = 0; i < fn->params.n; i++) {
		struct decl *d = fn->params.v[i];

		free(d->name);
		free(d->type);
		free(d);
	}
	vec_free(&fn->params, NULL);
	if (fn->decl) {
		free(fn->decl->name);
		free(fn->decl->type);
		free(fn->decl);
	}
	free(fn->name);
	free(fn);
}

struct func *pch_helper_read(const char *line)
{
	char *copy = xstrdup(line), *p = copy, *name = strsep(&p, "\t"), *n = strsep(&p, "\t");
	struct func *fn = xcalloc(1, sizeof(*fn));
	int nargs = n ? atoi(n) : -1;
	bool ok = name && *name && nargs >= 0;

	fn->name = xstrdup(name ? name : "");
	fn->decl = xcalloc(1, sizeof(*fn->decl));
	ok = ok && get_decl(&p, fn->decl);
	for (int a = 0; ok && a < nargs; a++) {
		struct decl *d = xcalloc(1, sizeof(*d));

		vec_push(&fn->params, d);
		ok = get_decl(&p, d);
		d->index = a;
	}
	free(copy);
	if (!ok) {
		pch_helper_free(fn);
		return NULL;
	}
	return fn;
}

char *parse_engine_version(void)
{
	return cx_string(clang_getClangVersion());
}

/*
 * Parse @file with @argv (compiler flags, no file name) and build the
 * tree.  False with pr->why set when there is nothing to analyse.
 */
bool parse_file(const char *tree, const char *file, const char *const *argv, int argc,
		const struct pch *pch, const struct rules *rules, struct parse_result *pr)
{
	/* the PCH's declarations are not visited: its headers' bodies are not built */
	CXIndex idx = clang_createIndex(pch != NULL, 0);
	struct builder b = { 0 };
	enum CXErrorCode err;
	unsigned opts = CXTranslationUnit_DetailedPreprocessingRecord |
			CXTranslationUnit_KeepGoing |
			CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
	const char *why;

	memset(pr, 0, sizeof(*pr));
	pr->tu = xcalloc(1, sizeof(*pr->tu));
	pr->tu->tree = tree;
	pr->tu->rules = rules;
	pr->tu->main_text = read_file(file, &pr->tu->main_len, &why);
	if (!pr->tu->main_text) {
		pr->why = xasprintf("cannot read: %s", why);
		clang_disposeIndex(idx);
		return false;
	}
	if (pch) {
		const char **with = xcalloc((size_t)argc + 2, sizeof(*with));

		with[0] = "-include-pch";
		with[1] = pch->path;
		memcpy(with + 2, argv, (size_t)argc * sizeof(*argv));
		err = clang_parseTranslationUnit2(idx, file, with, argc + 2, NULL, 0, opts, &b.cx);
		free(with);
	} else {
		err = clang_parseTranslationUnit2(idx, file, argv, argc, NULL, 0, opts, &b.cx);
	}
	if (err != CXError_Success || !b.cx) {
		pr->why = xasprintf("%s", error_name(err));
		clang_disposeIndex(idx);
		return false;
	}
	b.tu = pr->tu;
	b.main = clang_getFile(b.cx, file);
	vec_push(&pr->tu->files, path_relative(file, tree));
	b.main_dir = xstrdup(pr->tu->files.v[0]);
	if (strrchr(b.main_dir, '/'))
		*strrchr(b.main_dir, '/') = 0;
	else
		b.main_dir[0] = 0;
	file_index(&b, b.main);
	diagnostics(&b);
	skipped_ranges(&b, pr);
	build_tu(&b);
	clang_getInclusions(b.cx, inclusion, &pr->includes);
	for (size_t i = 0; pch && i < pch->includes.n; i++)
		vec_push(&pr->includes, xstrdup(pch->includes.v[i]));
	for (size_t i = 0; pch && i < pch->helpers.n; i++)
		add_helper(pr->tu, pch->helpers.v[i]);
	free(b.fmap);
	free(b.dmap);
	free(b.rmap);
	free(b.main_dir);
	clang_disposeTranslationUnit(b.cx);
	clang_disposeIndex(idx);
	return true;
}

void parse_result_free(struct parse_result *pr)
{
	if (pr->tu)
		tu_free(pr->tu);
	free(pr->tu);
	free(pr->why);
	free(pr->skip_first);
	free(pr->skip_last);
	vec_free(&pr->includes, free);
}
