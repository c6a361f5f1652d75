-- The control numbers each EDI partner sent (interchange, group, message), so that a re-sent
-- file is known as one and a lost one is noticed, across restarts.
CREATE TABLE edi_control_received (
    partner     TEXT NOT NULL,
    standard    TEXT NOT NULL,
    level       TEXT NOT NULL,
    number      INTEGER NOT NULL,
    digest      TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (partner, standard, level, number)
) WITHOUT ROWID;

-- Our own next control number per partner, standard and level (ISA13, GS06, ST02...).
CREATE TABLE edi_control_outbound (
    partner     TEXT NOT NULL,
    standard    TEXT NOT NULL,
    level       TEXT NOT NULL,
    next_number INTEGER NOT NULL,
    PRIMARY KEY (partner, standard, level)
) WITHOUT ROWID;
