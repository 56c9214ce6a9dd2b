// SPDX-License-Identifier: GPL-2.0
/* patch.c: kmap_local_page() conversion patches (not written yet). */
#include "patch.h"

bool emit_patches(const struct report *r, const char *tree, const char *dir, char **err)
{
	(void)r;
	(void)tree;
	*err = xasprintf("--emit-patches %s: conversion patches are not implemented in this "
			 "version", dir);
	return false;
}
