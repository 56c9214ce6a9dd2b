#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
Every kmap() call that grep finds in the tree's .c files (outside the
highmem implementation) must be in the report's "sites" or "skipped"
with a reason; at least 97% in "sites".  The counts are computed here,
from the tree, at test time.

usage: kmap_accounting.py TREE REPORT.json
"""
import json
import os
import re
import subprocess
import sys

tree, report = sys.argv[1], sys.argv[2]
grep = subprocess.run(
    ["grep", "-rnP", "--include=*.c", r"(?<![\w>.])kmap\s*\(", "."],
    cwd=tree, capture_output=True, text=True).stdout.splitlines()
impl = re.compile(r"^(mm/highmem\.c|arch/[^/]+/mm/highmem\.c)$")
hits = []
for line in grep:
    path, lineno, text = line.split(":", 2)
    path = path[2:] if path.startswith("./") else path
    if impl.match(path):
        continue
    hits.append((path, int(lineno), text.strip()))

d = json.load(open(report))
sites = {(s["file"], s["line"]) for s in d["sites"] if s["api"] == "kmap"}
skipped = {(k["file"], k["line"]): k["reason"] for k in d["skipped"]}


def in_comment(path, lineno):
    """grep also finds kmap( in comments and strings; those are not calls."""
    src = open(os.path.join(tree, path), errors="replace").read()
    # blank out comments, keeping line structure
    out, i, n = [], 0, len(src)
    while i < n:
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src[i] == '"':
            j = i + 1
            while j < n and src[j] != '"' and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            out.append('"' + " " * (min(j, n) - i - 1))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(src[i])
            i += 1
    code = "".join(out).split("\n")
    return not re.search(r"(?<![\w>.])kmap\s*\(", code[lineno - 1])


in_sites = in_skipped = comments = 0
missing = []
for path, lineno, text in hits:
    if (path, lineno) in sites:
        in_sites += 1
    elif (path, lineno) in skipped:
        in_skipped += 1
    elif (path, 0) in skipped:
        in_skipped += 1
    elif in_comment(path, lineno):
        comments += 1
    else:
        missing.append((path, lineno, text))

calls = len(hits) - comments
print(f"grep finds {len(hits)} kmap( lines outside the highmem implementation; "
      f"{comments} are in comments or strings; of the {calls} calls: {in_sites} in sites, "
      f"{in_skipped} skipped with a reason, {len(missing)} unaccounted")
for k, v in sorted(skipped.items()):
    if any(h[0] == k[0] and h[1] == k[1] for h in hits):
        print(f"  skipped {k[0]}:{k[1]}: {v}")
for m in missing:
    print(f"  UNACCOUNTED {m[0]}:{m[1]}: {m[2]}")
ok = not missing and calls and in_sites >= 0.97 * calls
print(f"sites cover {100.0 * in_sites / max(calls, 1):.1f}% of the calls (target 97%)")
print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
sys.exit(0 if ok else 1)
