-- A picture that goes with a message (the digest's chart): a file path the adapters send
-- where the platform takes images.
ALTER TABLE outbox ADD COLUMN image TEXT;
