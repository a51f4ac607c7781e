#!/usr/bin/env python3
"""Benchmark: `carry scan --full` against `git log --no-merges --numstat -M
--use-mailmap` on the same repository, run alternately so both see the same
machine load; then an incremental scan after one new commit.

usage: bench/scan_vs_git.py REPO [--runs N] [--carry PATH]

Prints both medians, their ratio, carry's peak RSS, and the incremental scan
time.  Nothing is timed in the test suite: figures go to the README.
The repository is never modified: the incremental step works on a clone.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import run_timed  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("repo")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--carry", default=os.path.join(HERE, "..", "build", "carry"))
    args = ap.parse_args()
    carry = os.path.abspath(args.carry)
    repo = os.path.abspath(args.repo)
    work = tempfile.mkdtemp(prefix="carry-bench-")
    env = dict(os.environ, CARRY_DB=os.path.join(work, "bench.db"))
    try:
        commits = subprocess.run(["git", "-C", repo, "rev-list", "--count", "HEAD"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        print(f"repository: {repo} ({commits} commits), {os.cpu_count()} cores")
        git_cmd = ["git", "-C", repo, "log", "--no-merges", "--numstat", "-M", "--use-mailmap",
                   "--format=%H %aN <%aE> %at"]
        carry_cmd = [carry, "--repo", repo, "--quiet", "scan", "--full"]
        git_t, carry_t, rss = [], [], 0
        for i in range(args.runs):
            t, _ = run_timed(git_cmd)
            git_t.append(t)
            t, r = run_timed(carry_cmd, env=env)
            carry_t.append(t)
            rss = max(rss, r)
            print(f"  run {i + 1}: git {git_t[-1]:.2f}s  carry {carry_t[-1]:.2f}s  ({r / 1024:.0f} MiB)")
        g, c = statistics.median(git_t), statistics.median(carry_t)
        print(f"git log median:     {g:.2f}s")
        print(f"carry scan median:  {c:.2f}s")
        print(f"ratio carry/git:    {c / g:.2f}")
        print(f"carry peak RSS:     {rss / 1024:.0f} MiB")

        # Incremental: a clone, scanned once, then one new commit.
        clone = os.path.join(work, "clone")
        subprocess.run(["git", "clone", "-q", "--shared", repo, clone], check=True)
        run_timed([carry, "--repo", clone, "--quiet", "scan"], env=env)
        inc = []
        for i in range(args.runs):
            target = os.path.join(clone, "README.carry-bench")
            with open(target, "a") as f:
                f.write(f"bench line {i}\n")
            subprocess.run(["git", "-C", clone, "add", "README.carry-bench"], check=True)
            subprocess.run(["git", "-C", clone, "-c", "user.name=Bench", "-c", "user.email=b@x",
                            "commit", "-q", "-m", f"bench {i}"], check=True)
            t, _ = run_timed([carry, "--repo", clone, "--quiet", "scan"], env=env)
            inc.append(t)
        print(f"incremental scan after one new commit: median {statistics.median(inc) * 1000:.0f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
