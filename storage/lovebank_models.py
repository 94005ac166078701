"""Love-bank and registry records: frozen values the repository returns, never live rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class RecordKind(StrEnum):
    """What a passbook line is: hours served, a staff correction, or banked hours used."""

    SERVICE = "service"
    CORRECTION = "correction"
    WITHDRAWAL = "withdrawal"


@dataclass(frozen=True, slots=True)
class ServiceRecord:
    """One line of a passbook (爱心存折); append-only.

    ``person_id`` holds the passbook.  For a service, ``counterpart_id`` is the
    person served; for a withdrawal it is the volunteer who helped.  ``hours`` is
    signed; ``served`` says whether it counts as hours of service (stars, totals).
    ``total_after`` and ``balance_after`` are the holder's running totals.
    """

    id: int
    kind: RecordKind
    person_id: int
    hours: float
    served_at: datetime
    served: bool
    total_after: float
    balance_after: float
    created_at: datetime
    counterpart_id: int | None = None
    task_id: int | None = None
    building: str | None = None
    room: str | None = None
    category: str | None = None
    description: str = ""
    witness_id: int | None = None
    corrects_id: int | None = None
    reason: str | None = None
    created_by: int | None = None


@dataclass(frozen=True, slots=True)
class Ledger:
    """A holder's sums: hours served ever and in a period, and what is left to draw on."""

    person_id: int
    total_hours: float = 0.0
    period_hours: float = 0.0
    balance: float = 0.0
    records: int = 0


@dataclass(frozen=True, slots=True)
class StarAward:
    """A volunteer reached ``stars`` stars in calendar ``year`` at ``reached_at``."""

    person_id: int
    year: int
    stars: int
    hours: float
    reached_at: datetime


@dataclass(frozen=True, slots=True)
class VolunteerProfile:
    """A volunteer's registration: one per person; name and building live on the person."""

    person_id: int
    skills: tuple[str, ...]
    availability: str | None
    active: bool
    source: str
    registered_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Draft:
    """A registration conversation in progress: the step it waits at and what was said so far."""

    person_id: int
    step: str
    updated_at: datetime
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CareNote:
    """A short note on a person for the next volunteer (耳背,敲门要用力)."""

    id: int
    person_id: int
    text: str
    created_at: datetime
    author_id: int | None = None
