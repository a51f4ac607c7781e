#!/usr/bin/env python3
"""Benchmark for the analyses (issue 5): every analysis command answered
from an already-scanned database, and `carry report`.

usage: bench/analyses_bench.py --repo DIR --db FILE [--at TIME] [--runs N]
                               [--carry PATH] [--incident ID]

DIR must have been scanned into FILE (`carry scan`), with or without on-call
data; on the demo world: `carry demo DIR --scale 10 --at TIME` then
--repo DIR/repo --db DIR/carry.db.  Each command runs N times (alternating
with the others, so a noisy moment hurts all alike); the median and the
slowest run are printed with peak RSS, and next to them `git log -1`
(process start and reading HEAD) as the floor a command-line tool pays.
Targets: every analysis under 200 ms, `carry report` under 1 s.
"""
import argparse, json, os, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import run_timed  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--at", default=None)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--carry", default=os.path.join(HERE, "..", "build", "carry"))
    ap.add_argument("--incident", default=None, help="an incident for triage (default: the latest)")
    a = ap.parse_args()
    base = [a.carry, "--quiet", "--repo", a.repo, "--db", a.db]
    if a.at:
        base += ["--at", a.at]
    incident = a.incident
    if not incident:
        out = subprocess.run(base + ["incidents", "--format", "json"], capture_output=True,
                             text=True, check=True).stdout
        rows = json.loads(out)
        incident = rows[0]["incident_id"] if rows else None
    commands = {
        "owners": ["owners"],
        "owners --dirs": ["owners", "--dirs"],
        "drive-bys (90 days)": ["drive-bys"],
        "drive-bys (all history)": ["drive-bys", "--since", "1970-01-01"],
        "orphans": ["orphans"],
        "orphans --dirs": ["orphans", "--dirs"],
        "pager --each": ["pager", "--each"],
        "report (7 days)": ["report"],
        "report --format json": ["report", "--format", "json"],
    }
    if incident:
        commands["triage " + incident] = ["triage", incident]
    times = {name: [] for name in commands}
    rss = {name: 0 for name in commands}
    floor = []
    for _ in range(a.runs):
        floor.append(run_timed(["git", "-C", a.repo, "log", "-1"])[0])
        for name, args in commands.items():
            t, m = run_timed(base + args)
            times[name].append(t)
            rss[name] = max(rss[name], m)
    git_ms = statistics.median(floor) * 1000
    print(f"{'command':28} {'median':>9} {'slowest':>9} {'peak RSS':>9}   target")
    for name in commands:
        med = statistics.median(times[name]) * 1000
        target = 1000 if name.startswith("report") else 200
        verdict = "ok" if med < target else "OVER"
        print(f"{name:28} {med:7.0f}ms {max(times[name]) * 1000:7.0f}ms {rss[name] / 1024:6.0f}MiB"
              f"   <{target} ms {verdict}")
    print(f"{'git log -1 (floor)':28} {git_ms:7.0f}ms")


if __name__ == "__main__":
    main()
