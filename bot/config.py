"""Reads config.toml into typed settings; a bad file names the key and the problem."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import time
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.common.context import (
    DEFAULT_CATEGORY_HOURS,
    CheckinSettings,
    DigestSettings,
    ReminderSettings,
    Settings,
    StaffMember,
)
from handlers.common.texts import LANGUAGES
from storage.models import ChatRef

PLATFORM_KEYS = ("console", "telegram", "wechat")


class ConfigError(Exception):
    """The config file is unusable; the message names the key and what is wrong."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"config error at {key}: {problem}")
        self.key = key
        self.problem = problem


@dataclass(frozen=True)
class GroupBinding:
    """A group bound to a building in the config file."""

    platform: str
    chat: str
    building: str
    title: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class ConsoleConfig:
    """The console platform: stdin/stdout, optionally a transcript file that makes sends exactly-once."""

    enabled: bool = False
    transcript: str | None = None
    jsonl: bool = False


@dataclass(frozen=True)
class Config:
    """Everything `linli run` needs."""

    settings: Settings
    storage_url: str
    groups: tuple[GroupBinding, ...] = ()
    console: ConsoleConfig = field(default_factory=ConsoleConfig)
    telegram: Any = None
    wechat: Any = None
    scheduler: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


def load_config(path: str | Path) -> Config:
    """Reads and validates a TOML config file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), "file not found (copy config.example.toml to start)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"not valid TOML: {exc}") from None
    return parse_config(data, base_dir=file.resolve().parent)


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(key, "must be a table like [" + key + "]")
    return value


def _string(table: dict[str, Any], key: str, where: str, default: str | None = None) -> str | None:
    value = table.get(key, default)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ConfigError(f"{where}.{key}", f"must be a string, got {type(value).__name__}")
    return value


def parse_config(data: dict[str, Any], base_dir: Path | None = None) -> Config:
    """Validates parsed TOML; relative sqlite paths are taken from the config file's folder."""
    known = {
        "community",
        "storage",
        "staff",
        "groups",
        "console",
        "telegram",
        "wechat",
        "hours",
        "scheduler",
        "checkin",
        "digest",
        "reminders",
        "lovebank",
        "stars",
        "incidents",
    }
    for key in data:
        if key not in known:
            raise ConfigError(key, f"unknown section; expected one of {', '.join(sorted(known))}")
    community = _table(data, "community")
    _known_keys(community, "community", ("name", "timezone", "language"))
    name = _string(community, "name", "community", "邻里社区") or "邻里社区"
    timezone = _string(community, "timezone", "community", "Asia/Shanghai") or "Asia/Shanghai"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            "community.timezone", f"unknown timezone {timezone!r} (e.g. Asia/Shanghai)"
        ) from None
    language = _string(community, "language", "community", "zh-Hans") or "zh-Hans"
    if language not in LANGUAGES:
        raise ConfigError("community.language", f"{language!r} is not one of {', '.join(LANGUAGES)}")

    storage = _table(data, "storage")
    _known_keys(storage, "storage", ("url",))
    url = _string(storage, "url", "storage", "sqlite:///data/linli.db") or ""
    if url.startswith(("postgresql://", "postgres://")):
        _check_postgres_url(url)
    elif not url.startswith("sqlite://"):
        raise ConfigError(
            "storage.url",
            f"{url!r} must start with sqlite:// (e.g. sqlite:///data/linli.db) "
            "or postgresql:// (e.g. postgresql://linli:secret@localhost:5432/linli)",
        )
    if url.startswith("sqlite:///") and base_dir is not None:
        path = url[len("sqlite:///") :]
        if path and path != ":memory:" and not path.startswith("/"):
            url = "sqlite:///" + str(base_dir / path)

    staff = tuple(_staff(entry, i) for i, entry in enumerate(_array(data, "staff")))
    groups = tuple(_group(entry, i) for i, entry in enumerate(_array(data, "groups")))

    hours = dict(DEFAULT_CATEGORY_HOURS)
    for category, value in _table(data, "hours").items():
        if category not in DEFAULT_CATEGORY_HOURS:
            raise ConfigError(
                f"hours.{category}", f"unknown category; known: {', '.join(DEFAULT_CATEGORY_HOURS)}"
            )
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 24:
            raise ConfigError(f"hours.{category}", "must be a number of hours between 0 and 24")
        hours[category] = float(value)

    console_table = _table(data, "console")
    _known_keys(console_table, "console", ("enabled", "transcript", "jsonl"))
    console = ConsoleConfig(
        enabled=bool(console_table.get("enabled", False)),
        transcript=_string(console_table, "transcript", "console"),
        jsonl=bool(console_table.get("jsonl", False)),
    )
    telegram = _platform_section(data, "telegram", "token")
    wechat = _platform_section(data, "wechat", "endpoint")
    settings = Settings(
        community=name,
        timezone=timezone,
        language=language,
        staff=staff,
        category_hours=hours,
        **_lovebank_settings(data),
        **_care_settings(data, base_dir),
        incident_ack_minutes=_incident_ack_minutes(data),
    )
    return Config(
        settings=settings,
        storage_url=url,
        groups=groups,
        console=console,
        telegram=telegram,
        wechat=wechat,
        scheduler=_scheduler_table(data),
        raw=data,
    )


def _check_postgres_url(url: str) -> None:
    """Refuses a PostgreSQL URL libpq could not read (the message never repeats its password)."""
    from psycopg import ProgrammingError  # loaded only for a PostgreSQL URL
    from psycopg.conninfo import conninfo_to_dict

    try:
        conninfo_to_dict(url)
    except ProgrammingError as exc:
        raise ConfigError("storage.url", f"not a PostgreSQL URL libpq can read: {exc}") from None


def _known_keys(table: dict[str, Any], where: str, keys: tuple[str, ...]) -> None:
    """Refuses a key the section does not have (a typo would otherwise be ignored silently)."""
    for key in table:
        if key not in keys:
            raise ConfigError(f"{where}.{key}", f"unknown key; use {', '.join(keys)}")


_ID_SHAPES = {
    "telegram": (
        re.compile(r"^[1-9]\d{0,19}$"),
        "a numeric user id such as 123456789, not @username",
    ),
    "wechat": (re.compile(r"^[^\s@]\S{0,127}$"), "a WeChat contact id such as wxid_abc123, not a nickname"),
    "console": (re.compile(r"^\S.{0,63}$"), "the console name"),
}


def check_runnable(config: Config) -> None:
    """Refuses to run a community nobody looks after: emergencies would alert no one."""
    if not config.settings.staff:
        raise ConfigError("staff", "no staff configured: add [[staff]] with a name and a platform id")


def _array(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(key, f"must be a list of tables written [[{key}]]")
    return value


def _staff(entry: dict[str, Any], index: int) -> StaffMember:
    where = f"staff[{index}]"
    name = _string(entry, "name", where)
    if not name:
        raise ConfigError(f"{where}.name", "every staff member needs a name")
    identities = []
    for platform in PLATFORM_KEYS:
        user_id = _string(entry, platform, where)
        if user_id:
            shape, wanted = _ID_SHAPES[platform]
            if not shape.match(user_id) or any(ch > "\u2e7f" for ch in user_id if platform != "console"):
                raise ConfigError(f"{where}.{platform}", f"{user_id!r} is not an account id; use {wanted}")
            identities.append((platform, user_id))
    for key in entry:
        if key not in ("name", *PLATFORM_KEYS):
            raise ConfigError(f"{where}.{key}", "unknown key; use name, console, telegram, wechat")
    if not identities:
        raise ConfigError(where, f"staff member {name!r} needs at least one of console, telegram, wechat ids")
    return StaffMember(name=name, identities=tuple(identities))


def _group(entry: dict[str, Any], index: int) -> GroupBinding:
    where = f"groups[{index}]"
    platform = _string(entry, "platform", where)
    chat = _string(entry, "chat", where)
    building = _string(entry, "building", where)
    if platform not in PLATFORM_KEYS:
        raise ConfigError(f"{where}.platform", f"must be one of {', '.join(PLATFORM_KEYS)}")
    if not chat:
        raise ConfigError(f"{where}.chat", "the group's chat id (or console group name) is required")
    if not building:
        raise ConfigError(f"{where}.building", "the building this group belongs to, e.g. 3号楼")
    language = _string(entry, "language", where)
    if language is not None and language not in LANGUAGES:
        raise ConfigError(f"{where}.language", f"{language!r} is not one of {', '.join(LANGUAGES)}")
    return GroupBinding(platform, chat, building, _string(entry, "title", where), language)


def _platform_section(data: dict[str, Any], name: str, required: str) -> Any:
    """Validates a platform's section with its adapter's own parser; an empty section means 'off'."""
    section = _table(data, name)
    if not section or not section.get(required):
        return None
    # Here, not at the top: an adapter loads its platform's SDK, which a config without it never needs.
    try:
        if name == "telegram":
            from bot.platforms.telegram import telegram_config

            return telegram_config(section)
        from bot.platforms.wechat import wechat_config

        return wechat_config(section)
    except ValueError as exc:
        key, _, problem = str(exc).partition(": ")
        raise ConfigError(key or name, problem or str(exc)) from None


def _lovebank_settings(data: dict[str, Any]) -> dict[str, Any]:
    """[stars] thresholds and [lovebank] statement_day, priority_min_hours (爱心银行)."""
    stars = _table(data, "stars")
    for key in stars:
        if key != "thresholds":
            raise ConfigError(f"stars.{key}", "unknown key; use thresholds = [10, 25]")
    thresholds = stars.get("thresholds", [10, 25])
    if (
        not isinstance(thresholds, list)
        or not thresholds
        or not all(isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in thresholds)
    ):
        raise ConfigError("stars.thresholds", "must list yearly hours per star, e.g. [10, 25]")
    if any(later <= earlier for earlier, later in pairwise(thresholds)):
        raise ConfigError("stars.thresholds", "each star needs more hours than the one before")
    lovebank = _table(data, "lovebank")
    for key in lovebank:
        if key not in ("statement_day", "priority_min_hours", "hours_cap"):
            raise ConfigError(
                f"lovebank.{key}", "unknown key; use statement_day, priority_min_hours, hours_cap"
            )
    day = lovebank.get("statement_day", 1)
    if not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 28:
        raise ConfigError("lovebank.statement_day", "must be a day of the month from 1 to 28")
    minimum = lovebank.get("priority_min_hours", 0.5)
    if not isinstance(minimum, int | float) or isinstance(minimum, bool) or minimum < 0:
        raise ConfigError("lovebank.priority_min_hours", "must be a number of hours, 0 or more")
    cap = lovebank.get("hours_cap", 12)
    if not isinstance(cap, int | float) or isinstance(cap, bool) or not 0 < cap <= 24:
        raise ConfigError("lovebank.hours_cap", "must be the most hours one task may credit, from 0 to 24")
    return {
        "star_thresholds": tuple(float(v) for v in thresholds),
        "statement_day": day,
        "priority_min_hours": float(minimum),
        "hours_cap": float(cap),
    }


def _incident_ack_minutes(data: dict[str, Any]) -> int:
    """[incidents] ack_minutes: how long an emergency waits for someone to say they are going."""
    incidents = _table(data, "incidents")
    for key in incidents:
        if key != "ack_minutes":
            raise ConfigError(f"incidents.{key}", "unknown key; use ack_minutes")
    minutes = incidents.get("ack_minutes", 5)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 60:
        raise ConfigError("incidents.ack_minutes", "must be whole minutes from 1 to 60")
    return minutes


# -- check-ins, reminders, digest, scheduler (issue #6) ---------------------------------------------------

_CHECKIN_KEYS = {
    "window_minutes": (10, 24 * 60),
    "remind_after_minutes": (0, 24 * 60),
    "volunteers_after_minutes": (0, 24 * 60),
    "staff_after_minutes": (0, 24 * 60),
    "contact_after_minutes": (0, 24 * 60),
    "away_default_days": (1, 120),
    "batch": (1, 10_000),
}
_REMINDER_KEYS = {
    "urgent_after_minutes": (1, 24 * 60),
    "normal_after_minutes": (1, 7 * 24 * 60),
    "repeat_after_minutes": (10, 30 * 24 * 60),
    "nudge_after_minutes": (0, 7 * 24 * 60),
    "unconfirmed_after_hours": (1, 30 * 24),
    "group_daily_cap": (0, 100),
}
_DIGEST_KEYS = {"top_volunteers": (1, 50), "open_listed": (0, 50), "chart_days": (2, 90)}
_SCHEDULER_KEYS = {
    "tick_seconds": (1, 3600),
    "reminder_seconds": (5, 3600),
    "batch": (1, 10_000),
    "backlog": (1, 10_000),
}


def _whole(table: dict[str, Any], key: str, where: str, bounds: tuple[int, int]) -> int:
    value = table[key]
    low, high = bounds
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"{where}.{key}", f"must be a whole number from {low} to {high}")
    return value


def _clock(table: dict[str, Any], key: str, where: str) -> time:
    value = table[key]
    try:
        hour, minute = (int(part) for part in str(value).split(":"))
        return time(hour, minute)
    except ValueError:
        raise ConfigError(f"{where}.{key}", f'{value!r} is not a time of day like "09:00"') from None


def _numbers(
    table: dict[str, Any], where: str, keys: dict[str, tuple[int, int]], extra: tuple[str, ...]
) -> dict[str, Any]:
    for key in table:
        if key not in keys and key not in extra:
            raise ConfigError(f"{where}.{key}", f"unknown key; use {', '.join([*extra, *keys])}")
    return {key: _whole(table, key, where, bounds) for key, bounds in keys.items() if key in table}


def _care_settings(data: dict[str, Any], base_dir: Path | None) -> dict[str, Any]:
    """[checkin], [reminders] and [digest]: greeting times and ladder delays, reminder delays, the digest."""
    checkin_table = _table(data, "checkin")
    checkin = CheckinSettings(**_numbers(checkin_table, "checkin", _CHECKIN_KEYS, ("time",)))
    if "time" in checkin_table:
        checkin = replace(checkin, default_time=_clock(checkin_table, "time", "checkin"))
    reminder_table = _table(data, "reminders")
    reminders = ReminderSettings(**_numbers(reminder_table, "reminders", _REMINDER_KEYS, ("quiet_hours",)))
    if "quiet_hours" in reminder_table:
        start, sep, end = str(reminder_table["quiet_hours"]).partition("-")
        if not sep:
            raise ConfigError(
                "reminders.quiet_hours", 'must look like "21:30-07:30" (or "00:00-00:00" for none)'
            )
        span = {"start": start.strip(), "end": end.strip()}
        reminders = replace(
            reminders,
            quiet_start=_clock(span, "start", "reminders.quiet_hours"),
            quiet_end=_clock(span, "end", "reminders.quiet_hours"),
        )
    digest_table = _table(data, "digest")
    digest = DigestSettings(
        **_numbers(digest_table, "digest", _DIGEST_KEYS, ("time", "chat", "chart", "chart_dir"))
    )
    if "time" in digest_table:
        digest = replace(digest, send_at=_clock(digest_table, "time", "digest"))
    chat = _string(digest_table, "chat", "digest")
    if chat:
        platform, sep, chat_id = chat.partition(":")
        if not sep or platform not in PLATFORM_KEYS or not chat_id:
            raise ConfigError(
                "digest.chat", 'a staff group as "platform:chat id", e.g. "telegram:-1001234567890"'
            )
        digest = replace(digest, chat=ChatRef(platform, chat_id))
    if "chart" in digest_table:
        if not isinstance(digest_table["chart"], bool):
            raise ConfigError("digest.chart", "must be true or false")
        digest = replace(digest, chart=digest_table["chart"])
    chart_dir = _string(digest_table, "chart_dir", "digest")
    if chart_dir:
        folder = Path(chart_dir)
        if not folder.is_absolute() and base_dir is not None:
            folder = base_dir / folder
        digest = replace(digest, chart_dir=str(folder))
    return {"checkin": checkin, "reminders": reminders, "digest": digest}


def _scheduler_table(data: dict[str, Any]) -> dict[str, Any]:
    """[scheduler]: enabled, tick_seconds, reminder_seconds, batch, backlog (see bot/scheduler.py)."""
    table = _table(data, "scheduler")
    values = _numbers(table, "scheduler", _SCHEDULER_KEYS, ("enabled",))
    if "enabled" in table:
        if not isinstance(table["enabled"], bool):
            raise ConfigError("scheduler.enabled", "must be true or false")
        values["enabled"] = table["enabled"]
    return values
