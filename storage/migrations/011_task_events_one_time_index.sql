-- The digest reads a day's events by action and time through task_events_action_at; the index
-- on time alone served no query and was one more page written for every event.
DROP INDEX task_events_at;
