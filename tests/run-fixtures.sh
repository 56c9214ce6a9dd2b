#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the checker fixtures: C files that carry their expected output in a
# trailing comment, in the style of sparse's validation suite:
#
#   check-name: what the case shows
#   check-command: mapcheck --format sites $file      (default)
#   check-tree: 6.12                                   (kernel headers; default 6.12)
#   check-exit: 1                                      (default: not checked)
#   check-known-to-fail                                (an honest gap)
# Files named *-helper.c are inputs of another fixture, not fixtures.
#   check-output-start
#   ...expected stdout, paths relative to the fixture's directory...
#   check-output-end
#
# The fixtures are parsed against the real, kbuild-prepared kernel headers.
# Prints "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
mapcheck=${MAPCHECK:-$top/checker/mapcheck}
pass=0 fail=0 known=0
declare -A trees

tree_of() {
	local ver=$1
	if [ -z "${trees[$ver]:-}" ]; then
		trees[$ver]=$("$top/scripts/prepare-tree.sh" "$ver") || exit 2
	fi
	echo "${trees[$ver]}"
}

. "$top/tests/fixture-tags.sh"

for f in "${@:-$top/tests/fixtures/*.c}"; do
	:
	for f2 in $f; do
		case $f2 in *-helper.c) continue;; esac	# driven by another fixture
		f2=$(realpath "$f2")
		dir=$(dirname "$f2")
		name=$(fixture_tag check-name "$f2")
		cmd=$(fixture_tag check-command "$f2")
		ver=$(fixture_tag check-tree "$f2")
		want_exit=$(fixture_tag check-exit "$f2")
		[ -n "$cmd" ] || cmd='mapcheck --format sites $file'
		[ -n "$ver" ] || ver=6.12
		read -r src build <<<"$(tree_of "$ver")"
		if ! grep -q '^ \* check-output-start' "$f2"; then
			echo "FAIL $f2: no check-output-start block"; fail=$((fail + 1)); continue
		fi
		unknown=$(sed -n 's/^ \* \(check-[a-z-]*\).*/\1/p' "$f2" | grep -v -x -E \
			'check-(name|command|tree|exit|known-to-fail|output-start|output-end)')
		if [ -n "$unknown" ]; then
			echo "FAIL $f2: unknown tag $unknown"; fail=$((fail + 1)); continue
		fi
		expected=$(sed -n '/^ \* check-output-start/,/^ \* check-output-end/p' "$f2" | sed '1d;$d')
		run=${cmd//\$file/$f2}
		run=${run/#mapcheck /$mapcheck --tree $src --build $build -j1 }
		actual=$(cd "$dir" && eval "$run" 2>&1); rc=$?
		actual=${actual//$dir\//}
		ok=1
		[ "$actual" == "$expected" ] || ok=0
		[ -z "$want_exit" ] || [ "$rc" == "$want_exit" ] || ok=0
		if grep -q '^ \* check-known-to-fail' "$f2"; then
			known=$((known + 1))
			echo "KNOWN-TO-FAIL $(basename "$f2"): $name"
			continue
		fi
		if [ $ok = 1 ]; then
			pass=$((pass + 1))
			[ -n "${V:-}" ] && echo "PASS $(basename "$f2"): $name"
		else
			fail=$((fail + 1))
			echo "FAIL $(basename "$f2"): $name (exit $rc${want_exit:+, expected $want_exit})"
			diff -u <(echo "$expected") <(echo "$actual") | sed 's/^/    /'
		fi
	done
done
echo "fixtures: $pass passed, $fail failed${known:+, $known known to fail}" >&2
echo "$pass passed, $fail failed"
[ $fail = 0 ]
