-- The earliest pending retry is found by reading the pending rows (few: they are sent within
-- moments) through outbox_pending; a second index on them was one more page written for
-- every message queued and every one sent.
DROP INDEX outbox_due;
