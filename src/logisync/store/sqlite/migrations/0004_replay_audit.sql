-- Replays and re-drives (issue 4) and the audit log they write to (extended by issue 5).
CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    reason  TEXT NOT NULL,
    detail  BLOB
);
CREATE INDEX audit_subject ON audit (subject, at);
ALTER TABLE dead_letters ADD COLUMN replayed_at TEXT;
