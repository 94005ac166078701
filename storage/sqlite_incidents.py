"""SQL for emergencies as incidents (mixed into SqliteRepository): numbering, states, escalation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from storage.models import ChatRef, Incident, IncidentState
from storage.sqlite_core import SqliteCore, from_ts, must_ts, ts

_COLUMNS = (
    "id, task_id, kind, state, reported_at, elder_id, acknowledged_at, acknowledged_by, "
    "resolved_at, resolved_by, outcome, step, next_call_at"
)
_RECENT_COLUMNS = ", ".join(f"recent.{column}" for column in _COLUMNS.split(", "))


def _incident(row: Any) -> Incident:
    return Incident(
        id=int(row[0]),
        task_id=int(row[1]),
        kind=row[2],
        state=IncidentState(row[3]),
        reported_at=must_ts(row[4]),
        elder_id=row[5],
        acknowledged_at=from_ts(row[6]),
        acknowledged_by=row[7],
        resolved_at=from_ts(row[8]),
        resolved_by=row[9],
        outcome=row[10],
        step=int(row[11]),
        next_call_at=from_ts(row[12]),
    )


class IncidentQueries(SqliteCore):
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
        rows = await self._fetchall_written(
            "INSERT INTO incidents (task_id, kind, reported_at, elder_id, next_call_at) "
            f"VALUES (?, ?, ?, ?, ?) ON CONFLICT (task_id) DO NOTHING RETURNING {_COLUMNS}",
            (task_id, kind, ts(at), elder_id, ts(next_call_at) if next_call_at else None),
        )
        if rows:
            return _incident(rows[0])
        found = await self.incident_of_task(task_id)  # the task's incident was opened before
        assert found is not None
        return found

    async def get_incident(self, incident_id: int) -> Incident | None:
        row = await self._fetchone(f"SELECT {_COLUMNS} FROM incidents WHERE id = ?", (incident_id,))
        return None if row is None else _incident(row)

    async def incident_of_task(self, task_id: int) -> Incident | None:
        row = await self._fetchone(f"SELECT {_COLUMNS} FROM incidents WHERE task_id = ?", (task_id,))
        return None if row is None else _incident(row)

    async def acknowledge_incident(self, incident_id: int, person_id: int, at: datetime) -> bool:
        _, changed = await self._execute(
            "UPDATE incidents SET state = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, "
            "next_call_at = NULL WHERE id = ? AND state = 'reported'",
            (ts(at), person_id, incident_id),
        )
        return changed > 0

    async def resolve_incident(self, incident_id: int, person_id: int, at: datetime, outcome: str) -> bool:
        _, changed = await self._execute(
            "UPDATE incidents SET state = 'resolved', resolved_at = ?, resolved_by = ?, outcome = ?, "
            "acknowledged_at = coalesce(acknowledged_at, ?), acknowledged_by = coalesce(acknowledged_by, ?), "
            "next_call_at = NULL WHERE id = ? AND state != 'resolved'",
            (ts(at), person_id, outcome, ts(at), person_id, incident_id),
        )
        return changed > 0

    async def due_incidents(self, now: datetime, limit: int = 50) -> list[Incident]:
        rows = await self._fetchall(
            f"SELECT {_COLUMNS} FROM incidents WHERE state = 'reported' AND next_call_at IS NOT NULL "
            "AND next_call_at <= ? ORDER BY next_call_at LIMIT ?",
            (ts(now), limit),
        )
        return [_incident(r) for r in rows]

    async def step_incident(self, incident_id: int, step: int, next_call_at: datetime | None) -> bool:
        _, changed = await self._execute(
            "UPDATE incidents SET step = ?, next_call_at = ? "
            "WHERE id = ? AND state = 'reported' AND step = ?",
            (step, ts(next_call_at) if next_call_at else None, incident_id, step - 1),
        )
        return changed > 0

    async def list_incidents(
        self, *, states: Sequence[IncidentState] = (), since: datetime | None = None, limit: int = 50
    ) -> list[Incident]:
        where, params = ["1 = 1"], []
        if states:
            where.append(f"state IN ({', '.join('?' for _ in states)})")
            params += [s.value for s in states]
        if since is not None:
            where.append("reported_at >= ?")
            params.append(ts(since))
        rows = await self._fetchall(
            f"SELECT {_COLUMNS} FROM incidents WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT ?",
            (*params, limit),
        )
        return [_incident(r) for r in rows]

    async def open_incidents_near(
        self, chat: ChatRef, building: str | None, *, since: datetime, limit: int
    ) -> list[Incident]:
        rows = await self._fetchall(
            f"""
            SELECT {_RECENT_COLUMNS} FROM (
                SELECT * FROM incidents
                WHERE state IN ('reported', 'acknowledged') AND reported_at >= ?
                ORDER BY id DESC LIMIT ?
            ) AS recent
            JOIN tasks ON tasks.id = recent.task_id
            WHERE (tasks.origin_platform = ? AND tasks.origin_chat_id = ?) OR tasks.building = ?
            ORDER BY recent.id DESC""",
            (ts(since), limit, chat.platform, chat.chat_id, building),
        )
        return [_incident(r) for r in rows]

    async def incidents_between(self, start: datetime, end: datetime) -> list[Incident]:
        rows = await self._fetchall(
            f"SELECT {_COLUMNS} FROM incidents WHERE (reported_at >= ? AND reported_at < ?) "
            "OR (resolved_at >= ? AND resolved_at < ?) ORDER BY id",
            (ts(start), ts(end), ts(start), ts(end)),
        )
        return [_incident(r) for r in rows]

    async def mark_asked(self, person_ids: Sequence[int], at: datetime) -> None:
        for person_id in person_ids:
            await self._execute(
                "INSERT INTO volunteer_asks (person_id, asked_at) VALUES (?, ?) "
                "ON CONFLICT (person_id) DO UPDATE SET asked_at = excluded.asked_at",
                (person_id, ts(at)),
            )
