"""A person's data on request (PIPL): everything stored about them, and forgetting them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from psycopg.rows import dict_row

from storage.postgres.core import PostgresCore

_MINE = "SELECT platform, user_id FROM identities WHERE person_id = %(p)s"
_THEIR_ELDER = "SELECT id FROM elders WHERE person_id = %(p)s"
_NAMES_THEM = (
    "position((SELECT phone FROM persons WHERE id = %(p)s) IN text) > 0 OR position("
    "(SELECT name FROM persons WHERE id = %(p)s AND char_length(name) >= 2) IN text) > 0"
)
"""Text giving their phone, or their name of two characters or more (a NULL never matches)."""

# Each section and what of it is about the person (by their id or their accounts), after SELECT.
PERSON_SECTIONS: dict[str, str] = {
    "person": "* FROM persons WHERE id = %(p)s",
    "identities": "* FROM identities WHERE person_id = %(p)s",
    "messages_from": f"* FROM inbox WHERE (platform, sender_id) IN ({_MINE}) ORDER BY id",
    "messages_to": f"* FROM outbox WHERE private AND (platform, chat_id) IN ({_MINE}) ORDER BY id",
    "tasks_requested": "* FROM tasks WHERE requester_id = %(p)s ORDER BY id",
    "tasks_claimed": "* FROM tasks WHERE claimer_id = %(p)s ORDER BY id",
    "task_events": "* FROM task_events WHERE actor_id = %(p)s ORDER BY id",
    "offers": "* FROM offers WHERE person_id = %(p)s ORDER BY id",
    "service_records": "* FROM service_records WHERE person_id = %(p)s OR counterpart_id = %(p)s ORDER BY id",
    "star_awards": "* FROM star_awards WHERE person_id = %(p)s",
    "volunteer": "* FROM volunteers WHERE person_id = %(p)s",
    "registration_draft": "* FROM registration_drafts WHERE person_id = %(p)s",
    "care_notes": "* FROM care_notes WHERE person_id = %(p)s ORDER BY id",
    "elder": "* FROM elders WHERE person_id = %(p)s",
    "elder_contact_of": "id, person_id FROM elders WHERE contact_person_id = %(p)s",  # not their details
    "paired_with": "* FROM elder_volunteers WHERE volunteer_id = %(p)s",
    "checkins": f"* FROM checkins WHERE elder_id IN ({_THEIR_ELDER}) ORDER BY id",
    "events": "* FROM person_events WHERE person_id = %(p)s ORDER BY id",
}

# Erase what identifies or describes them; keep rows other records point at (hours, tasks).
# The ledger stays append-only: its rows keep their hours, and the name comes from persons.
FORGET_STATEMENTS: tuple[str, ...] = (
    f"UPDATE outbox SET text = '' WHERE state = 'sent' AND ({_NAMES_THEM})",  # others told about them
    f"UPDATE inbox SET text = '' WHERE {_NAMES_THEM}",  # others' messages naming them
    f"UPDATE inbox SET text = '', sender_name = %(name)s, chat_title = NULL "
    f"WHERE (platform, sender_id) IN ({_MINE})",
    f"UPDATE outbox SET text = '' WHERE private AND (platform, chat_id) IN ({_MINE})",
    "UPDATE tasks SET text = '', room = NULL WHERE requester_id = %(p)s",
    "UPDATE offers SET text = '', active = false WHERE person_id = %(p)s",
    "UPDATE care_notes SET text = '', active = false WHERE person_id = %(p)s",
    "UPDATE elders SET room = NULL, contact_name = NULL, contact_phone = NULL, notes = NULL, active = false "
    "WHERE person_id = %(p)s",
    "UPDATE elders SET contact_person_id = NULL WHERE contact_person_id = %(p)s",
    f"UPDATE checkins SET answer_text = NULL WHERE elder_id IN ({_THEIR_ELDER})",
    "DELETE FROM elder_volunteers WHERE volunteer_id = %(p)s",
    "DELETE FROM registration_drafts WHERE person_id = %(p)s",
    "DELETE FROM link_codes WHERE person_id = %(p)s",
    "UPDATE volunteers SET skills = '', availability = NULL, active = false WHERE person_id = %(p)s",
    "DELETE FROM identities WHERE person_id = %(p)s",
    "UPDATE persons SET name = %(name)s, phone = NULL, room = NULL, building = NULL, active = false "
    "WHERE id = %(p)s",
)


class PrivacyQueries(PostgresCore):
    """Export and erasure of one person's data (``linli person export|forget``)."""

    async def person_data(self, person_id: int) -> dict[str, list[dict[str, Any]]]:
        data: dict[str, list[dict[str, Any]]] = {}
        async with (
            self.transaction(),
            self._connection() as conn,
            conn.cursor(row_factory=dict_row) as cursor,
        ):
            for section, rows in PERSON_SECTIONS.items():
                await cursor.execute(f"SELECT {rows}", {"p": person_id})
                data[section] = await cursor.fetchall()
        return data

    async def forget_person(self, person_id: int, placeholder: str, actor: str, at: datetime) -> int:
        changed = 0
        async with self.transaction():
            for sql in FORGET_STATEMENTS:
                changed += await self._execute(sql, {"p": person_id, "name": placeholder})
            await self._execute(
                "INSERT INTO person_events (person_id, kind, actor_id, detail, at) "
                "VALUES (%s, 'forgotten', NULL, %s, %s)",
                (person_id, actor, at),
            )
        return changed
