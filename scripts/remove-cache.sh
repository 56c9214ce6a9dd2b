#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Remove a mapcheck cache directory (a $MAPCHECK_CACHE) unless a run is
# using it:
#
#   scripts/remove-cache.sh [--wait] DIR
#
# Every run holds a shared flock on DIR/results/.lock while it uses the
# cache (checker/cache.c); this takes an exclusive one without waiting
# (--wait: waiting for the runs to end), renames DIR away while it holds
# it, then removes it.  A run that opened the lock file just before then
# finds that the name no longer leads to the file it locked and starts a
# new cache.  A cache made by a checker from before the lock (no
# results/.lock) is removed only when nothing in it changed for 10
# minutes: a run of such a checker touches the entries it uses.
# Prints "removed DIR" or "kept DIR (in use)" on stderr; exits 0 either way.
set -euo pipefail
wait=-n
if [ "${1:-}" = --wait ]; then wait=; shift; fi
dir=${1:?usage: remove-cache.sh [--wait] DIR}
[ -e "$dir" ] || exit 0
lock=$dir/results/.lock
gone=$dir.removing.$$
if [ -e "$lock" ]; then
	exec 8<"$lock"
	if ! flock $wait -x 8; then
		echo "remove-cache: kept $dir (in use)" >&2
		exit 0
	fi
	mv "$dir" "$gone"
	exec 8<&-
elif [ -d "$dir/results" ] && [ -n "$(find "$dir/results" -type f -newermt '-10 minutes' -print -quit)" ]; then
	echo "remove-cache: kept $dir (no lock file, changed in the last 10 minutes)" >&2
	exit 0
else
	mv "$dir" "$gone"
fi
rm -rf "$gone"
echo "remove-cache: removed $dir" >&2
