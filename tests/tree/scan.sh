#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Scan a whole Debian tree once per checker build and print the path of the
# JSON report.  Reports are cached under the mapcheck cache, keyed by the
# checker binary and the rules/, so that several tests share one scan.
# The scan starts from an empty result cache of its own (<report>.cache/),
# which it fills: tests/cache/tree.sh scans again from it, warm.
#
#   tests/tree/scan.sh 6.1   ->  <cache>/scans/6.1-<key>.json
# with the conversion series of the same scan in <cache>/scans/6.1-<key>.patches/.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ver=$1
cache=${MAPCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mapcheck}
read -r src build <<<"$("$top/scripts/prepare-tree.sh" "$ver")"
# UML for what x86_64 allmodconfig does not build (hostfs, arch/um)
read -r _ um <<<"$("$top/scripts/prepare-tree.sh" "$ver" um)"
# the inputs that decide the result: the checker (its sources and the binary
# built from them, which keys the result cache tests/cache/tree.sh reuses),
# rules/, the tree, the configurations
key=$( (cat "$top"/checker/*.[ch] "$top/checker/Makefile" "$top/checker/mapcheck" \
	"$top"/rules/* "$src/Makefile"; echo "x86_64 allmodconfig, um defconfig") |
	sha1sum | cut -c1-12)
out=$cache/scans/$ver-$key.json
mkdir -p "$cache/scans"
exec 9>"$cache/scans/.lock-$ver"
flock 9
# a report whose result cache another key's scan removed is made again:
# tests/cache/tree.sh scans warm from that cache
if [ ! -s "$out" ] || [ ! -d "$out.cache/results" ]; then
	start=$(date +%s)
	# older checkers' result caches are of no further use, once no run
	# (tests/cache/tree.sh's warm scan of one) is using them
	for old in "$cache/scans/$ver"-*.json.cache; do
		[ "$old" = "$out.cache" ] || "$top/scripts/remove-cache.sh" "$old"
	done
	"$top/scripts/remove-cache.sh" --wait "$out.cache"
	MAPCHECK_CACHE=$out.cache /usr/bin/time -v -o "$out.time" "$top/checker/mapcheck" \
		--tree "$src" --build "$build" --build "$um" --format json --fail-on never -j"$(nproc)" \
		-o "$out.tmp" --emit-patches "${out%.json}.patches.tmp" "$src" >&2
	# the kmap_local_page() series of the same scan (tests/patches/tree.sh)
	rm -rf "${out%.json}.patches"
	mv "${out%.json}.patches.tmp" "${out%.json}.patches"
	mv "$out.tmp" "$out"
	echo "scan.sh: scanned $ver in $(( $(date +%s) - start )) s" >&2
fi
echo "$out"
