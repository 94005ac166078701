"""SQL for emergencies as incidents (mixed into PostgresRepository): numbering, states, escalation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from storage.models import ChatRef, Incident, IncidentState
from storage.postgres.core import PostgresCore
from storage.postgres.rows import columns

_COLUMNS = columns(Incident)
_RECENT_COLUMNS = ", ".join(f"recent.{column}" for column in _COLUMNS.split(", "))


def _incident(row: dict[str, Any]) -> Incident:
    return Incident(**(row | {"state": IncidentState(row["state"])}))


class IncidentQueries(PostgresCore):
    """Incidents: one per emergency task, numbered on their own (E1, E2 …)."""

    async def create_incident(
        self,
        task_id: int,
        *,
        kind: str | None,
        at: datetime,
        elder_id: int | None,
        next_call_at: datetime | None,
    ) -> Incident:
        await self._execute(
            "INSERT INTO incidents (task_id, kind, reported_at, elder_id, next_call_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (task_id) DO NOTHING",
            (task_id, kind, at, elder_id, next_call_at),
        )
        found = await self.incident_of_task(task_id)
        assert found is not None
        return found

    async def get_incident(self, incident_id: int) -> Incident | None:
        return await self._record(
            _incident, f"SELECT {_COLUMNS} FROM incidents WHERE id = %s", (incident_id,)
        )

    async def incident_of_task(self, task_id: int) -> Incident | None:
        return await self._record(
            _incident, f"SELECT {_COLUMNS} FROM incidents WHERE task_id = %s", (task_id,)
        )

    async def acknowledge_incident(self, incident_id: int, person_id: int, at: datetime) -> bool:
        changed = await self._execute(
            "UPDATE incidents SET state = 'acknowledged', acknowledged_at = %s, acknowledged_by = %s, "
            "next_call_at = NULL WHERE id = %s AND state = 'reported'",
            (at, person_id, incident_id),
        )
        return changed > 0

    async def resolve_incident(self, incident_id: int, person_id: int, at: datetime, outcome: str) -> bool:
        changed = await self._execute(
            "UPDATE incidents SET state = 'resolved', resolved_at = %(at)s, resolved_by = %(by)s, "
            "outcome = %(outcome)s, acknowledged_at = coalesce(acknowledged_at, %(at)s), "
            "acknowledged_by = coalesce(acknowledged_by, %(by)s), next_call_at = NULL "
            "WHERE id = %(id)s AND state != 'resolved'",
            {"at": at, "by": person_id, "outcome": outcome, "id": incident_id},
        )
        return changed > 0

    async def due_incidents(self, now: datetime, limit: int = 50) -> list[Incident]:
        return await self._records(
            _incident,
            f"SELECT {_COLUMNS} FROM incidents WHERE state = 'reported' AND next_call_at <= %s "
            "ORDER BY next_call_at LIMIT %s",
            (now, limit),
        )

    async def step_incident(self, incident_id: int, step: int, next_call_at: datetime | None) -> bool:
        changed = await self._execute(
            "UPDATE incidents SET step = %s, next_call_at = %s "
            "WHERE id = %s AND state = 'reported' AND step = %s",
            (step, next_call_at, incident_id, step - 1),
        )
        return changed > 0

    async def list_incidents(
        self, *, states: Sequence[IncidentState] = (), since: datetime | None = None, limit: int = 50
    ) -> list[Incident]:
        where = ["true"]
        if states:
            where.append("state = ANY(%(states)s)")
        if since is not None:
            where.append("reported_at >= %(since)s")
        return await self._records(
            _incident,
            f"SELECT {_COLUMNS} FROM incidents WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT %(limit)s",
            {"states": list(states), "since": since, "limit": limit},
        )

    async def open_incidents_near(
        self, chat: ChatRef, building: str | None, *, since: datetime, limit: int
    ) -> list[Incident]:
        return await self._records(
            _incident,
            f"""
            SELECT {_RECENT_COLUMNS} FROM (
                SELECT * FROM incidents
                WHERE state IN ('reported', 'acknowledged') AND reported_at >= %(since)s
                ORDER BY id DESC LIMIT %(limit)s
            ) AS recent
            JOIN tasks ON tasks.id = recent.task_id
            WHERE (tasks.origin_platform = %(platform)s AND tasks.origin_chat_id = %(chat_id)s)
               OR tasks.building = %(building)s
            ORDER BY recent.id DESC""",
            {
                "since": since,
                "limit": limit,
                "platform": chat.platform,
                "chat_id": chat.chat_id,
                "building": building,
            },
        )

    async def incidents_between(self, start: datetime, end: datetime) -> list[Incident]:
        return await self._records(
            _incident,
            f"SELECT {_COLUMNS} FROM incidents WHERE (reported_at >= %(start)s AND reported_at < %(end)s) "
            "OR (resolved_at >= %(start)s AND resolved_at < %(end)s) ORDER BY id",
            {"start": start, "end": end},
        )
