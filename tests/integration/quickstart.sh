# The README's first command, scripts/run, on a machine that has every
# package: it installs nothing, builds (nothing new: scripts/test built
# build/ already), builds the demo world under $XDG_DATA_HOME and opens the
# dashboard on it; without a terminal it prints the demo's weekly report.
. "$TESTLIB"
setup_env
command -v tmux >/dev/null || { note "tmux not installed: skipped"; exit 77; }
RUN="$SOURCE_ROOT/scripts/run"
[ -x "$RUN" ] || fail "no executable scripts/run in $SOURCE_ROOT"
# scripts/run builds in the checkout's build/; this test runs it only where
# that build exists (scripts/test, CI), never configuring one of its own.
[ -f "$SOURCE_ROOT/build/build.ninja" ] || { note "no $SOURCE_ROOT/build: skipped"; exit 77; }
NOW=2026-11-20T00:00:00Z
DEMO="$XDG_DATA_HOME/carry/demo"

SOCK="carry-quickstart-$$"
T="tmux -L $SOCK -f /dev/null"
trap '$T kill-server 2>/dev/null || true' EXIT
$T new-session -d -s run -x 80 -y 24 \
	"cd '$SCRATCH' && HOME='$HOME' XDG_DATA_HOME='$XDG_DATA_HOME' TZ=UTC LC_ALL=C.UTF-8 CARRY_NOW=$NOW '$RUN'; echo EXIT=\$?; sleep 60"
screen() { $T capture-pane -p -t run; }
for _ in $(seq 600); do
	screen | grep -E -q "Owners: \.|EXIT=" && break
	sleep 0.5
done
screen | grep -F -q "Owners: ." || { screen >&2; fail "scripts/run did not open the dashboard"; }
HEAD=$(git -C "$DEMO/repo" rev-parse --short=12 HEAD) || fail "no demo repository in $DEMO"
screen | head -n 1 | grep -F -q "repo@$HEAD" || { screen >&2; fail "the dashboard is not on $DEMO/repo"; }
$T send-keys -t run q
for _ in $(seq 100); do
	screen | grep -F -q "EXIT=" && break
	sleep 0.1
done
screen | grep -F -q "EXIT=0" || { screen >&2; fail "scripts/run did not exit 0 after q"; }

# No terminal: the weekly report of the demo world instead.
(cd "$SCRATCH" && CARRY_NOW=$NOW "$RUN" </dev/null >"$SCRATCH/out" 2>"$SCRATCH/err") ||
	{ cat "$SCRATCH/err" >&2; fail "scripts/run without a terminal failed"; }
grep -F -q "Headline (this period against the one before)" "$SCRATCH/out" ||
	fail "scripts/run without a terminal printed no report"
note "ok"
