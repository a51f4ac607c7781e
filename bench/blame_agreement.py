#!/usr/bin/env python3
"""Agreement of `carry blame` with `git blame` on a real repository.

usage: bench/blame_agreement.py REPO [--carry PATH] [--db FILE] [--sample N]
                                [--seed S] [--jobs J] [--verbose] [--top K]

REPO must already be scanned (`carry --repo REPO scan`) into the database
carry uses: $CARRY_DB, or --db FILE (passed on to carry as --db).  For each
regular text file at HEAD (git ls-tree -r HEAD, mode 100644 or 100755, no NUL
byte in its first 8000 bytes), or a random sample of --sample N of them, runs
    carry --repo REPO [--db DB] blame PATH --format json
    git -C REPO blame --line-porcelain HEAD -- PATH
(--jobs J files at a time, default 2) and compares the commit named for each
line.  Prints the files below 100% (every file with --verbose), the overall
agreement in lines and in files, and the --top K (default 10) files with the
most disagreeing lines.  A line agrees when both name the same commit for it;
a file's denominator is the larger of the two line counts.  Always exits 0
(unless the arguments or the repository are unusable).
"""
import argparse
import concurrent.futures
import json
import os
import random
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import git, text_files  # noqa: E402

HEADER = re.compile(rb"^([0-9a-f]{40}) \d+ \d+( \d+)?$")


def git_commits(repo, path):
    out = git(repo, "blame", "--line-porcelain", "HEAD", "--", path)
    commits, want_header = [], True
    for ln in out.split(b"\n"):
        if want_header:
            if not ln:
                continue
            m = HEADER.match(ln)
            if not m:
                raise ValueError("cannot parse git blame output: %r" % ln[:80])
            commits.append(m.group(1).decode())
            want_header = False
        elif ln.startswith(b"\t"):
            want_header = True
    return commits


def carry_commits(args, path):
    cmd = [args.carry, "--repo", args.repo]
    if args.db:
        cmd += ["--db", args.db]
    cmd += ["blame", path, "--format", "json"]
    p = subprocess.run(cmd, cwd="/", capture_output=True)
    if p.returncode != 0:
        msg = p.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError("carry exited %d: %s" % (p.returncode, msg[-1] if msg else ""))
    doc = json.loads(p.stdout.decode("utf-8"))
    if not isinstance(doc, list):
        raise RuntimeError("carry's JSON is not an array")
    return [o.get("commit") if isinstance(o, dict) else None for o in doc]


def compare(args, path):
    """(path, agreeing lines, lines, git lines, carry lines, error, carry s, git s)"""
    t0 = time.perf_counter()
    err = None
    try:
        got = carry_commits(args, path)
    except (OSError, RuntimeError, ValueError) as e:
        got, err = [], str(e)
    t1 = time.perf_counter()
    try:
        want = git_commits(args.repo, path)
    except (subprocess.CalledProcessError, ValueError) as e:
        return (path, 0, 0, 0, len(got), "git blame failed: %s" % e, t1 - t0, 0.0)
    t2 = time.perf_counter()
    agree = sum(1 for w, g in zip(want, got) if w == g)
    total = max(len(want), len(got))
    return (path, agree, total, len(want), len(got), err, t1 - t0, t2 - t1)


def pct(a, b):
    return 100.0 * a / b if b else 100.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("repo")
    ap.add_argument("--carry", default=os.path.join(HERE, "..", "build", "carry"))
    ap.add_argument("--db", help="the database (passed to carry as --db; default $CARRY_DB)")
    ap.add_argument("--sample", type=int, help="compare a random sample of N files")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verbose", action="store_true", help="print every file, not only those below 100%%")
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args()
    args.carry = os.path.abspath(args.carry)
    args.repo = os.path.abspath(args.repo)
    if args.db:
        args.db = os.path.abspath(args.db)

    try:
        head = git(args.repo, "rev-parse", "HEAD").decode().strip()
        files = [path for path, _ in text_files(args.repo)]
    except subprocess.CalledProcessError as e:
        sys.exit("blame_agreement: %s: %s" % (args.repo, e.stderr.decode("utf-8", "replace").strip()))
    n_all = len(files)
    if args.sample is not None and args.sample < n_all:
        files = sorted(random.Random(args.seed).sample(files, args.sample))
    print("repository: %s at %s" % (args.repo, head[:12]))
    print("text files at HEAD: %d; comparing %d%s, %d at a time" % (
        n_all, len(files), " (random sample, seed %d)" % args.seed if len(files) < n_all else "",
        args.jobs))
    sys.stdout.flush()

    start = time.perf_counter()
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for r in pool.map(lambda p: compare(args, p), files):
            results.append(r)
            path, agree, total, nw, ng, err, _, _ = r
            if args.verbose or err or agree < total:
                extra = ""
                if err:
                    extra = "  [%s]" % err
                elif nw != ng:
                    extra = "  [git %d lines, carry %d]" % (nw, ng)
                print("  %6.2f%%  %7d/%-7d  %s%s" % (pct(agree, total), agree, total, path, extra))
                sys.stdout.flush()
    wall = time.perf_counter() - start

    lines_agree = sum(r[1] for r in results)
    lines_total = sum(r[2] for r in results)
    files_full = sum(1 for r in results if r[1] == r[2] and not r[5])
    errors = [r for r in results if r[5]]
    carry_s = sum(r[6] for r in results)
    git_s = sum(r[7] for r in results)
    print()
    print("lines: %d/%d agree (%.3f%%)" % (lines_agree, lines_total, pct(lines_agree, lines_total)))
    print("files: %d/%d agree on every line (%.2f%%)" % (files_full, len(results), pct(files_full, len(results))))
    if errors:
        print("files where carry or git failed: %d" % len(errors))
    print("time: %.1fs wall; carry blame %.1fs, git blame %.1fs (summed over files)" % (wall, carry_s, git_s))
    worst = sorted((r for r in results if r[1] < r[2]), key=lambda r: (r[1] - r[2], r[0]))
    if worst:
        print("top %d disagreeing files (by lines that differ):" % min(args.top, len(worst)))
        for r in worst[:args.top]:
            print("  %7d lines differ  %6.2f%%  %s%s" % (r[2] - r[1], pct(r[1], r[2]), r[0],
                                                        "  [%s]" % r[5] if r[5] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
