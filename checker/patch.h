/* SPDX-License-Identifier: GPL-2.0 */
/* patch.h: kmap_local_page() conversion patches. */
#ifndef MAPCHECK_PATCH_H
#define MAPCHECK_PATCH_H

#include "mapcheck.h"

bool emit_patches(const struct report *r, const char *tree, const char *dir, char **err);

#endif
