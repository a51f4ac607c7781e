# carry demo: the world it builds has the properties it advertises, with
# git itself (and the import files, read by Python's csv module) as the
# oracle: size, span, people, mailmap, merges, renames, bots, AI trailers,
# a stale CODEOWNERS entry, hostile subjects, rotations with a pager gap
# and one with no pager, incidents after drive-bys.  carry imports every
# file; the build is deterministic for (seed, scale, --at) and rebuilds in
# place, but refuses a directory it did not make.
. "$TESTLIB"
setup_env

NOW=2026-11-20T00:00:00Z
export CARRY_NOW="$NOW"
NOW_S=$(date -u -d "$NOW" +%s)
A="$SCRATCH/a"
REPO="$A/repo"
g() { git -C "$REPO" "$@"; }
at_least() { # MIN ACTUAL WHAT
	[ "$2" -ge "$1" ] || fail "$3: expected at least $1, got $2"
}

note "building the demo world"
carry_ok demo --no-tui "$A"
cp "$OUT" "$SCRATCH/report.txt"
cp "$ERR" "$SCRATCH/progress.txt"
assert_file_has "$SCRATCH/progress.txt" "demo: wrote"
for f in roster.csv services.csv incidents.csv payments-primary.ics mobile-oncall.ics \
	reporting-ops.ics carry.db; do
	[ -s "$A/$f" ] || fail "the demo did not write $A/$f"
done

# --- the repository, with git as the oracle ---------------------------

[ "$(g symbolic-ref HEAD)" = refs/heads/main ] || fail "HEAD is not main"
[ -z "$(g status --porcelain)" ] || fail "the worktree is not clean: $(g status --porcelain | head -n 5)"
fsck=$(g fsck --no-progress 2>&1) || fail "git fsck failed: $fsck"
[ -z "$fsck" ] || fail "git fsck reports: $(printf '%s\n' "$fsck" | head -n 5)"

COMMITS=$(g rev-list --count HEAD)
at_least 3000 "$COMMITS" "commits"
first=$(g log --reverse --format=%at | head -n 1)
last=$(g log -1 --format=%at)
at_least $((3 * 365 * 86400)) $((last - first)) "seconds between the first and the last commit"
[ "$last" -lt "$NOW_S" ] || fail "the last commit ($last) is not before --at ($NOW_S)"
at_least $((NOW_S - 2 * 86400)) "$last" "time of the last commit"
g log --first-parent --reverse --format=%at >"$SCRATCH/main-times"
awk 'NR > 1 && $1 <= prev { print NR ": " prev " then " $1; bad = 1 } { prev = $1 }
	END { exit bad }' "$SCRATCH/main-times" >&2 || fail "author dates do not increase along main"

g log --use-mailmap --format=%aE | LC_ALL=C sort -u >"$SCRATCH/mapped"
g log --format=%ae | LC_ALL=C sort -u >"$SCRATCH/raw"
at_least 30 "$(count_lines "$SCRATCH/mapped")" "distinct mailmap-resolved authors"
at_least 2 "$(LC_ALL=C comm -23 "$SCRATCH/raw" "$SCRATCH/mapped" | wc -l)" \
	"raw author emails that .mailmap maps to another identity"
g log --use-mailmap --format=%aN | grep -q 'José Núñez' || fail "no commit by José Núñez (mailmap-resolved)"
g log --format=%an | grep -q 'Jose Nunez' || fail "no commit under José's old name"
g log --format=%an | grep -q '山田太郎' || fail "no commit by 山田太郎"

at_least 20 "$(g rev-list --merges --count HEAD)" "merge commits"
side=$((COMMITS - $(g rev-list --first-parent --count HEAD)))
at_least $((COMMITS * 5 / 100)) "$side" "commits on feature branches (5% of $COMMITS)"

g log -M --diff-filter=R --name-status --format= >"$SCRATCH/renames"
at_least 10 "$(grep -c '^R' "$SCRATCH/renames")" "renames"
at_least 3 "$(grep -c "$(printf 'services/indexer/.*\tservices/search/indexer/')" "$SCRATCH/renames")" \
	"files of the directory renamed from services/indexer to services/search/indexer"
at_least 5 "$(g log --diff-filter=D --name-only --format= | grep -c .)" "deleted files"
at_least 100 "$(g log --diff-filter=A --name-only --format= | grep -c .)" "created files"
at_least 200 "$(g ls-files | wc -l)" "files at HEAD"

at_least 2 "$(g log --format=%an | grep '\[bot\]' | LC_ALL=C sort -u | wc -l)" "bots"
g log --author='\[bot\]' --name-only --format= >"$SCRATCH/bot-files"
for f in go.mod go.sum package.json requirements.txt; do
	grep -q "/$f\$" "$SCRATCH/bot-files" || fail "no bot bumped a $f"
done
at_least 50 "$(g log --format=%B | grep -cE '^(Co-authored-by: (Claude|GitHub Copilot|Codex)|Co-Authored-By: Claude|Generated-by: Cursor|Assisted-by: )')" \
	"AI-assistance trailers"

ESC=$(printf '\033')
RLO=$(printf '\342\200\256')
g log --format='%H %s' | grep -F "$ESC" >"$SCRATCH/esc" || fail "no subject with an escape sequence"
g log --format=%s | grep -qF "$RLO" || fail "no subject with U+202E"
g show HEAD:docs/onboarding/café-setup.md >/dev/null || fail "no file with a non-ASCII name"

# --- import files, people and the story, read with Python -------------

"$PYTHON" - "$A" "$NOW_S" <<'EOF' || fail "the demo's on-call files do not tell the story"
import csv, re, subprocess, sys
from datetime import datetime, timezone

d, now = sys.argv[1], int(sys.argv[2])
repo = d + "/repo"
DAY = 86400

def git(*a):
    return subprocess.run(["git", "-C", repo, *a], check=True, capture_output=True).stdout.decode()

def fail(m):
    print("FAIL [demo_world]: " + m, file=sys.stderr)
    sys.exit(1)

def at_least(n, v, what):
    if v < n:
        fail(f"{what}: expected at least {n}, got {v}")

def day(s):
    return int(datetime.strptime(s[:10], "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp())

def iso(s):
    return int(datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())

roster = list(csv.DictReader(open(d + "/roster.csv", encoding="utf-8", newline="")))
humans = [r for r in roster if r["is_bot"] != "true"]
email_of = lambda r: r["emails"].split(";")[0].lower()
person = {e.lower(): r for r in roster for e in r["emails"].split(";") if e}
handles = {h.lower(): r for r in roster for h in r["handles"].split(";") if h}
teams = {r["team"].lower() for r in roster if r["team"]}
at_least(30, len(humans), "people on the roster")
if teams != {"payments", "platform", "search", "mobile", "data"}:
    fail(f"teams are {sorted(teams)}")
at_least(3, sum(1 for r in humans if re.search(r"[^\x00-\x7f]", r["name"])), "non-ASCII names")
if not any(re.search("[\u3040-\u9fff\uac00-\ud7af]", r["name"]) for r in humans):
    fail("no CJK name on the roster")

# Who committed when (mailmap-resolved), by email.
first, last = {}, {}
for line in git("log", "--use-mailmap", "--format=%aE\t%at").splitlines():
    e, t = line.split("\t")
    e, t = e.lower(), int(t)
    first[e] = min(first.get(e, t), t)
    last[e] = max(last.get(e, 0), t)
start = min(first.values())
left = [r for r in humans if r["left_on"]]
at_least(3, len(left), "people who left")
for r in left:
    e = email_of(r)
    if e not in last:
        fail(f"{e} left but never committed")
    if last[e] >= day(r["left_on"]):
        fail(f"{e} left on {r['left_on']} but committed after")
joiners = [r for r in humans if r["joined_on"] and day(r["joined_on"]) > start]
at_least(3, len(joiners), "people who joined during the history")
for r in joiners:
    if email_of(r) in first and first[email_of(r)] < day(r["joined_on"]):
        fail(f"{email_of(r)} committed before joining on {r['joined_on']}")
at_least(30, sum(1 for r in humans if email_of(r) in first), "roster people with commits")
outsiders = [e for e in first if e not in person and "[bot]" not in e]
at_least(2, len(outsiders), "authors not on the roster (contractors)")

# CODEOWNERS: a rule names a team the roster lacks or a person who left.
owners = [tok for line in git("show", "HEAD:.github/CODEOWNERS").splitlines()
          if line.strip() and not line.lstrip().startswith("#") for tok in line.split()[1:]]
at_least(10, len(owners), "CODEOWNERS owners")
stale = [o for o in owners if ("/" in o and o.split("/", 1)[1].lower() not in teams) or
         ("/" not in o and (o.lower() not in handles or handles[o.lower()]["left_on"]))]
at_least(1, len(stale), "stale CODEOWNERS owners")

# Services: globs that exist at HEAD, and files in no service.
services = list(csv.DictReader(open(d + "/services.csv", encoding="utf-8", newline="")))
files = git("ls-files").splitlines()
dirs = {r["path_glob"].strip("/") for r in services}
for s in dirs:
    if not any(f.startswith(s + "/") for f in files):
        fail(f"services.csv names {s}/, which HEAD does not have")
loose = [f for f in files if not any(f.startswith(s + "/") for s in dirs)]
if not any(f.startswith("tools/") for f in loose) or not any(f.startswith("docs/") for f in loose):
    fail("tools/ and docs/ should belong to no service")

# Calendars: a year of shifts for every rotation; one has nobody in the
# next 14 days; one is staffed by people who never write its code.
def shifts(path):
    text = open(path, encoding="utf-8", newline="").read().replace("\r\n ", "")
    out, cur = [], {}
    for line in text.split("\r\n"):
        if line == "BEGIN:VEVENT":
            cur = {}
        elif line.startswith(("DTSTART:", "DTEND:")):
            cur[line.split(":")[0]] = int(datetime.strptime(line.split(":")[1], "%Y%m%dT%H%M%SZ")
                                          .replace(tzinfo=timezone.utc).timestamp())
        elif line.startswith("ATTENDEE"):
            cur["email"] = line.split("mailto:")[1].lower()
        elif line == "END:VEVENT":
            out.append(cur)
    return out
rotations = {r["rotation"] for r in services}
cal = {rot: shifts(f"{d}/{rot}.ics") for rot in rotations}
no_pager = [rot for rot, sh in cal.items() if not any(s["DTSTART"] < now + 14 * DAY and s["DTEND"] > now for s in sh)]
if len(no_pager) != 1:
    fail(f"rotations without a shift in the next 14 days: {no_pager} (expected exactly one)")
for rot, sh in cal.items():
    for s in sh:
        if s["email"] not in person:
            fail(f"{rot}: {s['email']} is not on the roster")
    if rot in no_pager:
        continue
    if min(s["DTSTART"] for s in sh) > now - 250 * DAY or max(s["DTEND"] for s in sh) < now + 45 * DAY:
        fail(f"{rot}: shifts do not cover most of a year around --at")
gaps, own = [], 0
for s in services:
    members = {x["email"] for x in cal[s["rotation"]]}
    if members and all(person[m]["team"] == s["team"] for m in members):
        own += 1
    authors = {e.lower() for e in git("log", "--use-mailmap", "--format=%aE", "--", s["path_glob"].strip("/")).split()
               if "[bot]" not in e}
    if authors and not members & authors:
        gaps.append(s["service"])
at_least(5, own, "service rows whose rotation is staffed by the owning team")
at_least(1, len(gaps), "services whose rotation includes nobody who writes their code")

# Incidents: a year of them, one in the last week, several one to three
# days after a change by someone outside the owning team.
incidents = list(csv.DictReader(open(d + "/incidents.csv", encoding="utf-8", newline="")))
at_least(20, len(incidents), "incidents")
team_of = {s["service"]: s["team"] for s in services}
starts = [iso(i["started_at"]) for i in incidents]
if max(starts) > now or min(starts) < now - 366 * DAY:
    fail("incidents outside the year before --at")
at_least(1, sum(1 for t in starts if t >= now - 7 * DAY), "incidents in the last 7 days")
after_drive_by, ai = 0, 0
for i in incidents:
    t = iso(i["started_at"])
    for p in filter(None, i["paths"].split(";")):
        for line in git("log", "--use-mailmap", "--format=%H\t%aE\t%at", "--", p).splitlines():
            h, e, at = line.split("\t")
            who = person.get(e.lower())
            if t - 72 * 3600 <= int(at) <= t - 20 * 3600 and (who is None or who["team"] != team_of[i["service"]]):
                after_drive_by += 1
                body = git("show", "-s", "--format=%B", h)
                ai += bool(re.search(r"^(Co-authored-by: (Claude|GitHub Copilot|Codex)|Generated-by:)", body, re.M | re.I))
at_least(3, after_drive_by, "incidents one to three days after an outsider's change to their path")
at_least(1, ai, "of those, AI-assisted changes")
EOF

# --- carry took it all in ---------------------------------------------

DB="$A/carry.db"
assert_check_ok "$DB" "after carry demo"
carry_ok --db "$DB" people --format csv
at_least 30 $(($(count_lines "$OUT") - 1)) "people carry lists"
carry_ok --db "$DB" rotations --format csv
assert_eq 7 $(($(count_lines "$OUT") - 1)) "rotations carry lists"
carry_ok --db "$DB" incidents --format csv --since 2025-11-01
at_least 20 $(($(count_lines "$OUT") - 1)) "incidents carry lists"
assert_eq "$COMMITS" "$(sqlite3 "$DB" 'SELECT count(*) FROM commits;')" "commits carry scanned"

# The weekly report shows the last week's drive-by with an escape
# sequence in its subject, inert.
last_esc=$(head -n 1 "$SCRATCH/esc" | cut -c1-12)
grep -q "$last_esc" "$SCRATCH/report.txt" || fail "the weekly report does not show drive-by $last_esc"
if grep -qF "$ESC" "$SCRATCH/report.txt" || grep -qF "$RLO" "$SCRATCH/report.txt"; then
	fail "the weekly report prints raw control characters"
fi

# --- deterministic, rebuilt in place, careful with what is not its own --

note "building it again, and with another seed"
carry_ok --quiet demo --no-tui "$SCRATCH/b"
[ ! -s "$ERR" ] || fail "--quiet printed on stderr: $(head -n 3 "$ERR")"
HEAD_A=$(g rev-parse HEAD)
# The same world whatever compiled carry (random draws are never two
# arguments of one call: C leaves their order to the compiler), so the
# seed-1 world is pinned, not only compared with itself.
assert_eq bb22b77e6b05d939b7cb8898fdc4e08584cf6e6c "$HEAD_A" "HEAD of the seed-1 world"
assert_eq ebec8e507ff08d6ffc5cf227939ff358 "$(md5sum <"$A/incidents.csv" | cut -d' ' -f1)" \
	"md5 of the seed-1 incidents.csv"
assert_eq "$HEAD_A" "$(git -C "$SCRATCH/b/repo" rev-parse HEAD)" "HEAD of two builds with the same seed"
for f in roster.csv services.csv incidents.csv "$A"/*.ics; do
	f=$(basename "$f")
	assert_eq "$(md5sum <"$A/$f")" "$(md5sum <"$SCRATCH/b/$f")" "md5 of $f in two builds"
done
carry_ok --quiet demo --no-tui --seed 2 "$SCRATCH/c"
assert_ne "$HEAD_A" "$(git -C "$SCRATCH/c/repo" rev-parse HEAD)" "HEAD with --seed 2"

printf 'mine\n' >"$A/notes.txt"
printf 'damaged\n' >"$A/roster.csv"
g update-ref refs/heads/main "$(g rev-parse HEAD~5)"
carry_ok --quiet demo --no-tui "$A"
assert_eq "$(md5sum <"$SCRATCH/b/roster.csv")" "$(md5sum <"$A/roster.csv")" "roster.csv rebuilt in place"
assert_eq "$HEAD_A" "$(g rev-parse HEAD)" "HEAD after rebuilding in place"
assert_eq "mine" "$(cat "$A/notes.txt")" "a file of the user's next to the demo"
assert_check_ok "$DB" "after rebuilding in place"

mkdir -p "$SCRATCH/foreign"
mkrepo "$SCRATCH/foreign/repo"
printf 'x\n' >"$SCRATCH/foreign/repo/x"
git -C "$SCRATCH/foreign/repo" add x
git -C "$SCRATCH/foreign/repo" -c user.name=u -c user.email=u@x commit -qm x
FOREIGN=$(git -C "$SCRATCH/foreign/repo" rev-parse HEAD)
assert_exit 3 "$CARRY" --quiet demo --no-tui "$SCRATCH/foreign"
assert_one_line_stderr
assert_stderr_has "$SCRATCH/foreign/repo"
assert_eq "$FOREIGN" "$(git -C "$SCRATCH/foreign/repo" rev-parse HEAD 2>/dev/null)" \
	"HEAD of a repository carry demo did not make"
mkdir -p "$SCRATCH/taken"
printf 'person_id\n' >"$SCRATCH/taken/roster.csv"
assert_exit 3 "$CARRY" --quiet demo --no-tui "$SCRATCH/taken"
assert_one_line_stderr
assert_stderr_has "roster.csv"
assert_eq "person_id" "$(cat "$SCRATCH/taken/roster.csv")" "a roster.csv carry demo did not write"
note "ok: $COMMITS commits, head $HEAD_A"
