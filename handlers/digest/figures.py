"""What a digest says, as plain values: figures per building, ladders, flags, the chart's days.

``digest.build_digest`` fills them; ``digest.render`` writes them as text and ``chart`` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime

from storage.checkin_models import LadderStep, Outcome
from storage.models import Task


@dataclass(slots=True)
class Figures:
    """Counts for one building (or the whole community) on the digest's day."""

    new: int = 0
    claimed: int = 0
    done: int = 0
    confirmed: int = 0
    open: int = 0
    in_progress: int = 0
    overdue: int = 0
    hours: float = 0.0
    answered: int = 0
    missed: int = 0
    away: int = 0

    def add(self, other: Figures) -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def busy(self) -> bool:
        return any(
            (self.new, self.claimed, self.done, self.open, self.in_progress, self.answered, self.missed)
        )


@dataclass(frozen=True, slots=True)
class LadderLine:
    """How one missed check-in went: the steps taken and how it ended."""

    name: str
    building: str | None
    steps: tuple[tuple[LadderStep, datetime], ...]
    outcome: Outcome | None
    closer: str
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class ElderFlag:
    """An elder staff should visit before something happens: missed days or answers turning worse."""

    name: str
    building: str | None
    missed: int
    worse: bool
    marks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DayPoint:
    """One day of the chart."""

    day: date
    new: int
    done: int
    answered: int
    missed: int


@dataclass(frozen=True, slots=True)
class Volunteer:
    """A volunteer's hours over the ranking period."""

    name: str
    hours: float
    tasks: int


@dataclass(frozen=True, slots=True)
class IncidentLine:
    """One emergency of the day: where, what was said, who answered how fast, how it ended."""

    number: int
    where: str
    text: str
    reported_at: datetime
    acknowledged_at: datetime | None = None
    acknowledger: str = ""
    resolved_at: datetime | None = None
    outcome: str | None = None

    @property
    def response_minutes(self) -> int | None:
        if self.acknowledged_at is None:
            return None
        return max(0, round((self.acknowledged_at - self.reported_at).total_seconds() / 60))


@dataclass(frozen=True, slots=True)
class Digest:
    """Everything the digest says, ready to render as text, Markdown or a chart."""

    day: date
    community: str
    made_at: datetime
    total: Figures
    buildings: dict[str, Figures] = field(default_factory=dict)
    open_tasks: tuple[Task, ...] = ()
    open_more: int = 0
    unconfirmed: tuple[Task, ...] = ()
    ladders: tuple[LadderLine, ...] = ()
    outcomes: dict[str, int] = field(default_factory=dict)
    flags: tuple[ElderFlag, ...] = ()
    top: tuple[Volunteer, ...] = ()
    series: tuple[DayPoint, ...] = ()
    names: dict[int, str] = field(default_factory=dict)
    failed_messages: int = 0
    incidents: tuple[IncidentLine, ...] = ()
