#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# --format maintainers (checker/maintainers.c).
#
#   tests/maintainers/run.sh fixture   the fixture MAINTAINERS (tree/) with
#                                      the sites and findings listed beside
#                                      it: the text is expected.txt, the
#                                      JSON says the same
#   tests/maintainers/run.sh 6.12      the whole 6.12 tree (the report of
#                                      tests/tree/scan.sh): every site in
#                                      exactly one section, the totals the
#                                      summary's, each file's section the
#                                      most specific one (an independent
#                                      reading of MAINTAINERS) and one that
#                                      scripts/get_maintainer.pl names
. "$(dirname "$0")/../lib.sh"
scratch
here=$top/tests/maintainers
what=${1:-fixture}

if [ "$what" = fixture ]; then
	make -s -C "$top/checker" maintainers-test >/dev/null || exit 2
	t=("$top/checker/maintainers-test" "$top/rules" "$here/tree" "$here/sites" "$here/findings")
	"${t[@]}" text > "$tmp/out.txt"
	diff -u "$here/expected.txt" "$tmp/out.txt"
	result "fixture: the text report is expected.txt" $?
	"${t[@]}" json > "$tmp/out.json"
	python3 - "$tmp/out.json" "$here/sites" "$here/findings" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
sites = [l.split() for l in open(sys.argv[2]) if l.strip() and not l.startswith('#')]
finds = [l.split() for l in open(sys.argv[3]) if l.strip() and not l.startswith('#')]
# the section each file goes to, as the fixture's comments say
want = {'fs/foo/dir.c': 'FOO FILESYSTEM', 'fs/foo/sub/deep.c': 'FOO FILESYSTEM',
        'fs/foo/bar.c': 'FOO FILESYSTEM BAR PART', 'fs/foo/barx/y.c': 'FOO FILESYSTEM',
        'fs/super.c': 'FS CORE', 'fs/excluded/a.c': 'THE REST',
        'drivers/block/xen-blkfront.c': 'XEN BLOCK',
        'drivers/net/xen-netfront.c': 'DRIVERS XEN FRONTENDS', 'drivers/net/b.c': 'DRIVERS NET A-C',
        'drivers/net/d.c': 'THE REST', 'drivers/tie/t.c': 'TIE FIRST', 'lib/x1.c': 'LIB X-ONE',
        'lib/x12.c': 'THE REST', 'init.c': 'THE REST'}
got = {f: s['name'] for s in d['sections'] for f in s['files']}
bad = [(f, got.get(f), w) for f, w in want.items() if got.get(f) != w]
n = sum(s['sites'] for s in d['sections'])
nf = sum(len(s['findings']) for s in d['sections'])
ok = (not bad and n == len(sites) == d['totals']['sites'] and nf == len(finds) == d['totals']['findings']
      and d['totals']['convertible'] == sum(s['convertible'] for s in d['sections']) == 5)
print('  %d sites, %d findings in %d sections; wrong sections: %s' % (n, nf, len(d['sections']), bad or 'none'))
fe = next(s for s in d['sections'] if s['name'] == 'FOO FILESYSTEM')
ok = ok and fe['lists'] == ['foo@example.org', 'fsdevel@example.org'] and fe['classes'] == {'local': 2, 'global': 1, 'n/a': 1}
sys.exit(0 if ok else 1)
PY
	result "fixture: JSON: each file in its section (longest match, X:, globs, THE REST last), totals, lists" $?
	# no MAINTAINERS: refused before the scan, with the reason
	mkdir -p "$tmp/t/include/linux" "$tmp/t/scripts"
	touch "$tmp/t/Kbuild" "$tmp/t/Kconfig" "$tmp/t/Makefile" "$tmp/t/include/linux/kernel.h" \
		"$tmp/t/scripts/Makefile.build" "$tmp/t/a.c"
	"$mc" --tree "$tmp/t" --format maintainers "$tmp/t/a.c" > /dev/null 2> "$tmp/err"; rc=$?
	[ "$rc" = 2 ] && grep -q 'MAINTAINERS' "$tmp/err"
	result "a tree without MAINTAINERS: exit 2, and the message names it ($(head -1 "$tmp/err"))" $?
	echo "maintainers: $pass passed, $fail failed" >&2
	finish
fi

ver=$what
builds_of "$ver"
# the whole tree: the report of tests/tree/scan.sh (scanned once, cold, for
# every suite) and the maintainers view of the same tree, served warm from
# the result cache that scan filled, so that it parses nothing again
json=$("$top/tests/tree/scan.sh" "$ver") || exit 2
cp "$json" "$tmp/r.json"
MAPCHECK_CACHE=$json.cache "$mc" --tree "$src" "${builds[@]}" --format maintainers-json \
	--fail-on never -j"$(nproc)" "$src" > "$tmp/m.json" 2> "$tmp/err" || { cat "$tmp/err"; exit 2; }
MAPCHECK_CACHE=$json.cache "$mc" --tree "$src" "${builds[@]}" --format maintainers \
	--fail-on never -j"$(nproc)" "$src" > "$tmp/m.txt" 2>/dev/null
head -12 "$tmp/m.txt" | sed 's/^/  /'
python3 - "$tmp/m.json" "$tmp/r.json" <<'PY'
import collections, json, sys
m, r = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
files = collections.Counter()
for s in m['sections']:
    for f, n in s['files'].items():
        files[f] += n
per_file = collections.Counter(s['file'] for s in r['sites'])
twice = [f for f in per_file if sum(f in s['files'] for s in m['sections']) != 1]
ok = (files == per_file and not twice and m['totals']['sites'] == len(r['sites']) ==
      sum(s['sites'] for s in m['sections']) and
      m['totals']['findings'] == len(r['findings']) == sum(len(s['findings']) for s in m['sections']))
print('  %d sites in %d files, %d findings, %d sections; files in other than one section: %d'
      % (len(r['sites']), len(per_file), len(r['findings']), len(m['sections']), len(twice)))
sys.exit(0 if ok else 1)
PY
result "$ver whole tree: every site in exactly one section, totals the summary's" $?

# an independent reading of MAINTAINERS: the most specific section of each file
python3 - "$src" "$tmp/m.json" > "$tmp/indep" <<'PY'
import json, os, re, sys
src, m = sys.argv[1], json.load(open(sys.argv[2]))
sections, cur = [], None
for line in open(os.path.join(src, 'MAINTAINERS'), errors='replace'):
    line = line.rstrip('\n')
    g = re.match(r'^([A-Z]):\s*(.*?)\s*$', line)
    if g:
        if cur is not None and g.group(1) in 'FX' and g.group(2):
            v = g.group(2)
            if not v.endswith('/') and not re.search(r'[*?\[]', v) and os.path.isdir(os.path.join(src, v)):
                v += '/'
            cur[g.group(1)].append(v)
        continue
    if line.strip() and not line[0].isspace() and not line.startswith('#'):
        cur = {'name': line, 'F': [], 'X': []}
        sections.append(cur)
def rx(p):   # get_maintainer.pl: . literal, * .*, ? ., [..] as is
    return re.compile('^' + p.replace('.', r'\.').replace('*', '.*').replace('?', '.'))
for s in sections:
    s['f'] = [(p, rx(p)) for p in s['F']]
    s['x'] = [(p, rx(p)) for p in s['X']]
def match(p, r, f):
    return bool(r.match(f)) and (p.endswith('/') or f.count('/') == p.count('/'))
def spec(p):
    return (len(re.split(r'[*?\[]', p)[0]), len(p))
bad = 0
for s in m['sections']:
    for f in s['files']:
        best, key = None, None
        for t in sections:
            ks = [spec(p) for p, r in t['f'] if match(p, r, f)]
            if ks and (key is None or max(ks) > key) and not any(match(p, r, f) for p, r in t['x']):
                best, key = t['name'], max(ks)
        if best != s['name']:
            bad += 1
            print('  %s: mapcheck %s, expected %s' % (f, s['name'], best))
        print('FILE', f, s['name'])
sys.exit(1 if bad else 0)
PY
rc=$?
grep -v '^FILE' "$tmp/indep" | head -5
result "$ver: each file's section is the most specific, as an independent reading of MAINTAINERS finds" $rc

# scripts/get_maintainer.pl names that section among the file's (a sample);
# grep reads all it prints (not -q): a perl killed by SIGPIPE fails the pipe
bad=0 n=0
while read -r _ f name; do
	n=$((n + 1))
	(cd "$src" && perl scripts/get_maintainer.pl --no-git --no-git-fallback --sections -f "$f" 2>/dev/null) |
		grep -xF "$name" > /dev/null || { bad=$((bad + 1)); echo "  $f: get_maintainer.pl does not name $name"; }
done < <(grep '^FILE' "$tmp/indep" | awk 'NR % 5 == 1' | head -30)
echo "  get_maintainer.pl agrees on $((n - bad)) of $n files sampled"
[ "$bad" = 0 ] && [ "$n" -gt 0 ]
result "$ver: scripts/get_maintainer.pl names each sampled file's section" $?

echo "maintainers: $pass passed, $fail failed" >&2
finish
