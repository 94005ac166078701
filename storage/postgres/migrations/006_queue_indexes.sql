-- Faster matching: open tasks by category in priority order, and offers by skill.
CREATE INDEX tasks_open_category ON tasks(state, category, priority DESC, created_at);

-- One row per skill an offer names; '' for an offer of general time.
CREATE TABLE offer_skills (
    skill    text NOT NULL,
    offer_id bigint NOT NULL REFERENCES offers(id),
    PRIMARY KEY (skill, offer_id)
);

INSERT INTO offer_skills (skill, offer_id)
SELECT DISTINCT skill, offers.id
FROM offers, unnest(CASE WHEN skills = '' THEN ARRAY[''] ELSE string_to_array(skills, ',') END) AS skill;
