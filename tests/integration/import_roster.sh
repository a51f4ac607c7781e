# carry import roster / carry people: a good file, the same file again
# (nothing changes), an edited file (people updated in place), and bad
# files: each is refused with exit 3 and one "FILE:LINE:COLUMN: ..." line,
# and leaves the database byte-for-byte as it was (compared as a dump).
. "$TESTLIB"
setup_env
SRCROOT=$(cd "$(dirname "$TESTLIB")/../.." && pwd)
export CARRY_DB="$SCRATCH/oncall.db"

dump() { sqlite3 "$CARRY_DB" .dump; }

carry_ok import roster "$SRCROOT/data/demo/roster.csv"
assert_stderr_has "5 record(s) read"
dump >"$SCRATCH/first.dump"
carry_ok import roster "$SRCROOT/data/demo/roster.csv"
assert_stderr_has "0 database row(s) changed"
dump >"$SCRATCH/second.dump"
assert_same_file "$SCRATCH/first.dump" "$SCRATCH/second.dump" "database after importing the same roster twice"

# people, as JSON: every roster person, exact fields.
carry_ok people --format json
"$PYTHON" - "$OUT" <<'PY'
import json, sys
people = {p["name"]: p for p in json.load(open(sys.argv[1]))}
assert len(people) == 5, people.keys()
ana = people["Ana Lima"]
assert ana["emails"] == ["ana.lima@example.com", "ana@example.com"], ana
assert ana["team"] == "payments" and ana["handles"] == ["@ana"], ana
assert ana["joined_on"] == "2021-03-01T00:00:00Z" and ana["left_on"] is None, ana
ben = people['Ben "Benji" Okafor']
assert ben["left_on"] == "2024-06-30T00:00:00Z", ben
assert people["dependabot[bot]"]["is_bot"] is True
assert people["山田太郎"]["team"] == "search"
assert people["Chloé Martin"]["handles"] == ["@chloe", "@cmartin"]
PY

# An edit updates in place: Ana leaves, loses an email, changes team.
cat >"$SCRATCH/edited.csv" <<'CSV'
person_id,name,emails,team,joined_on,left_on,is_bot,handles
p001,Ana Lima,ana@example.com,search,2021-03-01,2025-01-31,no,@ana
CSV
carry_ok import roster "$SCRATCH/edited.csv"
carry_ok people --format json
"$PYTHON" - "$OUT" <<'PY'
import json, sys
people = {p["name"]: p for p in json.load(open(sys.argv[1]))}
ana = people["Ana Lima"]
assert ana["emails"] == ["ana@example.com"] and ana["team"] == "search", ana
assert ana["left_on"] == "2025-01-31T00:00:00Z", ana
assert len(people) == 5
PY
dump >"$SCRATCH/before-bad.dump"

# bad FILE LINE:COLUMN CONTENT: refused, exit 3, one line naming the spot,
# database unchanged.
bad() {
	_file="$SCRATCH/bad-$1.csv"
	printf '%b' "$3" >"$_file"
	assert_exit 3 "$CARRY" import roster "$_file"
	assert_one_line_stderr
	assert_stderr_has "$_file:$2"
	dump >"$SCRATCH/after-bad.dump"
	assert_same_file "$SCRATCH/before-bad.dump" "$SCRATCH/after-bad.dump" "database after refused import ($1)"
}
H='person_id,name,emails,team,joined_on,left_on,is_bot,handles\n'
bad email 3:3 "${H}p010,Ok,ok@example.com,t,,,false,\np011,Bad,not-an-email,t,,,false,\n"
bad date 2:5 "${H}p012,X,x@example.com,t,2024-13-01,,false,\n"
bad order 2:6 "${H}p013,X,x@example.com,t,2024-05-01,2024-04-01,false,\n"
bad bool 2:7 "${H}p014,X,x@example.com,t,,,maybe,\n"
bad noname 2:2 "${H}p015,,x@example.com,t,,,false,\n"
bad dupid 3:1 "${H}p016,X,x@example.com,t,,,false,\np016,Y,y@example.com,t,,,false,\n"
bad taken 2 "${H}p017,Thief,ana@example.com,t,,,false,\n"
bad ragged 2 "${H}p018,X,x@example.com\n"
bad column 1 "person_id,name,emails,team,joined_on,left_on,is_bot\np019,X,x@example.com,t,,,false\n"
bad quote 2 "${H}p020,\"X,x@example.com,t,,,false,\n"
bad nul 2 "${H}p021,X\0,x@example.com,t,,,false,\n"

# --dry-run reports but writes nothing.
cat >"$SCRATCH/new.csv" <<'CSV'
person_id,name,emails,team,joined_on,left_on,is_bot,handles
p100,Dara New,dara@example.com,payments,2025-02-01,,false,@dara
CSV
carry_ok import roster "$SCRATCH/new.csv" --dry-run
assert_stderr_has "dry run"
dump >"$SCRATCH/after-dry.dump"
assert_same_file "$SCRATCH/before-bad.dump" "$SCRATCH/after-dry.dump" "database after --dry-run"

assert_exit 2 "$CARRY" import nonsense "$SCRATCH/new.csv"
assert_exit 3 "$CARRY" import roster "$SCRATCH/does-not-exist.csv"
assert_stderr_has "$SCRATCH/does-not-exist.csv"
carry_ok check
echo "import_roster: ok"
