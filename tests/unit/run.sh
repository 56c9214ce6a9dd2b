#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The trees one scan saves for its later passes (checker/astdump.c): read
# back exactly, and a damaged file refused, never trusted or crashed on.
# tests/unit/astdump-test.c does the checking on a real kernel file of each
# tree, under valgrind (no invalid read on any damaged input, no leak).
. "$(dirname "$0")/../lib.sh"
scratch
make -s -C "$top/checker" astdump-test >/dev/null || exit 2
for case in "6.1 fs/ext2/dir.c" "6.12 fs/ext2/dir.c" "6.12 drivers/gpu/drm/i915/gem/i915_gem_shmem.c"; do
	read -r ver file <<<"$case"
	tree_of "$ver"
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 \
		--suppressions="$top/tests/valgrind.supp" \
		"$top/checker/astdump-test" "$top/rules" "$tmp" "$src" "$build" "$file" \
		>"$tmp/out" 2>&1
	rc=$?
	result "$ver $file: $(grep -c '^PASS' "$tmp/out") round-trip and damage checks, valgrind clean" \
		"$rc" || cat "$tmp/out"
done
finish
