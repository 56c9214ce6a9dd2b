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
/*
 * Why PATH may not be scanned with the flags of @tree (found @how: "--tree"
 * or from the first PATH), or NULL.  A PATH outside @tree is scanned with
 * its flags (a fixture, an out-of-tree module), but not one in another
 * kernel tree, whose own headers and configuration it needs.
 */
char *tree_path_problem(const char *path, const char *tree, const char *how);
/* Why output @path (option @opt) may not be written: it is inside @tree. */
char *tree_output_problem(const char *opt, const char *path, const char *tree);

#endif
