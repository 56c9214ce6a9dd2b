# SPDX-License-Identifier: GPL-2.0
"""What the upstream comparisons read of a tree: a function's text."""
import os
import re

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
