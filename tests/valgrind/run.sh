#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# No memory error and no leak in the checker under valgrind, on every
# fixture and on two real tree directories; each input twice, with an empty
# result cache (parse, summarise, store) and then warm (every file a cache
# hit), with both cores so that the forked workers run under valgrind too.
# libclang's own allocations are its business: a run fails only on a report
# with a frame in one of checker/'s sources.
#
# The inputs, one run each (so that valgrind starts once per run, and files
# that share flags are parsed with the precompiled prelude):
#   - the 6.12 fixtures and the patch fixtures, with --emit-patches;
#   - the 6.1 fixtures (check-tree: 6.1);
#   - 6.1 fs/hostfs: two configurations (x86, UML), a .o.cmd's exact flags,
#     the summary of a host-side file;
#   - 6.1 fs/cramfs: a static z_stream used as scratch space, seen through
#     the summary of another file.
# (Calls through ops fields are in the fixtures, class-ops.c. 6.1 fs/jffs2,
# which resolves them from its other files' summaries, had not finished its
# cold run under valgrind after six minutes on two shared cores.)
# Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
. "$top/tests/fixture-tags.sh"
scratch
read -r src build <<<"$("$top/scripts/prepare-tree.sh" 6.12)" || exit 2
read -r src61 build61 <<<"$("$top/scripts/prepare-tree.sh" 6.1)" || exit 2
read -r _ um61 <<<"$("$top/scripts/prepare-tree.sh" 6.1 um)" || exit 2
ours=$(cd "$top/checker" && ls *.c | sed 's/\.c$//' | paste -sd'|')

mapfile -t fix612 < <(fixtures_of 6.12; ls "$top"/tests/patches/*.c)
mapfile -t fix61 < <(fixtures_of 6.1)

vg=(valgrind -q --suppressions="$top/tests/valgrind.supp" --leak-check=full
    --errors-for-leak-kinds=definite --error-exitcode=9 --child-silent-after-fork=no)
run() {	# run NAME CACHE FORMAT mapcheck-arguments...
	local name=$1 cache=$2 format=$3 rc
	shift 3
	MAPCHECK_CACHE=$cache "${vg[@]}" "$mc" "$@" -j2 --fail-on never --format "$format" \
		-o "$tmp/report" --emit-patches "$tmp/patches" >/dev/null 2>"$tmp/valgrind"
	rc=$?
	# exit 9 with a frame of ours is ours; anything else valgrind saw is
	# in libclang.  A run that failed for another reason fails too.
	if [ $rc = 9 ] && ! grep -qE "\\(($ours)\\.c:[0-9]+\\)" "$tmp/valgrind"; then
		rc=0
	fi
	rm -rf "$tmp/patches"
	result "$name" $rc || sed 's/^/    /' "$tmp/valgrind" | head -60
}

inputs=(
	"6.12 fixtures (${#fix612[@]} files)|--tree $src --build $build ${fix612[*]}"
	"6.1 fixtures (${#fix61[@]} files)|--tree $src61 --build $build61 ${fix61[*]}"
	"6.1 fs/hostfs (x86, UML)|--tree $src61 --build $build61 --build $um61 $src61/fs/hostfs"
	"6.1 fs/cramfs|--tree $src61 --build $build61 --build $um61 $src61/fs/cramfs"
)
for input in "${inputs[@]}"; do
	name=${input%%|*}
	read -ra args <<<"${input#*|}"
	rm -rf "$tmp/cache"
	start=$(date +%s)
	run "$name, empty cache" "$tmp/cache" json "${args[@]}"
	# warm: nothing parsed; the SARIF and text writers this time
	run "$name, warm cache (SARIF)" "$tmp/cache" sarif "${args[@]}"
	run "$name, warm cache (text)" "$tmp/cache" text "${args[@]}"
	echo "  $name: $(( $(date +%s) - start )) s"
done
finish
