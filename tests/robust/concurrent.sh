#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs sharing one result cache at once (checker/cache.c): two runs of the
# checker and one of another binary (a copy with one byte appended: another
# cache key) scan the same 6.1 directories with the same MAPCHECK_CACHE,
# started together.  Each report is the lone run's (every field but
# stats.seconds), and neither run removed or spoiled what another wrote:
# every entry is whole (its checksum holds), no temporary file is left, and
# a warm run of each binary afterwards takes every file from the cache
# (writes no entry and no pre-filter file: the inodes are unchanged).
# Beside them: scripts/remove-cache.sh keeps a cache a run is using, and
# prune() removes nothing while another run uses the cache, then does
# once the cache is free.
#
# The sample, fs/ext2 fs/nilfs2 fs/reiserfs (63 files considered, 42 parsed,
# about 12 s cold on two cores): the three runs overlap for all of their parse, and the
# whole test stays near a minute on two cores (drivers/gpu/drm/i915/gem
# would triple it).  Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
scratch
builds_of 6.1
sample=("$src/fs/ext2" "$src/fs/nilfs2" "$src/fs/reiserfs")
runs=0

# the other binary: the same checker, another key
mkdir -p "$tmp/bin"
cp "$mc" "$tmp/bin/mapcheck"
printf '\n' >> "$tmp/bin/mapcheck"
other=$tmp/bin/mapcheck
export MAPCHECK_RULES=$top/rules

scan() {	# scan BINARY CACHE OUT [PATH...]: a JSON report of the sample
	local bin=$1 cache=$2 out=$3
	shift 3
	MAPCHECK_CACHE=$cache "$bin" --tree "$src" "${builds[@]}" -j2 --fail-on never \
		--format json -o "$out" "${@:-${sample[@]}}"
}
same() {	# same A B: the same JSON but for the run's seconds
	cmp -s <(sed -E 's/"seconds": [0-9.]+/"seconds": -/' "$1") \
		<(sed -E 's/"seconds": [0-9.]+/"seconds": -/' "$2")
}
# the files a warm run must leave alone: entries and the pre-filter verdicts
inodes() { find "$shared/results" -type f ! -name '*.lock' ! -name '.pruned' -printf '%i %P\n' | sort; }

scan "$mc" "$tmp/lone" "$tmp/lone.json" 2>/dev/null; runs=$((runs + 1))
[ -s "$tmp/lone.json" ]; result "a lone run of the sample" $? || finish

# an entry no run has used for 30 days, for prune(), and no prune yet
shared=$tmp/shared
mkdir -p "$shared/results/00"
echo 'not an entry' > "$shared/results/00/unused-30-days"
touch -d '30 days ago' "$shared/results/00/unused-30-days"

start=$(date +%s)
scan "$mc" "$shared" "$tmp/a.json" 2>"$tmp/a.err" & a=$!
scan "$mc" "$shared" "$tmp/b.json" 2>"$tmp/b.err" & b=$!
scan "$other" "$shared" "$tmp/c.json" 2>"$tmp/c.err" & c=$!
runs=$((runs + 3))

# once a run holds the lock: the cache is in use
for _ in $(seq 300); do
	[ -e "$shared/results/.lock" ] && ! flock -n -x "$shared/results/.lock" true && break
	sleep 0.1
done
"$top/scripts/remove-cache.sh" "$shared" 2>"$tmp/remove.err"
[ -d "$shared/results" ] && grep -q 'kept .* (in use)' "$tmp/remove.err"
result "scripts/remove-cache.sh keeps a cache in use" $? || cat "$tmp/remove.err"
# a short run beside them, due to prune (no .pruned yet): it must not
scan "$mc" "$shared" "$tmp/y.json" "$top/tests/fixtures/class-local.c" 2>/dev/null
runs=$((runs + 1))
busy=0
for p in $a $b $c; do kill -0 "$p" 2>/dev/null && busy=$((busy + 1)); done
[ -e "$shared/results/00/unused-30-days" ] && [ ! -e "$shared/results/.pruned" ] && [ $busy -gt 0 ]
result "prune() removes nothing while other runs use the cache ($busy still running)" $?

rcs=
for p in $a $b $c; do wait "$p"; rcs+=" $?"; done
echo "  three runs at once: $(( $(date +%s) - start )) s, exits$rcs"
for r in a b c; do
	same "$tmp/lone.json" "$tmp/$r.json"
	result "run $r at once: the lone run's report" $? || { head -3 "$tmp/$r.err"; diff <(sed 's/"seconds".*//' "$tmp/lone.json") <(sed 's/"seconds".*//' "$tmp/$r.json") | head -5; }
done

# every entry whole, no temporary file left
read -r entries bad tmps < <(python3 - "$shared/results" <<'EOF'
import hashlib, os, sys
entries = bad = tmps = 0
for d, _, files in os.walk(sys.argv[1]):
    for f in files:
        if f.startswith('.') or f == 'unused-30-days':
            continue
        if f.endswith('.tmp'):
            tmps += 1
            continue
        entries += 1
        data = open(os.path.join(d, f), 'rb').read()
        # "sum <sha256 of everything above>\n" closes an entry (cache.c)
        if not (data.startswith(b'mapcheck-result ') and data[-69:-65] == b'sum ' and
                hashlib.sha256(data[:-69]).hexdigest().encode() == data[-65:-1]):
            bad += 1
print(entries, bad, tmps)
EOF
)
echo "  entries checked: $entries ($bad damaged, $tmps temporary files left)"
[ "${entries:-0}" -gt 0 ] && [ "$bad" = 0 ] && [ "$tmps" = 0 ]
result "every entry is whole and no temporary file is left" $?

# warm: each binary finds everything it needs
for bin in "$mc" "$other"; do
	name=$([ "$bin" = "$mc" ] && echo checker || echo "other binary")
	inodes > "$tmp/before"
	scan "$bin" "$shared" "$tmp/warm.json" 2>/dev/null
	runs=$((runs + 1))
	inodes > "$tmp/after"
	written=$(comm -13 "$tmp/before" "$tmp/after" | wc -l)
	same "$tmp/lone.json" "$tmp/warm.json" && [ "$written" = 0 ]
	result "$name, warm after them: the same report, $written files written" $?
done

# alone now: prune() runs, and keeps what is in use
scan "$mc" "$shared" "$tmp/y.json" "$top/tests/fixtures/class-local.c" 2>/dev/null
runs=$((runs + 1))
after=$(find "$shared/results" -type f ! -name '.*' ! -name '*.tmp' | wc -l)
[ ! -e "$shared/results/00/unused-30-days" ] && [ -e "$shared/results/.pruned" ] && [ "$after" = "$entries" ]
result "prune() once the cache is free: the unused entry removed, the $after others kept" $?
"$top/scripts/remove-cache.sh" "$shared" 2>/dev/null
[ ! -e "$shared" ]; result "scripts/remove-cache.sh removes a cache no run uses" $?

echo "  runs: $runs (1 lone, 3 at once, 1 beside them, 2 warm, 1 pruning); entries checked: $entries"
finish
