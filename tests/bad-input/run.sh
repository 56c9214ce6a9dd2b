#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input: every case gets a one-line, specific message and exit 2, or,
# for one bad file among many, a "skipped" entry while the run goes on.
# Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
tree_of 6.12
scratch

# expect NAME EXIT REGEX -- command...: exit code, one stderr line matching
expect() {
	local name=$1 want=$2 re=$3
	shift 4
	local err rc lines
	err=$(timeout 120 "$@" 2>&1 >/dev/null); rc=$?
	lines=$(printf '%s\n' "$err" | grep -c .)
	[ "$rc" = "$want" ] && [[ $err =~ $re ]] && { [ "$want" != 2 ] || [ "$lines" = 1 ]; }
	result "$name" $? || echo "  exit $rc (want $want), stderr: $err"
}

mkdir -p "$tmp/notkernel" "$tmp/fake/include/linux" "$tmp/fake/scripts" "$tmp/unprepared"
echo 'int x;' > "$tmp/notkernel/a.c"
for f in Kbuild Kconfig Makefile include/linux/kernel.h scripts/Makefile.build; do
	: > "$tmp/fake/$f"
done
echo 'void f(void) { kmap(0); }' > "$tmp/fake/a.c"
printf 'int \0 kmap(' > "$tmp/binary.c"
: > "$tmp/empty.c"
mkfifo "$tmp/fifo.c"
# line 3 is good code: in a file with parse errors its kmap_atomic() is unknown, not local
printf '#include <linux/highmem.h>\nvoid f(struct page *p) { kmap(p) }\nvoid g(struct page *p) { char *a = kmap_atomic(p); a[0] = 0; kunmap_atomic(a); }\n' > "$tmp/syntax.c"
printf '[ { "directory": "/tmp", "file": "a.c", "command": "cc -c a.c" ,\n' > "$tmp/corrupt.json"
printf '[ { "directory": "/tmp", "command": "cc -c a.c" } ]\n' > "$tmp/nofile.json"
printf '[ { "directory": "/tmp", "file": "a.c", "file": "b.c", "command": "cc -c a.c" } ]\n' > "$tmp/twice.json"
printf '[ { "directory": "/tmp", "file": "a.c", "arguments": [ "cc", 1 ] } ]\n' > "$tmp/argnum.json"
printf '[ { "directory": "/tmp", "file": "caf\xe9.c", "command": "cc -c a.c" } ]\n' > "$tmp/latin1.json"
cp -r "$top/rules" "$tmp/rules-bad"
echo 'kmap map page global' >> "$tmp/rules-bad/apis.tbl"

expect "not a kernel tree"     2 'not inside a kernel source tree'      -- "$mc" "$tmp/notkernel"
expect "--tree not a tree"     2 'not a kernel source tree'             -- "$mc" --tree "$tmp/notkernel" "$tmp/notkernel/a.c"
expect "no such path"          2 'no such file or directory'            -- "$mc" "$tmp/nonexistent.c"
expect "unconfigured tree"     2 "unconfigured tree and 'make allmodconfig prepare' failed" \
	-- env MAPCHECK_CACHE="$tmp/cache" "$mc" "$tmp/fake"
expect "build dir missing"     2 'build directory does not exist'       -- "$mc" --tree "$src" --build "$tmp/nope" "$src/fs/ext2/dir.c"
expect "build dir unprepared"  2 'not a configured and prepared build directory' \
	-- "$mc" --tree "$src" --build "$tmp/unprepared" "$src/fs/ext2/dir.c"
expect "second build unprepared" 2 'not a configured and prepared build directory' \
	-- "$mc" --tree "$src" --build "$build" --build "$tmp/unprepared" "$src/fs/ext2/dir.c"
expect "binary file"           2 'binary file, not C source'            -- "$mc" --tree "$src" --build "$build" "$tmp/binary.c"
expect "empty file"            2 'empty file'                           -- "$mc" --tree "$src" --build "$build" "$tmp/empty.c"
expect "fifo, not a file"      2 'not a regular file'                   -- "$mc" --tree "$src" --build "$build" "$tmp/fifo.c"
expect "dangling symlink"      2 'No such file or directory|no such file' -- bash -c "ln -sf /nonexistent '$tmp/dangling.c'; '$mc' --tree '$src' --build '$build' '$tmp/dangling.c'"
expect "does not parse"        2 'does not parse: .*syntax.c:2: expected'  -- "$mc" --tree "$src" --build "$build" "$tmp/syntax.c"
# jansson's errors name the line and column; one of the array's entries, its number
expect "corrupt compdb"        2 "corrupt.json:2:[0-9]+: not a valid compilation database: string or '}' expected near end of file" \
	-- "$mc" --tree "$src" -p "$tmp/corrupt.json" "$src/fs/ext2/dir.c"
expect "compdb without file"   2 'nofile.json: not a valid compilation database: entry 1 of 1: lacks "directory", "file"' \
	-- "$mc" --tree "$src" -p "$tmp/nofile.json" "$src/fs/ext2/dir.c"
expect "compdb key twice"      2 "twice.json:1:[0-9]+: not a valid compilation database: duplicate object key near '\"file\"'" \
	-- "$mc" --tree "$src" -p "$tmp/twice.json" "$src/fs/ext2/dir.c"
expect "compdb argument not a string" 2 'argnum.json: not a valid compilation database: entry 1 of 1: "arguments" item 2 is not a string' \
	-- "$mc" --tree "$src" -p "$tmp/argnum.json" "$src/fs/ext2/dir.c"
expect "compdb not UTF-8"      2 'latin1.json:1:[0-9]+: not a valid compilation database: unable to decode byte 0xe9.*\(the file is not UTF-8\)' \
	-- "$mc" --tree "$src" -p "$tmp/latin1.json" "$src/fs/ext2/dir.c"
expect "unknown option"        2 "unknown option '--frobnicate'"        -- "$mc" --frobnicate
expect "bad format"            2 "unknown format 'xml'"                 -- "$mc" --format xml
expect "bad -j"                2 '-j needs a number'                    -- "$mc" -j zero
expect "malformed rules table" 2 'apis.tbl:[0-9]+: expected 6 columns' -- "$mc" --rules "$tmp/rules-bad" --tree "$src" --build "$build" "$src/fs/ext2/dir.c"
expect "unwritable --emit-patches" 2 '--emit-patches .*: cannot create the directory' -- "$mc" --tree "$src" --build "$build" --emit-patches /proc/mapcheck/patches "$top/tests/patches/local.c"
expect "missing libclang"      2 'libclang.*not found|cannot load libclang' \
	-- env MAPCHECK_LIBCLANG=/nonexistent/libclang.so "$mc" --tree "$src" --build "$build" "$src/fs/ext2/dir.c"
expect "no rules beside binary" 2 "no rules/ beside the binary's directory" \
	-- bash -c "cp '$mc' '$tmp/mapcheck-alone' && env -u MAPCHECK_RULES '$tmp/mapcheck-alone' '$top/tests/fixtures/class-local.c'"

# a PATH of another kernel tree, or a directory holding one, is not scanned
# with this tree's flags (a file or directory of no tree is: the fixtures)
read -r src61 build61 <<<"$("$top/scripts/prepare-tree.sh" 6.1)" || exit 2
mkdir -p "$tmp/trees/sub"
cp -r "$tmp/fake" "$tmp/trees/sub/linux"
expect "PATH in another tree"  2 'fs/ext2: in the kernel tree .*linux-6.1, not in .*linux-6.12 \(--tree\): scan one tree at a time' \
	-- "$mc" --tree "$src" --build "$build" "$src61/fs/ext2"
expect "PATH holding a tree"   2 'trees: holds the kernel tree .*trees/sub/linux, and is not in the tree scanned' \
	-- "$mc" --tree "$src" --build "$build" "$tmp/trees"
expect "second PATH in another tree" 2 'in the kernel tree .*linux-6.1, not in .*linux-6.12 \(the tree of the first PATH\)' \
	-- "$mc" --build "$build" "$src/fs/ext2" "$src61/fs/ext4"

# a FIFO or a device as PATH; one named *.c in a directory is skipped
mkfifo "$tmp/fifo"
expect "FIFO as PATH"          2 'fifo: not a regular file or a directory \(a FIFO\)' -- "$mc" --tree "$src" --build "$build" "$tmp/fifo"
expect "device as PATH"        2 '/dev/null: not a regular file or a directory \(a character device\)' \
	-- "$mc" --tree "$src" --build "$build" /dev/null
expect "device as PATH, no --tree" 2 '/dev/zero: not a regular file or a directory \(a character device\)' -- "$mc" /dev/zero
mkdir -p "$tmp/walk"
mkfifo "$tmp/walk/fifo.c"
cp "$top/tests/fixtures/class-local.c" "$tmp/walk/"
dev=0
mknod "$tmp/walk/null.c" c 1 3 2>/dev/null && dev=1	# root only
out=$(timeout 120 "$mc" --tree "$src" --build "$build" --format sites --fail-on never "$tmp/walk" 2>&1); rc=$?
[ $rc = 0 ] && grep -q 'fifo.c:0: skipped: cannot read: not a regular file (a FIFO)' <<<"$out" &&
   { [ $dev = 0 ] || grep -q 'null.c:0: skipped: cannot read: not a regular file (a character device)' <<<"$out"; } &&
   grep -q 'class-local.c:19:15: plain_copy: kmap: local' <<<"$out"
result "FIFO$([ $dev = 1 ] && echo ' and device') in a directory: skipped, the rest scanned" $? || { echo "  rc=$rc"; echo "$out" | head; }

# a build directory whose .config changed since kbuild last synced it
# (kbuild's test: .config newer than include/config/auto.conf), and one of
# another kernel version
mkdir -p "$tmp/stale/include/generated" "$tmp/stale/include/config"
for f in include/generated/autoconf.h include/generated/asm-offsets.h include/config/auto.conf; do
	touch -d '2024-01-01 10:00' "$tmp/stale/$f"
done
cp "$build/include/config/kernel.release" "$tmp/stale/include/config/"
touch -d '2024-01-01 10:05' "$tmp/stale/.config"
expect ".config newer than the build" 2 "stale: .config changed since the build directory was prepared .*run 'make -C .* O=.*stale olddefconfig prepare'" \
	-- "$mc" --tree "$src" --build "$tmp/stale" "$src/fs/ext2/dir.c"
expect "build of another version" 2 'build-6.1: a build directory of Linux 6\.1\.[0-9]+, but the tree .*linux-6.12 is 6\.12\.[0-9]+' \
	-- "$mc" --tree "$src" --build "$build61" "$src/fs/ext2/dir.c"
read -r _ um61 <<<"$("$top/scripts/prepare-tree.sh" 6.1 um)" || exit 2
expect "second build of another version" 2 'build-6.1-um: a build directory of Linux 6\.1\.' \
	-- "$mc" --tree "$src" --build "$build" --build "$um61" "$src/fs/ext2/dir.c"

# two rule files of one id: the copy is refused, since an id must be its
# file's name (a finding would otherwise name the first file's rule)
cp -r "$top/rules" "$tmp/rules-limit"
sed -i 's/^limit: .*/limit: none/' "$tmp/rules-limit/kmap-local-depth.md"
expect "rule limit not a number" 2 "rules-limit/kmap-local-depth.md: 'limit:' is not a positive number" \
	-- "$mc" --rules "$tmp/rules-limit" --tree "$src" --build "$build" "$src/fs/ext2/dir.c"
cp -r "$top/rules" "$tmp/rules-dup"
cp "$tmp/rules-dup/kmap-global.md" "$tmp/rules-dup/kmap-global-old.md"
expect "duplicate rule id"     2 "rules-dup/kmap-global-old.md:1: id 'kmap-global' does not match the file name" \
	-- "$mc" --rules "$tmp/rules-dup" --tree "$src" --build "$build" "$src/fs/ext2/dir.c"

# no output into the scanned tree, however it is named
ln -s "$src" "$tmp/src-link"
expect "-o into the tree"      2 "-o .*/fs/ext2/report.json: inside the scanned tree .*linux-6.12; mapcheck writes nothing" \
	-- "$mc" --tree "$src" --build "$build" -o "$src/fs/ext2/report.json" "$src/fs/ext2"
expect "-o into the tree by a link and .." 2 "-o .*src-link/x/../report.json: inside the scanned tree" \
	-- "$mc" --tree "$src" --build "$build" -o "$tmp/src-link/x/../report.json" "$src/fs/ext2"
expect "--out-dir into the tree" 2 "--out-dir out/new: inside the scanned tree .*linux-6.12;" \
	-- bash -c "cd '$src/fs' && '$mc' --tree '$src' --build '$build' --out-dir out/new ext2"
expect "--emit-patches into the tree" 2 "--emit-patches .*linux-6.12: inside the scanned tree" \
	-- "$mc" --tree "$src" --build "$build" --emit-patches "$src" "$src/fs/ext2"
expect "--write-baseline into the tree" 2 "--write-baseline .*/baseline: inside the scanned tree" \
	-- "$mc" --tree "$src" --build "$build" --write-baseline "$src/baseline" "$src/fs/ext2"
[ ! -e "$src/fs/ext2/report.json" ] && [ ! -e "$src/report.json" ] && [ ! -e "$src/fs/out" ] && [ ! -e "$src/baseline" ]
result "refused outputs left nothing in the tree" $?
# the series replaces its directory: one holding other files is refused
mkdir -p "$tmp/mine" && echo keep > "$tmp/mine/notes.txt"
expect "--emit-patches into a directory of other files" 2 "--emit-patches .*mine: holds 'notes.txt', not only a patch series" \
	-- "$mc" --tree "$src" --build "$build" --emit-patches "$tmp/mine" "$top/tests/patches/local.c"
[ "$(cat "$tmp/mine/notes.txt")" = keep ]; result "the directory of other files is untouched" $?

# one bad file among many: skipped, the run goes on and the others are reported
cp "$tmp/binary.c" "$tmp/syntax.c" "$tmp/empty.c" "$tmp/notkernel/"
cp "$top/tests/fixtures/class-local.c" "$tmp/notkernel/"
out=$("$mc" --tree "$src" --build "$build" --format sites --fail-on never \
	"$tmp/notkernel/class-local.c" "$tmp/notkernel/binary.c" "$tmp/notkernel/syntax.c" "$tmp/notkernel/empty.c" 2>&1); rc=$?
[ $rc = 0 ] && grep -q 'binary.c:0: skipped: binary file' <<<"$out" &&
   grep -q 'empty.c:0: skipped: empty file' <<<"$out" &&
   grep -q 'syntax.c:0: skipped: parse errors' <<<"$out" &&
   grep -q 'syntax.c:3:[0-9]*: g: kmap_atomic: unknown: the translation unit has parse errors' <<<"$out" &&
   grep -q 'class-local.c:19:15: plain_copy: kmap: local' <<<"$out"
result "bad files among good ones" $? || { echo "  rc=$rc"; echo "$out" | head -20; }

# a file whose parse crashes libclang: skipped with the reason, the run goes on
out=$(MAPCHECK_FAULT_INJECT=class-local "$mc" --tree "$src" --build "$build" --format sites \
	--fail-on never "$tmp/notkernel/class-local.c" "$top/tests/fixtures/class-reorder.c" 2>&1); rc=$?
[ $rc = 0 ] && grep -q 'class-local.c:19: skipped: not parsed: libclang crashed (Aborted)' <<<"$out" &&
   grep -q 'fifo_pair: kmap: local-reorder' <<<"$out"
result "crash isolation" $? || { echo "  rc=$rc"; echo "$out" | head; }

# one worker parses many files: the file after a crash gets a new worker
out=$(MAPCHECK_FAULT_INJECT=class-local "$mc" --tree "$src" --build "$build" --format sites \
	--fail-on never -j1 "$top/tests/fixtures/class-global.c" "$tmp/notkernel/class-local.c" \
	"$top/tests/fixtures/class-reorder.c" 2>&1); rc=$?
[ $rc = 0 ] && grep -q 'class-local.c:19: skipped: not parsed: libclang crashed (Aborted)' <<<"$out" &&
   grep -q 'class-global.c:[0-9:]*: [a-z_]*: kmap: global' <<<"$out" &&
   grep -q 'fifo_pair: kmap: local-reorder' <<<"$out"
result "crash isolation, one worker, files on both sides" $? || { echo "  rc=$rc"; echo "$out" | head; }

# the scanned tree is never written to
before=$(find "$src/fs/ext2" -newer "$src/Makefile" | wc -l)
"$mc" --tree "$src" --build "$build" --fail-on never "$src/fs/ext2" >/dev/null 2>&1
after=$(find "$src/fs/ext2" -newer "$src/Makefile" | wc -l)
[ "$before" = "$after" ]; result "the scanned tree is not written to" $?

echo "bad input: $pass passed, $fail failed" >&2
finish
