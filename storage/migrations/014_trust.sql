-- Trust: an account is proven (staff configured, imported or picked it, or it redeemed an
-- invitation) or merely seen under a display name; names resolve only to proven accounts.
ALTER TABLE identities ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;

-- Who joined or proved which account, and when: merges happen only through /link or staff.
CREATE TABLE person_events (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    kind      TEXT NOT NULL,
    actor_id  INTEGER REFERENCES persons(id),
    detail    TEXT NOT NULL DEFAULT '',
    at        TEXT NOT NULL
);
CREATE INDEX person_events_person ON person_events(person_id, at);

-- /link codes remember the platform that issued them (redeemed only on another one).
ALTER TABLE link_codes ADD COLUMN platform TEXT NOT NULL DEFAULT '';
