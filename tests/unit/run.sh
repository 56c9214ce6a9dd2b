#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The trees one scan saves for its later passes (checker/astdump.c): read
# back exactly, and a damaged file refused, never trusted or crashed on.
# tests/unit/astdump-test.c does the checking on real kernel files of each
# tree; one of them under valgrind (no invalid read on any damaged input, no
# leak), which is most of this suite's time (63 s on two cores, 2026-11-23).
. "$(dirname "$0")/../lib.sh"
scratch
make -s -C "$top/checker" astdump-test >/dev/null || exit 2
vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9
    --suppressions="$top/tests/valgrind.supp")
for case in "6.12 fs/ext2/dir.c valgrind" "6.1 fs/ext2/dir.c" \
	    "6.12 drivers/gpu/drm/i915/gem/i915_gem_shmem.c"; do
	read -r ver file under <<<"$case"
	tree_of "$ver"
	run=()
	[ -n "$under" ] && run=("${vg[@]}")
	"${run[@]}" "$top/checker/astdump-test" "$top/rules" "$tmp" "$src" "$build" "$file" \
		>"$tmp/out" 2>&1
	rc=$?
	result "$ver $file: $(grep -c '^PASS' "$tmp/out") round-trip and damage checks${under:+, valgrind clean}" \
		"$rc" || cat "$tmp/out"
done
finish
