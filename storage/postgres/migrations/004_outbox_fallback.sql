-- What to send instead when a private message cannot be delivered.
ALTER TABLE outbox ADD COLUMN fallback text;
