# carry import ics: a PagerDuty-style export becomes a rotation's shifts;
# the same export twice changes nothing; a newer export replaces exactly
# the range it covers; refused files (floating times, end before start)
# change nothing and name FILE:LINE; a runaway RRULE stops quickly.
. "$TESTLIB"
setup_env
SRCROOT=$(cd "$(dirname "$TESTLIB")/../.." && pwd)
export CARRY_DB="$SCRATCH/ics.db"
dump() { sqlite3 "$CARRY_DB" .dump; }
carry_ok --quiet import roster "$SRCROOT/data/demo/roster.csv"

event() { # UID START END NAME EMAIL
	printf 'BEGIN:VEVENT\r\nUID:%s\r\nDTSTART:%s\r\nDTEND:%s\r\nSUMMARY:On Call - %s - Payments\r\nATTENDEE;CN=%s:mailto:%s\r\nEND:VEVENT\r\n' "$1" "$2" "$3" "$4" "$4" "$5"
}
{
	printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//PagerDuty//EN\r\nX-WR-CALNAME:payments-primary\r\n'
	event a1 20261130T090000Z 20261207T090000Z "Ana Lima" ana@example.com
	event a2 20261207T090000Z 20261214T090000Z "Ben Okafor" ben@example.com
	event a3 20261214T090000Z 20261221T090000Z "Zed New" zed@example.com
	printf 'END:VCALENDAR\r\n'
} >"$SCRATCH/pd.ics"
carry_ok import ics "$SCRATCH/pd.ics"
assert_stderr_has "zed@example.com is not on the roster"
dump >"$SCRATCH/one.dump"
carry_ok import ics "$SCRATCH/pd.ics"
assert_stderr_has "0 database row(s) changed"
dump >"$SCRATCH/two.dump"
assert_same_file "$SCRATCH/one.dump" "$SCRATCH/two.dump" "database after importing the same calendar twice"

carry_ok rotations --format json
"$PYTHON" -c '
import json, sys
r = {x["rotation"]: x for x in json.load(open(sys.argv[1]))}["payments-primary"]
assert r["shifts"] == 3 and r["first"] == "2026-11-30T09:00:00Z" and r["last"] == "2026-12-21T09:00:00Z", r
' "$OUT"

# A newer export covering 7 Dec - 21 Dec: Ben's week goes to Ana; the
# 30 Nov shift, outside its range, stays.
{
	printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'
	event b2 20261207T090000Z 20261214T090000Z "Ana Lima" ana@example.com
	event b3 20261214T090000Z 20261221T090000Z "Zed New" zed@example.com
	printf 'END:VCALENDAR\r\n'
} >"$SCRATCH/newer.ics"
carry_ok import ics "$SCRATCH/newer.ics" --rotation payments-primary
printf 'service,team,rotation,path_glob\npay,payments,payments-primary,*\n' >"$SCRATCH/svc.csv"
carry_ok --quiet import services "$SCRATCH/svc.csv"
carry_ok pager --at 2026-12-08T00:00:00Z --format json
"$PYTHON" -c '
import json, sys
rows = json.load(open(sys.argv[1]))
assert [(r["email"], r["until"]) for r in rows] == [("ana.lima@example.com", "2026-12-14T09:00:00Z")], rows
' "$OUT"
carry_ok pager --at 2026-12-01T00:00:00Z --format json
"$PYTHON" -c '
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r["email"] for r in rows] == ["ana.lima@example.com"], rows
' "$OUT"

dump >"$SCRATCH/before-bad.dump"
bad() { # NAME WHERE CONTENT
	printf '%b' "$3" >"$SCRATCH/bad-$1.ics"
	assert_exit 3 "$CARRY" import ics "$SCRATCH/bad-$1.ics" --rotation payments-primary
	assert_one_line_stderr
	assert_stderr_has "$SCRATCH/bad-$1.ics:$2"
	dump >"$SCRATCH/after-bad.dump"
	assert_same_file "$SCRATCH/before-bad.dump" "$SCRATCH/after-bad.dump" "database after refused calendar ($1)"
}
bad floating 5 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:f\r\nDTSTART:20261201T090000\r\nDTEND:20261202T090000\r\nSUMMARY:On Call - Ana Lima - P\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'
bad backwards 6 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:g\r\nDTSTART:20261202T090000Z\r\nDTEND:20261201T090000Z\r\nSUMMARY:On Call - Ana Lima - P\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'

# A FREQ=SECONDLY rule without end must not run away: it finishes (capped
# or refused) within the test's time limit, and the database stays sound.
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:bomb\r\nDTSTART:19700101T000000Z\r\nDTEND:19700101T000001Z\r\nRRULE:FREQ=SECONDLY\r\nSUMMARY:On Call - Ana Lima - P\r\nATTENDEE:mailto:ana@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$SCRATCH/bomb.ics"
run timeout 20 "$CARRY" import ics "$SCRATCH/bomb.ics" --rotation bomb --dry-run
[ "$RC" = 0 ] || [ "$RC" = 3 ] || { show_last; fail "RRULE bomb: exit $RC"; }
carry_ok check
echo "import_ics: ok"
