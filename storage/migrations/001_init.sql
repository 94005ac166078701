-- The mutual-aid queue: people, chats, messages in and out, tasks and offers.

CREATE TABLE persons (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL DEFAULT 'resident',
    language    TEXT,
    building    TEXT,
    room        TEXT,
    phone       TEXT,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL
);

CREATE TABLE identities (
    platform     TEXT NOT NULL,
    user_id      TEXT NOT NULL,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    display_name TEXT NOT NULL,
    reachable    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (platform, user_id)
);
CREATE INDEX identities_person ON identities(person_id);

CREATE TABLE chats (
    platform  TEXT NOT NULL,
    chat_id   TEXT NOT NULL,
    title     TEXT,
    building  TEXT,
    language  TEXT,
    reachable INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (platform, chat_id)
);
CREATE INDEX chats_building ON chats(building);

-- Every incoming message, stored before anything acts on it.
CREATE TABLE inbox (
    id          INTEGER PRIMARY KEY,
    platform    TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    private     INTEGER NOT NULL DEFAULT 0,
    message_id  TEXT NOT NULL,
    sender_id   TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    text        TEXT NOT NULL,
    reply_to    TEXT,
    chat_title  TEXT,
    action      TEXT,
    mentions_bot INTEGER NOT NULL DEFAULT 0,
    kind        TEXT NOT NULL DEFAULT 'text',
    at          TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'new',
    error       TEXT,
    UNIQUE (platform, chat_id, message_id)
);
CREATE INDEX inbox_state ON inbox(state) WHERE state != 'done';

CREATE TABLE tasks (
    id                INTEGER PRIMARY KEY,
    state             TEXT NOT NULL,
    text              TEXT NOT NULL,
    requester_id      INTEGER NOT NULL REFERENCES persons(id),
    category          TEXT,
    urgency           TEXT NOT NULL DEFAULT 'normal',
    window_start      TEXT,
    window_end        TEXT,
    building          TEXT,
    room              TEXT,
    claimer_id        INTEGER REFERENCES persons(id),
    emergency         INTEGER NOT NULL DEFAULT 0,
    duration_hours    REAL,
    priority          INTEGER NOT NULL DEFAULT 0,
    language          TEXT,
    origin_platform   TEXT,
    origin_chat_id    TEXT,
    origin_message_id TEXT,
    inbox_id          INTEGER REFERENCES inbox(id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX tasks_state ON tasks(state, created_at);
CREATE INDEX tasks_created ON tasks(created_at);
CREATE UNIQUE INDEX tasks_inbox ON tasks(inbox_id) WHERE inbox_id IS NOT NULL;

CREATE TABLE task_events (
    id         INTEGER PRIMARY KEY,
    task_id    INTEGER NOT NULL REFERENCES tasks(id),
    action     TEXT NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    actor_id   INTEGER REFERENCES persons(id),
    at         TEXT NOT NULL,
    note       TEXT
);
CREATE INDEX task_events_task ON task_events(task_id);
CREATE INDEX task_events_at ON task_events(at);

CREATE TABLE cards (
    task_id    INTEGER NOT NULL REFERENCES tasks(id),
    platform   TEXT NOT NULL,
    chat_id    TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (task_id, platform, chat_id)
);
CREATE INDEX cards_message ON cards(platform, chat_id, message_id);

CREATE TABLE offers (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    text         TEXT NOT NULL,
    skills       TEXT NOT NULL DEFAULT '',
    window_start TEXT,
    window_end   TEXT,
    building     TEXT,
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL
);

-- Every outgoing message waits here until a platform has taken it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
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
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';
