#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Longer fuzzing runs (make fuzz T=<target> S=<seconds>):
#
#   tests/fuzz/long.sh [-t SECONDS] [-j N] [TARGET...]
#                                default: 60 s, every target, one at a time
#
# -j N runs N targets at once (make fuzz J=N); the targets are built once,
# before any runs, so that no run starts a binary another is relinking.
#
# Each target runs for SECONDS over a working corpus outside the checkout,
# $MAPCHECK_FUZZ_DIR/<target>/corpus (default ~/.cache/mapcheck-fuzz),
# seeded from tests/fuzz/<target>/ and kept from run to run, so that a
# later run starts where this one stopped.  A crashing input goes to
# $MAPCHECK_FUZZ_DIR/<target>/crashes/; the line printed per target says
# how many executions, libFuzzer's final cov: and where the crashes are.
# A new bug's input belongs in tests/fuzz/<target>/regress-<what> once
# fixed (tests/fuzz/run.sh replays those).  Exits 1 if any target failed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
secs=60 jobs=1
while getopts t:j: o; do
	case $o in
	t) secs=$OPTARG ;;
	j) jobs=$OPTARG ;;
	*) echo "usage: long.sh [-t SECONDS] [-j N] [TARGET...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $secs =~ ^[0-9]+$ ]] || { echo "long.sh: -t needs seconds, not '$secs'" >&2; exit 2; }
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "long.sh: -j needs a count, not '$jobs'" >&2; exit 2; }
targets=("${@:-${fuzz_targets[@]}}")
for t in "${targets[@]}"; do
	[ -d "$fz/$t" ] || { echo "long.sh: no target '$t' (${fuzz_targets[*]})" >&2; exit 2; }
done
out=${MAPCHECK_FUZZ_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mapcheck-fuzz}
fuzz_build
[ -d /dev/shm ] && [ -w /dev/shm ] && export TMPDIR=/dev/shm	# as run.sh does
scratch
export TMPDIR=$tmp
run_target() {	# run_target TARGET: its result line and status into $tmp/TARGET.*
	local t=$1 log=$out/$1/last.log rc ok inputs crashes
	mkdir -p "$out/$t/corpus" "$out/$t/crashes"
	cp -n "$fz/$t"/* "$out/$t/corpus/"
	"$bin/fuzz_$t" $(fuzz_flags "$out/$t/crashes") -max_total_time="$secs" \
		"$out/$t/corpus" >"$log" 2>&1
	rc=$?
	fuzz_stats "$log"
	[ "$rc" = 0 ] && fuzz_clean "$log"
	ok=$?	# before the counts below, whose command substitutions set $?
	inputs=$(ls "$out/$t/corpus" | wc -l) crashes=$(ls "$out/$t/crashes" | wc -l)
	echo "$t: $execs execs in ${secs} s, cov: $cov, corpus $inputs inputs; crashes in $out/$t/crashes/ ($crashes); log $log" >"$tmp/$t.line"
	echo "$ok" >"$tmp/$t.ok"
}
for t in "${targets[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
	run_target "$t" &
done
wait
for t in "${targets[@]}"; do
	result "$(cat "$tmp/$t.line")" "$(cat "$tmp/$t.ok")"
done
finish
