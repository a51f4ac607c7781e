-- The on-call side (schema version 2): people, teams, services, rotations,
-- shifts, incidents and CODEOWNERS rules.  Applied to a version-1 database
-- as one upgrade step; data/schema.sql holds the same tables for a fresh one.
-- Names that people type (teams, services, rotations) compare
-- case-insensitively, as PagerDuty and GitHub team slugs do.

CREATE TABLE teams (
  id      INTEGER PRIMARY KEY,
  name    TEXT NOT NULL UNIQUE COLLATE NOCASE
);

-- A person from the roster (person_key = the roster's person_id) or one
-- met only in a schedule (person_key = 'email:' || the email; on_roster 0).
CREATE TABLE people (
  id          INTEGER PRIMARY KEY,
  person_key  TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  team_id     INTEGER REFERENCES teams(id) ON DELETE SET NULL,
  joined_on   INTEGER,
  left_on     INTEGER,
  is_bot      INTEGER NOT NULL DEFAULT 0 CHECK (is_bot IN (0, 1)),
  on_roster   INTEGER NOT NULL DEFAULT 1 CHECK (on_roster IN (0, 1))
);

CREATE TABLE person_emails (
  email      TEXT PRIMARY KEY COLLATE NOCASE,
  person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE
);

CREATE TABLE person_handles (
  handle     TEXT PRIMARY KEY COLLATE NOCASE,  -- without the leading '@'
  person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE
);

CREATE TABLE rotations (
  id    INTEGER PRIMARY KEY,
  name  TEXT NOT NULL UNIQUE COLLATE NOCASE
);

-- Half-open [starts_at, ends_at); overlapping shifts and levels are kept.
CREATE TABLE shifts (
  rotation_id  INTEGER NOT NULL REFERENCES rotations(id) ON DELETE CASCADE,
  person_id    INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  starts_at    INTEGER NOT NULL,
  ends_at      INTEGER NOT NULL CHECK (ends_at > starts_at),
  level        INTEGER NOT NULL DEFAULT 1 CHECK (level >= 1),
  UNIQUE (rotation_id, person_id, starts_at, ends_at, level)
);
CREATE INDEX shifts_by_time ON shifts(rotation_id, starts_at);

CREATE TABLE services (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  team_id      INTEGER REFERENCES teams(id) ON DELETE SET NULL,
  rotation_id  INTEGER REFERENCES rotations(id) ON DELETE SET NULL
);

-- Path globs in CODEOWNERS syntax; `position` is the file order of the
-- services table, and the last matching glob wins.
CREATE TABLE service_globs (
  position    INTEGER PRIMARY KEY,
  service_id  INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  glob        TEXT NOT NULL
);

CREATE TABLE incidents (
  id           TEXT PRIMARY KEY,
  title        TEXT NOT NULL,
  service_id   INTEGER REFERENCES services(id) ON DELETE SET NULL,
  severity     TEXT NOT NULL DEFAULT '',
  started_at   INTEGER NOT NULL,
  resolved_at  INTEGER,
  status       TEXT NOT NULL DEFAULT '',
  url          TEXT NOT NULL DEFAULT ''
);

CREATE TABLE incident_paths (
  incident_id  TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  path         TEXT NOT NULL,
  PRIMARY KEY (incident_id, path)
) WITHOUT ROWID;

-- The CODEOWNERS file of a scanned repository (read from HEAD at scan
-- time) or one imported with `carry import codeowners`, kept as written:
-- src/oncall/codeowners.c is the one place that knows its semantics.
CREATE TABLE codeowners_files (
  repo_id      INTEGER PRIMARY KEY REFERENCES repos(id) ON DELETE CASCADE,
  origin       TEXT NOT NULL,         -- "HEAD:.github/CODEOWNERS" or a file path
  content      BLOB NOT NULL
);
