"""Compares `carry blame --format json` with `git blame --line-porcelain`
for every regular text file at HEAD (blame_oracle.sh, rename_oracle.sh).
Exits 1 when any line names another commit than git blame does."""
import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys

HEX40 = re.compile(r"^[0-9a-f]{40}$")
ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
HEADER = re.compile(rb"^([0-9a-f]{40}) \d+ \d+( \d+)?$")
KEYS = ["line", "commit", "name", "email", "time"]
# Raw in text output: ESC, BEL, U+202E.  (The file line and names carry them.)
UNSAFE = {b"\x1b": "ESC", b"\x07": "BEL", "\u202e".encode(): "U+202E"}


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], capture_output=True, check=True).stdout


def head_files(repo):
    """[(mode, oid, path)] of the blobs at HEAD."""
    out = []
    for rec in git(repo, "ls-tree", "-r", "-z", "HEAD").split(b"\0"):
        if not rec:
            continue
        meta, path = rec.split(b"\t", 1)
        mode, typ, oid = meta.split(b" ")
        if typ == b"blob":
            out.append((mode.decode(), oid.decode(), path.decode("utf-8", "surrogateescape")))
    return out


def line_count(data):
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def git_blame(repo, path):
    """[(commit, author, author-mail, author-time)] per line."""
    out = git(repo, "blame", "--line-porcelain", "HEAD", "--", path)
    res, cur = [], None
    for ln in out.split(b"\n"):
        if cur is None:
            if not ln:
                continue
            m = HEADER.match(ln)
            if not m:
                raise SystemExit("cannot parse git blame output of %s: %r" % (path, ln))
            cur = {"commit": m.group(1).decode()}
        elif ln.startswith(b"\t"):
            res.append(cur)
            cur = None
        else:
            k, _, v = ln.partition(b" ")
            cur[k.decode()] = v.decode("utf-8", "replace")
    return res


def iso(ts):
    return dt.datetime.fromtimestamp(int(ts), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def shape_errors(doc, path):
    if not isinstance(doc, list):
        return ["%s: top level is %s, not an array" % (path, type(doc).__name__)]
    errs = []
    for i, o in enumerate(doc):
        where = "%s: element %d" % (path, i)
        if not isinstance(o, dict):
            errs.append(where + ": not an object")
            continue
        if sorted(o.keys()) != sorted(KEYS):
            errs.append("%s: keys %s, expected exactly %s" % (where, sorted(o.keys()), KEYS))
            continue
        if not isinstance(o["line"], int) or isinstance(o["line"], bool) or o["line"] != i + 1:
            errs.append("%s: line %r, expected %d" % (where, o["line"], i + 1))
        if not isinstance(o["commit"], str) or not HEX40.match(o["commit"]):
            errs.append("%s: commit %r is not 40 lower-case hex digits" % (where, o["commit"]))
        for k in ("name", "email"):
            if not isinstance(o[k], str):
                errs.append("%s: %s %r is not a string" % (where, k, o[k]))
        if not isinstance(o["time"], str) or not ISO_Z.match(o["time"]):
            errs.append("%s: time %r is not YYYY-MM-DDTHH:MM:SSZ" % (where, o["time"]))
        if len(errs) > 10:
            break
    return errs


class Check:
    def __init__(self, a):
        self.a = a
        self.errors = []
        self.subjects = {}
        self.idents = {}

    def err(self, msg):
        self.errors.append(msg)
        print("%s: %s" % (self.a.label, msg))

    def carry(self, *args):
        cmd = [self.a.carry, "--repo", self.a.repo, "blame", *args]
        p = subprocess.run(cmd, cwd=self.a.repo, capture_output=True)
        return p

    def subject(self, oid):
        if oid not in self.subjects:
            try:
                self.subjects[oid] = git(self.a.repo, "log", "-1", "--format=%s", oid).decode(
                    "utf-8", "replace").strip()
            except subprocess.CalledProcessError:
                self.subjects[oid] = "(not a commit)"
        return self.subjects[oid]

    def ident(self, oid):
        if oid not in self.idents:
            out = git(self.a.repo, "log", "-1", "--format=%aN%x00%aE%x00%at", oid).decode()
            n, e, t = out.rstrip("\n").split("\0")
            self.idents[oid] = (n, e, iso(t))
        return self.idents[oid]

    def binary(self, path):
        p = self.carry(path, "--format", "json")
        if p.returncode < 0 or p.returncode >= 128:
            self.err("carry blame on binary %s died (status %d): %s" % (
                path, p.returncode, p.stderr.decode("utf-8", "replace")[:300]))

    def text(self, path, data, dump):
        want = git_blame(self.a.repo, path)
        n = line_count(data)
        if len(want) != n:
            self.err("%s: git blame gives %d lines for a file of %d (the oracle is confused)"
                     % (path, len(want), n))
            return 0
        p = self.carry(path, "--format", "json")
        if p.returncode != 0:
            self.err("%s: carry blame --format json exited %d: %s" % (
                path, p.returncode, p.stderr.decode("utf-8", "replace").strip()[:300]))
            return 0
        try:
            got = json.loads(p.stdout.decode("utf-8"))
        except ValueError as e:
            self.err("%s: carry blame --format json is not UTF-8 JSON: %s" % (path, e))
            return 0
        shape = shape_errors(got, path)
        for e in shape[:10]:
            self.err(e)
        if shape:
            return 0
        if dump is not None:
            dump.write("%s\n%s\n" % (json.dumps(path), json.dumps(got, sort_keys=True)))
        if len(got) != len(want):
            self.err("%s: carry gives %d lines, git blame %d" % (path, len(got), len(want)))
        src = data.split(b"\n")
        bad = 0
        for i, (w, g) in enumerate(zip(want, got)):
            if w["commit"] != g["commit"]:
                bad += 1
                if bad <= 5:
                    self.err("%s:%d: expected %s (%s), got %s (%s)   | %r" % (
                        path, i + 1, w["commit"], self.subject(w["commit"]),
                        g["commit"], self.subject(g["commit"]),
                        src[i].decode("utf-8", "replace")[:60]))
        if bad > 5:
            self.err("%s: ... %d lines differ in all (of %d)" % (path, bad, len(want)))
        agree = len(want) - bad if len(got) == len(want) else 0
        if path in self.a.identity:
            self.identity(path, got, want)
        self.text_output(path, n)
        return agree

    def identity(self, path, got, want):
        for i, (g, w) in enumerate(zip(got, want)):
            if g["commit"] != w["commit"]:
                continue
            name, email, when = self.ident(g["commit"])
            if g["name"] != name or g["email"].lower() != email.lower() or g["time"] != when:
                self.err("%s:%d: identity %r <%s> %s, expected %r <%s> %s (git log -1 %%aN %%aE %%at)"
                         % (path, i + 1, g["name"], g["email"], g["time"], name, email, when))

    def text_output(self, path, n):
        p = self.carry(path)
        if p.returncode != 0:
            self.err("%s: carry blame (text) exited %d: %s" % (
                path, p.returncode, p.stderr.decode("utf-8", "replace").strip()[:300]))
            return
        out = p.stdout
        if line_count(out) != n:
            self.err("%s: carry blame (text) printed %d lines for a file of %d" % (path, line_count(out), n))
        for raw, what in UNSAFE.items():
            if raw in out:
                at = out.index(raw)
                self.err("%s: carry blame (text) prints a raw %s: %r" % (
                    path, what, out[max(0, at - 30):at + 30]))

    def run(self):
        a = self.a
        dump = open(a.dump, "w", encoding="utf-8", errors="surrogateescape") if a.dump else None
        files = lines = agree = 0
        seen = set()
        for mode, oid, path in head_files(a.repo):
            if mode not in ("100644", "100755"):
                continue
            data = git(a.repo, "cat-file", "blob", oid)
            if b"\0" in data:
                self.binary(path)
                continue
            seen.add(path)
            files += 1
            lines += line_count(data)
            agree += self.text(path, data, dump)
        for p in a.identity:
            if p not in seen:
                self.err("%s: not a text file at HEAD (identity check)" % p)
        if dump:
            dump.close()
        if files < a.min_files:
            self.err("only %d text files at HEAD, expected at least %d" % (files, a.min_files))
        print("%s: %d text files, %d lines, %d lines agree with git blame%s" % (
            a.label, files, lines, agree, "" if self.errors else " (100%)"))
        return 1 if self.errors else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--carry", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--label", default="blame")
    ap.add_argument("--identity", action="append", default=[])
    ap.add_argument("--dump")
    ap.add_argument("--min-files", type=int, default=1)
    a = ap.parse_args()
    a.repo = os.path.abspath(a.repo)
    sys.exit(Check(a).run())


main()
