# carry authors --format json equals git's own per-person totals (the
# oracle: git log --no-merges --numstat -M --use-mailmap) on the main
# fixture, for the whole repository, subtrees, single files and time
# windows; and the same on a bare clone, a linked worktree and a shallow
# clone.  Text output is terminal-safe, CSV is RFC 4180 with the header.
. "$TESTLIB"
setup_env

REPO="$SCRATCH/repo"
build_fixture_repo "$REPO"
"$PYTHON" "$ORACLE" selftest --repo "$REPO" >/dev/null || fail "oracle self-test failed on the fixture"

# One database for every repository of this test: each must be filed
# under its own key (a worktree shares its object store with $REPO).
note "scanning the fixture"
carry_ok --repo "$REPO" scan
carry_ok --repo "$REPO" check
assert_facts_match_git "fixture" "$REPO"

compare_authors "whole repository" "$REPO"
compare_authors "subtree src/core" "$REPO" src/core
compare_authors "subtree src/core/ (trailing slash)" "$REPO" src/core/
compare_authors "subtree src" "$REPO" src
compare_authors "subtree docs" "$REPO" docs
compare_authors "subtree src/core/sub (nested)" "$REPO" src/core/sub
compare_authors "file src/core/engine.c" "$REPO" src/core/engine.c
compare_authors "file src/net/resolver.c (renamed)" "$REPO" src/net/resolver.c
compare_authors "file src/core/gen.sh (moved in, mode change)" "$REPO" src/core/gen.sh
compare_authors "binary assets/logo.bin" "$REPO" assets/logo.bin
compare_authors "file src/core.h (prefix of src/core)" "$REPO" src/core.h
compare_authors "file with non-ASCII name" "$REPO" "docs/naïve façade.md"
compare_authors "file deleted and re-added" "$REPO" docs/old.md
compare_authors "--since date" "$REPO" --since 2023-02-05
compare_authors "--until date" "$REPO" --until 2023-01-15
compare_authors "--since/--until dates" "$REPO" --since 2023-01-21 --until 2023-03-15
compare_authors "--since/--until March 15 - April 2" "$REPO" --since 2023-03-15 --until 2023-04-02
compare_authors "--since/--until timestamps" "$REPO" --since 2023-01-09T12:00:00Z --until 2023-02-12T00:00:00Z
compare_authors "--since past the author time of a late-committed commit" "$REPO" --since 2023-02-12
compare_authors "PATH and window" "$REPO" src --since 2023-01-21 --until 2023-03-15
compare_authors "window without commits" "$REPO" --since 2022-01-01 --until 2022-12-31
compare_authors "path without commits" "$REPO" no/such/dir

# Both bounds are inclusive, as git's: a commit at exactly --since or
# --until is in the window.  (Carol Chen, 2023-02-11T11:00:00Z.)
ORACLE_LAX=1 compare_authors "bounds equal to an author time are inclusive" "$REPO" \
	--since 2023-02-11T11:00:00Z --until 2023-02-11T11:00:00Z
grep -q '"commits": *1' "$SCRATCH/expected.json" || fail "fixture: expected one commit at 2023-02-11T11:00:00Z"

# --- text output: never raw control or bidi characters --------------------
carry_ok --repo "$REPO" authors
cp "$OUT" "$SCRATCH/authors.txt"
[ -s "$SCRATCH/authors.txt" ] || fail "carry authors (text) printed nothing"
"$PYTHON" "$ORACLE" text "$SCRATCH/authors.txt" || fail "carry authors text output contains raw control/bidi characters"
if LC_ALL=C grep -q "$(printf '\033')" "$SCRATCH/authors.txt"; then
	fail "carry authors text output contains a raw ESC (0x1b)"
fi
if LC_ALL=C grep -q "$(printf '\342\200\256')" "$SCRATCH/authors.txt"; then
	fail "carry authors text output contains a raw U+202E"
fi
# ... but the people are still there, shown visibly.
for _s in "Mallory" "Red" "Eve" "Evans" "山田太郎" "Zoë" "José Müller" "dependabot[bot]" "Carol Smith"; do
	assert_file_has "$SCRATCH/authors.txt" "$_s"
done
if grep -q "Carol Chen" "$SCRATCH/authors.txt"; then
	fail "text output shows Carol's older name (Carol Chen); her most recent commit says Carol Smith"
fi
for _opt in "--format text" "src/core --format text"; do
	# shellcheck disable=SC2086
	carry_ok --repo "$REPO" authors $_opt
	"$PYTHON" "$ORACLE" text "$OUT" || fail "carry authors $_opt: raw control/bidi characters"
done

# --- CSV --------------------------------------------------------------------
carry_ok --repo "$REPO" authors --format json
cp "$OUT" "$SCRATCH/authors.json"
carry_ok --repo "$REPO" authors --format csv
cp "$OUT" "$SCRATCH/authors.csv"
"$PYTHON" "$ORACLE" csv "$SCRATCH/authors.csv" "$SCRATCH/authors.json" ||
	fail "carry authors --format csv does not match its JSON"
carry_ok --repo "$REPO" authors src/core --format csv
cp "$OUT" "$SCRATCH/core.csv"
carry_ok --repo "$REPO" authors src/core --format json
"$PYTHON" "$ORACLE" csv "$SCRATCH/core.csv" "$OUT" || fail "carry authors src/core --format csv does not match its JSON"

# --- AI-assisted flag and mailmap-resolved identities in the store ----------
_ai=$(sqlite3 -batch -noheader "$CARRY_DB" "SELECT group_concat(subject, '|') FROM commits WHERE ai_assisted = 1;")
assert_eq "Speed up engine" "$_ai" "commits flagged ai_assisted (only the Co-authored-by: Claude one)"
_bobs=$(sqlite3 -batch -noheader "$CARRY_DB" "SELECT count(DISTINCT author_name || '<' || lower(author_email)) FROM commits WHERE lower(author_email) LIKE 'bob@%';")
assert_eq 1 "$_bobs" "Bob's identities after .mailmap (one name, one address)"

# --- bare clone: .mailmap from HEAD:.mailmap --------------------------------
BARE="$SCRATCH/bare.git"
git clone -q --bare "$REPO" "$BARE"
note "scanning a bare clone"
carry_ok --repo "$BARE" scan
assert_facts_match_git "bare clone" "$BARE"
compare_authors "bare clone" "$BARE"
compare_authors "bare clone, subtree src/net" "$BARE" src/net
compare_authors "bare clone, window" "$BARE" --since 2023-01-21 --until 2023-03-15
# The first scan must still answer for the first repository.
compare_authors "whole repository after scanning the bare clone" "$REPO"

# --- linked worktree on an older branch (whose .mailmap lacks the Zoë and
# José entries): carry follows the worktree's HEAD and .mailmap ----------
WT="$SCRATCH/worktree"
git -C "$REPO" worktree add -q "$WT" old-release
assert_ne "$(git -C "$REPO" rev-parse HEAD)" "$(git -C "$WT" rev-parse HEAD)" "worktree HEAD"
note "scanning a linked worktree"
carry_ok --repo "$WT" scan
assert_facts_match_git "linked worktree" "$WT"
compare_authors "linked worktree" "$WT"
compare_authors "linked worktree, subtree src/core" "$WT" src/core
compare_authors "main repository after scanning its worktree" "$REPO"
# From inside the worktree, without --repo.
(
	cd "$WT/src"
	LAST_CMD="(cd $WT/src) carry authors --format json"
	run "$CARRY" authors --format json
	[ "$RC" = 0 ] || { show_last; fail "carry authors inside the worktree failed"; }
	"$PYTHON" "$ORACLE" authors --repo "$WT" >"$SCRATCH/expected.json"
	"$PYTHON" "$ORACLE" compare --label "worktree, repository found from the working directory" \
		"$SCRATCH/expected.json" "$OUT" || fail "carry authors from inside the worktree differs from git"
)

# --- shallow clone: parents listed in .git/shallow are missing ------------
SHALLOW="$SCRATCH/shallow"
git clone -q --depth 20 "file://$REPO" "$SHALLOW"
[ -s "$SHALLOW/.git/shallow" ] || fail "fixture: the shallow clone has no .git/shallow"
_all=$(git -C "$REPO" rev-list --count HEAD)
_have=$(git -C "$SHALLOW" rev-list --count HEAD)
[ "$_have" -lt "$_all" ] || fail "fixture: the shallow clone is not truncated ($_have of $_all)"
note "scanning a shallow clone ($_have of $_all commits)"
LAST_CMD="carry --repo $SHALLOW scan"
run "$CARRY" --repo "$SHALLOW" scan
[ "$RC" = 0 ] || { show_last; fail "carry scan of a shallow clone failed"; }
assert_stderr_has "history truncated at"
assert_facts_match_git "shallow clone" "$SHALLOW"
compare_authors "shallow clone" "$SHALLOW"
compare_authors "shallow clone, subtree src/core" "$SHALLOW" src/core
compare_authors "shallow clone, window" "$SHALLOW" --since 2023-03-15 --until 2023-04-02
_stored=$(sqlite3 -batch -noheader "$CARRY_DB" "SELECT count(*) FROM commits c JOIN repos r ON r.id = c.repo_id WHERE r.path LIKE '%/shallow' OR r.path LIKE '%/shallow/';")
assert_eq "$_have" "$_stored" "commits stored for the shallow clone"

carry_ok check
# Scanning the others left the first repository's facts alone.
assert_facts_match_git "fixture, after scanning its clones and worktree" "$REPO"
note "all authors oracle comparisons passed"
