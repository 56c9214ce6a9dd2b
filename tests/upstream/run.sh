#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mapcheck's kmap() and kmap_atomic() classes against what upstream did
# between Debian's 6.1 and 6.12 (tests/upstream/compare.py,
# compare_atomic.py), from the shared 6.1 whole-tree scan.  Each floor is
# the last measured recall: the test fails if it drops.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
read -r src61 _ <<<"$("$top/scripts/prepare-tree.sh" 6.1)"
read -r src612 _ <<<"$("$top/scripts/prepare-tree.sh" 6.12)"
report=$("$top/tests/tree/scan.sh" 6.1)
pass=0 fail=0
# each comparison prints its own "N passed, N failed" last
for cmp in "compare.py --floor 94" "compare_atomic.py --floor 49"; do
	set -- $cmp
	out=$(python3 "$top/tests/upstream/$1" "$src61" "$src612" "$report" "${@:2}") || true
	echo "$out"
	read -r p _ f _ <<<"$(tail -n 1 <<<"$out")"
	pass=$((pass + p)) fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
