/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfn.h: helpers shared by check_follow_pfn.c and check_pfnmap_cow.c.
 *
 * The tree of ast.h keeps no macro names, but a node expanded from a macro
 * is located where the macro is written; for nodes of the main file the
 * identifier at that offset names the macro (VM_PFNMAP, pfn_to_page,
 * pte_unmap_unlock) or, for a designated initialiser, the field.
 */
#ifndef MAPCHECK_PFN_H
#define MAPCHECK_PFN_H

#include "ctx.h"

/* The identifier written at @n's offset in the main file, or "". */
const char *word_at(const struct ctx *ctx, const struct node *n, char *buf, size_t len);
bool word_is(const struct ctx *ctx, const struct node *n, const char *w);
/* Some node under @root (before offset @before, 0: anywhere) is written @w. */
bool has_word(const struct ctx *ctx, struct node *root, const char *w, unsigned before);
/* Some call under @root is a direct call of @name. */
struct node *find_call_to(struct node *root, const char *name);

#endif
