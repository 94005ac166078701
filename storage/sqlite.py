"""The embedded default: one SQLite file in WAL mode, through the standard sqlite3 module."""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from storage.models import (
    Candidate,
    Card,
    Chat,
    ChatRef,
    ChatUpdate,
    Identity,
    InboxItem,
    InboxState,
    Incoming,
    Offer,
    OutboxItem,
    OutboxState,
    Person,
    PersonEvent,
    PersonUpdate,
    Reply,
    Role,
    SentMark,
    Task,
    TaskEvent,
    TaskState,
    TaskUpdate,
)
from storage.reply_json import buttons_from_json as _buttons
from storage.reply_json import buttons_json as _buttons_json
from storage.reply_json import fallback_from_json as _fallback_reply
from storage.reply_json import fallback_json as _fallback_json
from storage.sqlite_checkins import CheckinQueries
from storage.sqlite_core import SqliteCore, from_ts, must_ts, plain, ts
from storage.sqlite_incidents import IncidentQueries
from storage.sqlite_leases import LeaseQueries
from storage.sqlite_lovebank import LovebankQueries
from storage.sqlite_privacy import PrivacyQueries
from storage.sqlite_rows import PERSON_COLUMNS, TASK_COLUMNS, person_from_row, task_from_row

log = logging.getLogger(__name__)


def _changes(change: PersonUpdate | ChatUpdate | TaskUpdate) -> dict[str, object]:
    """The columns an update object sets (its None fields stay as they are), as SQLite stores them."""
    values = ((field.name, getattr(change, field.name)) for field in fields(change))
    return {name: plain(value) for name, value in values if value is not None}


class SqliteRepository(
    IncidentQueries, PrivacyQueries, LovebankQueries, CheckinQueries, LeaseQueries, SqliteCore
):
    """The repository on one SQLite connection; see ``storage.base`` for the contract."""

    # -- people and chats ---------------------------------------------------

    async def resolve_identity(self, platform: str, user_id: str, display_name: str) -> Person:
        found = _person_and_display_name(
            await self._fetchall(
                "SELECT persons.id, persons.name, role, language, building, room, phone, active, "
                "identities.display_name FROM identities JOIN persons ON persons.id = identities.person_id "
                "WHERE platform = ? AND user_id = ?",
                (platform, user_id),
            )
        )
        if found is not None:
            person, known_name = found
            if display_name and known_name != display_name:
                await self._execute(
                    "UPDATE identities SET display_name = ? WHERE platform = ? AND user_id = ?",
                    (display_name, platform, user_id),
                )
            return person
        async with self.transaction():
            person_id, _ = await self._execute(
                "INSERT INTO persons (name, role, created_at) VALUES (?, 'resident', ?)",
                (display_name or user_id, ts(datetime.now(UTC))),
            )
            await self._execute(
                "INSERT INTO identities (platform, user_id, person_id, display_name) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (platform, user_id) DO NOTHING",
                (platform, user_id, person_id, display_name or user_id),
            )
        return await self.resolve_identity(platform, user_id, "")

    async def get_person(self, person_id: int) -> Person | None:
        return _person(
            await self._fetchall(f"SELECT {PERSON_COLUMNS} FROM persons WHERE id = ?", (person_id,))
        )

    async def find_person_by_name(self, name: str) -> Person | None:
        row = await self._fetchone(
            f"SELECT {PERSON_COLUMNS} FROM persons WHERE name = ? AND active = 1 ORDER BY id LIMIT 1",
            (name,),
        )
        return None if row is None else person_from_row(row)

    async def upsert_person(
        self, name: str, role: Role, identities: Sequence[tuple[str, str]] = ()
    ) -> Person:
        async with self.transaction():
            person_id: int | None = None
            for platform, user_id in identities:
                row = await self._fetchone(
                    "SELECT person_id FROM identities WHERE platform = ? AND user_id = ?",
                    (platform, user_id),
                )
                if row is not None:
                    person_id = int(row[0])
                    break
            if person_id is None and not identities:
                # A name alone joins only a record that has no account yet (registered by name,
                # pending): never one whose name is merely some account's display name.
                row = await self._fetchone(
                    "SELECT id FROM persons WHERE name = ? AND active = 1 AND NOT EXISTS "
                    "(SELECT 1 FROM identities WHERE identities.person_id = persons.id) ORDER BY id LIMIT 1",
                    (name,),
                )
                person_id = int(row[0]) if row is not None else None
            if person_id is None:
                person_id, _ = await self._execute(
                    "INSERT INTO persons (name, role, created_at) VALUES (?, ?, ?)",
                    (name, str(role), ts(datetime.now(UTC))),
                )
            await self.update_person(person_id, PersonUpdate(name=name, role=role))
            for platform, user_id in identities:
                await self._execute(
                    "INSERT INTO identities (platform, user_id, person_id, display_name, verified) "
                    "VALUES (?, ?, ?, ?, 1) ON CONFLICT (platform, user_id) "
                    "DO UPDATE SET person_id = excluded.person_id, verified = 1",
                    (platform, user_id, person_id, name),
                )
            person = await self.get_person(person_id)
            assert person is not None
            return person

    async def update_person(self, person_id: int, change: PersonUpdate) -> Person:
        columns = _changes(change)
        if columns:  # one statement: the change, and the person as it now is
            assignments = ", ".join(f"{key} = ?" for key in columns)
            person = _person(
                await self._fetchall_written(
                    f"UPDATE persons SET {assignments} WHERE id = ? RETURNING {PERSON_COLUMNS}",
                    (*columns.values(), person_id),
                )
            )
        else:
            person = await self.get_person(person_id)
        if person is None:
            raise KeyError(f"no person {person_id}")
        return person

    async def identities_of(self, person_id: int) -> list[Identity]:
        rows = await self._fetchall(
            "SELECT platform, user_id, person_id, display_name, reachable, verified FROM identities "
            "WHERE person_id = ? ORDER BY reachable DESC, rowid",
            (person_id,),
        )
        return [Identity(r[0], r[1], int(r[2]), r[3], bool(r[4]), bool(r[5])) for r in rows]

    async def link_identity(self, platform: str, user_id: str, person_id: int) -> None:
        await self._execute(
            "UPDATE identities SET person_id = ? WHERE platform = ? AND user_id = ?",
            (person_id, platform, user_id),
        )

    async def verify_identity(self, platform: str, user_id: str) -> None:
        await self._execute(
            "UPDATE identities SET verified = 1 WHERE platform = ? AND user_id = ?", (platform, user_id)
        )

    async def identities_named(self, name: str) -> list[Identity]:
        rows = await self._fetchall(
            "SELECT identities.platform, user_id, person_id, display_name, reachable, verified "
            "FROM identities JOIN persons ON persons.id = identities.person_id "
            "WHERE (display_name = ? OR persons.name = ?) AND persons.active = 1 "
            "ORDER BY person_id, identities.rowid",
            (name, name),
        )
        return [Identity(r[0], r[1], int(r[2]), r[3], bool(r[4]), bool(r[5])) for r in rows]

    async def record_person_event(
        self, person_id: int, kind: str, actor_id: int | None, detail: str, at: datetime
    ) -> None:
        await self._execute(
            "INSERT INTO person_events (person_id, kind, actor_id, detail, at) VALUES (?, ?, ?, ?, ?)",
            (person_id, kind, actor_id, detail, ts(at)),
        )

    async def person_events(self, person_id: int) -> list[PersonEvent]:
        rows = await self._fetchall(
            "SELECT kind, actor_id, detail, at FROM person_events WHERE person_id = ? ORDER BY id",
            (person_id,),
        )
        return [PersonEvent(r[0], r[1], r[2], must_ts(r[3])) for r in rows]

    async def create_link_code(
        self, person_id: int, code: str, expires_at: datetime, platform: str = ""
    ) -> None:
        async with self.transaction():
            await self._execute("DELETE FROM link_codes WHERE person_id = ?", (person_id,))
            await self._execute(
                "INSERT INTO link_codes (code, person_id, expires_at, platform) VALUES (?, ?, ?, ?)",
                (code, person_id, ts(expires_at), platform),
            )

    async def take_link_code(self, code: str, now: datetime, platform: str = "") -> int | None:
        async with self.transaction():
            row = await self._fetchone(
                "SELECT person_id, expires_at, platform FROM link_codes WHERE code = ?", (code,)
            )
            if row is None or (platform and row[2] == platform):
                return None  # a code works only on another platform than the one that gave it
            await self._execute("DELETE FROM link_codes WHERE code = ?", (code,))
        if row[1] <= ts(now):
            return None
        return int(row[0])

    async def count_person_events(self, person_id: int, kind: str, since: datetime) -> int:
        row = await self._fetchone(
            "SELECT count(*) FROM person_events WHERE person_id = ? AND kind = ? AND at > ?",
            (person_id, kind, ts(since)),
        )
        return int(row[0]) if row else 0

    async def set_identity_reachable(self, platform: str, user_id: str, reachable: bool) -> bool:
        _, changed = await self._execute(
            "UPDATE identities SET reachable = ? WHERE platform = ? AND user_id = ? AND reachable != ?",
            (int(reachable), platform, user_id, int(reachable)),
        )
        return changed > 0

    async def persons_with_role(self, *roles: Role) -> list[Person]:
        marks = ", ".join("?" for _ in roles)
        rows = await self._fetchall(
            f"SELECT {PERSON_COLUMNS} FROM persons WHERE active = 1 AND role IN ({marks}) ORDER BY id",
            [str(role) for role in roles],
        )
        return [person_from_row(row) for row in rows]

    async def upsert_chat(self, platform: str, chat_id: str, title: str | None) -> Chat:
        known = await self.get_chat(platform, chat_id)
        if known is not None and (title is None or title == known.title):
            return known
        await self._execute(
            "INSERT INTO chats (platform, chat_id, title) VALUES (?, ?, ?) "
            "ON CONFLICT (platform, chat_id) DO UPDATE SET title = coalesce(excluded.title, title)",
            (platform, chat_id, title),
        )
        chat = await self.get_chat(platform, chat_id)
        assert chat is not None
        return chat

    async def get_chat(self, platform: str, chat_id: str) -> Chat | None:
        return _first_chat(
            await self._fetchall(
                "SELECT platform, chat_id, title, building, language, reachable FROM chats "
                "WHERE platform = ? AND chat_id = ?",
                (platform, chat_id),
            )
        )

    async def bind_chat(self, platform: str, chat_id: str, building: str | None) -> Chat:
        async with self.transaction():
            await self.upsert_chat(platform, chat_id, None)
            await self._execute(
                "UPDATE chats SET building = ? WHERE platform = ? AND chat_id = ?",
                (building, platform, chat_id),
            )
            chat = await self.get_chat(platform, chat_id)
            assert chat is not None
            return chat

    async def update_chat(self, platform: str, chat_id: str, change: ChatUpdate) -> None:
        columns = _changes(change)
        if columns:
            assignments = ", ".join(f"{key} = ?" for key in columns)
            await self._execute(
                f"UPDATE chats SET {assignments} WHERE platform = ? AND chat_id = ?",
                (*columns.values(), platform, chat_id),
            )

    async def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        async with self.transaction():
            old = await self.get_chat(platform, old_chat_id)
            if old is None:
                return
            await self._execute(
                "INSERT INTO chats (platform, chat_id, title, building, language, reachable) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, chat_id) DO UPDATE SET "
                "building = coalesce(chats.building, excluded.building), title = excluded.title",
                (platform, new_chat_id, old.title, old.building, old.language, int(old.reachable)),
            )
            for table, column in (("tasks", "origin_chat_id"), ("cards", "chat_id"), ("outbox", "chat_id")):
                await self._execute(
                    f"UPDATE OR IGNORE {table} SET {column} = ? WHERE "
                    f"{'origin_platform' if table == 'tasks' else 'platform'} = ? AND {column} = ?",
                    (new_chat_id, platform, old_chat_id),
                )
            await self._execute(
                "UPDATE chats SET building = NULL, reachable = 0 WHERE platform = ? AND chat_id = ?",
                (platform, old_chat_id),
            )

    async def chats_for_building(self, building: str) -> list[Chat]:
        chats = _chats(
            await self._fetchall(
                "SELECT platform, chat_id, title, building, language, reachable FROM chats "
                "WHERE building = ? AND reachable = 1 ORDER BY platform, chat_id",
                (building,),
            )
        )
        return list(chats)

    # -- inbox ----------------------------------------------------------------

    async def store_incoming(self, msg: Incoming, *, handled: bool = False) -> tuple[InboxItem, bool]:
        state = InboxState.DONE if handled else InboxState.NEW
        # No savepoint of its own: one INSERT is atomic, and a duplicate is only read.
        inbox_id, changed = await self._execute(
            "INSERT INTO inbox (platform, chat_id, private, message_id, sender_id, sender_name, text, "
            "reply_to, chat_title, action, mentions_bot, kind, at, state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (platform, chat_id, message_id) DO NOTHING",
            (
                msg.platform,
                msg.chat.chat_id,
                int(msg.chat.private),
                msg.message_id,
                msg.sender_id,
                msg.sender_name,
                msg.text,
                msg.reply_to,
                msg.chat_title,
                msg.action,
                int(msg.mentions_bot),
                msg.kind,
                ts(msg.at),
                state.value,
            ),
        )
        fresh = changed > 0
        if fresh and inbox_id:
            return InboxItem(inbox_id, msg, state), True
        row = await self._fetchone(
            f"SELECT {_INBOX_COLUMNS} FROM inbox WHERE platform = ? AND chat_id = ? AND message_id = ?",
            (msg.platform, msg.chat.chat_id, msg.message_id),
        )
        assert row is not None
        return _inbox(row), False

    async def mark_handled(self, inbox_id: int) -> None:
        await self._execute("UPDATE inbox SET state = 'done', error = NULL WHERE id = ?", (inbox_id,))

    async def fail_incoming(self, msg: Incoming, error: str) -> int:
        async with self.transaction():
            item, _ = await self.store_incoming(msg)
            await self._execute(
                "UPDATE inbox SET state = 'failed', error = ?, attempts = attempts + 1 WHERE id = ?",
                (error[:500], item.id),
            )
            row = await self._fetchone("SELECT attempts FROM inbox WHERE id = ?", (item.id,))
        return int(row[0])

    async def pending_incoming(self, limit: int = 100) -> list[InboxItem]:
        rows = await self._fetchall(
            f"SELECT {_INBOX_COLUMNS} FROM inbox WHERE state = 'new' ORDER BY id LIMIT ?", (limit,)
        )
        return [_inbox(row) for row in rows]

    async def count_incoming(
        self, state: InboxState | None = None, between: tuple[datetime, datetime] | None = None
    ) -> int:
        if between is None:
            return await self._count("inbox", state)
        row = await self._fetchone(
            "SELECT count(*) FROM inbox WHERE (? IS NULL OR state = ?) AND at >= ? AND at < ?",
            (state, state, ts(between[0]), ts(between[1])),
        )
        return int(row[0]) if row else 0

    async def _count(self, table: str, state: InboxState | OutboxState | None) -> int:
        if state is None:
            row = await self._fetchone(f"SELECT count(*) FROM {table}")
        else:
            row = await self._fetchone(f"SELECT count(*) FROM {table} WHERE state = ?", (state,))
        return int(row[0]) if row else 0

    # -- tasks ------------------------------------------------------------------

    async def create_task(
        self,
        *,
        text: str,
        requester_id: int,
        at: datetime,
        category: str | None = None,
        urgency: str = "normal",
        window: tuple[datetime, datetime] | None = None,
        building: str | None = None,
        room: str | None = None,
        emergency: bool = False,
        priority: int = 0,
        origin: ChatRef | None = None,
        origin_message_id: str | None = None,
        inbox_id: int | None = None,
        language: str | None = None,
    ) -> Task:
        created = ts(at)
        start, end = (ts(window[0]), ts(window[1])) if window else (None, None)
        async with self.transaction():
            task_id, _ = await self._execute(
                "INSERT INTO tasks (state, text, requester_id, category, urgency, window_start, window_end, "
                "building, room, emergency, priority, origin_platform, origin_chat_id, origin_message_id, "
                "inbox_id, created_at, updated_at, language) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    TaskState.OPEN.value,
                    text,
                    requester_id,
                    category,
                    urgency,
                    start,
                    end,
                    building,
                    room,
                    int(emergency),
                    priority,
                    origin.platform if origin else None,
                    origin.chat_id if origin else None,
                    origin_message_id,
                    inbox_id,
                    created,
                    created,
                    language,
                ),
            )
            await self._execute(
                "INSERT INTO task_events (task_id, action, from_state, to_state, actor_id, at) "
                "VALUES (?, 'create', NULL, 'open', ?, ?)",
                (task_id, requester_id, created),
            )
        stored_at = must_ts(created)  # as read back later: in UTC
        return Task(
            id=task_id,
            state=TaskState.OPEN,
            text=text,
            requester_id=requester_id,
            created_at=stored_at,
            category=category,
            urgency=urgency,
            window_start=from_ts(start),
            window_end=from_ts(end),
            building=building,
            room=room,
            emergency=emergency,
            priority=priority,
            origin=ChatRef(origin.platform, origin.chat_id) if origin else None,
            origin_message_id=origin_message_id,
            updated_at=stored_at,
            language=language,
        )

    async def get_task(self, task_id: int) -> Task | None:
        row = await self._fetchone(f"SELECT {TASK_COLUMNS} FROM tasks WHERE id = ?", (task_id,))
        return None if row is None else task_from_row(row)

    async def task_for_inbox(self, inbox_id: int) -> Task | None:
        row = await self._fetchone(f"SELECT {TASK_COLUMNS} FROM tasks WHERE inbox_id = ?", (inbox_id,))
        return None if row is None else task_from_row(row)

    async def transition_task(
        self,
        task_id: int,
        *,
        action: str,
        expect: TaskState | Sequence[TaskState],
        to: TaskState,
        actor_id: int | None,
        at: datetime,
        claimer_id: int | None = None,
        unclaim: bool = False,
        duration_hours: float | None = None,
        note: str | None = None,
    ) -> bool:
        if unclaim and claimer_id is not None:
            raise ValueError("a transition either sets the claimer or forgets it, not both")
        expected = [expect] if isinstance(expect, TaskState) else list(expect)
        marks = ", ".join("?" for _ in expected)
        async with self.transaction():
            row = await self._fetchone("SELECT state FROM tasks WHERE id = ?", (task_id,))
            if row is None:
                return False
            sets = ["state = ?", "updated_at = ?"]
            params: list[Any] = [to.value, ts(at)]
            if claimer_id is not None or unclaim:
                sets.append("claimer_id = ?")
                params.append(claimer_id)
            if duration_hours is not None:
                sets.append("duration_hours = ?")
                params.append(duration_hours)
            _, changed = await self._execute(
                f"UPDATE tasks SET {', '.join(sets)} WHERE id = ? AND state IN ({marks})",
                (*params, task_id, *[s.value for s in expected]),
            )
            if not changed:
                return False
            await self._execute(
                "INSERT INTO task_events (task_id, action, from_state, to_state, actor_id, at, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (task_id, action, row[0], to.value, actor_id, ts(at), note),
            )
            return True

    async def update_task(self, task_id: int, change: TaskUpdate) -> None:
        columns = _changes(change)
        if columns:
            assignments = ", ".join(f"{key} = ?" for key in columns)
            await self._execute(f"UPDATE tasks SET {assignments} WHERE id = ?", (*columns.values(), task_id))

    async def task_events(self, task_id: int) -> list[TaskEvent]:
        rows = await self._fetchall(
            "SELECT task_id, action, from_state, to_state, actor_id, at, note FROM task_events "
            "WHERE task_id = ? ORDER BY id",
            (task_id,),
        )
        return [
            TaskEvent(
                task_id=int(r[0]),
                action=r[1],
                from_state=TaskState(r[2]) if r[2] else None,
                to_state=TaskState(r[3]),
                actor_id=r[4],
                at=must_ts(r[5]),
                note=r[6],
            )
            for r in rows
        ]

    async def list_tasks(
        self,
        *,
        states: Sequence[TaskState] = (),
        building: str | None = None,
        emergency: bool | None = None,
        created_before: datetime | None = None,
        categories: Sequence[str] = (),
        requester_id: int | None = None,
        claimer_id: int | None = None,
        limit: int = 1000,
    ) -> list[Task]:
        where: list[str] = []
        params: list[Any] = []
        if states:
            where.append(f"state IN ({', '.join('?' for _ in states)})")
            params.extend(s.value for s in states)
        if building is not None:
            where.append("building = ?")
            params.append(building)
        if emergency is not None:
            where.append("emergency = ?")
            params.append(int(emergency))
        if created_before is not None:
            where.append("created_at < ?")
            params.append(ts(created_before))
        if categories:
            where.append(f"category IN ({', '.join('?' for _ in categories)})")
            params.extend(categories)
        for column, value in (("requester_id", requester_id), ("claimer_id", claimer_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = await self._fetchall(
            f"SELECT {TASK_COLUMNS} FROM tasks {clause} ORDER BY priority DESC, created_at, id LIMIT ?",
            (*params, limit),
        )
        return [task_from_row(row) for row in rows]

    async def open_task_for_offer(
        self,
        *,
        categories: Sequence[str],
        window: tuple[datetime, datetime] | None,
        building: str | None,
        excluding_requester: int,
    ) -> Task | None:
        where = ["state = 'open'", "emergency = 0", "requester_id != ?"]
        params: list[Any] = [excluding_requester]
        if window is not None:
            where.append("(window_start IS NULL OR (window_start < ? AND window_end > ?))")
            params += [ts(window[1]), ts(window[0])]
        fits = " AND ".join(where)
        order = "ORDER BY priority DESC, created_at, id LIMIT 1"
        if not categories:
            place = "" if building is None else " AND (building IS NULL OR building = ?)"
            row = await self._fetchone(
                f"SELECT {TASK_COLUMNS} FROM tasks WHERE {fits}{place} {order}",
                [*params, *([] if building is None else [building])],
            )
            return None if row is None else task_from_row(row)
        # Short walks down tasks_open_place, already in priority order, each stopping at its
        # first fit: per category, in the building and with no building; one statement.
        places: list[tuple[str, list[Any]]] = (
            [("", [])]
            if building is None
            else [(" AND building = ?", [building]), (" AND building IS NULL", [])]
        )
        walks: list[str] = []
        walk_params: list[Any] = []
        for category in categories:
            for place, place_params in places:
                walks.append(
                    f"SELECT * FROM (SELECT {TASK_COLUMNS} FROM tasks "
                    f"WHERE category = ?{place} AND {fits} {order})"
                )
                walk_params += [category, *place_params, *params]
        row = await self._fetchone(
            f"{' UNION ALL '.join(walks)} ORDER BY priority DESC, created_at, id LIMIT 1", walk_params
        )
        return None if row is None else task_from_row(row)

    async def record_card(self, task_id: int, chat: ChatRef, message_id: str) -> None:
        await self._execute(
            "INSERT INTO cards (task_id, platform, chat_id, message_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (task_id, platform, chat_id) DO UPDATE SET message_id = excluded.message_id",
            (task_id, chat.platform, chat.chat_id, message_id),
        )

    async def cards_of(self, task_id: int) -> list[Card]:
        rows = await self._fetchall(
            "SELECT cards.task_id, cards.platform, cards.chat_id, cards.message_id FROM cards "
            "WHERE task_id = ? ORDER BY platform, chat_id",
            (task_id,),
        )
        return [Card(int(r[0]), ChatRef(r[1], r[2]), r[3]) for r in rows]

    async def last_card_in(self, chat: ChatRef) -> int | None:
        row = await self._fetchone(
            "SELECT card_of FROM outbox WHERE platform = ? AND chat_id = ? AND private = 0 "
            "AND card_of IS NOT NULL ORDER BY id DESC LIMIT 1",
            (chat.platform, chat.chat_id),
        )
        return None if row is None or row[0] is None else int(row[0])

    async def task_for_message(self, chat: ChatRef, message_id: str) -> Task | None:
        row = await self._fetchone(
            "SELECT task_id FROM cards WHERE platform = ? AND chat_id = ? AND message_id = ? "
            "UNION ALL SELECT id FROM tasks WHERE origin_platform = ? AND origin_chat_id = ? "
            "AND origin_message_id = ? LIMIT 1",
            (chat.platform, chat.chat_id, message_id) * 2,
        )
        return None if row is None else await self.get_task(int(row[0]))

    async def create_offer(
        self,
        *,
        person_id: int,
        text: str,
        skills: Sequence[str],
        at: datetime,
        window: tuple[datetime, datetime] | None = None,
        building: str | None = None,
    ) -> Offer:
        async with self.transaction():
            offer_id, _ = await self._execute(
                "INSERT INTO offers (person_id, text, skills, window_start, window_end, building, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    person_id,
                    text,
                    ",".join(skills),
                    ts(window[0]) if window else None,
                    ts(window[1]) if window else None,
                    building,
                    ts(at),
                ),
            )
            for skill in set(skills) or {""}:
                await self._execute(
                    "INSERT INTO offer_skills (skill, offer_id) VALUES (?, ?)", (skill, offer_id)
                )
        return Offer(
            id=offer_id,
            person_id=person_id,
            text=text,
            skills=tuple(skills),
            created_at=at,
            window_start=window[0] if window else None,
            window_end=window[1] if window else None,
            building=building,
        )

    async def active_offers(
        self, now: datetime, category: str | None = None, limit: int = 200
    ) -> list[Offer]:
        columns = "id, person_id, text, skills, created_at, window_start, window_end, building"
        live = "active = 1 AND (window_end IS NULL OR window_end > ?)"
        if category is None:
            rows = await self._fetchall(
                f"SELECT {columns} FROM offers WHERE {live} ORDER BY id DESC LIMIT ?", (ts(now), limit)
            )
        else:  # the newest offers naming the skill, and those of general time (skill ''),
            # each read backwards along the offer_skills key: no sort of every offer ever made
            newest = (
                f"SELECT * FROM (SELECT {columns} FROM offer_skills "
                f"JOIN offers ON offers.id = offer_skills.offer_id WHERE offer_skills.skill = ? AND {live} "
                "ORDER BY offer_skills.offer_id DESC LIMIT ?)"
            )
            rows = await self._fetchall(
                f"{newest} UNION {newest} ORDER BY id DESC LIMIT ?",
                (category, ts(now), limit, "", ts(now), limit, limit),
            )
        return [
            Offer(
                id=int(r[0]),
                person_id=int(r[1]),
                text=r[2],
                skills=tuple(s for s in r[3].split(",") if s),
                created_at=must_ts(r[4]),
                window_start=from_ts(r[5]),
                window_end=from_ts(r[6]),
                building=r[7],
            )
            for r in rows
        ]

    async def fitting_volunteers(
        self,
        category: str,
        window: tuple[datetime, datetime] | None,
        now: datetime,
        *,
        offers_read: int,
        registered: bool,
    ) -> list[Candidate]:
        rows = await self._fetchall(
            _FITTING_VOLUNTEERS,
            {
                "category": category,
                "now": ts(now),
                "offers_read": offers_read,
                "since": ts(window[0]) if window else None,
                "until": ts(window[1]) if window else None,
                "registered": int(registered),
            },
        )
        return [
            Candidate(int(r[0]), bool(r[1]), from_ts(r[2]), r[3], None if r[4] is None else int(r[4]))
            for r in rows
        ]

    # -- outbox -------------------------------------------------------------------

    async def enqueue(self, reply: Reply, at: datetime) -> int:
        if reply.toast:
            raise ValueError("toasts are answered at once, never queued")
        outbox_id, _ = await self._execute(
            "INSERT INTO outbox (platform, chat_id, private, text, buttons, reply_to, card_of, edit, "
            "next_attempt_at, created_at, fallback, image, bulk) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                reply.chat.platform,
                reply.chat.chat_id,
                int(reply.chat.private),
                reply.text,
                _buttons_json(reply.buttons),
                reply.reply_to,
                reply.card_of,
                int(reply.edit),
                ts(at),
                ts(at),
                _fallback_json(reply.fallback),
                reply.image,
                int(reply.bulk),
            ),
        )
        return outbox_id

    async def due_outgoing(self, now: datetime, limit: int = 50) -> list[OutboxItem]:
        rows = await self._fetchall(
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? "
            "ORDER BY id LIMIT ?",
            (ts(now), limit),
        )
        return [_outbox(row) for row in rows]

    async def lease_outgoing(
        self,
        owner: str,
        now: datetime,
        until: datetime,
        limit: int = 50,
        bulk_limits: Mapping[str, int] | None = None,
        platforms: Collection[str] | None = None,
    ) -> list[OutboxItem]:
        due = ts(now)
        paced = list(bulk_limits or {})
        unpaced = f"(bulk = 0 OR platform NOT IN ({', '.join('?' * len(paced))}))" if paced else "1"
        only, named = _only(platforms)
        async with self.transaction():
            rows = await self._fetchall(
                f"SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? AND {unpaced} "
                f"{only} UNION ALL SELECT id FROM outbox WHERE state = 'sending' AND lease_until <= ? {only} "
                "ORDER BY id LIMIT ?",
                (due, *paced, *named, due, *named, limit),
            )
            for platform, most in (bulk_limits or {}).items():  # a few bulk messages per pass
                if platforms is not None and platform not in platforms:
                    continue
                rows += await self._fetchall(
                    "SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? AND bulk = 1 "
                    "AND platform = ? ORDER BY id LIMIT ?",
                    (due, platform, most),
                )
            ids = [row[0] for row in rows]
            if not ids:
                return []
            rows = await self._fetchall_written(
                f"UPDATE outbox SET state = 'sending', lease_owner = ?, lease_until = ? "
                f"WHERE id IN ({', '.join('?' * len(ids))}) RETURNING {_OUTBOX_COLUMNS}",
                (owner, ts(until), *ids),
            )
        return sorted((_outbox(row) for row in rows), key=lambda item: item.id)

    async def release_leases(self, owner: str, outbox_ids: Sequence[int]) -> int:
        if not outbox_ids:
            return 0
        _, count = await self._execute(
            f"{_RELEASE} AND lease_owner = ? AND id IN ({', '.join('?' * len(outbox_ids))})",
            (owner, *outbox_ids),
        )
        return count

    async def renew_leases(self, owner: str, until: datetime) -> set[int]:
        rows = await self._fetchall_written(
            "UPDATE outbox SET lease_until = ? WHERE state = 'sending' AND lease_owner = ? RETURNING id",
            (ts(until), owner),
        )
        return {int(row[0]) for row in rows}

    async def release_all_leases(self) -> int:
        _, count = await self._execute(_RELEASE)
        return count

    async def mark_sent(self, marks: Sequence[SentMark]) -> None:
        if not marks:
            return
        async with self.transaction():
            await self._executemany(
                "UPDATE outbox SET state = 'sent', sent_at = ?, sent_message_id = ?, "
                "attempts = attempts + 1, lease_owner = NULL, lease_until = NULL WHERE id = ?",
                [(ts(mark.at), mark.message_id, mark.outbox_id) for mark in marks],
            )
            # A card's message id is remembered for later edits (the chat as the outbox row has it):
            # one statement for all the marks, reading the ids just written (the newest row wins).
            await self._execute(
                "INSERT INTO cards (task_id, platform, chat_id, message_id) "
                "SELECT card_of, platform, chat_id, sent_message_id FROM outbox "
                "WHERE id IN (SELECT value FROM json_each(?)) AND card_of IS NOT NULL "
                "AND sent_message_id IS NOT NULL ORDER BY id "
                "ON CONFLICT (task_id, platform, chat_id) DO UPDATE SET message_id = excluded.message_id",
                (json.dumps([mark.outbox_id for mark in marks]),),
            )

    async def mark_retry(self, outbox_id: int, error: str, next_attempt_at: datetime) -> None:
        await self._execute(
            "UPDATE outbox SET state = 'pending', attempts = attempts + 1, last_error = ?, "
            "next_attempt_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?",
            (error[:500], ts(next_attempt_at), outbox_id),
        )

    async def mark_dead(self, outbox_id: int, error: str) -> None:
        await self._execute(
            "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ?, "
            "lease_owner = NULL, lease_until = NULL WHERE id = ?",
            (error[:500], outbox_id),
        )

    async def sent_text(self, chat: ChatRef, message_id: str) -> str | None:
        row = await self._fetchone(
            "SELECT text FROM outbox WHERE platform = ? AND chat_id = ? AND sent_message_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (chat.platform, chat.chat_id, message_id),
        )
        return None if row is None else str(row[0])

    async def next_due_at(self, platforms: Collection[str] | None = None) -> datetime | None:
        only, named = _only(platforms)
        row = await self._fetchone(
            "SELECT min(due) FROM (SELECT min(next_attempt_at) AS due FROM outbox WHERE state = 'pending' "
            f"{only} UNION ALL SELECT min(lease_until) FROM outbox WHERE state = 'sending' {only})",
            (*named, *named),
        )
        return from_ts(row[0]) if row else None

    async def count_outgoing(self, state: OutboxState | None = None) -> int:
        return await self._count("outbox", state)


_INBOX_COLUMNS = (
    "id, platform, chat_id, private, message_id, sender_id, sender_name, text, reply_to, chat_title, "
    "action, mentions_bot, kind, at, state, error"
)


def _only(platforms: Collection[str] | None) -> tuple[str, list[str]]:
    """The outbox condition "to one of these platforms" and its parameters; none for all platforms."""
    if platforms is None:
        return "", []
    return f"AND platform IN ({', '.join('?' * len(platforms))})", list(platforms)


_RELEASE = (
    "UPDATE outbox SET state = 'pending', lease_owner = NULL, lease_until = NULL WHERE state = 'sending'"
)
"""Hands leased messages back without counting an attempt (narrowed by the caller's terms)."""
_OUTBOX_COLUMNS = (
    "id, platform, chat_id, private, text, buttons, reply_to, card_of, edit, attempts, next_attempt_at, "
    "created_at, state, last_error, fallback, image, bulk"
)


_NEWEST_OFFERS_OF_SKILL = """
    SELECT * FROM (
        SELECT offers.person_id, offer_skills.skill, offers.window_start, offers.window_end, offers.id
        FROM offer_skills JOIN offers ON offers.id = offer_skills.offer_id
        WHERE offer_skills.skill = {skill} AND offers.active = 1
          AND (offers.window_end IS NULL OR offers.window_end > :now)
        ORDER BY offer_skills.offer_id DESC LIMIT :offers_read
    )"""
_FITTING_VOLUNTEERS = f"""
WITH newest_offers AS (  -- each read backwards along the offer_skills key: no sort of every offer
    {_NEWEST_OFFERS_OF_SKILL.format(skill=":category")}
    UNION
    {_NEWEST_OFFERS_OF_SKILL.format(skill="''")}  -- general time
    ORDER BY id DESC LIMIT :offers_read
),
fitting (person_id, by_skill, offer_id) AS (
    SELECT person_id, skill = :category, id FROM newest_offers
    WHERE :since IS NULL OR window_start IS NULL OR (window_start < :until AND window_end > :since)
    UNION ALL
    SELECT person_id, 1, NULL FROM volunteers
    WHERE :registered AND active = 1 AND instr(',' || skills || ',', ',' || :category || ',') > 0
)
SELECT fitting.person_id, max(fitting.by_skill), volunteer_asks.asked_at, persons.name, max(fitting.offer_id)
FROM fitting JOIN persons ON persons.id = fitting.person_id
LEFT JOIN volunteer_asks ON volunteer_asks.person_id = fitting.person_id
GROUP BY fitting.person_id
"""
"""Who fits a request (see OfferStore.fitting_volunteers): when each was last asked, their name and
newest fitting offer."""


def _chat(row: Any) -> Chat:
    return Chat(row[0], row[1], row[2], row[3], row[4], bool(row[5]))


# Builders of domain objects from rows.
def _first_chat(rows: list[Any]) -> Chat | None:
    return _chat(rows[0]) if rows else None


def _chats(rows: list[Any]) -> tuple[Chat, ...]:
    return tuple(_chat(row) for row in rows)


def _person(rows: list[Any]) -> Person | None:
    return person_from_row(rows[0]) if rows else None


def _person_and_display_name(rows: list[Any]) -> tuple[Person, str] | None:
    return (person_from_row(rows[0]), rows[0][8]) if rows else None


def _inbox(row: Any) -> InboxItem:
    message = Incoming(
        platform=row[1],
        chat=ChatRef(row[1], row[2], bool(row[3])),
        message_id=row[4],
        sender_id=row[5],
        sender_name=row[6],
        text=row[7],
        reply_to=row[8],
        chat_title=row[9],
        action=row[10],
        mentions_bot=bool(row[11]),
        kind=row[12],
        at=must_ts(row[13]),
    )
    return InboxItem(int(row[0]), message, InboxState(row[14]), row[15])


def _outbox(row: Any) -> OutboxItem:
    reply = Reply(
        chat=ChatRef(row[1], row[2], bool(row[3])),
        text=row[4],
        buttons=_buttons(row[5]),
        reply_to=row[6],
        card_of=row[7],
        edit=bool(row[8]),
        fallback=_fallback_reply(row[14]),
        image=row[15],
        bulk=bool(row[16]),
    )
    return OutboxItem(
        id=int(row[0]),
        reply=reply,
        attempts=int(row[9]),
        next_attempt_at=must_ts(row[10]),
        created_at=must_ts(row[11]),
        state=OutboxState(row[12]),
        last_error=row[13],
    )


def sqlite_path(url: str) -> str | None:
    """The database file a ``sqlite://`` URL names (``:memory:`` for none); None for other schemes."""
    scheme, _, rest = url.partition("://")
    if scheme != "sqlite":
        return None
    return (rest[1:] if rest.startswith("/") else rest) or ":memory:"
