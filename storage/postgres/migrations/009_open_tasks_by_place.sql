-- An offer looks for the most pressing open request of its category in its building.
DROP INDEX tasks_open_category;
CREATE INDEX tasks_open_place ON tasks(state, category, building, priority DESC, created_at);
