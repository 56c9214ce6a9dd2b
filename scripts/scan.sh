#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make scan: prepare Debian's tree in every configuration mapcheck reads,
# then scan it once with all of them.
#
#   scripts/scan.sh OUT [VERSION] [ARCHES]
#
# The configurations: x86_64 allmodconfig (first: it builds the most), UML
# (hostfs, arch/um), then each of ARCHES (default: every LLVM architecture
# of scripts/prepare-tree.sh, "none" for none).  mapcheck parses each file
# with the first of them that builds it.  x86 and UML are prepared in one
# lane and the other architectures in a second, side by side: a
# preparation is mostly single-threaded configuration and header
# generation, so two lanes keep two cores busy.  Prints the seconds each
# preparation took (0 when it was already prepared).
set -euo pipefail

out=${1:?usage: scan.sh OUT [VERSION] [ARCHES]}
ver=${2:-6.12}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
prep=$here/prepare-tree.sh
arches=${3:-$("$prep" "$ver" list)}
[ "$arches" = none ] && arches=
jobs=${JOBS:-$(nproc)}
lanes=$(mktemp -d)
trap 'rm -rf "$lanes"' EXIT

# prepare_lane NAME CONF...: prepare each configuration in turn, writing
# "CONF SECONDS SRC BUILD" lines to $lanes/NAME
prepare_lane() {
	local name=$1 conf t src build
	shift
	for conf in "$@"; do
		t=$(date +%s)
		read -r src build < <("$prep" "$ver" ${conf#x86_64}) || return 1
		[ -n "${build:-}" ] || return 1
		echo "$conf $(($(date +%s) - t)) $src $build" >>"$lanes/$name"
	done
}

prepare_lane x86 x86_64 um &
x86=$!
prepare_lane other $arches &
other=$!
rc=0
wait "$x86" || rc=1
wait "$other" || rc=1
if [ "$rc" != 0 ]; then
	echo "make scan: a configuration of $ver could not be prepared (see the message above)" >&2
	exit 1
fi

builds=()
for lane in x86 other; do
	[ -f "$lanes/$lane" ] || continue
	while read -r conf secs src build; do
		printf 'prepared %-10s %5s s  %s\n' "$conf" "$secs" "$build"
		builds+=(--build "$build")
		tree=$src	# as prepare-tree.sh printed it: one for every configuration
	done <"$lanes/$lane"
done
"$top/checker/mapcheck" --tree "$tree" "${builds[@]}" -j"$jobs" --fail-on never \
	--out-dir "$out" "$tree"
