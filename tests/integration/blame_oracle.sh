# carry blame: for every line of every text file at HEAD, the commit git
# blame names (default options: no -M/-C), 100% of lines, after a first
# scan, after incremental scans (a new commit, a late merge of a branch that
# forked before the scanned head, a rewritten history) and after --full.
# The history on top of the main fixture covers what makes line origins
# hard: --no-ff feature merges, an evil merge, a merge taking the second
# parent's version whole, an "ours" merge, an octopus, main merged into a
# feature branch and back, the same line made on both sides, a rename on a
# branch merged with an edit on main, renames with and without edits, files
# rewritten just under and over git's 50% rename similarity, an exact rename
# with two identical sources, a move plus a near copy in one commit,
# reverts, a file deleted and re-added, CRLF, missing/gained/lost final newlines, empty files, binaries, symlinks,
# >4 KiB files with runs of identical lines (git's common-tail trim and the
# indent heuristic decide where an ambiguous insertion goes) and Unicode
# paths with spaces.  Text output has one line per file line and no raw ESC,
# BEL or U+202E.
. "$TESTLIB"
setup_env

REPO="$SCRATCH/repo"
build_fixture_repo "$REPO"
cd "$REPO"

# --- helpers ----------------------------------------------------------------

# git_as NAME EMAIL DATE git-args...: git with author = committer = NAME.
git_as() {
	_ga_n=$1 _ga_e=$2 _ga_d=$3
	shift 3
	GIT_AUTHOR_NAME=$_ga_n GIT_AUTHOR_EMAIL=$_ga_e GIT_AUTHOR_DATE=$_ga_d \
		GIT_COMMITTER_NAME=$_ga_n GIT_COMMITTER_EMAIL=$_ga_e GIT_COMMITTER_DATE=$_ga_d \
		git "$@"
}

# merge_conflict_as NAME EMAIL DATE BRANCH: a merge that must conflict (the
# caller resolves it and calls conclude_as).
merge_conflict_as() {
	if git_as "$1" "$2" "$3" merge -q --no-ff --no-edit "$4" >/dev/null 2>&1; then
		fail "fixture: expected merging $4 to conflict"
	fi
}

# conclude_as NAME EMAIL DATE: commits the merge in progress as it stands.
conclude_as() {
	git add -A
	git_as "$1" "$2" "$3" commit -q --no-verify --no-edit
}

# cfuncs PREFIX N [START]: N small C functions of 8 lines each (the last a
# blank line): every function ends with the same five lines.
cfuncs() {
	awk -v p="$1" -v n="$2" -v s="${3:-1}" 'BEGIN {
		for (i = s; i < s + n; i++)
			printf "int %s_%d(int x)\n{\n\tif (x > %d) {\n\t\treturn x;\n\t}\n\treturn 0;\n}\n\n", p, i, i
	}'
}

# insert_at FILE N: stdin becomes lines N, N+1, ... of FILE (appended when
# FILE has fewer than N lines).
insert_at() {
	cat >"$SCRATCH/.insert"
	awk -v n="$2" -v f="$SCRATCH/.insert" '
		NR == n { while ((getline l < f) > 0) print l; done = 1 }
		{ print }
		END { if (!done) while ((getline l < f) > 0) print l }' "$1" >"$1.tmp"
	mv "$1.tmp" "$1"
}

# delete_lines FILE FROM TO
delete_lines() {
	awk -v a="$2" -v b="$3" 'NR < a || NR > b' "$1" >"$1.tmp"
	mv "$1.tmp" "$1"
}

# --- the history on top of the fixture ---------------------------------------
note "building the blame history"

UDIR="src/dir with space/ünïcødé ✓"
UFILE="$UDIR/naïve file ☃.txt"

# B1. Files later commits edit.  funcs.c: 100 functions (6 KiB) that all
# end alike; braces.txt: 500 mixed lines, then 2000 lines of "}" (4 KiB of
# identical lines at the end); blank.txt: runs of blank lines.
cfuncs fn 100 | put src/big/funcs.c
awk 'BEGIN {
	for (i = 1; i <= 500; i++) {
		if (i % 50 == 0) printf "section %d\n", i
		else if (i % 7 == 0) print ""
		else if (i % 3 == 0) print "\t}"
		else print "}"
	}
	for (i = 1; i <= 2000; i++) print "}"
}' | put src/big/braces.txt
awk 'BEGIN { for (i = 1; i <= 300; i++) { if (i % 25 == 0) printf "mark %d\n", i; else print "" } }' |
	put src/big/blank.txt
lines "conflict line" 20 | put merge/conflict.txt
lines "theirs line" 20 | put merge/theirs.txt
lines "ours line" 10 | put merge/ours.txt
lines "octo line" 60 | put merge/octo.txt
lines "sync line" 30 | put merge/sync.txt
lines "rename me line" 12 | put merge/rename_me.txt
lines "dup line" 8 | put merge/dup.txt
lines "revert me line" 20 | put misc/revert_me.txt
lines "readd line" 20 | put misc/readd.txt
lines "emptied line" 5 | put misc/emptied.txt
: >misc/filled.txt
printf 'gain one\ngain two\ngain three' | put misc/nl_gain.txt
printf 'lose one\nlose two\nlose three\n' | put misc/nl_lose.txt
printf 'swap one\nswap two\nswap three' | put misc/nl_swap.txt
printf 'mixed one\r\nmixed two\nmixed three\r\nmixed four\r\nmixed five\n' | put win/mixed.txt
lines "crlf all" 6 | awk '{ printf "%s\r\n", $0 }' | put win/tocrlf.txt
lines "ünïcødé line" 9 | put "$UFILE"
printf '#!/bin/sh\necho one\necho two\necho three\n' | put tools/run.sh
chmod +x tools/run.sh
# Text with a NUL in the middle: binary for git, skipped like logo.bin.
{ lines "data line" 200; printf 'nul\000here\n'; lines "data line" 50 201; } | put data/blob.dat
ln -s src/big big-link
commit_as "$N_ALICE" alice@example.com "2023-06-01 09:00:00 +0100" "Add the blame playground"

# B2. people.txt: one line per identity, hostile content included.
{
	printf 'people line 1\n'
	printf 'people line 2 \033[31mred\033[0m \033]0;title\007 %s\n' "$RLO"
	printf 'people line 3\n'
	printf 'people line 4\n'
	printf 'people line 5\n'
} | put people.txt
commit_as "$N_MALLORY" mallory@example.com "2023-06-02 03:00:00 -0330" "Add people"
replace_line people.txt 1 "people line 1 by eve"
commit_as "$N_EVE" eve@example.com "2023-06-03 12:00:00 +0530" "People: eve"
# mailmap: "Jose Muller" becomes José Müller, Zoë's personal address her
# work one, Bob's old address (other case) bob@example.com.
replace_line people.txt 3 "people line 3 by jose"
commit_as "Jose Muller" jose@example.com "2023-06-04 08:30:00 +0200" "People: jose"
replace_line people.txt 4 "people line 4 by zoe"
commit_as "$N_ZOE" zoe@personal.example "2023-06-05 07:45:00 -0500" "People: zoe"
replace_line people.txt 5 "people line 5 by bob"
commit_as "Bob B." BOB@OLD-CORP.example "2023-06-06 10:15:00 +0000" "People: bob"
printf 'people line 6 by yamada\n' >>people.txt
commit_as "$N_YAMADA" yamada@example.jp "2023-06-07 18:00:00 +0900" "People: yamada"

# B3. Edits in the middle of the >4 KiB files.  A whole function inserted
# after fn_50 (its last 5 lines equal the lines above it: where the
# insertion is drawn is the indent heuristic's choice); one line of fn_60;
# one "}" into the 2000-line run (git trims the common tail in 1024-byte
# blocks before diffing, which bounds how far the insertion slides); a "}"
# into the mixed part; blank lines into blank runs.
cfuncs fn 1 777 | insert_at src/big/funcs.c 401
replace_line src/big/funcs.c 486 "	return -60;"
# A stub with fn_70's first line, inserted above fn_70: three places to
# draw it; git's indent heuristic picks one, plain slide-down another.
printf 'int fn_70(int x)\n{\n\treturn 0;\n}\n\n' | insert_at src/big/funcs.c 561
printf '}\n' | insert_at src/big/braces.txt 1200
printf '}\n}\n\n' | insert_at src/big/braces.txt 250
printf '\n\n' | insert_at src/big/blank.txt 140
printf '\n' | insert_at src/big/blank.txt 10
commit_as "$N_BOB" bob@example.com "2023-06-08 10:00:00 +0000" "Big files: middle edits"
lines "revert me line" 2 105 | insert_at misc/revert_me.txt 6
commit_as "$N_CTRL" ctl@example.com "2023-06-08 16:20:00 +0000" "Two lines reverted much later"
_revert_older=$(git rev-parse HEAD)

# B4. Renames: with edits in the middle (José, via mailmap), without.
git mv src/big/funcs.c src/big/functions.c
replace_line src/big/functions.c 300 "	return 37;"
replace_line src/big/functions.c 301 "}"
cfuncs fn 1 888 | insert_at src/big/functions.c 646
commit_as "Jose Muller" jose@example.com "2023-06-09 08:30:00 +0200" "Rename funcs.c with edits"
git mv src/big/braces.txt src/big/braces2.txt
commit_as "$N_ZOE" zoe@personal.example "2023-06-10 07:45:00 -0500" "Rename braces.txt"
git mv merge/dup.txt merge/dup-renamed.txt
git mv "$UFILE" "$UDIR/renamed ☃.txt"
UFILE="$UDIR/renamed ☃.txt"
commit_as "$N_YAMADA" yamada@example.jp "2023-06-11 18:00:00 +0900" "Rename dup and the Unicode file"

# B5. Newlines at the end, CRLF, empty files, delete (re-added in B12).
printf 'gain one\ngain two\ngain three\n' >misc/nl_gain.txt
printf 'lose one\nlose two\nlose three' >misc/nl_lose.txt
printf 'swap one\nswap two\nswap three\nswap four' >misc/nl_swap.txt
printf 'mixed one\r\nmixed TWO\r\nmixed three\r\nmixed four\nmixed five\n' >win/mixed.txt
awk '{ sub(/\r$/, ""); print }' win/tocrlf.txt >win/tocrlf.tmp && mv win/tocrlf.tmp win/tocrlf.txt
: >misc/emptied.txt
lines "filled line" 4 >misc/filled.txt
git rm -q misc/readd.txt
replace_line "$UFILE" 5 "ünïcødé line 5 by eve"
commit_as "$N_EVE" eve@example.com "2023-06-12 12:00:00 +0530" "Endings, empties, removal"
printf 'swap one\nswap two\nswap three\nswap four\n' >misc/nl_swap.txt
lines "crlf all" 6 | awk '{ printf "%s\r\n", $0 }' >win/tocrlf.txt
commit_as "$N_CTRL" ctl@example.com "2023-06-13 16:20:00 +0000" "Endings again"

# B6. A feature branch merged with --no-ff: its lines stay its authors'.
git checkout -q -b feat/lines
replace_line src/big/functions.c 20 "	return 300;"
printf 'feature line A\nfeature line B\n' | insert_at src/big/functions.c 700
with_cdate "2023-06-16 10:00:00 +0000" commit_as "$N_JOSE" jose@example.com \
	"2023-06-14 08:30:00 +0200" "Feature: functions"
lines "feature file line" 7 | put merge/feature.txt
replace_line merge/sync.txt 15 "sync line 15 by the feature"
commit_as "$N_EVE" eve@example.com "2023-06-15 12:00:00 +0530" "Feature: new file"
git checkout -q main
replace_line src/big/functions.c 200 "	return 200;"
commit_as "$N_BOB" bob@example.com "2023-06-15 15:00:00 +0000" "Main: functions"
merge_as "$N_ALICE" alice@example.com "2023-06-17 09:00:00 +0100" feat/lines "Merge branch 'feat/lines'"

# B7. An evil merge: a conflict resolved by hand with lines of neither
# side, and a line changed in a file neither side touched.
git checkout -q -b feat/evil
replace_line merge/conflict.txt 10 "conflict line 10 feature"
replace_line merge/conflict.txt 11 "conflict line 11 feature"
commit_as "Carol Smith" carol@example.com "2023-06-18 11:00:00 +0000" "Conflict: feature side"
git checkout -q main
replace_line merge/conflict.txt 10 "conflict line 10 main"
replace_line merge/conflict.txt 11 "conflict line 11 main"
commit_as "$N_ALICE" alice@example.com "2023-06-19 09:00:00 +0100" "Conflict: main side"
merge_conflict_as "$N_BOB" bob@example.com "2023-06-20 10:00:00 +0000" feat/evil
lines "conflict line" 20 >merge/conflict.txt
replace_line merge/conflict.txt 10 "conflict line 10 feature"
replace_line merge/conflict.txt 11 "conflict line 11 resolved in the merge"
printf 'conflict line 11b new in the merge\n' | insert_at merge/conflict.txt 12
replace_line misc/revert_me.txt 18 "revert me line 18 changed by the evil merge"
conclude_as "$N_BOB" bob@example.com "2023-06-20 10:00:00 +0000"

# B8. The second parent's version taken whole after a conflict; then an
# "ours" merge that keeps the first parent's version whole.
git checkout -q -b feat/theirs
{ lines "theirs line" 2; lines "theirs rewritten line" 14 3; lines "theirs line" 4 17; } >merge/theirs.txt
commit_as "$N_YAMADA" yamada@example.jp "2023-06-21 18:00:00 +0900" "Theirs: rewrite"
printf 'theirs tail\n' >>merge/theirs.txt
commit_as "$N_ZOE" zoe@example.org "2023-06-22 07:45:00 -0500" "Theirs: tail"
git checkout -q main
replace_line merge/theirs.txt 5 "theirs line 5 main"
replace_line merge/theirs.txt 19 "theirs line 19 main"
commit_as "$N_BOB" bob@example.com "2023-06-22 10:00:00 +0000" "Theirs: main side"
merge_conflict_as "$N_ALICE" alice@example.com "2023-06-23 09:00:00 +0100" feat/theirs
git checkout -q --theirs merge/theirs.txt
conclude_as "$N_ALICE" alice@example.com "2023-06-23 09:00:00 +0100"
git diff --quiet HEAD^2 HEAD -- merge/theirs.txt || fail "fixture: merge/theirs.txt is not the second parent's"
git checkout -q -b feat/ours
replace_line merge/ours.txt 3 "ours line 3 dropped by the merge"
printf 'ours dropped tail\n' >>merge/ours.txt
commit_as "$N_EVE" eve@example.com "2023-06-24 12:00:00 +0530" "Ours: branch side"
git checkout -q main
replace_line merge/ours.txt 7 "ours line 7 main"
commit_as "$N_JOSE" jose@example.com "2023-06-24 15:00:00 +0200" "Ours: main side"
git_as "$N_BOB" bob@example.com "2023-06-25 10:00:00 +0000" merge -q --no-ff -s ours -m "Merge feat/ours (ours)" feat/ours

# B9. An octopus merge of three branches (one file edited far apart by
# all three, plus a file each).
git checkout -q -b oct/a
replace_line merge/octo.txt 5 "octo line 5 by a"
lines "octo a" 3 | put merge/octo-a.txt
commit_as "$N_ALICE" alice@example.com "2023-06-26 09:00:00 +0100" "Octo a"
git checkout -q main
git checkout -q -b oct/b
replace_line merge/octo.txt 30 "octo line 30 by b"
replace_line src/big/functions.c 100 "	return 1000;"
commit_as "$N_YAMADA" yamada@example.jp "2023-06-26 18:00:00 +0900" "Octo b"
git checkout -q main
git checkout -q -b oct/c
replace_line merge/octo.txt 55 "octo line 55 by c"
printf 'octo c line\n' | insert_at merge/octo.txt 58
commit_as "$N_ZOE" zoe@example.org "2023-06-27 07:45:00 -0500" "Octo c"
git checkout -q main
replace_line merge/octo.txt 45 "octo line 45 by main"
commit_as "$N_BOB" bob@example.com "2023-06-27 10:00:00 +0000" "Octo main"
git_as "$N_ALICE" alice@example.com "2023-06-28 09:00:00 +0100" \
	merge -q --no-ff --no-edit -m "Octopus merge" oct/a oct/b oct/c >/dev/null
[ "$(git rev-list --parents -n 1 HEAD | wc -w)" = 5 ] || fail "fixture: the octopus merge does not have 4 parents"

# B10. main merged into a feature branch (first parent: the feature), the
# feature overrides main's lines, then merged back.
git checkout -q -b feat/sync
replace_line merge/sync.txt 2 "sync line 2 feature"
replace_line merge/sync.txt 3 "sync line 3 feature"
commit_as "$N_EVE" eve@example.com "2023-06-29 12:00:00 +0530" "Sync: feature 1"
git checkout -q main
replace_line merge/sync.txt 20 "sync line 20 main"
replace_line merge/sync.txt 21 "sync line 21 main"
replace_line merge/sync.txt 22 "sync line 22 main"
commit_as "$N_JOSE" jose@example.com "2023-06-29 15:00:00 +0200" "Sync: main"
git checkout -q feat/sync
merge_as "$N_EVE" eve@example.com "2023-06-30 12:00:00 +0530" main "Merge main into feat/sync"
replace_line merge/sync.txt 21 "sync line 21 feature after sync"
commit_as "$N_EVE" eve@example.com "2023-07-01 12:00:00 +0530" "Sync: feature 2"
git checkout -q main
replace_line merge/sync.txt 28 "sync line 28 main later"
commit_as "$N_BOB" bob@example.com "2023-07-01 15:00:00 +0000" "Sync: main later"
merge_as "$N_ALICE" alice@example.com "2023-07-02 09:00:00 +0100" feat/sync "Merge branch 'feat/sync'"

# B11. A rename on a branch merged with an edit of the old path on main;
# the same line changed identically on both sides.
git checkout -q -b feat/rename
mkdir -p merge/renamed
git mv merge/rename_me.txt merge/renamed/done.txt
replace_line merge/dup-renamed.txt 3 "dup line 3 same fix"
commit_as "$N_ZOE" zoe@example.org "2023-07-03 07:45:00 -0500" "Rename on a branch"
git checkout -q main
replace_line merge/rename_me.txt 5 "rename me line 5 main"
replace_line merge/dup-renamed.txt 3 "dup line 3 same fix"
replace_line merge/dup-renamed.txt 6 "dup line 6 main only"
commit_as "$N_YAMADA" yamada@example.jp "2023-07-03 18:00:00 +0900" "Edit before the rename lands"
merge_as "$N_BOB" bob@example.com "2023-07-04 10:00:00 +0000" feat/rename "Merge branch 'feat/rename'"
if [ ! -f merge/renamed/done.txt ] || [ -e merge/rename_me.txt ]; then
	fail "fixture: the rename did not land"
fi
grep -q "rename me line 5 main" merge/renamed/done.txt || fail "fixture: main's edit did not follow the rename"

# B12. Reverts (the last commit, and an older one); the deleted file comes
# back with half of its old lines.
replace_line src/big/functions.c 250 "	return 250; /* reverted soon */"
replace_line src/big/functions.c 251 "} /* reverted soon */"
commit_as "$N_MALLORY" mallory@example.com "2023-07-05 03:00:00 -0330" "To be reverted"
git_as "$N_BOB" bob@example.com "2023-07-06 10:00:00 +0000" revert --no-edit HEAD >/dev/null
git_as "$N_ALICE" alice@example.com "2023-07-07 09:00:00 +0100" revert --no-edit "$_revert_older" >/dev/null
{ lines "readd line" 10; lines "readd new line" 5 11; } | put misc/readd.txt
commit_as "$N_JOSE" jose@example.com "2023-07-08 08:30:00 +0200" "Re-add readd.txt"

# B13. Last touches before the first scan.
replace_line "$UFILE" 2 "ünïcødé line 2 by zoë"
printf 'extra blank mark\n' | insert_at src/big/blank.txt 200
commit_as "$N_ZOE" zoe@example.org "2023-07-09 07:45:00 -0500" "Last touches"

# B14. A file deleted and another added in the same commit is a rename for
# git blame only at git's similarity (bytes in common over the larger size)
# of 50% or more; an exact copy with several identical sources comes from
# the one with the same file name.  (Found on libical and redis: rewrites
# scored 26%, 44%, 49% by git were followed as renames.)
awk 'BEGIN { for (i = 1; i <= 40; i++) printf "\told_statement_number_%d(argument, %d);\n", i, i * 7 }' |
	put ren/old49.c
awk 'BEGIN { for (i = 1; i <= 40; i++) printf "\told_statement_number_%d(argument, %d);\n", i, i * 7 }' |
	put ren/old54.c
awk 'BEGIN { for (i = 1; i <= 20; i++) printf "\tassert_ptr_not_null(old_allocation_%d, \"old allocation %d failed\");\n\t}\n", i, i }' |
	put ren/short.c
commit_as "$N_JOSE" jose@example.com "2023-07-09 14:00:00 +0200" "Rename candidates"
# 20 of 40 lines kept: git scores 49%, not a rename.
{ head -n 20 ren/old49.c; awk 'BEGIN { for (i = 21; i <= 40; i++) printf "\tbrand_new_line_%d(other, %d);\n", i, i * 3 }'; } |
	put ren/new49.c
git rm -q ren/old49.c
commit_as "$N_BOB" bob@example.com "2023-07-09 15:00:00 +0000" "Rewrite old49 as new49 (49%)"
# 22 of 40 kept: 54%, a rename.
{ head -n 22 ren/old54.c; awk 'BEGIN { for (i = 23; i <= 40; i++) printf "\tbrand_new_line_%d(other, %d);\n", i, i * 3 }'; } |
	put ren/new54.c
git rm -q ren/old54.c
commit_as "$N_EVE" eve@example.com "2023-07-09 16:00:00 +0530" "Rewrite old54 as new54 (54%)"
# Only the short "}" lines in common: 4% for git.
awk 'BEGIN { for (i = 1; i <= 20; i++) printf "\texpect_size_equal(new_sizing_%d, %d, \"new size %d is wrong\");\n\t}\n", i, i * 9, i }' |
	put ren/short2.c
git rm -q ren/short.c
commit_as "$N_YAMADA" yamada@example.jp "2023-07-09 17:00:00 +0900" "Rewrite short.c (4%)"
# Two files reach the same content by different histories; one commit
# removes both and adds that content as ren/tie/a/x.txt: git blame takes
# the source named x.txt (same file name), not b/f.txt.
printf 'tie 1\ntie 2\ntie 3\ntie 4\n' | put ren/tie/b/f.txt
commit_as "$N_ALICE" alice@example.com "2023-07-09 18:00:00 +0100" "Tie: b/f.txt"
printf 'tie 1\ntie 2\ntie 3\ntie 4\n' | put ren/tie/c/x.txt
commit_as "$N_BOB" bob@example.com "2023-07-09 18:10:00 +0000" "Tie: c/x.txt"
replace_line ren/tie/b/f.txt 2 "tie 2 changed"
commit_as "$N_JOSE" jose@example.com "2023-07-09 18:20:00 +0200" "Tie: edit b/f.txt"
replace_line ren/tie/c/x.txt 2 "tie 2 changed"
commit_as "$N_ZOE" zoe@example.org "2023-07-09 18:30:00 -0500" "Tie: edit c/x.txt"
mkdir -p ren/tie/a
git mv ren/tie/b/f.txt ren/tie/a/x.txt
git rm -q ren/tie/c/x.txt
commit_as "$N_EVE" eve@example.com "2023-07-09 18:40:00 +0530" "Tie: both become a/x.txt"
# One commit moves a file and adds a near copy of it: git blame looks for
# the source of each new path alone (any file deleted by the commit may be
# it), so both new paths follow the old one.  (libical's per-library
# .pc.in files.)
lines "pkg line" 10 | put ren/split/lib.pc.in
commit_as "$N_CTRL" ctl@example.com "2023-07-09 19:00:00 +0000" "Split: one file"
replace_line ren/split/lib.pc.in 3 "pkg line 3 edited"
commit_as "$N_ZOE" zoe@example.org "2023-07-09 19:10:00 -0500" "Split: edit"
mkdir -p ren/split/a ren/split/b
git mv ren/split/lib.pc.in ren/split/a/lib.pc.in
sed 's/^pkg line 5$/pkg line 5 for b/' ren/split/a/lib.pc.in >ren/split/b/libb.pc.in
commit_as "$N_BOB" bob@example.com "2023-07-09 19:20:00 +0000" "Split: move and copy"
# The fixture says what it means to (git is the oracle, but check it).
_g=$(git blame --line-porcelain HEAD -- ren/split/b/libb.pc.in | sed -n 's/^summary //p' | sed -n 3p)
assert_eq "Split: edit" "$_g" "fixture: git blame of ren/split/b/libb.pc.in line 3"
_g=$(git blame --line-porcelain HEAD -- ren/tie/a/x.txt | sed -n 's/^summary //p' | sed -n 2p)
assert_eq "Tie: edit c/x.txt" "$_g" "fixture: git blame of ren/tie/a/x.txt line 2"
_g=$(git blame --line-porcelain HEAD -- ren/new49.c | sed -n 's/^summary //p' | sed -n 1p)
assert_eq "Rewrite old49 as new49 (49%)" "$_g" "fixture: git blame of ren/new49.c line 1"
_g=$(git blame --line-porcelain HEAD -- ren/new54.c | sed -n 's/^summary //p' | sed -n 1p)
assert_eq "Rename candidates" "$_g" "fixture: git blame of ren/new54.c line 1"

# --- the comparison (blame_check.py) --------------------------------------------

# compare_all LABEL [DUMP]: every text file at HEAD, carry against git.
# A difference is reported and the test goes on (later steps may show
# more); it fails at the end.
_failed=
compare_all() {
	note "comparing with git blame: $1"
	if ! "$PYTHON" "$BLAME_CHECK" --carry "$CARRY" --repo "$REPO" --label "$1" \
		--identity people.txt --identity "$UFILE" --min-files 40 ${2:+--dump "$2"}; then
		printf 'FAIL [%s]: %s: carry blame differs from git blame (above)\n' "$TEST_NAME" "$1" >&2
		_failed="$_failed
	$1"
	fi
}

scan() { # LABEL [scan options]
	_sl=$1
	shift
	LAST_CMD="carry --repo $REPO scan $* ($_sl)"
	run "$CARRY" --repo "$REPO" scan "$@"
	[ "$RC" = 0 ] || { show_last; fail "$_sl: carry scan failed"; }
}

# --- first scan ------------------------------------------------------------------
scan "first scan"
assert_check_ok "$CARRY_DB" "first scan"
compare_all "first scan"

# carry blame on a symlink and on a binary: no crash (exit < 128).
for _p in docs/latest big-link assets/logo.bin data/blob.dat; do
	LAST_CMD="carry blame $_p"
	run "$CARRY" --repo "$REPO" blame "$_p"
	if [ "$RC" -ge 128 ]; then
		show_last
		fail "carry blame $_p died (exit $RC)"
	fi
done

# The hostile line is there, escaped: text output never holds a raw ESC.
carry_ok --repo "$REPO" blame people.txt
assert_eq 6 "$(count_lines "$OUT")" "carry blame people.txt: lines"
if LC_ALL=C grep -q "$ESC" "$OUT"; then
	fail "carry blame people.txt (text) prints a raw ESC"
fi
assert_file_has "$OUT" "red"
assert_file_has "$OUT" "people line 6 by yamada"

# --- (a) one new commit on main --------------------------------------------------
replace_line src/big/functions.c 500 "	return 500; /* incremental a */"
printf '}\n' | insert_at src/big/braces2.txt 2300
replace_line people.txt 1 "people line 1 by alice"
commit_as "$N_ALICE" alice@example.com "2023-07-10 09:00:00 +0100" "Incremental a"
scan "incremental (a): one new commit"
# Only the new commit is replayed, from the stored origins.
assert_stderr_has "line origins of"
assert_stderr_has "from 1 commit(s) in"
compare_all "after (a) one new commit"

# --- (b) a branch forked before the scanned head, merged -------------------------
git checkout -q -b late/fork HEAD~3
replace_line merge/octo.txt 20 "octo line 20 late fork"
lines "late file line" 5 | put merge/late.txt
with_cdate "2023-07-12 10:00:00 +0000" commit_as "$N_EVE" eve@example.com \
	"2023-07-04 12:00:00 +0530" "Late fork 1"
replace_line merge/octo.txt 21 "octo line 21 late fork"
replace_line src/big/functions.c 300 "	return 301; /* late fork */"
with_cdate "2023-07-12 10:00:00 +0000" commit_as "Carol Smith" carol@example.com \
	"2023-07-05 11:00:00 +0000" "Late fork 2"
git checkout -q main
merge_as "$N_BOB" bob@example.com "2023-07-13 10:00:00 +0000" late/fork "Merge branch 'late/fork'"
scan "incremental (b): late merge"
# The fork point's origins are not stored: the whole stored history is
# replayed (from stored deltas).
assert_stderr_has "commit(s) replayed in"
compare_all "after (b) merging a branch that forked before the scanned head"

# --- (c) rewritten history: the merge is replaced ---------------------------------
git reset -q --hard HEAD~1
replace_line merge/octo.txt 20 "octo line 20 rewritten"
replace_line src/big/functions.c 300 "	return 302; /* rewritten */"
commit_as "$N_YAMADA" yamada@example.jp "2023-07-14 18:00:00 +0900" "Instead of the late merge"
scan "incremental (c): after reset --hard HEAD~1 and a new commit"
assert_stderr_has "commit(s) replayed in"
assert_check_ok "$CARRY_DB" "after the rewrite"
compare_all "after (c) a rewritten history" "$SCRATCH/blame-incremental.txt"

# --- (d) --full gives the same answers ----------------------------------------------
scan "full rescan" --full
compare_all "after scan --full" "$SCRATCH/blame-full.txt"
assert_same_file "$SCRATCH/blame-incremental.txt" "$SCRATCH/blame-full.txt" \
	"carry blame after incremental scans differs from after scan --full"
assert_check_ok "$CARRY_DB" "at the end"
[ -z "$_failed" ] || fail "carry blame differs from git blame in:$_failed"
note "carry blame agrees with git blame on every line"
