"""Figures for the daily digest: read-only counts over tasks, their events and the passbook."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from storage.checkin_models import TaskCount, VolunteerHours
from storage.models import TaskState


class ReportStore(Protocol):
    """Counts per building for the digest; they read, never write."""

    async def has_history_before(self, end: datetime) -> bool:
        """True when any task or check-in happened before ``end`` (a fresh install sends no digest)."""
        ...

    async def count_tasks_created(self, start: datetime, end: datetime) -> list[TaskCount]:
        """Counts tasks created in [start, end) per building (the requester's when the task has none)."""
        ...

    async def count_task_events(
        self, start: datetime, end: datetime, actions: Sequence[str]
    ) -> list[TaskCount]:
        """Counts tasks with a claim/done/confirm… event in [start, end), per building and action."""
        ...

    async def count_tasks_in_states(self, states: Sequence[TaskState]) -> list[TaskCount]:
        """Counts tasks now in ``states``, per building and state."""
        ...

    async def count_overdue(self, now: datetime) -> list[TaskCount]:
        """Counts open or claimed tasks whose window ended before ``now``, per building and state."""
        ...

    async def hours_served(self, start: datetime, end: datetime) -> list[VolunteerHours]:
        """Sums the hours of service per volunteer and building served in [start, end), from the passbook
        (corrections and service recorded by hand count), most first; the task count is of service lines."""
        ...
