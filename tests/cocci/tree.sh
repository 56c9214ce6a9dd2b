#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The semantic patches on Debian's real kernel trees (acceptance 2 and 3):
#
#  1. every semantic-patches/*.cocci under the tree's own
#     make coccicheck COCCI=<script> MODE=report J=2 (via scripts/coccicheck.sh)
#     on 6.1 and 6.12: fails on any spatch error, exception or non-zero exit,
#     and if the run wrote anything into the source tree;
#  2. kmap_local.cocci in patch mode on 6.1: the diff must apply to a
#     pristine copy (git apply --check and patch --dry-run), and every
#     touched .c file must compile (clang, x86_64 allmodconfig) in a patched
#     hard-link copy of the tree with a copy of the prepared build dir.
#
#   tests/cocci/tree.sh [VERSION...]        (default: 6.1 6.12)
#   TREE_PATCH=0 skips step 2.  KEEP=1 keeps the work directory.
#   A run whose inputs have not changed since one that passed is not made
#   again (tests/cocci/lib.sh); COCCI_RERUN=1 makes every run.
#
# Prints a table (script, mode, tree, reports, wall seconds from
# /usr/bin/time -v), then "N passed, N failed" (rows), and exits 1 on any
# failure.  Outputs are kept under
# $MAPCHECK_CACHE/cocci-work/results-<version>/ for the README and
# agreement.sh.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
cache=${MAPCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mapcheck}
versions=${*:-6.1 6.12}
J=${J:-2}
fail=0
table=()

# one run at a time (make check starts one in the background): a second
# waits, then finds what the first kept
mkdir -p "$cache/cocci-work"
exec 7>"$cache/cocci-work/.tree-lock"
flock 7
work=$(mktemp -d "$cache/cocci-work/tree.XXXXXX" 2>/dev/null ||
	{ mkdir -p "$cache/cocci-work" && mktemp -d "$cache/cocci-work/tree.XXXXXX"; })
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT

# Report lines of make coccicheck: "./path:line:col-col: MESSAGE" (report
# mode) or "path:line:col-col: ..." with M=.
is_report='^(\./)?[^ :]+:[0-9]+:[0-9]+-[0-9]+: '

seconds() { # /usr/bin/time -v output -> wall seconds
	awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, t, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + t[i]
		printf "%.1f", s }' "$1"
}

for ver in $versions; do
	if ! read -r src build < <("$top/scripts/prepare-tree.sh" "$ver"); then
		echo "FAIL: prepare-tree.sh $ver"
		fail=1
		continue
	fi
	res=$cache/cocci-work/results-$ver
	mkdir -p "$res"
	for script in "$top"/semantic-patches/*.cocci; do
		name=$(basename "$script" .cocci)
		out=$res/$name-report.txt
		key=$(cocci_key "$ver" "$script" report)
		if [ -s "$out" ] && cocci_cached "$out.key" "$key"; then
			count=$(grep -cE "$is_report" "$out")
			table+=("$(printf '%-22s %-7s %-5s %7s %8s  %s' "$name.cocci" report "$ver" "$count" "$COCCI_META" "ok (kept)")")
			continue
		fi
		rm -f "$out.key"
		touch "$work/stamp"
		sleep 1
		J=$J COCCI_SCRIPTS=$script /usr/bin/time -v -o "$work/time" \
			"$top/scripts/coccicheck.sh" "$src" report >"$out" 2>&1
		rc=$?
		wall=$(seconds "$work/time")
		count=$(grep -cE "$is_report" "$out")
		errs=$(grep -vE "$is_report" "$out" |
			grep -E 'Traceback|Exception|[Ee]rror|Fatal|coccicheck failed|Segmentation|Killed|^warning:' |
			grep -v '^fatal: not a git repository' | head -5)
		written=$(find "$src" -newer "$work/stamp" -print | head -5)
		status=ok
		if [ $rc -ne 0 ] || [ -n "$errs" ]; then
			status=FAIL
			echo "FAIL: $name report on $ver (exit $rc):"
			echo "$errs" | sed 's/^/    /'
		fi
		if [ -n "$written" ]; then
			status=FAIL
			echo "FAIL: $name report on $ver wrote into $src:"
			echo "$written" | sed 's/^/    /'
		fi
		[ $status = FAIL ] && fail=1
		[ $status = ok ] && echo "$key $wall" >"$out.key"
		table+=("$(printf '%-22s %-7s %-5s %7s %8s  %s' "$name.cocci" report "$ver" "$count" "$wall" "$status")")
	done
done

# Acceptance 3: kmap_local.cocci patch mode on 6.1 applies and compiles.
patch_ver=6.1
if [ "${TREE_PATCH:-1}" = 1 ] && [[ " $versions " == *" $patch_ver "* ]] &&
	read -r src build < <("$top/scripts/prepare-tree.sh" "$patch_ver"); then
	res=$cache/cocci-work/results-$patch_ver
	raw=$res/kmap_local-patch.txt
	diff=$res/kmap_local.diff
	rows=$res/kmap_local-patch.rows
	pkey=$(cocci_key "$patch_ver" "$top/semantic-patches/kmap_local.cocci" patch \
		"$(clang --version | head -1)" "$(sha256sum <"$build/.config")")
fi
if [ -n "${pkey:-}" ] && [ -s "$rows" ] && cocci_cached "$rows.key" "$pkey"; then
	while IFS= read -r row; do
		table+=("$row (kept)")
	done <"$rows"
elif [ -n "${pkey:-}" ]; then
	rm -f "$rows.key"
	first=${#table[@]}
	touch "$work/stamp"
	sleep 1
	J=$J COCCI_SCRIPTS=$top/semantic-patches/kmap_local.cocci /usr/bin/time -v -o "$work/time" \
		"$top/scripts/coccicheck.sh" "$src" patch >"$raw" 2>&1
	rc=$?
	wall=$(seconds "$work/time")
	# The diff: from the first "diff -u -p" line, without make's chatter.
	sed -n '/^diff -u -p /,$p' "$raw" | grep -v "^make: Leaving directory" >"$diff"
	files=$(grep '^+++ b/' "$diff" | sed 's|^+++ b/||' | sort -u)
	nfiles=$(echo "$files" | grep -c .)
	nsites=$(grep -c '^+.*kmap_local_page(' "$diff")
	status=ok
	if [ $rc -ne 0 ] || grep -vE '^(diff|---|\+\+\+|@@| |-|\+|$)' "$raw" |
		grep -qE 'Traceback|Exception|[Ee]rror|Fatal'; then
		echo "FAIL: kmap_local patch mode on $patch_ver (exit $rc)"
		status=FAIL
	fi
	if [ -n "$(find "$src" -newer "$work/stamp" -print | head -1)" ]; then
		echo "FAIL: patch mode wrote into $src"
		status=FAIL
	fi
	if [ "$nfiles" -eq 0 ]; then
		echo "FAIL: patch mode produced no diff"
		status=FAIL
	fi
	table+=("$(printf '%-22s %-7s %-5s %7s %8s  %s' kmap_local.cocci patch "$patch_ver" "$nsites" "$wall" "$status")")

	# A pristine hard-link copy; touched files become real copies.
	copy=$work/src
	bcopy=$work/build
	cp -al "$src" "$copy"
	cp -a "$build" "$bcopy"
	rm -f "$bcopy/.mapcheck-prepared"
	for f in $files; do
		cp --remove-destination "$src/$f" "$copy/$f"
	done
	applied=ok
	if ! (cd "$copy" && git apply --check -p1 "$diff"); then
		echo "FAIL: git apply --check"
		applied=FAIL
	fi
	if ! (cd "$copy" && patch -p1 --dry-run -s <"$diff" >/dev/null); then
		echo "FAIL: patch --dry-run"
		applied=FAIL
	fi
	if [ $applied = ok ] && ! (cd "$copy" && patch -p1 -s <"$diff"); then
		echo "FAIL: patch -p1"
		applied=FAIL
	fi
	[ $applied = FAIL ] && status=FAIL
	table+=("$(printf '%-22s %-7s %-5s %7s %8s  %s' "  diff applies" patch "$patch_ver" "$nfiles" - "$applied")")

	ok=0
	bad=0
	if [ $applied = ok ]; then
		start=$(date +%s)
		# One make for every touched file: each make run walks kbuild's
		# prepare steps again, which costs more than the files themselves.
		objs=()
		for f in $files; do
			case $f in *.c) ;; *) continue ;; esac
			rm -f "$bcopy/${f%.c}.o"
			objs+=("${f%.c}.o")
		done
		make -s -k -C "$copy" O="$bcopy" ARCH=x86_64 CC=clang -j"$J" "${objs[@]}" \
			>"$work/cc.log" 2>&1
		for obj in "${objs[@]}"; do
			if [ -e "$bcopy/$obj" ]; then
				ok=$((ok + 1))
				echo "compiled: ${obj%.o}.c"
			else
				bad=$((bad + 1))
				echo "FAIL: ${obj%.o}.c does not compile after the patch:"
				grep -A3 -F "${obj%.o}." "$work/cc.log" | head -15 | sed 's/^/    /'
			fi
		done
		end=$(date +%s)
		cstatus=ok
		[ $bad -gt 0 ] && cstatus=FAIL && status=FAIL
		table+=("$(printf '%-22s %-7s %-5s %7s %8s  %s' "  files compile" patch "$patch_ver" "$ok/$((ok + bad))" "$((end - start))" "$cstatus")")
	fi
	[ $status = FAIL ] && fail=1
	if [ $status = ok ]; then
		printf '%s\n' "${table[@]:$first}" >"$rows"
		echo "$pkey" >"$rows.key"
	fi
fi

echo
printf '%-22s %-7s %-5s %7s %8s  %s\n' script mode tree reports wall_s status
for row in "${table[@]}"; do
	echo "$row"
done
echo "(reports: report lines of make coccicheck; for patch: converted kmap() sites, files, compiled files;"
echo " kept: the result of an earlier run of the same inputs, with that run's wall time -- COCCI_RERUN=1 runs again)"
passed=0 failed=0
for row in "${table[@]}"; do
	case $row in *FAIL*) failed=$((failed + 1)) ;; *) passed=$((passed + 1)) ;; esac
done
[ $fail -ne 0 ] && [ $failed = 0 ] && failed=1
echo "$passed passed, $failed failed"
[ $failed = 0 ]
