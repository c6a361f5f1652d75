-- The dashboard: accounts with a role (core/accounts.py), per-minute delivery outcomes for its
-- time series (kept by the transaction that records outcomes, so every process sees the same
-- series and it survives restarts), and an index to page through open conflicts by id.
CREATE TABLE dashboard_users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
) WITHOUT ROWID;

CREATE TABLE delivery_minutes (
    target          TEXT NOT NULL,
    minute          TEXT NOT NULL,
    delivered       INTEGER NOT NULL DEFAULT 0,
    retried         INTEGER NOT NULL DEFAULT 0,
    dead            INTEGER NOT NULL DEFAULT 0,
    latency_seconds REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (minute, target)
) WITHOUT ROWID;

CREATE INDEX conflicts_state_id ON conflicts (state, id);
