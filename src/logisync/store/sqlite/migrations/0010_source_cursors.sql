-- Where each polled source stream (an Odoo model, an SFTP folder...) was last read up to,
-- so that a restarted poller resumes there instead of reading everything again.
CREATE TABLE source_cursors (
    source     TEXT NOT NULL,
    stream     TEXT NOT NULL,
    position   BLOB NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (source, stream)
) WITHOUT ROWID;
