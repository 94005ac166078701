"""Check-in records (elders living alone, their daily greetings and ladders): frozen values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum


class CheckinState(StrEnum):
    """Where one day's check-in stands: waiting for a sign of life, climbing the ladder, or over."""

    WAITING = "waiting"
    ESCALATING = "escalating"
    ANSWERED = "answered"
    CLOSED = "closed"


OPEN_CHECKIN_STATES = (CheckinState.WAITING, CheckinState.ESCALATING)


class LadderStep(StrEnum):
    """The rungs of the ladder, in order; each is recorded once with its time."""

    GREETED = "greeted"
    REMINDED = "reminded"
    VOLUNTEERS = "volunteers"
    STAFF = "staff"
    CONTACT = "contact"


LADDER: tuple[LadderStep, ...] = tuple(LadderStep)
"""The order the ladder is climbed in."""


class Outcome(StrEnum):
    """How a day's check-in ended."""

    ANSWERED = "answered"
    LATE = "late"
    SAFE = "safe"
    REACHED = "reached"
    HOSPITAL = "hospital"
    AWAY = "away"


class Wellbeing(StrEnum):
    """A simple mark from the words of an answer: 好 / 一般 / 不好."""

    GOOD = "good"
    FAIR = "fair"
    BAD = "bad"


WELLBEING_SCORE: dict[Wellbeing, int] = {Wellbeing.GOOD: 2, Wellbeing.FAIR: 1, Wellbeing.BAD: 0}


@dataclass(frozen=True, slots=True)
class ElderSpec:
    """What staff (or a CSV import) give to register or update an elder; None leaves a field as it is."""

    person_id: int
    building: str | None = None
    room: str | None = None
    checkin_time: time | None = None
    window_minutes: int | None = None
    language: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_person_id: int | None = None
    notes: str | None = None
    volunteer_ids: tuple[int, ...] | None = None
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class Elder:
    """A registered elder: where they live, when they are greeted, who looks in on them."""

    id: int
    person_id: int
    name: str
    checkin_time: time
    window_minutes: int
    building: str | None = None
    room: str | None = None
    language: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_person_id: int | None = None
    notes: str | None = None
    active: bool = True
    away_until: datetime | None = None
    next_due_at: datetime | None = None
    volunteer_ids: tuple[int, ...] = ()
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class DueGreeting:
    """An elder whose greeting is due, with what is needed to greet them (read in bulk)."""

    elder_id: int
    person_id: int
    name: str
    due_at: datetime
    checkin_time: time
    window_minutes: int
    language: str | None
    away_until: datetime | None
    platform: str | None
    user_id: str | None


@dataclass(frozen=True, slots=True)
class NewCheckin:
    """One greeting to record: the check-in row and the elder's next due time, written together."""

    elder_id: int
    day: date
    due_at: datetime
    greeted_at: datetime
    window_end: datetime
    next_step_at: datetime
    next_due_at: datetime


@dataclass(frozen=True, slots=True)
class Checkin:
    """One elder's check-in on one local day."""

    id: int
    elder_id: int
    day: date
    due_at: datetime
    greeted_at: datetime
    window_end: datetime
    state: CheckinState
    step: LadderStep
    next_step_at: datetime | None = None
    answered_at: datetime | None = None
    answered_in_window: bool = False
    wellbeing: Wellbeing | None = None
    answer_text: str | None = None
    outcome: Outcome | None = None
    closed_by: int | None = None
    closed_at: datetime | None = None
    task_id: int | None = None

    @property
    def open(self) -> bool:
        return self.state in OPEN_CHECKIN_STATES


@dataclass(frozen=True, slots=True)
class LadderEntry:
    """A ladder step as it happened: when, and how many people it reached."""

    checkin_id: int
    step: LadderStep
    at: datetime
    reached: int = 0
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TaskCount:
    """A count of tasks (or task events) for one building; building None is 'not bound to one'."""

    building: str | None
    key: str
    count: int


@dataclass(frozen=True, slots=True)
class CheckinCount:
    """A count of check-ins for one day and building: answered, away, or missed:<how it ended>."""

    day: date
    building: str | None
    key: str
    count: int


@dataclass(frozen=True, slots=True)
class VolunteerHours:
    """Hours a volunteer served in a period (from confirmed tasks)."""

    person_id: int
    name: str
    hours: float
    tasks: int
    building: str | None = None
