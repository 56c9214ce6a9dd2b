#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check.py DIR: the structure of the C sources in DIR.

  modules   x.c and x.h are one module; an #include "y.h" in either is an
            edge x -> y.  Fails on a cycle, printed as a path.
  repeats   no six consecutive lines (blank lines, comments, braces and
            one-word statements left out) written in two files: a helper
            written twice.
  tables    no array sized by a MAX_* constant and no two-dimensional
            array of characters: a fixed-size table that drops or refuses
            data past its size.

Prints one line per finding and exits 1 when there is any."""
import collections
import glob
import os
import re
import sys

WINDOW = 6
TRIVIAL = {'{', '}', '};', '} else {', 'break;', 'continue;', 'default:', 'return 0;',
           'return false;', 'return true;', 'return NULL;', 'return -1;', 'else', 'return;'}


def sources(top):
    return sorted(glob.glob(os.path.join(top, '*.[ch]')))


def module_graph(top):
    graph = collections.defaultdict(set)
    names = {os.path.splitext(os.path.basename(f))[0] for f in sources(top)}
    for f in sources(top):
        mod = os.path.splitext(os.path.basename(f))[0]
        graph[mod]
        for inc in re.findall(r'^\s*#\s*include\s+"([^"]+)\.h"', open(f).read(), re.M):
            if inc != mod and inc in names:
                graph[mod].add(inc)
    return graph


def find_cycle(graph):
    """A cycle as a list of modules, or None (iterative depth-first search)."""
    colour = dict.fromkeys(graph, 0)
    for start in sorted(graph):
        if colour[start]:
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        colour[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                colour[node] = 2
                stack.pop()
                path.pop()
            elif colour.get(nxt, 0) == 1:
                return path[path.index(nxt):] + [nxt]
            elif colour.get(nxt, 0) == 0:
                colour[nxt] = 1
                stack.append((nxt, iter(sorted(graph[nxt]))))
                path.append(nxt)
    return None


def code_lines(path):
    out, in_comment = [], False
    for no, line in enumerate(open(path).read().split('\n'), 1):
        s = line.strip()
        if in_comment:
            if '*/' in s:
                in_comment = False
            continue
        if s.startswith('/*'):
            in_comment = '*/' not in s
            continue
        s = re.sub(r'//.*', '', s).strip()
        if not s or s in TRIVIAL or s.startswith('#include') or s.startswith('*'):
            continue
        out.append((no, s))
    return out


def repeats(top):
    seen = collections.defaultdict(list)
    for f in sources(top):
        lines = code_lines(f)
        for k in range(len(lines) - WINDOW + 1):
            seen[tuple(s for _, s in lines[k:k + WINDOW])].append((os.path.basename(f), lines[k][0]))
    found = []
    for key, where in seen.items():
        if len({f for f, _ in where}) > 1:
            found.append('repeated in %s: %s' % (', '.join('%s:%d' % w for w in where), key[0]))
    return sorted(found)


def tables(top):
    found = []
    for f in sources(top):
        for no, s in code_lines(f):
            if re.search(r'\w\s*\[\s*MAX_\w*\s*\]', s) or \
               re.search(r'\bchar\s+\**\w+\s*\[[^\]]+\]\s*\[[^\]]+\]', s):
                found.append('fixed-size table at %s:%d: %s' % (os.path.basename(f), no, s))
    return found


def main():
    top = sys.argv[1]
    problems = []
    graph = module_graph(top)
    cycle = find_cycle(graph)
    if cycle:
        problems.append('include cycle: ' + ' -> '.join(cycle))
    problems += repeats(top)
    problems += tables(top)
    edges = sum(len(v) for v in graph.values())
    print('%d modules, %d include edges' % (len(graph), edges))
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
