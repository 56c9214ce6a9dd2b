#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every semantic-patches/*.cocci through a kernel tree's own coccicheck:
#
#   scripts/coccicheck.sh KDIR [MODE] [M]
#
#   KDIR  kernel source tree (e.g. the first word printed by prepare-tree.sh)
#   MODE  report (default), context, org or patch
#   M     optional sub-directory or file of KDIR to limit the run to
#
# Each script runs as
#   make -C KDIR coccicheck COCCI=<abs script> MODE=<mode> J=$J [M=<dir>]
# so the kernel's scripts/coccicheck picks the spatch options (the
# "// Options:" line of each script, --jobs, -I paths) exactly as for its
# own scripts.  Nothing is written into KDIR: spatch's parallel work
# directories go to a temporary directory (SPFLAGS=--tmp-dir), and patch
# mode prints the diff (with a/ b/ paths, ready for patch -p1) instead of
# applying it.  Environment: J (default 2), COCCI_SCRIPTS (space-separated
# list of scripts to run instead of all), SPATCH.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
kdir=${1:?usage: coccicheck.sh KDIR [MODE] [M]}
mode=${2:-report}
sub=${3:-}
jobs=${J:-2}

case $mode in
report|context|org|patch) ;;
*) echo "coccicheck.sh: unknown mode '$mode' (report, context, org, patch)" >&2; exit 2 ;;
esac
if [ ! -f "$kdir/scripts/coccicheck" ]; then
	echo "coccicheck.sh: $kdir is not a kernel tree (no scripts/coccicheck)" >&2
	exit 2
fi
if ! command -v "${SPATCH:-spatch}" >/dev/null; then
	echo "coccicheck.sh: spatch not found (apt-get install coccinelle)" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/coccicheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

spflags="--tmp-dir $tmp/spatch"
# Without M= the kernel's coccicheck does not name the diff's sides; ask
# for a/ and b/ so the patch applies with patch -p1 / git apply.
[ "$mode" = patch ] && [ -z "$sub" ] && spflags="--patch . $spflags"

scripts=${COCCI_SCRIPTS:-$(ls "$here"/semantic-patches/*.cocci)}
status=0
for s in $scripts; do
	s=$(readlink -f "$s")
	args=(-C "$kdir" coccicheck COCCI="$s" MODE="$mode" J="$jobs" SPFLAGS="$spflags")
	[ -n "$sub" ] && args+=(M="$sub")
	make "${args[@]}" || status=1
done
exit $status
