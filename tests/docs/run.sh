#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The documents a user reads: README.md short, with no date, commit hash,
# issue or session in it; every document it links there; every option it
# names one mapcheck --help knows; every fenced block marked "sh runnable"
# runs as written, from the top of the checkout; docs/rules.md what
# scripts/gen-rules-doc.sh writes from rules/.  Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
scratch
readme=$top/README.md

lines=$(wc -l <"$readme")
[ "$lines" -le 220 ]
result "README.md is at most 220 lines ($lines)" $?

# a date (2026-11-23, 23 Nov 2026, November 2026), an abbreviated or full
# commit hash (hex with letters and digits both), the words issue or session
bad=$(grep -nE '\b(19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]\b|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (19|20)[0-9]{2}\b' "$readme")
[ -z "$bad" ]
result "README.md holds no date" $? || echo "$bad" | head -3
bad=$(grep -noE '\b[0-9a-f]{7,40}\b' "$readme" | grep -E ':[0-9a-f]*[a-f][0-9a-f]*$' | grep -E ':[0-9a-f]*[0-9][0-9a-f]*$')
[ -z "$bad" ]
result "README.md holds no commit hash" $? || echo "$bad" | head -3
bad=$(grep -niwE 'issues?|sessions?' "$readme")
[ -z "$bad" ]
result "README.md does not speak of issues or sessions" $? || echo "$bad" | head -3

missing=
for link in $(grep -oE '\]\([^)#]+' "$readme" | sed 's/^](//' | grep -v '^[a-z]*://'); do
	[ -e "$top/$link" ] || missing+=" $link"
done
[ -z "$missing" ]
result "every document README.md links exists" $? || echo "  missing:$missing"

help=$("$mc" --help 2>&1)
unknown=
for opt in $(grep -oE '(^|[ `(])--[a-z][a-z-]+' "$readme" | sed 's/^[ `(]*//' | sort -u); do
	# --help prints the list itself; the others are git's, perl's, run-all.sh's
	case $opt in --help|--signoff|--strict|--no-git|--no-rolestats|--list) continue ;; esac
	grep -q -- "$opt" <<<"$help" || unknown+=" $opt"
done
[ -z "$unknown" ]
result "every mapcheck option README.md names is in mapcheck --help" $? || echo "  unknown:$unknown"

# The runnable blocks: the Debian tree they use is the one make scan prepares.
tree_of 6.12
awk -v dir="$tmp" '
	/^```sh runnable/ { n++; f = dir "/block" n ".sh"; printf "set -eu\n" > f; next }
	/^```/ && f { close(f); f = ""; next }
	f { print > f }' "$readme"
blocks=$(ls "$tmp"/block*.sh 2>/dev/null | wc -l)
[ "$blocks" -ge 2 ]
result "README.md marks its runnable blocks ($blocks)" $?
for b in "$tmp"/block*.sh; do
	[ -e "$b" ] || continue
	(cd "$top" && TMPDIR=$tmp bash "$b") >"$b.out" 2>&1
	rc=$?
	result "README.md's $(basename "$b" .sh) runs as written ($(grep -vc '^set ' "$b") lines, exit $rc)" $rc ||
		tail -n 5 "$b.out"
done

"$top/scripts/gen-rules-doc.sh" >"$tmp/rules.md" && cmp -s "$tmp/rules.md" "$top/docs/rules.md"
result "docs/rules.md is what scripts/gen-rules-doc.sh writes from rules/" $? ||
	{ diff "$top/docs/rules.md" "$tmp/rules.md" | head -5; echo "  run: scripts/gen-rules-doc.sh > docs/rules.md"; }
finish
