-- Emergencies are incidents with their own numbers (🚨 E3): reported → acknowledged → resolved.
-- The emergency's task row stays (inbox idempotency, the check-in ladder's link), and the incident adds
-- its states, who acknowledged and when, the outcome, and the escalation of an unacknowledged alarm.
CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY,
    task_id         INTEGER NOT NULL UNIQUE REFERENCES tasks(id),
    kind            TEXT,
    elder_id        INTEGER,
    state           TEXT NOT NULL DEFAULT 'reported',
    reported_at     TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by INTEGER REFERENCES persons(id),
    resolved_at     TEXT,
    resolved_by     INTEGER REFERENCES persons(id),
    outcome         TEXT,
    step            INTEGER NOT NULL DEFAULT 0,
    next_call_at    TEXT
);
CREATE INDEX incidents_due ON incidents(next_call_at) WHERE state = 'reported';
CREATE INDEX incidents_reported ON incidents(reported_at);
