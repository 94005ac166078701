-- When each volunteer was last asked privately about a fitting request.
CREATE TABLE volunteer_asks (
    person_id bigint PRIMARY KEY REFERENCES persons(id),
    asked_at  timestamptz NOT NULL
);
