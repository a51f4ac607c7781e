# carry pager: shift boundaries are half-open, overlapping levels are all
# shown, the last matching service glob wins, a path with no glob falls
# back to the single service of its CODEOWNERS team (and to none when the
# team has two), CODEOWNERS comes from the scanned HEAD.
. "$TESTLIB"
setup_env
export CARRY_DB="$SCRATCH/pager.db"
REPO="$SCRATCH/repo"
mkrepo "$REPO"
cd "$REPO"
mkdir -p .github services/api services/api/vendor docs lib
printf '* @acme/core\n/docs/ @acme/docs\n/lib/ @acme/twins\n' >.github/CODEOWNERS
echo a >services/api/main.c; echo v >services/api/vendor/x.c; echo d >docs/index.md
echo l >lib/util.c; echo r >README
git add -A
commit_as "Dev" dev@example.com "2026-01-01T00:00:00Z" "init"
carry_ok scan --quiet

cat >"$SCRATCH/services.csv" <<'CSV'
service,team,rotation,path_glob
api,api-team,api-rot,/services/api/
vendored,core,core-rot,/services/api/vendor/
core,core,core-rot,
docs,docs,docs-rot,
twin-a,twins,,
twin-b,twins,,
CSV
cat >"$SCRATCH/shifts.csv" <<'CSV'
rotation,email,starts_at,ends_at,level
api-rot,ann@example.com,2026-03-01T09:00:00Z,2026-03-08T09:00:00Z,1
api-rot,bob@example.com,2026-03-08T09:00:00Z,2026-03-15T09:00:00Z,1
api-rot,cid@example.com,2026-03-01T00:00:00Z,2026-03-15T00:00:00Z,2
core-rot,dee@example.com,2026-03-01T00:00:00Z,2026-04-01T00:00:00Z,1
CSV
carry_ok --quiet import services "$SCRATCH/services.csv"
carry_ok --quiet import shifts "$SCRATCH/shifts.csv"

# pager_json PATH AT EXPECTED: EXPECTED is a Python literal list of
# (service, level, email, until, next_email) per row.
pager_json() {
	carry_ok pager "$1" --at "$2" --format json
	"$PYTHON" - "$OUT" "$3" "$1 at $2" <<'PY'
import ast, json, sys
rows = json.load(open(sys.argv[1]))
got = [(r["service"], r["level"], r["email"], r["until"], r["next_email"]) for r in rows]
want = ast.literal_eval(sys.argv[2])
for r in rows:
    assert set(r) >= {"path", "service", "team", "rotation", "level", "name", "email", "until"}, r
if got != want:
    sys.exit("pager %s: got %r, want %r" % (sys.argv[3], got, want))
PY
}
A=services/api/main.c
# One second before the hand-off, at it, and at the end of everything.
pager_json $A 2026-03-08T08:59:59Z "[('api',1,'ann@example.com','2026-03-08T09:00:00Z','bob@example.com'),('api',2,'cid@example.com','2026-03-15T00:00:00Z','bob@example.com')]"
pager_json $A 2026-03-08T09:00:00Z "[('api',1,'bob@example.com','2026-03-15T09:00:00Z',None),('api',2,'cid@example.com','2026-03-15T00:00:00Z',None)]"
pager_json $A 2026-03-15T00:00:00Z "[('api',1,'bob@example.com','2026-03-15T09:00:00Z',None)]"
pager_json $A 2026-03-15T09:00:00Z "[('api',None,None,None,None)]"
pager_json $A 2026-02-28T00:00:00Z "[('api',None,None,None,'ann@example.com')]"
# Last match wins: the vendor glob comes later in the services file.
pager_json services/api/vendor/x.c 2026-03-10T00:00:00Z "[('vendored',1,'dee@example.com','2026-04-01T00:00:00Z',None)]"
# A directory is covered by the glob covering its files.
pager_json services/api 2026-03-10T00:00:00Z "[('api',1,'bob@example.com','2026-03-15T09:00:00Z',None),('api',2,'cid@example.com','2026-03-15T00:00:00Z',None)]"
# CODEOWNERS fallback: README -> @acme/core -> the one core-team service?
# No: core owns two services (vendored, core), so there is no single one.
pager_json README 2026-03-10T00:00:00Z "[(None,None,None,None,None)]"
# docs -> @acme/docs -> exactly one service, docs (no rotation shifts).
pager_json docs/index.md 2026-03-10T00:00:00Z "[('docs',None,None,None,None)]"
# lib -> @acme/twins -> two services: none.
pager_json lib/util.c 2026-03-10T00:00:00Z "[(None,None,None,None,None)]"

# A scan killed after recording HEAD but before keeping its CODEOWNERS:
# the next scan of the same HEAD (which has nothing else to do) keeps it.
sqlite3 "$CARRY_DB" 'DELETE FROM codeowners_files'
pager_json docs/index.md 2026-03-10T00:00:00Z "[(None,None,None,None,None)]"
carry_ok scan --quiet
pager_json docs/index.md 2026-03-10T00:00:00Z "[('docs',None,None,None,None)]"

# An imported CODEOWNERS takes precedence over HEAD's, across scans; its
# invalid lines are reported (terminal-safe: the file is untrusted) and
# skipped.
printf '/lib/ @acme/docs\n!/x\033]2;X\007 @acme/core\n' >"$SCRATCH/CODEOWNERS"
carry_ok import codeowners "$SCRATCH/CODEOWNERS"
assert_stderr_has "$SCRATCH/CODEOWNERS:2:"
if grep -q "$(printf '\033')" "$ERR"; then
	fail "an escape sequence from CODEOWNERS reached stderr raw"
fi
pager_json lib/util.c 2026-03-10T00:00:00Z "[('docs',None,None,None,None)]"
carry_ok scan --quiet
pager_json lib/util.c 2026-03-10T00:00:00Z "[('docs',None,None,None,None)]"
# ...and the rest of HEAD's rules no longer apply: README has no owner.
pager_json README 2026-03-10T00:00:00Z "[(None,None,None,None,None)]"

# --each: one answer per file of HEAD under PATH, in tree order.
carry_ok pager services --each --at 2026-03-10T00:00:00Z --format json
"$PYTHON" -c '
import json, sys
rows = json.load(open(sys.argv[1]))
got = [(r["path"], r["service"], r["level"]) for r in rows]
want = [("services/api/main.c", "api", 1), ("services/api/main.c", "api", 2),
        ("services/api/vendor/x.c", "vendored", 1)]
assert got == want, got
' "$OUT"

# A CODEOWNERS file over the 16 MiB limit is refused whole, never cut.
head -c 17000000 /dev/zero | tr '\0' '#' >"$SCRATCH/HUGE"
assert_exit 3 "$CARRY" import codeowners "$SCRATCH/HUGE"
assert_one_line_stderr
assert_stderr_has "$SCRATCH/HUGE: larger than 16 MiB"
pager_json lib/util.c 2026-03-10T00:00:00Z "[('docs',None,None,None,None)]"

# Every service at once, sorted by name.
carry_ok pager --at 2026-03-10T00:00:00Z --format json
"$PYTHON" -c '
import json, sys
rows = json.load(open(sys.argv[1]))
names = [r["service"] for r in rows]
assert names == ["api", "api", "core", "docs", "twin-a", "twin-b", "vendored"], names
' "$OUT"
echo "pager: ok"
