-- Daily check-ins for elders living alone (独居/空巢老人), their escalation ladders,
-- task reminders and the staff digest.  Every schedule lives here, not only in memory:
-- the scheduler reads what is due from these tables, so a restart loses and repeats nothing.

CREATE TABLE elders (
    id                INTEGER PRIMARY KEY,
    person_id         INTEGER NOT NULL UNIQUE REFERENCES persons(id),
    building          TEXT,
    room              TEXT,
    checkin_time      TEXT NOT NULL DEFAULT '09:00',
    window_minutes    INTEGER NOT NULL DEFAULT 120,
    language          TEXT,
    contact_name      TEXT,
    contact_phone     TEXT,
    contact_person_id INTEGER REFERENCES persons(id),
    notes             TEXT,
    active            INTEGER NOT NULL DEFAULT 1,
    away_until        TEXT,
    next_due_at       TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX elders_due ON elders(next_due_at) WHERE active = 1;

-- Pairing (结对帮扶): one volunteer may look after several elders and the other way round.
CREATE TABLE elder_volunteers (
    elder_id     INTEGER NOT NULL REFERENCES elders(id),
    volunteer_id INTEGER NOT NULL REFERENCES persons(id),
    PRIMARY KEY (elder_id, volunteer_id)
);
CREATE INDEX elder_volunteers_volunteer ON elder_volunteers(volunteer_id);

-- One row per elder per local day they were greeted.
CREATE TABLE checkins (
    id                 INTEGER PRIMARY KEY,
    elder_id           INTEGER NOT NULL REFERENCES elders(id),
    day                TEXT NOT NULL,
    due_at             TEXT NOT NULL,
    greeted_at         TEXT NOT NULL,
    window_end         TEXT NOT NULL,
    state              TEXT NOT NULL DEFAULT 'waiting',
    step               TEXT NOT NULL DEFAULT 'greeted',
    next_step_at       TEXT,
    answered_at        TEXT,
    answered_in_window INTEGER NOT NULL DEFAULT 0,
    wellbeing          TEXT,
    answer_text        TEXT,
    answer_platform    TEXT,
    answer_chat_id     TEXT,
    answer_message_id  TEXT,
    outcome            TEXT,
    closed_by          INTEGER REFERENCES persons(id),
    closed_at          TEXT,
    task_id            INTEGER REFERENCES tasks(id),
    UNIQUE (elder_id, day)
);
CREATE INDEX checkins_open ON checkins(elder_id) WHERE state IN ('waiting', 'escalating');
CREATE INDEX checkins_next ON checkins(next_step_at) WHERE next_step_at IS NOT NULL;
CREATE INDEX checkins_day ON checkins(day);
CREATE INDEX checkins_answer ON checkins(answer_platform, answer_chat_id, answer_message_id);

-- Each ladder step once, with its time: the primary key is what keeps a restart from doubling one.
CREATE TABLE checkin_steps (
    checkin_id INTEGER NOT NULL REFERENCES checkins(id),
    step       TEXT NOT NULL,
    at         TEXT NOT NULL,
    reached    INTEGER NOT NULL DEFAULT 0,
    note       TEXT,
    PRIMARY KEY (checkin_id, step)
);

-- Who was asked on a ladder, so they can close it and are told when someone else did.
CREATE TABLE checkin_notified (
    checkin_id INTEGER NOT NULL REFERENCES checkins(id),
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    step       TEXT NOT NULL,
    PRIMARY KEY (checkin_id, person_id)
);
CREATE INDEX checkin_notified_person ON checkin_notified(person_id);

-- Re-announcements and nudges already made for a task.
CREATE TABLE task_reminders (
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    kind    TEXT NOT NULL,
    count   INTEGER NOT NULL DEFAULT 0,
    last_at TEXT NOT NULL,
    PRIMARY KEY (task_id, kind)
);

-- Reminders posted in a group per local day (the bot stays quiet: a cap per group per day).
CREATE TABLE chat_reminders (
    platform TEXT NOT NULL,
    chat_id  TEXT NOT NULL,
    day      TEXT NOT NULL,
    count    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (platform, chat_id, day)
);

-- The digest goes out once per day, however often the process restarts.
CREATE TABLE digest_runs (
    day     TEXT PRIMARY KEY,
    sent_at TEXT NOT NULL
);

-- The digest counts claims, completions and confirmations of one day, and hours over thirty.
CREATE INDEX task_events_action_at ON task_events(action, at);
