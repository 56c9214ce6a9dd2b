#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The result cache never changes a result, on the real trees: the whole-tree
# report of tests/tree/scan.sh (parsed from an empty cache, every file a
# miss: what --no-cache does) and a second, warm scan served from the cache
# that scan filled are the same JSON, byte for byte (but the run's seconds),
# on 6.1 and 6.12; and the warm scan parsed nothing: no entry written.  A
# hit only touches its entry (its times change, prune() keeps it); a miss
# writes a new file and renames it over the entry (a new inode), so the
# entries' inode numbers before and after the warm scan tell the two apart.
# And on a fixed sample of directories, the report of a scan with neither
# the precompiled prelude nor the cache (--no-pch --no-cache) is the same
# JSON as that sample's report from the warm cache.
# Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
scratch
# the --no-pch sample: fs/ helpers and out-parameters, a large driver with
# many headers, the UML configuration, net/ and lib/ callers
pch_sample="fs/ext2 fs/nilfs2 fs/reiserfs fs/ecryptfs fs/hostfs drivers/gpu/drm/i915/gem
drivers/md net/ceph lib mm"

for ver in 6.1 6.12; do
	json=$("$top/tests/tree/scan.sh" "$ver") || { result "$ver: whole-tree scan" 1; continue; }
	builds_of "$ver"
	if [ ! -d "$json.cache/results" ]; then
		result "$ver: the cold scan left its result cache ($json.cache)" 1
		continue
	fi
	inodes() { find "$json.cache/results" -type f ! -name '.*' -printf '%i %P\n' | sort; }
	inodes > "$tmp/before"
	start=$(date +%s%N)
	MAPCHECK_CACHE=$json.cache "$mc" --tree "$src" "${builds[@]}" --format json \
		--fail-on never -j"$(nproc)" -o "$tmp/warm.json" "$src"
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	inodes > "$tmp/after"
	written=$(comm -13 "$tmp/before" "$tmp/after" | wc -l)
	printf '  %s: warm whole-tree scan %d.%03d s, %s entries written\n' "$ver" $((ms / 1000)) $((ms % 1000)) "$written"
	cmp -s <(grep -v '"seconds"' "$json") <(grep -v '"seconds"' "$tmp/warm.json")
	result "$ver: cold and warm (cached) whole-tree reports are identical" $?
	[ "$written" = 0 ]
	result "$ver: the warm scan took every file from the cache" $?
	# the precompiled prelude (checker/pch.c) changes no result either: a
	# fixed sample of directories (many sites, many shared headers, two
	# configurations) scanned with --no-pch --no-cache gives the report the
	# same sample gives from the warm cache, which holds what the cold
	# whole-tree scan parsed with the prelude
	sample=()
	for d in $pch_sample; do [ -d "$src/$d" ] && sample+=("$src/$d"); done
	start=$(date +%s)
	MAPCHECK_CACHE=$json.cache "$mc" --tree "$src" "${builds[@]}" --format json \
		--fail-on never -j"$(nproc)" -o "$tmp/sample.json" "${sample[@]}"
	"$mc" --tree "$src" "${builds[@]}" --format json --fail-on never --no-pch \
		--no-cache -j"$(nproc)" -o "$tmp/nopch.json" "${sample[@]}"
	printf '  %s: %d directories without the prelude or the cache: %d s, %s sites\n' "$ver" \
		"${#sample[@]}" $(( $(date +%s) - start )) "$(grep -c '"api":' "$tmp/nopch.json")"
	grep -q '"api":' "$tmp/sample.json" &&
		cmp -s <(grep -v '"seconds"' "$tmp/sample.json") <(grep -v '"seconds"' "$tmp/nopch.json")
	result "$ver: the reports with and without the precompiled prelude are identical (${#sample[@]} directories)" $?
done
finish
