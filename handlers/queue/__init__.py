"""The shared queue: requests become cards, volunteers claim them, requesters confirm; reminders, matching."""
