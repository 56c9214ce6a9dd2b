/* SPDX-License-Identifier: GPL-2.0 */
/* tree.h: kernel source tree, version and build directory. */
#ifndef MAPCHECK_TREE_H
#define MAPCHECK_TREE_H

#include "flags.h"

bool is_kernel_tree(const char *dir);
char *tree_find_root(const char *path);
char *tree_version(const char *tree);
char *tree_build_dir(const char *tree, const char *given, char **err);
char *cache_dir(void);

#endif
