-- One-time codes that join a person's accounts on two platforms (/link).
CREATE TABLE link_codes (
    code       TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    expires_at TEXT NOT NULL
);
