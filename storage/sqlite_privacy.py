"""A person's data on request (PIPL): everything stored about them, and forgetting them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.sqlite_core import SqliteCore, ts

_MINE = "SELECT platform, user_id FROM identities WHERE person_id = :p"

# (section, query): every table that holds something about a person, by their id or their accounts.
PERSON_QUERIES: tuple[tuple[str, str], ...] = (
    ("person", "SELECT * FROM persons WHERE id = :p"),
    ("identities", "SELECT * FROM identities WHERE person_id = :p"),
    ("messages_from", f"SELECT * FROM inbox WHERE (platform, sender_id) IN ({_MINE}) ORDER BY id"),
    (
        "messages_to",
        f"SELECT * FROM outbox WHERE private = 1 AND (platform, chat_id) IN ({_MINE}) ORDER BY id",
    ),
    ("tasks_requested", "SELECT * FROM tasks WHERE requester_id = :p ORDER BY id"),
    ("tasks_claimed", "SELECT * FROM tasks WHERE claimer_id = :p ORDER BY id"),
    ("task_events", "SELECT * FROM task_events WHERE actor_id = :p ORDER BY id"),
    ("offers", "SELECT * FROM offers WHERE person_id = :p ORDER BY id"),
    (
        "service_records",
        "SELECT * FROM service_records WHERE person_id = :p OR counterpart_id = :p ORDER BY id",
    ),
    ("star_awards", "SELECT * FROM star_awards WHERE person_id = :p"),
    ("volunteer", "SELECT * FROM volunteers WHERE person_id = :p"),
    ("registration_draft", "SELECT * FROM registration_drafts WHERE person_id = :p"),
    ("care_notes", "SELECT * FROM care_notes WHERE person_id = :p ORDER BY id"),
    ("elder", "SELECT * FROM elders WHERE person_id = :p"),
    ("elder_contact_of", "SELECT id, person_id FROM elders WHERE contact_person_id = :p"),
    ("paired_with", "SELECT * FROM elder_volunteers WHERE volunteer_id = :p"),
    (
        "checkins",
        "SELECT * FROM checkins WHERE elder_id IN (SELECT id FROM elders WHERE person_id = :p) ORDER BY id",
    ),
    ("events", "SELECT * FROM person_events WHERE person_id = :p ORDER BY id"),
)

# Erase what identifies or describes them; keep rows other records point at (hours, tasks).
# The ledger stays append-only: its rows keep their hours, and the name comes from persons.
FORGET_STATEMENTS: tuple[str, ...] = (
    # Messages already sent to others about them (a claimer's details: their phone, their name).
    "UPDATE outbox SET text = '' WHERE state = 'sent' AND ("
    "instr(text, coalesce((SELECT phone FROM persons WHERE id = :p), char(0))) > 0 OR "
    "instr(text, (SELECT iif(length(name) >= 2, name, char(0)) FROM persons WHERE id = :p)) > 0)",
    # Others' messages naming them or giving their phone (/note 赵姐 糖尿病).
    "UPDATE inbox SET text = '' WHERE "
    "instr(text, coalesce((SELECT phone FROM persons WHERE id = :p), char(0))) > 0 OR "
    "instr(text, (SELECT iif(length(name) >= 2, name, char(0)) FROM persons WHERE id = :p)) > 0",
    f"UPDATE inbox SET text = '', sender_name = :name, chat_title = NULL "
    f"WHERE (platform, sender_id) IN ({_MINE})",
    f"UPDATE outbox SET text = '' WHERE private = 1 AND (platform, chat_id) IN ({_MINE})",
    "UPDATE tasks SET text = '', room = NULL WHERE requester_id = :p",
    "UPDATE offers SET text = '', active = 0 WHERE person_id = :p",
    "UPDATE care_notes SET text = '', active = 0 WHERE person_id = :p",
    "UPDATE elders SET room = NULL, contact_name = NULL, contact_phone = NULL, notes = NULL, active = 0 "
    "WHERE person_id = :p",
    "UPDATE elders SET contact_person_id = NULL WHERE contact_person_id = :p",
    "UPDATE checkins SET answer_text = NULL WHERE elder_id IN (SELECT id FROM elders WHERE person_id = :p)",
    "DELETE FROM elder_volunteers WHERE volunteer_id = :p",
    "DELETE FROM registration_drafts WHERE person_id = :p",
    "DELETE FROM link_codes WHERE person_id = :p",
    "UPDATE volunteers SET skills = '', availability = NULL, active = 0 WHERE person_id = :p",
    "DELETE FROM identities WHERE person_id = :p",
    "UPDATE persons SET name = :name, phone = NULL, room = NULL, building = NULL, active = 0 WHERE id = :p",
)


class PrivacyQueries(SqliteCore):
    """Export and erasure of one person's data (``linli person export|forget``)."""

    async def person_data(self, person_id: int) -> dict[str, list[dict[str, Any]]]:
        data: dict[str, list[dict[str, Any]]] = {}
        async with self.transaction():
            for section, sql in PERSON_QUERIES:
                cursor = self.raw.execute(sql, {"p": person_id})
                columns = [c[0] for c in cursor.description]
                data[section] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        return data

    async def forget_person(self, person_id: int, placeholder: str, actor: str, at: datetime) -> int:
        changed = 0
        async with self.transaction():
            for sql in FORGET_STATEMENTS:
                changed += max(self.raw.execute(sql, {"p": person_id, "name": placeholder}).rowcount, 0)
            self.raw.execute(
                "INSERT INTO person_events (person_id, kind, actor_id, detail, at) "
                "VALUES (?, 'forgotten', NULL, ?, ?)",
                (person_id, actor, ts(at)),
            )
        return changed
