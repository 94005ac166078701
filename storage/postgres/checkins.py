"""SQL for check-ins, ladders, task reminders and the digest (mixed into PostgresRepository)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from storage.checkin_models import (
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
from storage.postgres.core import Params, PostgresCore
from storage.postgres.rows import columns

_OPEN = "state IN ('waiting', 'escalating')"
_ELDER_COLUMNS = (
    "e.id, e.person_id, p.name, e.checkin_time, e.window_minutes, e.building, e.room, "
    "coalesce(e.language, p.language) AS language, e.contact_name, e.contact_phone, e.contact_person_id, "
    "e.notes, e.active, e.away_until, e.next_due_at, p.phone, "
    "array(SELECT volunteer_id FROM elder_volunteers WHERE elder_id = e.id ORDER BY rowid) AS volunteer_ids"
)
_CHECKIN_COLUMNS = columns(Checkin)
_SPEC_COLUMNS = [
    field.name for field in fields(ElderSpec) if field.name not in ("person_id", "volunteer_ids")
]
"""What an ElderSpec may set on the elder's row (its pairs are rows of their own)."""
_FIRST_ACCOUNT = (
    "(SELECT i.{column} FROM identities i WHERE i.person_id = e.person_id AND i.reachable "
    "ORDER BY i.rowid LIMIT 1) AS {column}"
)
"""The elder's first reachable account, where a greeting goes."""
_TASKS = "tasks t JOIN persons p ON p.id = t.requester_id"
_BUILDING = "coalesce(t.building, p.building) AS building"
"""A task's building, or its requester's when it has none."""


class CheckinQueries(PostgresCore):
    """Elders, their daily check-ins and ladders, reminders and digest figures; see ``CheckinStore``."""

    # -- elders -----------------------------------------------------------------

    async def save_elder(self, spec: ElderSpec, *, at: datetime, next_due_at: datetime | None) -> Elder:
        values = {column: getattr(spec, column) for column in _SPEC_COLUMNS}
        given = {column: value for column, value in values.items() if value is not None}
        given |= {"person_id": spec.person_id, "updated_at": at, "next_due_at": next_due_at}
        placeholders = ", ".join(f"%({name})s" for name in given)
        updates = ", ".join(f"{name} = excluded.{name}" for name in given)
        async with self.transaction():
            # A new elder gets the table's defaults (09:00, 120 minutes) for what the spec leaves out.
            [(elder_id,)] = await self._fetchall(
                f"INSERT INTO elders (created_at, {', '.join(given)}) "
                f"VALUES (%(created_at)s, {placeholders}) "
                f"ON CONFLICT (person_id) DO UPDATE SET {updates} RETURNING id",
                given | {"created_at": at},
            )
            if spec.volunteer_ids is not None:
                await self._execute("DELETE FROM elder_volunteers WHERE elder_id = %s", (elder_id,))
                await self._execute(
                    "INSERT INTO elder_volunteers (elder_id, volunteer_id) "
                    "SELECT %s, volunteer_id "
                    "FROM unnest(%s::bigint[]) WITH ORDINALITY AS given(volunteer_id, n) ORDER BY n",
                    (elder_id, list(dict.fromkeys(spec.volunteer_ids))),
                )
            elder = await self.get_elder(elder_id)
        assert elder is not None
        return elder

    async def get_elder(self, elder_id: int) -> Elder | None:
        found = await self._elders("e.id = %s", (elder_id,))
        return found[0] if found else None

    async def elder_of_person(self, person_id: int) -> Elder | None:
        found = await self._elders("e.person_id = %s", (person_id,))
        return found[0] if found else None

    async def list_elders(self, *, active: bool | None = True, building: str | None = None) -> list[Elder]:
        where = ["true"]
        if active is not None:
            where.append("e.active = %(active)s")
        if building is not None:
            where.append("e.building = %(building)s")
        return await self._elders(" AND ".join(where), {"active": active, "building": building})

    async def elders_by_ids(self, ids: Sequence[int]) -> dict[int, Elder]:
        return {elder.id: elder for elder in await self._elders("e.id = ANY(%s)", (list(ids),))}

    async def elders_of_volunteer(self, volunteer_id: int) -> list[Elder]:
        return await self._elders(
            "e.active AND e.id IN (SELECT elder_id FROM elder_volunteers WHERE volunteer_id = %s)",
            (volunteer_id,),
        )

    async def elders_named_in(self, text: str) -> list[Elder]:
        if not text:
            return []
        return await self._elders("e.active AND char_length(p.name) >= 2 AND strpos(%s, p.name) > 0", (text,))

    async def _elders(self, where: str, params: Params) -> list[Elder]:
        return await self._records(
            _elder,
            f"SELECT {_ELDER_COLUMNS} FROM elders e JOIN persons p ON p.id = e.person_id "
            f"WHERE {where} ORDER BY e.id",
            params,
        )

    async def set_elder_schedule(
        self,
        elder_id: int,
        *,
        next_due_at: datetime | None,
        away_until: datetime | None,
        at: datetime,
    ) -> None:
        await self._execute(
            "UPDATE elders SET next_due_at = %s, away_until = %s, updated_at = %s WHERE id = %s",
            (next_due_at, away_until, at, elder_id),
        )

    async def set_next_due(self, updates: Sequence[tuple[int, datetime | None]]) -> None:
        await self._executemany(
            "UPDATE elders SET next_due_at = %s WHERE id = %s", [(due, elder_id) for elder_id, due in updates]
        )

    # -- greetings ----------------------------------------------------------------

    async def due_greetings(self, now: datetime, limit: int) -> list[DueGreeting]:
        return await self._records(
            lambda row: DueGreeting(**row),
            "SELECT e.id AS elder_id, e.person_id, p.name, e.next_due_at AS due_at, e.checkin_time, "
            "e.window_minutes, coalesce(e.language, p.language) AS language, e.away_until, "
            f"{_FIRST_ACCOUNT.format(column='platform')}, {_FIRST_ACCOUNT.format(column='user_id')} "
            "FROM elders e JOIN persons p ON p.id = e.person_id "
            "WHERE e.active AND e.next_due_at <= %s ORDER BY e.next_due_at, e.id LIMIT %s",
            (now, limit),
        )

    async def begin_checkins(self, items: Sequence[NewCheckin]) -> dict[int, int]:
        if not items:
            return {}
        async with self.transaction():
            # One statement for the whole batch (thousands of elders at 09:00); a day already
            # greeted conflicts and is left out of what comes back.
            rows = await self._fetchall(
                "INSERT INTO checkins (elder_id, day, due_at, greeted_at, window_end, next_step_at) "
                "SELECT * FROM unnest(%s::bigint[], %s::date[], %s::timestamptz[], %s::timestamptz[], "
                "%s::timestamptz[], %s::timestamptz[]) "
                "ON CONFLICT (elder_id, day) DO NOTHING RETURNING id, elder_id, greeted_at",
                [
                    [item.elder_id for item in items],
                    [item.day for item in items],
                    [item.due_at for item in items],
                    [item.greeted_at for item in items],
                    [item.window_end for item in items],
                    [item.next_step_at for item in items],
                ],
            )
            await self._execute(
                "INSERT INTO checkin_steps (checkin_id, step, at, reached) "
                "SELECT id, 'greeted', at, 1 FROM unnest(%s::bigint[], %s::timestamptz[]) AS greeted(id, at)",
                ([checkin_id for checkin_id, _, _ in rows], [greeted for _, _, greeted in rows]),
            )
            await self._execute(
                "UPDATE elders SET next_due_at = due.at FROM unnest(%s::bigint[], %s::timestamptz[]) "
                "AS due(id, at) WHERE elders.id = due.id",
                ([item.elder_id for item in items], [item.next_due_at for item in items]),
            )
        return {int(elder_id): int(checkin_id) for checkin_id, elder_id, _ in rows}

    # -- check-ins ------------------------------------------------------------------

    async def get_checkin(self, checkin_id: int) -> Checkin | None:
        return await self._record(
            _checkin, f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE id = %s", (checkin_id,)
        )

    async def checkin_on(self, elder_id: int, day: date) -> Checkin | None:
        return await self._record(
            _checkin,
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE elder_id = %s AND day = %s",
            (elder_id, day),
        )

    async def open_checkins_of_person(self, person_id: int) -> list[Checkin]:
        return await self._checkins(
            f"{_OPEN} AND elder_id = (SELECT id FROM elders WHERE person_id = %s) ORDER BY day", (person_id,)
        )

    async def _checkins(self, where: str, params: Params = ()) -> list[Checkin]:
        return await self._records(_checkin, f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE {where}", params)

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
        changed = await self._execute(
            "UPDATE checkins SET state = 'answered', answered_at = %(at)s, "
            "answered_in_window = %(in_window)s, outcome = %(outcome)s, wellbeing = %(wellbeing)s, "
            "answer_text = %(text)s, "
            "answer_platform = %(platform)s, answer_chat_id = %(chat)s, answer_message_id = %(message)s, "
            "closed_by = %(by)s, closed_at = %(at)s, next_step_at = NULL "
            f"WHERE id = %(id)s AND {_OPEN}",
            {
                "at": at,
                "in_window": in_window,
                "outcome": outcome,
                "wellbeing": wellbeing,
                "text": text[:500] if text else None,
                "platform": chat.platform if chat else None,
                "chat": chat.chat_id if chat else None,
                "message": message_id,
                "by": by,
                "id": checkin_id,
            },
        )
        return changed > 0

    async def checkin_answered_by(self, chat: ChatRef, message_id: str) -> Checkin | None:
        found = await self._checkins(
            "answer_platform = %s AND answer_chat_id = %s AND answer_message_id = %s",
            (chat.platform, chat.chat_id, message_id),
        )
        return found[0] if found else None

    async def note_wellbeing(self, checkin_id: int, wellbeing: Wellbeing) -> bool:
        lower = [mark for mark, score in WELLBEING_SCORE.items() if score > WELLBEING_SCORE[wellbeing]]
        changed = await self._execute(  # never raised: only a better mark, or none, is replaced
            "UPDATE checkins SET wellbeing = %s WHERE id = %s AND (wellbeing IS NULL OR wellbeing = ANY(%s))",
            (wellbeing, checkin_id, lower),
        )
        return changed > 0

    async def due_steps(self, now: datetime, limit: int) -> list[Checkin]:
        return await self._checkins(
            f"next_step_at <= %s AND {_OPEN} ORDER BY next_step_at, id LIMIT %s", (now, limit)
        )

    async def next_checkin_work_at(self) -> datetime | None:
        row = await self._fetchone(
            "SELECT least((SELECT min(next_due_at) FROM elders WHERE active), "
            f"(SELECT min(next_step_at) FROM checkins WHERE {_OPEN}))"
        )
        due: datetime | None = row[0]
        return due

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
            changed = await self._execute(
                "UPDATE checkins SET step = %s, state = 'escalating', next_step_at = %s "
                f"WHERE id = %s AND step = %s AND {_OPEN}",
                (step, next_step_at, checkin_id, expect),
            )
            if not changed:
                return False
            await self._execute(
                "INSERT INTO checkin_steps (checkin_id, step, at, reached, note) VALUES (%s, %s, %s, %s, %s)",
                (checkin_id, step, at, reached, note),
            )
            return True

    async def hurry_checkin(self, checkin_id: int, at: datetime) -> bool:
        changed = await self._execute(
            "UPDATE checkins SET next_step_at = %(at)s "
            f"WHERE id = %(id)s AND {_OPEN} AND next_step_at > %(at)s",
            {"at": at, "id": checkin_id},
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
        changed = await self._execute(
            "UPDATE checkins SET state = 'closed', outcome = %s, closed_by = %s, closed_at = %s, "
            f"next_step_at = NULL, task_id = coalesce(%s, task_id) WHERE id = %s AND {_OPEN}",
            (outcome, by, at, task_id, checkin_id),
        )
        return changed > 0

    async def set_checkin_task(self, checkin_id: int, task_id: int) -> None:
        await self._execute("UPDATE checkins SET task_id = %s WHERE id = %s", (task_id, checkin_id))

    async def ladder_of(self, checkin_id: int) -> list[LadderEntry]:
        return await self._records(
            lambda row: LadderEntry(**(row | {"step": LadderStep(row["step"])})),
            "SELECT checkin_id, step, at, reached, note FROM checkin_steps WHERE checkin_id = %s "
            "ORDER BY at, rowid",
            (checkin_id,),
        )

    async def add_notified(self, checkin_id: int, person_ids: Sequence[int], step: LadderStep) -> None:
        await self._execute(
            "INSERT INTO checkin_notified (checkin_id, person_id, step) "
            "SELECT %s, person_id, %s FROM unnest(%s::bigint[]) WITH ORDINALITY AS asked(person_id, n) "
            "ORDER BY n ON CONFLICT (checkin_id, person_id) DO NOTHING",
            (checkin_id, step, list(person_ids)),
        )

    async def notified_of(self, checkin_id: int) -> list[int]:
        rows = await self._fetchall(
            "SELECT person_id FROM checkin_notified WHERE checkin_id = %s ORDER BY rowid", (checkin_id,)
        )
        return [int(row[0]) for row in rows]

    async def open_ladders_of(self, person_id: int) -> list[Checkin]:
        return await self._checkins(
            "state = 'escalating' AND id IN (SELECT checkin_id FROM checkin_notified WHERE person_id = %s) "
            "ORDER BY id",
            (person_id,),
        )

    async def escalating_checkins(self) -> list[Checkin]:
        return await self._checkins("state = 'escalating' ORDER BY id")

    async def checkins_between(self, first: date, last: date) -> list[Checkin]:
        return await self._checkins("day BETWEEN %s AND %s ORDER BY day, elder_id", (first, last))

    async def count_checkins(self, first: date, last: date) -> list[CheckinCount]:
        rows = await self._fetchall(
            "SELECT c.day, e.building, CASE WHEN c.outcome = 'away' THEN 'away' "
            "WHEN c.answered_in_window THEN 'answered' "
            "ELSE 'missed:' || coalesce(c.outcome, 'open') END, count(*) "
            "FROM checkins c JOIN elders e ON e.id = c.elder_id WHERE c.day BETWEEN %s AND %s "
            "GROUP BY 1, 2, 3",
            (first, last),
        )
        return [CheckinCount(day, building, key, int(count)) for day, building, key, count in rows]

    async def missed_checkins(self, day: date, limit: int) -> list[Checkin]:
        return await self._checkins(
            f"day = %s AND {_MISSED} ORDER BY greeted_at, id LIMIT %s",
            (day, limit),
        )

    async def checkins_of_concern(self, first: date, last: date, *, missed: int) -> list[Checkin]:
        return await self._checkins(
            "day BETWEEN %(first)s AND %(last)s AND elder_id IN "
            "(SELECT elder_id FROM checkins WHERE day BETWEEN %(first)s AND %(last)s GROUP BY elder_id "
            f"HAVING count(*) FILTER (WHERE {_MISSED}) >= %(missed)s "
            "OR count(*) FILTER (WHERE wellbeing IN ('fair', 'bad')) > 0) ORDER BY elder_id, day",
            {"first": first, "last": last, "missed": missed},
        )

    # -- task reminders -------------------------------------------------------------

    async def reminder_of(self, task_id: int, kind: str) -> tuple[int, datetime] | None:
        row = await self._fetchone(
            "SELECT count, last_at FROM task_reminders WHERE task_id = %s AND kind = %s", (task_id, kind)
        )
        return None if row is None else (int(row[0]), row[1])

    async def record_reminder(self, task_id: int, kind: str, *, expect_count: int, at: datetime) -> bool:
        if expect_count == 0:
            changed = await self._execute(
                "INSERT INTO task_reminders (task_id, kind, count, last_at) VALUES (%s, %s, 1, %s) "
                "ON CONFLICT (task_id, kind) DO NOTHING",
                (task_id, kind, at),
            )
        else:
            changed = await self._execute(
                "UPDATE task_reminders SET count = count + 1, last_at = %s "
                "WHERE task_id = %s AND kind = %s AND count = %s",
                (at, task_id, kind, expect_count),
            )
        return changed > 0

    async def take_chat_reminder(self, chat: ChatRef, day: date, cap: int) -> bool:
        if cap <= 0:
            return False
        row = await self._fetchone(
            "INSERT INTO chat_reminders AS taken (platform, chat_id, day, count) VALUES (%s, %s, %s, 1) "
            "ON CONFLICT (platform, chat_id, day) DO UPDATE SET count = taken.count + 1 "
            "WHERE taken.count < %s RETURNING count",
            (chat.platform, chat.chat_id, day, cap),
        )
        return row is not None

    async def chat_reminders_on(self, chat: ChatRef, day: date) -> int:
        row = await self._fetchone(
            "SELECT count FROM chat_reminders WHERE platform = %s AND chat_id = %s AND day = %s",
            (chat.platform, chat.chat_id, day),
        )
        return 0 if row is None else int(row[0])

    # -- digest ------------------------------------------------------------------------

    async def claim_digest(self, day: date, at: datetime) -> bool:
        changed = await self._execute(
            "INSERT INTO digest_runs (day, sent_at) VALUES (%s, %s) ON CONFLICT (day) DO NOTHING", (day, at)
        )
        return changed > 0

    async def digest_sent(self, day: date) -> bool:
        return await self._fetchone("SELECT 1 FROM digest_runs WHERE day = %s", (day,)) is not None

    async def has_history_before(self, end: datetime) -> bool:
        row = await self._fetchone(
            "SELECT EXISTS (SELECT 1 FROM tasks WHERE created_at < %(end)s) "
            "OR EXISTS (SELECT 1 FROM checkins WHERE greeted_at < %(end)s)",
            {"end": end},
        )
        return bool(row[0])

    async def count_tasks_created(self, start: datetime, end: datetime) -> list[TaskCount]:
        return await self._task_counts(
            f"SELECT {_BUILDING}, 'new' AS key, count(*) FROM {_TASKS} "
            "WHERE t.created_at >= %s AND t.created_at < %s GROUP BY 1",
            (start, end),
        )

    async def count_task_events(
        self, start: datetime, end: datetime, actions: Sequence[str]
    ) -> list[TaskCount]:
        return await self._task_counts(
            f"SELECT {_BUILDING}, ev.action AS key, count(DISTINCT ev.task_id) "
            f"FROM task_events ev JOIN {_TASKS} ON t.id = ev.task_id "
            "WHERE ev.at >= %s AND ev.at < %s AND ev.action = ANY(%s) GROUP BY 1, 2",
            (start, end, list(actions)),
        )

    async def count_tasks_in_states(self, states: Sequence[TaskState]) -> list[TaskCount]:
        return await self._task_counts(
            f"SELECT {_BUILDING}, t.state AS key, count(*) FROM {_TASKS} "
            "WHERE t.state = ANY(%s) GROUP BY 1, 2",
            (list(states),),
        )

    async def count_overdue(self, now: datetime) -> list[TaskCount]:
        return await self._task_counts(
            f"SELECT {_BUILDING}, t.state AS key, count(*) FROM {_TASKS} "
            "WHERE t.state IN ('open', 'claimed') AND t.window_end < %s GROUP BY 1, 2",
            (now,),
        )

    async def _task_counts(self, sql: str, params: Sequence[Any]) -> list[TaskCount]:
        return await self._records(lambda row: TaskCount(**row), sql, params)

    async def hours_served(self, start: datetime, end: datetime) -> list[VolunteerHours]:
        # From the love-bank ledger, so staff corrections and service recorded by hand count too.
        return await self._records(
            lambda row: VolunteerHours(**row),
            "SELECT r.person_id, v.name, sum(r.hours) AS hours, "
            "count(*) FILTER (WHERE r.kind = 'service') AS tasks, r.building "
            "FROM service_records r JOIN persons v ON v.id = r.person_id "
            "WHERE r.served AND r.served_at >= %s AND r.served_at < %s "
            "GROUP BY r.person_id, v.name, r.building HAVING sum(r.hours) > 0 ORDER BY 3 DESC, r.person_id",
            (start, end),
        )


_MISSED = "NOT answered_in_window AND coalesce(outcome, '') != 'away'"
"""A day that got no answer inside its window (being away aside)."""


def _elder(row: dict[str, Any]) -> Elder:
    return Elder(**(row | {"volunteer_ids": tuple(row["volunteer_ids"])}))


def _checkin(row: dict[str, Any]) -> Checkin:
    wellbeing, outcome = row["wellbeing"], row["outcome"]
    return Checkin(
        **(
            row
            | {
                "state": CheckinState(row["state"]),
                "step": LadderStep(row["step"]),
                "wellbeing": Wellbeing(wellbeing) if wellbeing else None,
                "outcome": Outcome(outcome) if outcome else None,
            }
        )
    )
