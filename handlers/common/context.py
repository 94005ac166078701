"""What every handler is given: the repository, the clock and the community's settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

from storage.base import Repository
from storage.models import ChatRef

DEFAULT_CATEGORY_HOURS: dict[str, float] = {
    "shopping": 1.0,
    "medicine": 1.0,
    "meals": 1.0,
    "medical_escort": 3.0,
    "health": 0.5,
    "repair": 1.0,
    "cleaning": 2.0,
    "companionship": 1.0,
    "childcare": 2.0,
    "tutoring": 1.0,
    "haircut": 0.5,
    "tech_help": 0.5,
    "errands": 0.5,
    "legal": 1.0,
    "other": 1.0,
}


class Clock(Protocol):
    """Tells the time; handlers never call ``datetime.now()`` themselves."""

    def now(self) -> datetime:
        """Returns the current moment, timezone-aware."""
        ...


class SystemClock:
    """The real clock in the community's timezone."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(self.tz)


class FakeClock:
    """A clock that moves only when told to: for tests and the scripted demo."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Moves the clock forward and returns the new time."""
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> None:
        """Jumps to ``moment``."""
        self._now = moment


@dataclass(frozen=True, slots=True)
class CheckinSettings:
    """When elders are greeted and how fast the ladder climbs when nobody answers (delays in minutes)."""

    default_time: time = time(9, 0)
    window_minutes: int = 120
    remind_after_minutes: int = 0  # after the answer window closes
    volunteers_after_minutes: int = 30  # after the reminder
    staff_after_minutes: int = 30  # after the volunteers were asked
    contact_after_minutes: int = 30  # after staff were told
    away_default_days: int = 3
    batch: int = 200  # greetings recorded per transaction, so group replies never wait long


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """When unclaimed, overdue and unconfirmed tasks are brought up again, and how quiet the bot stays."""

    urgent_after_minutes: int = 15
    normal_after_minutes: int = 240
    repeat_after_minutes: int = 1440  # later re-announcements: daily at most
    nudge_after_minutes: int = 30  # a claimed task this long past its window nudges its volunteer
    unconfirmed_after_hours: int = 48  # done but not confirmed: listed in the digest
    group_daily_cap: int = 3  # reminders posted in one group per day
    quiet_start: time = time(21, 30)  # no group reminders at night
    quiet_end: time = time(7, 30)


@dataclass(frozen=True, slots=True)
class DigestSettings:
    """The staff's morning digest: when, where (a staff group, else each staff member privately), what."""

    send_at: time = time(8, 0)
    chat: ChatRef | None = None
    chart: bool = True
    chart_dir: str | None = None  # where the PNG is written; None: a temporary folder
    top_volunteers: int = 5
    open_listed: int = 5
    chart_days: int = 14


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A staff member from the config, with their platform accounts."""

    name: str
    identities: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Settings:
    """The community's settings, read once from the config file."""

    community: str = "邻里社区"
    timezone: str = "Asia/Shanghai"
    language: str = "zh-Hans"
    staff: tuple[StaffMember, ...] = ()
    category_hours: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CATEGORY_HOURS))
    checkin: CheckinSettings = field(default_factory=CheckinSettings)
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    suggest_volunteers: int = 2
    star_thresholds: tuple[float, ...] = (10.0, 25.0)  # yearly hours for 1, 2, … stars (爱心银行)
    statement_day: int = 1  # day of the month the monthly passbook statements go out
    priority_min_hours: float = 0.5  # banked hours that give a volunteer's own requests priority
    incident_ack_minutes: int = 5  # an emergency nobody acknowledged calls the next people up after this
    hours_cap: float = 12.0  # the most hours one task credits on a 确认; above it, staff record them

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.timezone)

    def hours_for(self, category: str | None) -> float:
        """Returns the default duration credited for a category."""
        return self.category_hours.get(category or "other", self.category_hours.get("other", 1.0))


@dataclass(slots=True)
class Ctx:
    """Handed to every handler by the dispatcher, like aiogram's middleware data."""

    repo: Repository
    clock: Clock
    settings: Settings = field(default_factory=Settings)
    no_edits: frozenset[str] = frozenset()
    """Platforms whose messages cannot be edited (WeChat): every group post there is one more post,
    so what concerns one person ("already taken") goes to them privately."""

    def now(self) -> datetime:
        return self.clock.now()
