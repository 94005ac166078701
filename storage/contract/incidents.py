"""Emergencies as incidents: their own numbers, states and escalation (see storage/migrations/015)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from storage.models import ChatRef, Incident, IncidentState


class IncidentStore(Protocol):
    """Incidents over emergency tasks: reported → acknowledged → resolved, with escalation calls."""

    async def create_incident(
        self,
        task_id: int,
        *,
        kind: str | None,
        at: datetime,
        elder_id: int | None,
        next_call_at: datetime | None,
    ) -> Incident:
        """Opens the incident of an emergency task (once: a second call returns the first)."""
        ...

    async def get_incident(self, incident_id: int) -> Incident | None:
        """Returns the incident, or None for an unknown number."""
        ...

    async def incident_of_task(self, task_id: int) -> Incident | None:
        """Returns the incident of an emergency task, or None."""
        ...

    async def acknowledge_incident(self, incident_id: int, person_id: int, at: datetime) -> bool:
        """Reported → acknowledged; False when someone else was first or it is past that."""
        ...

    async def resolve_incident(self, incident_id: int, person_id: int, at: datetime, outcome: str) -> bool:
        """→ resolved with an outcome (hospital, safe, false_alarm); False when already resolved."""
        ...

    async def due_incidents(self, now: datetime, limit: int = 50) -> list[Incident]:
        """Reported incidents whose next escalation call is due."""
        ...

    async def step_incident(self, incident_id: int, step: int, next_call_at: datetime | None) -> bool:
        """Moves a still-reported incident from ``step - 1`` to ``step`` (once, even if two ticks race)."""
        ...

    async def list_incidents(
        self, *, states: Sequence[IncidentState] = (), since: datetime | None = None, limit: int = 50
    ) -> list[Incident]:
        """Returns incidents, newest first; ``states`` and ``since`` (reported at or after) narrow."""
        ...

    async def open_incidents_near(
        self, chat: ChatRef, building: str | None, *, since: datetime, limit: int
    ) -> list[Incident]:
        """Of the newest ``limit`` incidents reported since ``since`` and still open (reported or
        acknowledged), those raised in ``chat`` or in ``building``; newest first."""
        ...

    async def incidents_between(self, start: datetime, end: datetime) -> list[Incident]:
        """Incidents reported or resolved in [start, end)."""
        ...
