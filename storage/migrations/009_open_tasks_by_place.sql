-- An offer looks for the most pressing open request of its category in its building (or with
-- no building): with the building in the key that is a short walk in priority order, where
-- before every open request of the category was read to check its building.
DROP INDEX tasks_open_category;
CREATE INDEX tasks_open_place ON tasks(state, category, building, priority DESC, created_at);
