#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/bench.py: how fast mapcheck is on a prepared kernel tree, against
the project's Coccinelle scripts on the same tree, in one run.

    bench/bench.py [--version 6.12] [--runs 3] [--jobs 2] [--no-cocci] [--subsets fs,drivers]

Rounds alternate the measurements (a c d e b a c d e b ...) so that load from
other work on the machine spreads over all of them; each figure is the
median of --runs rounds, with the ratio to (b).

  (a) mapcheck, whole tree, all rules, empty result cache (cold)
  (b) make coccicheck MODE=report J=<jobs>, every semantic-patches/ script
  (c) mapcheck again, nothing changed (warm cache)
  (d) mapcheck again after one .c file changed (--touch, default fs/ext2/dir.c)
  (e) kbuild CHECK mode on that one file, as make C=1 calls it (warm, and --no-cache)
  subsets: fs/, drivers/ (--subsets), whole tree, --no-cache, once each (cost growth)

Wall time and peak RSS come from /usr/bin/time -v (RSS of the largest
single process); "sum RSS" is the peak of the summed RSS of every process
of the run, sampled every 0.1 s.  mapcheck runs on a hard-linked copy of
the tree under the cache directory (the touched file is replaced by a new
file there, never written through a link), so the prepared trees are never
written; Coccinelle reads the prepared tree itself.
"""
import argparse, os, re, shutil, signal, statistics, subprocess, sys, threading, time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MC = os.path.join(TOP, 'checker', 'mapcheck')
CACHE = os.environ.get('MAPCHECK_CACHE') or os.path.join(
    os.environ.get('XDG_CACHE_HOME') or os.path.expanduser('~/.cache'), 'mapcheck')


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, **kw).stdout


def rss_sum(pid):
    """Summed RSS (KiB) of every process in session @pid."""
    total = 0
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % p) as f:
                st = f.read().rsplit(')', 1)[1].split()
            if int(st[3]) == pid:	# session id
                total += int(st[21]) * os.sysconf('SC_PAGE_SIZE') // 1024
        except (OSError, IndexError, ValueError):
            pass
    return total


def timed(cmd, env=None, cwd=None, log=None):
    """Run @cmd under /usr/bin/time -v: (wall s, max RSS KiB, summed RSS KiB)."""
    tf = os.path.join(CACHE, 'bench', 'time.txt')
    full = ['/usr/bin/time', '-v', '-o', tf] + cmd
    out = open(log or os.devnull, 'w')
    p = subprocess.Popen(full, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                         start_new_session=True)
    peak = [0]

    def sample():
        while p.poll() is None:
            peak[0] = max(peak[0], rss_sum(p.pid))
            time.sleep(0.1)
    t = threading.Thread(target=sample)
    t.start()
    try:
        p.wait()
    except BaseException:
        os.killpg(p.pid, signal.SIGTERM)	# its own session: not killed with us
        raise
    t.join()
    out.close()
    text = open(tf).read()
    m = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)', text)
    parts = [float(x) for x in m.group(1).split(':')]
    wall = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
    rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', text).group(1))
    if p.returncode not in (0, 1):
        sys.exit('bench: %s failed (exit %d), see %s' % (cmd[0], p.returncode, log))
    return wall, rss, peak[0]


def copy_tree(src, build, ver):
    """A hard-linked copy of the source tree and a real copy of the build dir."""
    base = os.path.join(CACHE, 'bench', ver)
    csrc, cbuild = os.path.join(base, 'src'), os.path.join(base, 'build')
    if not os.path.isdir(csrc):
        os.makedirs(base, exist_ok=True)
        subprocess.run(['cp', '-al', src, csrc + '.tmp'], check=True)
        os.rename(csrc + '.tmp', csrc)
    if not os.path.isdir(cbuild):
        subprocess.run(['cp', '-a', build, cbuild + '.tmp'], check=True)
        os.rename(cbuild + '.tmp', cbuild)
    return base, csrc, cbuild


def write_new(path, data):
    """Replace @path by a new file (a new inode: the hard link is broken)."""
    tmp = path + '.bench-tmp'
    with open(tmp, 'w') as f:
        f.write(data)
    os.rename(tmp, path)


def check_command(src, build, rel):
    """kbuild's CHECK command line for @rel, from a dry run (make -n)."""
    out = subprocess.run(['make', '-n', '-s', '-C', src, 'O=' + build, 'ARCH=x86_64', 'CC=clang', 'C=2',
                          'CHECK=MAPCHECK_BENCH_CHECK', rel[:-2] + '.o'],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    for line in out.splitlines():
        i = line.find('MAPCHECK_BENCH_CHECK ')
        if i >= 0 and line.rstrip().endswith(rel):
            return line[i:].split(';')[0]
    sys.exit('bench: no CHECK command for %s in make -n' % rel)


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit('bench: terminated'))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--version', default='6.12')
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--touch', default='fs/ext2/dir.c')
    ap.add_argument('--no-cocci', action='store_true')
    ap.add_argument('--subsets', default='fs,drivers',
                    help='comma-separated top directories to scan alone ("" for none)')
    a = ap.parse_args()

    src, build = sh([os.path.join(TOP, 'scripts', 'prepare-tree.sh'), a.version]).split()
    base, csrc, cbuild = copy_tree(src, build, a.version)
    logs = os.path.join(base, 'logs')
    os.makedirs(logs, exist_ok=True)
    touched = os.path.join(csrc, a.touch)
    original = open(os.path.join(src, a.touch)).read()
    write_new(touched, original)
    check = check_command(csrc, cbuild, a.touch)
    warm = os.path.join(base, 'cache-warm')
    cold = os.path.join(base, 'cache-cold')
    scan = [MC, '--tree', csrc, '--build', cbuild, '-j%d' % a.jobs, '--format', 'json',
            '--fail-on', 'never', '-o', '/dev/null']
    env = dict(os.environ)
    res = {}

    def add(name, r):
        res.setdefault(name, []).append(r)
        print('  %-44s %8.1f s  %7.0f MiB  %7.0f MiB' % (name, r[0], r[1] / 1024, r[2] / 1024),
              flush=True)

    print('bench: %s, %d round(s), -j%d, %s, %d CPUs' % (src, a.runs, a.jobs, time.strftime('%Y-%m-%d'),
                                                     os.cpu_count()), flush=True)
    for run in range(a.runs):
        print('round %d' % (run + 1), flush=True)
        shutil.rmtree(cold, ignore_errors=True)
        add('(a) mapcheck, whole tree, cold cache',
            timed(scan + [csrc], dict(env, MAPCHECK_CACHE=cold), log=os.path.join(logs, 'a.log')))
        shutil.rmtree(warm, ignore_errors=True)
        os.rename(cold, warm)
        add('(c) mapcheck, warm, no change',
            timed(scan + [csrc], dict(env, MAPCHECK_CACHE=warm), log=os.path.join(logs, 'c.log')))
        write_new(touched, original + '/* bench round %d */\n' % run)
        add('(d) mapcheck, warm, %s changed' % a.touch,
            timed(scan + [csrc], dict(env, MAPCHECK_CACHE=warm), log=os.path.join(logs, 'd.log')))
        add('(e) CHECK mode, %s, --no-cache' % a.touch,
            timed(['bash', '-c', check.replace('MAPCHECK_BENCH_CHECK', MC + ' --no-cache')],
                  env, cwd=cbuild, log=os.path.join(logs, 'e.log')))
        # kbuild's flags are not tree mode's: the first CHECK run fills the cache
        subprocess.run(['bash', '-c', check.replace('MAPCHECK_BENCH_CHECK', MC)],
                       env=dict(env, MAPCHECK_CACHE=warm), cwd=cbuild,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        add('(e) CHECK mode, %s, warm' % a.touch,
            timed(['bash', '-c', check.replace('MAPCHECK_BENCH_CHECK', MC)],
                  dict(env, MAPCHECK_CACHE=warm), cwd=cbuild, log=os.path.join(logs, 'e.log')))
        write_new(touched, original)
        # last in the round: the cached results above are ready first
        if not a.no_cocci:
            add('(b) make coccicheck MODE=report J=%d' % a.jobs,
                timed([os.path.join(TOP, 'scripts', 'coccicheck.sh'), src, 'report'],
                      dict(env, J=str(a.jobs)), log=os.path.join(logs, 'b.log')))
    subsets = [x for x in a.subsets.split(',') if x]
    if subsets:
        print('subsets (--no-cache, once each)', flush=True)
        for sub in subsets:
            add('subset %s/, --no-cache' % sub,
                timed(scan + ['--no-cache', os.path.join(csrc, sub)], env,
                      log=os.path.join(logs, 'subset.log')))
        res['subset whole tree, --no-cache'] = res['(a) mapcheck, whole tree, cold cache']

    cocci = res.get('(b) make coccicheck MODE=report J=%d' % a.jobs)
    ref = statistics.median(r[0] for r in cocci) if cocci else None
    print()
    print('| measurement | runs | median wall | min-max | peak RSS (largest process) | '
          'peak RSS (sum) | vs coccicheck |')
    print('|---|---:|---:|---:|---:|---:|---:|')
    for name, rs in res.items():
        w = [r[0] for r in rs]
        print('| %s | %d | %.1f s | %.1f-%.1f s | %.0f MiB | %.0f MiB | %s |' % (
            name, len(rs), statistics.median(w), min(w), max(w),
            max(r[1] for r in rs) / 1024, max(r[2] for r in rs) / 1024,
            '%.2fx' % (statistics.median(w) / ref) if ref else '-'))


if __name__ == '__main__':
    main()
