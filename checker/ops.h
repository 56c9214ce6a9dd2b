/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ops.h: calls through a function-pointer field of a structure ("ops
 * tables"), resolved to the functions the tree stores into that field.
 *
 * parse.c gives each use of such a field a key, "struct T.f@dir/t.h",
 * when struct T is defined in the main file or in a subsystem header
 * (not include/).  A structure defined in the main file is private to its
 * translation unit: every store into the field is in it.  One defined in
 * a subsystem header is taken to be stored into only by the .c files of
 * that header's directory and its subdirectories, and is resolved only
 * for calls made from there; each of those files is summarised
 * (walk.c) and the summaries are merged (ops_ext_merge).
 */
#ifndef MAPCHECK_OPS_H
#define MAPCHECK_OPS_H

#include "ctx.h"
#include "fate.h"

/* The key of the field an indirect call goes through, or NULL. */
const char *ops_call_key(const struct node *call);
/* The parts of @key, allocated: "struct T", "f", "dir/t.h". */
char *ops_key_type(const char *key);
char *ops_key_field(const char *key);
char *ops_key_file(const char *key);
/* Are @key's stores all in this translation unit, or in files summarised for it? */
bool ops_key_private(const struct tu *tu, const char *key);
bool ops_key_reachable(const struct tu *tu, const char *key);

/* What function @fn of this translation unit does with its parameter @i. */
typedef const struct fate_summary *(*param_summariser)(struct ctx *ctx, struct func *fn, int i);

/*
 * What the functions this translation unit stores into field @key do with
 * their argument @arg, merged, the worst first (fate, why and note are as
 * in struct ext_summary; why and note allocated).  False when this
 * translation unit stores no function there.  A store of anything but a
 * function (a parameter, a computed pointer) makes the fate FATE_ESCAPES.
 * Each function is summarised by @summarise (the summaries of flow.h,
 * which themselves look through ops fields: passed in, not included).
 */
bool ops_summarise(struct ctx *ctx, const char *key, int arg, param_summariser summarise,
		   struct ext_summary *out);
/* The most arguments of the functions stored into @key here, or -1 for none. */
int ops_arity(struct ctx *ctx, const char *key);
/* Merge the other files' summaries of @key for @arg (arg -1: every argument). */
bool ops_ext_merge(const struct vec *ext, const char *key, int arg, struct ext_summary *out);

#endif
