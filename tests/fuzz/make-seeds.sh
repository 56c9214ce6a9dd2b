#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make the seed corpora of the fuzz targets, tests/fuzz/<target>/seed-*,
# from real files: the rules/ tables, a scan's cache entries, worker
# records and baseline (checker/mapcheck on tests/fixtures/), saved trees
# (seed-ast, as a scan saves them), the prepared 6.12 trees' compile
# commands, .o.cmd files, Makefiles and .config.  Run it again when a
# format changes (a saved tree's or a cache entry's magic line, say);
# the regress-* inputs are kept as they are.
#
#   tests/fuzz/make-seeds.sh           needs checker/mapcheck and the trees
#                                      of scripts/prepare-tree.sh 6.12 [um]
#
# Paths of the machine's cache directory are written as /mapcheck-cache.
. "$(dirname "$0")/../lib.sh"
scratch
fz=$top/tests/fuzz
read -r src build <<<"$("$top/scripts/prepare-tree.sh" 6.12)" || exit 2
read -r _ um <<<"$("$top/scripts/prepare-tree.sh" 6.12 um)" || exit 2
cachedir=$(dirname "$src")
make -s -C "$top/checker" mapcheck fuzz-build/seed-ast >/dev/null || exit 2
for t in compdb rules cache astdump record baseline kbuild; do
	mkdir -p "$fz/$t"
	rm -f "$fz/$t"/seed-*
done
# the machine's paths out of the seeds
anon() { sed -e "s|$cachedir|/mapcheck-cache|g" -e "s|$tmp|/tmp/seeds|g" -e "s|$top|/mapcheck|g"; }

# compdb: kernel objects of the UML build, as gen_compile_commands.py
# writes them, and as bear's "arguments" arrays
python3 "$src/scripts/clang-tools/gen_compile_commands.py" -d "$um" -o "$tmp/cc.json" \
	"$um/arch/um/kernel" 2>/dev/null || exit 2
python3 - "$tmp/cc.json" "$fz/compdb" "$cachedir" <<'PY'
import json, shlex, sys
db = [e for e in json.load(open(sys.argv[1])) if e['file'].endswith(('/mem.c', '/tlb.c'))]
anon = lambda s: s.replace(sys.argv[3], '/mapcheck-cache')
db = json.loads(anon(json.dumps(db)))
open(sys.argv[2] + '/seed-kernel.json', 'w').write(json.dumps(db, indent=2) + '\n')
args = [{'directory': e['directory'], 'file': e['file'],
         'arguments': shlex.split(e['command'])} for e in db]
open(sys.argv[2] + '/seed-arguments.json', 'w').write(json.dumps(args) + '\n')
PY
printf '[]\n' > "$fz/compdb/seed-empty.json"
cat > "$fz/compdb/seed-escapes.json" <<'JSON'
[ { "directory": "/tmp/b\u00e9 d", "file": "a \"q\".c", "output": "a.o", "n": -1.5e3,
    "x": [true, false, null, {"k": [1, 2]}],
    "command": "cc -I'sp ace' -D\"A=\\\"s\\\"\" -include x.h -isystem s -U B -std=gnu11 -c a.c" } ]
JSON

# rules: each file of rules/, behind the byte that picks it (fuzz_rules.c)
i=0
for f in apis.tbl callees.tbl helpers.tbl dax-paths.tbl err-ptr.tbl buffer-fields.tbl \
	 kmap-global.md gcc-options.tbl; do
	{ printf "\\x$(printf %02x $i)"; cat "$top/rules/$f"; } > "$fz/rules/seed-$f"
	i=$((i + 1))
done
# a rule with a "limit:" line, parsed as kmap-global.md is (byte 6)
{ printf '\x06'; cat "$top/rules/kmap-local-depth.md"; } > "$fz/rules/seed-kmap-local-depth.md"

# cache, record, baseline: a scan of fixtures with a cache of its own
printf '#include <linux/highmem.h>\nvoid f(struct page *p) { kmap(p) }\n' > "$tmp/syntax.c"
MAPCHECK_CACHE=$tmp/cache "$mc" --tree "$src" --build "$build" -j2 --fail-on never \
	--format sites --write-baseline "$tmp/baseline" \
	"$top"/tests/fixtures/{class-local,class-cross,unbalanced,kunmap-arg,follow-pfn-6.1}.c \
	"$tmp/syntax.c" >/dev/null 2>&1
anon < "$tmp/baseline" > "$fz/baseline/seed-fixtures"
printf '# edited\n\nkmap-global\tfs/a.c\tf\nkmap-global\tfs/a.c\tf\nx\ty' > "$fz/baseline/seed-edited"
python3 - "$tmp/cache/results" "$fz" "$cachedir" "$tmp" "$top" <<'PY'
import glob, hashlib, os, sys
res, fz, cachedir, tmp, top = sys.argv[1:]
def anon(b):
    for old, new in ((cachedir, '/mapcheck-cache'), (tmp, '/tmp/seeds'), (top, '/mapcheck')):
        b = b.replace(old.encode(), new.encode())
    return b
entries = sorted(glob.glob(res + '/??/*'), key=os.path.getsize)
def kinds(rec):
    return {l[:1] for l in rec.split(b'\n')}
chosen, seen = [], set()
for e in entries:          # the smallest entries that show every kind of line
    b = open(e, 'rb').read()
    rec = b.split(b'\nrecord ', 1)[1].split(b'\n', 1)[1].rsplit(b'sum ', 1)[0]
    if not kinds(rec) <= seen or not chosen:
        chosen.append((b, rec))
        seen |= kinds(rec)
def seal(body):
    return body + b'sum ' + hashlib.sha256(body).hexdigest().encode() + b'\n'
def fix(body):      # the paths changed: the record's length follows
    body = anon(body)
    head, rec = body.split(b'\nrecord ', 1)
    rec = rec.split(b'\n', 1)[1]
    return head + b'\nrecord %d\n' % len(rec) + rec
for n, (b, rec) in enumerate(chosen[:4]):
    open('%s/record/seed-%d' % (fz, n), 'wb').write(anon(rec))
    lines = b.rsplit(b'sum ', 1)[0].split(b'\n')
    head = lines[:2]
    deps = [l for l in lines[2:] if l[:2] in (b'F ', b'D ')]
    rest = lines[2 + len(deps):]
    # less most of its hundreds of headers: stale here, as on another machine
    open('%s/cache/seed-%d-deps' % (fz, n), 'wb').write(
        seal(fix(b'\n'.join(head + deps[:3] + deps[-2:] + rest))))
    # without them: a hit; once sealed, once for the target to seal
    body = fix(b'\n'.join(head + rest))
    open('%s/cache/seed-%d-hit' % (fz, n), 'wb').write(seal(body))
    open('%s/cache/seed-%d-body' % (fz, n), 'wb').write(body)
PY
# a record with every kind of line, escapes and a summary (U), as written
printf 'S\ta\\tb.c\t3\t9\tf\tkmap\tlocal\tthe \\\\ reason\\n\tE1,2,0:E3,4,5:x\nE\ta.c\t4\tnote\nF\tkmap-global\t1\ta.c\t3\t9\tf\tmsg\nE\ta.c\t5\t\nK\tb.c\t0\tparse errors\nN\thelper\nU\thelper\t0\t2\t1\t0\t1\t3\twhy\t\tops.c\nC\t1\t1\t0\nEND\n' \
	> "$fz/record/seed-every-kind"

# astdump: a small file parsed without headers, and a fixture with the tree's
cat > "$tmp/small.c" <<'C'
struct page;
void *kmap(struct page *page);
void kunmap(struct page *page);
struct s { char *p; int n; } g = { 0, 1 }, *gp = &g;
static int helper(char *a, int n) { return a[n] + (n ? -n : ~n); }
int f(struct page *page, struct s *s, int n)
{
	char *a = kmap(page);
	int i, r = 0;

	for (i = 0; i < n; i++)
		r += helper(a, i) << 1;
	switch (n) {
	case 1: s->p = a; break;
	default: goto out;
	}
	while (r--) s->n++;
	do { r = sizeof(*a); } while (0);
out:
	kunmap(page);
	return r ?: ({ int t = g.n; t; });
}
C
sa=("$top/checker/fuzz-build/seed-ast" "-r$cachedir=/mapcheck-cache" "-r$tmp=/tmp/seeds"
    "-r$top=/mapcheck" "$top/rules")
"${sa[@]}" "$fz/astdump/seed-small.ast" "$tmp/small.c" &&
"${sa[@]}" "$fz/astdump/seed-class-local.ast" "$top" "$build" tests/fixtures/class-local.c ||
	exit 2

# kbuild: NUL-separated .o.cmd, Makefile, .config, parent Makefile,
# .asm-offsets.s.cmd (fuzz_kbuild.c), their object renamed bar-baz
kb() {	# kb NAME OCMD MAKEFILE OBJ CONFIG-SYMBOLS PARENT [BASE]
	local name=$1 ocmd=$2 mk=$3 obj=$4 syms=$5 parent=$6 base=${7:-}
	{
		[ -n "$ocmd" ] && head -3 "$ocmd" | anon
		printf '\0'
		sed "s/$obj\\.o/bar-baz.o/g" "$mk"
		printf '\0'
		for s in $syms; do grep "^$s=" "$build/.config" || echo "$s=y"; done
		printf '\0'
		[ -n "$parent" ] && head -40 "$parent"
		printf '\0'
		[ -n "$base" ] && head -1 "$base" | anon
	} > "$fz/kbuild/seed-$name"
}
kb um-ocmd "$um/arch/um/kernel/.mem.o.cmd" "$src/arch/um/kernel/Makefile" mem \
	"CONFIG_BLK_DEV_INITRD CONFIG_OF" "$src/arch/um/Makefile" \
	"$build/arch/x86/kernel/.asm-offsets.s.cmd"
kb ext2 "" "$src/fs/ext2/Makefile" trace "CONFIG_EXT2_FS CONFIG_EXT2_FS_XATTR" \
	"$src/fs/Makefile"
kb xfs "" "$src/fs/xfs/Makefile" xfs_aops "CONFIG_XFS_FS CONFIG_XFS_QUOTA" \
	"$src/drivers/gpu/drm/i915/Makefile"
kb brcm "" "$src/drivers/net/wireless/broadcom/brcm80211/brcmutil/Makefile" utils \
	"CONFIG_BRCMUTIL CONFIG_BRCMDBG" "$src/drivers/net/wireless/broadcom/brcm80211/Makefile"
ls "$fz"/*/seed-* | wc -l
