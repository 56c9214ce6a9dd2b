#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole-tree kmap_local_page() series on a real Debian tree:
#   1. every patch applies in order (git apply --check, then git apply) on a
#      clean copy of the tree;
#   2. every touched .c file compiles (allmodconfig, CC=clang, through
#      ccache) after patching where it did before, with no warning after
#      that was not there before; a file allmodconfig does not build is
#      compiled in the UML configuration the scan took it from (ARCH=um
#      defconfig).  The unpatched files are compiled only where that can
#      change the verdict: when a patched file does not build, or warns;
#   3. scripts/checkpatch.pl --strict reports no error on any patch
#      (--no-signoff: the submitter adds their own Signed-off-by);
#   4. mapcheck run again on the patched files finds no kmap() or
#      kmap_atomic() left in a converted function but the sites not converted.
#
#   tests/patches/tree.sh [6.1] [6.12]      (default: both)
#
# The series is the one of the cached whole-tree scan (tests/tree/scan.sh).
# The copy is <cache>/patch-work-<ver> (a git repository, reset each run),
# built in <cache>/patch-build-<ver>; the prepared trees are never written.
# Prints "N passed, N failed" (one check per step and tree).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${MAPCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mapcheck}
jobs=$(nproc)
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "PASS $*"; }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }

# the clean copy of tree $1 as a git repository, and its prepared build dir
work_copy() {	# work_copy VER SRC
	local ver=$1 src=$2 work=$cache/patch-work-$1 build=$cache/patch-build-$1
	if [ ! -d "$work/.git" ]; then
		echo "tree.sh: copying $src to $work (once)" >&2
		rm -rf "$work" "$work.tmp"
		cp -a "$src" "$work.tmp" &&
		git -C "$work.tmp" init -q &&
		git -C "$work.tmp" add -f -A . &&
		git -C "$work.tmp" -c user.name=mapcheck -c user.email=mapcheck@invalid \
			commit -qm "linux $ver as unpacked" &&
		mv "$work.tmp" "$work" || return 1
	fi
	git -C "$work" reset -q --hard && git -C "$work" clean -fdqx || return 1
	prepared_copy "$(dirname "$build")/build-$ver" "$build" || return 1
}

# A copy of a build directory scripts/prepare-tree.sh prepared, for the work
# copy: the same configuration of the same sources, so kbuild only redoes
# the steps that name the source directory (syncconfig, the generated
# Makefile) instead of a second allmodconfig + prepare.
prepared_copy() {	# prepared_copy PREPARED COPY
	[ -s "$2/.config" ] && [ -e "$2/include/generated/autoconf.h" ] && return 0
	[ -f "$1/.mapcheck-prepared" ] || return 1
	echo "tree.sh: copying the prepared $1 to $2 (once)" >&2
	rm -rf "$2" "$2.tmp"
	cp -a "$1" "$2.tmp" && mv "$2.tmp" "$2"
}

# the UML build of the work copy, for the files allmodconfig does not build
um_build() {	# um_build VER
	local build=$cache/patch-build-$1-um
	prepared_copy "$cache/build-$1-um" "$build" || return 1
	echo "$build"
}

# compile the listed .c files; log to $3; the .o files that were built to $4
compile() {	# compile [--um] WORK BUILD LOG BUILT files...
	local arch=(ARCH=x86_64)
	[ "$1" = --um ] && { arch=(ARCH=um SUBARCH=x86); shift; }
	local work=$1 build=$2 log=$3 built=$4 f
	shift 4
	: >"$built"
	[ $# = 0 ] && { : >"$log"; return; }
	for f in "$@"; do rm -f "$build/${f%.c}.o"; done
	# depend mode: no second preprocessor run on each (cold) miss; see
	# tests/kernel/run.sh
	CCACHE_DEPEND=1 make -C "$work" O="$build" "${arch[@]}" CC="ccache clang" -k -j"$jobs" \
		"${@/%.c/.o}" >"$log" 2>&1
	for f in "$@"; do [ -e "$build/${f%.c}.o" ] && echo "$f" >>"$built"; done
}

# step 2 before or after patching: compile the touched .c files, those
# allmodconfig does not build (found before patching: $umfiles) in UML;
# the log to /tmp/mapcheck-PHASE.$$, the files built to /tmp/mapcheck-built-PHASE.$$
compile_phase() {	# compile_phase before|after VER
	local phase=$1 log=/tmp/mapcheck-$1.$$ built=/tmp/mapcheck-built-$1.$$
	compile "$work" "$pbuild" "$log" "$built" $(printf '%s\n' "${files[@]}" | grep '\.c$' |
		grep -vxF -f <(printf '%s\n' "${umfiles[@]}" ""))
	if [ "$phase" = before ]; then
		mapfile -t umfiles < <(comm -13 <(sort "$built") <(printf '%s\n' "${files[@]}" | grep '\.c$' | sort))
		umbuild=
		[ ${#umfiles[@]} -gt 0 ] && { umbuild=$(um_build "$2") || return 1; }
	fi
	[ -n "$umbuild" ] || return 0
	compile --um "$work" "$umbuild" "$log.um" "$built.um" "${umfiles[@]}"
	cat "$log.um" >>"$log"
	cat "$built.um" >>"$built"
	[ "$phase" = after ] || echo "  compiled in UML (not built by allmodconfig): $(cat "$built.um")"
}

# "file: message" for each warning in a build log, without line numbers
warnings() {	# warnings LOG
	sed -n 's/^\(.*\.[ch]\):[0-9]*:[0-9]*: warning: \(.*\)$/\1: \2/p' "$1" |
		sed 's#^.*/\(\(arch\|drivers\|fs\|include\|kernel\|lib\|mm\|net\|samples\|sound\|security\|crypto\|block\|virt\|io_uring\|init\|ipc\)/\)#\1#' | sort
}

run_tree() {
	local ver=$1 src build json series work pbuild start p n files
	start=$(date +%s)
	read -r src build <<<"$("$top/scripts/prepare-tree.sh" "$ver")" || { ko "$ver: prepare"; return; }
	# MAPCHECK_SERIES_JSON=report.json (with report.patches/ beside it): another scan
	json=${MAPCHECK_SERIES_JSON:-$("$top/tests/tree/scan.sh" "$ver")} || { ko "$ver: whole-tree scan"; return; }
	series=${json%.json}.patches
	[ -s "$series/0000-cover-letter.patch" ] || { ko "$ver: no series in $series"; return; }
	work=$cache/patch-work-$ver pbuild=$cache/patch-build-$ver
	work_copy "$ver" "$src" || { ko "$ver: work copy"; return; }
	mapfile -t patches < <(ls "$series"/0[0-9][0-9][0-9]-*.patch | grep -v '/0000-')
	mapfile -t files < <(cat "${patches[@]}" /dev/null | sed -n 's#^diff --git a/\(.*\) b/.*#\1#p' | sort -u)
	echo "$ver: ${#patches[@]} patches, ${#files[@]} files ($series)"

	# 1. apply in order
	n=0
	for p in "${patches[@]}"; do
		if git -C "$work" apply --check "$p" 2>/tmp/mapcheck-apply.$$ && git -C "$work" apply "$p"; then
			n=$((n + 1))
		else
			echo "  does not apply: $(basename "$p"): $(head -3 /tmp/mapcheck-apply.$$)"
		fi
	done
	if [ "$n" = "${#patches[@]}" ]; then ok "$ver: all $n patches apply in order"
	else ko "$ver: $n of ${#patches[@]} patches apply"; fi

	# 2. compile.  The patched files first (x86, then UML for what x86 does
	# not build).  Where every file builds and there is no warning, the
	# unpatched files can add nothing but this: that x86 did not build the
	# UML ones before either (else the patch broke them there); only those
	# are compiled unpatched.  Otherwise the whole comparison below: every
	# file unpatched, then patched again.
	local nb na newwarn notbuilt cfiles clean=0
	mapfile -t cfiles < <(printf '%s\n' "${files[@]}" | grep '\.c$')
	umfiles=() umbuild=
	compile "$work" "$pbuild" /tmp/mapcheck-after.$$ /tmp/mapcheck-built-after.$$ "${cfiles[@]}"
	mapfile -t umfiles < <(comm -13 <(sort /tmp/mapcheck-built-after.$$) <(printf '%s\n' "${cfiles[@]}" | sort))
	if [ ${#umfiles[@]} -gt 0 ] && umbuild=$(um_build "$ver"); then
		compile --um "$work" "$umbuild" /tmp/mapcheck-after.$$.um /tmp/mapcheck-built-after.$$.um "${umfiles[@]}"
		cat /tmp/mapcheck-after.$$.um >>/tmp/mapcheck-after.$$
		cat /tmp/mapcheck-built-after.$$.um >>/tmp/mapcheck-built-after.$$
	fi
	na=$(wc -l </tmp/mapcheck-built-after.$$)
	if [ "$na" = "${#cfiles[@]}" ] && [ -z "$(warnings /tmp/mapcheck-after.$$)" ]; then
		clean=1
		if [ ${#umfiles[@]} -gt 0 ]; then
			git -C "$work" stash -q -u &&
			compile "$work" "$pbuild" /tmp/mapcheck-x86-before.$$ /tmp/mapcheck-built-x86-before.$$ "${umfiles[@]}"
			git -C "$work" stash pop -q || { ko "$ver: the patched tree could not be restored"; return; }
			[ -s /tmp/mapcheck-built-x86-before.$$ ] && clean=0
		fi
	fi
	if [ $clean = 1 ]; then
		[ ${#umfiles[@]} -eq 0 ] || echo "  compiled in UML (built by neither allmodconfig before nor after): ${umfiles[*]}"
		ok "$ver: compile: all $na touched .c files built after patching"
		ok "$ver: no new warnings (none after patching)"
	else
		echo "  after patching: $na of ${#cfiles[@]} built, $(warnings /tmp/mapcheck-after.$$ | wc -l) warnings: comparing with the unpatched files"
		umfiles=() umbuild=
		git -C "$work" stash -q -u || { ko "$ver: stash"; return; }
		compile_phase before "$ver" || { git -C "$work" stash pop -q; ko "$ver: UML build"; return; }
		git -C "$work" stash pop -q || { ko "$ver: the patched tree could not be restored"; return; }
		compile_phase after "$ver"
		nb=$(wc -l </tmp/mapcheck-built-before.$$)
		na=$(wc -l </tmp/mapcheck-built-after.$$)
		notbuilt=$(comm -13 <(sort /tmp/mapcheck-built-before.$$) <(printf '%s\n' "${cfiles[@]}" | sort))
		[ -z "$notbuilt" ] || echo "  not built by allmodconfig or UML before patching (not counted):" $notbuilt
		if comm -23 <(sort /tmp/mapcheck-built-before.$$) <(sort /tmp/mapcheck-built-after.$$) | grep -q .; then
			ko "$ver: compile: $nb files built before, $na after:"
			comm -23 <(sort /tmp/mapcheck-built-before.$$) <(sort /tmp/mapcheck-built-after.$$) | sed 's/^/    /'
			grep -E 'error' /tmp/mapcheck-after.$$ | head -20 | sed 's/^/    /'
		else
			ok "$ver: compile: $na of ${#files[@]} touched files built before and after"
		fi
		newwarn=$(comm -13 <(warnings /tmp/mapcheck-before.$$) <(warnings /tmp/mapcheck-after.$$))
		if [ -z "$newwarn" ]; then
			ok "$ver: no new warnings ($(warnings /tmp/mapcheck-after.$$ | wc -l) before and after)"
		else
			ko "$ver: new warnings:"; echo "$newwarn" | sed 's/^/    /'
		fi
	fi

	# 3. checkpatch
	local errs=0 warns=0 checks=0 out
	for p in "${patches[@]}"; do
		out=$(cd "$work" && perl scripts/checkpatch.pl --strict --no-signoff --terse "$p" 2>&1)
		errs=$((errs + $(grep -c ': ERROR:' <<<"$out")))
		warns=$((warns + $(grep -c ': WARNING:' <<<"$out")))
		checks=$((checks + $(grep -c ': CHECK:' <<<"$out")))
		grep -E ': (ERROR|WARNING|CHECK):' <<<"$out" | sed "s#^#  $(basename "$p"): #" | head -5
	done
	if [ $errs = 0 ]; then ok "$ver: checkpatch --strict: 0 errors ($warns warnings, $checks checks)"
	else ko "$ver: checkpatch --strict: $errs errors ($warns warnings, $checks checks)"; fi

	# 4. mapcheck again on the patched files: nothing left in converted functions
	"$top/checker/mapcheck" --tree "$work" --build "$pbuild" ${umbuild:+--build "$umbuild"} -j"$jobs" --fail-on never \
		--format json -o /tmp/mapcheck-rescan.$$.json \
		--emit-patches /tmp/mapcheck-rescan.$$.patches \
		$(printf '%s\n' "${files[@]}" | grep '\.c$' | sed "s#^#$work/#") 2>/dev/null
	local left
	left=$(python3 - "$json" "$series/0000-cover-letter.patch" /tmp/mapcheck-rescan.$$.json <<'EOF'
import json, re, sys
before = json.load(open(sys.argv[1]))
cover = open(sys.argv[2]).read()
after = json.load(open(sys.argv[3]))
# the cover letter's not-converted list, its wrapped lines joined
skipped = set()
for m in re.finditer(r'^- (\S+):(\d+) ', re.sub(r'\n  ', ' ', cover), re.M):
    skipped.add((m.group(1), int(m.group(2))))
# per function and API: the sites before, those converted; after the
# patches only the ones not converted may be left
maps = ('kmap', 'kmap_atomic')
convertible = ('local', 'local-reorder', 'local-nofault', 'local-nopreempt', 'cross-function')
count, done = {}, {}
for s in before['sites']:
    if s['api'] not in maps:
        continue
    k = (s['file'], s['function'], s['api'])
    count[k] = count.get(k, 0) + 1
    if s['class'] in convertible and (s['file'], s['line']) not in skipped:
        done[k] = done.get(k, 0) + 1
now = {}
for s in after['sites']:
    k = (s['file'], s['function'], s['api'])
    if k in done:
        now[k] = now.get(k, 0) + 1
left = 0
for k, n in sorted(now.items()):
    if n > count[k] - done[k]:
        left += n - (count[k] - done[k])
        print(f"  {k[0]} {k[1]}(): {n} {k[2]}() left, {count[k] - done[k]} not converted",
              file=sys.stderr)
print(len(done), left, len([s for s in after['sites'] if s['api'] == 'kmap_local_page']))
EOF
)
	read -r nconv nleft nlocal <<<"$left"
	if [ "${nleft:-x}" = 0 ]; then
		ok "$ver: re-scan: no kmap() or kmap_atomic() left in the $nconv converted functions ($nlocal kmap_local_page() sites)"
	else
		ko "$ver: re-scan: ${nleft:-?} kmap() or kmap_atomic() left in converted functions"
	fi
	rm -rf /tmp/mapcheck-*.$$ /tmp/mapcheck-*.$$.*
	git -C "$work" reset -q --hard && git -C "$work" clean -fdqx
	echo "$ver: $(grep -c '^- ' <(sed -n '/^Not converted/,/^$/p' "$series/0000-cover-letter.patch")) convertible sites not converted; $(( $(date +%s) - start )) s"
}

for v in "${@:-6.1 6.12}"; do
	for ver in $v; do run_tree "$ver"; done
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
