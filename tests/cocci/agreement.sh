#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Acceptance 4: agreement between kmap_local.cocci/kmap_global.cocci and
# mapcheck's classes on every kmap() call site of Debian's 6.1 tree.
#
#   tests/cocci/agreement.sh [VERSION]     (default 6.1)
#
# mapcheck's classes come from the whole-tree scan (tests/tree/scan.sh); the
# two semantic patches run in report mode under the tree's make coccicheck
# (scripts/coccicheck.sh), or their reports kept by tests/cocci/tree.sh for
# the same inputs are used.  Sites are joined on (file, line).  Coccinelle's
# class is "local" (kmap_local.cocci would convert it), "global"
# (kmap_global.cocci names an escape), "both" (a contradiction) or "-" (no
# script says anything).  The table crosses that with mapcheck's class;
# every site where the two disagree is listed with mapcheck's reason.
# A disagreement is: Coccinelle local but mapcheck not local/local-reorder
# (the dangerous direction), Coccinelle global but mapcheck local or
# local-reorder, or "both".  Declined sites ("-") are recall, not
# disagreement, and are counted separately.
#
# Without checker/mapcheck it prints "SKIP: checker/mapcheck not built" and
# exits 0.  Exits 1 if a run fails or a dangerous disagreement is found
# (Coccinelle local where mapcheck says global or cross-function).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
ver=${1:-6.1}
cache=${MAPCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mapcheck}
mapcheck=${MAPCHECK:-$top/checker/mapcheck}
J=${J:-2}

if [ ! -x "$mapcheck" ]; then
	echo "SKIP: checker/mapcheck not built"
	exit 0
fi
read -r src build < <("$top/scripts/prepare-tree.sh" "$ver") || {
	echo "FAIL: prepare-tree.sh $ver"
	exit 1
}

res=$cache/cocci-work/agreement-$ver
mkdir -p "$res"

# Every C file with a kmap( call outside tools/ and Documentation/.
# mapcheck's classes: the whole-tree scan the other tree tests share
# (tests/tree/scan.sh: every file, with the cross-file summaries)
json=$("$top/tests/tree/scan.sh" "$ver") || {
	echo "FAIL: whole-tree scan of $ver"
	echo "0 passed, 1 failed"
	exit 1
}
cp "$json" "$res/mapcheck.json"

# the two scripts' reports: those tests/cocci/tree.sh kept for the same
# inputs, else a run of their own
for s in kmap_local kmap_global; do
	script=$top/semantic-patches/$s.cocci
	kept=$cache/cocci-work/results-$ver/$s-report.txt
	if [ -s "$kept" ] && cocci_cached "$kept.key" "$(cocci_key "$ver" "$script" report)"; then
		cp "$kept" "$res/$s.txt"
		how="kept from tests/cocci/tree.sh ($COCCI_META s then)"
	else
		start=$(date +%s)
		J=$J COCCI_SCRIPTS=$script "$top/scripts/coccicheck.sh" "$src" report >"$res/$s.txt" 2>&1 || {
			echo "FAIL: coccicheck $s"
			echo "0 passed, 1 failed"
			exit 1
		}
		how="$(($(date +%s) - start)) s"
	fi
	echo "$s.cocci: $(grep -cE '^(\./)?[^ :]+:[0-9]+:[0-9]+-[0-9]+: ' "$res/$s.txt") reports, $how"
done

python3 - "$res" <<'EOF'
import json, re, sys, collections
res = sys.argv[1]
rep = re.compile(r'^(?:\./)?([^ :]+):(\d+):\d+-\d+: (.*)$')

def cocci(name):
	sites = {}
	for line in open("%s/%s.txt" % (res, name), errors="replace"):
		m = rep.match(line.rstrip("\n"))
		if m:
			sites[(m.group(1), int(m.group(2)))] = m.group(3)
	return sites

loc = cocci("kmap_local")
glo = cocci("kmap_global")
data = json.load(open(res + "/mapcheck.json"))
mc = {}
for s in data.get("sites", []):
	if s.get("api") != "kmap":
		continue
	mc[(s["file"], int(s["line"]))] = s

def cclass(k):
	l, g = k in loc, k in glo
	return "both" if l and g else "local" if l else "global" if g else "-"

keys = sorted(set(mc) | set(loc) | set(glo))
mclasses = ["local", "local-reorder", "cross-function", "global", "unknown", "(no site)"]
cclasses = ["local", "global", "both", "-"]
table = collections.Counter()
disagree = []
dangerous = 0
for k in keys:
	m = mc[k]["class"] if k in mc else "(no site)"
	c = cclass(k)
	table[(m, c)] += 1
	bad = False
	if c == "both":
		bad = True
	elif c == "local" and m not in ("local", "local-reorder"):
		bad = True
		if m in ("global", "cross-function"):
			dangerous += 1
	elif c == "global" and m in ("local", "local-reorder"):
		bad = True
	if bad:
		disagree.append((k, m, c))

print()
print("kmap() sites of %s: mapcheck %d, kmap_local.cocci %d, kmap_global.cocci %d"
      % (data.get("kernel", "?"), len(mc), len(loc), len(glo)))
print()
w = 16
print("%-16s" % "mapcheck \\ cocci" + "".join("%8s" % c for c in cclasses) + "%8s" % "total")
for m in mclasses:
	row = [table[(m, c)] for c in cclasses]
	if sum(row) == 0:
		continue
	print("%-16s" % m + "".join("%8d" % n for n in row) + "%8d" % sum(row))
print("%-16s" % "total" + "".join("%8d" % sum(table[(m, c)] for m in mclasses) for c in cclasses)
      + "%8d" % sum(table.values()))
agree = sum(n for (m, c), n in table.items()
	    if (c == "local" and m in ("local", "local-reorder"))
	    or (c == "global" and m in ("global", "cross-function")))
print()
print("agree (cocci local = mapcheck local/local-reorder, cocci global = mapcheck global/cross-function): %d" % agree)
print("declined by Coccinelle (\"-\"): %d" % sum(table[(m, "-")] for m in mclasses))
print("disagreements: %d (Coccinelle local where mapcheck says global/cross-function: %d)"
      % (len(disagree), dangerous))
for (f, l), m, c in disagree:
	s = mc.get((f, l), {})
	why = s.get("reason", "")
	ev = "; ".join("%s:%s %s" % (e.get("file", ""), e.get("line", ""), e.get("note", ""))
		       for e in s.get("evidence", [])[:2])
	cmsg = loc.get((f, l)) or glo.get((f, l)) or ""
	print("  %s:%d  cocci=%s mapcheck=%s" % (f, l, c, m))
	print("      cocci: %s" % cmsg)
	print("      mapcheck: %s%s" % (why, (" [" + ev + "]") if ev else ""))
sys.exit(1 if dangerous else 0)
EOF
rc=$?
[ $rc = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $rc
