"""Row ↔ record mapping shared by every SQLite query module."""

from __future__ import annotations

from typing import Any

from storage.models import ChatRef, Person, Role, Task, TaskState
from storage.sqlite_core import from_ts, must_ts

PERSON_COLUMNS = "id, name, role, language, building, room, phone, active"

TASK_COLUMNS = (
    "id, state, text, requester_id, created_at, category, urgency, window_start, window_end, building, "
    "room, claimer_id, emergency, duration_hours, priority, origin_platform, origin_chat_id, "
    "origin_message_id, updated_at, language"
)


def person_from_row(row: Any) -> Person:
    return Person(
        id=int(row[0]),
        name=row[1],
        role=Role(row[2]),
        language=row[3],
        building=row[4],
        room=row[5],
        phone=row[6],
        active=bool(row[7]),
    )


def task_from_row(row: Any) -> Task:
    origin = ChatRef(row[15], row[16]) if row[15] else None
    return Task(
        id=int(row[0]),
        state=TaskState(row[1]),
        text=row[2],
        requester_id=int(row[3]),
        created_at=must_ts(row[4]),
        category=row[5],
        urgency=row[6],
        window_start=from_ts(row[7]),
        window_end=from_ts(row[8]),
        building=row[9],
        room=row[10],
        claimer_id=row[11],
        emergency=bool(row[12]),
        duration_hours=row[13],
        priority=int(row[14]),
        origin=origin,
        origin_message_id=row[17],
        updated_at=from_ts(row[18]),
        language=row[19],
    )
