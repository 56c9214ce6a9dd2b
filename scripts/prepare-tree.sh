#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpack Debian's linux-source-<ver> into the mapcheck cache and prepare it
# with kbuild (O= build dir, clang, x86_64 allmodconfig), reusing what is
# already there.  Prints the source dir and the build dir on stdout.
#
#   scripts/prepare-tree.sh 6.12     ->  <cache>/linux-6.12 <cache>/build-6.12
#
# The source tree is never written to except by kbuild's own O= rules.
set -euo pipefail

ver=${1:?usage: prepare-tree.sh <6.1|6.12>}
cache=${MAPCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mapcheck}
tarball=/usr/src/linux-source-$ver.tar.xz
src=$cache/linux-$ver
build=$cache/build-$ver
jobs=${JOBS:-$(nproc)}

if [ ! -r "$tarball" ]; then
	echo "prepare-tree: $tarball missing (apt-get install linux-source-$ver)" >&2
	exit 2
fi
mkdir -p "$cache"

# One preparer per tree at a time: tests and users may run in parallel.
exec 9>"$cache/.lock-$ver"
flock 9

# Unpack into a temporary name and rename, so an interrupted unpack is
# never mistaken for a complete tree.
if [ ! -f "$src/.mapcheck-unpacked" ]; then
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	echo "prepare-tree: unpacking $tarball" >&2
	tar -C "$src.tmp" --strip-components=1 -xJf "$tarball"
	touch "$src.tmp/.mapcheck-unpacked"
	mv "$src.tmp" "$src"
fi

# kbuild refuses O= when the source tree was configured in place; Debian's
# tarball is clean, and nothing here configures in place.
if [ ! -f "$build/.mapcheck-prepared" ]; then
	rm -rf "$build"
	mkdir -p "$build"
	echo "prepare-tree: allmodconfig + prepare in $build (CC=clang)" >&2
	kmake=(make -s -C "$src" O="$build" ARCH=x86_64 CC=clang -j"$jobs")
	"${kmake[@]}" allmodconfig >&2
	"${kmake[@]}" prepare >&2
	touch "$build/.mapcheck-prepared"
fi
echo "$src $build"
