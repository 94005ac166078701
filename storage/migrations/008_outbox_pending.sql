-- The sender reads pending messages in id order; without this it scanned the whole outbox,
-- which only grows.
CREATE INDEX outbox_pending ON outbox(id) WHERE state = 'pending';
