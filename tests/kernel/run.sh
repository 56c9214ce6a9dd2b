#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kernel boot test of the PKS/PMEM stray-write protection series
# (kernel-patch/).  From scratch, given Debian's linux-source-6.12,
# busybox-static, qemu-system-x86 and a compiler:
#
#  1. unpack the kernel source into the cache and apply the series,
#  2. check every patch with checkpatch.pl --strict,
#  3. build a control kernel (0001 only: the stray-write injector, no
#     protection) and, in the same object tree, the patched kernel,
#  4. compare sparse warnings of the files the series touches,
#  5. build an initramfs from busybox-static and tests/kernel/init.sh,
#  6. boot four scenarios under qemu-system-x86_64 (TCG, -cpu max) and
#     read the verdicts from the serial console.
#
# Prints "PASS name" / "FAIL name" per assertion and "N passed, N failed".
# Environment: MAPCHECK_CACHE (default ~/.cache/mapcheck), JOBS (default
# nproc), LINUX_TARBALL, KTEST_TIMEOUT (seconds per boot, default 300),
# KTEST_REBUILD=1 to ignore kernels cached for the same inputs;
# KTEST_PATCHED_BZIMAGE, KTEST_CONTROL_BZIMAGE, KTEST_GEN_INIT_CPIO to boot
# kernels built elsewhere (development only; skips building and checking).
# KTEST_ONLY="relaxed strict control nopks" selects boot scenarios.
# --build-only: steps 1-4 only (tests/run-all.sh runs it in the background);
# a run that finds another building the same kernels waits for it.

set -u
BUILD_ONLY=0
[ "${1:-}" = --build-only ] && BUILD_ONLY=1

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PATCHDIR=$ROOT/kernel-patch
FRAGMENT=$PATCHDIR/pks-test.config
TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
CACHE=${MAPCHECK_CACHE:-$HOME/.cache/mapcheck}/pks-test
JOBS=${JOBS:-$(nproc)}
BOOT_TIMEOUT=${KTEST_TIMEOUT:-300}
SRC=$CACHE/src
BUILD=$CACHE/build
LOGS=$CACHE/logs

npass=0
nfail=0
pass() { echo "PASS $1"; npass=$((npass + 1)); }
fail() { echo "FAIL $1${2:+: $2}"; nfail=$((nfail + 1)); }
note() { echo "# $*"; }
finish() {
	echo "$npass passed, $nfail failed"
	[ "$nfail" -eq 0 ]
	exit $?
}

if command -v ccache >/dev/null 2>&1; then
	KCC="ccache gcc"
	# depend mode: ccache hashes the dependency list kbuild has gcc write
	# (-Wp,-MMD) instead of running the preprocessor a second time on
	# every miss, which is what a fresh machine's builds are made of
	export CCACHE_DEPEND=1
else
	KCC=gcc
fi

mkdir -p "$CACHE" "$LOGS"
T0=$(date +%s)

# --- inputs --------------------------------------------------------------
if [ ! -f "$PATCHDIR/series" ]; then
	fail series_present "no $PATCHDIR/series"
	finish
fi
mapfile -t PATCHES < <(grep -v '^[[:space:]]*\(#\|$\)' "$PATCHDIR/series")
for p in "${PATCHES[@]}"; do
	[ -f "$PATCHDIR/$p" ] || { fail series_present "missing $p"; finish; }
done
for tool in qemu-system-x86_64 make gcc perl; do
	command -v $tool >/dev/null || { fail tools_present "$tool not found"; finish; }
done
# busybox-static installs a static /bin/busybox
BUSYBOX=${BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || { fail tools_present "busybox-static not installed"; finish; }
[ -f "$TARBALL" ] || { fail tools_present "$TARBALL not found"; finish; }

KEY=$(cat "$PATCHDIR/series" "${PATCHES[@]/#/$PATCHDIR/}" "$FRAGMENT" \
	"$HERE/run.sh" | sha256sum | cut -c1-16)
KDIR=$CACHE/kernels/$KEY

# --- source, series, builds ----------------------------------------------
configure() { # the fragment on top of tinyconfig
	make -s -C "$SRC" O="$BUILD" CC="$KCC" tinyconfig >/dev/null &&
	"$SRC/scripts/kconfig/merge_config.sh" -m -O "$BUILD" \
		"$BUILD/.config" "$FRAGMENT" >/dev/null &&
	make -s -C "$SRC" O="$BUILD" CC="$KCC" olddefconfig >/dev/null
}

config_has() { # symbols that must be =y
	local s missing=
	for s in "$@"; do
		grep -q "^CONFIG_$s=y" "$BUILD/.config" || missing="$missing $s"
	done
	[ -z "$missing" ] || { echo "missing:$missing"; return 1; }
}

build() { # name
	local t=$(date +%s)
	if make -C "$SRC" O="$BUILD" CC="$KCC" -j"$JOBS" bzImage \
		>"$LOGS/build-$1.log" 2>&1; then
		cp "$BUILD/arch/x86/boot/bzImage" "$KDIR/$1.bzImage"
		cp "$BUILD/usr/gen_init_cpio" "$KDIR/gen_init_cpio" 2>/dev/null
		note "build $1: $(( $(date +%s) - t )) s"
		echo "$(( $(date +%s) - t ))" > "$KDIR/$1.seconds"
		return 0
	fi
	tail -20 "$LOGS/build-$1.log"
	return 1
}

SPARSE_FILES=
sparse_check() { # name: sparse warnings of the touched .c files
	local f o out=$LOGS/sparse-$1.txt
	: > "$out"
	for f in $SPARSE_FILES; do
		o=${f%.c}.o
		[ -f "$SRC/$f" ] || continue
		# only files built in this configuration
		[ -f "$BUILD/$o" ] || continue
		make -s -C "$SRC" O="$BUILD" CC="$KCC" C=2 CHECK=sparse "$o" 2>&1 |
			grep -E "(warning|error):" |
			sed -E "s#^$SRC/##; s#^\./##; s#:[0-9]+:[0-9]+:#:#" >> "$out"
	done
	sort -o "$out" "$out"
}

# one builder at a time: a second run waits, then reuses what it built
exec 8>"$CACHE/.build-lock"
flock 8
if [ -n "${KTEST_PATCHED_BZIMAGE:-}" ]; then
	# developer shortcut: boot kernels built elsewhere, skip the build steps
	KDIR=$CACHE/kernels/external
	mkdir -p "$KDIR"
	cp "$KTEST_PATCHED_BZIMAGE" "$KDIR/patched.bzImage"
	cp "${KTEST_CONTROL_BZIMAGE:-$KTEST_PATCHED_BZIMAGE}" "$KDIR/control.bzImage"
	cp "$KTEST_GEN_INIT_CPIO" "$KDIR/gen_init_cpio"
	note "using external kernels; build, checkpatch and sparse steps skipped"
elif [ -n "${KTEST_REBUILD:-}" ] || [ ! -f "$KDIR/patched.bzImage" ] ||
   [ ! -f "$KDIR/control.bzImage" ] || [ ! -f "$KDIR/checkpatch.ok" ]; then
	rm -rf "$SRC" "$BUILD" "$KDIR"
	mkdir -p "$SRC" "$BUILD" "$KDIR"
	t=$(date +%s)
	tar -xf "$TARBALL" -C "$SRC" --strip-components=1 ||
		{ fail unpack_source; finish; }
	note "unpack: $(( $(date +%s) - t )) s"

	# checkpatch on every patch of the series
	cp_fail=
	for p in "${PATCHES[@]}"; do
		out=$(cd "$SRC" && perl scripts/checkpatch.pl --strict -q "$PATCHDIR/$p" 2>&1)
		errs=$(echo "$out" | sed -n 's/^total: \([0-9]*\) errors.*/\1/p')
		echo "$out" > "$LOGS/checkpatch-${p%.patch}.txt"
		if [ "${errs:-0}" != 0 ]; then
			cp_fail="$cp_fail $p"
			echo "$out" | grep -A3 "^ERROR" | head -20
		fi
	done
	if [ -z "$cp_fail" ]; then
		pass checkpatch_strict_no_errors
		touch "$KDIR/checkpatch.ok"
	else
		fail checkpatch_strict_no_errors "errors in$cp_fail"
	fi

	# the files the series touches (for sparse)
	SPARSE_FILES=$(cat "${PATCHES[@]/#/$PATCHDIR/}" |
		sed -n 's#^+++ b/\(.*\.c\)$#\1#p' | sort -u | tr '\n' ' ')
	echo "$SPARSE_FILES" > "$KDIR/sparse-files"

	# control kernel: the injector patch only
	if (cd "$SRC" && patch -p1 -s --forward < "$PATCHDIR/${PATCHES[0]}"); then
		pass "series_applies/${PATCHES[0]}"
	else
		fail "series_applies/${PATCHES[0]}"; finish
	fi
	configure || { fail configure_control; finish; }
	if build control; then pass build_control_kernel; else fail build_control_kernel; finish; fi
	if command -v sparse >/dev/null; then sparse_check control; fi

	# patched kernel: the rest of the series, same object tree
	applied=1
	for p in "${PATCHES[@]:1}"; do
		if ! (cd "$SRC" && patch -p1 -s --forward < "$PATCHDIR/$p"); then
			fail "series_applies/$p"; applied=0; break
		fi
	done
	[ $applied = 1 ] && pass series_applies/all || finish
	configure || { fail configure_patched; finish; }
	if config_has ARCH_HAS_SUPERVISOR_PKEYS ARCH_ENABLE_SUPERVISOR_PKEYS \
		DEVMAP_ACCESS_PROTECTION PKS_TEST TEST_STRAY_WRITE ZONE_DEVICE \
		NVDIMM_PFN BLK_DEV_PMEM X86_PMEM_LEGACY FS_DAX EXT2_FS EXT4_FS; then
		pass config_patched_has_pks_options
	else
		fail config_patched_has_pks_options
	fi
	if build patched; then pass build_patched_kernel; else fail build_patched_kernel; finish; fi
	if command -v sparse >/dev/null; then
		sparse_check patched
		# new warnings: lines in the patched list not in the control list
		comm -13 "$LOGS/sparse-control.txt" "$LOGS/sparse-patched.txt" \
			> "$KDIR/sparse-new.txt"
		cp "$LOGS/sparse-control.txt" "$KDIR/sparse-control.txt"
		cp "$LOGS/sparse-patched.txt" "$KDIR/sparse-patched.txt"
	fi
else
	note "reusing kernels built for the same inputs in $KDIR" \
		"(control $(cat "$KDIR/control.seconds" 2>/dev/null) s, patched $(cat "$KDIR/patched.seconds" 2>/dev/null) s to build)"
	pass checkpatch_strict_no_errors
	pass series_applies/all
	pass build_control_kernel
	pass build_patched_kernel
fi

if command -v sparse >/dev/null && [ -f "$KDIR/sparse-new.txt" ]; then
	if [ -s "$KDIR/sparse-new.txt" ]; then
		cat "$KDIR/sparse-new.txt"
		fail sparse_no_new_warnings "$(wc -l < "$KDIR/sparse-new.txt") new"
	else
		note "sparse: $(wc -l < "$KDIR/sparse-control.txt") warnings before, $(wc -l < "$KDIR/sparse-patched.txt") after, none new, over: $(cat "$KDIR/sparse-files")"
		pass sparse_no_new_warnings
	fi
elif ! command -v sparse >/dev/null; then
	note "sparse not installed: sparse comparison skipped"
fi
exec 8>&-
[ "$BUILD_ONLY" = 0 ] || finish

# --- initramfs ----------------------------------------------------------
INITRD=$CACHE/initramfs.cpio
list=$CACHE/initramfs.list
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "dir /bin 0755 0 0"
	echo "dir /sbin 0755 0 0"
	echo "dir /etc 0755 0 0"
	echo "dir /proc 0755 0 0"
	echo "dir /sys 0755 0 0"
	echo "dir /tmp 0755 0 0"
	echo "dir /mnt 0755 0 0"
	echo "file /bin/busybox $BUSYBOX 0755 0 0"
	echo "file /init $HERE/init.sh 0755 0 0"
	# e2fsprogs' mke2fs (with its libraries) for ext4; busybox does ext2
	MKE2FS=$(command -v mke2fs || ls /sbin/mke2fs /usr/sbin/mke2fs 2>/dev/null | head -1)
	if [ -n "$MKE2FS" ]; then
		echo "file /sbin/mke2fs.full $(readlink -f "$MKE2FS") 0755 0 0"
		[ -f /etc/mke2fs.conf ] && echo "file /etc/mke2fs.conf /etc/mke2fs.conf 0644 0 0"
		ldd "$MKE2FS" | grep -o '/[^ ]*' | while read -r lib; do
			d=$(dirname "$lib")
			while [ "$d" != / ]; do echo "dir $d 0755 0 0"; d=$(dirname "$d"); done
			echo "file $lib $(readlink -f "$lib") 0755 0 0"
		done
	fi
} | awk '!seen[$0]++' > "$list.unsorted"
# directories before their contents
{ grep '^dir' "$list.unsorted" | sort -u; grep -v '^dir' "$list.unsorted"; } > "$list"
if [ ! -x "$KDIR/gen_init_cpio" ] && [ -f "$SRC/usr/gen_init_cpio.c" ]; then
	gcc -O2 -o "$KDIR/gen_init_cpio" "$SRC/usr/gen_init_cpio.c"
fi
if "$KDIR/gen_init_cpio" "$list" > "$INITRD" 2>"$LOGS/initramfs.log"; then
	pass build_initramfs
else
	fail build_initramfs "$(head -3 "$LOGS/initramfs.log")"
	finish
fi

# --- boots ----------------------------------------------------------------
boot() { # scenario kernel cpu extra-append
	local name=$1 kernel=$KDIR/$2.bzImage cpu=$3 extra=$4 t
	local log=$LOGS/boot-$name.log
	t=$(date +%s.%N)
	timeout "$BOOT_TIMEOUT" qemu-system-x86_64 -accel tcg -cpu "$cpu" \
		-smp 2 -m 2G -nographic -no-reboot \
		-kernel "$kernel" -initrd "$INITRD" \
		-append "console=ttyS0 memmap=256M!1G panic=-1 pkstest=$name $extra" \
		</dev/null >"$log" 2>&1
	local rc=$?
	tr -d '\r' < "$log" > "$log.txt"
	note "boot $name: qemu ran $(echo "$(date +%s.%N) - $t" | bc | cut -c1-5) s (rc $rc), $(grep -m1 -o 'KTEST-BEGIN.*' "$log.txt")"
	if grep -q "^KTEST-END $name" "$log.txt"; then
		pass "$name/boot_completes"
	else
		fail "$name/boot_completes" "no KTEST-END in $log.txt"
	fi
}

expect() { # scenario assertion...
	local s=$1 a; shift
	for a in "$@"; do
		if grep -q "^KTEST $a PASS" "$LOGS/boot-$s.log.txt"; then
			pass "$s/$a"
		else
			fail "$s/$a" "$(grep -m1 "^KTEST $a " "$LOGS/boot-$s.log.txt" || echo 'no verdict')"
		fi
	done
}

expect_pks_test() { # scenario case...
	local s=$1 c; shift
	for c in "$@"; do
		if grep -q "pks_test: PASS $c\$" "$LOGS/boot-$s.log.txt"; then
			pass "$s/pks_test/$c"
		else
			fail "$s/pks_test/$c" "$(grep -m1 "pks_test: [A-Z]* $c" "$LOGS/boot-$s.log.txt" || echo 'no verdict')"
		fi
	done
}

PKS_CASES="init_value key_permissions context_switch exception fault_callback
devmap_stray_write devmap_kmap_local devmap_kmap_report"

want() { case " ${KTEST_ONLY:-relaxed strict control nopks} " in *" $1 "*) return 0;; esac; return 1; }

if want relaxed; then
boot relaxed patched max ""
expect relaxed pmem_present cpu_has_pks relaxed_stray_write_warns \
	relaxed_stray_write_continues relaxed_no_oops pmem_rw ext2_dax ext4_dax
expect_pks_test relaxed $PKS_CASES
fi

if want strict; then
boot strict patched max "memremap.pks_fault_mode=strict"
expect strict pmem_present cpu_has_pks strict_stray_write_oops \
	strict_pks_violation_reported strict_write_did_not_complete \
	strict_data_intact strict_pmem_rw_after_oops
fi

if want control; then
boot control control max ""
expect control pmem_present control_stray_write_completes control_no_fault \
	control_data_corrupted control_pmem_rw
fi

if want nopks; then
boot nopks patched max,-pks ""
expect nopks pmem_present nopks_cpu_lacks_pks nopks_pks_test_skips \
	nopks_pmem_rw nopks_ext4_dax nopks_stray_write_unprotected
fi

note "serial logs in $LOGS; total $(( $(date +%s) - T0 )) s"
finish
