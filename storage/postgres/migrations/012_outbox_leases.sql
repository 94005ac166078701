-- The sender leases outbox rows (state 'sending', who, until when) before it sends them.
-- (SQLite rebuilt the table to stop reusing ids; a sequence never reused one.)
ALTER TABLE outbox ADD COLUMN lease_owner text;
ALTER TABLE outbox ADD COLUMN lease_until timestamptz;
CREATE INDEX outbox_leased ON outbox(id) WHERE state = 'sending';
-- Messages whose handling failed are tried again a few times; this counts the tries.
ALTER TABLE inbox ADD COLUMN attempts integer NOT NULL DEFAULT 0;
