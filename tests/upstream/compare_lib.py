# SPDX-License-Identifier: GPL-2.0
"""What the upstream comparisons share: their arguments, a function's text
in a tree, the functions of a report with their most doubtful class, the
table they print and the verdict."""
import collections
import json
import os
import re
import sys

# the local mapping calls and the highmem.h helpers built on them
LOCAL_APIS = re.compile(r"\b(kmap_local_page|kmap_local_folio|memcpy_from_page|"
                        r"memcpy_to_page|memzero_page|memcpy_page|memset_page|"
                        r"memcpy_from_folio|memcpy_to_folio|folio_zero_range|"
                        r"kmap_local_page_try_from_panic)\s*\(")


def strip_comments(src):
    src = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), src, flags=re.S)
    return re.sub(r"//[^\n]*", "", src)


_cache = {}


def function_body(tree, path, name):
    """The text of function @name defined in @path, or None."""
    full = os.path.join(tree, path)
    if not os.path.exists(full):
        return None
    if full not in _cache:
        _cache[full] = strip_comments(open(full, errors="replace").read())
    src = _cache[full]
    # a definition: the name and '(' on a line that does not start with
    # whitespace (kernel style), then a '{' at column 0 before any ';'
    for m in re.finditer(r"(?m)^[A-Za-z_][^\n;]*\b" + re.escape(name) + r"\s*\(", src):
        brace = src.find("\n{", m.end())
        semi = src.find(";", m.end())
        if brace < 0 or (0 <= semi < brace and "(" not in src[m.end():semi]):
            continue
        # the parameter list must close before the body
        head = src[m.end():brace]
        if head.count(")") < head.count("(") + 1:
            continue
        depth, i = 0, brace + 1
        while i < len(src):
            c = src[i]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    return src[brace:i + 1]
            elif c in "\"'":
                q, i = c, i + 1
                while i < len(src) and src[i] != q:
                    i += 2 if src[i] == "\\" else 1
            i += 1
        return src[brace:]
    return None


def arguments():
    """TREE61 TREE612 REPORT61.json [--floor PCT] from the command line."""
    tree61, tree612, report = sys.argv[1:4]
    floor = float(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--floor" else 90.0
    return tree61, tree612, report, floor


def functions(report, api, rank):
    """(file, function) -> the class of its @api sites that comes first in
    @rank, and that site's reason; sites of other classes are left out."""
    funcs, reasons = collections.OrderedDict(), {}
    for s in json.load(open(report))["sites"]:
        k = s["class"]
        if s["api"] != api or k not in rank:
            continue
        key = (s["file"], s["function"])
        if key not in funcs or rank.index(k) < rank.index(funcs[key]):
            funcs[key] = k
            reasons[key] = s["reason"]
    return funcs, reasons


def print_table(table, fates, classes, width):
    print(f"  {'6.12':<10}" + "".join(f"{c:>{width}}" for c in classes))
    for f in fates:
        print(f"  {f:<10}" + "".join(f"{table[(f, c)]:>{width}}" for c in classes))


def verdict(pct, floor):
    """Print the target and the floor; exit 0 while the floor holds."""
    print(f"target 90%: {'met' if pct >= 90.0 else 'NOT met'}; regression floor {floor:.0f}%: "
          f"{'held' if pct >= floor else 'BROKEN'}")
    ok = pct >= floor
    print("1 passed, 0 failed" if ok else "0 passed, 1 failed")
    sys.exit(0 if ok else 1)
