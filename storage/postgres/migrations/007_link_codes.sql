-- One-time codes that join a person's accounts on two platforms (/link).
CREATE TABLE link_codes (
    code       text PRIMARY KEY,
    person_id  bigint NOT NULL REFERENCES persons(id),
    expires_at timestamptz NOT NULL
);
