#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The fuzz targets' smoke run (make check): each target of tests/fuzz/
# for a fixed number of executions over a copy of its seed corpus, then
# every regression input (tests/fuzz/<target>/regress-*) on its own.  A
# crash, leak, timeout or sanitizer report fails it; the input libFuzzer
# saved is kept in $FUZZ_ARTIFACTS (default /tmp/mapcheck-fuzz-artifacts).
# The executions are chosen for about 20 s of CPU a target (measured
# 2026-12-04 on this project's 2-core machine, docs/testing.md); FUZZ_RUNS=N
# sets them all, FUZZ_SEED the random seed (fixed: a run is repeatable).
# Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
fuzz_build
# the files the targets write on every execution, and the corpus copies,
# in memory: on the disk the same run takes several times as long
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm
scratch
# the targets' private directories go with the scratch one, even on a crash
export TMPDIR=$tmp
keep=${FUZZ_ARTIFACTS:-/tmp/mapcheck-fuzz-artifacts}
declare -A runs=(
	[compdb]=110000 [rules]=320000 [cache]=125000 [astdump]=56000 [record]=440000
	[baseline]=150000 [kbuild]=26000
)

# failed NAME LOG: say why, and keep what libFuzzer saved
failed() {
	grep -E 'ERROR|runtime error|SUMMARY|deadly|Test unit written' "$2" | head -5 | sed 's/^/  /'
	if compgen -G "$tmp/art/$1/*" >/dev/null; then
		mkdir -p "$keep/$1" && cp "$tmp/art/$1"/* "$keep/$1/"
		echo "  inputs kept in $keep/$1/"
	fi
}

# the targets side by side, one per core; their results in order after
run_target() {	# run_target NAME: its log in $tmp/NAME.log, its exit in $tmp/NAME.rc
	local t=$1 n=${FUZZ_RUNS:-${runs[$1]}}
	mkdir -p "$tmp/corpus/$t" "$tmp/art/$t"
	cp "$fz/$t"/* "$tmp/corpus/$t/"
	"$bin/fuzz_$t" $(fuzz_flags "$tmp/art/$t") -runs="$n" -seed="${FUZZ_SEED:-1}" \
		"$tmp/corpus/$t" >"$tmp/$t.log" 2>&1
	echo $? >"$tmp/$t.rc"
}
cores=$(nproc)
for t in "${fuzz_targets[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$cores" ]; do wait -n; done
	run_target "$t" &
done
wait
for t in "${fuzz_targets[@]}"; do
	rc=$(cat "$tmp/$t.rc" 2>/dev/null || echo 1)
	fuzz_stats "$tmp/$t.log"
	[ "$rc" = 0 ] && fuzz_clean "$tmp/$t.log"
	result "$t ($execs execs, cov: $cov)" $? || failed "$t" "$tmp/$t.log"
done

# the inputs that once crashed a reader, each on its own
for f in "$fz"/*/regress-*; do
	[ -e "$f" ] || continue
	t=$(basename "$(dirname "$f")")
	"$bin/fuzz_$t" $(fuzz_flags "$tmp/art/$t") "$f" >"$tmp/regress.log" 2>&1
	rc=$?
	[ "$rc" = 0 ] && fuzz_clean "$tmp/regress.log"
	result "$t regression $(basename "$f")" $? || failed "$t" "$tmp/regress.log"
done
finish
