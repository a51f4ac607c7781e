# The command-line contract of DESIGN.md: --help for carry and each command,
# --version, options before or after the command name, the JSON shape of
# carry authors, CARRY_NOW / --at with relative windows, --quiet, the
# default database and repository.
. "$TESTLIB"
setup_env

SRCROOT=$(cd "$(dirname "$TESTLIB")/../.." && pwd)
VERSION=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" "$SRCROOT/meson.build" | head -n 1)
[ -n "$VERSION" ] || fail "cannot read the project version from $SRCROOT/meson.build"

# --- --help and --version need no repository and no database --------------
NOWHERE=$(mktemp -d /tmp/carry-cli.XXXXXX)
trap 'rm -rf "$NOWHERE"' EXIT
cd "$NOWHERE"
export CARRY_DB="$SCRATCH/never-created.db"

# help_mentions WHAT WORD...: the last command's stdout mentions each word.
help_mentions() {
	_what=$1
	shift
	for _w in "$@"; do
		if ! grep -F -q -- "$_w" "$OUT"; then
			show_last
			fail "$_what does not mention $_w"
		fi
	done
}

carry_ok --help
[ -s "$OUT" ] || fail "carry --help printed nothing on stdout"
help_mentions "carry --help" scan authors check --repo --db --format --since --until --at --quiet \
	--version --help text json csv
for _cmd in scan authors check; do
	carry_ok "$_cmd" --help
	[ -s "$OUT" ] || fail "carry $_cmd --help printed nothing on stdout"
	help_mentions "carry $_cmd --help" "$_cmd"
	# "carry --help CMD" style is not required, but "carry CMD -h" is usual.
done
carry_ok scan --help
help_mentions "carry scan --help" --full --quiet --repo --db
carry_ok authors --help
help_mentions "carry authors --help" PATH --since --until --format json csv --repo --db
carry_ok check --help
help_mentions "carry check --help" --db
carry_ok --repo /nonexistent --db /dev/null/x.db authors --help
carry_ok --version
if ! grep -E -q "(^|[^0-9.])$(printf %s "$VERSION" | sed 's/\./\\./g')([^0-9.]|$)" "$OUT"; then
	show_last
	fail "carry --version does not print the version $VERSION"
fi
assert_eq 1 "$(count_lines "$OUT")" "lines printed by carry --version"
[ ! -e "$CARRY_DB" ] || fail "--help or --version created the database $CARRY_DB"

# --- a repository to talk about --------------------------------------------
REPO="$SCRATCH/repo"
build_fixture_repo "$REPO"
DB="$SCRATCH/cli.db"
export CARRY_DB="$DB"

# scan: one summary line on a pipe (no progress), nothing with --quiet.
assert_exit 0 "$CARRY" --repo "$REPO" scan
assert_eq 1 "$(count_lines "$ERR")" "stderr lines of carry scan on a pipe (summary only, no progress)"
[ ! -s "$OUT" ] || { show_last; fail "carry scan printed on stdout"; }
assert_exit 0 "$CARRY" scan --quiet --repo "$REPO"
[ ! -s "$ERR" ] || { show_last; fail "carry scan --quiet printed on stderr"; }
assert_exit 0 "$CARRY" --quiet --repo "$REPO" scan
[ ! -s "$ERR" ] || { show_last; fail "carry --quiet scan printed on stderr"; }
assert_exit 0 "$CARRY" --repo "$REPO" check
assert_exit 0 "$CARRY" check --db "$DB"

# On a terminal (if script(1) is here): --quiet still prints nothing.
if command -v script >/dev/null 2>&1; then
	rm -f "$SCRATCH/tty.db"
	LAST_CMD="script: carry --quiet scan on a tty"
	run script -qec "'$CARRY' --db '$SCRATCH/tty.db' --repo '$REPO' --quiet scan" /dev/null
	[ "$RC" = 0 ] || { show_last; fail "carry --quiet scan on a terminal failed"; }
	_bytes=$(tr -d '\r\n' <"$OUT" | wc -c)
	[ "$_bytes" = 0 ] || { show_last; fail "carry --quiet scan printed on a terminal"; }
	rm -f "$SCRATCH/tty.db"
	LAST_CMD="script: carry scan on a tty"
	run script -qec "'$CARRY' --db '$SCRATCH/tty.db' --repo '$REPO' scan" /dev/null
	[ "$RC" = 0 ] || { show_last; fail "carry scan on a terminal failed"; }
	[ -s "$OUT" ] || { show_last; fail "carry scan on a terminal printed nothing"; }
else
	note "SKIP terminal checks: script(1) not found"
fi

# --- options before and after the command are the same ---------------------
same_output() { # WHAT FILE
	if ! cmp -s "$SCRATCH/ref.out" "$OUT"; then
		diff -u "$SCRATCH/ref.out" "$OUT" | head -n 30 >&2 || true
		fail "$1: output differs from the options-first form"
	fi
}
carry_ok --repo "$REPO" --db "$DB" --format json --since 2023-01-21 --until 2023-03-15 authors src
cp "$OUT" "$SCRATCH/ref.out"
[ -s "$SCRATCH/ref.out" ] || fail "carry authors printed nothing"
carry_ok authors src --repo "$REPO" --db "$DB" --format json --since 2023-01-21 --until 2023-03-15
same_output "options after the command"
carry_ok --format json authors --repo "$REPO" src --since 2023-01-21 --db "$DB" --until 2023-03-15
same_output "options on both sides of the command"
carry_ok --until 2023-03-15 --since 2023-01-21 authors --format json --db "$DB" src --repo "$REPO"
same_output "options in another order"
carry_ok --repo "$REPO" --format csv authors
cp "$OUT" "$SCRATCH/ref.out"
carry_ok authors --format csv --repo "$REPO"
same_output "--format csv after the command"
carry_ok --repo "$REPO" authors
cp "$OUT" "$SCRATCH/ref.out"
carry_ok authors --repo "$REPO" --format text
same_output "--format text is the default"

# --- JSON: one array of flat objects with exactly the keys -----------------
for _args in "" "src/core" "--since 2023-03-15" "no/such/path"; do
	# shellcheck disable=SC2086
	carry_ok --repo "$REPO" authors --format json $_args
	"$PYTHON" "$ORACLE" shape "$OUT" || fail "carry authors --format json $_args: wrong shape"
	"$PYTHON" - "$OUT" <<-'PYEOF' || fail "carry authors --format json $_args: keys not in the documented order"
	import json, sys
	keys = ["name", "email", "commits", "added", "deleted", "files", "first", "last"]
	doc = json.load(open(sys.argv[1], encoding="utf-8"))
	bad = [list(o) for o in doc if list(o) != keys]
	if bad:
	    print("keys in order", bad[0], "expected", keys)
	    sys.exit(1)
	PYEOF
done
carry_ok --repo "$REPO" authors --format json no/such/path
assert_eq "[]" "$(tr -d ' \n\t' <"$OUT")" "authors of a path nobody touched"
compare_authors "whole repository" "$REPO"

# --- CARRY_NOW and --at: relative windows are counted back from them --------
# 2023-04-02T00:00:00Z - 30 days = 2023-03-03 (no commits on either day).
NOW=2023-04-02T00:00:00Z
export CARRY_NOW=$NOW
compare_authors "CARRY_NOW, --since 30d --until 7d" "$REPO" --since 30d --until 7d
unset CARRY_NOW
compare_authors "--at, --since 4w --until 2023-04-02" "$REPO" --at "$NOW" --since 4w --until 2023-04-02
cp "$SCRATCH/actual.json" "$SCRATCH/at.json"
export CARRY_NOW=2031-01-01T00:00:00Z
carry_ok --repo "$REPO" authors --format json --at "$NOW" --since 4w --until 2023-04-02
assert_same_file "$SCRATCH/at.json" "$OUT" "--at must override CARRY_NOW"
carry_ok --repo "$REPO" --at "$NOW" authors --format json --since 4w --until 2023-04-02
assert_same_file "$SCRATCH/at.json" "$OUT" "--at before the command"
unset CARRY_NOW
carry_ok --repo "$REPO" authors --at 2023-04-02 --format json
carry_ok --repo "$REPO" authors --at 2023-04-02T12:30:00+02:00 --format json

# --- default repository: the one around the working directory --------------
(
	cd "$REPO/src/core"
	carry_ok scan --quiet
	carry_ok authors --format json
	"$PYTHON" "$ORACLE" authors --repo "$REPO" >"$SCRATCH/expected.json"
	"$PYTHON" "$ORACLE" compare --label "repository found from a subdirectory" \
		"$SCRATCH/expected.json" "$OUT" || fail "carry authors from inside the repository differs from git"
)

# --- default database: $CARRY_DB, else $XDG_DATA_HOME/carry/carry.db; --db wins
unset CARRY_DB
assert_exit 0 "$CARRY" --repo "$REPO" scan --quiet
[ -f "$XDG_DATA_HOME/carry/carry.db" ] || fail "without --db and CARRY_DB the database is not $XDG_DATA_HOME/carry/carry.db"
export CARRY_DB="$SCRATCH/env.db"
assert_exit 0 "$CARRY" --repo "$REPO" scan --quiet
[ -f "$SCRATCH/env.db" ] || fail "CARRY_DB=$SCRATCH/env.db was not used"
assert_exit 0 "$CARRY" --repo "$REPO" --db "$SCRATCH/opt.db" scan --quiet
[ -f "$SCRATCH/opt.db" ] || fail "--db $SCRATCH/opt.db was not used"
_n=$(sqlite3 -batch -noheader "$SCRATCH/env.db" 'SELECT count(*) FROM commits;')
_m=$(sqlite3 -batch -noheader "$SCRATCH/opt.db" 'SELECT count(*) FROM commits;')
assert_eq "$_n" "$_m" "commits in the CARRY_DB and --db databases"
note "command-line contract holds"
