#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The checker's structure (check.py): no include cycle between its
# modules, no helper written twice, no fixed-size table.  The checks are
# first shown to catch each problem in a made-up source directory, then
# run over checker/.  Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
scratch
check=$top/tests/structure/check.py

# a cycle a -> b -> c -> a, through headers and sources both
mkdir "$tmp/cycle"
printf '#include "b.h"\n' >"$tmp/cycle/a.c"
printf '#include "c.h"\n' >"$tmp/cycle/b.h"
printf 'int b;\n' >"$tmp/cycle/b.c"
printf '#include "a.h"\n' >"$tmp/cycle/c.c"
printf 'int a;\n' >"$tmp/cycle/a.h"
out=$(python3 "$check" "$tmp/cycle")
[ $? = 1 ] && grep -q '^include cycle: a -> b -> c -> a$' <<<"$out"
result "a made-up cycle a -> b -> c -> a is found" $? || echo "$out"

# the same helper in two files, and a table sized by MAX_
mkdir "$tmp/repeat"
helper='static int count_words(const char *s)
{
	int n = 0;
	bool in = false;

	for (; *s; s++) {
		if (*s == 32)
			in = false;
		else if (!in)
			n++, in = true;
	}
	return n;
}'
printf '%s\n' "$helper" >"$tmp/repeat/x.c"
printf '/* other */\n%s\n' "$helper" >"$tmp/repeat/y.c"
printf 'static char names[MAX_NAMES];\nstatic char keys[64][128];\n' >"$tmp/repeat/z.c"
out=$(python3 "$check" "$tmp/repeat")
[ $? = 1 ] && grep -q '^repeated in x.c:1, y.c:2' <<<"$out" &&
	[ "$(grep -c '^fixed-size table at z.c' <<<"$out")" = 2 ]
result "a helper written twice and two fixed-size tables are found" $? || echo "$out"

out=$(python3 "$check" "$top/checker")
rc=$?
edges=$(sed -n 's/^[0-9]* modules, \([0-9]*\) include edges$/\1/p' <<<"$out")
[ "$rc" = 0 ] && [ "${edges:-0}" -ge 50 ]
result "checker/: no include cycle, no repeated helper, no fixed-size table (${edges:-?} edges read)" $? ||
	echo "$out" | head -20
finish
