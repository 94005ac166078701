"""Emergencies: the alarm, incident E{n} from reported to resolved, and who is called when nobody answers."""
