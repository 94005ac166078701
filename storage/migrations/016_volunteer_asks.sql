-- When each volunteer was last asked privately about a fitting request, so the least recently
-- asked are asked first and nobody is pinged about every request.
CREATE TABLE volunteer_asks (
    person_id INTEGER PRIMARY KEY REFERENCES persons(id),
    asked_at  TEXT NOT NULL
)
