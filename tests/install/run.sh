#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install into a temporary DESTDIR: the installed mapcheck finds its
# rules without a flag and gives the report checker/mapcheck gives, the man
# page renders without a warning, and make uninstall removes what install
# put there.  Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
tree_of 6.12
scratch
dest=$tmp/dest prefix=/usr/local
make -s -C "$top" install DESTDIR="$dest" PREFIX="$prefix" >"$tmp/install.log" 2>&1
result "make install DESTDIR=... PREFIX=$prefix" $? || cat "$tmp/install.log"
bin=$dest$prefix/bin/mapcheck
for f in bin/mapcheck share/man/man1/mapcheck.1 share/mapcheck/rules/apis.tbl; do
	[ -e "$dest$prefix/$f" ] || { echo "  missing: $prefix/$f"; false; }
done
result "it installs bin/, share/mapcheck/rules/ and share/man/man1/" $?
cmp -s "$bin" "$mc"
result "the installed binary is the built one, byte for byte (the result cache's key)" $?

fixture=$top/tests/fixtures/class-local.c
report() {	# report BINARY: the fixture's JSON report, without the seconds
	MAPCHECK_CACHE=$tmp/cache-$(basename "$(dirname "$1")") env -u MAPCHECK_RULES "$1" \
		--tree "$src" --build "$build" -j1 --format json --fail-on never "$fixture" |
		grep -v '"seconds"'
}
report "$mc" >"$tmp/built.json"
report "$bin" >"$tmp/installed.json" 2>"$tmp/installed.err"
grep -q '"api": "kmap"' "$tmp/built.json" && cmp -s "$tmp/built.json" "$tmp/installed.json"
result "the installed mapcheck, no --rules, reports what checker/mapcheck reports" $? ||
	{ head -3 "$tmp/installed.err"; diff "$tmp/built.json" "$tmp/installed.json" | head; }

warnings=$(groff -ww -z -man "$dest$prefix/share/man/man1/mapcheck.1" 2>&1)
[ -z "$warnings" ]
result "man page: groff -ww -z -man renders without a warning" $? || echo "$warnings" | head
man -l "$dest$prefix/share/man/man1/mapcheck.1" 2>/dev/null | grep -q 'EXIT STATUS'
result "man -l shows it" $?

make -s -C "$top" uninstall DESTDIR="$dest" PREFIX="$prefix" >/dev/null 2>&1 &&
	[ -z "$(find "$dest" -type f)" ]
result "make uninstall removes every installed file" $?
finish
