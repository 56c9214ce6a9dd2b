#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test, in order of cost.  Each suite prints its own
# "N passed, N failed"; this prints their sum last.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
total_pass=0 total_fail=0
summary=()

suite() {	# suite NAME command...
	local name=$1 start out rc p f log
	shift
	start=$(date +%s)
	echo "=== $name"
	# stream the suite's output and keep it: its last line is the count
	log=$(mktemp)
	"$@" 2>&1 | tee "$log"; rc=${PIPESTATUS[0]}
	out=$(tail -1 "$log")
	rm -f "$log"
	if [[ $out =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
	else
		p=0 f=1
	fi
	[ "$rc" = 0 ] || [ "$f" != 0 ] || f=1
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
	summary+=("$(printf '%-28s %4s passed, %s failed  (%s s)' "$name" "$p" "$f" $(( $(date +%s) - start )))")
} 2>&1

build() {
	local fail=0
	make -s -C checker clean && make -s -C checker >/dev/null || fail=1
	# clang: the same sources, -Werror, syntax only (the gcc build is the binary)
	for f in checker/*.c; do
		clang -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -fsyntax-only \
			-I"$($(command -v llvm-config-14 || command -v llvm-config) --includedir)" -DMAPCHECK_RULES_DIR='""' \
			-DMAPCHECK_LIBCLANG_PATH='""' "$f" || fail=1
	done
	echo "$((1 - fail)) passed, $fail failed"
	[ $fail = 0 ]
}

leaks() {
	# no leaks in the checker on the fixtures (libclang's own allocations are
	# its business: only blocks allocated from checker/ count); twice, with
	# an empty result cache (parse and store) and then warm (a cache hit)
	read -r src build <<<"$(scripts/prepare-tree.sh 6.12)"
	local fail=0 runs=0 f mode cache ours dir um61 src61 build61 args jobs
	# and two configurations (x86, UML) on 6.1's fs/hostfs: the second
	# build's flags, a .o.cmd's exact flags, a summary of hostfs_user.c
	read -r src61 build61 <<<"$(scripts/prepare-tree.sh 6.1)"
	read -r _ um61 <<<"$(scripts/prepare-tree.sh 6.1 um)"
	cache=$(mktemp -d)
	ours=$(cd checker && ls *.c | sed 's/\.c$//' | paste -sd'|')
	# four files with one set of flags: a run that builds a prelude PCH
	dir=$(mktemp -d)
	for f in 1 2 3 4; do
		sed "s/copy_out/copy_out$f/; s/copy_in/copy_in$f/; s/zero_tail/zero_tail$f/" \
			tests/patches/helpers.c > "$dir/helpers$f.c"
	done
	# a static z_stream's field as scratch space, in one file and, in
	# fs/cramfs, in another file's summary; calls through ops fields, in
	# one file and, in fs/jffs2, resolved from the other files' summaries
	for f in tests/patches/cross.c tests/patches/fifo.c tests/patches/discarded.c \
		tests/patches/helpers.c "$dir" tests/fixtures/class-scratch.c \
		tests/fixtures/class-ops.c \
		"$src61/fs/hostfs" "$src61/fs/cramfs" "$src61/fs/jffs2"; do
		args=(--tree "$src" --build "$build") jobs=-j1
		# the tree directories with both cores: workers are forked, each
		# under valgrind too (fs/jffs2's summaries parse 28 more files)
		case $f in "$src61"/*) args=(--tree "$src61" --build "$build61" --build "$um61") jobs=-j2;; esac
		for mode in cold warm; do
			runs=$((runs + 1))
			MAPCHECK_CACHE=$cache valgrind -q --suppressions=tests/valgrind.supp --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 \
				--child-silent-after-fork=no --trace-children=no \
				checker/mapcheck "${args[@]}" $jobs --fail-on never \
				--format json --emit-patches /tmp/valgrind-patches.$$ "$f" >/dev/null 2>/tmp/valgrind.$$ || {
				# a frame in one of our own sources: an error or leak of ours
				if grep -qE "\\(($ours)\\.c:[0-9]+\\)" /tmp/valgrind.$$; then
					fail=$((fail + 1)); echo "valgrind ($mode cache): $f"; cat /tmp/valgrind.$$
				fi
			}
		done
	done
	rm -rf /tmp/valgrind.$$ /tmp/valgrind-patches.$$ "$cache" "$dir"
	echo "$((runs - fail)) passed, $fail failed"
	[ $fail = 0 ]
}

make -s -C checker >/dev/null || exit 1
scripts/prepare-tree.sh 6.1 um >/dev/null && scripts/prepare-tree.sh 6.12 um >/dev/null || exit 1

suite "build (gcc, clang -Werror)" build
suite "checker fixtures"          tests/run-fixtures.sh
suite "bad input"                 tests/bad-input/run.sh
suite "result cache"              tests/cache/run.sh
suite "precompiled prelude"       tests/cache/pch.sh
suite "valgrind on fixtures"      leaks
suite "saved trees"               tests/unit/run.sh
suite "fuzz smoke (libFuzzer)"    tests/fuzz/run.sh
suite "patch fixtures"            tests/patches/run.sh
[ -x tests/cocci/run.sh ] && suite "coccinelle fixtures" tests/cocci/run.sh
suite "real trees (6.1, 6.12)"    tests/tree/run.sh
suite "upstream conversions"      bash -c 'python3 tests/upstream/compare.py \
	"$(scripts/prepare-tree.sh 6.1 | cut -d" " -f1)" "$(scripts/prepare-tree.sh 6.12 | cut -d" " -f1)" \
	"$(tests/tree/scan.sh 6.1)" --floor 94'
[ -x tests/tree/follow_pfn.sh ] && suite "follow_pfn on real trees" tests/tree/follow_pfn.sh
suite "cache on real trees"       tests/cache/tree.sh
suite "patch series (6.1, 6.12)"  tests/patches/tree.sh 6.1 6.12
suite "upstream side by side"     bash -c 'python3 tests/upstream/side_by_side.py \
	"$(scripts/prepare-tree.sh 6.1 | cut -d" " -f1)" "$(scripts/prepare-tree.sh 6.12 | cut -d" " -f1)" \
	"$(tests/tree/scan.sh 6.1)" "$(tests/tree/scan.sh 6.1 | sed "s/\.json\$/.patches/")" \
	"${TMPDIR:-/tmp}/side-by-side.md"'
# The kernels are cached under the series' inputs: about 25 minutes to
# build both on two cores the first time, seconds to boot after that.
suite "PKS kernel (QEMU)"         tests/kernel/run.sh
# The semantic patches under make coccicheck on both whole trees, patch mode
# applied and compiled (about 15 minutes on two cores), then the agreement
# table with mapcheck: a run whose inputs are unchanged since one that passed
# is kept (tests/cocci/lib.sh), as the kernels above are; make check-all
# (FULL=1) runs them all again.
[ -n "${FULL:-}" ] && export COCCI_RERUN=1
suite "coccicheck on real trees"  tests/cocci/tree.sh
suite "cocci vs mapcheck"         tests/cocci/agreement.sh 6.1

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ $total_fail = 0 ]
