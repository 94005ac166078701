"""SQL for check-ins, ladders, task reminders and the digest (mixed into SqliteRepository)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from storage.checkin_models import (
    OPEN_CHECKIN_STATES,
    WELLBEING_SCORE,
    Checkin,
    CheckinCount,
    CheckinState,
    DueGreeting,
    Elder,
    ElderSpec,
    LadderEntry,
    LadderStep,
    NewCheckin,
    Outcome,
    TaskCount,
    VolunteerHours,
    Wellbeing,
)
from storage.models import ChatRef, TaskState
from storage.sqlite_core import SqliteCore, from_ts, must_ts, ts

log = logging.getLogger(__name__)

_OPEN = "('waiting', 'escalating')"
_ELDER_COLUMNS = (
    "e.id, e.person_id, p.name, e.checkin_time, e.window_minutes, e.building, e.room, "
    "coalesce(e.language, p.language), e.contact_name, e.contact_phone, e.contact_person_id, e.notes, "
    "e.active, e.away_until, e.next_due_at, p.phone"
)
_CHECKIN_COLUMNS = (
    "id, elder_id, day, due_at, greeted_at, window_end, state, step, next_step_at, answered_at, "
    "answered_in_window, wellbeing, answer_text, outcome, closed_by, closed_at, task_id"
)
_SPEC_COLUMNS = (
    "building",
    "room",
    "checkin_time",
    "window_minutes",
    "language",
    "contact_name",
    "contact_phone",
    "contact_person_id",
    "notes",
    "active",
)


def _clock(value: time) -> str:
    return value.strftime("%H:%M")


class CheckinQueries(SqliteCore):
    """Elders, their daily check-ins and ladders, reminders and digest figures; see ``CheckinStore``."""

    # -- elders -----------------------------------------------------------------

    async def save_elder(self, spec: ElderSpec, *, at: datetime, next_due_at: datetime | None) -> Elder:
        async with self.transaction():
            values: dict[str, Any] = {}
            for column in _SPEC_COLUMNS:
                value = getattr(spec, column)
                if value is None:
                    continue
                if isinstance(value, time):
                    value = _clock(value)
                elif isinstance(value, bool):
                    value = int(value)
                values[column] = value
            row = await self._fetchone("SELECT id FROM elders WHERE person_id = ?", (spec.person_id,))
            if row is None:
                columns = ["person_id", "created_at", "updated_at", "next_due_at", *values]
                params = [spec.person_id, ts(at), ts(at), ts(next_due_at) if next_due_at else None]
                marks = ", ".join("?" for _ in columns)
                elder_id, _ = await self._execute(
                    f"INSERT INTO elders ({', '.join(columns)}) VALUES ({marks})",
                    (*params, *values.values()),
                )
            else:
                elder_id = int(row[0])
                values["updated_at"] = ts(at)
                values["next_due_at"] = ts(next_due_at) if next_due_at else None
                assignments = ", ".join(f"{key} = ?" for key in values)
                await self._execute(
                    f"UPDATE elders SET {assignments} WHERE id = ?", (*values.values(), elder_id)
                )
            if spec.volunteer_ids is not None:
                await self._execute("DELETE FROM elder_volunteers WHERE elder_id = ?", (elder_id,))
                for volunteer_id in dict.fromkeys(spec.volunteer_ids):
                    await self._execute(
                        "INSERT INTO elder_volunteers (elder_id, volunteer_id) VALUES (?, ?)",
                        (elder_id, volunteer_id),
                    )
            elder = await self.get_elder(elder_id)
            assert elder is not None
            return elder

    async def get_elder(self, elder_id: int) -> Elder | None:
        rows = await self._elders("e.id = ?", (elder_id,))
        return rows[0] if rows else None

    async def elder_of_person(self, person_id: int) -> Elder | None:
        rows = await self._elders("e.person_id = ?", (person_id,))
        return rows[0] if rows else None

    async def list_elders(self, *, active: bool | None = True, building: str | None = None) -> list[Elder]:
        where: list[str] = ["1 = 1"]
        params: list[object] = []
        if active is not None:
            where.append("e.active = ?")
            params.append(int(active))
        if building is not None:
            where.append("e.building = ?")
            params.append(building)
        return await self._elders(" AND ".join(where), params)

    async def elders_by_ids(self, ids: Sequence[int]) -> dict[int, Elder]:
        found: dict[int, Elder] = {}
        unique = list(dict.fromkeys(ids))
        for chunk in range(0, len(unique), 500):
            part = unique[chunk : chunk + 500]
            marks = ", ".join("?" for _ in part)
            for elder in await self._elders(f"e.id IN ({marks})", part):
                found[elder.id] = elder
        return found

    async def elders_of_volunteer(self, volunteer_id: int) -> list[Elder]:
        return await self._elders(
            "e.active = 1 AND e.id IN (SELECT elder_id FROM elder_volunteers WHERE volunteer_id = ?)",
            (volunteer_id,),
        )

    async def elders_named_in(self, text: str) -> list[Elder]:
        if not text:
            return []
        return await self._elders("e.active = 1 AND length(p.name) >= 2 AND instr(?, p.name) > 0", (text,))

    async def _elders(self, where: str, params: Sequence[Any]) -> list[Elder]:
        rows = await self._fetchall(
            f"SELECT {_ELDER_COLUMNS} FROM elders e JOIN persons p ON p.id = e.person_id "
            f"WHERE {where} ORDER BY e.id",
            params,
        )
        if not rows:
            return []
        ids = [int(r[0]) for r in rows]
        pairs: dict[int, list[int]] = {i: [] for i in ids}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            marks = ", ".join("?" for _ in part)
            for elder_id, volunteer_id in await self._fetchall(
                f"SELECT elder_id, volunteer_id FROM elder_volunteers WHERE elder_id IN ({marks}) "
                "ORDER BY rowid",
                part,
            ):
                pairs[int(elder_id)].append(int(volunteer_id))
        return [_elder(row, tuple(pairs[int(row[0])])) for row in rows]

    async def set_elder_schedule(
        self,
        elder_id: int,
        *,
        next_due_at: datetime | None,
        away_until: datetime | None,
        at: datetime,
    ) -> None:
        await self._execute(
            "UPDATE elders SET next_due_at = ?, away_until = ?, updated_at = ? WHERE id = ?",
            (
                ts(next_due_at) if next_due_at else None,
                ts(away_until) if away_until else None,
                ts(at),
                elder_id,
            ),
        )

    async def set_next_due(self, updates: Sequence[tuple[int, datetime | None]]) -> None:
        await self._bulk(
            "UPDATE elders SET next_due_at = ? WHERE id = ?",
            [(ts(due) if due else None, elder_id) for elder_id, due in updates],
        )

    # -- greetings ----------------------------------------------------------------

    async def due_greetings(self, now: datetime, limit: int) -> list[DueGreeting]:
        rows = await self._fetchall(
            "SELECT e.id, e.person_id, p.name, e.next_due_at, e.checkin_time, e.window_minutes, "
            "coalesce(e.language, p.language), e.away_until, "
            "(SELECT i.platform FROM identities i WHERE i.person_id = e.person_id AND i.reachable = 1 "
            " ORDER BY i.rowid LIMIT 1), "
            "(SELECT i.user_id FROM identities i WHERE i.person_id = e.person_id AND i.reachable = 1 "
            " ORDER BY i.rowid LIMIT 1) "
            "FROM elders e JOIN persons p ON p.id = e.person_id "
            "WHERE e.active = 1 AND e.next_due_at <= ? ORDER BY e.next_due_at, e.id LIMIT ?",
            (ts(now), limit),
        )
        return [
            DueGreeting(
                elder_id=int(r[0]),
                person_id=int(r[1]),
                name=r[2],
                due_at=must_ts(r[3]),
                checkin_time=time.fromisoformat(r[4]),
                window_minutes=int(r[5]),
                language=r[6],
                away_until=from_ts(r[7]),
                platform=r[8],
                user_id=r[9],
            )
            for r in rows
        ]

    async def begin_checkins(self, items: Sequence[NewCheckin]) -> dict[int, int]:
        if not items:
            return {}
        async with self.transaction():
            await self._bulk(
                "INSERT INTO checkins (elder_id, day, due_at, greeted_at, window_end, state, step, "
                "next_step_at) VALUES (?, ?, ?, ?, ?, 'waiting', 'greeted', ?) "
                "ON CONFLICT (elder_id, day) DO NOTHING",
                [
                    (
                        item.elder_id,
                        item.day.isoformat(),
                        ts(item.due_at),
                        ts(item.greeted_at),
                        ts(item.window_end),
                        ts(item.next_step_at),
                    )
                    for item in items
                ],
            )
            await self._bulk(
                "UPDATE elders SET next_due_at = ? WHERE id = ?",
                [(ts(item.next_due_at), item.elder_id) for item in items],
            )
            created: dict[int, int] = {}
            by_day: dict[str, list[NewCheckin]] = {}
            for item in items:
                by_day.setdefault(item.day.isoformat(), []).append(item)
            for day, group in by_day.items():
                for chunk in range(0, len(group), 500):
                    part = group[chunk : chunk + 500]
                    marks = ", ".join("?" for _ in part)
                    rows = await self._fetchall(
                        "SELECT id, elder_id, greeted_at FROM checkins "
                        f"WHERE day = ? AND elder_id IN ({marks})",
                        (day, *[item.elder_id for item in part]),
                    )
                    stamps = {item.elder_id: ts(item.greeted_at) for item in part}
                    for checkin_id, elder_id, greeted in rows:
                        if stamps.get(int(elder_id)) == greeted:
                            created[int(elder_id)] = int(checkin_id)
                    await self._bulk(
                        "INSERT OR IGNORE INTO checkin_steps (checkin_id, step, at, reached) "
                        "VALUES (?, 'greeted', ?, 1)",
                        [
                            (created[item.elder_id], ts(item.greeted_at))
                            for item in part
                            if item.elder_id in created
                        ],
                    )
            return created

    # -- check-ins ------------------------------------------------------------------

    async def get_checkin(self, checkin_id: int) -> Checkin | None:
        row = await self._fetchone(f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE id = ?", (checkin_id,))
        return None if row is None else _checkin(row)

    async def checkin_on(self, elder_id: int, day: date) -> Checkin | None:
        row = await self._fetchone(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE elder_id = ? AND day = ?",
            (elder_id, day.isoformat()),
        )
        return None if row is None else _checkin(row)

    async def open_checkins_of_person(self, person_id: int) -> list[Checkin]:
        rows = await self._fetchall(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE state IN {_OPEN} AND elder_id = "
            "(SELECT id FROM elders WHERE person_id = ?) ORDER BY day",
            (person_id,),
        )
        return [_checkin(row) for row in rows]

    async def answer_checkin(
        self,
        checkin_id: int,
        *,
        at: datetime,
        in_window: bool,
        outcome: Outcome,
        wellbeing: Wellbeing | None,
        text: str | None,
        chat: ChatRef | None,
        message_id: str | None,
        by: int | None,
    ) -> bool:
        _, changed = await self._execute(
            "UPDATE checkins SET state = 'answered', answered_at = ?, answered_in_window = ?, outcome = ?, "
            "wellbeing = ?, answer_text = ?, answer_platform = ?, answer_chat_id = ?, answer_message_id = ?, "
            f"closed_by = ?, closed_at = ?, next_step_at = NULL WHERE id = ? AND state IN {_OPEN}",
            (
                ts(at),
                int(in_window),
                outcome.value,
                wellbeing.value if wellbeing else None,
                text[:500] if text else None,
                chat.platform if chat else None,
                chat.chat_id if chat else None,
                message_id,
                by,
                ts(at),
                checkin_id,
            ),
        )
        return changed > 0

    async def checkin_answered_by(self, chat: ChatRef, message_id: str) -> Checkin | None:
        row = await self._fetchone(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE answer_platform = ? AND answer_chat_id = ? "
            "AND answer_message_id = ?",
            (chat.platform, chat.chat_id, message_id),
        )
        return None if row is None else _checkin(row)

    async def note_wellbeing(self, checkin_id: int, wellbeing: Wellbeing) -> bool:
        row = await self._fetchone("SELECT wellbeing FROM checkins WHERE id = ?", (checkin_id,))
        if row is None:
            return False
        current = Wellbeing(row[0]) if row[0] else None
        if current is not None and WELLBEING_SCORE[current] <= WELLBEING_SCORE[wellbeing]:
            return False
        await self._execute("UPDATE checkins SET wellbeing = ? WHERE id = ?", (wellbeing.value, checkin_id))
        return True

    async def due_steps(self, now: datetime, limit: int) -> list[Checkin]:
        rows = await self._fetchall(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE next_step_at IS NOT NULL AND next_step_at <= ? "
            f"AND state IN {_OPEN} ORDER BY next_step_at, id LIMIT ?",
            (ts(now), limit),
        )
        return [_checkin(row) for row in rows]

    async def next_checkin_work_at(self) -> datetime | None:
        row = await self._fetchone(
            "SELECT min(at) FROM (SELECT min(next_due_at) AS at FROM elders WHERE active = 1 "
            f"UNION ALL SELECT min(next_step_at) FROM checkins WHERE next_step_at IS NOT NULL "
            f"AND state IN {_OPEN})"
        )
        return from_ts(row[0]) if row else None

    async def advance_checkin(
        self,
        checkin_id: int,
        *,
        expect: LadderStep,
        step: LadderStep,
        at: datetime,
        next_step_at: datetime | None,
        reached: int,
        note: str | None = None,
    ) -> bool:
        async with self.transaction():
            _, changed = await self._execute(
                "UPDATE checkins SET step = ?, state = 'escalating', next_step_at = ? "
                f"WHERE id = ? AND step = ? AND state IN {_OPEN}",
                (step.value, ts(next_step_at) if next_step_at else None, checkin_id, expect.value),
            )
            if not changed:
                return False
            await self._execute(
                "INSERT INTO checkin_steps (checkin_id, step, at, reached, note) VALUES (?, ?, ?, ?, ?)",
                (checkin_id, step.value, ts(at), reached, note),
            )
            return True

    async def hurry_checkin(self, checkin_id: int, at: datetime) -> bool:
        _, changed = await self._execute(
            f"UPDATE checkins SET next_step_at = ? WHERE id = ? AND state IN {_OPEN} "
            "AND next_step_at IS NOT NULL AND next_step_at > ?",
            (ts(at), checkin_id, ts(at)),
        )
        return changed > 0

    async def close_checkin(
        self,
        checkin_id: int,
        *,
        outcome: Outcome,
        by: int | None,
        at: datetime,
        task_id: int | None = None,
    ) -> bool:
        _, changed = await self._execute(
            "UPDATE checkins SET state = 'closed', outcome = ?, closed_by = ?, closed_at = ?, "
            f"next_step_at = NULL, task_id = coalesce(?, task_id) WHERE id = ? AND state IN {_OPEN}",
            (outcome.value, by, ts(at), task_id, checkin_id),
        )
        return changed > 0

    async def set_checkin_task(self, checkin_id: int, task_id: int) -> None:
        await self._execute("UPDATE checkins SET task_id = ? WHERE id = ?", (task_id, checkin_id))

    async def ladder_of(self, checkin_id: int) -> list[LadderEntry]:
        rows = await self._fetchall(
            "SELECT checkin_id, step, at, reached, note FROM checkin_steps WHERE checkin_id = ? "
            "ORDER BY at, rowid",
            (checkin_id,),
        )
        return [LadderEntry(int(r[0]), LadderStep(r[1]), must_ts(r[2]), int(r[3]), r[4]) for r in rows]

    async def add_notified(self, checkin_id: int, person_ids: Sequence[int], step: LadderStep) -> None:
        await self._bulk(
            "INSERT OR IGNORE INTO checkin_notified (checkin_id, person_id, step) VALUES (?, ?, ?)",
            [(checkin_id, person_id, step.value) for person_id in person_ids],
        )

    async def notified_of(self, checkin_id: int) -> list[int]:
        rows = await self._fetchall(
            "SELECT person_id FROM checkin_notified WHERE checkin_id = ? ORDER BY rowid", (checkin_id,)
        )
        return [int(r[0]) for r in rows]

    async def open_ladders_of(self, person_id: int) -> list[Checkin]:
        rows = await self._fetchall(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE state = 'escalating' AND id IN "
            "(SELECT checkin_id FROM checkin_notified WHERE person_id = ?) ORDER BY id",
            (person_id,),
        )
        return [_checkin(row) for row in rows]

    async def escalating_checkins(self) -> list[Checkin]:
        rows = await self._fetchall(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE state = 'escalating' ORDER BY id"
        )
        return [_checkin(row) for row in rows]

    async def checkins_between(self, first: date, last: date) -> list[Checkin]:
        rows = await self._fetchall(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE day >= ? AND day <= ? ORDER BY day, elder_id",
            (first.isoformat(), last.isoformat()),
        )
        return [_checkin(row) for row in rows]

    # -- task reminders -------------------------------------------------------------

    async def count_checkins(self, first: date, last: date) -> list[CheckinCount]:
        rows = await self._fetchall(
            "SELECT c.day, e.building, CASE WHEN c.outcome = 'away' THEN 'away' "
            "WHEN c.answered_in_window = 1 THEN 'answered' "
            "ELSE 'missed:' || coalesce(c.outcome, 'open') END, count(*) "
            "FROM checkins c JOIN elders e ON e.id = c.elder_id WHERE c.day >= ? AND c.day <= ? "
            "GROUP BY 1, 2, 3",
            (first.isoformat(), last.isoformat()),
        )
        return [CheckinCount(date.fromisoformat(r[0]), r[1], r[2], int(r[3])) for r in rows]

    async def missed_checkins(self, day: date, limit: int) -> list[Checkin]:
        rows = await self._fetchall(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE day = ? AND answered_in_window = 0 "
            "AND coalesce(outcome, '') != 'away' ORDER BY greeted_at, id LIMIT ?",
            (day.isoformat(), limit),
        )
        return [_checkin(row) for row in rows]

    async def checkins_of_concern(self, first: date, last: date, *, missed: int) -> list[Checkin]:
        rows = await self._fetchall(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE day >= ? AND day <= ? AND elder_id IN "
            "(SELECT elder_id FROM checkins WHERE day >= ? AND day <= ? GROUP BY elder_id HAVING "
            "sum(answered_in_window = 0 AND coalesce(outcome, '') != 'away') >= ? "
            "OR sum(wellbeing IN ('fair', 'bad')) > 0) ORDER BY elder_id, day",
            (first.isoformat(), last.isoformat(), first.isoformat(), last.isoformat(), missed),
        )
        return [_checkin(row) for row in rows]

    async def reminder_of(self, task_id: int, kind: str) -> tuple[int, datetime] | None:
        row = await self._fetchone(
            "SELECT count, last_at FROM task_reminders WHERE task_id = ? AND kind = ?", (task_id, kind)
        )
        return None if row is None else (int(row[0]), must_ts(row[1]))

    async def record_reminder(self, task_id: int, kind: str, *, expect_count: int, at: datetime) -> bool:
        if expect_count == 0:
            _, changed = await self._execute(
                "INSERT INTO task_reminders (task_id, kind, count, last_at) VALUES (?, ?, 1, ?) "
                "ON CONFLICT (task_id, kind) DO NOTHING",
                (task_id, kind, ts(at)),
            )
        else:
            _, changed = await self._execute(
                "UPDATE task_reminders SET count = count + 1, last_at = ? "
                "WHERE task_id = ? AND kind = ? AND count = ?",
                (ts(at), task_id, kind, expect_count),
            )
        return changed > 0

    async def take_chat_reminder(self, chat: ChatRef, day: date, cap: int) -> bool:
        async with self.transaction():
            await self._execute(
                "INSERT INTO chat_reminders (platform, chat_id, day, count) VALUES (?, ?, ?, 0) "
                "ON CONFLICT (platform, chat_id, day) DO NOTHING",
                (chat.platform, chat.chat_id, day.isoformat()),
            )
            _, changed = await self._execute(
                "UPDATE chat_reminders SET count = count + 1 WHERE platform = ? AND chat_id = ? AND day = ? "
                "AND count < ?",
                (chat.platform, chat.chat_id, day.isoformat(), cap),
            )
            return changed > 0

    async def chat_reminders_on(self, chat: ChatRef, day: date) -> int:
        row = await self._fetchone(
            "SELECT count FROM chat_reminders WHERE platform = ? AND chat_id = ? AND day = ?",
            (chat.platform, chat.chat_id, day.isoformat()),
        )
        return int(row[0]) if row else 0

    # -- digest ------------------------------------------------------------------------

    async def claim_digest(self, day: date, at: datetime) -> bool:
        _, changed = await self._execute(
            "INSERT INTO digest_runs (day, sent_at) VALUES (?, ?) ON CONFLICT (day) DO NOTHING",
            (day.isoformat(), ts(at)),
        )
        return changed > 0

    async def digest_sent(self, day: date) -> bool:
        row = await self._fetchone("SELECT 1 FROM digest_runs WHERE day = ?", (day.isoformat(),))
        return row is not None

    async def has_history_before(self, end: datetime) -> bool:
        row = await self._fetchone(
            "SELECT EXISTS (SELECT 1 FROM tasks WHERE created_at < ?) "
            "OR EXISTS (SELECT 1 FROM checkins WHERE greeted_at < ?)",
            (ts(end), ts(end)),
        )
        return bool(row and row[0])

    async def count_tasks_created(self, start: datetime, end: datetime) -> list[TaskCount]:
        rows = await self._fetchall(
            "SELECT coalesce(t.building, p.building), count(*) FROM tasks t "
            "JOIN persons p ON p.id = t.requester_id WHERE t.created_at >= ? AND t.created_at < ? "
            "GROUP BY 1",
            (ts(start), ts(end)),
        )
        return [TaskCount(r[0], "new", int(r[1])) for r in rows]

    async def count_task_events(
        self, start: datetime, end: datetime, actions: Sequence[str]
    ) -> list[TaskCount]:
        marks = ", ".join("?" for _ in actions)
        rows = await self._fetchall(
            "SELECT coalesce(t.building, p.building), ev.action, count(DISTINCT ev.task_id) "
            "FROM task_events ev JOIN tasks t ON t.id = ev.task_id JOIN persons p ON p.id = t.requester_id "
            f"WHERE ev.at >= ? AND ev.at < ? AND ev.action IN ({marks}) GROUP BY 1, 2",
            (ts(start), ts(end), *actions),
        )
        return [TaskCount(r[0], r[1], int(r[2])) for r in rows]

    async def count_tasks_in_states(self, states: Sequence[TaskState]) -> list[TaskCount]:
        marks = ", ".join("?" for _ in states)
        rows = await self._fetchall(
            "SELECT coalesce(t.building, p.building), t.state, count(*) FROM tasks t "
            f"JOIN persons p ON p.id = t.requester_id WHERE t.state IN ({marks}) GROUP BY 1, 2",
            [s.value for s in states],
        )
        return [TaskCount(r[0], r[1], int(r[2])) for r in rows]

    async def oldest_task_ids(
        self,
        states: Sequence[TaskState],
        *,
        limit: int,
        window_before: datetime | None = None,
        updated_before: datetime | None = None,
    ) -> list[int]:
        marks = ", ".join("?" for _ in states)
        where = [f"state IN ({marks})"]
        params: list[Any] = [s.value for s in states]
        if window_before is not None:
            where.append("window_end IS NOT NULL AND window_end < ?")
            params.append(ts(window_before))
        if updated_before is not None:
            where.append("updated_at < ?")
            params.append(ts(updated_before))
        rows = await self._fetchall(
            f"SELECT id FROM tasks WHERE {' AND '.join(where)} ORDER BY created_at, id LIMIT ?",
            (*params, limit),
        )
        return [int(r[0]) for r in rows]

    async def count_overdue(self, now: datetime) -> list[TaskCount]:
        rows = await self._fetchall(
            "SELECT coalesce(t.building, p.building), t.state, count(*) FROM tasks t "
            "JOIN persons p ON p.id = t.requester_id WHERE t.state IN ('open', 'claimed') "
            "AND t.window_end IS NOT NULL AND t.window_end < ? GROUP BY 1, 2",
            (ts(now),),
        )
        return [TaskCount(r[0], r[1], int(r[2])) for r in rows]

    async def hours_served(self, start: datetime, end: datetime) -> list[VolunteerHours]:
        # From the love-bank ledger, so staff corrections and service recorded by hand count too.
        rows = await self._fetchall(
            "SELECT r.person_id, v.name, sum(r.hours), count(CASE WHEN r.kind = 'service' THEN 1 END), "
            "r.building FROM service_records r JOIN persons v ON v.id = r.person_id "
            "WHERE r.served = 1 AND r.served_at >= ? AND r.served_at < ? "
            "GROUP BY r.person_id, r.building HAVING sum(r.hours) > 0 ORDER BY 3 DESC, r.person_id",
            (ts(start), ts(end)),
        )
        return [VolunteerHours(int(r[0]), r[1], float(r[2]), int(r[3]), r[4]) for r in rows]


def _elder(row: sqlite3.Row, volunteers: tuple[int, ...]) -> Elder:
    return Elder(
        id=int(row[0]),
        person_id=int(row[1]),
        name=row[2],
        checkin_time=time.fromisoformat(row[3]),
        window_minutes=int(row[4]),
        building=row[5],
        room=row[6],
        language=row[7],
        contact_name=row[8],
        contact_phone=row[9],
        contact_person_id=row[10],
        notes=row[11],
        active=bool(row[12]),
        away_until=from_ts(row[13]),
        next_due_at=from_ts(row[14]),
        volunteer_ids=volunteers,
        phone=row[15],
    )


def _checkin(row: sqlite3.Row) -> Checkin:
    return Checkin(
        id=int(row[0]),
        elder_id=int(row[1]),
        day=date.fromisoformat(row[2]),
        due_at=must_ts(row[3]),
        greeted_at=must_ts(row[4]),
        window_end=must_ts(row[5]),
        state=CheckinState(row[6]),
        step=LadderStep(row[7]),
        next_step_at=from_ts(row[8]),
        answered_at=from_ts(row[9]),
        answered_in_window=bool(row[10]),
        wellbeing=Wellbeing(row[11]) if row[11] else None,
        answer_text=row[12],
        outcome=Outcome(row[13]) if row[13] else None,
        closed_by=row[14],
        closed_at=from_ts(row[15]),
        task_id=row[16],
    )


__all__ = ["OPEN_CHECKIN_STATES", "CheckinQueries"]
