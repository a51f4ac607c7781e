# The dashboard through a real terminal: tmux at 80x24 on the demo world,
# with TZ, locale, CARRY_NOW and size pinned.  Checks the panes, navigation,
# the help screen (every key it lists is one the app answers), quitting
# with the terminal restored, a resize storm down to 1x1, and that hostile
# text (an author named with U+202E, a C1 CSI and an ESC sequence; the
# demo's ESC subjects) never reaches the terminal raw: the pty's bytes are
# recorded with pipe-pane.
. "$TESTLIB"
setup_env
command -v tmux >/dev/null || { note "tmux not installed: skipped"; exit 77; }
NOW=2026-11-20T00:00:00Z
DEMO="$SCRATCH/demo"
"$CARRY" demo "$DEMO" --at $NOW --quiet --no-tui >/dev/null || fail "carry demo failed"
# One more commit, by an author whose name would reorder, recolour and
# move the cursor if it reached the terminal raw; the dashboard scans it.
RLO=$(printf '\342\200\256') CSI1=$(printf '\302\233') OSC=$(printf '\033]2;X')
echo x >"$DEMO/repo/.0-hostile"
git -C "$DEMO/repo" add .0-hostile
# (Escaped, the name is exactly as wide as the Owners pane's name column;
# git would strip control characters at its ends, so it ends with X.)
GIT_AUTHOR_NAME="${RLO}${CSI1}${OSC}" GIT_AUTHOR_EMAIL=mallory@example.com \
	GIT_AUTHOR_DATE=2026-11-19T00:00:00Z GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.com \
	GIT_COMMITTER_DATE=2026-11-19T00:00:00Z git -C "$DEMO/repo" commit -q -m hostile

SOCK="carry-test-$$"
T="tmux -L $SOCK -f /dev/null"
trap '$T kill-server 2>/dev/null || true' EXIT
RAW="$SCRATCH/raw.bytes"
: >"$RAW"
# The app starts after pipe-pane is attached, so every byte is recorded.
$T new-session -d -s dash -x 80 -y 24 \
	"sleep 1; TZ=UTC LC_ALL=C.UTF-8 CARRY_NOW=$NOW '$CARRY' --repo '$DEMO/repo' --db '$DEMO/carry.db'; echo EXIT=\$?; sleep 60"
$T pipe-pane -t dash -o "cat >>'$RAW'"

screen() { $T capture-pane -p -t dash; }
# wait_for TEXT: the screen shows TEXT within 10 s.
wait_for() {
	for _ in $(seq 100); do
		screen | grep -F -q -- "$1" && return 0
		sleep 0.1
	done
	screen >&2
	fail "the screen never showed [$1]"
}
keys() { $T send-keys -t dash "$@"; }

wait_for "Owners: ."
wait_for "| 30d |"
wait_for "Ana Lima"
wait_for "j/k move"
[ "$(screen | wc -l)" = 24 ] || fail "the screen is not 24 lines"

# Panes by number and Tab.
keys 2; wait_for "Drive-bys: ."
wait_for "Camila Torres"
keys 3; wait_for "Orphans: ."
keys 4; wait_for "Pager: ."
keys 5; wait_for "Incidents: ."
keys Tab; wait_for "Owners: ."

# Navigation: down to the first directory, open it, the pane follows.
keys j; wait_for "Owners: .0-hostile"
wait_for '<U+202E>\u{9b}^[]2;X'
keys j; wait_for "Owners: .editorconfig"
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do keys j; done
wait_for "Owners: services"
keys Enter; wait_for "- services/"
keys j; wait_for "Owners: services/"
keys h; wait_for "Owners: services"
keys h; wait_for "+ services/"

# The window cycles.
keys w; wait_for "| 90d |"
keys w w w w; wait_for "| 30d |"

# Help lists every request; each key it names is answered.
keys '?'; wait_for "keys (q or ? to leave)"
for k in "move up" "move down" "open a directory" "next pane" "cycle the window" "quit"; do
	wait_for "$k"
done
keys q; wait_for "Owners: services"

# A resize storm down to 1x1 and back: no crash, a message when too small.
for size in 40x10 20x5 1x1 5x2 200x60 80x24 59x24 80x9 80x24; do
	$T resize-window -t dash -x "${size%x*}" -y "${size#*x}" 2>/dev/null || true
done
$T resize-window -t dash -x 30 -y 8
wait_for "carry needs 60x10"
$T resize-window -t dash -x 80 -y 24
wait_for "Owners: services"

# The drive-by with ESC in its subject, shown escaped.
keys 2
wait_for "Drive-bys: services"
keys h; keys h
keys 2; wait_for "Drive-bys: ."
$T resize-window -t dash -x 200 -y 40
wait_for '^[[1;31mFAIL'

# Quit: the app exits 0 and gives the terminal back.
keys q
wait_for "EXIT=0"
sleep 0.2
# The raw bytes never carried the injected sequences: the subject's ESC[1;31m
# and U+202E (E2 80 AE) appear only escaped.
if grep -a -F -q "$(printf '\033[1;31mFAIL')" "$RAW"; then
	fail "an injected escape sequence reached the terminal"
fi
if grep -a -q "$RLO" "$RAW"; then
	fail "U+202E reached the terminal"
fi
if grep -a -q "$CSI1" "$RAW"; then
	fail "a C1 CSI reached the terminal"
fi
if grep -a -F -q "$OSC" "$RAW"; then
	fail "the author's ESC sequence reached the terminal"
fi
# The terminal was restored: the alternate screen was left (rmcup).
grep -a -q "$(printf '\033\\[?1049l')" "$RAW" || fail "the terminal was not restored (no rmcup)"

# carry demo on a terminal ends in the dashboard on the world it built.
$T new-session -d -s demo -x 80 -y 24 \
	"TZ=UTC LC_ALL=C.UTF-8 CARRY_NOW=$NOW '$CARRY' demo '$SCRATCH/demo2' --quiet; echo EXIT=\$?; sleep 60"
# Building, importing and scanning take a minute or more under the sanitizers.
for _ in $(seq 600); do
	$T capture-pane -p -t demo | grep -E -q "Owners: \.|EXIT=" && break
	sleep 0.5
done
$T capture-pane -p -t demo | grep -F -q "Owners: ." || {
	$T capture-pane -p -t demo >&2
	fail "carry demo did not open the dashboard"
}
$T send-keys -t demo q
for _ in $(seq 100); do
	$T capture-pane -p -t demo | grep -F -q "EXIT=0" && break
	sleep 0.1
done
$T capture-pane -p -t demo | grep -F -q "EXIT=0" || fail "carry demo did not exit 0 after q"

# No terminal: one line naming the command that answers as text.
assert_exit 1 env TERM=dumb "$CARRY" --repo "$DEMO/repo" --db "$DEMO/carry.db" --at $NOW
assert_one_line_stderr
assert_stderr_has "carry report"
note "ok"
