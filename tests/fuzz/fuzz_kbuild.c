// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_kbuild: what checker/flags.c reads of a kbuild tree and its build
 * directory: the command records (.o.cmd, .asm-offsets.s.cmd), the
 * Makefiles' variables (ccflags-y, subdir-ccflags-y, CFLAGS_<obj>.o and
 * the plain ones they use, obj-$(CONFIG_..) and composite objects) and
 * .config.  The input is up to five files, separated by NUL bytes:
 *
 *   0  build/drivers/fuzz/.bar-baz.o.cmd   the object's exact flags
 *   1  tree/drivers/fuzz/Makefile          its directory's Makefile
 *   2  build/.config
 *   3  tree/drivers/Makefile               the parent's subdir-ccflags-y
 *   4  build/arch/x86/kernel/.asm-offsets.s.cmd   the base flags
 *
 * A part that is missing or empty is no file (4: a fixed valid one), so
 * that both of flags_for_file()'s ways are taken: the .o.cmd's flags, and
 * the base flags plus the Makefiles'.  The flags of
 * drivers/fuzz/bar-baz.c are then asked for twice (flags_tree_init(),
 * flags_for_file()), as a tree-mode scan does.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flags.h"
#include "fuzz.h"

#define NPARTS 5

static const char *const names[NPARTS] = {
	"build/drivers/fuzz/.bar-baz.o.cmd", "tree/drivers/fuzz/Makefile", "build/.config",
	"tree/drivers/Makefile", "build/arch/x86/kernel/.asm-offsets.s.cmd",
};

/* what kbuild writes there, less its thousands of include paths */
static const char base_cmd[] =
	"savedcmd_arch/x86/kernel/asm-offsets.s := clang -Wp,-MMD,arch/x86/kernel/"
	".asm-offsets.s.d -nostdinc -I/tree/arch/x86/include -I./arch/x86/include/generated "
	"-I/tree/include -I./include -include /tree/include/linux/kconfig.h -D__KERNEL__ "
	"-std=gnu11 -fno-strict-aliasing -mno-sse -DKBUILD_MODFILE='\"arch/x86/kernel/"
	"asm-offsets\"' -DKBUILD_BASENAME='\"asm_offsets\"' -DKBUILD_MODNAME='\"asm_offsets\"' "
	"-D__KBUILD_MODNAME=kmod_asm_offsets -fverbose-asm -S -o arch/x86/kernel/"
	"asm-offsets.s /tree/arch/x86/kernel/asm-offsets.c\n";

static char *paths[NPARTS], *tree, *build;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	for (int i = 0; i < NPARTS; i++)
		paths[i] = fuzz_path(names[i]);
	tree = fuzz_path("tree");
	build = fuzz_path("build");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct flags_ctx fc;
	struct vec flags = { 0 };
	char *err = NULL, *not_built = NULL;

	for (int i = 0; i < NPARTS; i++) {
		const uint8_t *nul = p < end ? memchr(p, 0, (size_t)(end - p)) : NULL;
		size_t n = p < end ? (size_t)((nul ? nul : end) - p) : 0;

		if (n)
			fuzz_write(paths[i], p, n);
		else if (i == NPARTS - 1)
			fuzz_write(paths[i], base_cmd, strlen(base_cmd));
		else
			unlink(paths[i]);
		p += n + (nul != NULL);
	}
	if (!flags_tree_init(&fc, fuzz_rules(), tree, build, &err)) {
		if (!err || !*err)
			abort();
		free(err);
		flags_ctx_free(&fc);
		return 0;
	}
	flags_for_file(&fc, "drivers/fuzz/bar-baz.c", &flags, &not_built);
	for (size_t i = 0; i < flags.n; i++)
		if (!flags.v[i])
			abort();
	(void)flags_foreign(&fc, "arch/arm/fuzz/bar-baz.c");
	vec_free(&flags, free);
	free(not_built);
	flags_ctx_free(&fc);
	return 0;
}
