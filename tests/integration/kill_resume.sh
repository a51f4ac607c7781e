# Crash safety: a scan killed with SIGKILL at many points (small batches,
# CARRY_SCAN_BATCH=7) always leaves a database that passes `carry check`,
# and resuming until a scan completes gives exactly the facts of one
# uninterrupted scan.
. "$TESTLIB"
setup_env

REPO="$SCRATCH/generated"
MIN_KILLS=15
COMMITS=1500

# --- a generated history, fast: one git fast-import stream ----------------
# ~1500 commits on main by 7 authors over 40 files (edits, appends, a few
# renames and deletions), plus feature branches merged with --no-ff.
mkrepo "$REPO"
"$PYTHON" - "$COMMITS" >"$SCRATCH/stream.fi" <<'PYEOF'
import sys

N = int(sys.argv[1])
state = 12345


def rnd(n):
    # a fixed LCG: the same stream on every machine and Python version
    global state
    state = (state * 1103515245 + 12345) % 2147483648
    return (state >> 8) % n


AUTHORS = [
    ("Alice Anders", "alice@example.com", "+0100"),
    ("Bob Builder", "bob@example.com", "+0000"),
    ("José Müller", "jose@example.com", "+0200"),
    ("山田太郎", "yamada@example.jp", "+0900"),
    ("Zoë", "zoe@example.org", "-0500"),
    ("Carol Smith", "Carol@Example.com", "+0000"),
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "+0000"),
]
DIRS = ["src/core", "src/net", "src/ui", "lib", "docs", "tests"]
files = {}
for i in range(40):
    path = "%s/file%02d.%s" % (DIRS[i % len(DIRS)], i, "md" if i % 6 == 4 else "c")
    files[path] = ["%s line %d" % (path, k) for k in range(1, 31 + i % 7)]

out = sys.stdout.buffer
t0 = 1577872800  # 2020-01-01T10:00:00Z
mark = 0
commit_no = 0


def data(b):
    out.write(b"data %d\n" % len(b))
    out.write(b)
    out.write(b"\n")


def blob_line(path, lines):
    out.write(b"M 100644 inline " + path.encode() + b"\n")
    data(("\n".join(lines) + "\n").encode())


def header(ref, who, t, msg, cdelay=0):
    global mark
    mark += 1
    name, email, tz = AUTHORS[who]
    out.write(b"commit " + ref.encode() + b"\n")
    out.write(b"mark :%d\n" % mark)
    out.write(("author %s <%s> %d %s\n" % (name, email, t, tz)).encode())
    out.write(("committer %s <%s> %d %s\n" % (name, email, t + cdelay, tz)).encode())
    data(msg.encode())
    return mark


def edit(lines, tag):
    op = rnd(4)
    if op == 0 or len(lines) < 5:
        lines.append("appended %s" % tag)
    elif op == 1:
        lines[rnd(len(lines))] = "changed %s" % tag
    elif op == 2:
        k = rnd(len(lines))
        del lines[k]
        lines.insert(rnd(len(lines)), "moved %s" % tag)
    else:
        k = rnd(len(lines) - 3)
        lines[k:k + 3] = ["block %s a" % tag, "block %s b" % tag]
    if len(lines) > 120:
        del lines[:20]


main_tip = None
feature = 0
while commit_no < N:
    commit_no += 1
    t = t0 + commit_no * 3 * 3600 + rnd(3600)
    who = rnd(len(AUTHORS))
    msg = "Change %d\n\nGenerated for the kill/resume test.\n" % commit_no
    if commit_no % 97 == 0:
        msg += "\nCo-authored-by: Claude <noreply@anthropic.com>\n"
    m = header("refs/heads/main", who, t, msg)
    if main_tip is not None:
        out.write(b"from :%d\n" % main_tip)
    if main_tip is None:
        for p in sorted(files):
            blob_line(p, files[p])
    else:
        r = rnd(100)
        if r == 0 and len(files) > 20:
            # a rename with an edit
            old = sorted(files)[rnd(len(files))]
            new = old.replace("file", "renamed%d_" % commit_no)
            files[new] = files.pop(old)
            out.write(b"D " + old.encode() + b"\n")
            files[new][0] = "renamed header %d" % commit_no
            blob_line(new, files[new])
        elif r == 1 and len(files) > 20:
            old = sorted(files)[rnd(len(files))]
            del files[old]
            out.write(b"D " + old.encode() + b"\n")
        else:
            for _ in range(1 + rnd(3)):
                p = sorted(files)[rnd(len(files))]
                edit(files[p], "c%d" % commit_no)
                blob_line(p, files[p])
    main_tip = m
    if commit_no % 150 == 75:
        # a feature branch of 4 commits in its own directory, merged --no-ff
        feature += 1
        fork = main_tip
        tip = fork
        fdir = "features/f%d" % feature
        flines = {}
        for j in range(4):
            commit_no += 1
            t = t0 + commit_no * 3 * 3600
            tip2 = header("refs/heads/feature%d" % feature, rnd(len(AUTHORS)), t,
                          "Feature %d part %d\n" % (feature, j + 1), cdelay=600)
            out.write(b"from :%d\n" % tip)
            p = "%s/part%d.c" % (fdir, j % 2)
            flines.setdefault(p, ["%s line %d" % (p, k) for k in range(1, 21)])
            edit(flines[p], "f%d.%d" % (feature, j))
            blob_line(p, flines[p])
            tip = tip2
        commit_no += 1
        t = t0 + commit_no * 3 * 3600
        m = header("refs/heads/main", 1, t, "Merge branch 'feature%d'\n" % feature)
        out.write(b"from :%d\nmerge :%d\n" % (main_tip, tip))
        for p in sorted(flines):
            blob_line(p, flines[p])
            files[p] = flines[p]
        main_tip = m
out.write(b"done\n")
PYEOF
git -C "$REPO" fast-import --quiet --done <"$SCRATCH/stream.fi" || fail "git fast-import failed"
git -C "$REPO" symbolic-ref HEAD refs/heads/main
git -C "$REPO" reset -q --hard
_total=$(git -C "$REPO" rev-list --count HEAD)
_merges=$(git -C "$REPO" rev-list --count --merges HEAD)
[ "$_total" -ge "$COMMITS" ] || fail "generated repository has only $_total commits"
[ "$_merges" -ge 5 ] || fail "generated repository has only $_merges merges"
note "generated $_total commits ($_merges merges)"

# --- reference: one clean scan into A --------------------------------------
A="$SCRATCH/a.db"
B="$SCRATCH/b.db"
_t0=$(date +%s%N)
LAST_CMD="carry --db $A scan --full"
run "$CARRY" --db "$A" --repo "$REPO" scan --full --quiet
[ "$RC" = 0 ] || { show_last; fail "reference scan failed"; }
_t1=$(date +%s%N)
T_CLEAN=$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
assert_check_ok "$A" "reference"
assert_commits_are_history "$A" "$REPO"
assert_facts_match_git "reference scan" "$REPO" "$A"
CARRY_DB="$A" compare_authors "reference scan of the generated repository" "$REPO"
# The small batches make the scan slower; time one, as the kill delays
# are fractions of it.
_t0=$(date +%s%N)
LAST_CMD="CARRY_SCAN_BATCH=7 carry scan (timing)"
run env CARRY_SCAN_BATCH=7 "$CARRY" --db "$SCRATCH/timing.db" --repo "$REPO" scan --quiet
[ "$RC" = 0 ] || { show_last; fail "batched reference scan failed"; }
_t1=$(date +%s%N)
T_BATCH=$(awk -v a="$_t0" -v b="$_t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
assert_same_facts "$A" "$SCRATCH/timing.db" "a scan in batches of 7 differs from one in default batches"
note "clean scan ${T_CLEAN}s; with CARRY_SCAN_BATCH=7 ${T_BATCH}s"
# The facts do not depend on the number of diff threads either.
for _t in 1 3; do
	LAST_CMD="CARRY_THREADS=$_t carry scan"
	run env CARRY_THREADS=$_t "$CARRY" --db "$SCRATCH/threads$_t.db" --repo "$REPO" scan --quiet
	[ "$RC" = 0 ] || { show_last; fail "scan with CARRY_THREADS=$_t failed"; }
	assert_same_facts "$A" "$SCRATCH/threads$_t.db" "a scan with CARRY_THREADS=$_t differs from the default"
done

stored() {
	if [ -f "$B" ]; then
		sqlite3 -batch -noheader "$B" 'SELECT count(*) FROM commits;' 2>/dev/null || echo '?'
	else
		echo none
	fi
}

# --- kill -9 at many points, resume until a scan completes ---------------
# Delays are fractions of the batched scan's time (floor 0.02 s, ceiling
# 1 s), jumbled so kills land early, late and in between.  A round that
# ends with fewer than MIN_KILLS kills, or with no kill in either half of
# the history, is redone from an empty database with shorter delays; one
# where kills stop making progress lengthens them.
FRACTIONS="0.05 0.45 0.6 0.12 0.7 0.5 0.03 0.8 0.3 0.65 0.9 0.55 0.2 0.75 0.4 0.85 0.08 0.95 0.35 0.6"
SCALE=0.3
ROUND=0
HALF=$((_total / 2))
while :; do
	ROUND=$((ROUND + 1))
	[ "$ROUND" -le 6 ] || fail "could not interrupt the scan $MIN_KILLS times across the history in 6 rounds (last trace: $TRACE)"
	rm -f "$B" "$B-wal" "$B-shm" "$B-journal"
	KILLS=0
	ATTEMPTS=0
	STALLED=0
	LAST=none
	EARLY=0
	LATE=0
	TRACE=
	COMPLETED=0
	while [ "$COMPLETED" = 0 ]; do
		for _f in $FRACTIONS; do
			ATTEMPTS=$((ATTEMPTS + 1))
			[ "$ATTEMPTS" -le 400 ] || fail "scan never completed after 400 attempts (trace: $TRACE)"
			_delay=$(awk -v f="$_f" -v t="$T_BATCH" -v s="$SCALE" 'BEGIN {
				d = f * t * s; if (d < 0.02) d = 0.02; if (d > 1) d = 1; printf "%.3f", d }')
			CARRY_SCAN_BATCH=7 "$CARRY" --db "$B" --repo "$REPO" scan --quiet \
				>"$SCRATCH/kill.out" 2>"$SCRATCH/kill.err" &
			_pid=$!
			sleep "$_delay"
			kill -9 "$_pid" 2>/dev/null || true
			set +e
			wait "$_pid" 2>/dev/null
			_st=$?
			set -e
			if [ "$_st" = 0 ]; then
				COMPLETED=1
				TRACE="$TRACE done"
				break
			fi
			if [ "$_st" != 137 ]; then
				cat "$SCRATCH/kill.err" >&2
				fail "an interrupted-and-resumed scan exited $_st instead of completing or being killed"
			fi
			KILLS=$((KILLS + 1))
			if [ -f "$B" ]; then
				assert_check_ok "$B" "after kill $KILLS of round $ROUND (delay ${_delay}s)"
			fi
			_n=$(stored)
			TRACE="$TRACE $_n"
			case $_n in
			none | '?') EARLY=1 ;;
			*)
				if [ "$_n" -lt "$HALF" ]; then EARLY=1; else LATE=1; fi
				;;
			esac
			if [ "$_n" = "$LAST" ]; then
				STALLED=$((STALLED + 1))
			else
				STALLED=0
			fi
			LAST=$_n
			if [ "$STALLED" -ge 8 ]; then
				# kills land before the scan gets anywhere: wait longer
				SCALE=$(awk -v s="$SCALE" 'BEGIN { printf "%.4f", s * 1.5 }')
				STALLED=0
			fi
		done
	done
	note "round $ROUND (scale $SCALE): $KILLS kills; commits stored after each:$TRACE"
	if [ "$KILLS" -ge "$MIN_KILLS" ] && [ "$EARLY" = 1 ] && [ "$LATE" = 1 ]; then
		break
	fi
	SCALE=$(awk -v s="$SCALE" 'BEGIN { printf "%.4f", s / 2 }')
done

assert_check_ok "$B" "after the completing scan"
assert_same_facts "$A" "$B" "facts after $KILLS kills and resumes differ from a clean scan"
_head_a=$(sqlite3 -batch -noheader "$A" 'SELECT head FROM repos;')
_head_b=$(sqlite3 -batch -noheader "$B" 'SELECT head FROM repos;')
assert_eq "$_head_a" "$_head_b" "repos.head after resuming"
_target=$(sqlite3 -batch -noheader "$B" "SELECT coalesce(scan_target, '') FROM repos;")
assert_eq "" "$_target" "repos.scan_target after a completed scan"

# One more scan finds nothing to do and changes nothing.
LAST_CMD="carry --db $B scan (after completion)"
run "$CARRY" --db "$B" --repo "$REPO" scan
[ "$RC" = 0 ] || { show_last; fail "scan after completion failed"; }
assert_same_facts "$A" "$B" "a scan after completion changed facts"
CARRY_DB="$B" compare_authors "resumed database" "$REPO"
note "$KILLS kills, facts identical to a clean scan"
