# Bad input gets the exit code of DESIGN.md and one line on stderr naming
# what and where, and loses nothing: not a repository, an unborn HEAD,
# missing objects, malformed commits, another user's repository, an
# unwritable or corrupt database, bad command lines.
. "$TESTLIB"
setup_env

# expect_error CODE NAMED cmd...: exits CODE, exactly one line on stderr,
# which contains NAMED (a path or an argument); nothing on stdout.
expect_error() {
	_code=$1 _named=$2
	shift 2
	assert_exit "$_code" "$@"
	assert_one_line_stderr
	assert_stderr_has "$_named"
	if [ -s "$OUT" ]; then
		show_last
		fail "an error printed on stdout: $*"
	fi
}

# small_repo DIR: five commits, old.txt only in the second and third.
small_repo() {
	mkrepo "$1"
	(
	cd "$1"
	lines "a line" 10 | put a.txt
	commit_as "$N_ALICE" alice@example.com "2023-01-02 09:00:00 +0000" "one"
	lines "old text unique to commit two" 8 | put old.txt
	commit_as "$N_BOB" bob@example.com "2023-01-03 09:00:00 +0000" "two"
	printf 'third version\n' >>old.txt
	commit_as "$N_ALICE" alice@example.com "2023-01-04 09:00:00 +0000" "three"
	git rm -q old.txt
	commit_as "$N_BOB" bob@example.com "2023-01-05 09:00:00 +0000" "four"
	printf 'five\n' >>a.txt
	commit_as "$N_ALICE" alice@example.com "2023-01-06 09:00:00 +0000" "five"
	)
}

loose_path() { # REPO OID: the file of a loose object
	printf '%s/.git/objects/%s/%s\n' "$1" "$(printf %s "$2" | cut -c1-2)" "$(printf %s "$2" | cut -c3-)"
}

# --- not a repository ------------------------------------------------------
# Outside any repository (SCRATCH may lie inside the project's own
# checkout, and carry looks upwards as git does).
NOTREPO=$(mktemp -d /tmp/carry-notrepo.XXXXXX)
trap 'rm -rf "$NOTREPO"' EXIT
if git -C "$NOTREPO" rev-parse --git-dir >/dev/null 2>&1; then
	fail "setup: $NOTREPO is inside a git repository"
fi
note "not a repository"
expect_error 3 "$NOTREPO" "$CARRY" --repo "$NOTREPO" scan
expect_error 3 "$NOTREPO" "$CARRY" --repo "$NOTREPO" authors
expect_error 3 "$NOTREPO/missing" "$CARRY" --repo "$NOTREPO/missing" scan
(
	cd "$NOTREPO"
	expect_error 3 "$NOTREPO" "$CARRY" scan
)
[ ! -e "$NOTREPO/.git" ] || fail "carry created something in $NOTREPO"

# --- empty repository, unborn HEAD ----------------------------------------
note "empty repository"
EMPTY="$SCRATCH/empty"
mkrepo "$EMPTY"
assert_exit 0 "$CARRY" --repo "$EMPTY" scan
assert_stderr_matches 'no commits'
assert_exit 0 "$CARRY" --repo "$EMPTY" authors --format json
_json=$(tr -d ' \n\t' <"$OUT")
assert_eq "[]" "$_json" "carry authors --format json on an empty repository"
assert_exit 0 "$CARRY" --repo "$EMPTY" authors --format csv
_rows=$(count_lines "$OUT")
[ "$_rows" -le 1 ] || fail "carry authors --format csv on an empty repository printed $_rows lines"
assert_exit 0 "$CARRY" --repo "$EMPTY" authors
assert_exit 0 "$CARRY" check
# An empty bare repository too.
git init -q --bare "$SCRATCH/empty.git"
assert_exit 0 "$CARRY" --repo "$SCRATCH/empty.git" scan
assert_stderr_matches 'no commits'

# --- a missing blob of an old commit --------------------------------------
note "missing blob"
MB="$SCRATCH/missing-blob"
small_repo "$MB"
_blob=$(git -C "$MB" rev-parse HEAD~3:old.txt)
_file=$(loose_path "$MB" "$_blob")
[ -f "$_file" ] || fail "setup: blob $_blob is not a loose object"
rm -f "$_file"
export CARRY_DB="$SCRATCH/missing-blob.db"
assert_exit 0 "$CARRY" --repo "$MB" scan
assert_stderr_matches '[1-9][0-9]* .*skipped|skipped[^0-9]*[1-9]'
assert_check_ok "$CARRY_DB" "after a scan with a missing blob"
# Every commit is still there (the blob's commits may be marked skipped).
assert_commits_are_history "$CARRY_DB" "$MB"
assert_exit 0 "$CARRY" --repo "$MB" authors --format json
"$PYTHON" "$ORACLE" shape "$OUT" || fail "authors after a missing blob: bad JSON"
# A second scan neither fails nor duplicates anything.
assert_exit 0 "$CARRY" --repo "$MB" scan
assert_commits_are_history "$CARRY_DB" "$MB"

# --- a missing commit object in the middle of history ---------------------
note "missing commit"
MC="$SCRATCH/missing-commit"
small_repo "$MC"
_commit=$(git -C "$MC" rev-parse HEAD~2)
_file=$(loose_path "$MC" "$_commit")
[ -f "$_file" ] || fail "setup: commit $_commit is not a loose object"
rm -f "$_file"
export CARRY_DB="$SCRATCH/missing-commit.db"
assert_exit 0 "$CARRY" --repo "$MC" scan
assert_stderr_matches '[1-9][0-9]* .*skipped|skipped[^0-9]*[1-9]'
assert_check_ok "$CARRY_DB" "after a scan with a missing commit"
# The commits above the hole are stored.
for _c in HEAD HEAD~1; do
	_oid=$(git -C "$MC" rev-parse "$_c")
	_n=$(sqlite3 -batch -noheader "$CARRY_DB" "SELECT count(*) FROM commits WHERE oid = '$_oid';")
	assert_eq 1 "$_n" "commit $_c ($_oid) stored despite a missing ancestor"
done
# The child of the missing commit cannot be diffed (its parent's tree is
# unknown): no changes may be invented for it, e.g. by diffing it against
# an empty tree as if it were a root commit.  Its true change deletes
# old.txt.
_child=$(git -C "$MC" rev-parse HEAD~1)
_bogus=$(sqlite3 -batch -noheader "$CARRY_DB" "SELECT group_concat(x.status || ' ' || x.path, ', ') FROM changes x JOIN commits c ON c.id = x.commit_id WHERE c.oid = '$_child' AND NOT (x.path = 'old.txt' AND x.status = 'D');")
assert_eq "" "$_bogus" "changes stored for $_child, whose parent commit object is missing"
assert_exit 0 "$CARRY" --repo "$MC" authors --format json
"$PYTHON" "$ORACLE" shape "$OUT" || fail "authors after a missing commit: bad JSON"

# --- malformed commits: missing email, bad date ----------------------------
note "malformed commits"
MF="$SCRATCH/malformed"
small_repo "$MF"
(
	cd "$MF"
	_tree=$(git rev-parse "HEAD^{tree}")
	_parent=$(git rev-parse HEAD)
	# missing email
	printf 'tree %s\nparent %s\nauthor No Email 1673000000 +0000\ncommitter No Email 1673000000 +0000\n\nmissing email\n' \
		"$_tree" "$_parent" >"$SCRATCH/bad1.txt"
	_bad1=$(git hash-object -t commit -w --literally "$SCRATCH/bad1.txt")
	# bad date
	printf 'tree %s\nparent %s\nauthor Bad Date <bad@example.com> notadate +0000\ncommitter Bad Date <bad@example.com> notadate +0000\n\nbad date\n' \
		"$_tree" "$_bad1" >"$SCRATCH/bad2.txt"
	_bad2=$(git hash-object -t commit -w --literally "$SCRATCH/bad2.txt")
	printf 'after the bad ones\n' >after.txt
	git add after.txt
	_tree2=$(git write-tree)
	_good=$(GIT_AUTHOR_NAME=$N_ZOE GIT_AUTHOR_EMAIL=zoe@example.org GIT_AUTHOR_DATE="2023-01-08 09:00:00 +0000" \
		GIT_COMMITTER_NAME=$N_ZOE GIT_COMMITTER_EMAIL=zoe@example.org \
		GIT_COMMITTER_DATE="2023-01-08 09:00:00 +0000" \
		git commit-tree "$_tree2" -p "$_bad2" -m "good child of malformed commits")
	git update-ref refs/heads/main "$_good"
	git reset -q --hard
	printf '%s\n%s\n' "$_bad1" "$_bad2" >"$SCRATCH/bad-oids.txt"
)
git -C "$MF" rev-list HEAD >/dev/null || fail "setup: git cannot walk the malformed history"
export CARRY_DB="$SCRATCH/malformed.db"
assert_exit 0 "$CARRY" --repo "$MF" scan
assert_stderr_matches '[1-9][0-9]* .*skipped|skipped[^0-9]*[1-9]'
assert_check_ok "$CARRY_DB" "after a scan with malformed commits"
# The well-formed commits, on both sides of the malformed ones, are stored
# as usual; the malformed ones are not stored as if they were good.
for _oid in $(git -C "$MF" rev-list HEAD); do
	if grep -q "$_oid" "$SCRATCH/bad-oids.txt"; then
		_n=$(sqlite3 -batch -noheader "$CARRY_DB" "SELECT count(*) FROM commits WHERE oid = '$_oid' AND skipped IS NULL;")
		assert_eq 0 "$_n" "malformed commit $_oid stored without a skip reason"
	else
		_n=$(sqlite3 -batch -noheader "$CARRY_DB" "SELECT count(*) FROM commits WHERE oid = '$_oid' AND skipped IS NULL;")
		assert_eq 1 "$_n" "well-formed commit $_oid ($(git -C "$MF" log -1 --format=%s "$_oid")) stored"
	fi
done
assert_exit 0 "$CARRY" --repo "$MF" authors --format json
"$PYTHON" "$ORACLE" shape "$OUT" || fail "authors after malformed commits: bad JSON"
grep -q 'bad@example.com' "$OUT" && fail "a malformed commit's author is listed by carry authors"

# --- a repository owned by another user ----------------------------------
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	note "repository owned by another user"
	OTHER="$SCRATCH/other-owner"
	small_repo "$OTHER"
	chown -R nobody "$OTHER"
	export CARRY_DB="$SCRATCH/other.db"
	expect_error 3 "$OTHER" "$CARRY" --repo "$OTHER" scan
	assert_stderr_has "safe.directory"
	# Naming the exact path is what git wants; the message must allow it.
	printf '[safe]\n\tdirectory = %s\n' "$OTHER" >"$HOME/.gitconfig"
	assert_exit 0 "$CARRY" --repo "$OTHER" scan
	rm -f "$HOME/.gitconfig"
else
	note "SKIP repository owned by another user: needs root and a 'nobody' user"
fi

# --- unwritable database location -----------------------------------------
note "unwritable database"
small_repo "$SCRATCH/ok"
if [ "$(id -u)" = 0 ]; then
	# root can write anywhere; a path below a regular file cannot exist.
	_bad_db=/dev/null/carry/carry.db
	expect_error 1 "/dev/null/carry" "$CARRY" --db "$_bad_db" --repo "$SCRATCH/ok" scan
	expect_error 1 "/dev/null/carry" env CARRY_DB="$_bad_db" "$CARRY" --repo "$SCRATCH/ok" scan
	: >"$SCRATCH/plainfile"
	expect_error 1 "$SCRATCH/plainfile/x.db" "$CARRY" --db "$SCRATCH/plainfile/x.db" --repo "$SCRATCH/ok" scan
else
	mkdir -p "$SCRATCH/ro"
	chmod 500 "$SCRATCH/ro"
	expect_error 1 "$SCRATCH/ro" "$CARRY" --db "$SCRATCH/ro/carry.db" --repo "$SCRATCH/ok" scan
	[ ! -e "$SCRATCH/ro/carry.db" ] || fail "a database appeared in the read-only directory"
	chmod 700 "$SCRATCH/ro"
fi

# --- corrupt database ------------------------------------------------------
note "corrupt database"
GARBAGE="$SCRATCH/garbage.db"
awk 'BEGIN { for (i = 0; i < 200; i++) printf "this is not an SQLite database, line %d\n", i }' >"$GARBAGE"
cp "$GARBAGE" "$SCRATCH/garbage.orig"
expect_error 1 "$GARBAGE" "$CARRY" --db "$GARBAGE" --repo "$SCRATCH/ok" scan
assert_same_file "$SCRATCH/garbage.orig" "$GARBAGE" "carry changed a corrupt database file (scan)"
expect_error 1 "$GARBAGE" "$CARRY" --db "$GARBAGE" --repo "$SCRATCH/ok" authors
expect_error 1 "$GARBAGE" "$CARRY" --db "$GARBAGE" check
assert_same_file "$SCRATCH/garbage.orig" "$GARBAGE" "carry changed a corrupt database file"
[ ! -e "$GARBAGE-wal" ] || fail "carry left $GARBAGE-wal behind"

# A real database with a damaged page: check must notice.
DAMAGED="$SCRATCH/damaged.db"
assert_exit 0 "$CARRY" --db "$DAMAGED" --repo "$SCRATCH/ok" scan --quiet
sqlite3 "$DAMAGED" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
_pages=$(sqlite3 -batch -noheader "$DAMAGED" 'PRAGMA page_count;')
_psize=$(sqlite3 -batch -noheader "$DAMAGED" 'PRAGMA page_size;')
[ "$_pages" -ge 3 ] || fail "setup: damaged.db has only $_pages pages"
# Overwrite the second half of every page but the first with a pattern.
"$PYTHON" - "$DAMAGED" "$_psize" <<'PYEOF'
import sys
path, psize = sys.argv[1], int(sys.argv[2])
with open(path, "r+b") as f:
    data = bytearray(f.read())
    for off in range(psize, len(data), psize):
        data[off + 8:off + psize // 2] = b"\xa5" * (psize // 2 - 8)
    f.seek(0)
    f.write(data)
PYEOF
cp "$DAMAGED" "$SCRATCH/damaged.orig"
assert_exit 1 "$CARRY" --db "$DAMAGED" check
assert_stderr_has "$DAMAGED"

# A database from a newer carry is refused, and left alone.
NEWER="$SCRATCH/newer.db"
assert_exit 0 "$CARRY" --db "$NEWER" --repo "$SCRATCH/ok" scan --quiet
sqlite3 "$NEWER" 'PRAGMA wal_checkpoint(TRUNCATE); PRAGMA user_version = 9999;' >/dev/null
cp "$NEWER" "$SCRATCH/newer.orig"
expect_error 1 "$NEWER" "$CARRY" --db "$NEWER" --repo "$SCRATCH/ok" authors
expect_error 1 "$NEWER" "$CARRY" --db "$NEWER" --repo "$SCRATCH/ok" scan
assert_same_file "$SCRATCH/newer.orig" "$NEWER" "carry changed a database newer than itself"

# --- command-line errors: exit 2, one line ---------------------------------
note "usage errors"
export CARRY_DB="$SCRATCH/usage.db"
cd "$SCRATCH/ok"
expect_error 2 "frobnicate" "$CARRY" frobnicate
expect_error 2 "--bogus" "$CARRY" --bogus authors
expect_error 2 "--bogus" "$CARRY" authors --bogus
expect_error 2 "--bogus" "$CARRY" scan --bogus
expect_error 2 "xml" "$CARRY" authors --format xml
expect_error 2 "xml" "$CARRY" --format xml authors
expect_error 2 "yesterday-ish" "$CARRY" authors --since yesterday-ish
expect_error 2 "2023-13-45" "$CARRY" authors --until 2023-13-45
expect_error 2 "notatime" "$CARRY" authors --at notatime
expect_error 2 "--format" "$CARRY" authors --format
expect_error 2 "--repo" "$CARRY" authors --repo
expect_error 2 "extra" "$CARRY" authors src extra
[ ! -e "$CARRY_DB" ] || note "(a usage error created $CARRY_DB)"
note "bad input handled"
