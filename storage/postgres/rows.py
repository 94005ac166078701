"""Row → record mapping shared by the PostgreSQL query modules.

Rows come as {column: value} with PostgreSQL's own types (timestamptz as aware datetimes,
booleans, dates), so a record is mostly its row; only enums and nested values are built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from storage.models import ChatRef, ChatUpdate, Person, PersonUpdate, Role, Task, TaskState, TaskUpdate


def columns(record: type) -> str:
    """The columns a record is read from: its fields, which the tables name alike."""
    return ", ".join(field.name for field in fields(record))


PERSON_COLUMNS = columns(Person)

TASK_COLUMNS = (
    "id, state, text, requester_id, created_at, category, urgency, window_start, window_end, building, "
    "room, claimer_id, emergency, duration_hours, priority, origin_platform, origin_chat_id, "
    "origin_message_id, updated_at, language"
)


def person(row: dict[str, Any]) -> Person:
    return Person(**(row | {"role": Role(row["role"])}))


def task(row: dict[str, Any]) -> Task:
    platform, chat_id = row.pop("origin_platform"), row.pop("origin_chat_id")
    origin = ChatRef(platform, chat_id) if platform else None
    return Task(**(row | {"state": TaskState(row["state"]), "origin": origin}))


def changes(change: PersonUpdate | ChatUpdate | TaskUpdate) -> dict[str, object]:
    """The columns an update object sets (its None fields stay as they are)."""
    values = ((field.name, getattr(change, field.name)) for field in fields(change))
    return {name: value for name, value in values if value is not None}


def assignments(columns: Mapping[str, object]) -> str:
    """``a = %(a)s, b = %(b)s`` for an UPDATE of these columns (names from our own dataclasses)."""
    return ", ".join(f"{name} = %({name})s" for name in columns)
