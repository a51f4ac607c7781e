# Renames as git finds them, on random histories (rename_history.py):
# every stored change, rename pairs included, equals `git log -M
# --numstat` (oracle.py facts), and every line of every text file at HEAD
# names the commit `git blame` names (blame_check.py).  git log -M pairs
# each deleted file with at most one added file; git blame looks for the
# source of each added file alone; both must be git's, including its
# similarity score at the 50% and 75% (same base name) thresholds.
. "$TESTLIB"
setup_env

: "${RENAME_HISTORY:?RENAME_HISTORY must name rename_history.py}"
: "${BLAME_CHECK:?BLAME_CHECK must name blame_check.py}"

for seed in 1 2 3 4 5; do
	REPO="$SCRATCH/repo-$seed"
	DB="$SCRATCH/carry-$seed.db"
	export CARRY_DB="$DB"
	"$PYTHON" "$RENAME_HISTORY" "$REPO" "$seed" 90 || fail "seed $seed: cannot build the history"
	_renames=$(git -C "$REPO" log -M --name-status --format= | grep -c '^R' || true)
	[ "$_renames" -ge 20 ] || fail "seed $seed: only $_renames renames in the history"
	LAST_CMD="carry --db $DB --repo $REPO scan"
	run "$CARRY" --db "$DB" --repo "$REPO" scan
	[ "$RC" = 0 ] || { show_last; fail "seed $seed: scan failed"; }
	note "seed $seed: $(git -C "$REPO" rev-list --count HEAD) commits, $_renames renames"
	assert_facts_match_git "seed $seed" "$REPO" "$DB"
	"$PYTHON" "$BLAME_CHECK" --carry "$CARRY" --repo "$REPO" --label "seed $seed" ||
		fail "seed $seed: carry blame differs from git blame (above)"
done
