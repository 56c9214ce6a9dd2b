#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
Measure mapcheck's kmap_atomic() classes against what upstream did between
Debian's 6.1 and 6.12 trees, derived here at test time:

  - the 6.1 functions with a kmap_atomic() site, from mapcheck's 6.1 report;
  - what became of each in 6.12 (same file, same function name):
      nofault    no kmap_atomic() left, a local mapping, and more
                 pagefault_disable() calls than in 6.1: converted with the
                 explicit disable
      nopreempt  the same with preempt_disable() (or migrate_disable())
      converted  no kmap_atomic() left, a local mapping, no new disable
      kept       it still calls kmap_atomic()
      gone       the function (or file) is gone, or calls neither;
  - mapcheck's class for each 6.1 function: the most doubtful class of its
    kmap_atomic() sites (unknown > local-nopreempt > local-nofault > local).

Targets: at least 90% of the upstream-converted functions classified local,
local-nofault or local-nopreempt; the ones converted with an explicit
disable get the matching class; every function mapcheck calls plain local
that upstream kept is listed for review.  The test fails when the recall
drops below --floor (the last measurement).

usage: compare_atomic.py TREE61 TREE612 REPORT61.json [--floor PCT]
"""
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_lib import (LOCAL_APIS, arguments, function_body, functions,  # noqa: E402
                         print_table, verdict)

tree61, tree612, report, floor = arguments()
CONVERTIBLE = {"local", "local-nofault", "local-nopreempt"}
RANK = ["unknown", "local-nopreempt", "local-nofault", "local"]
ATOMIC = re.compile(r"(?<![\w>.])kmap_atomic\s*\(")
NOFAULT = re.compile(r"\bpagefault_disable\s*\(")
NOPREEMPT = re.compile(r"\b(preempt_disable|migrate_disable)\s*\(")


def fate(path, name):
    new = function_body(tree612, path, name)
    if new is None:
        return "gone"
    if ATOMIC.search(new):
        return "kept"
    if not LOCAL_APIS.search(new):
        return "gone"
    old = function_body(tree61, path, name) or ""
    if len(NOPREEMPT.findall(new)) > len(NOPREEMPT.findall(old)):
        return "nopreempt"
    if len(NOFAULT.findall(new)) > len(NOFAULT.findall(old)):
        return "nofault"
    return "converted"


funcs, reasons = functions(report, "kmap_atomic", RANK)
table = collections.Counter()
converted, missed, mismatched, review = 0, [], [], []
EXPECT = {"nofault": "local-nofault", "nopreempt": "local-nopreempt"}
for (path, name), k in funcs.items():
    f = fate(path, name)
    table[(f, k)] += 1
    if f in ("converted", "nofault", "nopreempt"):
        converted += 1
        if k not in CONVERTIBLE:
            missed.append((path, name, f, k, reasons[(path, name)]))
        elif f in EXPECT and k != EXPECT[f]:
            mismatched.append((path, name, f, k, reasons[(path, name)]))
    if f == "kept" and k == "local":
        review.append((path, name, k, reasons[(path, name)]))

print(f"{len(funcs)} functions with kmap_atomic() in 6.1; what upstream did by 6.12 "
      f"against mapcheck's class:")
classes = ["local", "local-nofault", "local-nopreempt", "unknown"]
print_table(table, ("converted", "nofault", "nopreempt", "kept", "gone"), classes, 17)
hit = converted - len(missed)
pct = 100.0 * hit / converted if converted else 100.0
print(f"upstream converted {converted}; mapcheck calls {hit} of them convertible "
      f"({pct:.1f}%, target 90%)")
for m in missed:
    print(f"  MISSED {m[0]}:{m[1]}() ({m[2]}): {m[3]}: {m[4]}")
print(f"converted with an explicit disable but another class: {len(mismatched)}")
for m in mismatched:
    print(f"  MISMATCH {m[0]}:{m[1]}() ({m[2]}): {m[3]}: {m[4]}")
print(f"mapcheck calls local {len(review)} functions upstream kept as kmap_atomic():")
for r in review:
    print(f"  REVIEW {r[0]}:{r[1]}(): {r[2]}: {r[3]}")
verdict(pct, floor)
