#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The options table (rules/gcc-options.tbl) over every command line kbuild
gives its checker: the output of `make -n C=2 CHECK=MARKER DIRS` on a
gcc-built tree, read for the invocations of MARKER.  Each invocation's words
go to `mapcheck --print-flags`: no word may be unknown, and the only file
must be the source file, its last word.

  options.py MAPCHECK MARKER MAKE-N-OUTPUT

Prints the counts and the options taken by the catch-all rows; exits 1 on
a line that fails, with the line."""
import collections, shlex, subprocess, sys

mc, marker, path = sys.argv[1:4]
lines, bad = [], 0
for text in open(path, errors='replace'):
    if marker not in text:
        continue
    try:
        toks = shlex.shlex(text, posix=True, punctuation_chars=';&|')
        toks.whitespace_split = True
        toks = list(toks)
    except ValueError as e:
        print('  cannot split a line (%s): %s' % (e, text[:200]))
        bad += 1
        continue
    while marker in toks:
        i = toks.index(marker)
        words = []
        for t in toks[i + 1:]:
            if t in (';', '&&', '||', '|', '&'):
                break
            words.append(t)
        lines.append(words)
        toks = toks[i + 1:]

rows = collections.Counter()
options = set()
catch_all = collections.Counter()
for words in lines:
    out = subprocess.run([mc, '--print-flags'] + words, capture_output=True, text=True)
    taken = [l.split(None, 2) for l in out.stdout.splitlines() if not l.startswith('libclang:')]
    unknown = [t[2] for t in taken if t[0] == 'unknown']
    files = [t[2] for t in taken if t[0] == 'file']
    if out.returncode or unknown or files != [words[-1]] or not words[-1].endswith('.c'):
        bad += 1
        if bad <= 5:
            print('  FAILED (rc %d): unknown %s, files %s, last word %s' %
                  (out.returncode, unknown, files, words[-1]))
        continue
    for action, row, w in taken:
        if action == 'file':
            continue
        rows[row] += 1
        opt = w.split()[0]
        name = opt.split('=')[0].split(',')[0]
        options.add(row if row in ('-D', '-I', '-U') else name)
        if row in ('-f', '-m', '-W', '-O', '-g'):
            catch_all[name] += 1

print('  %d checker command lines, %d distinct options (-D, -I, -U one each), %d rows of the table used'
      % (len(lines), len(options), len(rows)))
if catch_all:
    fm = sorted(o for o in catch_all if o[:2] in ('-f', '-m'))
    print('  taken by the catch-all rows (-f -m -W -O -g): %d, %d of them -W; the -f and -m ones: %s'
          % (len(catch_all), sum(o.startswith('-W') for o in catch_all), ' '.join(fm)))
sys.exit(1 if bad or not lines else 0)
