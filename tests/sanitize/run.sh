#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The checker under AddressSanitizer, LeakSanitizer and UBSan
# (checker/asan/mapcheck, `make -C checker sanitize`): the fixtures, the
# patch inputs with --emit-patches and one real tree directory with -j2 (the
# forked workers are sanitized too), each with a cold and then a warm
# result cache, and a few bad inputs (error paths, a crashing worker).  A check passes when no process wrote a sanitizer report
# and the output is the normal checker/mapcheck's on the same input (JSON
# without the run's "seconds", exit code, patch series).
#
# Every process's reports go to its own log file (log_path=), never to the
# output compared.  A leak whose stack is libclang's alone is libclang's
# business: tests/sanitize/lsan.supp says which are suppressed and why.
# KEEP=1 keeps the scratch directory (the logs).  Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
. "$top/tests/fixture-tags.sh"
asan=$top/checker/asan/mapcheck
make -s -C "$top/checker" >/dev/null && make -s -C "$top/checker" sanitize >/dev/null
result "build checker/asan/mapcheck (clang, -fsanitize=address,undefined)" $? || finish
tree_of 6.12; src12=$src build12=$build
tree_of 6.1; src61=$src build61=$build
read -r _ um61 <<<"$("$top/scripts/prepare-tree.sh" 6.1 um)" || exit 2
scratch
export SOURCE_DATE_EPOCH=0	# the patch series' dates
# exitcode=86: a sanitizer's exit is not mistaken for the checker's own
san_opts=detect_leaks=1:check_initialization_order=1:strict_string_checks=1:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$top/tests/sanitize/lsan.supp:print_suppressions=0
# the result caches: one per binary (each its own key), set for the runs
# only, since scripts/prepare-tree.sh keeps its trees under MAPCHECK_CACHE too
cache_n=$tmp/cache-normal cache_a=$tmp/cache-asan

# run WHICH NAME ARGS...: WHICH is normal or asan; $tmp/NAME.{out,err,rc},
# the sanitizer logs in $tmp/log/NAME/
run() {
	local which=$1 name=$2
	shift 2
	if [ "$which" = normal ]; then
		MAPCHECK_CACHE=$cache_n "$mc" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
		echo $? >"$tmp/$name.rc"
	else
		local try
		for try in 1 2 3 4; do
			rm -rf "$tmp/log/$name"
			mkdir -p "$tmp/log/$name"
			MAPCHECK_CACHE=$cache_a ASAN_OPTIONS=$san_opts:log_path=$tmp/log/$name/san \
				"$asan" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
			echo $? >"$tmp/$name.rc"
			# LeakSanitizer's own tracer now and then dies of a SIGSEGV
			# while it stops a forked worker's threads ("Tracer caught
			# signal 11"): a fault of the tool, not a report about the
			# checker; such a run is made again, up to four times (a cold one
			# from an empty cache again)
			cat "$tmp/log/$name"/* 2>/dev/null | grep -q 'Tracer caught signal' || break
			echo "  $name: LeakSanitizer's tracer crashed; run again"
			case $name in *-cold) rm -rf "$cache_a";; esac
		done
	fi
}

# same NAME REF [DIR DIR]: no sanitizer report from NAME's processes, and
# NAME's exit code and output are REF's (and the two patch series DIRs)
same() {
	local name=$1 ref=$2 logs why=
	logs=$(find "$tmp/log/$name" -type f -size +0 | sort)
	# a log that only says LeakSanitizer's tracer crashed (after the
	# retries of run()) is no report: ASan and UBSan watched that process
	# all the same, only its leak check could not run; said, not hidden
	if [ -n "$logs" ] && ! cat $logs | grep -v -e 'Tracer caught signal' \
		-e 'LeakSanitizer has encountered a fatal error' -e '==HINT:' | grep -q .; then
		echo "  $name: no leak check in $(echo "$logs" | wc -l) process(es): LeakSanitizer's tracer crashed"
		logs=
	fi
	[ -z "$logs" ] || why="sanitizer reports"
	cmp -s "$tmp/$name.rc" "$tmp/$ref.rc" || why="${why:+$why, }exit $(cat "$tmp/$name.rc"), normal $(cat "$tmp/$ref.rc")"
	cmp -s <(mask <"$tmp/$name.out") <(mask <"$tmp/$ref.out") || why="${why:+$why, }output differs"
	[ -z "${errs:-}" ] || cmp -s "$tmp/$name.err" "$tmp/$ref.err" || why="${why:+$why, }stderr differs"
	[ -z "${3:-}" ] || diff -r "$3" "$4" >/dev/null || why="${why:+$why, }patch series differs"
	result "$name${why:+: $why}" "$([ -z "$why" ]; echo $?)" && return
	for l in $logs; do echo "  --- $l"; head -60 "$l" | sed 's/^/  /'; done
	diff -u <(mask <"$tmp/$ref.out") <(mask <"$tmp/$name.out") | head -30 | sed 's/^/  /'
	grep -h . "$tmp/$name.err" | head -5 | sed 's/^/  stderr: /'
	[ -z "${3:-}" ] || diff -r "$3" "$4" | head -20 | sed 's/^/  /'
}

# the run's own time is the one thing two runs do not share
mask() {
	sed -E 's/"seconds": [0-9.]+/"seconds": _/'
}

# the fixtures of one kernel version in one run each way, JSON
fixtures=("$top"/tests/fixtures/*.c)
for ver in 6.12 6.1; do
	mapfile -t files < <(fixtures_of "$ver")
	if [ "$ver" = 6.12 ]; then args=(--tree "$src12" --build "$build12")
	else args=(--tree "$src61" --build "$build61"); fi
	run normal "fixtures-$ver" "${args[@]}" -j2 --format json --fail-on never "${files[@]}"
	for mode in cold warm; do
		run asan "fixtures-$ver-$mode" "${args[@]}" -j2 --format json --fail-on never "${files[@]}"
		same "fixtures-$ver-$mode" "fixtures-$ver"
	done
done

# each fixture as tests/run-fixtures.sh runs it: its own command and
# format, -j1 (one worker), from the fixture's directory; the caches are
# warm from the runs above
for f in "${fixtures[@]}"; do
	case $f in *-helper.c) continue;; esac
	name=$(basename "$f" .c)
	cmd=$(fixture_tag check-command "$f")
	ver=$(fixture_tag check-tree "$f")
	[ -n "$cmd" ] || cmd='mapcheck --format sites $file'
	if [ "${ver:-6.12}" = 6.12 ]; then args=(--tree "$src12" --build "$build12")
	else args=(--tree "$src61" --build "$build61"); fi
	# the command's words after "mapcheck", $file for the fixture
	read -ra words <<<"${cmd#mapcheck }"
	words=("${words[@]//\$file/$f}")
	for which in normal asan; do
		(cd "$(dirname "$f")" && run "$which" "$name-$which" "${args[@]}" -j1 "${words[@]}")
	done
	same "$name-asan" "$name-normal"
done

# the patch inputs: the series written, JSON, cold and warm
patches=("$top"/tests/patches/*.c)
args=(--tree "$src12" --build "$build12" -j2 --fail-on never --format json)
run normal patches "${args[@]}" --emit-patches "$tmp/series-normal" "${patches[@]}"
for mode in cold warm; do
	run asan "patches-$mode" "${args[@]}" --emit-patches "$tmp/series-$mode" "${patches[@]}"
	same "patches-$mode" patches "$tmp/series-normal" "$tmp/series-$mode"
done

# a real tree directory, both cores (forked workers, a prelude PCH, the
# other files' summaries) and both configurations (x86_64, UML)
dir=fs/nilfs2
args=(--tree "$src61" --build "$build61" --build "$um61" -j2 --fail-on never --format json)
run normal tree "${args[@]}" --emit-patches "$tmp/tree-normal" "$src61/$dir"
for mode in cold warm; do
	run asan "tree-$mode" "${args[@]}" --emit-patches "$tmp/tree-$mode" "$src61/$dir"
	same "tree-$mode" tree "$tmp/tree-normal" "$tmp/tree-$mode"
done

# bad input: the error paths, each message (stderr) as the normal binary's;
# a file whose parse crashes (MAPCHECK_FAULT_INJECT aborts its worker) is
# skipped and a new worker parses the next one
errs=1
mkdir -p "$tmp/bad"
printf 'int \0 kmap(' >"$tmp/bad/binary.c"
: >"$tmp/bad/empty.c"
printf '#include <linux/highmem.h>\nvoid f(struct page *p) { kmap(p) }\n' >"$tmp/bad/syntax.c"
cp "$top/tests/fixtures/class-local.c" "$tmp/bad/"
printf '[ { "directory": "/tmp", "file": "a.c", "command": "cc -c a.c" ,\n' >"$tmp/bad/corrupt.json"
cp -r "$top/rules" "$tmp/rules-bad"
echo 'kmap map page global' >>"$tmp/rules-bad/apis.tbl"
args=(--tree "$src12" --build "$build12" --fail-on never --format sites)
bad_case() {	# bad_case NAME ARGS...
	local name=$1
	shift
	run normal "$name-normal" "$@"
	run asan "$name-asan" "$@"
	same "$name-asan" "$name-normal"
}
bad_case bad-files-among-good "${args[@]}" -j2 "$tmp"/bad/*.c
export MAPCHECK_FAULT_INJECT=class-local
bad_case crash-isolation "${args[@]}" -j1 --no-cache "$top/tests/fixtures/class-global.c" \
	"$tmp/bad/class-local.c" "$top/tests/fixtures/class-reorder.c"
unset MAPCHECK_FAULT_INJECT
bad_case corrupt-compdb --tree "$src12" -p "$tmp/bad/corrupt.json" "$src12/fs/ext2/dir.c"
bad_case malformed-rules --rules "$tmp/rules-bad" "${args[@]}" "$src12/fs/ext2/dir.c"
bad_case unknown-option --frobnicate
errs=

# the saved trees (checker/astdump.c): truncated and damaged files read
# back under ASan (tests/unit/astdump-test.c)
mkdir -p "$tmp/log/astdump" "$tmp/ast"
ASAN_OPTIONS=$san_opts:log_path=$tmp/log/astdump/san "$top/checker/asan/astdump-test" \
	"$top/rules" "$tmp/ast" "$src12" "$build12" fs/ext2/dir.c >"$tmp/astdump.out" 2>&1
rc=$?
logs=$(find "$tmp/log/astdump" -type f -size +0)
[ "$rc" = 0 ] && [ -z "$logs" ]
result "astdump-test on 6.12 fs/ext2/dir.c: $(grep -c '^PASS' "$tmp/astdump.out") checks${logs:+, sanitizer reports}" $? ||
	{ tail -5 "$tmp/astdump.out"; for l in $logs; do head -60 "$l"; done; }

echo "sanitizers: $pass passed, $fail failed" >&2
finish
