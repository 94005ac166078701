"""The server option: one PostgreSQL database, through psycopg 3 and a pool of connections.

Several processes may share the database: conditional moves are single UPDATEs that the
database serialises (``… WHERE state = 'open'``), a task's move reads its row ``FOR UPDATE``,
and outbox rows are leased with ``FOR UPDATE SKIP LOCKED``, so racing senders take disjoint rows.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
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
from storage.postgres.checkins import CheckinQueries
from storage.postgres.incidents import IncidentQueries
from storage.postgres.leases import LeaseQueries
from storage.postgres.lovebank import LovebankQueries
from storage.postgres.privacy import PrivacyQueries
from storage.postgres.rows import PERSON_COLUMNS, TASK_COLUMNS, assignments, changes, columns, person, task
from storage.reply_json import buttons_from_json, buttons_json, fallback_from_json, fallback_json

log = logging.getLogger(__name__)

_IDENTITY_COLUMNS = columns(Identity)
_CHAT_COLUMNS = "platform, chat_id, title, building, language, reachable"
_INBOX_COLUMNS = (
    "id, platform, chat_id, private, message_id, sender_id, sender_name, text, reply_to, chat_title, "
    "action, mentions_bot, kind, at, state, error"
)
_OFFER_COLUMNS = columns(Offer)
_OUTBOX_COLUMNS = (
    "id, platform, chat_id, private, text, buttons, reply_to, card_of, edit, attempts, next_attempt_at, "
    "created_at, state, last_error, fallback, image, bulk"
)
_RELEASE = (
    "UPDATE outbox SET state = 'pending', lease_owner = NULL, lease_until = NULL WHERE state = 'sending'"
)
"""Hands leased messages back without counting an attempt (narrowed by the caller's terms)."""
_TASK_FILTERS = {
    "states": "state = ANY(%(states)s)",
    "categories": "category = ANY(%(categories)s)",
    "building": "building = %(building)s",
    "emergency": "emergency = %(emergency)s",
    "created_before": "created_at < %(created_before)s",
    "requester_id": "requester_id = %(requester_id)s",
    "claimer_id": "claimer_id = %(claimer_id)s",
}
"""How each argument of ``list_tasks`` narrows, when it is given."""
_LIVE_OFFER = "offers.active AND (offers.window_end IS NULL OR offers.window_end > %(now)s)"
_MEETS = "(window_start IS NULL OR (window_start < %(until)s AND window_end > %(since)s))"
"""A window meeting [since, until), or none at all."""


class PostgresRepository(IncidentQueries, PrivacyQueries, LovebankQueries, CheckinQueries, LeaseQueries):
    """The repository on a PostgreSQL database; see ``storage.base`` for the contract."""

    # -- people and chats ---------------------------------------------------

    async def resolve_identity(self, platform: str, user_id: str, display_name: str) -> Person:
        key = {"platform": platform, "user_id": user_id, "name": display_name}
        found = await self._record(
            _person_and_display_name,
            f"SELECT display_name, {PERSON_COLUMNS} FROM identities JOIN persons ON persons.id = person_id "
            "WHERE platform = %(platform)s AND user_id = %(user_id)s",
            key,
        )
        if found is not None:
            known, known_name = found
            if display_name and known_name != display_name:
                await self._execute(
                    "UPDATE identities SET display_name = %(name)s "
                    "WHERE platform = %(platform)s AND user_id = %(user_id)s",
                    key,
                )
            return known
        async with self.transaction():
            [(person_id,)] = await self._fetchall(
                "INSERT INTO persons (name, role, created_at) VALUES (%s, 'resident', %s) RETURNING id",
                (display_name or user_id, datetime.now(UTC)),
            )
            added = await self._execute(
                "INSERT INTO identities (platform, user_id, person_id, display_name) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (platform, user_id) DO NOTHING",
                (platform, user_id, person_id, display_name or user_id),
            )
            if not added:  # another process saw the account first: its person stands
                await self._execute("DELETE FROM persons WHERE id = %s", (person_id,))
        return await self.resolve_identity(platform, user_id, "")

    async def get_person(self, person_id: int) -> Person | None:
        return await self._record(person, f"SELECT {PERSON_COLUMNS} FROM persons WHERE id = %s", (person_id,))

    async def find_person_by_name(self, name: str) -> Person | None:
        return await self._record(
            person,
            f"SELECT {PERSON_COLUMNS} FROM persons WHERE name = %s AND active ORDER BY id LIMIT 1",
            (name,),
        )

    async def upsert_person(
        self, name: str, role: Role, identities: Sequence[tuple[str, str]] = ()
    ) -> Person:
        async with self.transaction():
            person_id: int | None = None
            for platform, user_id in identities:
                row = await self._fetchone(
                    "SELECT person_id FROM identities WHERE platform = %s AND user_id = %s",
                    (platform, user_id),
                )
                if row is not None:
                    person_id = int(row[0])
                    break
            if person_id is None and not identities:
                # A name alone joins only a record that has no account yet (registered by name,
                # pending): never one whose name is merely some account's display name.
                row = await self._fetchone(
                    "SELECT id FROM persons WHERE name = %s AND active AND NOT EXISTS "
                    "(SELECT 1 FROM identities WHERE identities.person_id = persons.id) ORDER BY id LIMIT 1",
                    (name,),
                )
                person_id = None if row is None else int(row[0])
            if person_id is None:
                [(person_id,)] = await self._fetchall(
                    "INSERT INTO persons (name, role, created_at) VALUES (%s, %s, %s) RETURNING id",
                    (name, role, datetime.now(UTC)),
                )
            for platform, user_id in identities:
                await self._execute(
                    "INSERT INTO identities (platform, user_id, person_id, display_name, verified) "
                    "VALUES (%s, %s, %s, %s, true) ON CONFLICT (platform, user_id) "
                    "DO UPDATE SET person_id = excluded.person_id, verified = true",
                    (platform, user_id, person_id, name),
                )
            return await self.update_person(person_id, PersonUpdate(name=name, role=role))

    async def update_person(self, person_id: int, change: PersonUpdate) -> Person:
        columns = changes(change)
        async with self.transaction():
            if columns:
                await self._execute(
                    f"UPDATE persons SET {assignments(columns)} WHERE id = %(id)s",
                    columns | {"id": person_id},
                )
            found = await self.get_person(person_id)
        if found is None:
            raise KeyError(f"no person {person_id}")
        return found

    async def identities_of(self, person_id: int) -> list[Identity]:
        return await self._records(
            _identity,
            f"SELECT {_IDENTITY_COLUMNS} FROM identities WHERE person_id = %s ORDER BY reachable DESC, rowid",
            (person_id,),
        )

    async def identities_named(self, name: str) -> list[Identity]:
        return await self._records(
            _identity,
            f"SELECT {_IDENTITY_COLUMNS} FROM identities JOIN persons ON persons.id = person_id "
            "WHERE (display_name = %(name)s OR persons.name = %(name)s) AND persons.active "
            "ORDER BY person_id, identities.rowid",
            {"name": name},
        )

    async def link_identity(self, platform: str, user_id: str, person_id: int) -> None:
        await self._execute(
            "UPDATE identities SET person_id = %s WHERE platform = %s AND user_id = %s",
            (person_id, platform, user_id),
        )

    async def verify_identity(self, platform: str, user_id: str) -> None:
        await self._execute(
            "UPDATE identities SET verified = true WHERE platform = %s AND user_id = %s", (platform, user_id)
        )

    async def set_identity_reachable(self, platform: str, user_id: str, reachable: bool) -> bool:
        changed = await self._execute(
            "UPDATE identities SET reachable = %(reachable)s "
            "WHERE platform = %(platform)s AND user_id = %(user_id)s AND reachable != %(reachable)s",
            {"platform": platform, "user_id": user_id, "reachable": reachable},
        )
        return changed > 0

    async def persons_with_role(self, *roles: Role) -> list[Person]:
        return await self._records(
            person,
            f"SELECT {PERSON_COLUMNS} FROM persons WHERE active AND role = ANY(%s) ORDER BY id",
            (list(roles),),
        )

    async def record_person_event(
        self, person_id: int, kind: str, actor_id: int | None, detail: str, at: datetime
    ) -> None:
        await self._execute(
            "INSERT INTO person_events (person_id, kind, actor_id, detail, at) VALUES (%s, %s, %s, %s, %s)",
            (person_id, kind, actor_id, detail, at),
        )

    async def person_events(self, person_id: int) -> list[PersonEvent]:
        return await self._records(
            lambda row: PersonEvent(**row),
            "SELECT kind, actor_id, detail, at FROM person_events WHERE person_id = %s ORDER BY id",
            (person_id,),
        )

    async def count_person_events(self, person_id: int, kind: str, since: datetime) -> int:
        [(count,)] = await self._fetchall(
            "SELECT count(*) FROM person_events WHERE person_id = %s AND kind = %s AND at > %s",
            (person_id, kind, since),
        )
        return int(count)

    async def create_link_code(
        self, person_id: int, code: str, expires_at: datetime, platform: str = ""
    ) -> None:
        async with self.transaction():
            await self._execute("DELETE FROM link_codes WHERE person_id = %s", (person_id,))
            await self._execute(
                "INSERT INTO link_codes (code, person_id, expires_at, platform) VALUES (%s, %s, %s, %s)",
                (code, person_id, expires_at, platform),
            )

    async def take_link_code(self, code: str, now: datetime, platform: str = "") -> int | None:
        # A code works only on another platform than the one that gave it (it stays valid there).
        elsewhere = "AND platform != %(platform)s" if platform else ""
        row = await self._fetchone(
            f"DELETE FROM link_codes WHERE code = %(code)s {elsewhere} RETURNING person_id, expires_at",
            {"code": code, "platform": platform},
        )
        if row is None or row[1] <= now:
            return None
        return int(row[0])

    async def upsert_chat(self, platform: str, chat_id: str, title: str | None) -> Chat:
        known = await self.get_chat(platform, chat_id)
        if known is not None and (title is None or title == known.title):
            return known
        chat = await self._record(
            _chat,
            "INSERT INTO chats (platform, chat_id, title) VALUES (%s, %s, %s) "
            "ON CONFLICT (platform, chat_id) DO UPDATE SET title = coalesce(excluded.title, chats.title) "
            f"RETURNING {_CHAT_COLUMNS}",
            (platform, chat_id, title),
        )
        assert chat is not None
        return chat

    async def get_chat(self, platform: str, chat_id: str) -> Chat | None:
        return await self._record(
            _chat,
            f"SELECT {_CHAT_COLUMNS} FROM chats WHERE platform = %s AND chat_id = %s",
            (platform, chat_id),
        )

    async def bind_chat(self, platform: str, chat_id: str, building: str | None) -> Chat:
        chat = await self._record(
            _chat,
            "INSERT INTO chats (platform, chat_id, building) VALUES (%s, %s, %s) "
            "ON CONFLICT (platform, chat_id) DO UPDATE SET building = excluded.building "
            f"RETURNING {_CHAT_COLUMNS}",
            (platform, chat_id, building),
        )
        assert chat is not None
        return chat

    async def update_chat(self, platform: str, chat_id: str, change: ChatUpdate) -> None:
        columns = changes(change)
        if columns:
            await self._execute(
                f"UPDATE chats SET {assignments(columns)} "
                "WHERE platform = %(platform)s AND chat_id = %(chat)s",
                columns | {"platform": platform, "chat": chat_id},
            )

    async def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        ids = {"platform": platform, "old": old_chat_id, "new": new_chat_id}
        async with self.transaction():
            old = await self.get_chat(platform, old_chat_id)
            if old is None:
                return
            await self._execute(
                "INSERT INTO chats (platform, chat_id, title, building, language, reachable) "
                "SELECT platform, %(new)s, title, building, language, reachable FROM chats "
                "WHERE platform = %(platform)s AND chat_id = %(old)s "
                "ON CONFLICT (platform, chat_id) DO UPDATE SET "
                "building = coalesce(chats.building, excluded.building), title = excluded.title",
                ids,
            )
            await self._execute(
                "UPDATE tasks SET origin_chat_id = %(new)s "
                "WHERE origin_platform = %(platform)s AND origin_chat_id = %(old)s",
                ids,
            )
            await self._execute(
                "UPDATE outbox SET chat_id = %(new)s WHERE platform = %(platform)s AND chat_id = %(old)s", ids
            )
            await self._execute(  # a card already in the new chat stays; the old one is left behind
                "UPDATE cards SET chat_id = %(new)s WHERE platform = %(platform)s AND chat_id = %(old)s "
                "AND NOT EXISTS (SELECT 1 FROM cards moved WHERE moved.task_id = cards.task_id "
                "AND moved.platform = %(platform)s AND moved.chat_id = %(new)s)",
                ids,
            )
            await self._execute(
                "UPDATE chats SET building = NULL, reachable = false "
                "WHERE platform = %(platform)s AND chat_id = %(old)s",
                ids,
            )

    async def chats_for_building(self, building: str) -> list[Chat]:
        return await self._records(
            _chat,
            f"SELECT {_CHAT_COLUMNS} FROM chats WHERE building = %s AND reachable ORDER BY platform, chat_id",
            (building,),
        )

    # -- inbox ----------------------------------------------------------------

    async def store_incoming(self, msg: Incoming, *, handled: bool = False) -> tuple[InboxItem, bool]:
        state = InboxState.DONE if handled else InboxState.NEW
        where = {"platform": msg.platform, "chat": msg.chat.chat_id, "message": msg.message_id}
        row = await self._fetchone(
            "INSERT INTO inbox (platform, chat_id, private, message_id, sender_id, sender_name, text, "
            "reply_to, chat_title, action, mentions_bot, kind, at, state) "
            "VALUES (%(platform)s, %(chat)s, %(private)s, %(message)s, %(sender_id)s, %(sender_name)s, "
            "%(text)s, %(reply_to)s, %(chat_title)s, %(action)s, %(mentions_bot)s, %(kind)s, %(at)s, "
            "%(state)s) ON CONFLICT (platform, chat_id, message_id) DO NOTHING RETURNING id",
            where
            | {
                "private": msg.chat.private,
                "sender_id": msg.sender_id,
                "sender_name": msg.sender_name,
                "text": msg.text,
                "reply_to": msg.reply_to,
                "chat_title": msg.chat_title,
                "action": msg.action,
                "mentions_bot": msg.mentions_bot,
                "kind": msg.kind,
                "at": msg.at,
                "state": state,
            },
        )
        if row is not None:
            return InboxItem(int(row[0]), msg, state), True
        stored = await self._record(
            _inbox,
            f"SELECT {_INBOX_COLUMNS} FROM inbox "
            "WHERE platform = %(platform)s AND chat_id = %(chat)s AND message_id = %(message)s",
            where,
        )
        assert stored is not None
        return stored, False

    async def mark_handled(self, inbox_id: int) -> None:
        await self._execute("UPDATE inbox SET state = 'done', error = NULL WHERE id = %s", (inbox_id,))

    async def fail_incoming(self, msg: Incoming, error: str) -> int:
        async with self.transaction():
            item, _ = await self.store_incoming(msg)
            [(attempts,)] = await self._fetchall(
                "UPDATE inbox SET state = 'failed', error = %s, attempts = attempts + 1 WHERE id = %s "
                "RETURNING attempts",
                (error[:500], item.id),
            )
        return int(attempts)

    async def pending_incoming(self, limit: int = 100) -> list[InboxItem]:
        return await self._records(
            _inbox, f"SELECT {_INBOX_COLUMNS} FROM inbox WHERE state = 'new' ORDER BY id LIMIT %s", (limit,)
        )

    async def count_incoming(
        self, state: InboxState | None = None, between: tuple[datetime, datetime] | None = None
    ) -> int:
        where, params = ["true"], dict[str, Any]()
        if state is not None:
            where.append("state = %(state)s")
            params["state"] = state
        if between is not None:
            where.append("at >= %(start)s AND at < %(end)s")
            params |= {"start": between[0], "end": between[1]}
        [(count,)] = await self._fetchall(f"SELECT count(*) FROM inbox WHERE {' AND '.join(where)}", params)
        return int(count)

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
        start, end = window if window else (None, None)
        async with self.transaction():
            created = await self._record(
                task,
                "INSERT INTO tasks (state, text, requester_id, category, urgency, window_start, window_end, "
                "building, room, emergency, priority, origin_platform, origin_chat_id, origin_message_id, "
                "inbox_id, created_at, updated_at, language) "
                "VALUES ('open', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                f"RETURNING {TASK_COLUMNS}",
                (
                    text,
                    requester_id,
                    category,
                    urgency,
                    start,
                    end,
                    building,
                    room,
                    emergency,
                    priority,
                    origin.platform if origin else None,
                    origin.chat_id if origin else None,
                    origin_message_id,
                    inbox_id,
                    at,
                    at,
                    language,
                ),
            )
            assert created is not None
            await self._execute(
                "INSERT INTO task_events (task_id, action, from_state, to_state, actor_id, at) "
                "VALUES (%s, 'create', NULL, 'open', %s, %s)",
                (created.id, requester_id, at),
            )
        return created

    async def get_task(self, task_id: int) -> Task | None:
        return await self._record(task, f"SELECT {TASK_COLUMNS} FROM tasks WHERE id = %s", (task_id,))

    async def task_for_inbox(self, inbox_id: int) -> Task | None:
        return await self._record(task, f"SELECT {TASK_COLUMNS} FROM tasks WHERE inbox_id = %s", (inbox_id,))

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
        sets: dict[str, object] = {"state": to, "updated_at": at}
        if claimer_id is not None or unclaim:
            sets["claimer_id"] = claimer_id
        if duration_hours is not None:
            sets["duration_hours"] = duration_hours
        async with self.transaction():
            # The row lock makes racing moves take turns: the second reads the state the first left.
            row = await self._fetchone("SELECT state FROM tasks WHERE id = %s FOR UPDATE", (task_id,))
            if row is None or row[0] not in expected:
                return False
            await self._execute(
                f"UPDATE tasks SET {assignments(sets)} WHERE id = %(id)s", sets | {"id": task_id}
            )
            await self._execute(
                "INSERT INTO task_events (task_id, action, from_state, to_state, actor_id, at, note) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (task_id, action, row[0], to, actor_id, at, note),
            )
            return True

    async def update_task(self, task_id: int, change: TaskUpdate) -> None:
        columns = changes(change)
        if columns:
            await self._execute(
                f"UPDATE tasks SET {assignments(columns)} WHERE id = %(id)s", columns | {"id": task_id}
            )

    async def task_events(self, task_id: int) -> list[TaskEvent]:
        return await self._records(
            _task_event,
            "SELECT task_id, action, from_state, to_state, actor_id, at, note FROM task_events "
            "WHERE task_id = %s ORDER BY id",
            (task_id,),
        )

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
        given = {
            "states": list(states) or None,
            "categories": list(categories) or None,
            "building": building,
            "emergency": emergency,
            "created_before": created_before,
            "requester_id": requester_id,
            "claimer_id": claimer_id,
        }
        where = " AND ".join(
            ["true", *(_TASK_FILTERS[name] for name, value in given.items() if value is not None)]
        )
        return await self._records(
            task,
            f"SELECT {TASK_COLUMNS} FROM tasks WHERE {where} "
            "ORDER BY priority DESC, created_at, id LIMIT %(limit)s",
            given | {"limit": limit},
        )

    async def tasks_between(self, start: datetime, end: datetime) -> list[Task]:
        return await self._records(
            task,
            f"SELECT {TASK_COLUMNS} FROM tasks WHERE created_at >= %s AND created_at < %s "
            "ORDER BY created_at, id",
            (start, end),
        )

    async def oldest_task_ids(
        self,
        states: Sequence[TaskState],
        *,
        limit: int,
        window_before: datetime | None = None,
        updated_before: datetime | None = None,
    ) -> list[int]:
        where = ["state = ANY(%(states)s)"]
        if window_before is not None:
            where.append("window_end < %(window_before)s")
        if updated_before is not None:
            where.append("updated_at < %(updated_before)s")
        rows = await self._fetchall(
            f"SELECT id FROM tasks WHERE {' AND '.join(where)} ORDER BY created_at, id LIMIT %(limit)s",
            {
                "states": list(states),
                "window_before": window_before,
                "updated_before": updated_before,
                "limit": limit,
            },
        )
        return [int(row[0]) for row in rows]

    async def record_card(self, task_id: int, chat: ChatRef, message_id: str) -> None:
        await self._execute(
            "INSERT INTO cards (task_id, platform, chat_id, message_id) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (task_id, platform, chat_id) DO UPDATE SET message_id = excluded.message_id",
            (task_id, chat.platform, chat.chat_id, message_id),
        )

    async def cards_of(self, task_id: int) -> list[Card]:
        rows = await self._fetchall(
            "SELECT platform, chat_id, message_id FROM cards WHERE task_id = %s ORDER BY platform, chat_id",
            (task_id,),
        )
        return [
            Card(task_id, ChatRef(platform, chat_id), message_id) for platform, chat_id, message_id in rows
        ]

    async def last_card_in(self, chat: ChatRef) -> int | None:
        row = await self._fetchone(
            "SELECT card_of FROM outbox WHERE platform = %s AND chat_id = %s AND NOT private "
            "AND card_of IS NOT NULL ORDER BY id DESC LIMIT 1",
            (chat.platform, chat.chat_id),
        )
        return None if row is None else int(row[0])

    async def task_for_message(self, chat: ChatRef, message_id: str) -> Task | None:
        where = {"platform": chat.platform, "chat": chat.chat_id, "message": message_id}
        return await self._record(
            task,
            f"SELECT {TASK_COLUMNS} FROM tasks WHERE id IN ("
            "SELECT task_id FROM cards WHERE platform = %(platform)s AND chat_id = %(chat)s "
            "AND message_id = %(message)s) OR (origin_platform = %(platform)s "
            "AND origin_chat_id = %(chat)s AND origin_message_id = %(message)s) ORDER BY id LIMIT 1",
            where,
        )

    # -- offers -------------------------------------------------------------------

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
        start, end = window if window else (None, None)
        async with self.transaction():
            offer = await self._record(
                _offer,
                "INSERT INTO offers (person_id, text, skills, window_start, window_end, building, "
                f"created_at) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING {_OFFER_COLUMNS}",
                (person_id, text, ",".join(skills), start, end, building, at),
            )
            assert offer is not None
            await self._execute(  # one row per skill; '' for an offer of general time
                "INSERT INTO offer_skills (skill, offer_id) SELECT DISTINCT unnest(%s::text[]), %s",
                (list(skills) or [""], offer.id),
            )
        return offer

    async def active_offers(
        self, now: datetime, category: str | None = None, limit: int = 200
    ) -> list[Offer]:
        skill = (
            ""
            if category is None
            else "AND id IN (SELECT offer_id FROM offer_skills WHERE skill IN (%(category)s, ''))"
        )
        return await self._records(
            _offer,
            f"SELECT {_OFFER_COLUMNS} FROM offers WHERE {_LIVE_OFFER} {skill} "
            "ORDER BY id DESC LIMIT %(limit)s",
            {"now": now, "category": category, "limit": limit},
        )

    async def open_task_for_offer(
        self,
        *,
        categories: Sequence[str],
        window: tuple[datetime, datetime] | None,
        building: str | None,
        excluding_requester: int,
    ) -> Task | None:
        fits = ["state = 'open'", "NOT emergency", "requester_id != %(excluding)s"]
        if categories:
            fits.append("category = ANY(%(categories)s)")
        if window is not None:
            fits.append(_MEETS)
        if building is not None:
            fits.append("(building IS NULL OR building = %(building)s)")
        since, until = window or (None, None)
        return await self._record(
            task,
            f"SELECT {TASK_COLUMNS} FROM tasks WHERE {' AND '.join(fits)} "
            "ORDER BY priority DESC, created_at, id LIMIT 1",
            {
                "excluding": excluding_requester,
                "categories": list(categories),
                "since": since,
                "until": until,
                "building": building,
            },
        )

    async def fitting_volunteers(
        self,
        category: str,
        window: tuple[datetime, datetime] | None,
        now: datetime,
        *,
        offers_read: int,
        registered: bool,
    ) -> list[Candidate]:
        since, until = window or (None, None)
        rows = await self._fetchall(
            _FITTING_VOLUNTEERS,
            {
                "category": category,
                "now": now,
                "offers_read": offers_read,
                "since": since,
                "until": until,
                "registered": registered,
            },
        )
        return [
            Candidate(int(person_id), by_skill, asked_at, name, None if offer_id is None else int(offer_id))
            for person_id, by_skill, asked_at, name, offer_id in rows
        ]

    async def mark_asked(self, person_ids: Sequence[int], at: datetime) -> None:
        await self._execute(
            "INSERT INTO volunteer_asks (person_id, asked_at) SELECT unnest(%s::bigint[]), %s "
            "ON CONFLICT (person_id) DO UPDATE SET asked_at = excluded.asked_at",
            (list(person_ids), at),
        )

    # -- outbox -------------------------------------------------------------------

    async def enqueue(self, reply: Reply, at: datetime) -> int:
        if reply.toast:
            raise ValueError("toasts are answered at once, never queued")
        [(outbox_id,)] = await self._fetchall(
            "INSERT INTO outbox (platform, chat_id, private, text, buttons, reply_to, card_of, edit, "
            "next_attempt_at, created_at, fallback, image, bulk) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
            (
                reply.chat.platform,
                reply.chat.chat_id,
                reply.chat.private,
                reply.text,
                buttons_json(reply.buttons),
                reply.reply_to,
                reply.card_of,
                reply.edit,
                at,
                at,
                fallback_json(reply.fallback),
                reply.image,
                reply.bulk,
            ),
        )
        return int(outbox_id)

    async def due_outgoing(self, now: datetime, limit: int = 50) -> list[OutboxItem]:
        return await self._records(
            _outbox,
            f"SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE state = 'pending' AND next_attempt_at <= %s "
            "ORDER BY id LIMIT %s",
            (now, limit),
        )

    async def lease_outgoing(
        self,
        owner: str,
        now: datetime,
        until: datetime,
        limit: int = 50,
        bulk_limits: Mapping[str, int] | None = None,
        platforms: Collection[str] | None = None,
    ) -> list[OutboxItem]:
        paced = dict(bulk_limits or {})
        only = "" if platforms is None else "AND platform = ANY(%(platforms)s)"
        due = {"now": now, "paced": list(paced), "limit": limit, "platforms": list(platforms or ())}
        async with self.transaction():
            # SKIP LOCKED: rows another sender is leasing right now are passed over, not waited for.
            rows = await self._fetchall(
                "SELECT id FROM outbox WHERE ((state = 'pending' AND next_attempt_at <= %(now)s "
                "AND NOT (bulk AND platform = ANY(%(paced)s))) "
                f"OR (state = 'sending' AND lease_until <= %(now)s)) {only} "
                "ORDER BY id LIMIT %(limit)s FOR UPDATE SKIP LOCKED",
                due,
            )
            for platform, most in paced.items():  # a few bulk messages per pass
                if platforms is not None and platform not in platforms:
                    continue
                rows += await self._fetchall(
                    "SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= %s AND bulk "
                    "AND platform = %s ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                    (now, platform, most),
                )
            if not rows:
                return []
            leased = await self._records(
                _outbox,
                "UPDATE outbox SET state = 'sending', lease_owner = %s, lease_until = %s "
                f"WHERE id = ANY(%s) RETURNING {_OUTBOX_COLUMNS}",
                (owner, until, [row[0] for row in rows]),
            )
        return sorted(leased, key=lambda item: item.id)

    async def release_leases(self, owner: str, outbox_ids: Sequence[int]) -> int:
        if not outbox_ids:
            return 0
        return await self._execute(
            f"{_RELEASE} AND lease_owner = %s AND id = ANY(%s)", (owner, list(outbox_ids))
        )

    async def renew_leases(self, owner: str, until: datetime) -> set[int]:
        rows = await self._fetchall(
            "UPDATE outbox SET lease_until = %s WHERE state = 'sending' AND lease_owner = %s RETURNING id",
            (until, owner),
        )
        return {int(row[0]) for row in rows}

    async def release_all_leases(self) -> int:
        return await self._execute(_RELEASE)

    async def mark_sent(self, marks: Sequence[SentMark]) -> None:
        if not marks:
            return
        async with self.transaction():
            await self._executemany(
                "UPDATE outbox SET state = 'sent', sent_at = %s, sent_message_id = %s, "
                "attempts = attempts + 1, lease_owner = NULL, lease_until = NULL WHERE id = %s",
                [(mark.at, mark.message_id, mark.outbox_id) for mark in marks],
            )
            # A card's message id is remembered for later edits (the chat as the outbox row has it):
            # one statement for all the marks, reading the ids just written (the newest row wins).
            await self._execute(
                "INSERT INTO cards (task_id, platform, chat_id, message_id) "
                "SELECT DISTINCT ON (card_of, platform, chat_id) card_of, platform, chat_id, sent_message_id "
                "FROM outbox WHERE id = ANY(%s) AND card_of IS NOT NULL AND sent_message_id IS NOT NULL "
                "ORDER BY card_of, platform, chat_id, id DESC "
                "ON CONFLICT (task_id, platform, chat_id) DO UPDATE SET message_id = excluded.message_id",
                ([mark.outbox_id for mark in marks],),
            )

    async def mark_retry(self, outbox_id: int, error: str, next_attempt_at: datetime) -> None:
        await self._execute(
            "UPDATE outbox SET state = 'pending', attempts = attempts + 1, last_error = %s, "
            "next_attempt_at = %s, lease_owner = NULL, lease_until = NULL WHERE id = %s",
            (error[:500], next_attempt_at, outbox_id),
        )

    async def mark_dead(self, outbox_id: int, error: str) -> None:
        await self._execute(
            "UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = %s, "
            "lease_owner = NULL, lease_until = NULL WHERE id = %s",
            (error[:500], outbox_id),
        )

    async def sent_text(self, chat: ChatRef, message_id: str) -> str | None:
        row = await self._fetchone(
            "SELECT text FROM outbox WHERE platform = %s AND chat_id = %s AND sent_message_id = %s "
            "ORDER BY id DESC LIMIT 1",
            (chat.platform, chat.chat_id, message_id),
        )
        return None if row is None else str(row[0])

    async def next_due_at(self, platforms: Collection[str] | None = None) -> datetime | None:
        only = "" if platforms is None else "AND platform = ANY(%(platforms)s)"
        row = await self._fetchone(
            f"SELECT least((SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending' {only}), "
            f"(SELECT min(lease_until) FROM outbox WHERE state = 'sending' {only}))",
            {"platforms": list(platforms or ())},
        )
        due: datetime | None = row[0]
        return due

    async def count_outgoing(self, state: OutboxState | None = None) -> int:
        where = "" if state is None else "WHERE state = %s"
        [(count,)] = await self._fetchall(
            f"SELECT count(*) FROM outbox {where}", () if state is None else (state,)
        )
        return int(count)


# Builders of records from rows ({column: value}).


def _person_and_display_name(row: dict[str, Any]) -> tuple[Person, str]:
    shown = row.pop("display_name")
    return person(row), shown


def _identity(row: dict[str, Any]) -> Identity:
    return Identity(**row)


def _chat(row: dict[str, Any]) -> Chat:
    return Chat(**row)


def _inbox(row: dict[str, Any]) -> InboxItem:
    inbox_id, state, error = row.pop("id"), row.pop("state"), row.pop("error")
    chat = ChatRef(row["platform"], row.pop("chat_id"), row.pop("private"))
    return InboxItem(inbox_id, Incoming(chat=chat, **row), InboxState(state), error)


def _task_event(row: dict[str, Any]) -> TaskEvent:
    before = row["from_state"]
    return TaskEvent(
        **(
            row
            | {"from_state": TaskState(before) if before else None, "to_state": TaskState(row["to_state"])}
        )
    )


_FITTING_VOLUNTEERS = """
WITH newest_offers AS (
    SELECT offers.person_id, offer_skills.skill, offers.window_start, offers.window_end, offers.id
    FROM offer_skills JOIN offers ON offers.id = offer_skills.offer_id
    WHERE offer_skills.skill IN (%(category)s, '') AND offers.active
      AND (offers.window_end IS NULL OR offers.window_end > %(now)s)
    ORDER BY offers.id DESC LIMIT %(offers_read)s
),
fitting (person_id, by_skill, offer_id) AS (
    SELECT person_id, skill = %(category)s, id FROM newest_offers
    WHERE %(since)s::timestamptz IS NULL OR window_start IS NULL
       OR (window_start < %(until)s AND window_end > %(since)s)
    UNION ALL
    SELECT person_id, true, NULL FROM volunteers
    WHERE %(registered)s AND active AND %(category)s = ANY(string_to_array(skills, ','))
)
SELECT fitting.person_id, bool_or(fitting.by_skill), volunteer_asks.asked_at, persons.name,
       max(fitting.offer_id)
FROM fitting JOIN persons ON persons.id = fitting.person_id
LEFT JOIN volunteer_asks ON volunteer_asks.person_id = fitting.person_id
GROUP BY fitting.person_id, volunteer_asks.asked_at, persons.name
"""
"""Who fits a request (see OfferStore.fitting_volunteers): when each was last asked, their name and
newest fitting offer."""


def _offer(row: dict[str, Any]) -> Offer:
    return Offer(**(row | {"skills": tuple(s for s in row["skills"].split(",") if s)}))


def _outbox(row: dict[str, Any]) -> OutboxItem:
    reply = Reply(
        chat=ChatRef(row["platform"], row["chat_id"], row["private"]),
        text=row["text"],
        buttons=buttons_from_json(row["buttons"]),
        reply_to=row["reply_to"],
        card_of=row["card_of"],
        edit=row["edit"],
        fallback=fallback_from_json(row["fallback"]),
        image=row["image"],
        bulk=row["bulk"],
    )
    return OutboxItem(
        id=row["id"],
        reply=reply,
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        created_at=row["created_at"],
        state=OutboxState(row["state"]),
        last_error=row["last_error"],
    )
