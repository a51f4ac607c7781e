# Incremental scans: a second scan stores only the new commits and ends
# with exactly the facts of a clean --full scan; rewritten history (reset,
# amend, rebase, switching branches) is brought back in line — no stale
# commits, no duplicates.  `carry check` passes throughout.
. "$TESTLIB"
setup_env

REPO="$SCRATCH/repo"
build_fixture_repo "$REPO"
DB="$SCRATCH/incremental.db"
export CARRY_DB="$DB"

# stored_ids DB: "oid id" of every commit, to see that old rows stay put.
stored_ids() {
	sqlite3 -batch -noheader "$1" 'SELECT oid, id FROM commits ORDER BY oid;'
}

# unstored_count: commits reachable from HEAD that the database lacks.
unstored_count() {
	git -C "$REPO" rev-list HEAD | LC_ALL=C sort >"$SCRATCH/want-oids.txt"
	if [ -f "$DB" ]; then
		sqlite3 -batch -noheader "$DB" 'SELECT oid FROM commits ORDER BY oid;' >"$SCRATCH/have-oids.txt"
	else
		: >"$SCRATCH/have-oids.txt"
	fi
	LC_ALL=C comm -23 "$SCRATCH/want-oids.txt" "$SCRATCH/have-oids.txt" | awk 'END { print NR }'
}

# scan_expect_new N WHAT: an incremental scan that reports N new commits
# (N is also checked against what the database lacks before the scan).
scan_expect_new() {
	assert_eq "$1" "$(unstored_count)" "$2: commits the database lacks before the scan"
	LAST_CMD="carry --repo $REPO scan ($2)"
	run "$CARRY" --repo "$REPO" scan
	[ "$RC" = 0 ] || { show_last; fail "$2: carry scan failed"; }
	if ! grep -E -q "(^|[^0-9])$1 new" "$ERR"; then
		show_last
		fail "$2: the scan summary does not say \"$1 new\""
	fi
}

# same_as_clean WHAT: the incremental database equals a fresh --full scan
# into another database, equals git's history, and answers like the oracle.
_clean=0
same_as_clean() {
	_clean=$((_clean + 1))
	_fresh="$SCRATCH/clean-$_clean.db"
	rm -f "$_fresh" "$_fresh-wal" "$_fresh-shm"
	LAST_CMD="carry --db $_fresh --repo $REPO scan --full"
	run "$CARRY" --db "$_fresh" --repo "$REPO" scan --full --quiet
	[ "$RC" = 0 ] || { show_last; fail "$1: clean scan failed"; }
	assert_check_ok "$DB" "$1"
	assert_check_ok "$_fresh" "$1, clean scan"
	assert_same_facts "$_fresh" "$DB" "$1: incremental facts differ from a clean scan"
	assert_commits_are_history "$DB" "$REPO"
	assert_facts_match_git "$1" "$REPO" "$DB"
	_head=$(sqlite3 -batch -noheader "$DB" 'SELECT head FROM repos;')
	assert_eq "$(git -C "$REPO" rev-parse HEAD)" "$_head" "$1: repos.head"
	compare_authors "$1" "$REPO"
	compare_authors "$1, subtree src/core" "$REPO" src/core
}

cd "$REPO"

# --- first scan, then three new commits ----------------------------------
note "first scan"
_total=$(git rev-list --count HEAD)
scan_expect_new "$_total" "first scan"
same_as_clean "first scan"
stored_ids "$DB" >"$SCRATCH/ids-before.txt"

printf 'incremental 1\n' >>src/core/engine.c
commit_as "$N_ALICE" alice@example.com "2023-06-01 09:00:00 +0100" "Incremental 1"
git mv src/core/parser.c src/core/parse.c
commit_as "$N_BOB" bob@example.com "2023-06-02 10:00:00 +0000" "Rename parser"
printf 'incremental 3\n' >>docs/guide.md
commit_as "$N_YAMADA" yamada@example.jp "2023-06-03 18:00:00 +0900" "Incremental 3"
note "second scan after 3 new commits"
scan_expect_new 3 "second scan"
stored_ids "$DB" >"$SCRATCH/ids-after.txt"
# Every commit stored before is still the same row: nothing re-inserted.
LC_ALL=C comm -23 "$SCRATCH/ids-before.txt" "$SCRATCH/ids-after.txt" >"$SCRATCH/ids-gone.txt"
if [ -s "$SCRATCH/ids-gone.txt" ]; then
	head "$SCRATCH/ids-gone.txt" >&2
	fail "the second scan rewrote rows of commits stored by the first"
fi
assert_eq $((_total + 3)) "$(count_lines "$SCRATCH/ids-after.txt")" "commits stored after the second scan"
same_as_clean "after 3 new commits"

# Nothing new: nothing changes.
dump_facts "$DB" >"$SCRATCH/facts-before-noop.txt"
LAST_CMD="carry scan (nothing new)"
run "$CARRY" --repo "$REPO" scan
[ "$RC" = 0 ] || { show_last; fail "no-op scan failed"; }
if ! grep -E -i -q '(^|[^0-9])0 new|up to date|up-to-date|no new' "$ERR"; then
	show_last
	fail "a scan with nothing new does not say so (\"0 new\" or \"up to date\")"
fi
dump_facts "$DB" >"$SCRATCH/facts-after-noop.txt"
assert_same_file "$SCRATCH/facts-before-noop.txt" "$SCRATCH/facts-after-noop.txt" "a no-op scan changed facts"

# --- HEAD moves back to an ancestor: the dropped commits must go --------
git reset -q --hard HEAD~2
note "scan after reset --hard HEAD~2"
run "$CARRY" --repo "$REPO" scan --quiet
[ "$RC" = 0 ] || { LAST_CMD="scan after reset"; show_last; fail "scan after reset failed"; }
same_as_clean "after reset --hard HEAD~2"

# --- reset HEAD~3 and new commits: a rewritten history ---------------------
git reset -q --hard HEAD~3
printf 'rewritten 1\n' >>src/net/http.c
commit_as "$N_ZOE" zoe@example.org "2023-06-10 07:45:00 -0500" "Rewritten 1"
git rm -q docs/guide.md
commit_as "$N_EVE" eve@example.com "2023-06-11 12:00:00 +0530" "Rewritten 2: drop guide"
note "scan after reset --hard HEAD~3 + 2 new commits"
scan_expect_new 2 "scan after rewriting history"
same_as_clean "after reset --hard HEAD~3 and 2 new commits"

# --- amend: same parent, new commit ---------------------------------------
printf 'amended\n' >>src/net/http.c
git add -A
GIT_AUTHOR_NAME=$N_EVE GIT_AUTHOR_EMAIL=eve@example.com GIT_AUTHOR_DATE="2023-06-12 12:00:00 +0530" \
	GIT_COMMITTER_NAME=$N_EVE GIT_COMMITTER_EMAIL=eve@example.com \
	GIT_COMMITTER_DATE="2023-06-12 12:00:00 +0530" \
	git commit -q --amend --reset-author -m "Rewritten 2: drop guide (amended)"
note "scan after commit --amend"
scan_expect_new 1 "scan after amend"
same_as_clean "after commit --amend"

# --- switch to another branch (not a descendant) and back -----------------
git checkout -q topic/unmerged
note "scan after switching to topic/unmerged"
run "$CARRY" --repo "$REPO" scan --quiet
[ "$RC" = 0 ] || { LAST_CMD="scan on topic"; show_last; fail "scan after checkout failed"; }
same_as_clean "on branch topic/unmerged"

# --- rebase that branch onto main: every topic commit is rewritten --------
GIT_COMMITTER_NAME=Rebaser GIT_COMMITTER_EMAIL=rebaser@example.com \
	GIT_COMMITTER_DATE="2023-06-20 10:00:00 +0000" git rebase -q main
note "scan after rebasing topic/unmerged onto main"
# New to the database: main's commits since the fork (dropped while on the
# topic branch) and the two rebased ones.
scan_expect_new "$(unstored_count)" "scan after rebase"
[ "$(unstored_count)" = 0 ] || fail "scan after rebase left commits unstored"
same_as_clean "after rebase onto main"

git checkout -q main
run "$CARRY" --repo "$REPO" scan --quiet
[ "$RC" = 0 ] || { LAST_CMD="scan back on main"; show_last; fail "scan back on main failed"; }
same_as_clean "back on main"

# --- --full on an up-to-date database changes nothing ---------------------
dump_facts "$DB" >"$SCRATCH/facts-before-full.txt"
carry_ok --repo "$REPO" scan --full --quiet
dump_facts "$DB" >"$SCRATCH/facts-after-full.txt"
assert_same_file "$SCRATCH/facts-before-full.txt" "$SCRATCH/facts-after-full.txt" "scan --full changed facts of an up-to-date database"
same_as_clean "after scan --full"
_dups=$(sqlite3 -batch -noheader "$DB" 'SELECT count(*) FROM (SELECT oid FROM commits GROUP BY repo_id, oid HAVING count(*) > 1);')
assert_eq 0 "$_dups" "duplicate commits"
note "incremental scans match clean scans"
