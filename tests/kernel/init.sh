#!/bin/busybox sh
# /init of the PKS/PMEM boot test initramfs.  The scenario comes from the
# kernel command line (pkstest=relaxed|strict|control|nopks); every
# assertion prints one line "KTEST <name> PASS|FAIL <detail>" on the
# serial console, and the run ends with "KTEST-END".
/bin/busybox mkdir -p /bin /sbin /proc /sys /dev /tmp /mnt
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp

scenario=$(sed -n 's/.*pkstest=\([a-z]*\).*/\1/p' /proc/cmdline)
# Last page of the 256 MiB pmem region at 1 GiB (memmap=256M!1G)
STRAY_PHYS=0x4ffff000
STRAY_PAGE=65535
MARKER=5354524159575254

say() { echo "KTEST $*"; }
check() { # name, then a command; PASS if it succeeds
	name=$1; shift
	if "$@"; then say "$name PASS"; else say "$name FAIL"; fi
}

echo "KTEST-BEGIN $scenario $(uname -r) uptime $(cut -d" " -f1 /proc/uptime) s"

wait_pmem() {
	i=0
	while [ ! -b /dev/pmem0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ -b /dev/pmem0 ]
}

# First word of the stray page as seen through the block device
stray_word() {
	dd if=/dev/pmem0 bs=4096 skip=$STRAY_PAGE count=1 iflag=direct 2>/dev/null |
		od -A n -t x8 -N 8 | tr -d ' '
}

stray_write() {
	dmesg -c >/dev/null
	# In a child shell: with strict protection the write oopses and
	# the kernel kills the writer, not init.
	sh -c "echo $STRAY_PHYS > /sys/kernel/debug/stray_write"
	echo "stray write exit status $?"
	# (the kernel messages are on the console already)
	dmesg > /tmp/stray.log
}

pmem_rw() {
	dd if=/dev/urandom of=/tmp/data bs=4096 count=256 2>/dev/null
	dd if=/tmp/data of=/dev/pmem0 bs=4096 seek=16 oflag=direct 2>/dev/null || return 1
	dd if=/dev/pmem0 of=/tmp/back bs=4096 skip=16 count=256 iflag=direct 2>/dev/null || return 1
	cmp /tmp/data /tmp/back
}

fs_dax() { # fstype
	fs=$1
	if [ -x /sbin/mke2fs.full ]; then
		/sbin/mke2fs.full -q -F -t $fs -b 4096 /dev/pmem0 || return 1
	elif [ $fs = ext2 ]; then
		mke2fs -F -b 4096 /dev/pmem0 >/dev/null || return 1
	else
		echo "no mke2fs for $fs"; return 1
	fi
	mount -t $fs -o dax /dev/pmem0 /mnt || return 1
	grep " /mnt " /proc/mounts
	grep " /mnt " /proc/mounts | grep -q dax || { umount /mnt; return 1; }
	cp /tmp/data /mnt/file || { umount /mnt; return 1; }
	echo "hello through dax" > /mnt/small
	sync
	umount /mnt || return 1
	mount -t $fs -o dax /dev/pmem0 /mnt || return 1
	cmp /tmp/data /mnt/file && grep -q "hello through dax" /mnt/small
	rc=$?
	umount /mnt
	return $rc
}

pks_test() {
	dmesg -c >/dev/null
	echo $STRAY_PHYS > /sys/kernel/debug/pks_test/devmap_phys
	echo all > /sys/kernel/debug/pks_test/run
}

cpu_has_pks() { grep -qw pks /proc/cpuinfo; }

check pmem_present wait_pmem

case "$scenario" in
relaxed)
	check cpu_has_pks cpu_has_pks
	stray_write
	check relaxed_stray_write_warns grep -q "devmap protection: stray write .* allowed" /tmp/stray.log
	check relaxed_stray_write_continues grep -q "stray_write: write to phys .* completed" /tmp/stray.log
	check relaxed_no_oops sh -c '! grep -q "Oops" /tmp/stray.log'
	pks_test
	check pmem_rw pmem_rw
	check ext2_dax fs_dax ext2
	check ext4_dax fs_dax ext4
	;;
strict)
	check cpu_has_pks cpu_has_pks
	grep -q "pks_fault_mode=strict" /proc/cmdline || say "strict_mode FAIL"
	before=$(stray_word)
	stray_write
	check strict_stray_write_oops grep -q "Oops" /tmp/stray.log
	check strict_pks_violation_reported grep -q "PKS violation: write at .*, key 1, PKRS" /tmp/stray.log
	check strict_write_did_not_complete sh -c '! grep -q "stray_write: write to phys .* completed" /tmp/stray.log'
	after=$(stray_word)
	echo "stray page first word before $before after $after"
	check strict_data_intact [ "$after" != "$MARKER" ]
	check strict_pmem_rw_after_oops pmem_rw
	;;
control)
	stray_write
	check control_stray_write_completes grep -q "stray_write: write to phys .* completed" /tmp/stray.log
	check control_no_fault sh -c '! grep -qE "Oops|PKS violation|WARNING" /tmp/stray.log'
	w=$(stray_word)
	echo "stray page first word $w"
	check control_data_corrupted [ "$w" = "$MARKER" ]
	check control_pmem_rw pmem_rw
	;;
nopks)
	check nopks_cpu_lacks_pks sh -c '! grep -qw pks /proc/cpuinfo'
	pks_test
	check nopks_pks_test_skips sh -c 'dmesg | grep -q "pks_test: SKIP init_value: PKS not available"'
	check nopks_pmem_rw pmem_rw
	check nopks_ext4_dax fs_dax ext4
	stray_write
	check nopks_stray_write_unprotected grep -q "stray_write: write to phys .* completed" /tmp/stray.log
	;;
*)
	say "scenario FAIL unknown '$scenario'"
	;;
esac

echo "KTEST-END $scenario"
sync
reboot -f
