/* SPDX-License-Identifier: GPL-2.0 */
/* defs.h: which functions a .c file defines, read once a run. */
#ifndef MAPCHECK_DEFS_H
#define MAPCHECK_DEFS_H

#include "mapcheck.h"

struct defs;

struct defs *defs_new(void);
void defs_free(struct defs *d);
/* Does @path define (kernel style) any of the functions @names? */
bool defs_any(struct defs *d, const char *path, const struct vec *names);

#endif
