-- The earliest pending retry is found through outbox_pending.
DROP INDEX outbox_due;
