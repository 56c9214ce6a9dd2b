/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scratch.h: a field of a file-static structure used as scratch space.
 */
#ifndef MAPCHECK_SCRATCH_H
#define MAPCHECK_SCRATCH_H

#include "ctx.h"

/*
 * A pointer is stored into @lhs, a field of variable @v.  True when @v is
 * a file-static (or function-static) structure whose field nothing reads
 * after the storing function returns without first storing it again (see
 * scratch.c): the pointer does not outlive the call.  When @v is such a
 * structure but the rule does not hold, *@why (allocated) says where.
 */
bool scratch_store(struct ctx *ctx, const struct decl *v, struct node *lhs, char **why);

#endif
