#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare a whole-tree report made with x86_64 and UML (BEFORE) with one
made with every configuration of scripts/prepare-tree.sh (AFTER).

  arch_compare.py BEFORE.json AFTER.json ARCH...

ARCH: the architectures AFTER was given builds of (kbuild's SRCARCH).
Prints, per architecture, the sites skipped because no build was of its
architecture, before and after; the sites per configuration; then one
PASS/FAIL line per check:
  - no site analysed in both reports changed class;
  - every site analysed only in AFTER has a class, and a mapping site a
    reason, and was one of BEFORE's skipped-for-architecture entries;
  - AFTER skips for architecture only files of an architecture it had no
    build of;
  - AFTER's sites and findings each say which configuration they came from.
Exits 1 on any FAIL.
"""
import collections
import json
import re
import sys

ARCH_SKIP = re.compile(r"not built: arch/([^ ]+) is not the architecture of")


def load(path):
    with open(path) as f:
        return json.load(f)


def key(s):
    return (s["file"], s["line"], s["column"], s["api"])


def arch_skips(report):
    """(file, line) -> architecture, for the skipped-for-architecture entries."""
    out = {}
    for k in report["skipped"]:
        m = ARCH_SKIP.match(k["reason"])
        if m:
            out[(k["file"], k["line"])] = m.group(1)
    return out


def main():
    before, after = load(sys.argv[1]), load(sys.argv[2])
    built = set(sys.argv[3:])
    failed = 0

    def check(name, bad, show):
        nonlocal failed
        print(("PASS " if not bad else "FAIL ") + name)
        for item in bad[:20]:
            print("  " + show(item))
        if bad:
            failed += 1

    skip_b, skip_a = arch_skips(before), arch_skips(after)
    per_b = collections.Counter(skip_b.values())
    per_a = collections.Counter(skip_a.values())
    print("  skipped for architecture, before -> after:")
    for arch in sorted(set(per_b) | set(per_a)):
        print("    %-10s %4d -> %4d" % (arch, per_b[arch], per_a[arch]))
    print("    %-10s %4d -> %4d" % ("all", len(skip_b), len(skip_a)))
    configs = collections.Counter(s.get("config", "-") for s in after["sites"])
    print("  sites per configuration:",
          ", ".join("%s %d" % kv for kv in sorted(configs.items())))

    sites_b = {key(s): s for s in before["sites"]}
    sites_a = {key(s): s for s in after["sites"]}
    both = sorted(set(sites_b) & set(sites_a))
    changed = [k for k in both if sites_b[k]["class"] != sites_a[k]["class"]]
    check("%d sites analysed in both: none changed class" % len(both), changed,
          lambda k: "%s:%d %s: %s -> %s (%s, %s)" % (
              k[0], k[1], k[3], sites_b[k]["class"], sites_a[k]["class"],
              sites_a[k].get("config"), sites_a[k]["reason"]))

    new = sorted(set(sites_a) - set(sites_b))
    bad_new = [k for k in new
               if not sites_a[k]["class"]
               or (sites_a[k]["class"] != "n/a" and not sites_a[k]["reason"])
               or (k[0], k[1]) not in skip_b]
    classes = collections.Counter(sites_a[k]["class"] for k in new)
    print("  newly analysed sites by class:",
          ", ".join("%s %d" % kv for kv in sorted(classes.items())))
    check("%d newly analysed sites: each has a class and a reason, and was skipped "
          "for its architecture before" % len(new), bad_new,
          lambda k: "%s:%d %s: class %r reason %r" % (
              k[0], k[1], k[3], sites_a[k]["class"], sites_a[k]["reason"]))

    lost = sorted(set(sites_b) - set(sites_a))
    check("no site of the x86/UML report missing from the all-configuration one",
          lost, lambda k: "%s:%d %s" % (k[0], k[1], k[3]))

    wrong = sorted(k for k, arch in skip_a.items() if arch in built)
    check("skipped for architecture only where no build is of it (%s)"
          % " ".join(sorted(built)), wrong,
          lambda k: "%s:%d (%s)" % (k[0], k[1], skip_a[k]))

    unlabelled = [key(s) for s in after["sites"] if not s.get("config")]
    unlabelled += [(g["file"], g["line"], 0, g["rule"])
                   for g in after["findings"] if not g.get("config")]
    check("every site and finding names its configuration", unlabelled,
          lambda k: "%s:%d %s" % (k[0], k[1], k[3]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
