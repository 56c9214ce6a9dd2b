#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpack Debian's linux-source-<ver> into the mapcheck cache and prepare it
# with kbuild (O= build dir, clang, x86_64 allmodconfig), reusing what is
# already there.  Prints the source dir and the build dir on stdout.
#
#   scripts/prepare-tree.sh 6.12     ->  <cache>/linux-6.12 <cache>/build-6.12
#   scripts/prepare-tree.sh 6.12 um  ->  <cache>/linux-6.12 <cache>/build-6.12-um
#
# The second form prepares User-Mode Linux (ARCH=um SUBARCH=x86 defconfig),
# the configuration that builds what x86 cannot: hostfs, arch/um, arch/x86/um.
# mapcheck takes it as a second --build for the files x86 does not build.
# UML's host-side objects (the *_user.o of the directories whose Makefile
# includes arch/um/scripts/Makefile.rules) are compiled with flags only
# kbuild knows (USER_CFLAGS, host headers), so those directories are
# compiled too, and mapcheck reads the flags from the .o.cmd files.
#
#
#   scripts/prepare-tree.sh 6.12 gcc        ->  ... <cache>/build-6.12-gcc
#   scripts/prepare-tree.sh 6.12 gcc-kasan  ->  ... <cache>/build-6.12-gcc-kasan
#
# The gcc forms prepare x86_64 allmodconfig, and defconfig with KASAN (and
# ext2, which tests/kbuild/run.sh checks), built
# with gcc: the command lines kbuild gives a CHECK= checker on the common
# gcc-built trees (tests/kbuild/run.sh).
#
# The source tree is never written to except by kbuild's own O= rules.
set -euo pipefail

ver=${1:?usage: prepare-tree.sh <6.1|6.12> [um]}
conf=${2:-}
case $conf in
''|um|gcc|gcc-kasan) ;;
*) echo "prepare-tree: unknown configuration '$conf' (um, gcc or gcc-kasan)" >&2; exit 2 ;;
esac
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

# kbuild's output (and the compiler warnings of UML's host objects) goes to
# a log under the cache, not to the terminal; its path is printed when a
# step fails, with the end of it.
logged() {
	local log=$1
	shift
	if ! "$@" >>"$log" 2>&1; then
		echo "prepare-tree: '$*' failed; its output is in $log; the last lines:" >&2
		tail -n 15 "$log" >&2
		exit 1
	fi
}

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

# the gcc configurations: no clang build needed
case $conf in
gcc|gcc-kasan)
	build=$cache/build-$ver-$conf
	if [ ! -f "$build/.mapcheck-prepared" ]; then
		rm -rf "$build"
		mkdir -p "$build"
		kmake=(make -s -C "$src" O="$build" ARCH=x86_64 CC=gcc -j"$jobs")
		log=$cache/prepare-$ver-$conf.log
		: >"$log"
		if [ "$conf" = gcc ]; then
			echo "prepare-tree: allmodconfig + prepare in $build (CC=gcc)" >&2
			logged "$log" "${kmake[@]}" allmodconfig
		else
			echo "prepare-tree: defconfig + KASAN + prepare in $build (CC=gcc)" >&2
			logged "$log" "${kmake[@]}" defconfig
			logged "$log" "$src/scripts/config" --file "$build/.config" -e KASAN -e KASAN_GENERIC -e KASAN_INLINE -e EXT2_FS
			logged "$log" "${kmake[@]}" olddefconfig
		fi
		logged "$log" "${kmake[@]}" prepare
		touch "$build/.mapcheck-prepared"
	fi
	echo "$src $build"
	exit 0 ;;
esac

# kbuild refuses O= when the source tree was configured in place; Debian's
# tarball is clean, and nothing here configures in place.
if [ ! -f "$build/.mapcheck-prepared" ]; then
	rm -rf "$build"
	mkdir -p "$build"
	echo "prepare-tree: allmodconfig + prepare in $build (CC=clang)" >&2
	kmake=(make -s -C "$src" O="$build" ARCH=x86_64 CC=clang -j"$jobs")
	log=$cache/prepare-$ver.log
	: >"$log"
	logged "$log" "${kmake[@]}" allmodconfig
	logged "$log" "${kmake[@]}" prepare
	touch "$build/.mapcheck-prepared"
fi
if [ "$conf" = um ]; then
	build=$cache/build-$ver-um
	if [ ! -f "$build/.mapcheck-prepared" ]; then
		rm -rf "$build"
		mkdir -p "$build"
		echo "prepare-tree: UML defconfig + prepare in $build (CC=clang)" >&2
		kmake=(make -s -C "$src" O="$build" ARCH=um SUBARCH=x86 CC=clang -j"$jobs")
		log=$cache/prepare-$ver-um.log
		: >"$log"
		logged "$log" "${kmake[@]}" defconfig
		logged "$log" "${kmake[@]}" prepare
		mapfile -t dirs < <(cd "$src" && grep -rl --include=Makefile \
			'arch/um/scripts/Makefile.rules' arch fs drivers 2>/dev/null |
			xargs -r -n1 dirname | sort -u | sed 's|$|/|')
		# only their .o.cmd files are wanted: an object that does not compile
		# here leaves its file to the configuration's common flags
		"${kmake[@]}" -k "${dirs[@]}" >>"$log" 2>&1 ||
			echo "prepare-tree: some UML host-side objects did not compile (see $log)" >&2
		touch "$build/.mapcheck-prepared"
	fi
fi
echo "$src $build"
