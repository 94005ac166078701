"""The love bank's SQL: an append-only ledger with running totals, stars, registry and care notes."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from storage.lovebank_models import (
    CareNote,
    Draft,
    Ledger,
    RecordKind,
    ServiceRecord,
    StarAward,
    VolunteerProfile,
)
from storage.models import Person, Role, Task
from storage.sqlite_core import SqliteCore, must_ts, ts
from storage.sqlite_rows import PERSON_COLUMNS, TASK_COLUMNS, person_from_row, task_from_row

log = logging.getLogger(__name__)

_RECORD_COLUMNS = (
    "id, kind, person_id, hours, served_at, served, total_after, balance_after, created_at, "
    "counterpart_id, task_id, building, room, category, description, witness_id, corrects_id, "
    "reason, created_by"
)
_VOLUNTEER_COLUMNS = "person_id, skills, availability, active, source, registered_at, updated_at"


class LovebankQueries(SqliteCore):
    """Passbook lines are only ever inserted: nothing here updates or deletes one."""

    # -- the ledger -----------------------------------------------------------------

    async def add_record(
        self,
        *,
        kind: RecordKind,
        person_id: int,
        hours: float,
        served_at: datetime,
        at: datetime,
        counterpart_id: int | None = None,
        task_id: int | None = None,
        building: str | None = None,
        room: str | None = None,
        category: str | None = None,
        description: str = "",
        witness_id: int | None = None,
        corrects_id: int | None = None,
        reason: str | None = None,
        created_by: int | None = None,
    ) -> tuple[ServiceRecord, bool]:
        async with self.transaction():
            if task_id is not None and kind is not RecordKind.CORRECTION:
                row = await self._fetchone(
                    f"SELECT {_RECORD_COLUMNS} FROM service_records "
                    "WHERE task_id = ? AND kind = ? AND person_id = ?",
                    (task_id, kind.value, person_id),
                )
                if row is not None:
                    return _record(row), False
            served = kind is RecordKind.SERVICE
            if kind is RecordKind.CORRECTION:
                if corrects_id is None:
                    raise ValueError("a correction must name the line it corrects")
                original = await self.get_record(corrects_id)
                if original is None:
                    raise KeyError(f"no service record {corrects_id}")
                served = original.served
            totals = await self._fetchone(
                "SELECT coalesce(sum(CASE WHEN served = 1 THEN hours END), 0), coalesce(sum(hours), 0) "
                "FROM service_records WHERE person_id = ?",
                (person_id,),
            )
            assert totals is not None
            total_after = round(float(totals[0]) + (hours if served else 0.0), 4)
            balance_after = round(float(totals[1]) + hours, 4)
            record_id, _ = await self._execute(
                "INSERT INTO service_records (kind, person_id, counterpart_id, task_id, served_at, building, "
                "room, category, description, hours, served, total_after, balance_after, witness_id, "
                "corrects_id, reason, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    kind.value,
                    person_id,
                    counterpart_id,
                    task_id,
                    ts(served_at),
                    building,
                    room,
                    category,
                    description,
                    hours,
                    int(served),
                    total_after,
                    balance_after,
                    witness_id,
                    corrects_id,
                    reason,
                    created_by,
                    ts(at),
                ),
            )
            record = await self.get_record(record_id)
            assert record is not None
            log.info("passbook %s: %s %+g h (record %s)", person_id, kind.value, hours, record_id)
            return record, True

    async def get_record(self, record_id: int) -> ServiceRecord | None:
        row = await self._fetchone(
            f"SELECT {_RECORD_COLUMNS} FROM service_records WHERE id = ?", (record_id,)
        )
        return None if row is None else _record(row)

    async def records_of(self, person_id: int, limit: int = 10) -> list[ServiceRecord]:
        rows = await self._fetchall(
            f"SELECT {_RECORD_COLUMNS} FROM service_records WHERE person_id = ? ORDER BY id DESC LIMIT ?",
            (person_id, limit),
        )
        return [_record(row) for row in rows]

    async def records_between(self, start: datetime, end: datetime) -> list[ServiceRecord]:
        rows = await self._fetchall(
            f"SELECT {_RECORD_COLUMNS} FROM service_records WHERE served_at >= ? AND served_at < ? "
            "ORDER BY served_at, id",
            (ts(start), ts(end)),
        )
        return [_record(row) for row in rows]

    async def records_for_task(self, task_id: int) -> list[ServiceRecord]:
        rows = await self._fetchall(
            f"SELECT {_RECORD_COLUMNS} FROM service_records WHERE task_id = ? "
            "OR corrects_id IN (SELECT id FROM service_records WHERE task_id = ?) ORDER BY id",
            (task_id, task_id),
        )
        return [_record(row) for row in rows]

    async def ledger(self, person_id: int, start: datetime, end: datetime) -> Ledger:
        rows = await self._ledger_rows("WHERE person_id = ?", (person_id,), start, end)
        return rows[0] if rows else Ledger(person_id=person_id)

    async def balance(self, person_id: int) -> float:
        row = await self._fetchone(
            "SELECT coalesce(sum(hours), 0) FROM service_records WHERE person_id = ?", (person_id,)
        )
        return round(float(row[0]), 4)

    async def ledgers(self, start: datetime, end: datetime) -> list[Ledger]:
        return await self._ledger_rows("", (), start, end)

    async def _ledger_rows(
        self, where: str, params: Sequence[Any], start: datetime, end: datetime
    ) -> list[Ledger]:
        rows = await self._fetchall(
            "SELECT person_id, "
            "       coalesce(sum(CASE WHEN served = 1 THEN hours END), 0) AS total, "
            "       coalesce(sum(CASE WHEN served = 1 AND served_at >= ? AND served_at < ? "
            "                         THEN hours END), 0) AS period, "
            "       coalesce(sum(hours), 0) AS balance, "
            "       count(*) AS records "
            f"FROM service_records {where} GROUP BY person_id ORDER BY period DESC, total DESC, person_id",
            (ts(start), ts(end), *params),
        )
        return [
            Ledger(
                person_id=int(r[0]),
                total_hours=round(float(r[1]), 4),
                period_hours=round(float(r[2]), 4),
                balance=round(float(r[3]), 4),
                records=int(r[4]),
            )
            for r in rows
        ]

    async def served_before(self, volunteer_id: int, person_id: int) -> bool:
        row = await self._fetchone(
            "SELECT 1 FROM service_records WHERE kind = 'service' AND person_id = ? AND counterpart_id = ? "
            "LIMIT 1",
            (volunteer_id, person_id),
        )
        return row is not None

    # -- stars and jobs -------------------------------------------------------------------

    async def award_star(self, person_id: int, year: int, stars: int, hours: float, at: datetime) -> bool:
        _, inserted = await self._execute(
            "INSERT INTO star_awards (person_id, year, stars, hours, reached_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (person_id, year, stars) DO NOTHING",
            (person_id, year, stars, hours, ts(at)),
        )
        return inserted > 0

    async def stars_between(self, start: datetime, end: datetime) -> list[StarAward]:
        rows = await self._fetchall(
            "SELECT person_id, year, stars, hours, reached_at FROM star_awards "
            "WHERE reached_at >= ? AND reached_at < ? ORDER BY reached_at, person_id, stars",
            (ts(start), ts(end)),
        )
        return [StarAward(int(r[0]), int(r[1]), int(r[2]), float(r[3]), must_ts(r[4])) for r in rows]

    async def mark_job_run(self, job: str, period: str, at: datetime) -> bool:
        _, inserted = await self._execute(
            "INSERT INTO lovebank_runs (job, period, ran_at) VALUES (?, ?, ?) "
            "ON CONFLICT (job, period) DO NOTHING",
            (job, period, ts(at)),
        )
        return inserted > 0

    # -- the volunteer registry ---------------------------------------------------------------

    async def upsert_volunteer(
        self,
        person_id: int,
        *,
        skills: Sequence[str],
        availability: str | None,
        source: str,
        at: datetime,
    ) -> tuple[VolunteerProfile, bool]:
        async with self.transaction():
            existing = await self.get_volunteer(person_id)
            await self._execute(
                "INSERT INTO volunteers (person_id, skills, availability, active, source, registered_at, "
                "updated_at) VALUES (?, ?, ?, 1, ?, ?, ?) "
                "ON CONFLICT (person_id) DO UPDATE SET skills = excluded.skills, "
                "availability = excluded.availability, active = 1, updated_at = excluded.updated_at",
                (person_id, ",".join(skills), availability, source, ts(at), ts(at)),
            )
            profile = await self.get_volunteer(person_id)
            assert profile is not None
            return profile, existing is None

    async def get_volunteer(self, person_id: int) -> VolunteerProfile | None:
        row = await self._fetchone(
            f"SELECT {_VOLUNTEER_COLUMNS} FROM volunteers WHERE person_id = ?", (person_id,)
        )
        return None if row is None else _volunteer(row)

    async def list_volunteers(self, *, active: bool | None = True) -> list[VolunteerProfile]:
        if active is None:
            rows = await self._fetchall(f"SELECT {_VOLUNTEER_COLUMNS} FROM volunteers ORDER BY registered_at")
        else:
            rows = await self._fetchall(
                f"SELECT {_VOLUNTEER_COLUMNS} FROM volunteers WHERE active = ? ORDER BY registered_at",
                (int(active),),
            )
        return [_volunteer(row) for row in rows]

    async def set_volunteer_active(self, person_id: int, active: bool, at: datetime) -> bool:
        _, changed = await self._execute(
            "UPDATE volunteers SET active = ?, updated_at = ? WHERE person_id = ?",
            (int(active), ts(at), person_id),
        )
        return changed > 0

    async def get_draft(self, person_id: int) -> Draft | None:
        row = await self._fetchone(
            "SELECT person_id, step, updated_at, data FROM registration_drafts WHERE person_id = ?",
            (person_id,),
        )
        if row is None:
            return None
        data = json.loads(row[3])
        return Draft(int(row[0]), row[1], must_ts(row[2]), {str(k): str(v) for k, v in data.items()})

    async def save_draft(self, person_id: int, step: str, data: dict[str, str], at: datetime) -> None:
        await self._execute(
            "INSERT INTO registration_drafts (person_id, step, data, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (person_id) DO UPDATE SET step = excluded.step, data = excluded.data, "
            "updated_at = excluded.updated_at",
            (person_id, step, json.dumps(data, ensure_ascii=False), ts(at)),
        )

    async def drop_draft(self, person_id: int) -> None:
        await self._execute("DELETE FROM registration_drafts WHERE person_id = ?", (person_id,))

    # -- care notes -------------------------------------------------------------------------

    async def add_care_note(self, person_id: int, text: str, author_id: int | None, at: datetime) -> CareNote:
        note_id, _ = await self._execute(
            "INSERT INTO care_notes (person_id, author_id, text, created_at) VALUES (?, ?, ?, ?)",
            (person_id, author_id, text, ts(at)),
        )
        return CareNote(id=note_id, person_id=person_id, text=text, created_at=at, author_id=author_id)

    async def care_notes_of(self, person_id: int, limit: int = 5) -> list[CareNote]:
        rows = await self._fetchall(
            "SELECT id, person_id, text, created_at, author_id FROM care_notes "
            "WHERE person_id = ? AND active = 1 ORDER BY id DESC LIMIT ?",
            (person_id, limit),
        )
        return [CareNote(int(r[0]), int(r[1]), r[2], must_ts(r[3]), r[4]) for r in rows]

    async def remove_care_note(self, note_id: int) -> CareNote | None:
        async with self.transaction():
            row = await self._fetchone(
                "SELECT id, person_id, text, created_at, author_id FROM care_notes WHERE id = ?", (note_id,)
            )
            if row is None:
                return None
            await self._execute("UPDATE care_notes SET active = 0 WHERE id = ?", (note_id,))
            return CareNote(int(row[0]), int(row[1]), row[2], must_ts(row[3]), row[4])

    # -- lookups for the registry and exports -------------------------------------------------

    async def people_named(self, name: str) -> list[Person]:
        rows = await self._fetchall(
            f"SELECT {PERSON_COLUMNS} FROM persons WHERE name = ? ORDER BY id", (name,)
        )
        return [person_from_row(r) for r in rows]

    async def add_person(self, name: str, role: Role, at: datetime) -> Person:
        person_id, _ = await self._execute(
            "INSERT INTO persons (name, role, created_at) VALUES (?, ?, ?)", (name, role.value, ts(at))
        )
        return Person(id=person_id, name=name, role=role)

    async def person_by_identity(self, platform: str, user_id: str) -> Person | None:
        row = await self._fetchone(
            "SELECT person_id FROM identities WHERE platform = ? AND user_id = ?", (platform, user_id)
        )
        if row is None:
            return None
        people = await self._fetchall(f"SELECT {PERSON_COLUMNS} FROM persons WHERE id = ?", (int(row[0]),))
        return person_from_row(people[0]) if people else None

    async def attach_identity(self, person_id: int, platform: str, user_id: str, display_name: str) -> None:
        await self._execute(
            "INSERT INTO identities (platform, user_id, person_id, display_name) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (platform, user_id) DO UPDATE SET person_id = excluded.person_id",
            (platform, user_id, person_id, display_name),
        )

    async def tasks_between(self, start: datetime, end: datetime) -> list[Task]:
        rows = await self._fetchall(
            f"SELECT {TASK_COLUMNS} FROM tasks WHERE created_at >= ? AND created_at < ? "
            "ORDER BY created_at, id",
            (ts(start), ts(end)),
        )
        return [task_from_row(r) for r in rows]


def _record(row: sqlite3.Row) -> ServiceRecord:
    return ServiceRecord(
        id=int(row[0]),
        kind=RecordKind(row[1]),
        person_id=int(row[2]),
        hours=float(row[3]),
        served_at=must_ts(row[4]),
        served=bool(row[5]),
        total_after=float(row[6]),
        balance_after=float(row[7]),
        created_at=must_ts(row[8]),
        counterpart_id=row[9],
        task_id=row[10],
        building=row[11],
        room=row[12],
        category=row[13],
        description=row[14],
        witness_id=row[15],
        corrects_id=row[16],
        reason=row[17],
        created_by=row[18],
    )


def _volunteer(row: sqlite3.Row) -> VolunteerProfile:
    return VolunteerProfile(
        person_id=int(row[0]),
        skills=tuple(s for s in row[1].split(",") if s),
        availability=row[2],
        active=bool(row[3]),
        source=row[4],
        registered_at=must_ts(row[5]),
        updated_at=must_ts(row[6]),
    )
