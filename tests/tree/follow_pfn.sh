#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The follow_pfn and pfnmap-cow rules on Debian's 6.1 and 6.12 trees.
#
# For each tree, the files that call a follow/pfnmap API (follow_pfn,
# follow_pte, follow_phys, follow_pfnmap_start, vmf_insert_pfn*,
# remap_pfn_range, io_remap_pfn_range) are found with grep at test time and
# checked (or taken from the cached whole-tree scan of tests/tree/scan.sh);
# the (file, function, rule) of every finding of these rules is
# compared with the reviewed list tests/tree/follow_pfn.expected-<version>
# ('#' lines there are the reviews).  Other architectures' arch/ files are
# left out: the prepared trees are x86_64 builds.
#
# usage: tests/tree/follow_pfn.sh [6.1] [6.12]    (default: both)
# env:   J=N workers (default 2); KEEP=DIR keeps the JSON reports there
# Prints "N passed, N failed" (one test per tree) and exits non-zero on a
# mismatch.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
mapcheck=${MAPCHECK:-$top/checker/mapcheck}
rules='follow-pfn-call|pfn-escapes-lock|ptep-after-unlock|follow-unbalanced|follow-no-pfnmap-check|follow-write-ignored|pfnmap-page-ref|pfnmap-cow-insert|pfnmap-cow-partial-remap'
apis='follow_pfn|unsafe_follow_pfn|follow_phys|follow_pte|follow_pfnmap_start|vmf_insert_pfn|vmf_insert_pfn_prot|remap_pfn_range|io_remap_pfn_range'
cache=${MAPCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mapcheck}
work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
pass=0 fail=0

for ver in "${@:-6.1 6.12}"; do
	for v in $ver; do
		read -r src build <<<"$("$top/scripts/prepare-tree.sh" "$v")" || exit 2
		expected=$top/tests/tree/follow_pfn.expected-$v
		(cd "$src" && grep -rlE --include='*.c' "\\b($apis)\\s*\\(" \
			--exclude-dir=tools --exclude-dir=Documentation --exclude-dir=samples \
			--exclude-dir=scripts . | sed 's|^\./||' |
			grep -vE '^arch/' ; cd "$src" &&
			grep -rlE --include='*.c' "\\b($apis)\\s*\\(" arch/x86) | sort -u >"$work/files-$v"
		start=$(date +%s)
		# A finding depends only on the file it is in: reuse the whole-tree
		# scan of tests/tree/scan.sh when it is already cached for this
		# checker and rules/ (same key as there), else check the files.
		report=$("$top/tests/tree/scan.sh" "$v" 2>"$work/stderr-scan-$v")
		if [ ! -s "$report" ]; then
			report=$work/report-$v.json
			(cd "$src" && "$mapcheck" --tree "$src" --build "$build" --format json \
				--fail-on never -j "${J:-2}" $(cat "$work/files-$v")) >"$report" \
				2>"$work/stderr-$v" || { echo "FAIL $v: mapcheck failed: $(head -1 "$work/stderr-$v")"; fail=$((fail + 1)); continue; }
		fi
		secs=$(( $(date +%s) - start ))
		python3 - "$report" "$rules" "$work/files-$v" >"$work/actual-$v" <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
rules = re.compile("^(%s)$" % sys.argv[2])
files = set(open(sys.argv[3]).read().split())
rows = sorted({(f["file"], f["function"], f["rule"]) for f in d["findings"]
               if rules.match(f["rule"]) and f["file"] in files})
for r in rows:
    print("\t".join(r))
PY
		if diff -u <(grep -v '^#' "$expected" | grep -v '^$' | LC_ALL=C sort) "$work/actual-$v" >"$work/diff-$v"; then
			pass=$((pass + 1))
			echo "PASS $v: $(wc -l <"$work/actual-$v") findings in $(wc -l <"$work/files-$v") files (${secs}s)"
		else
			fail=$((fail + 1))
			echo "FAIL $v: findings differ from $expected (${secs}s)"
			sed 's/^/    /' "$work/diff-$v"
		fi
	done
done
[ -n "${KEEP:-}" ] || rm -rf "$work"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
