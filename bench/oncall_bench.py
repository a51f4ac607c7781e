#!/usr/bin/env python3
"""Benchmark for the on-call database: import a year of a 30-person rotation
with hourly overrides, then resolve `carry pager` for every file of a
5,000-file repository (one `carry pager --each` call).

usage: bench/oncall_bench.py [--carry PATH] [--runs N]

Builds everything it needs in a temporary directory (git fast-import for the
repository, CSV files for roster, services and shifts) and prints the median
of each step and their total.  Target (issue 4): under 1 s in total.
"""
import argparse, os, shutil, statistics, subprocess, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
PEOPLE, FILES, DIRS, SERVICES = 30, 5000, 100, 50
YEAR_START = 1767225600  # 2026-01-01T00:00:00Z


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def build(work):
    repo = os.path.join(work, "repo")
    subprocess.run(["git", "init", "-q", repo], check=True)
    lines = ["commit refs/heads/main", "author B <b@x> 1767225600 +0000",
             "committer B <b@x> 1767225600 +0000", "data 5", "bench"]
    co = ["* @acme/team0"] + ["/d%03d/ @acme/team%d" % (d, d % 10) for d in range(0, DIRS, 2)]
    body = "\n".join(co) + "\n"
    lines += ["M 100644 inline .github/CODEOWNERS", "data %d" % len(body.encode()), body]
    for i in range(FILES):
        body = "file %d\n" % i
        lines += ["M 100644 inline d%03d/sub%d/f%04d.c" % (i % DIRS, i % 7, i),
                  "data %d" % len(body), body]
    subprocess.run(["git", "-C", repo, "fast-import", "--quiet"], input="\n".join(lines).encode(),
                   check=True)
    subprocess.run(["git", "-C", repo, "checkout", "-q", "main"], check=True)
    with open(os.path.join(work, "roster.csv"), "w") as f:
        f.write("person_id,name,emails,team,joined_on,left_on,is_bot,handles\n")
        for p in range(PEOPLE):
            f.write("p%02d,Person %d,p%d@example.com,team%d,2020-01-01,,false,@p%d\n" % (p, p, p, p % 10, p))
    with open(os.path.join(work, "services.csv"), "w") as f:
        f.write("service,team,rotation,path_glob\n")
        for s in range(SERVICES):
            for d in range(s, DIRS, SERVICES):
                f.write("svc%d,team%d,rot%d,/d%03d/\n" % (s, s % 10, s % 5, d))
                f.write("svc%d,team%d,rot%d,/d%03d/sub3/*.c\n" % (s, s % 10, s % 5, d))
    rows = 0
    with open(os.path.join(work, "shifts.csv"), "w") as f:
        f.write("rotation,email,starts_at,ends_at,level\n")
        week = 7 * 86400
        for w in range(53):  # weekly primary and secondary
            t = YEAR_START + w * week
            f.write("rot0,p%d@example.com,%s,%s,1\n" % (w % PEOPLE, iso(t), iso(t + week)))
            f.write("rot0,p%d@example.com,%s,%s,2\n" % ((w + 1) % PEOPLE, iso(t), iso(t + week)))
            rows += 2
        for h in range(365 * 24):  # hourly overrides
            t = YEAR_START + h * 3600
            f.write("rot0,p%d@example.com,%s,%s,1\n" % ((h * 7) % PEOPLE, iso(t), iso(t + 3600)))
            rows += 1
    # The same year as an iCalendar export, as PagerDuty writes one: every
    # shift, override included, is its own event.
    with open(os.path.join(work, "year.ics"), "w", newline="") as f:
        f.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n")
        n = 0
        def ev(start, end, person, level):
            nonlocal n
            n += 1
            f.write("BEGIN:VEVENT\r\nUID:e%d\r\nDTSTART:%s\r\nDTEND:%s\r\n"
                    "SUMMARY:On Call - Person %d - Bench\r\nPRIORITY:%d\r\n"
                    "ATTENDEE;CN=Person %d:mailto:p%d@example.com\r\nEND:VEVENT\r\n"
                    % (n, time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(start)),
                       time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(end)), person, level, person, person))
        week = 7 * 86400
        for w in range(53):
            t = YEAR_START + w * week
            ev(t, t + week, w % PEOPLE, 1)
            ev(t, t + week, (w + 1) % PEOPLE, 2)
        for h in range(365 * 24):
            t = YEAR_START + h * 3600
            ev(t, t + 3600, (h * 7) % PEOPLE, 1)
        f.write("END:VCALENDAR\r\n")
    return repo, rows


def timed(cmd, env):
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--carry", default=os.path.join(HERE, "..", "build", "carry"))
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    carry = os.path.abspath(a.carry)
    work = tempfile.mkdtemp(prefix="carry-oncall-bench-")
    try:
        repo, nshifts = build(work)
        env = dict(os.environ, CARRY_DB=os.path.join(work, "b.db"), CARRY_NOW="2026-06-15T12:30:00Z")
        c = [carry, "--repo", repo, "--quiet"]
        timed(c + ["scan"], env)
        for k in ("roster", "services"):
            timed(c + ["import", k, os.path.join(work, k + ".csv")], env)
        imp, ics, pager = [], [], []
        for _ in range(a.runs):
            imp.append(timed(c + ["import", "shifts", os.path.join(work, "shifts.csv")], env))
            ics.append(timed(c + ["import", "ics", os.path.join(work, "year.ics"), "--rotation", "rot1"], env))
            pager.append(timed(c + ["pager", "--each", "--format", "json"], env))
        out = subprocess.run(c + ["pager", "--each", "--format", "csv"], env=env, check=True,
                             capture_output=True, text=True).stdout
        answered = len(out.splitlines()) - 1
        i, p = statistics.median(imp), statistics.median(pager)
        print("shifts imported: %d rows (a year, 30 people, hourly overrides)" % nshifts)
        print("pager answers:   %d rows for %d files" % (answered, FILES + 1))
        print("import shifts (re-import of the same year) median: %.0f ms" % (i * 1000))
        ic = statistics.median(ics)
        print("import ics (the same year, 8,866 events) median: %.0f ms" % (ic * 1000))
        print("pager --each over %d files median:             %.0f ms" % (FILES + 1, p * 1000))
        print("total, CSV import + pager: %.0f ms; iCalendar import + pager: %.0f ms (target < 1000 ms)"
              % ((i + p) * 1000, (ic + p) * 1000))
        # First import into an empty rotation, for the record.
        env2 = dict(env, CARRY_DB=os.path.join(work, "fresh.db"))
        timed(c + ["import", "roster", os.path.join(work, "roster.csv")], env2)
        first = timed(c + ["import", "shifts", os.path.join(work, "shifts.csv")], env2)
        print("first import of the year into an empty database: %.0f ms" % (first * 1000))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
