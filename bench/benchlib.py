"""Helpers the benchmark scripts share: timing a command with its peak
RSS, running git, and listing the text files at HEAD."""
import os
import subprocess
import sys
import threading
import time


def run_timed(cmd, env=None, cwd=None):
    """Runs cmd with stdout and stderr to /dev/null; returns (seconds, peak
    RSS in KiB of that child).  fork + wait4: only the child is measured."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        err = os.dup(2)
        try:
            if cwd:
                os.chdir(cwd)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.execvpe(cmd[0], cmd, env or os.environ)
        except BaseException as e:  # never return into the parent's code
            try:
                os.write(err, ("bench: cannot run %s: %s\n" % (cmd[0], e)).encode())
            finally:
                os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed with status {os.waitstatus_to_exitcode(status)}")
    return elapsed, ru.ru_maxrss


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], capture_output=True, check=True).stdout


def text_files(repo):
    """[(path, lines)] of the regular text files at HEAD."""
    entries = []
    for rec in git(repo, "ls-tree", "-r", "-z", "HEAD").split(b"\0"):
        if not rec:
            continue
        meta, path = rec.split(b"\t", 1)
        mode, typ, oid = meta.split(b" ")
        if typ == b"blob" and mode in (b"100644", b"100755"):
            entries.append((oid, path))
    if not entries:
        return []
    p = subprocess.Popen(["git", "-C", repo, "cat-file", "--batch"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    feed = b"".join(oid + b"\n" for oid, _ in entries)
    writer = threading.Thread(target=lambda: (p.stdin.write(feed), p.stdin.close()))
    writer.start()
    out = []
    for oid, path in entries:
        header = p.stdout.readline().split()
        if len(header) != 3:
            sys.exit("bench: git cat-file --batch: unexpected %r" % header)
        data = p.stdout.read(int(header[2]))
        p.stdout.read(1)
        if b"\0" in data[:8000]:
            continue
        n = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
        out.append((os.fsdecode(path), n))
    writer.join()
    p.wait()
    return out
