# SPDX-License-Identifier: GPL-2.0
#
# tests/lib.sh: what the shell test scripts share.  Source it first:
#
#	. "$(dirname "$0")/../lib.sh"
#
# It sets -uo pipefail, $top (the project), $mc (the checker binary) and
# the counters, and gives:
#   result NAME STATUS   count one test (STATUS 0 passes), print PASS/FAIL
#   tree_of VERSION      set $src and $build to the prepared tree (or exit 2)
#   scratch              make $tmp, removed at exit unless KEEP is set
#   finish               print "N passed, N failed" last and exit with it
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mc=$top/checker/mapcheck
pass=0 fail=0

result() {	# returns STATUS, for a caller that prints more on failure
	if [ "$2" = 0 ]; then
		pass=$((pass + 1)); echo "PASS $1"
	else
		fail=$((fail + 1)); echo "FAIL $1"
	fi
	return "$2"
}

tree_of() {
	read -r src build <<<"$("$top/scripts/prepare-tree.sh" "$1")" || exit 2
	[ -n "${build:-}" ] || exit 2
}

# the whole-tree scans' configurations: x86_64 allmodconfig, then UML for
# what x86 does not build (scripts/prepare-tree.sh VER um); sets $builds
builds_of() {
	local um
	tree_of "$1"
	read -r _ um <<<"$("$top/scripts/prepare-tree.sh" "$1" um)" || exit 2
	builds=(--build "$build" --build "$um")
}

scratch() {
	tmp=$(mktemp -d)
	trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
}

finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}
