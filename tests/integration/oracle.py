#!/usr/bin/env python3
"""git as the oracle for carry's integration tests.

Modes (python3 oracle.py MODE --help for details):

  authors --repo R [PATH] [--since S] [--until U] [--at T] [--parse z|arrow]
        The per-person totals `carry authors --format json` must print, from
        `git log --no-merges --numstat -M --use-mailmap` on HEAD of R:
        person = mailmap-resolved email compared case-insensitively; name =
        the name on the person's most recent commit by author time (ties:
        the first one git prints); commits = non-merge commits (touching
        PATH, if given); added/deleted = numstat sums (binary '-' = 0);
        files = distinct paths touched (the NEW path of a rename); first /
        last = min / max author time, ISO 8601 UTC.  PATH selects changes
        whose (new) path is PATH or lies under PATH/ — the way carry files a
        rename: on its new path.  --since/--until bound the author time,
        both inclusive; a date alone means 00:00:00 UTC that day; Nd / Nw
        count back from --at (or $CARRY_NOW).  --strict-bounds fails when a
        commit sits on a date-only bound's day, where readings of "until
        2023-04-02" could differ.
  compare [--label L] EXPECTED.json ACTUAL.json
        Order-insensitive comparison (people keyed by lower-cased email;
        emails compared case-insensitively, all other fields exactly);
        prints a readable diff and exits 1 on mismatch.
  shape FILE.json      one array of flat objects with exactly the authors keys
                       and the right types and formats.
  csv FILE.csv FILE.json
                       RFC 4180 CSV with the authors header whose rows equal
                       the JSON (cells may be guarded against formula injection
                       with a leading "'"; unguarded formula cells fail).
  text FILE            no raw C0/C1 controls (but \\n), DEL, bidi or invisible
                       characters, no invalid UTF-8.
  facts --repo R --db DB
                       the facts carry stored for R (commits: mailmap-resolved
                       name and email, author time and offset, committer time,
                       parent count, subject; changes of non-merge commits:
                       path, previous path, added, deleted, binary) equal git's.
  selftest --repo R    the -z parser and the arrow-form parser agree.
"""

import argparse
import csv
import datetime as dt
import io
import json
import os
import re
import sqlite3
import subprocess
import sys

KEYS = ["name", "email", "commits", "added", "deleted", "files", "first", "last"]
ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def die(msg):
    sys.stderr.write("oracle: %s\n" % msg)
    sys.exit(2)


def git(repo, *args):
    cmd = ["git", "-C", repo, "-c", "core.quotePath=false"] + list(args)
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    except OSError as e:
        die("cannot run git: %s" % e)
    if p.returncode != 0:
        die("%s failed (%d): %s" % (" ".join(cmd), p.returncode,
                                    p.stderr.decode("utf-8", "replace").strip()))
    return p.stdout


def dec(b):
    return b.decode("utf-8", "surrogateescape")


# ---- reading history ----------------------------------------------------

LOG_ARGS = ["log", "--no-merges", "--numstat", "-M", "--use-mailmap"]


def parse_count(s):
    if s == "-":
        return 0, True
    return int(s), False


def history_z(repo):
    """[(oid, name, email, time, [(path, old_path, added, deleted, binary)])]
    in git's output order, from `git log -z` (no quoting to undo)."""
    out = git(repo, *LOG_ARGS, "-z",
              "--format=%x00C%x00%H%x00%aN%x00%aE%x00%at%x00E", "HEAD")
    toks = out.split(b"\0")
    commits = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if t == b"":
            i += 1
            continue
        if t == b"C":
            if i + 5 >= n or toks[i + 5] != b"E":
                die("cannot parse git log -z output near token %d" % i)
            commits.append((dec(toks[i + 1]), dec(toks[i + 2]), dec(toks[i + 3]),
                            int(toks[i + 4]), []))
            i += 6
            continue
        # a numstat entry: "\nA\tD\tPATH" or, for a rename, "A\tD\t" OLD NEW
        if not commits:
            die("numstat before the first commit in git log output")
        s = t.lstrip(b"\n")
        parts = s.split(b"\t", 2)
        if len(parts) != 3:
            die("cannot parse numstat entry %r" % t)
        a, abin = parse_count(dec(parts[0]))
        d, dbin = parse_count(dec(parts[1]))
        if parts[2] == b"":
            old, new = dec(toks[i + 1]), dec(toks[i + 2])
            i += 3
        else:
            old, new = None, dec(parts[2])
            i += 1
        commits[-1][4].append((new, old, a, d, abin or dbin))
    return commits


def unquote_c(s, pos):
    """Parses a C-quoted string starting at s[pos] == '"'; returns (text,
    next position).  Works on str holding raw bytes as latin-1."""
    assert s[pos] == '"'
    out = bytearray()
    i = pos + 1
    esc = {"n": 10, "t": 9, "r": 13, "a": 7, "b": 8, "f": 12, "v": 11, "\\": 92, '"': 34}
    while i < len(s):
        c = s[i]
        if c == '"':
            return out.decode("utf-8", "surrogateescape"), i + 1
        if c == "\\":
            nx = s[i + 1]
            if nx in esc:
                out.append(esc[nx])
                i += 2
            elif nx in "01234567":
                out.append(int(s[i + 1:i + 4], 8))
                i += 4
            else:
                die("bad escape in quoted path %r" % s)
        else:
            out.append(ord(c))
            i += 1
    die("unterminated quoted path %r" % s)


def parse_arrow(raw):
    """The path field of a numstat line without -z -> (new, old or None).
    Forms: 'path', '"quoted"', 'old => new', 'pre{old => new}post',
    '"old" => "new"'.  `raw` is latin-1 text standing for bytes."""
    def u(x):
        return x.encode("latin-1").decode("utf-8", "surrogateescape")
    if raw.startswith('"'):
        a, i = unquote_c(raw, 0)
        if raw.startswith(" => ", i):
            rest = raw[i + 4:]
            if rest.startswith('"'):
                b, _ = unquote_c(rest, 0)
            else:
                b = u(rest)
            return b, a
        return a, None
    m = re.match(r"^(.*)\{(.*) => (.*)\}(.*)$", raw)
    if m:
        pre, a, b, post = m.groups()
        old = pre + a + post
        new = pre + b + post
        # "{ => sub}/x" leaves "//" or a leading "/" behind
        old = old.replace("//", "/").lstrip("/")
        new = new.replace("//", "/").lstrip("/")
        return u(new), u(old)
    if " => " in raw:
        a, b = raw.split(" => ", 1)
        if b.startswith('"'):
            b, _ = unquote_c(b, 0)
            return b, u(a)
        return u(b), u(a)
    return u(raw), None


def history_arrow(repo):
    """Same as history_z, from the human numstat form with rename arrows."""
    out = git(repo, *LOG_ARGS, "--format=C\x1f%H\x1f%aN\x1f%aE\x1f%at", "HEAD")
    commits = []
    numstat = re.compile(r"^(\d+|-)\t(\d+|-)\t(.*)$")
    for line in out.decode("latin-1").split("\n"):
        if line.startswith("C\x1f"):
            f = line.split("\x1f")
            if len(f) != 5:
                die("cannot parse header %r" % line)
            u = [x.encode("latin-1").decode("utf-8", "surrogateescape") for x in f]
            commits.append((u[1], u[2], u[3], int(u[4]), []))
            continue
        if line == "":
            continue
        m = numstat.match(line)
        if not m:
            die("cannot parse numstat line %r" % line)
        a, abin = parse_count(m.group(1))
        d, dbin = parse_count(m.group(2))
        new, old = parse_arrow(m.group(3))
        commits[-1][4].append((new, old, a, d, abin or dbin))
    return commits


# ---- time ----------------------------------------------------------------

def iso(ts):
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_when(s, now):
    """-> (unix seconds, date_only)"""
    m = re.match(r"^(\d+)([dw])$", s)
    if m:
        if now is None:
            die("relative time %r needs --at or CARRY_NOW" % s)
        k = int(m.group(1)) * (7 if m.group(2) == "w" else 1)
        return now - k * 86400, False
    if re.match(r"^\d{4}-\d{2}-\d{2}$", s):
        d = dt.datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
        return int(d.timestamp()), True
    t = s.replace("Z", "+00:00")
    try:
        d = dt.datetime.fromisoformat(t)
    except ValueError:
        die("cannot parse time %r" % s)
    if d.tzinfo is None:
        d = d.replace(tzinfo=dt.timezone.utc)
    return int(d.timestamp()), False


# ---- authors -------------------------------------------------------------

def norm_path(p):
    if p is None:
        return None
    p = p.strip()
    while p.startswith("./"):
        p = p[2:]
    p = p.rstrip("/")
    return None if p in ("", ".") else p


def in_path(path, prefix):
    return prefix is None or path == prefix or path.startswith(prefix + "/")


def authors(history, prefix=None, since=None, until=None):
    people = {}
    for oid, name, email, t, changes in history:
        if since is not None and t < since:
            continue
        if until is not None and t > until:
            continue
        touched = [c for c in changes if in_path(c[0], prefix)]
        if prefix is not None and not touched:
            continue
        key = email.lower()
        p = people.get(key)
        if p is None:
            p = people[key] = {"name": name, "email": email, "t": t, "commits": 0,
                               "added": 0, "deleted": 0, "files": set(),
                               "first": t, "last": t}
        elif t > p["t"]:
            # strictly more recent: on a tie the first one git printed stays
            p["name"], p["email"], p["t"] = name, email, t
        p["commits"] += 1
        for new, _old, a, d, _bin in touched:
            p["added"] += a
            p["deleted"] += d
            p["files"].add(new)
        p["first"] = min(p["first"], t)
        p["last"] = max(p["last"], t)
    rows = []
    for key in sorted(people):
        p = people[key]
        rows.append({"name": p["name"], "email": p["email"], "commits": p["commits"],
                     "added": p["added"], "deleted": p["deleted"],
                     "files": len(p["files"]), "first": iso(p["first"]),
                     "last": iso(p["last"])})
    return rows


def cmd_authors(a):
    now = None
    at = a.at or os.environ.get("CARRY_NOW")
    if at:
        now, _ = parse_when(at, None)
    hist = history_z(a.repo) if a.parse == "z" else history_arrow(a.repo)
    since = until = None
    bounds = []
    if a.since:
        since, donly = parse_when(a.since, now)
        bounds.append((since, donly, "--since " + a.since))
    if a.until:
        until, donly = parse_when(a.until, now)
        bounds.append((until, donly, "--until " + a.until))
    if a.strict_bounds:
        for b, donly, what in bounds:
            for oid, _n, _e, t, _c in hist:
                if (donly and b <= t < b + 86400) or (not donly and t == b):
                    die("%s is ambiguous: commit %s has author time %s" % (what, oid, iso(t)))
    rows = authors(hist, norm_path(a.path), since, until)
    sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")


# ---- checks --------------------------------------------------------------

def load_json(path):
    try:
        with open(path, "rb") as f:
            return json.loads(f.read().decode("utf-8"))
    except (OSError, ValueError) as e:
        print("%s: not valid UTF-8 JSON: %s" % (path, e))
        return None


def shape_errors(doc, what):
    errs = []
    if not isinstance(doc, list):
        return ["%s: top level is %s, not an array" % (what, type(doc).__name__)]
    for i, o in enumerate(doc):
        if not isinstance(o, dict):
            errs.append("%s[%d]: not an object" % (what, i))
            continue
        if list(o.keys()) != KEYS and sorted(o.keys()) != sorted(KEYS):
            errs.append("%s[%d]: keys %s, expected exactly %s" % (what, i, list(o.keys()), KEYS))
            continue
        for k in ("name", "email", "first", "last"):
            if not isinstance(o[k], str):
                errs.append("%s[%d].%s: %r is not a string" % (what, i, k, o[k]))
        for k in ("commits", "added", "deleted", "files"):
            v = o[k]
            if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                errs.append("%s[%d].%s: %r is not a non-negative integer" % (what, i, k, v))
        for k in ("first", "last"):
            if isinstance(o[k], str) and not ISO_Z.match(o[k]):
                errs.append("%s[%d].%s: %r is not YYYY-MM-DDTHH:MM:SSZ" % (what, i, k, o[k]))
    return errs


def cmd_shape(a):
    doc = load_json(a.file)
    if doc is None:
        return 1
    errs = shape_errors(doc, a.file)
    for e in errs:
        print(e)
    return 1 if errs else 0


def keyed(doc):
    out = {}
    dups = []
    for o in doc:
        k = str(o.get("email", "")).lower()
        if k in out:
            dups.append(k)
        out[k] = o
    return out, dups


def cmd_compare(a):
    exp = load_json(a.expected)
    act = load_json(a.actual)
    if exp is None or act is None:
        return 1
    label = a.label or a.actual
    errs = shape_errors(act, "carry output")
    if errs:
        print("[%s] carry's JSON has the wrong shape:" % label)
        for e in errs[:20]:
            print("  " + e)
        return 1
    ek, _ = keyed(exp)
    ak, dups = keyed(act)
    lines = []
    for k in dups:
        lines.append("  person %r listed more than once by carry" % k)
    for k in sorted(set(ek) - set(ak)):
        lines.append("  missing person %r: expected %s" % (k, json.dumps(ek[k], ensure_ascii=True)))
    for k in sorted(set(ak) - set(ek)):
        lines.append("  unexpected person %r: %s" % (k, json.dumps(ak[k], ensure_ascii=True)))
    for k in sorted(set(ek) & set(ak)):
        e, c = ek[k], ak[k]
        for f in KEYS:
            ev, cv = e[f], c[f]
            same = (ev.lower() == cv.lower()) if f == "email" else (ev == cv and type(ev) is type(cv))
            if not same:
                lines.append("  %s: %s expected %s, carry says %s" % (
                    k, f, json.dumps(ev, ensure_ascii=True), json.dumps(cv, ensure_ascii=True)))
    if lines:
        print("[%s] carry authors differs from git (%d people expected, %d listed):" % (
            label, len(exp), len(act)))
        for ln in lines:
            print(ln)
        return 1
    return 0


def cmd_csv(a):
    doc = load_json(a.json)
    if doc is None:
        return 1
    with open(a.csv, "rb") as f:
        raw = f.read()
    errs = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print("%s: not UTF-8: %s" % (a.csv, e))
        return 1
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        print("%s: not parseable CSV: %s" % (a.csv, e))
        return 1
    if not rows or rows[0] != KEYS:
        print("%s: header %r, expected %r" % (a.csv, rows[0] if rows else None, KEYS))
        return 1
    body = rows[1:]
    if len(body) != len(doc):
        errs.append("%d CSV rows but %d JSON objects" % (len(body), len(doc)))
    bykey = {}
    for r in body:
        if len(r) != len(KEYS):
            errs.append("row with %d cells: %r" % (len(r), r))
            continue
        bykey[r[1].lower().lstrip("'")] = r
    for o in doc:
        r = bykey.get(o["email"].lower())
        if r is None:
            errs.append("no CSV row for %r" % o["email"])
            continue
        for i, k in enumerate(KEYS):
            want = str(o[k])
            got = r[i]
            if got == want:
                if want[:1] in ("=", "+", "-", "@") and k in ("name", "email"):
                    errs.append("%s: %s cell %r is not guarded against formula injection"
                                % (o["email"], k, got))
                continue
            if got == "'" + want and want[:1] in ("=", "+", "-", "@", "\t", "\r"):
                continue
            errs.append("%s: %s is %r in CSV but %r in JSON" % (o["email"], k, got, want))
    for e in errs:
        print("%s: %s" % (a.csv, e))
    return 1 if errs else 0


BAD_CHARS = set(range(0x00, 0x20)) - {0x0a}
BAD_CHARS |= {0x7f} | set(range(0x80, 0xa0))
BAD_CHARS |= set(range(0x202a, 0x202f)) | set(range(0x2066, 0x206a)) | set(range(0x200b, 0x2010))
BAD_CHARS |= {0x2028, 0x2029, 0xfeff, 0x061c}


def cmd_text(a):
    with open(a.file, "rb") as f:
        raw = f.read()
    errs = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        errs.append("invalid UTF-8 at byte %d" % e.start)
        text = raw.decode("utf-8", "replace")
    for ln, line in enumerate(text.split("\n"), 1):
        for ch in line:
            if ord(ch) in BAD_CHARS:
                errs.append("line %d: raw U+%04X in %r" % (ln, ord(ch), line))
                break
    for e in errs[:20]:
        print("%s: %s" % (a.file, e))
    return 1 if errs else 0


def git_commits(repo):
    """{oid: (name, email, author_time, tz_minutes, committer_time,
    parent_count, subject)} for every commit reachable from HEAD."""
    out = git(repo, "log", "--use-mailmap",
              "--format=%H%x1f%aN%x1f%aE%x1f%at%x1f%ai%x1f%ct%x1f%P%x1f%s%x1e", "HEAD")
    res = {}
    for rec in out.split(b"\x1e"):
        rec = rec.lstrip(b"\n")
        if not rec:
            continue
        f = [dec(x) for x in rec.split(b"\x1f")]
        if len(f) != 8:
            die("cannot parse commit record %r" % rec)
        off = f[4][-5:]
        tz = (1 if off[0] == "+" else -1) * (int(off[1:3]) * 60 + int(off[3:5]))
        res[f[0]] = (f[1], f[2], int(f[3]), tz, int(f[5]), len(f[6].split()), f[7])
    return res


def db_repo_id(con, repo):
    rows = con.execute("SELECT id, path FROM repos").fetchall()
    if len(rows) == 1:
        return rows[0][0]
    want = os.path.realpath(repo).rstrip("/")
    cands = [want, os.path.realpath(os.path.join(repo, ".git")).rstrip("/")]
    for rid, path in rows:
        if path.rstrip("/") in cands:
            return rid
    die("no repository %s among %s" % (want, [r[1] for r in rows]))


def cmd_facts(a):
    con = sqlite3.connect("file:%s?mode=ro" % os.path.abspath(a.db), uri=True)
    con.text_factory = lambda b: b.decode("utf-8", "surrogateescape")
    rid = db_repo_id(con, a.repo)
    want_c = git_commits(a.repo)
    have_c = {}
    for row in con.execute("SELECT oid, author_name, author_email, author_time, author_tz, "
                           "committer_time, parent_count, subject, skipped FROM commits "
                           "WHERE repo_id = ?", (rid,)):
        if row[0] in have_c:
            die("commit %s stored twice" % row[0])
        have_c[row[0]] = tuple(row[1:8])
        if row[8] is not None:
            print("commit %s stored as skipped: %s" % (row[0], row[8]))
    want_x = {}
    for oid, _n, _e, _t, changes in history_z(a.repo):
        want_x[oid] = sorted((new, old, ad, de, int(b)) for new, old, ad, de, b in changes)
    have_x = {}
    for oid, path, old, ad, de, b, st in con.execute(
            "SELECT c.oid, x.path, x.old_path, x.added, x.deleted, x.binary, x.status "
            "FROM changes x JOIN commits c ON c.id = x.commit_id WHERE c.repo_id = ?", (rid,)):
        have_x.setdefault(oid, []).append((path, old, ad, de, b))
        if (st == "R") != (old is not None):
            print("%s %s: status %s but old_path %r" % (oid[:12], path, st, old))
    errs = []
    names = ("name", "email", "author_time", "author_tz", "committer_time", "parent_count", "subject")
    for oid in sorted(set(want_c) - set(have_c)):
        errs.append("commit %s (%s) not stored" % (oid[:12], want_c[oid][6]))
    for oid in sorted(set(have_c) - set(want_c)):
        errs.append("commit %s stored but not reachable from HEAD" % oid[:12])
    for oid in sorted(set(want_c) & set(have_c)):
        for n, w, h in zip(names, want_c[oid], have_c[oid]):
            if w != h:
                errs.append("commit %s: %s is %r, git says %r" % (oid[:12], n, h, w))
    for oid in sorted(set(want_c)):
        w = want_x.get(oid, [])
        h = sorted(have_x.get(oid, []), key=lambda t: (t[0], t[1] or "", t[2], t[3], t[4]))
        w = sorted(w, key=lambda t: (t[0], t[1] or "", t[2], t[3], t[4]))
        if w != h:
            errs.append("commit %s (%s): changes differ\n      git:   %r\n      carry: %r"
                        % (oid[:12], want_c[oid][6], w, h))
    for e in errs[:40]:
        print(e)
    if len(errs) > 40:
        print("... and %d more" % (len(errs) - 40))
    return 1 if errs else 0


def cmd_selftest(a):
    z = history_z(a.repo)
    ar = history_arrow(a.repo)
    if z != ar:
        for x, y in zip(z, ar):
            if x != y:
                print("-z:    %r\narrow: %r" % (x, y))
                break
        print("parsers disagree (%d vs %d commits)" % (len(z), len(ar)))
        return 1
    renames = sum(1 for c in z for ch in c[4] if ch[1] is not None)
    print("ok: %d commits, %d renames, both parsers agree" % (len(z), renames))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode", required=True)
    p = sub.add_parser("authors")
    p.add_argument("--repo", required=True)
    p.add_argument("path", nargs="?")
    p.add_argument("--since")
    p.add_argument("--until")
    p.add_argument("--at")
    p.add_argument("--parse", choices=["z", "arrow"], default="z")
    p.add_argument("--strict-bounds", action="store_true")
    p = sub.add_parser("compare")
    p.add_argument("--label")
    p.add_argument("expected")
    p.add_argument("actual")
    p = sub.add_parser("shape")
    p.add_argument("file")
    p = sub.add_parser("csv")
    p.add_argument("csv")
    p.add_argument("json")
    p = sub.add_parser("text")
    p.add_argument("file")
    p = sub.add_parser("facts")
    p.add_argument("--repo", required=True)
    p.add_argument("--db", required=True)
    p = sub.add_parser("selftest")
    p.add_argument("--repo", required=True)
    a = ap.parse_args()
    if a.mode == "authors":
        cmd_authors(a)
        return 0
    return {"compare": cmd_compare, "shape": cmd_shape, "csv": cmd_csv,
            "text": cmd_text, "facts": cmd_facts, "selftest": cmd_selftest}[a.mode](a)


if __name__ == "__main__":
    sys.exit(main())
