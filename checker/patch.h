/* SPDX-License-Identifier: GPL-2.0 */
/* patch.h: kmap_local_page() conversion patches. */
#ifndef MAPCHECK_PATCH_H
#define MAPCHECK_PATCH_H

#include "mapcheck.h"

/*
 * Why @dir cannot take the series (it holds other files), or NULL; the
 * series replaces the directory's content whole.
 */
char *patches_dir_problem(const char *dir);
bool emit_patches(const struct report *r, const char *tree, const char *dir, char **err);

#endif
