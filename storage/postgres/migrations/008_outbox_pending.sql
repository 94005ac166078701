-- The sender reads pending messages in id order.
CREATE INDEX outbox_pending ON outbox(id) WHERE state = 'pending';
