# SPDX-License-Identifier: GPL-2.0
#
# tests/fuzz/lib.sh: what run.sh (the smoke run) and long.sh (make fuzz)
# share.  Source it after tests/lib.sh.
#   fuzz_targets          the targets, one per reader (checker/Makefile)
#   fuzz_build            build them (make -C checker fuzz), or exit 2
#   fuzz_stats LOG        set $execs and $cov from a libFuzzer log
#   fuzz_clean LOG        no sanitizer report or libFuzzer error in LOG
fuzz_targets=(compdb rules cache astdump record baseline kbuild)
fz=$top/tests/fuzz
bin=$top/checker/fuzz-build

# leaks and every undefined behaviour end a run, with the stack
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:allocator_may_return_null=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}

# libFuzzer's flags for every run: a crash, leak, timeout or out-of-memory
# is a failure; crashes go to the directory given, not the current one
fuzz_flags() {	# fuzz_flags ARTIFACT_DIR
	echo -error_exitcode=77 -timeout_exitcode=78 -timeout=10 -rss_limit_mb=2048 \
		-detect_leaks=1 -print_final_stats=1 -artifact_prefix="$1/"
}

fuzz_build() {
	local log
	log=$(make -s -C "$top/checker" fuzz 2>&1) || {
		echo "$log" | tail -20
		echo "fuzz: building the targets failed (is libclang-rt-14-dev installed?)" >&2
		exit 2
	}
}

fuzz_stats() {
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$1" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$1" | tail -1 | cut -d' ' -f2)
	execs=${execs:-0} cov=${cov:-0}
}

fuzz_clean() {
	! grep -qE '^==[0-9]+== ?ERROR|runtime error:|^SUMMARY: |^ERROR: libFuzzer|deadly signal' "$1"
}
