"""Writes a random history full of renames into a new git repository, for
rename_oracle.sh: files moved with edits on both sides of git's 50% and
75% similarity thresholds, split in two, merged from identical twins,
emptied, converted to CRLF, stripped of their final newline, given long
lines (git hashes 64-byte chunks) and repeated lines, moved on side
branches that are merged back (sometimes with an edit in the merge).

usage: rename_history.py REPO SEED [COMMITS]

Everything follows from SEED: the same seed gives the same commits.
"""
import random
import subprocess
import sys

WORDS = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
         "omicron pi rho sigma tau upsilon phi chi psi omega return if else while for "
         "int char static void struct const buf len size err").split()
COMMON = ("}", "", "\t}", "#include <stdio.h>", "\treturn 0;", "/* ---- */", "{")
DIRS = ("a", "b", "c", "a/deep", "lib", "src/net", "dir \u00fc")
BASES = ("util.c", "main.c", "README", "Makefile", "config.h", "x.txt")
PEOPLE = (("Ada", "ada@example.com"), ("Bob", "bob@example.com"),
          ("Zo\u00eb", "zoe@example.com"), ("Mallory", "m@example.com"))


class History:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.files = {}       # path -> bytes, the branch being written
        self.out = []
        self.mark = 0
        self.time = 1_600_000_000
        self.serial = 0

    # ---- content ----
    def line(self):
        r = self.rng.random()
        if r < 0.25:
            return self.rng.choice(COMMON)
        if r < 0.35:  # longer than git's 64-byte chunks
            return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(14, 40)))
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(1, 7)))

    def text(self, n):
        return [self.line() for _ in range(n)]

    def mutate(self, lines, rate):
        out = []
        for ln in lines:
            r = self.rng.random()
            if r < rate / 3:
                continue                      # delete
            if r < 2 * rate / 3:
                out.append(self.line())       # replace
                continue
            out.append(ln)
            if r < rate:
                out.append(self.line())       # insert after
        return out

    def encode(self, lines, crlf=False, final_nl=True):
        if not lines:
            return b""
        eol = "\r\n" if crlf else "\n"
        s = eol.join(lines) + (eol if final_nl else "")
        return s.encode()

    def decode(self, data):
        if not data:
            return []
        s = data.decode().replace("\r\n", "\n")
        return s[:-1].split("\n") if s.endswith("\n") else s.split("\n")

    def new_path(self, like=None):
        d = self.rng.choice(DIRS)
        if like is not None and self.rng.random() < 0.5:
            base = like.rsplit("/", 1)[-1]
        elif self.rng.random() < 0.5:
            base = self.rng.choice(BASES)
        else:
            self.serial += 1
            base = "f%d.c" % self.serial
        p = "%s/%s" % (d, base)
        return None if p in self.files else p

    def pick(self, pred=lambda p, d: True):
        c = sorted(p for p, d in self.files.items() if pred(p, d))
        return self.rng.choice(c) if c else None

    # ---- operations: each returns {path: bytes or None (deleted)} ----
    def op_modify(self):
        p = self.pick(lambda p, d: b"\0" not in d)
        if p:
            return {p: self.encode(self.mutate(self.decode(self.files[p]), self.rng.choice((0.1, 0.3))))}
        return {}

    def op_move(self):
        p = self.pick(lambda p, d: b"\0" not in d)
        q = self.new_path(p) if p else None
        if not q:
            return {}
        rate = self.rng.choice((0, 0.05, 0.2, 0.35, 0.45, 0.5, 0.55, 0.6, 0.7, 0.9))
        lines = self.mutate(self.decode(self.files[p]), rate)
        crlf = self.rng.random() < 0.15
        final_nl = self.rng.random() > 0.15
        return {p: None, q: self.encode(lines, crlf, final_nl)}

    def op_split(self):
        p = self.pick(lambda p, d: b"\0" not in d and d.count(b"\n") >= 8)
        if not p:
            return {}
        lines = self.decode(self.files[p])
        cut = len(lines) * self.rng.choice((3, 5, 7)) // 10
        q1, q2 = self.new_path(p), self.new_path()
        if not q1 or not q2 or q1 == q2:
            return {}
        return {p: None,
                q1: self.encode(self.mutate(lines[:cut + 2], 0.1) + self.text(2)),
                q2: self.encode(self.text(1) + self.mutate(lines[cut - 2:], 0.1))}

    def op_twin(self):  # an identical copy now, so a later commit can drop both
        p = self.pick()
        q = self.new_path(p) if p else None
        return {q: self.files[p]} if q else {}

    def op_join_twins(self):  # drop identical files, add one like them
        by = {}
        for p, d in sorted(self.files.items()):
            by.setdefault(d, []).append(p)
        groups = [g for g in by.values() if len(g) >= 2]
        if not groups:
            return {}
        g = self.rng.choice(groups)
        q = self.new_path(self.rng.choice(g))
        if not q:
            return {}
        ch = {p: None for p in g}
        ch[q] = self.files[g[0]]
        return ch

    def op_add(self):
        q = self.new_path()
        if not q:
            return {}
        r = self.rng.random()
        if r < 0.1:
            return {q: b""}
        if r < 0.15:
            return {q: bytes(self.rng.randrange(256) for _ in range(200)) + b"\0"}
        return {q: self.encode(self.text(self.rng.randint(3, 40)))}

    def op_delete(self):
        p = self.pick()
        return {p: None} if p and len(self.files) > 12 else {}

    OPS = (("op_modify", 4), ("op_move", 6), ("op_split", 2), ("op_twin", 1),
           ("op_join_twins", 1), ("op_add", 2), ("op_delete", 1))

    def changes(self, n):
        ch = {}
        names = [o for o, w in self.OPS for _ in range(w)]
        for _ in range(n):
            c = getattr(self, self.rng.choice(names))()
            if any(p in ch for p in c):
                continue
            ch.update(c)
            self.apply(c)
        return ch

    def apply(self, ch):
        for p, d in ch.items():
            if d is None:
                self.files.pop(p, None)
            else:
                self.files[p] = d

    # ---- fast-import ----
    def commit(self, ch, msg, parents=(), person=None):
        self.mark += 1
        self.time += 3600
        name, email = person or self.rng.choice(PEOPLE)
        ident = "%s <%s> %d +0000" % (name, email, self.time)
        m = msg.encode()
        self.out.append(b"commit refs/heads/main\nmark :%d\n" % self.mark)
        self.out.append(("author %s\ncommitter %s\n" % (ident, ident)).encode())
        self.out.append(b"data %d\n%s\n" % (len(m), m))
        for i, par in enumerate(parents):
            self.out.append(b"%s :%d\n" % (b"from" if i == 0 else b"merge", par))
        for p, d in sorted(ch.items(), key=lambda kv: kv[1] is not None):
            if d is None:
                self.out.append(b"D %s\n" % p.encode())
            else:
                self.out.append(b"M 100644 inline %s\ndata %d\n%s\n" % (p.encode(), len(d), d))
        return self.mark


def build(repo, seed, commits):
    h = History(seed)
    init = {}
    for _ in range(18):
        q = h.new_path()
        if q and q not in init:
            init[q] = h.encode(h.text(h.rng.randint(6, 60)))
            h.files[q] = init[q]
    tip = h.commit(init, "initial")
    i = 0
    while i < commits:
        if h.rng.random() < 0.12:
            # a side branch from here: its commits, main's, then a merge
            fork, base = tip, dict(h.files)
            side_tip = fork
            for k in range(h.rng.randint(1, 3)):
                ch = h.changes(h.rng.randint(1, 3))
                side_tip = h.commit(ch, "side %d.%d" % (i, k), parents=(side_tip,))
            side = dict(h.files)
            h.files = dict(base)
            touched = {p for p in set(base) | set(side) if base.get(p) != side.get(p)}
            main_tip = fork
            for k in range(h.rng.randint(0, 2)):
                before = dict(h.files)
                ch = h.changes(2)
                if not ch or set(ch) & touched:  # main stays off the side's files
                    h.files = before
                    continue
                main_tip = h.commit(ch, "main %d.%d" % (i, k), parents=(main_tip,))
            # the merge: main's files with the side's changes on top
            merged = dict(h.files)
            for p in touched:
                if side.get(p) is None:
                    merged.pop(p, None)
                else:
                    merged[p] = side[p]
            ch = {p: merged.get(p) for p in set(h.files) | set(merged) if h.files.get(p) != merged.get(p)}
            h.files = merged
            if h.rng.random() < 0.3:  # an edit made in the merge itself
                ch.update(h.op_modify())
                h.apply(ch)
            tip = h.commit(ch, "merge %d" % i, parents=(main_tip, side_tip))
            i += 1
            continue
        ch = h.changes(h.rng.randint(1, 4))
        if ch:
            tip = h.commit(ch, "change %d" % i, parents=(tip,))
        i += 1
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    subprocess.run(["git", "-C", repo, "fast-import", "--quiet"], input=b"".join(h.out), check=True)
    subprocess.run(["git", "-C", repo, "reset", "-q", "--hard", "main"], check=True)


if __name__ == "__main__":
    build(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 80)
