#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Patch-writer fixtures: each NAME.c is an input, NAME.expected what
# `mapcheck --emit-patches` must make of it: the diffs of the series (paths
# relative to this directory) followed by the cover letter's "Not converted"
# list.  Each case is also checked end to end: the series applies with
# `git apply --check` and `patch -p1`, and mapcheck run again on the patched
# file parses and finds no kmap() or kmap_atomic() left except the sites listed as not
# converted.
#
#   tests/patches/run.sh [NAME.c...]      UPDATE=1 rewrites the .expected files
# Prints "N passed, N failed"; exits non-zero on a failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mapcheck=${MAPCHECK:-$top/checker/mapcheck}
read -r src build <<<"$("$top/scripts/prepare-tree.sh" 6.12)" || exit 2
pass=0 fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=0

# the diffs of a series, then the cover letter's not-converted list
summary() {	# summary DIR PREFIX
	local p
	for p in "$1"/0[0-9][0-9][0-9]-*.patch; do
		case $p in */0000-*) continue;; esac
		sed -n '/^diff --git /,/^-- $/p' "$p" | sed '$d'
	done
	# the list unwrapped, so that it does not depend on the path's length
	sed -n '/^Not converted/,/^$/p' "$1"/0000-cover-letter.patch |
		awk '/^  / { sub(/^  /, " "); printf "%s", $0; next }
		     NR > 1 { print "" } { printf "%s", $0 } END { print "" }'
}

for f in "${@:-$here/*.c}"; do
	for c in $f; do
		c=$(realpath "$c")
		name=$(basename "$c" .c)
		exp=$here/$name.expected
		rm -rf "$work/out" "$work/t"
		"$mapcheck" --tree "$src" --build "$build" -j1 --fail-on never --format json \
			--emit-patches "$work/out" "$c" >"$work/before.json" 2>"$work/err"
		rel=${c#/}
		actual=$(summary "$work/out" | sed "s#${rel%/*}/##g")
		ok=1 why=
		if [ -n "${UPDATE:-}" ]; then
			printf '%s\n' "$actual" >"$exp"
		fi
		if [ "$actual" != "$(cat "$exp" 2>/dev/null)" ]; then
			ok=0 why="output differs"
		fi
		# end to end: apply to a copy laid out as the a/ b/ paths say, re-scan
		mkdir -p "$work/t/${rel%/*}"
		cp "$c" "$work/t/$rel"
		cp "$here"/*.h "$work/t/${rel%/*}/"	# the fixtures' local headers
		for p in "$work"/out/0[0-9][0-9][0-9]-*.patch; do
			case $p in */0000-*) continue;; esac
			if ! (cd "$work/t" && git apply --check "$p" && patch -s -p1 <"$p"); then
				ok=0 why="does not apply"
			fi
		done
		if [ $ok = 1 ]; then
			# the patched file must still parse: mapcheck exits 2 if not
			"$mapcheck" --tree "$src" --build "$build" -j1 --fail-on never \
				--format sites "$work/t/$rel" >"$work/after" 2>>"$work/err" ||
				ok=0 why="the patched file does not parse"
			left=$(grep -cE ': kmap(_atomic)?: ' "$work/after")
			skipped=$(grep -c '^- ' <(sed -n '/^Not converted/,/^$/p' \
				"$work"/out/0000-cover-letter.patch))
			[ $ok = 0 ] || [ "$left" = "$skipped" ] ||
				ok=0 why="$left kmap() left, $skipped listed as not converted"
		fi
		if [ $ok = 1 ]; then
			pass=$((pass + 1))
			[ -n "${V:-}" ] && echo "PASS $name"
		else
			fail=$((fail + 1))
			echo "FAIL $name: $why"
			diff -u "$exp" <(printf '%s\n' "$actual") | sed 's/^/    /'
			sed 's/^/    /' "$work/err"
		fi
	done
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
