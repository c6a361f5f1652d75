-- Who decided a conflict or proposal, and when (SQLite's 0017): a conflict is read with its
-- outcome without searching the audit log.
ALTER TABLE conflicts ADD COLUMN decided_by text, ADD COLUMN decided_at text;
