"""What scheduled jobs have done, so a restart (or, later, a second instance) never does it twice."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from storage.models import ChatRef


class JobStore(Protocol):
    """Job runs, digests and reminders: each is claimed in the database, and one racing claim wins."""

    async def mark_job_run(self, job: str, period: str, at: datetime) -> bool:
        """Claims a scheduled job's run for a period (``2026-11``); False when it already ran."""
        ...

    async def claim_digest(self, day: date, at: datetime) -> bool:
        """Claims the digest of a local day; False when it was sent before."""
        ...

    async def digest_sent(self, day: date) -> bool:
        """True when the digest of a local day was claimed."""
        ...

    async def reminder_of(self, task_id: int, kind: str) -> tuple[int, datetime] | None:
        """Returns how often and when a task was last reminded of (``announce``/``nudge``), or None."""
        ...

    async def record_reminder(self, task_id: int, kind: str, *, expect_count: int, at: datetime) -> bool:
        """Counts a reminder if the count is still ``expect_count``; exactly one racing call wins."""
        ...

    async def take_chat_reminder(self, chat: ChatRef, day: date, cap: int) -> bool:
        """Takes one of a group's ``cap`` reminders for a local day; False when none is left."""
        ...

    async def chat_reminders_on(self, chat: ChatRef, day: date) -> int:
        """Returns how many reminders a group got on a local day."""
        ...
