"""The registry: volunteers register themselves; staff manage people, roles, care notes and spreadsheets."""
