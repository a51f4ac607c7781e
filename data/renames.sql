-- Schema version 4: renames as git itself finds them (src/ingest/renames.c).
-- Older histories paired renamed files by libgit2's similarity score, which
-- differs from git's, so their renames and line origins could differ from
-- git log -M and git blame.  This step forgets them (they are a cache of
-- git) and the next scan is a full one.
-- merge_lines now also holds rows of non-merge commits: where an added
-- file's lines come from when git blame follows another source than the
-- commit's rename pairing (include/carry/sink.h, enum merge_kind).

DELETE FROM commits;
DELETE FROM scan_problems;
DELETE FROM line_runs;
DELETE FROM line_files;
UPDATE repos SET head = NULL, scanned_at = NULL, scan_target = NULL, lines_head = NULL;
