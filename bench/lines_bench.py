#!/usr/bin/env python3
"""Benchmark: the line engine.  `carry scan --full` (history facts and the
line origin of every line at HEAD) against `git log --no-merges --numstat -M`,
and against what `git blame` on every text file at HEAD would cost.

usage: bench/lines_bench.py REPO [--runs N] [--carry PATH] [--blame-sample N]
                            [--seed S]

1. Alternately runs `carry --repo REPO --quiet scan --full` (a fresh
   temporary database each run, through CARRY_DB) and `git -C REPO log
   --no-merges --numstat -M --format=%H` (output to /dev/null), N times
   (default 3): both medians, their ratio, carry's peak RSS.
2. Times `git blame --line-porcelain HEAD -- F` (output to /dev/null) for a
   random sample of --blame-sample files (default 100; 0 = every one) among
   the text files at HEAD (mode 100644/100755, no NUL in the first 8000
   bytes), extrapolates to all of them (sample sum x files/sampled files;
   the line-weighted figure, sample sum x lines/sampled lines, is shown
   too) and prints the speedup of one carry scan over blaming every file.
3. Times `carry blame F` as text and as JSON (answered from the database
   of the last scan; output to /dev/null) on the text file at HEAD with
   the most lines and on the largest one under 12,000 lines, and `carry
   owners` over the whole tree: medians of 5 runs.

Nothing is timed in the test suite: figures go to the README.  The
repository is never modified.
"""
import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import git, run_timed, text_files  # noqa: E402




def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("repo")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--carry", default=os.path.join(HERE, "..", "build", "carry"))
    ap.add_argument("--blame-sample", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    carry = os.path.abspath(args.carry)
    repo = os.path.abspath(args.repo)
    work = tempfile.mkdtemp(prefix="carry-lines-bench-")
    try:
        commits = git(repo, "rev-list", "--count", "HEAD").decode().strip()
        files = text_files(repo)
        total_lines = sum(n for _, n in files)
        print(f"repository: {repo} ({commits} commits, {len(files)} text files, "
              f"{total_lines} lines at HEAD), {os.cpu_count()} cores")
        sys.stdout.flush()

        # 1. carry scan --full vs git log, alternately.
        git_cmd = ["git", "-C", repo, "log", "--no-merges", "--numstat", "-M", "--format=%H"]
        carry_cmd = [carry, "--repo", repo, "--quiet", "scan", "--full"]
        git_t, carry_t, rss = [], [], 0
        db = None
        for i in range(args.runs):
            t, _ = run_timed(git_cmd)
            git_t.append(t)
            if db:
                for suffix in ("", "-wal", "-shm"):
                    try:
                        os.unlink(db + suffix)
                    except FileNotFoundError:
                        pass
            db = os.path.join(work, f"run-{i + 1}.db")
            t, r = run_timed(carry_cmd, env=dict(os.environ, CARRY_DB=db))
            carry_t.append(t)
            rss = max(rss, r)
            print(f"  run {i + 1}: git log {git_t[-1]:.2f}s  carry scan --full {carry_t[-1]:.2f}s"
                  f"  ({r / 1024:.0f} MiB)")
            sys.stdout.flush()
        g, c = statistics.median(git_t), statistics.median(carry_t)
        print(f"git log median:          {g:.2f}s")
        print(f"carry scan --full median: {c:.2f}s")
        print(f"ratio carry/git:         {c / g:.2f}")
        print(f"carry peak RSS:          {rss / 1024:.0f} MiB")
        sys.stdout.flush()

        # 2. git blame on a sample of the text files, extrapolated.
        if files:
            k = min(args.blame_sample or len(files), len(files))
            sample = random.Random(args.seed).sample(files, k)
            blame_t = 0.0
            sample_lines = 0
            for path, n in sample:
                t, _ = run_timed(["git", "-C", repo, "blame", "--line-porcelain", "HEAD", "--", path])
                blame_t += t
                sample_lines += n
            by_files = blame_t * len(files) / k
            by_lines = blame_t * total_lines / sample_lines if sample_lines else by_files
            print(f"git blame on {k} sampled files ({sample_lines} lines): {blame_t:.2f}s")
            print(f"  extrapolated to all {len(files)} text files: {by_files:.1f}s "
                  f"(x files/sampled files)")
            print(f"  extrapolated by lines ({total_lines} lines in all): {by_lines:.1f}s "
                  f"(x lines/sampled lines)")
            print(f"carry scan --full vs blaming every file: {by_files / c:.1f}x faster "
                  f"({by_lines / c:.1f}x by lines)")
            sys.stdout.flush()

            # 3. carry blame and carry owners, from the database.
            env = dict(os.environ, CARRY_DB=db)
            longest = max(files, key=lambda f: (f[1], f[0]))
            ten_k = max((f for f in files if f[1] < 12000), key=lambda f: (f[1], f[0]))
            for path, n in sorted({longest, ten_k}, key=lambda f: f[1]):
                for fmt in ("text", "json"):
                    cmd = [carry, "--repo", repo, "blame", path, "--format", fmt]
                    times = [run_timed(cmd, env=env, cwd="/")[0] for _ in range(5)]
                    print(f"carry blame ({fmt}) on {path} ({n} lines): "
                          f"median {statistics.median(times) * 1000:.0f} ms of 5")
            cmd = [carry, "--repo", repo, "owners", "--format", "json"]
            times = [run_timed(cmd, env=env, cwd="/")[0] for _ in range(5)]
            print(f"carry owners (json) over the whole tree: "
                  f"median {statistics.median(times) * 1000:.0f} ms of 5")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
