-- Bulk messages (the morning's check-in greetings) wait behind replies.
ALTER TABLE outbox ADD COLUMN bulk boolean NOT NULL DEFAULT false;
