# The analyses on a hand-built world whose answers are known exactly, at
# the edges of each definition in DESIGN.md:
#   drive-bys  a change exactly 30 days before a shift (on the rotation:
#              not a drive-by) and one second earlier (no schedule data:
#              the rotation condition is skipped); the 3rd and 4th earlier
#              change in a directory; a bot; a renamed file;
#   gone       a roster member leaving the day of the query, one leaving
#              the day after, someone off the roster whose last commit is
#              exactly 180 days before;
#   orphans    a file with exactly 50% of its non-bot lines by people gone
#              (bot lines left out), no shift in the next 14 days;
#   owners     DOA followed through a rename, an un-owning CODEOWNERS rule,
#              truck factor with a tie, owner drift;
#   triage     ranking drive-by first, then churn; an incident by path list;
#   report     JSON, CSV and Markdown parsed back; hostile subjects escaped.
. "$TESTLIB"
setup_env
REPO="$SCRATCH/repo"
mkrepo "$REPO"
cd "$REPO"
T=2026-06-01T00:00:00Z
EVE="Ève Ødegård"
EVIL='=HYPERLINK("http://x")|[a](http://evil) <b>'

mkdir -p .github
printf '* @acme/ops\n/.github/ @alice\n/pay/ @acme/pay\n/web/ @carol\n/web/legacy/\n' >.github/CODEOWNERS
commit_as "Alice Ång" alice@example.com 2025-10-01T00:00:00Z "codeowners"
mkdir -p tools
printf 'a\nb\nc\n' >tools/t1.sh
commit_as "$EVE" eve@contractor.example 2025-11-01T10:00:00Z "$EVIL"
echo x >tools/t2.sh
commit_as "$EVE" eve@contractor.example 2025-11-02T10:00:00Z "t2"
echo y >tools/t3.sh
commit_as "$EVE" eve@contractor.example 2025-11-03T10:00:00Z "t3"
echo d >>tools/t1.sh
commit_as "$EVE" eve@contractor.example 2025-12-03T00:00:00Z "fourth change in tools"
mkdir -p pay web/legacy
seq 1 10 >pay/a.c
seq 11 15 >pay/b.c
commit_as "Alice Ång" alice@example.com 2026-01-10T00:00:00Z "payments"
seq 21 28 >web/x.js
seq 31 34 >web/legacy/old.js
commit_as "Carol Ünal" carol@example.com 2026-01-12T00:00:00Z "web"
printf 'c1\nc2\n' >pay/c.c
commit_as "Carol Ünal" carol@example.com 2026-01-20T00:00:00Z "carol in payments"
printf 'a1\na2\n' >>pay/c.c
commit_as "Alice Ång" alice@example.com 2026-01-21T00:00:00Z "alice in c"
seq 100 109 >>pay/c.c
commit_as "dependabot[bot]" "49699333+dependabot[bot]@users.noreply.github.com" 2026-01-22T00:00:00Z "bump"
# carol's web shift ended 2026-01-08: 30 days later to the second she is no
# longer on the rotation (shifts are half-open), one second before she is.
sed -i 1s/31/31a/ web/legacy/old.js
commit_as "Carol Ünal" carol@example.com 2026-02-06T23:59:59Z "legacy, still around the shift"
sed -i 2s/32/32a/ web/legacy/old.js
commit_as "Carol Ünal" carol@example.com 2026-02-07T00:00:00Z "legacy, 30 days after the shift"
mkdir -p web/app
git mv web/x.js web/app/x.js
commit_as "Bob" bob@example.com 2026-02-01T00:00:00Z "move x"
echo 16 >>pay/b.c
commit_as "Dave" dave@example.com 2026-03-31T23:59:59Z "dave one second early"
seq 201 205 >>pay/a.c
commit_as "Dave" dave@example.com 2026-04-01T00:00:00Z "dave on the rotation"
carry_ok scan --quiet

cat >"$SCRATCH/roster.csv" <<'CSV'
person_id,name,emails,team,joined_on,left_on,is_bot,handles
alice,Alice Ång,alice@example.com,pay,2025-01-01,,false,@alice
bob,Bob,bob@example.com,pay,2025-01-01,,false,@bob
carol,Carol Ünal,carol@example.com,web,2025-01-01,2026-06-01,false,@carol
dave,Dave,dave@example.com,ops,2025-01-01,,false,@dave
frank,Frank,frank@example.com,pay,2025-01-01,2026-06-02,false,@frank
CSV
cat >"$SCRATCH/services.csv" <<'CSV'
service,team,rotation,path_glob
platform,ops,,*
payments,pay,pay-primary,/pay/
web,web,web-primary,/web/
CSV
cat >"$SCRATCH/shifts.csv" <<'CSV'
rotation,email,starts_at,ends_at,level
pay-primary,dave@example.com,2026-05-01T00:00:00Z,2026-05-08T00:00:00Z,1
pay-primary,bob@example.com,2026-05-25T00:00:00Z,2026-06-08T00:00:00Z,1
web-primary,carol@example.com,2026-01-01T00:00:00Z,2026-01-08T00:00:00Z,1
CSV
cat >"$SCRATCH/incidents.csv" <<'CSV'
incident_id,title,service,severity,started_at,resolved_at,status,paths,url
INC-1,Payments down,payments,SEV1,2026-04-02T12:00:00Z,2026-04-02T13:00:00Z,resolved,,
INC-2,Tools broke,,SEV3,2025-12-04T00:00:00Z,,resolved,tools/,
INC-3,Payments slow,payments,SEV2,2026-05-30T00:00:00Z,,open,,
CSV
for kind in roster services shifts incidents; do
	carry_ok --quiet import $kind "$SCRATCH/$kind.csv"
done

# check NAME SCRIPT: runs Python on $OUT (parsed as JSON into `rows`).
check() {
	"$PYTHON" - "$OUT" "$1" <<PY || { show_last; fail "$1"; }
import csv, io, json, sys
text = open(sys.argv[1], encoding="utf-8").read()
try:
    rows = json.loads(text)
except ValueError:
    rows = None
$2
PY
}

# --- drive-bys ----------------------------------------------------------
carry_ok drive-bys --since 2025-01-01 --at $T --format json
check "drive-bys" '
got = [(r["path"], r["email"], r["earlier"], r["author_gone"], r["incidents"]) for r in rows]
want = [("pay/b.c", "dave@example.com", 0, False, ["INC-1"]),
        ("web/legacy/old.js", "carol@example.com", 2, True, None),
        ("web/app/x.js", "bob@example.com", 0, False, None),
        ("pay/c.c", "carol@example.com", 0, True, None),
        ("tools/t3.sh", "eve@contractor.example", 2, False, None),
        ("tools/t2.sh", "eve@contractor.example", 1, False, None),
        ("tools/t1.sh", "eve@contractor.example", 0, False, None)]
assert got == want, got
for r in rows:
    assert set(r) >= {"commit", "path", "name", "email", "time", "added", "deleted", "ai_assisted", "author_gone"}
assert rows[0]["time"] == "2026-03-31T23:59:59Z" and rows[0]["added"] == 1 and rows[0]["deleted"] == 0
'
# --min-changes 4: the fourth change in tools/ is a drive-by too.
carry_ok drive-bys tools --since 2025-01-01 --at $T --min-changes 4 --format json
check "min-changes 4" 'assert [r["time"] for r in rows][0] == "2025-12-03T00:00:00Z" and len(rows) == 4, rows'
# One day's window, and a PATH.
carry_ok drive-bys pay --since 2026-03-31 --until 2026-04-01T23:00:00Z --at $T --format json
check "window" 'assert [r["path"] for r in rows] == ["pay/b.c"], rows'

# --- orphans ------------------------------------------------------------
carry_ok orphans --at $T --format json
check "orphans" '
got = {r["path"]: (r["lines"], r["gone_share"], r["reasons"]) for r in rows}
want = {".github/CODEOWNERS": (5, 0.0, ["no_pager"]),
        "pay/c.c": (14, 0.5, ["authors_gone"]),
        "tools/t1.sh": (4, 0.0, ["no_pager"]),
        "tools/t2.sh": (1, 0.0, ["no_pager"]),
        "tools/t3.sh": (1, 0.0, ["no_pager"]),
        "web/app/x.js": (8, 1.0, ["authors_gone", "no_pager"]),
        "web/legacy/old.js": (4, 1.0, ["authors_gone", "no_pager"])}
assert got == want, got
'
# A second before carol leaves she is not gone; with 179 days eve is.
carry_ok orphans --at 2026-05-31T23:59:59Z --format json
check "orphans before leaving" '
assert "pay/c.c" not in [r["path"] for r in rows], rows
assert {r["path"]: r["reasons"] for r in rows}["web/app/x.js"] == ["no_pager"]
'
carry_ok orphans tools --at $T --gone-days 179 --format json
check "gone-days" 'assert all(r["reasons"] == ["authors_gone", "no_pager"] for r in rows) and len(rows) == 3, rows'
carry_ok orphans pay --at $T --gone-share 51 --format json
check "gone-share" 'assert rows == [], rows'
carry_ok orphans --dirs --at $T --format json
check "orphans dirs" '
got = {r["path"]: (r["lines"], r["orphaned_lines"], r["orphan_share"]) for r in rows}
assert got["pay"] == (35, 14, 0.4), got
assert got["web"] == (12, 12, 1.0), got
assert got["."] == (58, 37, 0.638), got
'

# --- owners -------------------------------------------------------------
carry_ok owners web --each --at $T --format json
check "owners each" '
by = {r["path"]: r for r in rows}
assert by["web/app/x.js"]["authors"] == ["Carol Ünal"], by["web/app/x.js"]
assert by["web/app/x.js"]["declared"] == ["@carol"]
assert by["web/legacy/old.js"]["declared"] is None, by["web/legacy/old.js"]
assert by["web"]["truck_factor"] == 1
'
# A directory has the owners and service of what is in it, not of a
# catch-all rule that matches its name.
carry_ok owners web/legacy --dirs --at $T --format json
check "un-owned directory" 'assert rows[0]["declared"] is None, rows[0]'
carry_ok owners --dirs --at $T --format json
check "root declared" 'assert rows[0]["declared"] == ["@acme/ops"], rows[0]'
carry_ok pager pay --at $T --format json
check "pager of a directory" 'assert [(r["service"], r["email"]) for r in rows] == [("payments", "bob@example.com")], rows'
carry_ok owners pay --dirs --at $T --format json
check "owners pay" '
r = rows[0]
assert r["declared"] == ["@acme/pay"], r
assert r["path"] == "pay" and r["main_email"] == "alice@example.com" and r["lines"] == 35, r
assert r["authors"] == ["Alice Ång", "Carol Ünal"], r
assert (r["declared_team"], r["developer_team"], r["rotation_team"], r["drift"]) == ("pay", "pay", "ops", True), r
assert (r["truck_factor"], r["service"], r["rotation_truck_factor"]) == (1, "payments", 0), r
'
carry_ok owners --at $T --format json
check "owners people" '
by = {r["email"]: r for r in rows}
assert rows[-1]["bot"] and rows[-1]["lines"] == 10, rows[-1]
assert by["carol@example.com"]["gone"] and not by["alice@example.com"]["gone"]
assert by["alice@example.com"]["authored"] == 3 and by["alice@example.com"]["lines"] == 22
'
carry_ok owners --dirs --at $T --format json
check "truck factor" 'assert rows[0]["path"] == "." and rows[0]["truck_factor"] == 2, rows[0]'
carry_ok owners web/legacy/old.js --at $T --format json
check "un-owned" 'assert [(r["email"], r["declared"]) for r in rows] == [("carol@example.com", False)], rows'
carry_ok owners web/app/x.js --at $T --format json
check "owned" 'assert [(r["email"], r["declared"]) for r in rows] == [("carol@example.com", True)], rows'

# --- triage -------------------------------------------------------------
carry_ok triage INC-1 --at $T --format json
check "triage" '
s = [(r["rank"], r["email"], r["drive_by"], r["churn"], r["status"]) for r in rows if r["role"] == "suspect"]
assert s == [(1, "dave@example.com", True, 1, "on_rotation"), (2, "dave@example.com", False, 5, "on_rotation")], s
assert [(r["email"], r["level"]) for r in rows if r["role"] == "on_call"] == [("bob@example.com", 1)]
assert [(r["email"], r["status"]) for r in rows if r["role"] == "expert"] == [("alice@example.com", "active")]
'
carry_ok triage INC-2 --at $T --format json
check "triage by path" 'assert [r["subject"] for r in rows if r["role"] == "suspect"] == ["fourth change in tools"], rows'
assert_exit 1 "$CARRY" triage NOPE --at $T
assert_one_line_stderr

# --- report -------------------------------------------------------------
carry_ok report --since 2025-01-01 --at $T --format json
check "report json" '
sections = [r["section"] for r in rows]
# A section with no rows has no objects: nothing was newly orphaned since 2025.
assert set(sections) == {"headline", "drive_bys", "services", "teams", "incidents", "people"}, set(sections)
head = {r["metric"]: r["value"] for r in rows if r["section"] == "headline"}
assert head["drive_by_commits"] == 7 and head["incidents"] == 3 and head["incidents_after_drive_by"] == 1, head
svc = {r["service"]: r for r in rows if r["section"] == "services"}
assert (svc["payments"]["changed"], svc["payments"]["gap_lines"]) == (35, 30), svc["payments"]
'
carry_ok report --since 2026-03-01 --at $T --format json
check "pager gap" '
svc = {r["service"]: r for r in rows if r["section"] == "services"}
assert (svc["payments"]["changed"], svc["payments"]["gap_lines"], svc["payments"]["pager_gap"]) == (6, 1, 0.167), svc
teams = {r["team"]: r for r in rows if r["section"] == "teams"}
assert (teams["pay"]["services"], teams["pay"]["pager_gap"]) == (["payments"], 0.167), teams
'
carry_ok owners pay --dirs --since 2026-03-01 --at $T --format json
check "pager gap of a path" 'assert (rows[0]["changed"], rows[0]["pager_gap"]) == (6, 0.167), rows[0]'
carry_ok report --since 2026-05-20 --at $T --format json
check "newly orphaned" '
assert [r["path"] for r in rows if r["section"] == "newly_orphaned"] == ["pay/c.c"], rows
'
carry_ok report --since 2025-01-01 --at $T --format csv
check "report csv" '
recs = list(csv.DictReader(io.StringIO(text)))
assert recs[0]["section"] == "headline"
evil = [r for r in recs if r["section"] == "drive_bys" and "HYPERLINK" in r["subject"]]
assert len(evil) == 1 and evil[0]["subject"].startswith("\x27="), evil
'
carry_ok report --since 2025-01-01 --at $T --format md
assert_file_has "$OUT" '\[a\]\(http://evil\)'
assert_file_has "$OUT" '\<b\>'
if grep -F -q '[a](http://evil)' "$OUT"; then fail "markdown carries a raw link"; fi
carry_ok report --since 2025-01-01 --at $T
assert_file_has "$OUT" "Drive-by commits"
note "ok"
