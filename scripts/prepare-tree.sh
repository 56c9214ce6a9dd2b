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
#   scripts/prepare-tree.sh 6.12 arm        ->  ... <cache>/build-6.12-arm
#
# The other architectures clang builds (make ARCH=<arch> LLVM=1, no cross
# toolchain beyond Debian's clang, lld and llvm): the configurations of
# arch_config below, one per name.  mapcheck takes each as one more --build
# for the files under its arch/ (and the drivers only it builds).
#
# The source tree is never written to except by kbuild's own O= rules.
set -euo pipefail

# arch_config NAME: "ARCH LLVM DEFCONFIG [CONFIG_SYMBOL...]" for each
# architecture configuration, chosen to build the architecture's HIGHMEM
# code where it has any and as many of its files that map pages as one
# configuration can:
#  arm        multi_v7 (every ARMv7 platform) with HIGHMEM: arm's kmap code
#             (arch/arm/mm/highmem.c, the copypage-* and cache files);
#  arm64      defconfig: no HIGHMEM; its uprobes and vdso map pages, and
#             uprobes need UPROBE_EVENTS (under FTRACE, which defconfig
#             leaves out);
#  powerpc    pmac32, 32-bit with HIGHMEM (its defconfig sets it);
#  powerpc64  ppc64 (book3s, KVM, cell, powernv): the 64-bit-only files
#             pmac32 does not build;
#  mips       malta, MIPS32r2 with HIGHMEM, and UPROBE_EVENTS (with the
#             PERF_EVENTS it needs);
#  riscv      defconfig (64-bit), with UPROBE_EVENTS as arm64;
#  s390       defconfig; LLVM=1 on s390 needs LLVM 18.1 or later, so
#             Debian 12's clang-19 (LLVM=-19) builds it.
# loongarch needs LLVM 18 to build and a libclang newer than mapcheck's 14
# to parse, so it is not among them.
arch_config() {
	case $1 in
	arm) echo "arm 1 multi_v7_defconfig HIGHMEM" ;;
	arm64) echo "arm64 1 defconfig FTRACE UPROBE_EVENTS" ;;
	powerpc) echo "powerpc 1 pmac32_defconfig HIGHMEM" ;;
	powerpc64) echo "powerpc 1 ppc64_defconfig" ;;
	mips) echo "mips 1 malta_defconfig HIGHMEM PERF_EVENTS UPROBE_EVENTS" ;;
	riscv) echo "riscv 1 defconfig FTRACE UPROBE_EVENTS" ;;
	s390) echo "s390 -19 defconfig" ;;
	*) return 1 ;;
	esac
}
arch_names="arm arm64 powerpc powerpc64 mips riscv s390"

ver=${1:?usage: prepare-tree.sh <6.1|6.12> [um|gcc|gcc-kasan|ARCH]}
conf=${2:-}
case $conf in
''|um|gcc|gcc-kasan) ;;
list) echo "$arch_names"; exit 0 ;;
*) arch_config "$conf" >/dev/null ||
	{ echo "prepare-tree: unknown configuration '$conf' (um, gcc, gcc-kasan, or one of: $arch_names)" >&2; exit 2; } ;;
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

# One unpacker per tree, and one preparer per build directory, at a time:
# tests and users may run in parallel, and the configurations of one tree
# are prepared side by side (make scan).
lock() {	# lock FD NAME: hold $cache/.lock-NAME on FD until the script ends
	eval "exec $1>\"\$cache/.lock-\$2\""
	flock "$1"
}
lock 9 "$ver"

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
exec 9>&-

# the gcc configurations: no clang build needed
case $conf in
gcc|gcc-kasan)
	build=$cache/build-$ver-$conf
	lock 8 "$ver-$conf"
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

# an LLVM architecture: its own build directory, no x86 build needed
if read -r arch llvm defconfig syms < <(arch_config "$conf"); then
	build=$cache/build-$ver-$conf
	lock 8 "$ver-$conf"
	# prepared again when its line of arch_config changed
	if [ "$(cat "$build/.mapcheck-prepared" 2>/dev/null)" != "$(arch_config "$conf")" ]; then
		rm -rf "$build"
		mkdir -p "$build"
		kmake=(make -s -C "$src" O="$build" ARCH="$arch" LLVM="$llvm" -j"$jobs")
		log=$cache/prepare-$ver-$conf.log
		: >"$log"
		echo "prepare-tree: $defconfig${syms:+ + $syms} + prepare in $build (ARCH=$arch LLVM=$llvm)" >&2
		logged "$log" "${kmake[@]}" "$defconfig"
		if [ -n "$syms" ]; then
			for sym in $syms; do
				logged "$log" "$src/scripts/config" --file "$build/.config" -e "$sym"
			done
			logged "$log" "${kmake[@]}" olddefconfig
			for sym in $syms; do
				grep -q "^CONFIG_$sym=y" "$build/.config" || {
					echo "prepare-tree: CONFIG_$sym did not stay set in $build/.config" >&2
					exit 1
				}
			done
		fi
		logged "$log" "${kmake[@]}" prepare
		# how to build one of its files again (tests/tree/arches.sh)
		echo "ARCH=$arch LLVM=$llvm" >"$build/.mapcheck-make"
		arch_config "$conf" >"$build/.mapcheck-prepared"
	fi
	echo "$src $build"
	exit 0
fi

# kbuild refuses O= when the source tree was configured in place; Debian's
# tarball is clean, and nothing here configures in place.
lock 7 "$ver-x86_64"
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
	lock 8 "$ver-um"
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
