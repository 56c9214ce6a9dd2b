#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The LLVM architectures (scripts/prepare-tree.sh VER ARCH): the whole tree
# scanned with x86_64, UML and every one of them, against the x86_64 + UML
# scan of tests/tree/scan.sh (tests/tree/arch_compare.py says what is
# checked), then the all-configuration scan's conversion series: it applies
# to a pristine tree, and every file it touches under arch/<A>/ compiles in
# A's configuration with no warning the unpatched file does not have.
#
#   tests/tree/arches.sh [VERSION]      (default 6.12)
#
# The scan starts from the x86 scan's result cache (the files x86 or UML
# build are parsed with the same flags, so they are hits) and is kept under
# a key of its inputs beside it: <cache>/scans/VER-arches-<key>.json.
. "$(dirname "$0")/../lib.sh"
ver=${1:-6.12}
cache=${MAPCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mapcheck}
prep=$top/scripts/prepare-tree.sh

x86=$("$top/tests/tree/scan.sh" "$ver") || { result "x86_64 + UML scan of $ver" 1; finish; }
builds_of "$ver"
arches=() arch_builds=()
for conf in $("$prep" "$ver" list); do
	t=$(date +%s)
	read -r _ b < <("$prep" "$ver" "$conf") || { result "prepare $ver $conf" 1; continue; }
	echo "  prepared $conf in $(($(date +%s) - t)) s: $b"
	builds+=(--build "$b")
	arch_builds+=("$b")
	# its SRCARCH: where kbuild put asm-offsets (as mapcheck reads it)
	f=$(ls "$b"/arch/*/kernel/.asm-offsets.s.cmd 2>/dev/null | head -1)
	f=${f#"$b"/arch/}
	arches+=("${f%%/*}")
done

key=$( (basename "$x86"; cat "$prep") | sha1sum | cut -c1-12)
out=$cache/scans/$ver-arches-$key.json
exec 9>"$cache/scans/.lock-$ver-arches"
flock 9
if [ ! -s "$out" ]; then
	rm -f "$cache/scans/$ver"-arches-*.json
	rm -rf "$cache/scans/$ver"-arches-*.patches
	t=$(date +%s)
	MAPCHECK_CACHE=$x86.cache /usr/bin/time -v -o "$out.time" "$mc" --tree "$src" "${builds[@]}" \
		--format json --fail-on never -j"$(nproc)" -o "$out.tmp" \
		--emit-patches "${out%.json}.patches.tmp" "$src" >&2
	rc=$?
	result "scan of $ver with $((${#builds[@]} / 2)) builds (exit $rc)" "$rc" || finish
	rm -rf "${out%.json}.patches"
	mv "${out%.json}.patches.tmp" "${out%.json}.patches"
	mv "$out.tmp" "$out"
	echo "  scanned in $(($(date +%s) - t)) s (from the x86 scan's result cache)"
fi
grep -E 'Elapsed' "$out.time" | sed 's/^\t*/  all-configuration scan: /'
python3 "$top/tests/tree/arch_compare.py" "$x86" "$out" x86 um "${arches[@]}" >"$cache/scans/arch-compare.log"
grep -vE '^(PASS|FAIL) ' "$cache/scans/arch-compare.log"
while read -r line; do
	case $line in
	PASS\ *) result "${line#PASS }" 0 ;;
	FAIL\ *) result "${line#FAIL }" 1 ;;
	esac
done < <(grep -E '^(PASS|FAIL) ' "$cache/scans/arch-compare.log")

# The series: applied in order to a copy of the tree (hard links, the
# touched files copied first, so the prepared tree is never written), then
# each touched file whose sites came from another architecture compiled in
# that configuration (copies of its build directory), patched and not.
series=${out%.json}.patches
scratch
work=$tmp/tree
cp -al "$src" "$work"
mapfile -t patches < <(ls "$series"/0[0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v '/0000-')
mapfile -t files < <(cat "${patches[@]}" /dev/null | sed -n 's#^diff --git a/\(.*\) b/.*#\1#p' | sort -u)
for f in "${files[@]}"; do cp --remove-destination "$src/$f" "$work/$f"; done
n=0
for p in "${patches[@]}"; do
	(cd "$work" && git apply --check "$p" 2>"$tmp/apply.log" && git apply "$p") && n=$((n + 1)) ||
		echo "  does not apply: $(basename "$p"): $(head -2 "$tmp/apply.log")"
done
[ "$n" = "${#patches[@]}" ]
result "$ver: the all-configuration series (${#patches[@]} patches) applies in order" $?

# the configuration each touched file's sites were analysed with, by the
# labels mapcheck gives (its architecture; a second build of one
# architecture: "arch (build directory)")
declare -A dir_of seen
for ((i = 0; i < ${#arches[@]}; i++)); do
	b=${arch_builds[i]}
	label=${arches[i]}
	[ -n "${seen[$label]:-}" ] && label="$label ($(basename "$b"))"
	seen[${arches[i]}]=1
	dir_of[$label]=$b
done
warnings() { sed -n 's/^\(.*\.[ch]\):[0-9]*:[0-9]*: warning: \(.*\)$/\1: \2/p' "$1" |
	sed "s#^.*/\(arch\|drivers\|include\|fs\|mm\|kernel\|lib\)/#\1/#" | sort; }
while IFS=$'\t' read -r label list; do
	b=${dir_of[$label]:-}
	[ -n "$b" ] || continue
	read -ra cf <<<"$list"
	# the make variables it was prepared with (scripts/prepare-tree.sh)
	read -ra mk <"$b/.mapcheck-make"
	declare -A built
	for side in before after; do
		cp -a "$b" "$tmp/build-$side"
		tree=$src; [ $side = after ] && tree=$work
		make -s -k -j"$(nproc)" -C "$tree" O="$tmp/build-$side" "${mk[@]}" "${cf[@]/%.c/.o}" \
			>"$tmp/$side.log" 2>&1
		built[$side]=0
		for f in "${cf[@]}"; do [ -e "$tmp/build-$side/${f%.c}.o" ] && built[$side]=$((built[$side] + 1)); done
		rm -rf "$tmp/build-$side"
	done
	new=$(comm -13 <(warnings "$tmp/before.log") <(warnings "$tmp/after.log"))
	[ "${built[after]}" = "${built[before]}" ] && [ -z "$new" ]
	result "$ver $label: ${built[after]} of ${#cf[@]} touched files built patched, ${built[before]} unpatched, no new warning" $? ||
		{ echo "$new" | head -10 | sed 's/^/    /'; grep -m5 'error' "$tmp/after.log" | sed 's/^/    /'; }
done < <(python3 - "$out" "${files[@]}" <<'PY'
import collections, json, sys
report = json.load(open(sys.argv[1]))
touched = set(f for f in sys.argv[2:] if f.endswith(".c"))
by = collections.defaultdict(set)
for s in report["sites"]:
    if s["file"] in touched and s.get("config") not in (None, "x86", "um"):
        by[s["config"]].add(s["file"])
for label, files in sorted(by.items()):
    print(label + "\t" + " ".join(sorted(files)))
PY
)
finish
