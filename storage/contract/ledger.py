"""The love bank's passbook (爱心银行): append-only lines with running totals, and star levels."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from storage.lovebank_models import Ledger, RecordKind, ServiceRecord, StarAward


class LedgerStore(Protocol):
    """Passbook lines (service, withdrawals, corrections) and the star levels they reach.

    Lines are never changed or removed: a mistake is put right by a correcting line.
    """

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
        """Appends a passbook line with the holder's running totals; True when new.

        A task gets at most one line per (kind, holder): asking again returns the
        existing line and False.  A correction counts as service exactly when the
        line it corrects does; KeyError if ``corrects_id`` is unknown.
        """
        ...

    async def get_record(self, record_id: int) -> ServiceRecord | None:
        """Returns one passbook line, or None for an unknown id."""
        ...

    async def records_of(self, person_id: int, limit: int = 10) -> list[ServiceRecord]:
        """Returns the holder's latest lines, newest first."""
        ...

    async def records_between(self, start: datetime, end: datetime) -> list[ServiceRecord]:
        """Returns every line served in [start, end), oldest first."""
        ...

    async def records_for_task(self, task_id: int) -> list[ServiceRecord]:
        """Returns the lines a task produced (service, withdrawal, corrections), oldest first."""
        ...

    async def ledger(self, person_id: int, start: datetime, end: datetime) -> Ledger:
        """Sums a holder's lines: hours served ever and in [start, end), and the balance; zeros if none."""
        ...

    async def balance(self, person_id: int) -> float:
        """A holder's banked hours now (deposits less withdrawals); 0 if none."""
        ...

    async def ledgers(self, start: datetime, end: datetime) -> list[Ledger]:
        """Returns the ledger of every holder who has any line, most hours in the period first."""
        ...

    async def served_before(self, volunteer_id: int, person_id: int) -> bool:
        """True when the volunteer has a service line for this person (a past volunteer)."""
        ...

    async def award_star(self, person_id: int, year: int, stars: int, hours: float, at: datetime) -> bool:
        """Records that a star level was reached in a year; False if it was recorded before."""
        ...

    async def stars_between(self, start: datetime, end: datetime) -> list[StarAward]:
        """Returns the star levels reached in [start, end), oldest first."""
        ...
