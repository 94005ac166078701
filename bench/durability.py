"""Durability under many SIGKILLs: counts of lost and doubled work (both must be zero)."""

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
        "duplicate_deliveries": float(outcome.duplicate_deliveries),
        "seconds": outcome.seconds,
    }
