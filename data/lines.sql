-- Schema version 3: the line engine (src/ingest/lines.c).
-- Every change now keeps the line delta the engine replays (the hunks of
-- git blame's diff, see src/ingest/linedelta.h for the encoding), merges
-- keep where each of their files takes its lines from, and the origins of
-- every line at the scanned HEAD are stored as runs.
-- Histories scanned by an older carry have no deltas: this step forgets
-- them (they are a cache of git) and the next scan is a full one.

DELETE FROM commits;
DELETE FROM scan_problems;
UPDATE repos SET head = NULL, scanned_at = NULL, scan_target = NULL;

-- NULL for deletions (and for changes whose blobs could not be read).
ALTER TABLE changes ADD COLUMN lines BLOB;

-- What a merge commit does to each file that differs from its first
-- parent, following git blame: kind 'W' takes the whole file of parent
-- `parent_idx` at `old_path` (its blob is identical); 'P' rows, in parent
-- order, each pass the lines a parent has unchanged (`lines` holds the
-- delta against that parent); 'N' means no parent has the file (every
-- line is the merge's own); 'D' drops the file.
CREATE TABLE merge_lines (
  commit_id   INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  path        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('W', 'P', 'N', 'D')),
  parent_idx  INTEGER,
  old_path    TEXT,
  lines       BLOB,
  PRIMARY KEY (commit_id, seq)
) WITHOUT ROWID;

-- The commit the stored line origins describe (NULL: none yet, or stale
-- after history was rewritten: the next scan replays).
ALTER TABLE repos ADD COLUMN lines_head TEXT;

-- Files at lines_head that have lines (regular, not binary).
CREATE TABLE line_files (
  repo_id  INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
  path     TEXT NOT NULL,
  lines    INTEGER NOT NULL,
  PRIMARY KEY (repo_id, path)
) WITHOUT ROWID;

-- Runs of consecutive lines (1-based `start`) whose origin is one commit.
CREATE TABLE line_runs (
  repo_id    INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
  path       TEXT NOT NULL,
  start      INTEGER NOT NULL,
  count      INTEGER NOT NULL,
  commit_id  INTEGER NOT NULL,
  PRIMARY KEY (repo_id, path, start)
) WITHOUT ROWID;
CREATE INDEX line_runs_by_commit ON line_runs(commit_id);
