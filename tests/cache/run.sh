#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The result cache (checker/cache.c) on small inputs, against the real
# prepared 6.12 headers: a hit gives the stored result, and every change
# that can change a result is a miss -- the file, a header it includes, a
# header appearing where the parse looked, the rules -- as are a corrupt,
# truncated or misplaced entry.  --no-cache neither reads nor writes.
# Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"
tree_of 6.12
scratch
export MAPCHECK_CACHE=$tmp/cache
run() {		# the sites of a.c, without the run's seconds
	"$mc" --tree "$src" --build "$build" -j1 --format json --fail-on never "$@" "$tmp/src/a.c" |
		grep -v '"seconds"'
}
entries() {
	find "$MAPCHECK_CACHE" -type f ! -name '*.tmp' ! -name '.*' 2>/dev/null | wc -l
}
# the entry of the last parse (the newest file), and a rewrite of it with a
# valid checksum, so that a hit shows
newest() {
	find "$MAPCHECK_CACHE" -type f ! -name '.*' -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2
}
reseal() {	# reseal ENTRY [OLD NEW]: replace OLD by NEW in the record, fix its
		# length and the trailing checksum, as a well-formed entry would be
	python3 - "$@" <<'PY'
import hashlib, sys
p = sys.argv[1]
b = open(p, 'rb').read()
body = b[:b.rindex(b'sum ')]
if len(sys.argv) > 3:
    head, rec = body.split(b'\nrecord ', 1)
    rec = rec.split(b'\n', 1)[1].replace(sys.argv[2].encode(), sys.argv[3].encode())
    body = head + b'\nrecord %d\n' % len(rec) + rec
open(p, 'wb').write(body + b'sum ' + hashlib.sha256(body).hexdigest().encode() + b'\n')
PY
}

mkdir -p "$tmp/src"
cat > "$tmp/src/a.c" <<'C'
#include <linux/highmem.h>
#include "keep.h"
#if __has_include("later.h")
#include "later.h"
#endif
void copy_one(struct page *page, char *to)
{
	char *addr = kmap(page);

	keep(addr);
	memcpy(to, addr, 16);
	kunmap(page);
}
C
printf 'static void *kept;\nstatic inline void keep(void *p) { kept = p; }\n' > "$tmp/src/keep.h"

cold=$(run --no-cache)
[ "$(entries)" = 0 ]; result "--no-cache writes no entry" $?
first=$(run)
[ "$first" = "$cold" ]; result "a cold cached run gives the --no-cache result" $?
[ "$(entries)" -ge 1 ]; result "a cached run stores an entry" $?
grep -q '"class": "global"' <<<"$first"; result "the fixture's site is global (kept by keep())" $?

# a hit is served from the entry: make the stored result say something else
entry=$(newest)
# (the function name: free text in the record, where the class is checked
# against the known classes when read)
reseal "$entry" copy_one copy_one_FROM_CACHE
grep -q copy_one_FROM_CACHE <<<"$(run)"; result "an unchanged file is taken from the cache" $?
[ "$(run --no-cache)" = "$cold" ]; result "--no-cache does not read the cache" $?
cp "$entry" "$tmp/kept-entry"
reseal "$entry" global no-such-class
[ "$(run)" = "$cold" ]; result "an entry naming a class mapcheck does not know is ignored" $?
cp "$tmp/kept-entry" "$entry"

# corrupt: one byte changed without a new checksum
sed -i 's/copy_one_FROM_CACHE/copy_one_FROM_CACHX/' "$entry"
[ "$(run)" = "$cold" ]; result "an entry with a bad checksum is ignored" $?
# truncated, empty, garbage
for how in truncate empty garbage; do
	e=$(newest)
	case $how in
	truncate) head -c 300 "$e" > "$e.x" && mv "$e.x" "$e" ;;
	empty) : > "$e" ;;
	garbage) head -c 5000 /dev/urandom > "$e" ;;
	esac
	[ "$(run)" = "$cold" ]; result "a $how entry is ignored" $?
done
# an entry under another key's name
e=$(newest)
other=$MAPCHECK_CACHE/results/00/$(printf '0%.0s' {1..62})
mkdir -p "$(dirname "$other")"
cp "$e" "$other"
sed -i '2s/^key .*/key 00'"$(printf '0%.0s' {1..62})"'/' "$e"
reseal "$e"
[ "$(run)" = "$cold" ]; result "an entry whose key is not its name is ignored" $?

# a header the file includes changes: the site becomes local
printf 'static inline void keep(void *p) { (void)p; }\n' > "$tmp/src/keep.h"
want=$(run --no-cache)
grep -q '"class": "local"' <<<"$want"; result "the fixture's site is local once keep() keeps nothing" $?
[ "$(run)" = "$want" ]; result "a changed included header is a miss" $?
# a header appears where the parse looked for it (__has_include)
printf 'static void *later;\n#define keep(p) (later = (p))\n' > "$tmp/src/later.h"
want=$(run --no-cache)
grep -q '"class": "global"' <<<"$want"; result "later.h makes the site global again" $?
[ "$(run)" = "$want" ]; result "a header appearing in a directory the parse read is a miss" $?
# the file itself changes
sed -i 's/memcpy(to, addr, 16)/memcpy(to, addr, 32)/' "$tmp/src/a.c"
rm "$tmp/src/later.h"
want=$(run --no-cache)
[ "$(run)" = "$want" ]; result "a changed file is a miss" $?
# the rules change: a copy of rules/ with one more comment line
cp -r "$top/rules" "$tmp/rules"
n=$(entries)
run --rules "$tmp/rules" >/dev/null
[ "$(entries)" = "$n" ]; result "the same rules/ contents elsewhere are the same key" $?
echo '# a comment' >> "$tmp/rules/callees.tbl"
run --rules "$tmp/rules" >/dev/null
[ "$(entries)" = $((n + 1)) ]; result "other rules/ contents are other keys" $?

# the pre-filter's remembered verdicts: a file that mentions no API, then
# does through a local header, then itself
mkdir -p "$tmp/pf"
printf '#include "h.h"\nint f(void) { return 0; }\n' > "$tmp/pf/b.c"
printf '#include <linux/highmem.h>\n' > "$tmp/pf/h.h"
pf() {
	"$mc" --tree "$src" --build "$build" -j1 --format sites --fail-on never "$@" "$tmp/pf"
}
pf >/dev/null
[ "$(pf)" = "$(pf --no-cache)" ] && [ -z "$(pf)" ]; result "pre-filter: no API, remembered" $?
printf '#include <linux/highmem.h>\nstatic inline void *m(struct page *p) { return kmap(p); }\n' > "$tmp/pf/h.h"
[ "$(pf)" = "$(pf --no-cache)" ] && [ -n "$(pf)" ]; result "pre-filter: a local header now mentions an API" $?
printf '#include <linux/highmem.h>\n' > "$tmp/pf/h.h"
pf >/dev/null
printf '#include "h.h"\nvoid g(struct page *p) { kunmap(p); }\n' > "$tmp/pf/b.c"
[ "$(pf)" = "$(pf --no-cache)" ] && [ -n "$(pf)" ]; result "pre-filter: the file itself now mentions an API" $?

finish
