#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test suites, each runnable alone by name:
#
#   tests/run-all.sh                 every suite (make check, what CI runs)
#   tests/run-all.sh --tier quick    the suites that need no kernel build and
#                                    no whole-tree scan (make check-quick)
#   tests/run-all.sh NAME...         those suites only (make check SUITE=NAME)
#   tests/run-all.sh --list          the table below
#
# Each suite prints its own "N passed, N failed" last; this prints a table
# of the suites with their times and the sum, last.  The expensive inputs
# are shared and kept under a key of their inputs: the prepared trees
# (scripts/prepare-tree.sh), one cold whole-tree scan per tree that every
# suite reads (tests/tree/scan.sh), the kernels (tests/kernel/run.sh) and
# the coccicheck runs (tests/cocci/lib.sh).  A suite whose registry line
# names its inputs (the fifth column) is not run again while a run of the
# same inputs passed (see kept_key); FULL=1 (make check-all) runs it.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# name | tier | title | command (from the top of the checkout).  Quick
# suites first, then the others in order of cost, so that a run fails early.
registry='
build        |quick|build (gcc, clang -Werror)  |tests/build/run.sh
structure    |quick|checker structure           |tests/structure/run.sh
fixtures     |quick|checker fixtures            |tests/run-fixtures.sh
bad-input    |quick|bad input                   |tests/bad-input/run.sh
cache        |quick|result cache                |tests/cache/run.sh
pch          |quick|precompiled prelude         |tests/cache/pch.sh
saved-trees  |quick|saved trees                 |tests/unit/run.sh
patches      |quick|patch fixtures              |tests/patches/run.sh
install      |quick|make install, man page      |tests/install/run.sh
maintainers  |quick|maintainers view (fixture)  |tests/maintainers/run.sh fixture
docs         |quick|README and docs/            |tests/docs/run.sh
sarif        |quick|SARIF against its schema    |tests/sarif/run.sh
cocci        |quick|coccinelle fixtures         |tests/cocci/run.sh                 |semantic-patches tests/cocci
fuzz         |quick|fuzz smoke runs             |tests/fuzz/run.sh                  |checker rules tests/fuzz
sanitizers   |full |ASan and UBSan              |tests/sanitize/run.sh              |checker rules scripts tests/fixtures tests/patches tests/sanitize
valgrind     |full |valgrind                    |tests/valgrind/run.sh              |checker rules scripts tests/fixtures tests/patches tests/valgrind tests/valgrind.supp
kbuild       |full |kbuild CHECK= on gcc trees  |tests/kbuild/run.sh                |checker rules scripts tests/kbuild
maint-tree   |full |maintainers view on 6.12    |tests/maintainers/run.sh 6.12      |checker rules scripts tests/maintainers tests/tree
diff         |full |diff mode (6.12 copy, git)  |tests/diff/run.sh                  |checker rules scripts tests/diff
tree         |full |real trees (6.1, 6.12)      |tests/tree/run.sh                  |checker rules scripts tests/tree
upstream     |full |upstream conversions        |tests/upstream/run.sh
follow-pfn   |full |follow_pfn on real trees    |tests/tree/follow_pfn.sh
cache-tree   |full |cache on real trees         |tests/cache/tree.sh                |checker rules scripts tests/cache tests/tree
concurrent   |full |runs sharing a cache at once|tests/robust/concurrent.sh        |checker rules scripts tests/robust tests/tree
kill         |full |scans killed with SIGKILL   |tests/robust/kill.sh              |checker rules scripts tests/robust tests/tree
patch-series |full |patch series (6.1, 6.12)    |tests/patches/tree.sh 6.1 6.12     |checker rules scripts tests/patches tests/tree
side-by-side |full |upstream side by side       |tests/upstream/side-by-side.sh
kernel       |full |PKS kernel (QEMU)           |tests/kernel/run.sh
arches       |full |LLVM architectures (6.12)   |tests/tree/arches.sh 6.12          |checker rules scripts tests/tree
coccicheck   |full |coccicheck on real trees    |tests/cocci/tree.sh
cocci-agree  |full |cocci vs mapcheck           |tests/cocci/agreement.sh 6.1
'

names=() tiers=() titles=() cmds=() inputs=()
while IFS='|' read -r name tier title cmd input; do
	[ -n "$name" ] || continue
	names+=("$(echo $name)") tiers+=("$(echo $tier)")
	titles+=("$(echo $title)") cmds+=("$(echo $cmd)") inputs+=("$(echo $input)")
done <<<"$registry"

usage() {
	echo "usage: tests/run-all.sh [--tier quick|full] [--list] [SUITE...]" >&2
	exit 2
}

want=() tier=
while [ $# -gt 0 ]; do
	case $1 in
	--list)
		for i in "${!names[@]}"; do
			printf '%-13s %-6s %s\n' "${names[i]}" "${tiers[i]}" "${titles[i]}"
		done
		exit 0 ;;
	--tier) [ $# -ge 2 ] || usage; tier=$2; shift 2 ;;
	--tier=*) tier=${1#--tier=}; shift ;;
	-*) usage ;;
	*) want+=("$1"); shift ;;
	esac
done
case $tier in ''|quick|full) ;; *) echo "run-all.sh: unknown tier '$tier' (quick or full)" >&2; exit 2 ;; esac
for w in "${want[@]}"; do
	found=
	for n in "${names[@]}"; do [ "$n" = "$w" ] && found=1; done
	[ -n "$found" ] || {
		echo "run-all.sh: no suite '$w' (tests/run-all.sh --list names them)" >&2
		exit 2
	}
done

selected() {	# selected INDEX: is suite INDEX to run?
	local w
	if [ ${#want[@]} -gt 0 ]; then
		for w in "${want[@]}"; do [ "$w" = "${names[$1]}" ] && return 0; done
		return 1
	fi
	# quick: only the quick tier; full (or none): everything
	[ "$tier" != quick ] || [ "${tiers[$1]}" = quick ]
}

kept=${MAPCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mapcheck}/kept
# kept_key INDEX: what decides suite INDEX's result: the command, every
# file under its inputs (checker/ among them where the suite runs the
# checker: the binary is made from those sources with the compiler below),
# the kernel source packages and the tools' versions.  The result of a run that passed is kept under it.
kept_key() {
	local i=$1
	{
		echo "${cmds[i]}"
		# the sources only: not the objects and binaries built beside them
		git -C "$top" ls-files -z --cached --others --exclude-standard -- ${inputs[i]} tests/lib.sh | sort -z |
			(cd "$top" && xargs -0 sha256sum)
		stat -c '%n %s %Y' /usr/src/linux-source-*.tar.xz
		for t in gcc clang valgrind spatch; do "$t" --version 2>&1 | head -1; done
	} | sha256sum | cut -c1-16
}

total_pass=0 total_fail=0 summary=() t0=$(date +%s)
suite() {	# suite INDEX
	local i=$1 start out rc p f log key= note=
	start=$(date +%s)
	echo "=== ${titles[i]} (${names[i]})"
	log=$(mktemp)
	if [ -n "${inputs[i]}" ]; then
		key=$(kept_key "$i")
		if [ -z "${FULL:-}" ] && [ -s "$kept/${names[i]}.$key" ]; then
			echo "kept: passed for the same inputs at $(date -r "$kept/${names[i]}.$key" '+%F %T')" \
				"($kept/${names[i]}.$key holds its output)"
			tail -1 "$kept/${names[i]}.$key" | tee "$log"
			note=" kept"
		fi
	fi
	# stream the suite's output and keep it: its last line is the count
	if [ -z "$note" ]; then
		bash -c "${cmds[i]}" 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}
	else
		rc=0
	fi
	out=$(tail -1 "$log")
	if [[ $out =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
	else
		p=0 f=1
	fi
	[ "$rc" = 0 ] || [ "$f" != 0 ] || f=1
	if [ -n "$key" ] && [ -z "$note" ] && [ "$f" = 0 ]; then
		mkdir -p "$kept"
		rm -f "$kept/${names[i]}".*
		mv "$log" "$kept/${names[i]}.$key"
	fi
	rm -f "$log"
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
	summary+=("$(printf '%-13s %-30s %4s passed, %s failed  (%s s%s)' "${names[i]}" \
		"${titles[i]}" "$p" "$f" $(( $(date +%s) - start )) "$note")")
}

# what every suite reads: the checker, and the prepared trees (both
# versions, both configurations), made once here rather than inside the
# first suite that asks
make -s -C checker >/dev/null || exit 1

# The PKS kernels, the other architectures' build directories, then the
# coccicheck runs, are made in the background,
# at the idle scheduling class, while the suites before theirs run: those
# leave part of the two cores unused (a fresh machine's make check ran at
# 155% of 200%), and the idle class takes only that part.  The kernel and
# coccicheck suites, in their turn, wait for the background's lock and
# read what it kept (or make it again, and report why, if it failed).  Its
# own process group, so that an interrupted run stops it too.
bg=() bg_dir=${MAPCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mapcheck}
for i in "${!names[@]}"; do
	selected "$i" || continue
	case ${names[i]} in
	kernel) bg+=("tests/kernel/run.sh --build-only >'$bg_dir/background-kernel.log' 2>&1") ;;
	arches) bg+=("for c in \$(scripts/prepare-tree.sh 6.12 list); do scripts/prepare-tree.sh 6.12 \$c; done >'$bg_dir/background-arches.log' 2>&1") ;;
	coccicheck) bg+=("tests/cocci/tree.sh >'$bg_dir/background-coccicheck.log' 2>&1") ;;
	esac
done
if [ ${#bg[@]} -gt 0 ] && command -v chrt >/dev/null; then
	mkdir -p "$bg_dir"
	setsid chrt --idle 0 bash -c "$(printf '%s; ' "${bg[@]}")" </dev/null >/dev/null 2>&1 &
	bg_pid=$!
	trap 'kill -- -$bg_pid 2>/dev/null' EXIT
fi

start=$(date +%s)
# the two trees side by side: unpacking one is a single-threaded xz, and
# the other's kbuild steps use the second core meanwhile
scripts/prepare-tree.sh 6.1 um >/dev/null & p61=$!
scripts/prepare-tree.sh 6.12 um >/dev/null & p612=$!
wait $p61; r61=$?; wait $p612; r612=$?
[ $r61 = 0 ] && [ $r612 = 0 ] || exit 1
summary+=("$(printf '%-13s %-30s %22s  (%s s)' prepare 'trees (6.1, 6.12; x86, UML)' '' $(( $(date +%s) - start )))")

[ -n "${FULL:-}" ] && export COCCI_RERUN=1
for i in "${!names[@]}"; do
	selected "$i" && suite "$i"
done

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "total $(( $(date +%s) - t0 )) s"
echo "$total_pass passed, $total_fail failed"
[ $total_fail = 0 ]
