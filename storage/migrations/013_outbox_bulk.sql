-- Bulk messages (the morning's check-in greetings) wait behind replies: the sender takes only a
-- few of them per pass, so a paced platform's pass never holds a reply back for long.
ALTER TABLE outbox ADD COLUMN bulk INTEGER NOT NULL DEFAULT 0
