#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fixture tests for semantic-patches/*.cocci.
#
# Each tests/cocci/<script>/*.c runs through semantic-patches/<script>.cocci
# in every mode it declares, and spatch's output is compared with the
# expectation embedded in the file's trailing comment (sparse's style):
#
#   /*
#    * check-name: what the case shows
#    * check-known-to-fail          (optional: a known gap, reported, not failed)
#    *
#    * check-output-start report
#   file.c:12:8-12: WARNING: ...
#    * check-output-end
#    *
#    * check-output-start patch
#   --- file.c
#   +++ file.c
#   ...
#    * check-output-end
#    */
#
# The mode follows check-output-start (report, org, context or patch); an
# empty block expects no output.  spatch runs as make coccicheck runs it:
#   spatch -D <mode> [--no-show-diff] --very-quiet --cocci-file X <Options:> file.c
# report and org lines are compared sorted (rule order is not the point);
# patch and context diffs are compared as printed, with the temporary
# output name replaced by the file name.  Unknown check- tags are errors.
#
#   tests/cocci/run.sh [-v] [fixture.c ...]
#
# Prints "N passed, N failed" last and exits 1 on any failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
SPATCH=${SPATCH:-spatch}
verbose=0
if [ "${1:-}" = "-v" ]; then
	verbose=1
	shift
fi

if ! command -v "$SPATCH" >/dev/null; then
	echo "run.sh: $SPATCH not found (apt-get install coccinelle)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

if [ $# -gt 0 ]; then
	fixtures=("$@")
else
	mapfile -t fixtures < <(cd "$here" && ls -1 */*.c | sort)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One spatch per fixture and mode, each a second or two of one core: the
# fixtures are shared out among the cores (one shard each, every shard this
# script on its share), and the shards' counts added up.
shards=${JOBS:-$(nproc)}
if [ "$shards" -gt 1 ] && [ "${#fixtures[@]}" -gt 1 ] && [ -z "${COCCI_SHARD:-}" ]; then
	for ((k = 0; k < shards; k++)); do
		share=()
		for ((i = k; i < ${#fixtures[@]}; i += shards)); do share+=("${fixtures[i]}"); done
		[ ${#share[@]} -gt 0 ] || continue
		flag=()
		[ $verbose = 1 ] && flag=(-v)
		COCCI_SHARD=$k "$0" "${flag[@]}" "${share[@]}" >"$tmp/shard.$k" 2>&1 &
	done
	wait
	pass=0 fail=0 known=0
	for out in "$tmp"/shard.*; do
		grep -v -E '^[0-9]+ (passed, [0-9]+ failed|known to fail)' "$out"
		read -r p f < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$out" | tail -1)
		k=$(sed -n 's/^\([0-9]*\) known to fail.*/\1/p' "$out" | tail -1)
		[ -n "${p:-}" ] || { echo "FAIL a shard printed no count: $out"; f=1 p=0; }
		pass=$((pass + p)) fail=$((fail + f)) known=$((known + ${k:-0}))
	done
	[ $known -gt 0 ] && echo "$known known to fail (not counted)"
	echo "$pass passed, $fail failed"
	[ $fail -eq 0 ]
	exit
fi

pass=0
fail=0
known=0

# Print the expected block of one mode.
expected() { # file mode
	awk -v mode="$2" '
		/^ \* check-output-start/ { inblk = ($3 == mode); next }
		/^ \* check-output-end/ { inblk = 0; next }
		inblk { print }
	' "$1"
}

for f in "${fixtures[@]}"; do
	case $f in /*) path=$f ;; *) path=$here/$f ;; esac
	dir=$(dirname "$path")
	base=$(basename "$path")
	script=$top/semantic-patches/$(basename "$dir").cocci
	rel=$(basename "$dir")/$base
	if [ ! -r "$script" ]; then
		echo "FAIL $rel: no script $script"
		fail=$((fail + 1))
		continue
	fi
	bad=$(grep -o '^ \* check-[a-z-]*' "$path" | sed 's/^ \* //' |
		grep -vxE 'check-name|check-known-to-fail|check-output-start|check-output-end')
	if [ -n "$bad" ]; then
		echo "FAIL $rel: unknown tag(s): $bad"
		fail=$((fail + 1))
		continue
	fi
	name=$(sed -n 's/^ \* check-name: *//p' "$path")
	ktf=0
	grep -q '^ \* check-known-to-fail' "$path" && ktf=1
	modes=$(sed -n 's/^ \* check-output-start *//p' "$path")
	if [ -z "$modes" ]; then
		echo "FAIL $rel: no check-output-start block"
		fail=$((fail + 1))
		continue
	fi
	opts=$(grep "^// Options:" "$script" | cut -d: -f2)
	for mode in $modes; do
		extra=
		case $mode in
		report|org) extra=--no-show-diff ;;
		patch|context) ;;
		*) echo "FAIL $rel: unknown mode '$mode'"; fail=$((fail + 1)); continue ;;
		esac
		# shellcheck disable=SC2086
		(cd "$dir" && "$SPATCH" -D "$mode" $extra --very-quiet \
			--cocci-file "$script" $opts "$base") >"$tmp/raw" 2>&1
		sed -e "s|^+++ /tmp/cocci-output-[^ ]*|+++ $base|" "$tmp/raw" >"$tmp/got"
		expected "$path" "$mode" >"$tmp/want"
		if [ "$mode" = report ] || [ "$mode" = org ]; then
			sort -o "$tmp/got" "$tmp/got"
			sort -o "$tmp/want" "$tmp/want"
		fi
		if diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
			if [ $ktf = 1 ]; then
				echo "FIXED $rel [$mode]: $name (remove check-known-to-fail)"
				fail=$((fail + 1))
			else
				[ $verbose = 1 ] && echo "ok   $rel [$mode]: $name"
				pass=$((pass + 1))
			fi
		elif [ $ktf = 1 ]; then
			echo "KNOWN-TO-FAIL $rel [$mode]: $name"
			known=$((known + 1))
		else
			echo "FAIL $rel [$mode]: $name"
			sed 's/^/    /' "$tmp/diff"
			fail=$((fail + 1))
		fi
	done
done

[ $known -gt 0 ] && echo "$known known to fail (not counted)"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
