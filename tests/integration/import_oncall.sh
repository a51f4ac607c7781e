# carry import services / shifts / incidents and their listings: the demo
# files import, import again without a single change (same dump, "0 rows
# changed"), corrected files replace exactly what they cover, unknown
# schedule emails are reported and kept, bad files are refused with exit 3
# and one FILE:LINE:COLUMN line and change nothing.
. "$TESTLIB"
setup_env
SRCROOT=$(cd "$(dirname "$TESTLIB")/../.." && pwd)
DEMO="$SRCROOT/data/demo"
export CARRY_DB="$SCRATCH/oncall.db"
dump() { sqlite3 "$CARRY_DB" .dump; }

for k in roster services shifts incidents; do
	carry_ok import "$k" "$DEMO/$k.csv"
done
dump >"$SCRATCH/first.dump"
for k in roster services shifts incidents; do
	carry_ok import "$k" "$DEMO/$k.csv"
	assert_stderr_has "0 database row(s) changed"
done
dump >"$SCRATCH/second.dump"
assert_same_file "$SCRATCH/first.dump" "$SCRATCH/second.dump" "database after importing everything twice"

# The shifts file names a contractor who is not on the roster.
carry_ok import shifts "$DEMO/shifts.csv" --dry-run
carry_ok people --format json
"$PYTHON" - "$OUT" <<'PY'
import json, sys
people = {p["name"]: p for p in json.load(open(sys.argv[1]))}
c = people["contractor@elsewhere.example"]
assert c["on_roster"] is False and c["emails"] == ["contractor@elsewhere.example"], c
PY

carry_ok services --format json
"$PYTHON" - "$OUT" <<'PY'
import json, sys
s = {x["service"]: x for x in json.load(open(sys.argv[1]))}
assert s["checkout"]["path_globs"] == ["/services/checkout/", "/libs/money/"], s["checkout"]
assert s["search"]["rotation"] == "search-oncall" and s["search"]["team"] == "search"
PY
carry_ok rotations --format json
"$PYTHON" - "$OUT" <<'PY'
import json, sys
r = {x["rotation"]: x for x in json.load(open(sys.argv[1]))}
p = r["payments-primary"]
assert p["shifts"] == 4 and p["people"] == 2 and p["services"] == 1, p
assert p["first"] == "2026-11-16T09:00:00Z" and p["last"] == "2026-11-30T09:00:00Z", p
PY
carry_ok incidents --format json
"$PYTHON" - "$OUT" <<'PY'
import json, sys
i = json.load(open(sys.argv[1]))
assert [x["incident_id"] for x in i] == ["INC-102", "INC-101"], i
a = i[1]
assert a["title"] == 'Checkout 500s after deploy, "card declined" spike', a
assert a["paths"] == ["libs/money/round.c", "services/checkout/api.c"], a
assert a["resolved_at"] == "2026-11-20T15:10:00Z" and i[0]["resolved_at"] is None
PY
carry_ok incidents --since 2026-11-21 --format json
"$PYTHON" -c 'import json,sys; i=json.load(open(sys.argv[1])); assert [x["incident_id"] for x in i]==["INC-102"], i' "$OUT"

# A corrected export replaces what it covers: one payments shift gone,
# the other rotations untouched.
grep -v 'ben@example.com,2026-11-23' "$DEMO/shifts.csv" | grep -v -e search-oncall -e platform-oncall >"$SCRATCH/fix.csv"
carry_ok import shifts "$SCRATCH/fix.csv"
assert_stderr_has "1 database row(s) changed"
carry_ok rotations --format json
"$PYTHON" - "$OUT" <<'PY'
import json, sys
r = {x["rotation"]: x for x in json.load(open(sys.argv[1]))}
assert r["payments-primary"]["shifts"] == 3, r
assert r["search-oncall"]["shifts"] == 1 and r["platform-oncall"]["shifts"] == 2, r
PY

# Services: the file is the table; reordering globs is a change, a
# service left out is dropped.
printf 'service,team,rotation,path_glob\nsearch,search,search-oncall,*.proto\nsearch,search,search-oncall,/services/search/\n' >"$SCRATCH/svc.csv"
carry_ok import services "$SCRATCH/svc.csv"
carry_ok services --format json
"$PYTHON" - "$OUT" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert [x["service"] for x in s] == ["search"], s
assert s[0]["path_globs"] == ["*.proto", "/services/search/"], s
PY
carry_ok import services "$DEMO/services.csv"

dump >"$SCRATCH/before-bad.dump"
bad() { # KIND NAME WHERE CONTENT
	_file="$SCRATCH/bad-$2.csv"
	printf '%b' "$4" >"$_file"
	assert_exit 3 "$CARRY" import "$1" "$_file"
	assert_one_line_stderr
	assert_stderr_has "$_file:$3"
	dump >"$SCRATCH/after-bad.dump"
	assert_same_file "$SCRATCH/before-bad.dump" "$SCRATCH/after-bad.dump" "database after refused import ($2)"
}
SH='rotation,email,starts_at,ends_at,level\n'
bad shifts order 3:4 "${SH}r,a@example.com,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z,1\nr,a@example.com,2026-01-02T00:00:00Z,2026-01-02T00:00:00Z,1\n"
bad shifts time 2:3 "${SH}r,a@example.com,yesterday,2026-01-02T00:00:00Z,1\n"
bad shifts level 2:5 "${SH}r,a@example.com,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z,zero\n"
bad shifts email 2:2 "${SH}r,nobody,2026-01-01T00:00:00Z,2026-01-02T00:00:00Z,1\n"
SV='service,team,rotation,path_glob\n'
bad services negation 3:4 "${SV}a,t,r,/a/\na,t,r,!/a/b\n"
bad services noname 2:1 "${SV},t,r,/a/\n"
IN='incident_id,title,service,severity,started_at,resolved_at,status,paths,url\n'
bad incidents service 2:3 "${IN}I-1,t,nosuch,SEV1,2026-01-01T00:00:00Z,,open,,\n"
bad incidents dupid 3:1 "${IN}I-1,t,search,SEV1,2026-01-01T00:00:00Z,,open,,\nI-1,u,search,SEV1,2026-01-01T00:00:00Z,,open,,\n"
bad incidents resolved 2:6 "${IN}I-1,t,search,SEV1,2026-01-02T00:00:00Z,2026-01-01T00:00:00Z,open,,\n"
bad incidents started 2:5 "${IN}I-1,t,search,SEV1,,,open,,\n"
carry_ok check
echo "import_oncall: ok"
