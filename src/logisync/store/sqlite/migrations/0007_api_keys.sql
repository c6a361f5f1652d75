-- API keys (only a hash of each secret) and where an audited action came from.
CREATE TABLE api_keys (
    key_id      TEXT PRIMARY KEY,
    system      TEXT,
    scopes      TEXT NOT NULL,
    event_types TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    label       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT,
    revoked_at  TEXT,
    replaces    TEXT,
    rate_limit  REAL
) WITHOUT ROWID;

ALTER TABLE audit ADD COLUMN origin TEXT;
