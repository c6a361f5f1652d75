-- Per-target shared state of the delivery policies (issue 4): the rate limiter's bucket and
-- the circuit breaker, read and written in one transaction by whichever worker sends next.
CREATE TABLE target_state (
    target     TEXT PRIMARY KEY,
    bucket     BLOB,
    breaker    BLOB,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
