-- The love bank (爱心银行): service records, stars, the volunteer registry and care notes.

-- Append-only ledger.  Nothing updates or deletes a row: a correction is a new row
-- pointing at the one it corrects (corrects_id), written by staff with a reason.
-- hours is signed: service adds, a withdrawal (hours used by a helped volunteer) subtracts,
-- a correction adds the difference.  served = 1 when the row counts as hours of service
-- (stars, totals), 0 for withdrawals and their corrections.  total_after and balance_after
-- are the holder's running totals after this row, as printed in a paper passbook.
CREATE TABLE service_records (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('service', 'correction', 'withdrawal')),
    person_id      INTEGER NOT NULL REFERENCES persons(id),
    counterpart_id INTEGER REFERENCES persons(id),
    task_id        INTEGER REFERENCES tasks(id),
    served_at      TEXT NOT NULL,
    building       TEXT,
    room           TEXT,
    category       TEXT,
    description    TEXT NOT NULL DEFAULT '',
    hours          REAL NOT NULL,
    served         INTEGER NOT NULL,
    total_after    REAL NOT NULL,
    balance_after  REAL NOT NULL,
    witness_id     INTEGER REFERENCES persons(id),
    corrects_id    INTEGER REFERENCES service_records(id),
    reason         TEXT,
    created_by     INTEGER REFERENCES persons(id),
    created_at     TEXT NOT NULL
);
CREATE INDEX service_records_person ON service_records(person_id, id);
CREATE INDEX service_records_served_at ON service_records(served_at);
CREATE UNIQUE INDEX service_records_task ON service_records(task_id, kind, person_id)
    WHERE task_id IS NOT NULL AND kind != 'correction';

-- One row per star level a volunteer reached in a calendar year: the kind message goes once.
CREATE TABLE star_awards (
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    year       INTEGER NOT NULL,
    stars      INTEGER NOT NULL,
    hours      REAL NOT NULL,
    reached_at TEXT NOT NULL,
    PRIMARY KEY (person_id, year, stars)
);
CREATE INDEX star_awards_reached ON star_awards(reached_at);

-- Scheduled love-bank jobs that must run once per period (monthly statements).
CREATE TABLE lovebank_runs (
    job    TEXT NOT NULL,
    period TEXT NOT NULL,
    ran_at TEXT NOT NULL,
    PRIMARY KEY (job, period)
);

-- One registration per person: registering again updates it.
CREATE TABLE volunteers (
    person_id     INTEGER PRIMARY KEY REFERENCES persons(id),
    skills        TEXT NOT NULL DEFAULT '',
    availability  TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    source        TEXT NOT NULL DEFAULT 'chat',
    registered_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- The private registration conversation, kept between messages and across restarts.
CREATE TABLE registration_drafts (
    person_id  INTEGER PRIMARY KEY REFERENCES persons(id),
    step       TEXT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);

-- Short notes on a person for the next volunteer (耳背,敲门要用力).  Shown only privately.
CREATE TABLE care_notes (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    author_id  INTEGER REFERENCES persons(id),
    text       TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX care_notes_person ON care_notes(person_id) WHERE active = 1;
