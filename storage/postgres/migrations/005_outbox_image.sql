-- A picture that goes with a message (the digest's chart).
ALTER TABLE outbox ADD COLUMN image text;
