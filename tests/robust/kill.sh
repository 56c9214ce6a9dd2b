#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A scan killed with SIGKILL at 20 random moments, five in each phase: the
# pre-filter, the parse (workers busy), the writing of a cache entry, the
# writing of the patch series.  After each kill the outputs are the old
# ones or none, never a truncated report or half a series, and no worker
# is left; after the 20, a run from the cache they left gives the report
# and series of an uninterrupted run (every field but stats.seconds), and
# a warm run after it writes no entry.
#
# The kill points come from MAPCHECK_PHASES (util.c phase()): the run says
# "mapcheck: phase NAME" on stderr as it enters each phase, and with a
# number of milliseconds it also pauses that long inside each half-written
# cache entry, report and patch, under its temporary name.  A kill is sent
# at the Nth marker of the phase plus a random delay; where the run died is
# the last marker it printed.  The choices are seeded: SEED=N replays them
# (the timing of a kill can differ by milliseconds).
#
# The scope: 6.1's fs/nilfs2 and fs/reiserfs, not a whole tree.  They have
# every phase (49 files considered, 28 parsed, two patches and a cover
# letter) and take 12-17 s cold on two cores, so 20 kills and the runs
# around them take under two minutes, where 20 whole-tree scans would take
# an hour.  Each kill in the parse comes after a fifth of the cache's
# entries are removed (randomly, seeded), so that the parse and the cache
# writes after it have work left to kill; otherwise the cache would be
# full after the first few kills.  The kills in the pre-filter are of a
# scan of fs/, whose pre-filter lasts long enough to be hit (the sample's
# takes milliseconds); it is killed before it writes anything.
# Outputs start half the time from the outputs of an earlier, different run
# (fs/reiserfs alone), which must then stay whole until replaced whole.
# Prints "N kill points", the count per phase, and "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
scratch
builds_of 6.1
sample=("$src/fs/nilfs2" "$src/fs/reiserfs")
seed=${SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$seed
echo "  seed $seed (SEED=$seed $0 replays the choices)"
# the series' dates, and no temporary directory outside the scratch one
export SOURCE_DATE_EPOCH=1700000000 MAPCHECK_RULES=$top/rules TMPDIR=$tmp/t
mkdir -p "$TMPDIR" "$tmp/bin"
# a copy of the checker (the same cache key): its workers are found by path
bin=$tmp/bin/mapcheck
cp "$mc" "$bin"
cache=$tmp/cache
w=$tmp/w
outs=(report.json baseline out/report.json out/report.sarif out/report.txt)

run() {		# run DIR [PATH...]: the options that write every output under DIR
	local dir=$1
	shift
	"$bin" --tree "$src" "${builds[@]}" -j2 --fail-on never --format json \
		-o "$dir/report.json" --write-baseline "$dir/baseline" --out-dir "$dir/out" \
		"${@:-${sample[@]}}" >/dev/null
}
same() {	# same A B: the same file, but for a JSON report's seconds
	cmp -s <(sed -E 's/"seconds": [0-9.]+/"seconds": -/' "$1") \
		<(sed -E 's/"seconds": [0-9.]+/"seconds": -/' "$2")
}
ms() { echo $(( $(date +%s%N) / 1000000 )); }

# the outputs of an uninterrupted run (timed per phase), and the old ones
declare -A at
mkdir -p "$tmp/new" "$tmp/old"
while IFS= read -r line; do
	[[ $line == "mapcheck: phase "* ]] && at[${line#mapcheck: phase }]=${at[${line#mapcheck: phase }]:-$(ms)}
done < <(MAPCHECK_PHASES=0 MAPCHECK_CACHE=$tmp/new-cache run "$tmp/new" 2>&1)
MAPCHECK_CACHE=$tmp/old-cache run "$tmp/old" "$src/fs/reiserfs" 2>/dev/null
npatches=$(ls "$tmp/new/out/patches" | wc -l)
parse=$(( at[patches] - at[parse] ))
[ -s "$tmp/new/report.json" ] && [ "$npatches" -ge 2 ] && [ -s "$tmp/old/report.json" ] &&
	! diff -rq "$tmp/new/out/patches" "$tmp/old/out/patches" >/dev/null
result "uninterrupted runs, new and old outputs (different series)" $? || finish

# put the visible outputs in state $1 (old: the old ones; none), keeping
# hidden leftovers of killed runs for the next run to remove
set_outputs() {
	mkdir -p "$w/out"
	rm -rf "$w/out/patches"
	for f in "${outs[@]}"; do rm -f "$w/$f"; done
	if [ "$1" = old ]; then
		for f in "${outs[@]}"; do cp "$tmp/old/$f" "$w/$f"; done
		cp -r "$tmp/old/out/patches" "$w/out/patches"
	fi
}
# every output the old one, the new one, or (from none) absent; nothing else
check_outputs() {	# check_outputs STATE: 0 when whole
	local f bad=0
	for f in "${outs[@]}"; do
		if [ -e "$w/$f" ]; then
			same "$w/$f" "$tmp/new/$f" || { [ "$1" = old ] && same "$w/$f" "$tmp/old/$f"; } ||
				{ echo "  $f: neither the old nor the new one ($(wc -c < "$w/$f") bytes)"; bad=1; }
		elif [ "$1" = old ]; then
			echo "  $f: the old one is gone"; bad=1
		fi
	done
	if [ -e "$w/out/patches" ]; then
		diff -rq "$w/out/patches" "$tmp/new/out/patches" >/dev/null ||
			{ [ "$1" = old ] && diff -rq "$w/out/patches" "$tmp/old/out/patches" >/dev/null; } ||
			{ echo "  out/patches: neither the old nor the new series: $(ls "$w/out/patches" | tr '\n' ' ')"; bad=1; }
	elif [ "$1" = old ]; then
		echo "  out/patches: the old series is gone"; bad=1
	fi
	# hidden: the temporary names (atomic.c)
	for f in $(cd "$w" && find . -mindepth 1 -name '.*' -prune -o ! -path './out/patches/*' -print); do
		case $f in
		./baseline|./report.json|./out|./out/patches|./out/report.json|./out/report.sarif|./out/report.txt) ;;
		*) echo "  unexpected file $f"; bad=1 ;;
		esac
	done
	return $bad
}
# the kill run: kill -9 at the NTH marker of TARGET plus DELAY ms; sets $last
kill_at() {	# kill_at TARGET NTH DELAY PAUSE PATH...
	local target=$1 nth=$2 delay=$3 pause=$4 n=0 line pid rc
	shift 4
	rm -f "$tmp/err"
	mkfifo "$tmp/err"
	MAPCHECK_PHASES=$pause MAPCHECK_CACHE=$cache "$bin" --tree "$src" "${builds[@]}" -j2 \
		--fail-on never --format json -o "$w/report.json" --write-baseline "$w/baseline" \
		--out-dir "$w/out" "$@" >/dev/null 2>"$tmp/err" &
	pid=$!	# mapcheck itself: a simple command in the background is not a subshell
	last=start
	at=()
	exec 7<"$tmp/err"
	while IFS= read -r line <&7; do
		[[ $line == "mapcheck: phase "* ]] || continue
		last=${line#mapcheck: phase }
		at[$last]=${at[$last]:-$(ms)}
		[ "$last" = "$target" ] && n=$((n + 1))
		if [ "$n" = "$nth" ]; then
			sleep "$((delay / 1000)).$(printf %03d $((delay % 1000)))"
			kill -9 "$pid" 2>/dev/null
			break
		fi
	done
	# what it said before it died: where it died
	while IFS= read -r line <&7; do
		[[ $line == "mapcheck: phase "* ]] && last=${line#mapcheck: phase }
	done
	exec 7<&-
	wait "$pid" 2>/dev/null; rc=$?	# not bash's "Killed" line
	[ "$rc" = 137 ] || last=finished
}
# remove each entry of the cache with probability 1/5
evict() {
	local f
	for f in $(find "$cache/results" -type f ! -name '.*' ! -name '*.tmp' 2>/dev/null | sort); do
		[ $((RANDOM % 5)) = 0 ] && rm -f "$f"
	done
}

# the sample's pre-filter is over in milliseconds: the kills in the
# pre-filter are of a scan of all of fs/ (killed before it writes anything),
# whose pre-filter reads its 1,900 .c files; how long that takes:
# (the second of two runs: the first may read the files from disk)
unset at; declare -A at
pre=0
for _ in 1 2; do
	kill_at parse 1 0 0 "$src/fs"
	pre=$(( ${at[parse]:-0} - ${at[prefilter]:-0} ))
done
echo "  uninterrupted: parse of the sample $parse ms, $npatches files in its series; pre-filter of fs/ $pre ms"
[ "$pre" -gt 50 ]; result "the pre-filter of fs/ takes long enough to be killed in" $? || finish

declare -A landed
phases=(prefilter parse cache-write patch-write)
kills=0 tries=0 bad=0 orphans=0
while [ $kills -lt 20 ] && [ $tries -lt 40 ]; do
	tries=$((tries + 1))
	want=${phases[$((kills % 4))]}
	state=$([ $((RANDOM % 2)) = 0 ] && echo old || echo none)
	set_outputs "$state"
	t0=$(ms)
	case $want in
	# within 80% of the shortest pre-filter seen so far
	prefilter)	kill_at prefilter 1 $((RANDOM % (pre * 4 / 5))) 0 "$src/fs"
			[ -n "${at[parse]:-}" ] && [ $(( at[parse] - at[prefilter] )) -lt $pre ] &&
				pre=$(( at[parse] - at[prefilter] )) ;;
	# a fifth of the entries removed, killed within a fifth of a cold
	# parse; the cache write after it finds the misses it left
	parse)		evict; kill_at parse 1 $((RANDOM % (parse / 5 > 1 ? parse / 5 : 1))) 0 "${sample[@]}" ;;
	cache-write)	kill_at cache-write $((1 + RANDOM % 5)) $((RANDOM % 200)) cache-write:300 "${sample[@]}" ;;
	patch-write)	kill_at patch-write $((1 + RANDOM % npatches)) $((RANDOM % 200)) patch-write:300 "${sample[@]}" ;;
	esac
	[ -n "${V:-}" ] && echo "  kill $((kills + 1)): $want wanted, died in $last after $(( $(ms) - t0 )) ms (outputs $state)"
	# only a run that pauses there is killed inside a cache write: without
	# the pause, the write after that marker is over in microseconds
	[ "$last" = cache-write ] && [ "$want" != cache-write ] && last=parse
	if ! check_outputs "$state"; then
		bad=$((bad + 1)); echo "  after a kill in $last ($want wanted, outputs $state)"
	fi
	# workers die with their parent (PR_SET_PDEATHSIG)
	for _ in 1 2 3 4 5 6 7 8 9 10; do pgrep -f "^$bin " >/dev/null || break; sleep 0.2; done
	pgrep -f "^$bin " >/dev/null && { orphans=$((orphans + 1)); echo "  workers left after a kill in $last"; }
	[ "$last" = finished ] && continue
	kills=$((kills + 1))
	landed[$last]=$(( ${landed[$last]:-0} + 1 ))
done
counts=
for p in prefilter parse cache-write patches patch-write report-write; do
	[ -n "${landed[$p]:-}" ] && counts+=" $p ${landed[$p]},"
done
echo "$kills kill points:${counts%,} ($tries runs; seed $seed)"
[ $bad = 0 ]; result "after every kill: each output the old or the new one, whole, or none" $?
[ $orphans = 0 ]; result "no worker outlives its killed parent" $?
[ $kills = 20 ] && [ "${landed[prefilter]:-0}" -gt 0 ] && [ "${landed[parse]:-0}" -gt 0 ] &&
	[ "${landed[cache-write]:-0}" -gt 0 ] && [ "${landed[patch-write]:-0}" -gt 0 ]
result "20 kills, in every phase" $?
half=$(find "$cache/results" -name '*.tmp' | wc -l)
lefttmp=$(find "$w" -name '.*mapcheck-*' | wc -l)
echo "  left by the kills: $half half-written cache entries (never read; prune() removes them), $lefttmp hidden output leftovers"

# the next run, from what the kills left: the uninterrupted run's outputs
left_tmp=$(find "$TMPDIR" -mindepth 1 -maxdepth 1 | wc -l)
echo "  left in TMPDIR by the killed runs: $left_tmp directories ($(du -sh "$TMPDIR" | cut -f1))"
set_outputs old
MAPCHECK_CACHE=$cache run "$w" 2>"$tmp/final.err"
ok=0
for f in "${outs[@]}"; do same "$w/$f" "$tmp/new/$f" || { echo "  $f differs"; ok=1; }; done
diff -r "$w/out/patches" "$tmp/new/out/patches" >/dev/null || { echo "  the series differs"; ok=1; }
[ $ok = 0 ]; result "the run after the kills: the uninterrupted run's reports and series" $? || head -3 "$tmp/final.err"
left=$(find "$w" -name '.*mapcheck-*' | wc -l)
[ "$left" = 0 ]; result "it removed the $lefttmp leftovers of killed runs beside its outputs" $?
now_tmp=$(find "$TMPDIR" -mindepth 1 -maxdepth 1 | wc -l)
[ "$now_tmp" = 0 ]; result "and the $left_tmp temporary directories the killed runs left in TMPDIR" $? ||
	ls "$TMPDIR" | head -5
inodes() { find "$cache/results" -type f ! -name '.*' ! -name '*.tmp' -printf '%i %P\n' | sort; }
inodes > "$tmp/before"
MAPCHECK_CACHE=$cache run "$w" 2>/dev/null
inodes > "$tmp/after"
written=$(comm -13 "$tmp/before" "$tmp/after" | wc -l)
same "$w/report.json" "$tmp/new/report.json" && [ "$written" = 0 ]
result "a warm run after it: the same report, $written entries written" $?
finish
