#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
Side by side: mapcheck's kmap_local_page() rewrite of a 6.1 function and
the same function as upstream left it in 6.12, for functions upstream
converted between the two trees (issue 4, item 4).

  - upstream converted: a 6.1 function with a kmap() site (from mapcheck's
    6.1 report) whose 6.12 namesake in the same file calls no kmap() and
    calls kmap_local_page()/kmap_local_folio()/memcpy_*_page()/memzero_page();
  - mapcheck's rewrite: the function after applying mapcheck's 6.1 series
    (from the same scan) to a scratch copy of the touched files.

Writes a markdown file with, per function, the unified diff from
mapcheck's version to upstream's, and tags for the kinds of difference
(helper choice, unmap argument, ordering, variable names, other changes
upstream made since 6.1).  The first N functions (default 10) that both
converted are shown; then those upstream converted and mapcheck did not,
with mapcheck's reason.

usage: side_by_side.py TREE61 TREE612 REPORT61.json SERIES61_DIR OUT.md [N]
Prints "N passed, N failed": passed = functions shown, failed = 1 if
fewer than N could be shown.
"""
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile

tree61, tree612, report, series, out = sys.argv[1:6]
want = int(sys.argv[6]) if len(sys.argv) > 6 else 10
CONVERTIBLE = {"local", "local-reorder", "cross-function"}
LOCAL_APIS = re.compile(r"\b(kmap_local_page|kmap_local_folio|memcpy_from_page|memcpy_to_page|"
                        r"memzero_page|memcpy_page|memset_page|memcpy_from_folio|"
                        r"memcpy_to_folio|folio_zero_range)\s*\(")
HELPERS = re.compile(r"\b(memcpy_from_page|memcpy_to_page|memzero_page|memcpy_page|"
                     r"memset_page|memcpy_from_folio|memcpy_to_folio|folio_zero_range)\s*\(")
KMAP = re.compile(r"(?<![\w>.])kmap\s*\(")


def function_text(path, name):
    """The definition of @name in file @path (from its head line to the
    closing brace at column 0), or None."""
    if not os.path.exists(path):
        return None
    src = open(path, errors="replace").read()
    for m in re.finditer(r"(?m)^[A-Za-z_][^\n;]*\b" + re.escape(name) + r"\s*\(", src):
        start = src.rfind("\n", 0, m.start()) + 1
        brace = src.find("\n{", m.end())
        semi = src.find(";", m.end())
        if brace < 0 or (0 <= semi < brace and ")" in src[m.end():semi] and
                         src[m.end():semi].count("(") < src[m.end():semi].count(")")):
            continue
        end = src.find("\n}", brace)
        if end < 0:
            continue
        return src[start:end + 2] + "\n"
    return None


def strip_comments(s):
    s = re.sub(r"/\*.*?\*/", "", s, flags=re.S)
    return re.sub(r"//[^\n]*", "", s)


def cover_skipped(cover):
    text = re.sub(r"\n  ", " ", open(cover).read())
    return {(m.group(1), int(m.group(2))): m.group(3)
            for m in re.finditer(r"^- (\S+):(\d+) \S+ \([\w-]+\): (.*)$", text, re.M)}


def rewritten_tree():
    """A scratch directory with the touched files, the series applied."""
    tmp = tempfile.mkdtemp(prefix="mapcheck-sbs-")
    patches = sorted(p for p in os.listdir(series) if re.match(r"\d{4}-", p) and not p.startswith("0000-"))
    for p in patches:
        full = os.path.join(series, p)
        for f in re.findall(r"^diff --git a/(\S+) b/", open(full).read(), re.M):
            os.makedirs(os.path.join(tmp, os.path.dirname(f)), exist_ok=True)
            dst = os.path.join(tmp, f)
            if not os.path.exists(dst):
                with open(os.path.join(tree61, f), "rb") as a, open(dst, "wb") as b:
                    b.write(a.read())
        subprocess.run(["patch", "-s", "-p1", "-d", tmp, "-i", full], check=True)
    return tmp


def tags(mine, theirs, orig):
    t = []
    m, u, o = strip_comments(mine), strip_comments(theirs), strip_comments(orig)
    if m.split() == u.split():
        return ["identical up to whitespace"]
    if HELPERS.search(u) and not HELPERS.search(m):
        t.append("helper: upstream uses " + ", ".join(sorted(set(HELPERS.findall(u)))) + "()")
    um = re.findall(r"kunmap_local\(([^;]*)\);", m)
    uu = re.findall(r"kunmap_local\(([^;]*)\);", u)
    if um and uu and um != uu:
        t.append("unmap argument/order: mapcheck kunmap_local(%s), upstream kunmap_local(%s)"
                 % (", ".join(um), ", ".join(uu)))
    vm = set(re.findall(r"\b(\w+)\s*=\s*kmap_local_page", m))
    vu = set(re.findall(r"\b(\w+)\s*=\s*kmap_local_(?:page|folio)", u))
    if vm and vu and vm != vu:
        t.append("variable names: mapcheck %s, upstream %s" % (sorted(vm), sorted(vu)))
    if re.search(r"\bkmap_atomic\(", o) and not re.search(r"\bkmap_atomic\(", u):
        t.append("upstream also converted the function's kmap_atomic() calls (not kmap() sites)")
    if "kmap_local_folio" in u:
        t.append("upstream moved to folios (kmap_local_folio)")
    # what upstream changed besides the mapping calls
    norm = lambda s: [l.strip() for l in s.splitlines()
                      if l.strip() and not re.search(r"kmap|kunmap|page_address|memcpy|memset|memzero", l)]
    if norm(u) != norm(o):
        t.append("other changes upstream made between 6.1 and 6.12 in the function")
    if not t:
        t.append("identical up to whitespace" if m.split() == u.split() else "same calls")
    return t


def main():
    rep = json.load(open(report))
    skipped = cover_skipped(os.path.join(series, "0000-cover-letter.patch"))
    funcs = {}
    for s in rep["sites"]:
        if s["api"] == "kmap" and s["file"].endswith(".c"):
            funcs.setdefault((s["file"], s["function"]), []).append(s)
    tmp = rewritten_tree()
    shown, missed = [], []
    for (f, fn), sites in sorted(funcs.items()):
        new = function_text(os.path.join(tree612, f), fn)
        if not new or KMAP.search(strip_comments(new)) or not LOCAL_APIS.search(strip_comments(new)):
            continue  # not converted upstream
        orig = function_text(os.path.join(tree61, f), fn)
        mine = function_text(os.path.join(tmp, f), fn) if os.path.exists(os.path.join(tmp, f)) else None
        if mine and not KMAP.search(strip_comments(mine)) and orig:
            shown.append((f, fn, orig, mine, new, sites))
        else:
            why = [skipped.get((s["file"], s["line"])) or "class %s: %s" % (s["class"], s["reason"])
                   for s in sites]
            missed.append((f, fn, sorted(set(why))))
    subprocess.run(["rm", "-rf", tmp])
    with open(out, "w") as o:
        o.write("# mapcheck's rewrite and upstream's, side by side\n\n"
                "Generated by `tests/upstream/side_by_side.py` from mapcheck's 6.1 series "
                "and Debian's 6.1 and 6.12 trees; do not edit (the explanation is in "
                "`side-by-side-notes.md`).\n\n"
                "For each function upstream converted between 6.1 and 6.12 that mapcheck's "
                "6.1 series also converts: mapcheck's change to the 6.1 function, then the "
                "diff from mapcheck's rewrite (`-`) to upstream's 6.12 function (`+`).\n\n")
        for f, fn, orig, mine, new, sites in shown[:want]:
            o.write("## %s: %s()\n\n" % (f, fn))
            for t in tags(mine, new, orig):
                o.write("- %s\n" % t)
            d = difflib.unified_diff(orig.splitlines(), mine.splitlines(), "6.1",
                                     "mapcheck (6.1 + series)", lineterm="", n=1)
            o.write("\nmapcheck's change:\n\n```diff\n" + "\n".join(d) + "\n```\n\n")
            d = list(difflib.unified_diff(mine.splitlines(), new.splitlines(),
                                          "mapcheck (6.1 + series)", "upstream 6.12",
                                          lineterm="", n=1))
            if d:
                o.write("From mapcheck's to upstream's:\n\n```diff\n" + "\n".join(d) + "\n```\n\n")
            else:
                o.write("Upstream's 6.12 function is the same text.\n\n")
        o.write("## Upstream converted, mapcheck's series does not (%d)\n\n" % len(missed))
        for f, fn, why in missed:
            o.write("- %s: %s(): %s\n" % (f, fn, "; ".join(why)))
    n = min(len(shown), want)
    print("side_by_side: %d functions both converted (%d shown), %d upstream only; %s"
          % (len(shown), n, len(missed), out), file=sys.stderr)
    print("%d passed, %d failed" % (n, 0 if n >= want else 1))
    return 0 if n >= want else 1


sys.exit(main())
