# The dashboard through a real terminal: tmux at 80x24 on the demo world,
# with TZ, locale, CARRY_NOW and size pinned.  Checks every pane, the tree's
# badges against `carry owners --dirs` and `carry orphans --dirs`,
# navigation, the commit, person and triage views (and `carry triage ID
# --tui`), search, sort, filter, the mouse, a rescan that picks up a new
# commit, quitting during the first scan, the help screen (every key it
# lists is exercised here), quitting with the terminal restored, a resize
# storm down to 1x1, NO_COLOR and a non-UTF-8 locale, and that hostile text
# (an author named with U+202E, a C1 CSI and an OSC sequence; the demo's
# ESC subjects) never reaches the terminal raw: the pty's bytes are
# recorded with pipe-pane.
. "$TESTLIB"
setup_env
command -v tmux >/dev/null || { note "tmux not installed: skipped"; exit 77; }
NOW=2026-11-20T00:00:00Z
DEMO="$SCRATCH/demo"
"$CARRY" demo "$DEMO" --at $NOW --quiet --no-tui >/dev/null || fail "carry demo failed"
# One more commit, by an author whose name would reorder, recolour and
# retitle the terminal if it reached it raw; the dashboard scans it.
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
ENVS="TZ=UTC LC_ALL=C.UTF-8 CARRY_NOW=$NOW"
C="'$CARRY' --repo '$DEMO/repo' --db '$DEMO/carry.db'"
# The app starts after pipe-pane is attached, so every byte is recorded.
$T new-session -d -s dash -x 80 -y 24 "sleep 1; $ENVS $C; echo EXIT=\$?; sleep 60"
$T pipe-pane -t dash -o "cat >>'$RAW'"

S=dash
screen() { $T capture-pane -p -t $S; }
# wait_for TEXT: the screen shows TEXT within 30 s (the sanitizer build is slow).
wait_for() {
	for _ in $(seq 300); do
		screen | grep -F -q -- "$1" && return 0
		sleep 0.1
	done
	screen >&2
	fail "the screen never showed [$1]"
}
# gone TEXT: the screen stops showing TEXT within 30 s.
gone() {
	for _ in $(seq 300); do
		screen | grep -F -q -- "$1" || return 0
		sleep 0.1
	done
	screen >&2
	fail "the screen still shows [$1]"
}
# Every key sent is remembered: the help screen's keys are checked against
# them at the end.
SENT="$SCRATCH/sent.keys"
: >"$SENT"
keys() {
	for k in "$@"; do
		echo "$k" >>"$SENT"
		$T send-keys -t $S "$k"
	done
}
# A mouse event at column X, row Y (0-based), X10 encoding: button 0 is a
# click of the first button (press, then release: 3), 64 the wheel up, 65
# the wheel down.
mouse() { # BUTTON X Y
	$T send-keys -t $S -H 1b 5b 4d "$(printf %x $((32 + $1)))" \
		"$(printf %x $((33 + $2)))" "$(printf %x $((33 + $3)))"
	[ "$1" != 0 ] || $T send-keys -t $S -H 1b 5b 4d 23 "$(printf %x $((33 + $2)))" "$(printf %x $((33 + $3)))"
}
top_line() { screen | head -n 1; }

wait_for "Owners: ."
wait_for "| 30d |"
wait_for "Ana Lima"
wait_for "j/k move"
[ "$(screen | wc -l)" = 24 ] || fail "the screen is not 24 lines"

# The badges are what the CLI says in the same window: the root's at 80
# columns, then every top-level directory's on a wide screen.
J="$SCRATCH/j"
"$CARRY" --repo "$DEMO/repo" --db "$DEMO/carry.db" --at $NOW owners --dirs --since 30d --format json >"$J.owners"
"$CARRY" --repo "$DEMO/repo" --db "$DEMO/carry.db" --at $NOW orphans --dirs --format json >"$J.orphans"
# badges PATH TEAMCOLS: "gN oN TEAM" as the tree shows them (percent rounded
# half up from the per-mille; o0 is not shown; a team cut to TEAMCOLS).
badges() {
	"$PYTHON" - "$J.owners" "$J.orphans" "$1" "$2" <<'PY'
import json, sys
owners = {r["path"]: r for r in json.load(open(sys.argv[1]))}
orphans = {r["path"]: r for r in json.load(open(sys.argv[2]))}
path, cols = sys.argv[3], int(sys.argv[4])
pct = lambda x: (round(x * 1000) + 5) // 10
o = owners[path]
parts = ["g%d" % pct(o["pager_gap"])] if o["changed"] else []
share = pct(orphans[path]["orphan_share"]) if path in orphans else 0
if share:
    parts.append("o%d" % share)
team = o["team"] or ""
parts.append(team if len(team) <= cols else team[:cols - 1] + "~")
print(" ".join(p for p in parts if p))
PY
}
# The tree line's badges, spaces squeezed.
tree_badges() { # LINE
	screen | sed -n "${1}p" | cut -c1-"$2" | sed 's/^[-+ ]*[^ ]* *//; s/  */ /g; s/ *$//'
}
want=$(badges . 6)
wait_for "g"
for _ in $(seq 100); do [ "$(tree_badges 2 32)" = "$want" ] && break; sleep 0.1; done
[ "$(tree_badges 2 32)" = "$want" ] || fail "the root's badges are [$(tree_badges 2 32)], the CLI says [$want]"
# The gauge says the same share, of the changed lines the CLI counts.
GAP=$("$PYTHON" -c 'import json,sys; r=[x for x in json.load(open(sys.argv[1])) if x["path"]=="."][0]; print((round(r["pager_gap"]*1000)+5)//10, r["changed"])' "$J.owners")
wait_for "${GAP% *}% of ${GAP#* }"
wait_for "activity "
$T resize-window -t dash -x 200 -y 60
wait_for "5 Incidents"
checked=0
for line in $(seq 3 40); do
	name=$(screen | sed -n "${line}p" | cut -c1-48 | sed -n 's/^+ \([^ ]*\)\/ .*/\1/p')
	[ -n "$name" ] || continue
	want=$(badges "$name" 8)
	[ "$(tree_badges "$line" 48)" = "$want" ] || fail "$name/: the tree says [$(tree_badges "$line" 48)], the CLI [$want]"
	checked=$((checked + 1))
done
[ "$checked" -ge 5 ] || fail "only $checked top-level directories were compared"
$T resize-window -t dash -x 80 -y 24
wait_for "Owners: ."

# Panes by number and Tab.
keys 2; wait_for "Drive-bys: ."
wait_for "Camila Torres"
keys 3; wait_for "Orphans: ."
keys 4; wait_for "Pager: ."
keys 5; wait_for "Incidents: ."
wait_for "INC-2024"
keys Tab; wait_for "Owners: ."

# Navigation: down to the hostile file, its author escaped; on to services/.
keys j; wait_for "Owners: .0-hostile"
wait_for '<U+202E>\u{9b}^[]2;X'
keys j; wait_for "Owners: .editorconfig"
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do keys j; done
wait_for "Owners: services"
keys Enter; wait_for "- services/"
keys j; wait_for "Owners: services/"
keys h; wait_for "Owners: services"
keys h; wait_for "+ services/"
keys Down Up; wait_for "Owners: services"
keys Right; wait_for "- services/"
keys Left; wait_for "+ services/"
keys G; wait_for "Owners: tools"
keys g; wait_for "Owners: ."
keys End Home; wait_for "Owners: ."
keys NPage; gone "Owners: . |"
keys PPage; wait_for "Owners: . |"

# The pane's rows: Enter on an open directory focuses the pane, Enter on a
# person opens what they wrote and carry; Esc goes back.
keys l; wait_for "Esc tree"
keys Enter; wait_for "Person: ."
wait_for "Ana Lima <ana.lima@acme.example>"
wait_for "Pager shifts"
wait_for "Changes in the window"
keys Escape; wait_for "Owners: ."
keys BSpace; wait_for "/ search"

# Sort: by name, then by share (the pane's own order), back to the analysis.
keys 1 s; wait_for "AUTHOR v"
screen | sed -n 5p | grep -F -q "Aisha Bello" || fail "sorted by name, Aisha Bello is not first"
keys s; wait_for "SHARE v"
screen | sed -n 5p | grep -F -q "Ana Lima" || fail "sorted by share, Ana Lima is not first"
keys s s s s s; gone " v "
# Filter by team: only payments' people; then no filter.
keys f; wait_for "filter (team or person):"
keys p a y m e n t s Enter; wait_for "f: payments"
screen | sed -n '5,22p' | grep -F -q "Olivia Brown" && fail "the filter kept Olivia Brown (mobile)"
screen | grep -F -q "Ana Lima" || fail "the filter lost Ana Lima (payments)"
keys f; wait_for "filter (team or person): payments"
for _ in 1 2 3 4 5 6 7 8; do keys BSpace; done
keys Enter; gone "f: payments"
wait_for "Olivia Brown"

# Drive-bys: a commit's view shows the escaped subject, its files and why
# each change is a drive-by.
keys 2; wait_for "Drive-bys: ."
keys l Enter; wait_for "Commit: ."
wait_for "Drive-by or not, and why"
wait_for "not a declared owner"
wait_for "Author: "
keys q; wait_for "Drive-bys: ."
# The demo's drive-by whose subject carries ESC[1;31m: escaped in its view.
$T resize-window -t dash -x 200 -y 40
wait_for '^[[1;31mFAIL'
$T resize-window -t dash -x 80 -y 24
keys Escape; wait_for "Tab/1-5 panes"

# Triage from the Incidents pane: t opens the selected incident.
keys 1 t; wait_for "Incidents: ."
keys t; wait_for "Triage: ."
wait_for "INC-2024 [SEV3]"
wait_for "On call now"
wait_for "Ingrid Larsen"
# Enter on who is on call: what they carry.
keys Enter; wait_for "Person: ."
wait_for "on call for mobile-bff-oncall"
keys Escape Escape; wait_for "Incidents: ."
keys Escape 1; wait_for "Owners: ."

# Search: paths, n and N between matches, then a person.
keys /; gone "j/k move"
keys r e f u n d Enter
wait_for "Owners: data/pipelines/ingest/refund_schema.py"
wait_for "match 1 of"
keys n; wait_for "Owners: data/pipelines/ingest/refund_transform.py"
wait_for "match 2 of"
keys N; wait_for "match 1 of"
keys / I n g r i d Enter
wait_for "Ingrid Larsen <ingrid.larsen@acme.example>"
# What she changed in the window and the part of it she does not carry,
# as the report's people section counts them.
read -r CH GAPL <<EOF
$("$CARRY" --repo "$DEMO/repo" --db "$DEMO/carry.db" --at $NOW report --since 30d --format json |
	"$PYTHON" -c 'import json,sys; r=[x for x in json.load(sys.stdin) if x["section"]=="people" and x["email"]=="ingrid.larsen@acme.example"][0]; print(r["changed"], r["gap_lines"])')
EOF
wait_for "Changed $CH lines in the window, $GAPL of them"
keys Escape; gone "Person:"

# The mouse: a click selects a tree line, a second click opens it; the
# wheel moves.
# (Rows: 1 is ".", 2 ".0-hostile", 3 ".editorconfig", 4 ".github/".)
keys g
mouse 0 1 4; wait_for "Owners: .github |"
mouse 0 1 4; wait_for "- .github/"
mouse 65 1 5; gone "Owners: .github |"
mouse 64 1 5; wait_for "Owners: .github |"
keys h; wait_for "+ .github/"

# The window cycles.
keys w; wait_for "| 90d |"
keys w w w w; wait_for "| 30d |"

# A rescan picks up a commit made while the dashboard is open.
echo y >"$DEMO/repo/.0-hostile"
GIT_AUTHOR_DATE=2026-11-19T01:00:00Z GIT_COMMITTER_DATE=2026-11-19T01:00:00Z \
	git -C "$DEMO/repo" -c user.name=Rescan -c user.email=rescan@example.com commit -q -am rescan
NEW=$(git -C "$DEMO/repo" rev-parse --short=12 HEAD)
keys r; wait_for "repo@$NEW"
wait_for "Owners: .github"
# The last search ("Ingrid") still steps, over the new tree.
keys n; wait_for "Ingrid Larsen <ingrid.larsen@acme.example>"
keys Escape; gone "Person:"
# The filter matches services too: payments' incidents stay.
keys g 5 f p a y m e n t s Enter; wait_for "f: payments"
wait_for "INC-2023"
screen | grep -F -q "INC-2024" && fail "the filter kept INC-2024 (mobile-bff)"
keys f; for _ in 1 2 3 4 5 6 7 8; do keys BSpace; done
keys Enter 1; gone "f: payments"
# The Incidents pane answers for the selected subtree: payments' code
# concerns INC-2023, not the mobile-bff incident.
keys / s e r v i c e s / p a y m e n t s Enter; wait_for "Owners: services/payments |"
keys 5; wait_for "INC-2023"
screen | grep -F -q "INC-2024" && fail "the Incidents pane of services/payments shows INC-2024"
keys 1 g; wait_for "Owners: . |"
keys / . g i t h u b Enter; wait_for "Owners: .github |"

# Help lists every request; scrolling reaches the last.
keys '?'; wait_for "carry: keys"
HELP="$SCRATCH/help.txt"
screen >"$HELP"
for _ in $(seq 30); do keys j; done
wait_for "quit (in the help"
screen >>"$HELP"
keys k PPage NPage Home End
keys q; wait_for "Owners: .github"
keys '?'; wait_for "carry: keys"
keys '?'; gone "carry: keys"
keys '?' Escape; gone "carry: keys"
# Every key the help names was sent above (tmux spells some differently).
sed -n 's/^  \(.\{14\}\) .*/\1/p' "$HELP" | tr ' ' '\n' | grep -v '^$' | sort -u | while read -r k; do
	case $k in
	Up | Down | Left | Right | Tab | Enter | Escape) want=$k ;;
	PgUp) want=PPage ;;
	PgDn) want=NPage ;;
	Esc) want=Escape ;;
	Backspace) want=BSpace ;;
	*) want=$k ;;
	esac
	grep -q -x -F -- "$want" "$SENT" || fail "the help lists '$k', which this test never pressed"
done

# A resize storm down to 1x1 and back: no crash, a message when too small.
for size in 40x10 20x5 1x1 5x2 200x60 80x24 59x24 80x9 80x24; do
	$T resize-window -t dash -x "${size%x*}" -y "${size#*x}" 2>/dev/null || true
done
$T resize-window -t dash -x 30 -y 8
wait_for "carry needs 60x10"
$T resize-window -t dash -x 80 -y 24
wait_for "Owners: .github"

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
	fail "the author's OSC sequence reached the terminal"
fi
# The terminal was restored: the alternate screen was left (rmcup).
grep -a -q "$(printf '\033\\[?1049l')" "$RAW" || fail "the terminal was not restored (no rmcup)"

# carry triage ID --tui: the triage first; Enter on a suspect, its commit.
S=triage
$T new-session -d -s triage -x 100 -y 30 "$ENVS $C triage INC-2023 --tui; echo EXIT=\$?; sleep 60"
wait_for "INC-2023"
wait_for "Suspect commits"
wait_for "Camila Torres"
keys Enter; wait_for "commit ee33746ef7b0f41452d5e24ab6c6192d805b1bbb"
keys q q q; wait_for "EXIT=0"
# An unknown incident: the CLI's message and its exit status.
$T new-session -d -s triage2 -x 100 -y 30 "$ENVS $C triage NOPE --tui; echo EXIT=\$?; sleep 60"
S=triage2
wait_for "no incident 'NOPE'"
wait_for "EXIT=1"

# NO_COLOR and the C locale: no colour sequences; the hostile name shows
# as '?' and its bytes never reach the terminal.
RAW2="$SCRATCH/raw2.bytes"
: >"$RAW2"
S=mono
$T new-session -d -s mono -x 80 -y 24 \
	"sleep 1; TZ=UTC LC_ALL=C NO_COLOR=1 CARRY_NOW=$NOW $C; echo EXIT=\$?; sleep 60"
$T pipe-pane -t mono -o "cat >>'$RAW2'"
wait_for "Owners: ."
wait_for "Ana Lima"
keys j; wait_for "Owners: .0-hostile"
wait_for "Rescan"
keys j; wait_for "Owners: .editorconfig"
keys q; wait_for "EXIT=0"
if grep -a -E -q "$(printf '\033')\\[(3|4)[0-9]m|$(printf '\033')\\[[0-9;]*(38|48);5" "$RAW2"; then
	fail "NO_COLOR: colour sequences reached the terminal"
fi
grep -a -q "$RLO" "$RAW2" && fail "C locale: U+202E reached the terminal"
grep -a -q "$CSI1" "$RAW2" && fail "C locale: a C1 CSI reached the terminal"

# Quitting during the first scan keeps what was scanned; the next scan
# finishes it.
S=first
$T new-session -d -s first -x 80 -y 24 \
	"$ENVS CARRY_SCAN_BATCH=50 '$CARRY' --repo '$DEMO/repo' --db '$SCRATCH/fresh.db'; echo EXIT=\$?; sleep 60"
wait_for "carry: scanning repo"
wait_for "q quits"
keys q; wait_for "EXIT=0"
"$CARRY" --repo "$DEMO/repo" --db "$SCRATCH/fresh.db" check >/dev/null || fail "check after q during the scan"
"$CARRY" --repo "$DEMO/repo" --db "$SCRATCH/fresh.db" scan --quiet || fail "the scan did not resume"
[ "$(sqlite3 "$SCRATCH/fresh.db" 'SELECT head FROM repos')" = "$(git -C "$DEMO/repo" rev-parse HEAD)" ] ||
	fail "the resumed scan did not reach HEAD"

# carry demo on a terminal ends in the dashboard on the world it built.
S=demo
$T new-session -d -s demo -x 80 -y 24 \
	"$ENVS '$CARRY' demo '$SCRATCH/demo2' --quiet; echo EXIT=\$?; sleep 60"
# Building, importing and scanning take a minute or more under the sanitizers.
for _ in $(seq 600); do
	screen | grep -E -q "Owners: \.|EXIT=" && break
	sleep 0.5
done
screen | grep -F -q "Owners: ." || { screen >&2; fail "carry demo did not open the dashboard"; }
keys q
wait_for "EXIT=0"

# No terminal: one line naming the command that answers as text.
assert_exit 1 env TERM=dumb "$CARRY" --repo "$DEMO/repo" --db "$DEMO/carry.db" --at $NOW
assert_one_line_stderr
assert_stderr_has "carry report"
note "ok"
