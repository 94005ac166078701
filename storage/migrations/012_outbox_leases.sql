-- The sender leases outbox rows (state 'sending', who, until when) before it sends them, and
-- outbox ids are never given twice (AUTOINCREMENT): adapters de-duplicate on them, so a reused
-- id would be a message silently dropped. SQLite cannot add AUTOINCREMENT to a table, so the
-- table is made anew and the rows copied with their ids.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    platform        TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    private         INTEGER NOT NULL DEFAULT 0,
    text            TEXT NOT NULL,
    buttons         TEXT NOT NULL DEFAULT '[]',
    reply_to        TEXT,
    card_of         INTEGER,
    edit            INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    sent_message_id TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    fallback        TEXT,
    image           TEXT,
    lease_owner     TEXT,
    lease_until     TEXT
);
INSERT INTO outbox_new (id, platform, chat_id, private, text, buttons, reply_to, card_of, edit, state,
    attempts, next_attempt_at, last_error, sent_message_id, created_at, sent_at, fallback, image)
SELECT id, platform, chat_id, private, text, buttons, reply_to, card_of, edit, state,
    attempts, next_attempt_at, last_error, sent_message_id, created_at, sent_at, fallback, image
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox(id) WHERE state = 'pending';
CREATE INDEX outbox_leased ON outbox(id) WHERE state = 'sending';
-- Messages whose handling failed are tried again a few times; this counts the tries.
ALTER TABLE inbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0
