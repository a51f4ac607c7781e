# Shared helpers for carry's integration tests.  Sourced (". "$TESTLIB"")
# by each script, which meson runs as `sh SCRIPT` with:
#   CARRY    the built binary
#   TESTLIB  this file
#   SCRATCH  a scratch directory for this test (wiped by setup_env)
#   ORACLE   tests/integration/oracle.py (git as the oracle)
# POSIX sh (dash).  Everything here is deterministic: fixed dates, pinned
# locale/timezone, a private HOME and git configuration.

set -eu

: "${CARRY:?CARRY must name the carry binary}"
: "${SCRATCH:?SCRATCH must name a scratch directory}"
: "${ORACLE:?ORACLE must name tests/integration/oracle.py}"

TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}

fail() {
	printf 'FAIL [%s]: %s\n' "$TEST_NAME" "$*" >&2
	exit 1
}

note() {
	printf '[%s] %s\n' "$TEST_NAME" "$*" >&2
}

# Pins everything that could make a run differ from the next one and wipes
# $SCRATCH.  Call first.
setup_env() {
	case $SCRATCH in
	/*) ;;
	*) fail "SCRATCH must be absolute: $SCRATCH" ;;
	esac
	if [ -d "$SCRATCH" ]; then
		# An earlier run may have left read-only directories or another
		# owner's files behind.
		chmod -R u+rwx "$SCRATCH" 2>/dev/null || true
		rm -rf "$SCRATCH"
	fi
	mkdir -p "$SCRATCH"
	[ -x "$CARRY" ] || fail "carry binary not found or not executable: $CARRY"
	command -v git >/dev/null || fail "git not found"
	command -v python3 >/dev/null || fail "python3 not found"
	# The interpreter itself, not a wrapper (a pyenv shim costs ~0.5 s a
	# call, and the oracle runs dozens of times).
	PYTHON=$(python3 -c 'import sys; print(sys.executable)')
	[ -x "$PYTHON" ] || PYTHON=python3
	command -v sqlite3 >/dev/null || fail "sqlite3 not found"

	export TZ=UTC
	export LC_ALL=C.UTF-8
	unset LANG LANGUAGE 2>/dev/null || true
	export HOME="$SCRATCH/home"
	export XDG_CONFIG_HOME="$HOME/.config"
	export XDG_DATA_HOME="$HOME/.local/share"
	export XDG_CACHE_HOME="$HOME/.cache"
	export XDG_STATE_HOME="$HOME/.local/state"
	export XDG_RUNTIME_DIR="$HOME/run"
	mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" \
		"$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
	chmod 700 "$XDG_RUNTIME_DIR"

	# git: no system or user configuration but ours.
	unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
		GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_COMMON_DIR GIT_NAMESPACE \
		GIT_CEILING_DIRECTORIES GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
		GIT_AUTHOR_DATE GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL \
		GIT_COMMITTER_DATE GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT \
		EMAIL 2>/dev/null || true
	export GIT_CONFIG_NOSYSTEM=1
	export GIT_CONFIG_GLOBAL="$SCRATCH/gitconfig"
	export GIT_TERMINAL_PROMPT=0
	export GIT_EDITOR=true
	export GIT_PAGER=cat PAGER=cat
	cat >"$GIT_CONFIG_GLOBAL" <<-'EOF'
	[user]
		name = Fixture Default
		email = default@example.invalid
	[init]
		defaultBranch = main
	[core]
		autocrlf = false
		fileMode = true
		quotePath = false
	[gc]
		auto = 0
	[maintenance]
		auto = false
	[commit]
		gpgSign = false
	[tag]
		gpgSign = false
	[advice]
		detachedHead = false
	[merge]
		conflictStyle = merge
	[pull]
		rebase = false
	[protocol "file"]
		allow = always
	[diff]
		renames = true
	EOF

	# carry: its database lives in the scratch directory.
	unset CARRY_NOW CARRY_THREADS CARRY_SCAN_BATCH 2>/dev/null || true
	export CARRY_DB="$SCRATCH/carry.db"
	cd "$SCRATCH"
}

# --- assertions --------------------------------------------------------

assert_eq() { # EXPECTED ACTUAL [WHAT]
	if [ "$1" != "$2" ]; then
		fail "${3:-values differ}: expected [$1], got [$2]"
	fi
}

assert_ne() { # UNEXPECTED ACTUAL [WHAT]
	if [ "$1" = "$2" ]; then
		fail "${3:-values equal}: did not expect [$1]"
	fi
}

# Runs a command with stdout in $OUT and stderr in $ERR; sets RC.  Never
# fails by itself.
OUT=
ERR=
RC=0
run() {
	OUT="$SCRATCH/last.out"
	ERR="$SCRATCH/last.err"
	set +e
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
	set -e
}

show_last() {
	printf -- '--- command: %s\n--- exit: %s\n--- stdout (first 40 lines):\n' "$LAST_CMD" "$RC" >&2
	head -n 40 "$OUT" >&2 || true
	printf -- '--- stderr (first 40 lines):\n' >&2
	head -n 40 "$ERR" >&2 || true
	printf -- '---\n' >&2
}

# assert_exit CODE cmd...: runs cmd (stdout in $OUT, stderr in $ERR) and
# fails unless it exits with CODE.
LAST_CMD=
assert_exit() {
	_want=$1
	shift
	LAST_CMD="$*"
	run "$@"
	if [ "$RC" != "$_want" ]; then
		show_last
		fail "expected exit $_want, got $RC: $*"
	fi
}

# Like assert_exit for carry, prefixing "$CARRY".
carry_ok() {
	assert_exit 0 "$CARRY" "$@"
}

# Number of lines in a file (a last line without newline counts).
count_lines() {
	awk 'END { print NR }' "$1"
}

# The last command's stderr is exactly one non-empty line.
assert_one_line_stderr() {
	_n=$(count_lines "$ERR")
	if [ "$_n" != 1 ] || [ ! -s "$ERR" ]; then
		show_last
		fail "expected exactly one line on stderr, got $_n: $LAST_CMD"
	fi
}

# The last command's stderr contains a fixed string.
assert_stderr_has() {
	if ! grep -F -q -- "$1" "$ERR"; then
		show_last
		fail "stderr does not mention [$1]: $LAST_CMD"
	fi
}

# The last command's stderr matches an extended regular expression
# (case-insensitive).
assert_stderr_matches() {
	if ! grep -E -i -q -- "$1" "$ERR"; then
		show_last
		fail "stderr does not match /$1/: $LAST_CMD"
	fi
}

assert_file_has() { # FILE STRING
	grep -F -q -- "$2" "$1" || fail "$1 does not contain [$2]"
}

assert_same_file() { # EXPECTED ACTUAL WHAT
	if ! cmp -s "$1" "$2"; then
		diff -u "$1" "$2" | head -n 80 >&2 || true
		fail "${3:-files differ}: $1 vs $2"
	fi
}

# --- git helpers -------------------------------------------------------

mkrepo() { # DIR
	mkdir -p "$1"
	git init -q -b main "$1"
}

# commit_as NAME EMAIL DATE MESSAGE [git-commit options...]
# Stages everything (git add -A) and commits in the current directory.
# Committer = author unless CNAME/CEMAIL are set; committer date = DATE
# unless CDATE is set.  DATE in any form git accepts; use an explicit
# offset, e.g. "2023-01-02 09:00:00 +0100".
commit_as() {
	_ca_name=$1 _ca_email=$2 _ca_date=$3 _ca_msg=$4
	shift 4
	git add -A
	printf '%s\n' "$_ca_msg" >"$SCRATCH/.commit-msg"
	GIT_AUTHOR_NAME=$_ca_name GIT_AUTHOR_EMAIL=$_ca_email GIT_AUTHOR_DATE=$_ca_date \
		GIT_COMMITTER_NAME=${CNAME:-$_ca_name} GIT_COMMITTER_EMAIL=${CEMAIL:-$_ca_email} \
		GIT_COMMITTER_DATE=${CDATE:-$_ca_date} \
		git commit -q --no-verify --cleanup=verbatim -F "$SCRATCH/.commit-msg" "$@"
}

# with_cdate DATE cmd...: runs cmd (commit_as, merge_as) with committer
# date DATE.  (A prefix assignment before a function call is not portable.)
with_cdate() {
	CDATE=$1
	shift
	"$@"
	unset CDATE
}

# merge_as NAME EMAIL DATE BRANCH MESSAGE: a --no-ff merge that must not
# conflict.
merge_as() {
	GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2 GIT_AUTHOR_DATE=$3 \
		GIT_COMMITTER_NAME=$1 GIT_COMMITTER_EMAIL=$2 GIT_COMMITTER_DATE=${CDATE:-$3} \
		git merge -q --no-ff --no-edit -m "$5" "$4" >/dev/null
}

# lines PREFIX N [START]: N numbered lines "PREFIX <i>".
lines() {
	awk -v p="$1" -v n="$2" -v s="${3:-1}" 'BEGIN { for (i = s; i < s + n; i++) print p " " i }'
}

# put FILE: writes stdin to FILE, creating directories.
put() {
	mkdir -p "$(dirname "$1")"
	cat >"$1"
}

# replace_line FILE N TEXT: line N of FILE becomes TEXT.
replace_line() {
	awk -v n="$2" -v t="$3" 'NR == n { print t; next } { print }' "$1" >"$1.tmp"
	mv "$1.tmp" "$1"
}

# Hostile and Unicode identities of the fixture.
ESC=$(printf '\033')
BEL=$(printf '\007')
BS=$(printf '\010')
TAB=$(printf '\t')
RLO=$(printf '\342\200\256')   # U+202E RIGHT-TO-LEFT OVERRIDE
PDF=$(printf '\342\200\254')   # U+202C POP DIRECTIONAL FORMATTING
N_ALICE="Alice Anders"
N_BOB="Bob Builder"
N_JOSE="José Müller"
N_YAMADA="山田太郎"
N_ZOE="Zoë"
N_MALLORY="Mallory ${ESC}[31mRed${ESC}[0m Hacker"
N_EVE="Eve ${RLO}gnp.exe${PDF} Evans"
N_CTRL="Ctl${TAB}Tab${BEL}Bell${BS}Back Person"
N_FORMULA="=1+2 Formula"
N_BOT="dependabot[bot]"
E_BOT="49699333+dependabot[bot]@users.noreply.github.com"

# build_fixture_repo DIR: THE main fixture.  About 65 commits over
# 2023-01-02 .. 2023-05-20 by a dozen identities; see the comments for the
# edge each step exercises.  Branches left behind: main (HEAD),
# old-release (before the second .mailmap), topic/unmerged (not merged).
build_fixture_repo() {
	_fx=$1
	mkrepo "$_fx"
	# A subshell for the cd; errexit stays on inside it (it must not be
	# the left side of || or &&), the trap says what failed.
	(
	trap 'echo "FAIL: building the fixture repository in $_fx failed" >&2' EXIT
	cd "$_fx"

	# 1. The tree most later commits touch.  .mailmap merges Bob's two
	# addresses; the old one is also used with different case later.
	put README.md <<-'EOF'
	# Fixture
	A repository built by carry's integration tests.
	Line three.
	Line four.
	Line five.
	EOF
	lines "engine line" 30 | put src/core/engine.c
	lines "util line" 20 | put src/core/util.c
	lines "http line" 25 | put src/net/http.c
	lines "dns resolver line" 40 | put src/net/dns.c
	lines "def old_name_function_" 15 | put lib/old_name.py
	lines "generator script line" 25 | put tools/gen.sh
	lines "old document line" 10 | put docs/old.md
	put .mailmap <<-'EOF'
	# Bob's old address is him too.
	Bob Builder <bob@example.com> <bob@old-corp.example>
	EOF
	commit_as "$N_ALICE" alice@example.com "2023-01-02 09:00:00 +0100" "Initial commit"

	# 2-3. Bob under his old address, then the same address in other case
	# (mailmap lookups ignore the case of the email).
	lines "guide line" 12 | put docs/guide.md
	commit_as "Bob B." bob@old-corp.example "2023-01-03 10:15:00 +0000" "Add guide"
	replace_line src/net/http.c 3 "http line 3 changed by bob"
	replace_line src/net/http.c 4 "http line 4 changed by bob"
	commit_as "Robert Builder" BOB@Old-Corp.Example "2023-01-04 11:00:00 -0800" "Tweak http"

	# 4. José before he fixed his name (second .mailmap maps it later).
	replace_line src/core/util.c 5 "util line 5 by jose"
	commit_as "Jose Muller" jose@example.com "2023-01-05 08:30:00 +0200" "Fix util"

	# 5. A wide-character name, +0900, a Unicode path with a space.
	lines "ドキュメント" 7 | put "docs/naïve façade.md"
	commit_as "$N_YAMADA" yamada@example.jp "2023-01-06 18:00:00 +0900" "ドキュメントを追加"

	# 6. Binary file (NUL bytes), under Zoë's personal address (merged
	# into her work address only by the second .mailmap).
	mkdir -p assets
	printf 'PNG\000\001\002\003binary\000data\n\000\377\376' >assets/logo.bin
	commit_as "$N_ZOE" zoe@personal.example "2023-01-07 07:45:00 -0500" "Add logo"

	# 7. Alice with her address in other case; a file without final newline.
	replace_line src/core/engine.c 10 "engine line 10 tuned"
	printf 'first\nsecond\nno newline at end' >notrail.txt
	commit_as "Alice Anders" Alice@Example.com "2023-01-09 14:00:00 +0000" "Tune engine, add notrail"

	# 8. Escape sequences in the name; a CRLF file.
	printf 'crlf one\r\ncrlf two\r\ncrlf three\r\ncrlf four\r\n' | put win/crlf.txt
	commit_as "$N_MALLORY" mallory@example.com "2023-01-10 03:00:00 -0330" \
		"$(printf 'Add CRLF file \033[2J\033]0;pwned\007')"

	# 9. Bidi override in the name.
	replace_line README.md 3 "Line three, edited by Eve."
	commit_as "$N_EVE" eve@example.com "2023-01-11 12:00:00 +0530" "Edit README"

	# 10. Tab, BEL and backspace in the name.
	replace_line src/core/util.c 12 "util line 12 by ctl"
	commit_as "$N_CTRL" ctl@example.com "2023-01-12 16:20:00 +0000" "Util tweak"

	# 11. A bot.
	printf 'requests==2.28.0\nurllib3==1.26.0\n' | put deps/requirements.txt
	commit_as "$N_BOT" "$E_BOT" "2023-01-13 05:00:00 +0000" "Bump requests from 2.27.0 to 2.28.0"

	# 12. Pure rename.
	git mv lib/old_name.py lib/new_name.py
	commit_as "$N_ALICE" alice@example.com "2023-01-16 09:00:00 +0100" "Rename old_name to new_name"

	# 13. Rename with edits (2 of 40 lines).
	git mv src/net/dns.c src/net/resolver.c
	replace_line src/net/resolver.c 1 "resolver header"
	replace_line src/net/resolver.c 40 "resolver footer"
	commit_as "$N_BOB" bob@example.com "2023-01-17 10:00:00 +0000" "Rename dns to resolver"

	# 14. Binary modified.
	printf 'PNG\000\001\002\003binary\000data v2\n\000\377\376\375' >assets/logo.bin
	commit_as "$N_ZOE" zoe@example.org "2023-01-18 07:45:00 -0500" "Update logo"

	# 15. Delete a file (re-added in 30).
	git rm -q docs/old.md
	commit_as "$N_JOSE" jose@example.com "2023-01-19 08:30:00 +0200" "Remove old doc"

	# 16. Append to a file without final newline, still without one; the
	# name starts with '=' (CSV formula injection).
	printf 'first\nsecond\nno newline at end\nmore without newline' >notrail.txt
	commit_as "$N_FORMULA" formula@example.com "2023-01-20 13:00:00 +0000" "Extend notrail"

	# 17. Empty commit.
	commit_as "$N_ALICE" alice@example.com "2023-01-23 09:00:00 +0100" "Empty commit: trigger CI" --allow-empty

	# 18. Paths sharing a prefix with src/core (PATH filter must not match).
	lines "extra line" 8 | put src/core2/extra.c
	lines "header line" 6 | put src/core.h
	commit_as "Carol Chen" carol@example.com "2023-01-24 11:11:00 +0000" "Add core2 and core.h"

	# 19. Move into src/core with an edit (1 of 25 lines).
	mkdir -p src/core
	git mv tools/gen.sh src/core/gen.sh
	replace_line src/core/gen.sh 13 "generator script line 13 moved"
	commit_as "$N_YAMADA" yamada@example.jp "2023-01-25 18:00:00 +0900" "Move generator into core"

	# 20. AI co-author trailer; committed three days after it was written.
	replace_line src/core/engine.c 20 "engine line 20 with help"
	with_cdate "2023-01-29 09:00:00 +0100" commit_as "$N_ALICE" alice@example.com "2023-01-26 09:00:00 +0100" \
		"$(printf 'Speed up engine\n\nCo-authored-by: Claude <noreply@anthropic.com>')"

	# 21. A subject spanning two lines.
	replace_line src/net/http.c 10 "http line 10 retries"
	commit_as "$N_BOB" bob@example.com "2023-01-27 10:00:00 +0000" \
		"$(printf 'Refactor http client\nso that retries work\n\nBody text here.')"

	# 22. Mode change only.
	chmod +x src/core/gen.sh
	commit_as "$N_ZOE" zoe@example.org "2023-01-30 07:45:00 -0500" "Make generator executable"

	# 23. A symlink.
	ln -s guide.md docs/latest
	commit_as "$N_EVE" eve@example.com "2023-01-31 12:00:00 +0530" "Link latest guide"

	# 24. An empty file.
	: >empty.txt
	commit_as "$N_MALLORY" mallory@example.com "2023-02-01 03:00:00 -0330" "Add empty file"

	# 25-27. Feature branch merged with --no-ff.
	git checkout -q -b feature/parser
	lines "parser line" 30 | put src/core/parser.c
	commit_as "$N_JOSE" jose@example.com "2023-02-02 08:30:00 +0200" "Add parser"
	replace_line src/core/parser.c 7 "parser line 7 fixed"
	printf 'parser line 31\n' >>src/core/parser.c
	commit_as "$N_JOSE" jose@example.com "2023-02-03 08:30:00 +0200" "Parser fixes"
	git checkout -q main
	replace_line README.md 4 "Line four, edited by Bob."
	commit_as "$N_BOB" bob@example.com "2023-02-03 12:00:00 +0000" "README tweak"
	merge_as "$N_ALICE" alice@example.com "2023-02-04 09:00:00 +0100" feature/parser \
		"Merge branch 'feature/parser'"

	# 28-29 + merge: a conflict resolved with lines of neither side.
	git checkout -q -b feature/conflict
	replace_line src/core/engine.c 5 "engine line 5 feature version"
	commit_as "Carol Chen" carol@example.com "2023-02-06 11:00:00 +0000" "Engine: feature side"
	git checkout -q main
	replace_line src/core/engine.c 5 "engine line 5 main version"
	commit_as "$N_ALICE" alice@example.com "2023-02-07 09:00:00 +0100" "Engine: main side"
	if GIT_AUTHOR_NAME=$N_BOB GIT_AUTHOR_EMAIL=bob@example.com GIT_COMMITTER_NAME=$N_BOB \
		GIT_COMMITTER_EMAIL=bob@example.com GIT_AUTHOR_DATE="2023-02-08 10:00:00 +0000" \
		GIT_COMMITTER_DATE="2023-02-08 10:00:00 +0000" \
		git merge -q --no-ff --no-edit feature/conflict >/dev/null 2>&1; then
		echo "fixture: expected a merge conflict" >&2
		exit 1
	fi
	replace_line src/core/engine.c 5 "engine line 5 resolved version"
	sed -i '6i engine line 5b added while resolving' src/core/engine.c
	git add -A
	GIT_AUTHOR_NAME=$N_BOB GIT_AUTHOR_EMAIL=bob@example.com GIT_COMMITTER_NAME=$N_BOB \
		GIT_COMMITTER_EMAIL=bob@example.com GIT_AUTHOR_DATE="2023-02-08 10:00:00 +0000" \
		GIT_COMMITTER_DATE="2023-02-08 10:00:00 +0000" \
		git commit -q --no-edit

	# 30. A deleted file comes back with other content.
	lines "reborn document line" 6 | put docs/old.md
	commit_as "$N_YAMADA" yamada@example.jp "2023-02-09 18:00:00 +0900" "Bring old doc back"

	# 31. Bot again.
	printf 'requests==2.31.0\nurllib3==1.26.0\n' >deps/requirements.txt
	commit_as "$N_BOT" "$E_BOT" "2023-02-10 05:00:00 +0000" "Bump requests from 2.28.0 to 2.31.0"

	# 32-33. Carol changes her name; her later commit (in history) carries
	# an older author date, so the name shown must be "Carol Smith".
	replace_line src/core2/extra.c 2 "extra line 2 by carol smith"
	commit_as "Carol Smith" carol@example.com "2023-02-13 11:00:00 +0000" "Extra tweak"
	replace_line src/core.h 3 "header line 3 by carol chen"
	with_cdate "2023-02-16 11:00:00 +0000" commit_as "Carol Chen" CAROL@example.com "2023-02-11 11:00:00 +0000" \
		"Header tweak (written earlier)"

	# 34. One CRLF line changed.
	printf 'crlf one\r\ncrlf TWO\r\ncrlf three\r\ncrlf four\r\n' >win/crlf.txt
	commit_as "$N_ALICE" alice@example.com "2023-02-17 09:00:00 +0100" "CRLF edit"

	# A branch for linked-worktree tests: before the second .mailmap.
	git branch old-release

	# 35-54. Ordinary work, March-April, a deep subtree, a merged branch.
	_i=1
	for _who in alice bob jose yamada zoe eve ctl carol alice bob \
		jose zoe yamada alice bob mallory carol jose alice bob; do
		case $_who in
		alice) _n=$N_ALICE _e=alice@example.com _tz=+0100 ;;
		bob) _n=$N_BOB _e=bob@example.com _tz=+0000 ;;
		jose) _n=$N_JOSE _e=jose@example.com _tz=+0200 ;;
		yamada) _n=$N_YAMADA _e=yamada@example.jp _tz=+0900 ;;
		zoe) _n=$N_ZOE _e=zoe@example.org _tz=-0500 ;;
		eve) _n=$N_EVE _e=eve@example.com _tz=+0530 ;;
		ctl) _n=$N_CTRL _e=ctl@example.com _tz=+0000 ;;
		carol) _n="Carol Smith" _e=carol@example.com _tz=+0000 ;;
		mallory) _n=$N_MALLORY _e=mallory@example.com _tz=-0330 ;;
		esac
		# Every other day from March 2nd to April 9th, even days in
		# March and odd ones in April (UTC too): never on the window
		# boundaries the tests use (March 15th, April 2nd).
		_day=$((_i * 2))
		_mon=03
		if [ "$_day" -gt 31 ]; then _day=$((_day - 31)); _mon=04; fi
		_date=$(printf '2023-%s-%02d 1%d:%02d:00 %s' "$_mon" "$_day" $((_i % 10)) $((_i * 7 % 60)) "$_tz")
		case $((_i % 5)) in
		0) _f=src/core/engine.c ;;
		1) _f=src/core/util.c ;;
		2) _f=src/net/http.c ;;
		3) _f=src/core/sub/deep.c ;;
		4) _f=docs/guide.md ;;
		esac
		mkdir -p "$(dirname "$_f")"
		printf 'work %d by %s\n' "$_i" "$_who" >>"$_f"
		if [ $((_i % 3)) = 0 ]; then
			replace_line "$_f" 2 "line 2 rewritten in round $_i"
		fi
		if [ $((_i % 4)) = 0 ]; then
			printf 'side %d\n' "$_i" >>src/net/resolver.c
		fi
		commit_as "$_n" "$_e" "$_date" "Work item $_i on $_f"
		if [ "$_i" = 8 ]; then
			# A feature branch off here, merged after round 12.
			git checkout -q -b feature/net
			replace_line src/net/http.c 15 "http line 15 net feature"
			with_cdate "2023-03-25 10:00:00 +0000" commit_as "$N_ZOE" zoe@example.org \
				"2023-03-17 10:00:00 -0500" "Net feature part 1"
			lines "tls line" 12 | put src/net/tls.c
			with_cdate "2023-03-25 10:00:00 +0000" commit_as "$N_EVE" eve@example.com \
				"2023-03-19 10:00:00 +0530" "Net feature part 2"
			git rm -q src/net/tls.c
			lines "tls line" 12 | put src/net/tls/tls.c
			replace_line src/net/tls/tls.c 6 "tls line 6 edited"
			with_cdate "2023-03-25 10:00:00 +0000" commit_as "$N_EVE" eve@example.com \
				"2023-03-21 10:00:00 +0530" "Net feature part 3: move tls"
			git checkout -q main
		fi
		if [ "$_i" = 12 ]; then
			merge_as "$N_BOB" bob@example.com "2023-03-26 10:00:00 +0000" feature/net \
				"Merge branch 'feature/net'"
		fi
		_i=$((_i + 1))
	done

	# 55. The second .mailmap: José's name, Zoë's two addresses.
	put .mailmap <<-'EOF'
	# Bob's old address is him too.
	Bob Builder <bob@example.com> <bob@old-corp.example>
	José Müller <jose@example.com>
	Zoë <zoe@example.org> <zoe@personal.example>
	EOF
	commit_as "$N_ALICE" alice@example.com "2023-05-02 09:00:00 +0100" "Update mailmap"

	# 56-58. A file deleted in a subdirectory, a binary deleted and added
	# again, a late commit by the person with case-different emails.
	git rm -q src/core2/extra.c
	commit_as "$N_ZOE" zoe@example.org "2023-05-05 07:45:00 -0500" "Drop core2"
	git rm -q assets/logo.bin
	commit_as "$N_MALLORY" mallory@example.com "2023-05-08 03:00:00 -0330" "Remove logo"
	mkdir -p assets
	printf 'GIF\000new logo\000\n' >assets/logo.bin
	commit_as "Alice Anders" ALICE@EXAMPLE.COM "2023-05-10 14:00:00 +0000" "New logo"

	# 59. A commit touching many directories at once.
	printf 'final\n' >>src/core/engine.c
	printf 'final\n' >>src/net/http.c
	printf 'final\n' >>docs/guide.md
	printf 'final\n' >>README.md
	commit_as "$N_BOB" bob@example.com "2023-05-12 10:00:00 +0000" "Final touches everywhere"

	# 60. The last commit in history, by Yamada.
	replace_line "docs/naïve façade.md" 2 "ドキュメント 2 改訂"
	commit_as "$N_YAMADA" yamada@example.jp "2023-05-20 18:00:00 +0900" "Revise docs"

	# A branch that is never merged (incremental tests rebase it).
	git checkout -q -b topic/unmerged HEAD~3
	printf 'topic work\n' >>src/core/util.c
	commit_as "$N_JOSE" jose@example.com "2023-05-15 08:30:00 +0200" "Topic work 1"
	printf 'topic work 2\n' >>src/core/util.c
	commit_as "$N_JOSE" jose@example.com "2023-05-16 08:30:00 +0200" "Topic work 2"
	git checkout -q main
	trap - EXIT
	)
}

# --- database helpers --------------------------------------------------

# dump_facts DB: prints every stored fact (commits, parents, changes),
# ordered by commit id and seq and without row ids, so that two databases
# can be compared byte for byte.
dump_facts() {
	sqlite3 -batch -noheader "$1" <<-'EOF'
	.mode list
	.separator " | "
	SELECT 'commit', c.oid, quote(c.author_name), quote(c.author_email),
	       c.author_time, c.author_tz, c.committer_time, c.parent_count,
	       quote(c.subject), c.ai_assisted, quote(c.skipped)
	  FROM commits c ORDER BY c.oid;
	SELECT 'parent', c.oid, p.idx, p.parent_oid
	  FROM commit_parents p JOIN commits c ON c.id = p.commit_id
	 ORDER BY c.oid, p.idx;
	SELECT 'change', c.oid, x.seq, quote(x.path), quote(x.old_path), x.status,
	       x.added, x.deleted, x.binary
	  FROM changes x JOIN commits c ON c.id = x.commit_id
	 ORDER BY c.oid, x.seq;
	EOF
}

# assert_same_facts DB_A DB_B WHAT
assert_same_facts() {
	dump_facts "$1" >"$SCRATCH/facts-a.txt" || fail "cannot read facts from $1"
	dump_facts "$2" >"$SCRATCH/facts-b.txt" || fail "cannot read facts from $2"
	[ -s "$SCRATCH/facts-a.txt" ] || fail "no facts in $1"
	if ! cmp -s "$SCRATCH/facts-a.txt" "$SCRATCH/facts-b.txt"; then
		diff -u "$SCRATCH/facts-a.txt" "$SCRATCH/facts-b.txt" | head -n 60 >&2 || true
		fail "${3:-facts differ}: $1 vs $2"
	fi
}

# The stored commits of a database equal `git rev-list HEAD` of a repo.
assert_commits_are_history() { # DB REPO
	sqlite3 -batch -noheader "$1" 'SELECT oid FROM commits ORDER BY oid;' >"$SCRATCH/db-oids.txt"
	git -C "$2" rev-list HEAD | LC_ALL=C sort >"$SCRATCH/git-oids.txt"
	if ! cmp -s "$SCRATCH/git-oids.txt" "$SCRATCH/db-oids.txt"; then
		diff -u "$SCRATCH/git-oids.txt" "$SCRATCH/db-oids.txt" | head -n 40 >&2 || true
		fail "stored commits of $1 are not exactly git rev-list HEAD of $2"
	fi
}

# `carry check` on a database must pass.
assert_check_ok() { # DB [WHEN]
	LAST_CMD="carry --db $1 check"
	run "$CARRY" --db "$1" check
	if [ "$RC" != 0 ]; then
		show_last
		fail "carry check failed on $1${2:+ ($2)}"
	fi
}

# --- oracle helpers ----------------------------------------------------

# assert_facts_match_git LABEL REPO [DB]: every stored commit and change of
# REPO equals what git says (oracle.py facts).
assert_facts_match_git() {
	"$PYTHON" "$ORACLE" facts --repo "$2" --db "${3:-$CARRY_DB}" ||
		fail "$1: stored facts differ from git"
}

# compare_authors LABEL REPO [carry authors args...]: carry authors --format
# json (from the database in $CARRY_DB) equals the oracle's answer.  The
# same args are given to the oracle (PATH, --since, --until).
compare_authors() {
	_label=$1 _repo=$2
	shift 2
	LAST_CMD="carry --repo $_repo authors --format json $*"
	run "$CARRY" --repo "$_repo" authors --format json "$@"
	if [ "$RC" != 0 ]; then
		show_last
		fail "$_label: carry authors failed"
	fi
	cp "$OUT" "$SCRATCH/actual.json"
	# --strict-bounds: a window bound must not be ambiguous (set
	# ORACLE_LAX=1 to test a bound that sits on a commit on purpose).
	_strict=--strict-bounds
	if [ -n "${ORACLE_LAX:-}" ]; then _strict=--parse=z; fi
	"$PYTHON" "$ORACLE" authors "$_strict" --repo "$_repo" "$@" >"$SCRATCH/expected.json" ||
		fail "$_label: the oracle failed"
	"$PYTHON" "$ORACLE" compare --label "$_label" "$SCRATCH/expected.json" "$SCRATCH/actual.json" ||
		fail "$_label: carry authors differs from git"
}
