#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kbuild's make C=2 CHECK=mapcheck on gcc-built trees: Debian's 6.12 as
# x86_64 allmodconfig and as defconfig with KASAN (and ext2), both built
# with gcc (scripts/prepare-tree.sh 6.12 gcc, gcc-kasan; kept in the cache).
#
#  - the options table (rules/gcc-options.tbl) over every command line
#    kbuild gives its checker in fs/ext2/ and drivers/gpu/drm/i915/
#    (make -n: nothing is compiled): no option unknown, no option's value
#    (--param asan-...=10000) taken for a file;
#  - make C=2 CHECK=mapcheck on a fixed set of objects of those directories
#    completes, and mapcheck checked each file: parsed, nothing skipped;
#  - the checker's exit never stops the build unless --fail-on asks: a
#    finding, a file that is not there, exit 0 without --fail-on, 1 and 2
#    with it (and make stops).
#
# The build directories are copied (as tests/tree/run.sh does): make writes
# objects and .config there, and the prepared ones stay as prepared.
. "$(dirname "$0")/../lib.sh"
scratch
make -s -C "$top/checker" >/dev/null || exit 2

dirs=(fs/ext2/ drivers/gpu/drm/i915/)
# files that mention the APIs, so that mapcheck parses them: ext2's
# kmap_local_folio(), i915's kmap()
objs=(fs/ext2/dir.o drivers/gpu/drm/i915/gt/shmem_utils.o drivers/gpu/drm/i915/i915_gem.o
      drivers/gpu/drm/i915/gt/intel_ggtt_fencing.o)
# KBUILD_WHOLE=1: the two directories whole (every object built and
# checked: about 20 minutes for both configurations on two cores), not run
# by make check
[ -n "${KBUILD_WHOLE:-}" ] && objs=("${dirs[@]}")

# the checker kbuild runs: mapcheck, each run's outcome logged a line, in
# one write (make -j runs several at once)
cat > "$tmp/check" <<W
#!/bin/bash
out=\$("$mc" --format json "\$@" 2>"$tmp/stderr.\$\$"); rc=\$?
stats=\$(printf '%s' "\$out" | python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
    print(d["stats"]["files_parsed"], d["stats"]["parse_errors"], len(d["skipped"]),
          len(d["sites"]), len(d["findings"]), end=" ")
except ValueError:
    print("no-report", end=" ")')
echo "\${stats% } rc=\$rc \${@: -1}" >> "$tmp/log"
rm -f "$tmp/stderr.\$\$"
exit \$rc
W
chmod +x "$tmp/check"

for conf in gcc gcc-kasan; do
	read -r src build <<<"$("$top/scripts/prepare-tree.sh" 6.12 "$conf")" || exit 2
	[ -n "${build:-}" ] || exit 2
	kb=$tmp/build-$conf
	cp -a "$build/." "$kb"
	kmake=(make -s -C "$src" O="$kb" ARCH=x86_64 CC=gcc)

	# every command line of the two directories, as the checker gets it
	"${kmake[@]}" -n C=2 CHECK="$tmp/CHECKER" "${dirs[@]}" > "$tmp/$conf.n" 2>&1
	python3 "$top/tests/kbuild/options.py" "$mc" "$tmp/CHECKER" "$tmp/$conf.n"
	result "6.12 $conf: every option kbuild gives the checker in ${dirs[*]} is in the table, none taken for a file" $?

	: > "$tmp/log"
	"${kmake[@]}" -j"$(nproc)" C=2 CHECK="$tmp/check" "${objs[@]}" > "$tmp/make.out" 2>&1
	rc=$?
	[ -n "${KBUILD_WHOLE:-}" ] || sed 's/^/  /' "$tmp/log"
	ok=0
	if [ -n "${KBUILD_WHOLE:-}" ]; then
		# every file the checker was given: a report, nothing skipped, exit 0
		echo "  $(wc -l < "$tmp/log") files checked, $(grep -c '^1 ' "$tmp/log") of them parsed (the others name no mapping API)"
		grep -v '^[01] 0 0 [0-9]* [0-9]* rc=0 ' "$tmp/log" | sed 's/^/  not checked: /' | grep . && ok=1
		[ -s "$tmp/log" ] || ok=1
	fi
	for o in "${objs[@]}"; do
		[ -n "${KBUILD_WHOLE:-}" ] && break
		# files_parsed 1, no parse error, nothing skipped, exit 0
		grep -q "^1 0 0 [0-9]* [0-9]* rc=0 .*/${o%.o}.c\$" "$tmp/log" || {
			echo "  not checked: ${o%.o}.c"; ok=1; }
	done
	[ "$rc" = 0 ] || { echo "  make exit $rc:"; tail -5 "$tmp/make.out" | sed 's/^/  /'; ok=1; }
	result "6.12 $conf: make C=2 CHECK=mapcheck ${objs[*]} completes, each file parsed, none skipped" $ok
	grep -q '^1 0 0 [1-9][0-9]* .*/fs/ext2/dir.c$' "$tmp/log"
	result "6.12 $conf: fs/ext2/dir.c's sites reported through kbuild" $?
done

# exit codes, on the gcc tree: shmem_utils.c has a kmap() finding (kmap-global)
conf=gcc
kb=$tmp/build-$conf
line=$(grep -m1 "CHECKER.*/shmem_utils.c" "$tmp/$conf.n")
mapfile -t words < <(python3 -c '
import shlex, sys
t = shlex.split(sys.argv[1].split(sys.argv[2], 1)[1].split(";")[0])
print("\n".join(t))' "$line" "$tmp/CHECKER")
cd "$kb" || exit 2
"$mc" --format text "${words[@]}" > "$tmp/out" 2>&1; a=$?
"$mc" --format text --fail-on warning "${words[@]}" > /dev/null 2>&1; b=$?
echo "  a finding: exit $a without --fail-on, $b with --fail-on warning ($(grep -c 'kmap' "$tmp/out") lines naming kmap)"
[ "$a" = 0 ] && [ "$b" = 1 ] && grep -q 'kmap' "$tmp/out"
result "a finding in CHECK mode: exit 0, and 1 only with --fail-on" $?
missing=("${words[@]}")
missing[${#missing[@]}-1]=$src/drivers/gpu/drm/i915/gt/no-such-file.c
"$mc" "${missing[@]}" > /dev/null 2> "$tmp/err"; a=$?
"$mc" --fail-on error "${missing[@]}" > /dev/null 2>&1; b=$?
echo "  a file that is not there: exit $a ($(head -1 "$tmp/err")), $b with --fail-on error"
[ "$a" = 0 ] && [ "$b" = 2 ] && grep -q 'no such file' "$tmp/err"
result "bad input in CHECK mode: said, exit 0, and 2 only with --fail-on" $?
cd "$top" || exit 2
read -r src build <<<"$("$top/scripts/prepare-tree.sh" 6.12 "$conf")" || exit 2
make -s -C "$src" O="$kb" ARCH=x86_64 CC=gcc C=2 CHECK="$mc --fail-on warning" \
	drivers/gpu/drm/i915/gt/shmem_utils.o > "$tmp/make.out" 2>&1; a=$?
echo "  make C=2 CHECK='mapcheck --fail-on warning' shmem_utils.o: exit $a"
[ "$a" != 0 ]
result "make C=2 CHECK='mapcheck --fail-on warning' stops at the finding" $?

echo "kbuild: $pass passed, $fail failed" >&2
finish
