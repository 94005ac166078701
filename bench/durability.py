"""Durability under many SIGKILLs: lost work (must be zero) and replies repeated by a kill between
their send and their mark, counted where they arrive."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from tests import durability


async def measure(messages: int = 600, kills: int = 60) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="linli-kill-") as folder:
        outcome = await asyncio.to_thread(durability.run, Path(folder), messages, kills)
    return {
        "kills": float(outcome.kills),
        "messages": float(messages),
        "accepted": float(len(outcome.acked)),
        "tasks": float(outcome.tasks),
        "lost_messages": float(messages - outcome.inbox),
        "doubled_tasks": float(outcome.tasks - outcome.inbox),
        "undelivered_replies": float(outcome.outbox_unsent),
        "lost_replies": float(outcome.lost_replies),
        "phantom_replies": float(outcome.phantom_replies),
        "repeated_replies": float(outcome.repeated),
        "repeated_per_kill": outcome.repeated / max(1, outcome.kills),
        "repeated_max_in_one_kill": float(outcome.repeated_max_per_kill),
        "seconds": outcome.seconds,
    }
