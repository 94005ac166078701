-- The digest reads a day's events through task_events_action_at.
DROP INDEX task_events_at;
