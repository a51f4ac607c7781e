#!/usr/bin/env python3
"""Benchmark for the dashboard (issue 6): on an already-scanned repository,
the time from launch to the first frame, key press to finished frame, and
peak memory, replaying a scripted key sequence in a real pseudo-terminal.

usage: bench/dashboard_bench.py --repo DIR --db FILE [--at TIME] [--runs N]
                                [--size 80x24] [--carry PATH]

DIR must have been scanned into FILE.  carry runs in a pty of the given
size with $CARRY_TUI_TRACE set: it writes the monotonic time of its first
frame (the tree, the top line, the pager; the history then loads on a
second thread), of the frame with the history loaded (panes, badges) and, for each key, when it read the key and when the frame it caused
(badges included) was on screen; keys that change nothing draw nothing
and are not counted.  The launch time is taken here just before
fork, on the same clock.  Each key is sent only after the previous frame is
finished, as a person would.  Peak RSS is the child's (wait4).  Next to
them, `git log -1` and `git ls-files | wc -l` run side by side as the floor
of starting a process on this repository.
Targets: first frame under 200 ms, key to frame p99 under 20 ms, under 200 MiB.
"""
import argparse, fcntl, os, pty, select, statistics, struct, subprocess, sys, termios, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import run_timed  # noqa: E402

# Browsing the tree and every pane, the window, sort, filter, search, a
# person, help; what an engineer does in the first minute.
KEYS = (["j"] * 12 + ["l", "j", "j", "l", "j", "h", "h"] + ["2", "3", "4", "5", "1", "\t"] +
        ["w", "w", "w", "w", "w"] + ["1", "l", "j", "\r", "\x1b", "h"] +
        ["s", "s", "s", "f", "a", "\r", "f", "\x7f", "\r"] +
        ["/", "s", "r", "c", "\r", "n", "n", "N", "\x1b"] +
        ["?", "j", "?"] + ["k"] * 10 + ["G", "g"] + ["\x1b[B"] * 10 + ["\x1b[6~", "\x1b[5~"])


def trace_lines(path, what):
    try:
        with open(path) as f:
            return [l for l in f.read().splitlines() if l.startswith(what)]
    except FileNotFoundError:
        return []


def wait_for(path, what, count, drain, timeout=60.0):
    """Waits until the trace holds `count` lines starting with `what`,
    reading the terminal's output meanwhile (carry would block on a full
    pty)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        lines = trace_lines(path, what)
        if len(lines) >= count:
            return lines
        drain()
        time.sleep(0.001)
    sys.exit(f"bench: no '{what}' #{count} in the trace within {timeout}s")


def one_run(a, rows, cols):
    trace = f"/tmp/carry-dash-bench-{os.getpid()}.trace"
    if os.path.exists(trace):
        os.unlink(trace)
    env = dict(os.environ, CARRY_TUI_TRACE=trace, TERM="xterm-256color", LC_ALL="C.UTF-8")
    cmd = [a.carry, "--repo", a.repo, "--db", a.db] + (["--at", a.at] if a.at else [])
    start = time.monotonic_ns()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(cmd[0], cmd, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def drain():
        while select.select([fd], [], [], 0)[0]:
            try:
                if not os.read(fd, 65536):
                    return
            except OSError:
                return

    first = int(wait_for(trace, "first_frame", 1, drain)[0].split()[1])
    badges = int(wait_for(trace, "world", 1, drain)[0].split()[1])
    frames = []
    n = 0
    for k in KEYS:
        drain()
        os.write(fd, k.encode())
        lines = wait_for(trace, "key", n + 1, drain)
        for l in lines[n:]:
            _, key, t0, t1, drawn = l.split()
            if drawn == "1":
                frames.append(((int(t1) - int(t0)) / 1e6, describe(k)))
        n = len(lines)
    os.write(fd, b"q")
    drain()
    _, status, ru = os.wait4(pid, 0)
    os.close(fd)
    os.unlink(trace)
    return (first - start) / 1e6, (badges - start) / 1e6, frames, ru.ru_maxrss / 1024


def describe(k):
    names = {"\r": "Enter", "\t": "Tab", "\x1b": "Esc", "\x7f": "Backspace", "\x1b[B": "Down",
             "\x1b[6~": "PgDn", "\x1b[5~": "PgUp"}
    return names.get(k, k)


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--at", default=None)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--size", default="80x24")
    ap.add_argument("--carry", default=os.path.join(HERE, "..", "build", "carry"))
    a = ap.parse_args()
    cols, rows = (int(x) for x in a.size.split("x"))
    firsts, badges, frames, rss, gitlog, gitls = [], [], [], [], [], []
    for _ in range(a.runs):
        f, b, fr, r = one_run(a, rows, cols)
        firsts.append(f)
        badges.append(b)
        frames += fr
        rss.append(r)
        gitlog.append(run_timed(["git", "-C", a.repo, "log", "-1"])[0] * 1e3)
        gitls.append(run_timed(["sh", "-c", f"git -C '{a.repo}' ls-files | wc -l"])[0] * 1e3)
    commits = subprocess.run(["git", "-C", a.repo, "rev-list", "--count", "HEAD"], capture_output=True,
                             text=True).stdout.strip()
    files = subprocess.run(["git", "-C", a.repo, "ls-tree", "-r", "--name-only", "HEAD"],
                           capture_output=True, text=True).stdout.count("\n")
    print(f"repository: {a.repo} ({commits} commits, {files} files), {a.size}, {a.runs} runs, "
          f"{len(KEYS)} keys each")
    print(f"first frame        median {statistics.median(firsts):7.1f} ms  max {max(firsts):7.1f} ms"
          f"   (target < 200 ms)")
    print(f"history loaded     median {statistics.median(badges):7.1f} ms  max {max(badges):7.1f} ms")
    ms = [f for f, _ in frames]
    print(f"key to frame       median {statistics.median(ms):7.2f} ms  p99 {p99(ms):7.2f} ms"
          f"  max {max(ms):7.2f} ms over {len(ms)} frames   (target p99 < 20 ms)")
    print(f"peak RSS           max {max(rss):7.1f} MiB   (target < 200 MiB)")
    print(f"git log -1         median {statistics.median(gitlog):7.1f} ms;  git ls-files | wc -l "
          f"median {statistics.median(gitls):7.1f} ms")
    slow = sorted(frames)[-8:]
    print("slowest frames:", ", ".join(f"{k} {x:.1f} ms" for x, k in slow))


if __name__ == "__main__":
    main()
