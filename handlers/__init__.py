"""Domain logic: understanding text, the task queue, check-ins, digest, love bank."""
