-- Who decided a conflict or proposal, and when (issue 8: a steward's accept applies the value).
-- The audit log already names them; these columns let a conflict be read with its outcome
-- without searching the audit log.
ALTER TABLE conflicts ADD COLUMN decided_by TEXT;
ALTER TABLE conflicts ADD COLUMN decided_at TEXT;
