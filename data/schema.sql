-- carry's database schema, version 1: history facts.
-- Compiled into the binary (scripts/embed.py).  Every later version is an
-- upgrade step (data/oncall.sql is version 2, listed in src/store/db.c); a
-- fresh database runs this file and then every step, so it takes the same
-- path an upgraded one took.  `carry check` compares a database's schema
-- with one built that way.
-- Times are Unix seconds (UTC); commit ids are 40 lower-case hex digits.

-- One row per repository, keyed by its absolute worktree path (or git
-- directory when bare).  `head` is the commit the last completed scan
-- reached; `scan_target` is set while a scan is unfinished.
CREATE TABLE repos (
  id            INTEGER PRIMARY KEY,
  path          TEXT NOT NULL UNIQUE,
  head          TEXT,
  scanned_at    INTEGER,
  scan_target   TEXT,
  truncated_at  TEXT          -- shallow clone: a commit whose parents are absent
);

-- Every commit reachable from the scanned HEAD.  The kept set is always
-- closed under "parent of": a scan stores parents before children and
-- commits in batches, so an interrupted scan resumes where it stopped.
CREATE TABLE commits (
  id              INTEGER PRIMARY KEY,
  repo_id         INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
  oid             TEXT NOT NULL,
  author_name     TEXT NOT NULL,   -- mailmap-resolved
  author_email    TEXT NOT NULL,   -- mailmap-resolved
  author_time     INTEGER NOT NULL,
  author_tz       INTEGER NOT NULL, -- minutes east of UTC
  committer_time  INTEGER NOT NULL,
  parent_count    INTEGER NOT NULL, -- parents as scanned (shallow ones dropped)
  subject         TEXT NOT NULL,
  ai_assisted     INTEGER NOT NULL DEFAULT 0 CHECK (ai_assisted IN (0, 1)),
  skipped         TEXT,            -- malformed: why its facts are unusable
  UNIQUE (repo_id, oid)
);
CREATE INDEX commits_by_author ON commits(repo_id, author_email);
CREATE INDEX commits_by_time ON commits(repo_id, author_time);

CREATE TABLE commit_parents (
  commit_id   INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  parent_oid  TEXT NOT NULL,
  PRIMARY KEY (commit_id, idx)
) WITHOUT ROWID;

-- One (non-merge commit, path) pair.  A rename is one change on the new
-- path with old_path set; binary changes count no lines.
CREATE TABLE changes (
  commit_id  INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  path       TEXT NOT NULL,
  old_path   TEXT,
  status     TEXT NOT NULL CHECK (status IN ('A', 'M', 'D', 'R', 'T')),
  added      INTEGER NOT NULL,
  deleted    INTEGER NOT NULL,
  binary     INTEGER NOT NULL CHECK (binary IN (0, 1)),
  PRIMARY KEY (commit_id, seq)
) WITHOUT ROWID;
CREATE INDEX changes_by_path ON changes(path);

-- What a scan could not read (missing objects, malformed commits), so
-- `carry check` and later commands can say so.
CREATE TABLE scan_problems (
  repo_id  INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
  oid      TEXT NOT NULL DEFAULT '',
  what     TEXT NOT NULL,
  UNIQUE (repo_id, oid, what)
);
