"""The love bank's SQL: an append-only ledger with running totals, stars, registry and care notes."""

from __future__ import annotations

import json
import logging
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
from storage.models import Person, Role
from storage.postgres.core import Params, PostgresCore
from storage.postgres.rows import PERSON_COLUMNS, columns, person

log = logging.getLogger(__name__)

_RECORD_COLUMNS = columns(ServiceRecord)
_VOLUNTEER_COLUMNS = columns(VolunteerProfile)
_NOTE_COLUMNS = columns(CareNote)


class LovebankQueries(PostgresCore):
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
            # The holder's lines are written one at a time: the running totals below read the
            # sums as the previous line left them. (NO KEY: rows that merely point at the person,
            # a task's event say, may still be written meanwhile.)
            await self._execute("SELECT 1 FROM persons WHERE id = %s FOR NO KEY UPDATE", (person_id,))
            if task_id is not None and kind is not RecordKind.CORRECTION:
                line = await self._record(
                    _record,
                    f"SELECT {_RECORD_COLUMNS} FROM service_records "
                    "WHERE task_id = %s AND kind = %s AND person_id = %s",
                    (task_id, kind, person_id),
                )
                if line is not None:
                    return line, False
            served = kind is RecordKind.SERVICE
            if kind is RecordKind.CORRECTION:
                if corrects_id is None:
                    raise ValueError("a correction must name the line it corrects")
                original = await self.get_record(corrects_id)
                if original is None:
                    raise KeyError(f"no service record {corrects_id}")
                served = original.served
            [(total, balance)] = await self._fetchall(
                "SELECT coalesce(sum(hours) FILTER (WHERE served), 0), coalesce(sum(hours), 0) "
                "FROM service_records WHERE person_id = %s",
                (person_id,),
            )
            record = await self._record(
                _record,
                "INSERT INTO service_records (kind, person_id, counterpart_id, task_id, served_at, building, "
                "room, category, description, hours, served, total_after, balance_after, witness_id, "
                "corrects_id, reason, created_by, created_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                f"RETURNING {_RECORD_COLUMNS}",
                (
                    kind,
                    person_id,
                    counterpart_id,
                    task_id,
                    served_at,
                    building,
                    room,
                    category,
                    description,
                    hours,
                    served,
                    round(total + (hours if served else 0.0), 4),
                    round(balance + hours, 4),
                    witness_id,
                    corrects_id,
                    reason,
                    created_by,
                    at,
                ),
            )
        assert record is not None
        log.info("passbook %s: %s %+g h (record %s)", person_id, kind, hours, record.id)
        return record, True

    async def get_record(self, record_id: int) -> ServiceRecord | None:
        return await self._record(
            _record, f"SELECT {_RECORD_COLUMNS} FROM service_records WHERE id = %s", (record_id,)
        )

    async def records_of(self, person_id: int, limit: int = 10) -> list[ServiceRecord]:
        return await self._records(
            _record,
            f"SELECT {_RECORD_COLUMNS} FROM service_records WHERE person_id = %s ORDER BY id DESC LIMIT %s",
            (person_id, limit),
        )

    async def records_between(self, start: datetime, end: datetime) -> list[ServiceRecord]:
        return await self._records(
            _record,
            f"SELECT {_RECORD_COLUMNS} FROM service_records WHERE served_at >= %s AND served_at < %s "
            "ORDER BY served_at, id",
            (start, end),
        )

    async def records_for_task(self, task_id: int) -> list[ServiceRecord]:
        return await self._records(
            _record,
            f"SELECT {_RECORD_COLUMNS} FROM service_records WHERE task_id = %(task)s "
            "OR corrects_id IN (SELECT id FROM service_records WHERE task_id = %(task)s) ORDER BY id",
            {"task": task_id},
        )

    async def ledger(self, person_id: int, start: datetime, end: datetime) -> Ledger:
        found = await self._ledgers("WHERE person_id = %(person)s", start, end, {"person": person_id})
        return found[0] if found else Ledger(person_id=person_id)

    async def ledgers(self, start: datetime, end: datetime) -> list[Ledger]:
        return await self._ledgers("", start, end)

    async def _ledgers(
        self, where: str, start: datetime, end: datetime, params: dict[str, Any] | None = None
    ) -> list[Ledger]:
        return await self._records(
            _ledger,
            "SELECT person_id, "
            "       coalesce(sum(hours) FILTER (WHERE served), 0) AS total_hours, "
            "       coalesce(sum(hours) FILTER (WHERE served AND served_at >= %(start)s "
            "                                   AND served_at < %(end)s), 0) AS period_hours, "
            "       coalesce(sum(hours), 0) AS balance, "
            "       count(*) AS records "
            f"FROM service_records {where} GROUP BY person_id "
            "ORDER BY period_hours DESC, total_hours DESC, person_id",
            {"start": start, "end": end} | (params or {}),
        )

    async def balance(self, person_id: int) -> float:
        [(hours,)] = await self._fetchall(
            "SELECT coalesce(sum(hours), 0) FROM service_records WHERE person_id = %s", (person_id,)
        )
        return round(float(hours), 4)

    async def served_before(self, volunteer_id: int, person_id: int) -> bool:
        row = await self._fetchone(
            "SELECT 1 FROM service_records WHERE kind = 'service' AND person_id = %s AND counterpart_id = %s "
            "LIMIT 1",
            (volunteer_id, person_id),
        )
        return row is not None

    # -- stars and jobs -------------------------------------------------------------------

    async def award_star(self, person_id: int, year: int, stars: int, hours: float, at: datetime) -> bool:
        inserted = await self._execute(
            "INSERT INTO star_awards (person_id, year, stars, hours, reached_at) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (person_id, year, stars) DO NOTHING",
            (person_id, year, stars, hours, at),
        )
        return inserted > 0

    async def stars_between(self, start: datetime, end: datetime) -> list[StarAward]:
        return await self._records(
            lambda row: StarAward(**row),
            "SELECT person_id, year, stars, hours, reached_at FROM star_awards "
            "WHERE reached_at >= %s AND reached_at < %s ORDER BY reached_at, person_id, stars",
            (start, end),
        )

    async def mark_job_run(self, job: str, period: str, at: datetime) -> bool:
        inserted = await self._execute(
            "INSERT INTO lovebank_runs (job, period, ran_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (job, period) DO NOTHING",
            (job, period, at),
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
        given: Params = {
            "person": person_id,
            "skills": ",".join(skills),
            "availability": availability,
            "source": source,
            "at": at,
        }
        async with self.transaction():
            new = await self._execute(
                "INSERT INTO volunteers (person_id, skills, availability, source, registered_at, updated_at) "
                "VALUES (%(person)s, %(skills)s, %(availability)s, %(source)s, %(at)s, %(at)s) "
                "ON CONFLICT (person_id) DO NOTHING",
                given,
            )
            if not new:
                await self._execute(
                    "UPDATE volunteers SET skills = %(skills)s, availability = %(availability)s, "
                    "active = true, updated_at = %(at)s WHERE person_id = %(person)s",
                    given,
                )
            profile = await self.get_volunteer(person_id)
        assert profile is not None
        return profile, new > 0

    async def get_volunteer(self, person_id: int) -> VolunteerProfile | None:
        return await self._record(
            _volunteer, f"SELECT {_VOLUNTEER_COLUMNS} FROM volunteers WHERE person_id = %s", (person_id,)
        )

    async def list_volunteers(self, *, active: bool | None = True) -> list[VolunteerProfile]:
        where = "" if active is None else "WHERE active = %(active)s"
        return await self._records(
            _volunteer,
            f"SELECT {_VOLUNTEER_COLUMNS} FROM volunteers {where} ORDER BY registered_at, person_id",
            {"active": active},
        )

    async def set_volunteer_active(self, person_id: int, active: bool, at: datetime) -> bool:
        changed = await self._execute(
            "UPDATE volunteers SET active = %s, updated_at = %s WHERE person_id = %s", (active, at, person_id)
        )
        return changed > 0

    async def get_draft(self, person_id: int) -> Draft | None:
        return await self._record(
            _draft,
            "SELECT person_id, step, updated_at, data FROM registration_drafts WHERE person_id = %s",
            (person_id,),
        )

    async def save_draft(self, person_id: int, step: str, data: dict[str, str], at: datetime) -> None:
        await self._execute(
            "INSERT INTO registration_drafts (person_id, step, data, updated_at) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (person_id) DO UPDATE SET step = excluded.step, data = excluded.data, "
            "updated_at = excluded.updated_at",
            (person_id, step, json.dumps(data, ensure_ascii=False), at),
        )

    async def drop_draft(self, person_id: int) -> None:
        await self._execute("DELETE FROM registration_drafts WHERE person_id = %s", (person_id,))

    # -- care notes -------------------------------------------------------------------------

    async def add_care_note(self, person_id: int, text: str, author_id: int | None, at: datetime) -> CareNote:
        note = await self._record(
            _note,
            "INSERT INTO care_notes (person_id, author_id, text, created_at) VALUES (%s, %s, %s, %s) "
            f"RETURNING {_NOTE_COLUMNS}",
            (person_id, author_id, text, at),
        )
        assert note is not None
        return note

    async def care_notes_of(self, person_id: int, limit: int = 5) -> list[CareNote]:
        return await self._records(
            _note,
            f"SELECT {_NOTE_COLUMNS} FROM care_notes WHERE person_id = %s AND active "
            "ORDER BY id DESC LIMIT %s",
            (person_id, limit),
        )

    async def remove_care_note(self, note_id: int) -> CareNote | None:
        return await self._record(
            _note, f"UPDATE care_notes SET active = false WHERE id = %s RETURNING {_NOTE_COLUMNS}", (note_id,)
        )

    # -- people for the registry and imports ---------------------------------------------------

    async def people_named(self, name: str) -> list[Person]:
        return await self._records(
            person, f"SELECT {PERSON_COLUMNS} FROM persons WHERE name = %s ORDER BY id", (name,)
        )

    async def add_person(self, name: str, role: Role, at: datetime) -> Person:
        added = await self._record(
            person,
            f"INSERT INTO persons (name, role, created_at) VALUES (%s, %s, %s) RETURNING {PERSON_COLUMNS}",
            (name, role, at),
        )
        assert added is not None
        return added

    async def person_by_identity(self, platform: str, user_id: str) -> Person | None:
        return await self._record(
            person,
            f"SELECT {PERSON_COLUMNS} FROM persons WHERE id = "
            "(SELECT person_id FROM identities WHERE platform = %s AND user_id = %s)",
            (platform, user_id),
        )

    async def attach_identity(self, person_id: int, platform: str, user_id: str, display_name: str) -> None:
        await self._execute(
            "INSERT INTO identities (platform, user_id, person_id, display_name) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (platform, user_id) DO UPDATE SET person_id = excluded.person_id",
            (platform, user_id, person_id, display_name),
        )


def _record(row: dict[str, Any]) -> ServiceRecord:
    return ServiceRecord(**(row | {"kind": RecordKind(row["kind"])}))


def _ledger(row: dict[str, Any]) -> Ledger:
    sums = {key: round(float(row[key]), 4) for key in ("total_hours", "period_hours", "balance")}
    return Ledger(**(row | sums))


def _volunteer(row: dict[str, Any]) -> VolunteerProfile:
    return VolunteerProfile(**(row | {"skills": tuple(s for s in row["skills"].split(",") if s)}))


def _draft(row: dict[str, Any]) -> Draft:
    data = json.loads(row["data"])
    return Draft(**(row | {"data": {str(k): str(v) for k, v in data.items()}}))


def _note(row: dict[str, Any]) -> CareNote:
    return CareNote(**row)
