#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real-tree tests on Debian's 6.1 and 6.12: every kmap() call accounted
# for, whole-tree scans without a crash, output identical for any -j,
# valid SARIF, and kbuild's make C=1 CHECK=mapcheck.
. "$(dirname "$0")/../lib.sh"

for ver in 6.1 6.12; do
	json=$("$top/tests/tree/scan.sh" "$ver") || { result "scan $ver" 1; continue; }
	tree_of "$ver"
	grep -E 'Elapsed|Maximum resident' "$json.time" | sed "s/^\t*/  $ver scan: /"
	python3 - "$json" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
c = collections.Counter(s["class"] for s in d["sites"] if s["api"] == "kmap")
print("  kmap() classes:", dict(sorted(c.items())), "stats:", d["stats"])
PY
	crashed=$(grep -c 'libclang crashed\|timed out\|worker failed' "$json")
	result "$ver: whole-tree scan, $crashed files crashed libclang or timed out" "$crashed"
	python3 "$top/tests/tree/kmap_accounting.py" "$src" "$json" | grep -v '^  skipped'
	result "$ver: every kmap() call in sites or skipped, >= 97% in sites" "${PIPESTATUS[0]}"
	python3 "$top/tests/tree/sarif_check.py" <("$mc" --tree "$src" --build "$build" --format sarif \
		--fail-on never "$src/fs/nilfs2" "$src/drivers/gpu/drm/i915/gem" 2>/dev/null) "$top/rules"
	result "$ver: SARIF 2.1.0 structure and rule metadata" $?
done

# byte-identical output for any -j
tree_of 6.1
subset=("$src/fs/nilfs2" "$src/fs/ecryptfs" "$src/drivers/gpu/drm/i915/gem" "$src/fs/reiserfs")
a=$("$mc" --tree "$src" --build "$build" --format json --fail-on never --no-cache -j1 "${subset[@]}" | grep -v '"seconds"')
b=$("$mc" --tree "$src" --build "$build" --format json --fail-on never --no-cache -j2 "${subset[@]}" | grep -v '"seconds"')
[ -n "$a" ] && [ "$a" == "$b" ]
result "6.1: JSON identical for -j1 and -j2 (fs/nilfs2, fs/ecryptfs, fs/reiserfs, i915/gem)" $?

# kbuild: make C=1 CHECK=mapcheck fs/ext2/ runs it on every compiled file.
# In a copy of the build directory: kbuild rewrites .config and autoconf.h
# there (their "Linux/<arch>" heading follows ARCH), and every file includes
# autoconf.h, so a make in the shared build directory would turn the result
# cache of tests/tree/scan.sh into misses for tests/cache/tree.sh.
tree_of 6.12
kbuild=$(mktemp -d)
cp -a "$build/." "$kbuild"
build=$kbuild
log=$(mktemp)
wrapper=$(mktemp)
sites=$(mktemp)
cat > "$wrapper" <<W
#!/bin/bash
echo "\${@: -1}" >> "$log"
"$mc" --format sites "\$@" | tee -a "$sites"
exit \${PIPESTATUS[0]}
W
chmod +x "$wrapper"
out=$(make -s -C "$src" O="$build" ARCH=x86_64 CC=clang C=2 CHECK="$wrapper" -j"$(nproc)" fs/ext2/ 2>&1); rc=$?
nfiles=$(ls "$src"/fs/ext2/*.c | wc -l)
# kbuild also checks scripts/mod/empty.c on the way
nchecked=$(grep '/fs/ext2/' "$log" | sort -u | wc -l)
echo "  make C=2 CHECK=mapcheck fs/ext2/: $nchecked of $nfiles .c files checked (exit $rc)"
grep -E 'kmap|kunmap' "$sites" | head -5 | sed 's/^/  /'
[ "$rc" = 0 ] && [ "$nchecked" = "$nfiles" ] && grep -q '^fs/ext2/dir.c:[0-9]*:[0-9]*: .*: kmap' "$sites"
result "6.12: make C=2 CHECK=mapcheck fs/ext2/ checks every file with kbuild's flags" $?
rm -rf "$log" "$wrapper" "$sites" "$kbuild"

echo "tree: $pass passed, $fail failed" >&2
finish
