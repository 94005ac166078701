-- Faster matching: open tasks by category in priority order, and offers by skill.
CREATE INDEX tasks_open_category ON tasks(state, category, priority DESC, created_at);

-- One row per skill an offer names; '' for an offer of general time.
CREATE TABLE offer_skills (
    skill    TEXT NOT NULL,
    offer_id INTEGER NOT NULL REFERENCES offers(id),
    PRIMARY KEY (skill, offer_id)
) WITHOUT ROWID;

INSERT INTO offer_skills (skill, offer_id)
WITH RECURSIVE split(offer_id, skill, rest) AS (
    SELECT id, '', skills || ',' FROM offers
    UNION ALL
    SELECT offer_id, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
    FROM split WHERE rest != ''
)
SELECT DISTINCT skill, offer_id FROM split
WHERE skill != '' OR offer_id IN (SELECT id FROM offers WHERE skills = '');
