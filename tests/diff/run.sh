#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Diff mode (--diff REV, --diff-file PATCH) on a copy of part of 6.12 in
# git: the tree's markers, Makefiles and drivers/gpu/drm/i915/ (the headers
# come from the prepared tree through the build's -I flags).  A series of
# two patches: 0001 converts __shmem_rw()'s kmap() (as mapcheck's series
# does), 0002 adds a new kmap() whose address is kept in a static variable.
# shmem_utils.c's older kmap-global finding (shmem_read_to_iosys_map()) is
# not touched by the series: --diff reports only the new use's findings.
. "$(dirname "$0")/../lib.sh"
scratch
tree_of 6.12
here=$top/tests/diff
t=$tmp/linux
f=drivers/gpu/drm/i915/gt/shmem_utils.c
mkdir -p "$t"
(cd "$src" && cp --parents Kbuild Kconfig Makefile include/linux/kernel.h scripts/Makefile.build \
	drivers/Makefile drivers/gpu/Makefile drivers/gpu/drm/Makefile "$t/" &&
	cp -r --parents drivers/gpu/drm/i915 "$t/") || exit 2
g=(git -C "$t" -c user.name=mapcheck -c user.email=mapcheck@example.org)
"${g[@]}" init -q && "${g[@]}" add -A && "${g[@]}" commit -qm base || exit 2
base=$("${g[@]}" rev-parse HEAD)
for p in "$here"/000[12]-*.patch; do
	"${g[@]}" am -q "$p" || { echo "  $p does not apply"; exit 2; }
done
m=("$mc" --tree "$t" --build "$build")

# findings: "line rule" of each, from the JSON
findings() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
for g in d["findings"]:
    print(g["line"], g["rule"], g["function"])
print("DIFF", json.dumps(d.get("diff")))'
}
new_fn=shmem_pin_page_mapped
"${m[@]}" --format json --fail-on never "$t/$f" | findings > "$tmp/all"
"${m[@]}" --format json --diff "$base" | findings > "$tmp/diff"
"${m[@]}" --diff "$base" > /dev/null 2>&1; rc=$?
echo "  without --diff: $(grep -vc DIFF "$tmp/all") findings; --diff base: $(grep -vc DIFF "$tmp/diff") ($(grep -v DIFF "$tmp/diff" | tr '\n' ';')), exit $rc"
grep -q "kmap-global shmem_read_to_iosys_map" "$tmp/all" &&
	[ "$(grep -v DIFF "$tmp/diff" | grep -vc " $new_fn\$")" = 0 ] &&
	grep -q "kmap-global $new_fn" "$tmp/diff" && [ "$rc" = 1 ]
result "--diff BASE (no PATH): only the new kmap()'s findings, exit 1" $?
grep -q '"findings_total": 3, "findings_reported": 2' "$tmp/diff"
result "--diff: the JSON says what was left out ($(grep DIFF "$tmp/diff" | cut -c6-))" $?
"${m[@]}" --format summary --fail-on never --diff "$base" 2>/dev/null | grep -q '^diff mode (--diff .*): 2 of 3 findings'
result "--diff: the summary says so" $?

"${m[@]}" --format json --diff HEAD~1 | findings > "$tmp/d1"
"${m[@]}" --format json --diff-file "$here"/0002-*.patch "$t/$f" | findings > "$tmp/d2"
[ "$(grep -v DIFF "$tmp/d1")" = "$(grep -v DIFF "$tmp/diff")" ] &&
	[ "$(grep -v DIFF "$tmp/d2")" = "$(grep -v DIFF "$tmp/diff")" ]
result "--diff HEAD~1 and --diff-file 0002 report the same" $?

# the conversion alone touches no finding
"${g[@]}" checkout -q HEAD~1
"${m[@]}" --diff "$base" > "$tmp/out" 2>&1; rc=$?
echo "  the conversion alone: exit $rc, $(grep -c ': warning\|: note: kmap' "$tmp/out") findings"
[ "$rc" = 0 ]
result "--diff BASE with only the conversion applied: nothing reported, exit 0" $?
"${g[@]}" checkout -q -

# a change inside a function, away from its kmap(): the function's finding
sed -i '/^int shmem_read_to_iosys_map/,/^}/s|^\tunsigned long pfn;|\tunsigned long pfn; /* the page index */|' "$t/$f"
"${m[@]}" --format json --diff HEAD | findings > "$tmp/d3"
echo "  a comment in shmem_read_to_iosys_map(): $(grep -v DIFF "$tmp/d3" | tr '\n' ';')"
grep -q "kmap-global shmem_read_to_iosys_map" "$tmp/d3" && ! grep -q "$new_fn" "$tmp/d3"
result "--diff HEAD after an edit inside a function: that function's finding, no other" $?
"${g[@]}" checkout -q .

"${m[@]}" --diff no-such-rev > /dev/null 2> "$tmp/err"; a=$?
"${m[@]}" --diff-file "$tmp/none.patch" > /dev/null 2> "$tmp/err2"; b=$?
echo "  $(head -1 "$tmp/err")"
[ "$a" = 2 ] && [ "$b" = 2 ] && grep -q 'no-such-rev' "$tmp/err" && grep -q 'none.patch' "$tmp/err2"
result "a revision that is not there, a patch file that is not there: exit 2, named" $?

echo "diff: $pass passed, $fail failed" >&2
finish
