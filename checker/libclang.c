// SPDX-License-Identifier: GPL-2.0
/* libclang.c: find and load libclang at run time (see libclang.h). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>

#include "mapcheck.h"
#define LIBCLANG_NO_REDIRECT
#include "libclang.h"

#define X(f) __typeof__(&f) p_##f;
LIBCLANG_FUNCS(X)
#undef X

bool libclang_load(char **why)
{
	/* MAPCHECK_LIBCLANG, then the one the build used, then the soname */
	const char *names[] = { getenv("MAPCHECK_LIBCLANG"), MAPCHECK_LIBCLANG_PATH,
				"libclang-14.so.1", "libclang.so.1", NULL };
	void *h = NULL;
	int i;

	for (i = 0; !h && i < 4; i++) {
		if (i == 0 && !names[0])
			continue;
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
		if (i == 0 && !h)
			break;	/* an explicit choice is not second-guessed */
	}
	if (!h) {
		*why = xasprintf("cannot load libclang (%s): install Debian's libclang-dev, "
				 "or set MAPCHECK_LIBCLANG", dlerror());
		return false;
	}
#define X(f) \
	if (!(p_##f = (__typeof__(&f))dlsym(h, #f))) { \
		*why = xasprintf("libclang lacks %s: a libclang older than 14?", #f); \
		return false; \
	}
	LIBCLANG_FUNCS(X)
#undef X
	return true;
}
