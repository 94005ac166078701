"""Reads config.toml into typed settings; a bad file names the key and the problem."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.context import DEFAULT_CATEGORY_HOURS, Settings, StaffMember
from handlers.texts import LANGUAGES

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
    }
    for key in data:
        if key not in known:
            raise ConfigError(key, f"unknown section; expected one of {', '.join(sorted(known))}")
    community = _table(data, "community")
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
    url = _string(storage, "url", "storage", "sqlite:///data/linli.db") or ""
    if not url.startswith(("sqlite://", "postgresql://")):
        raise ConfigError("storage.url", f"{url!r} must start with sqlite:// (e.g. sqlite:///data/linli.db)")
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
    )
    return Config(
        settings=settings,
        storage_url=url,
        groups=groups,
        console=console,
        telegram=telegram,
        wechat=wechat,
        scheduler=_table(data, "scheduler"),
        raw=data,
    )


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
    try:
        if name == "telegram":
            from bot.platforms.telegram import telegram_config

            return telegram_config(section)
        from bot.platforms.wechat import wechat_config

        return wechat_config(section)
    except ConfigError:
        raise
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
        if key not in ("statement_day", "priority_min_hours"):
            raise ConfigError(f"lovebank.{key}", "unknown key; use statement_day, priority_min_hours")
    day = lovebank.get("statement_day", 1)
    if not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 28:
        raise ConfigError("lovebank.statement_day", "must be a day of the month from 1 to 28")
    minimum = lovebank.get("priority_min_hours", 0.5)
    if not isinstance(minimum, int | float) or isinstance(minimum, bool) or minimum < 0:
        raise ConfigError("lovebank.priority_min_hours", "must be a number of hours, 0 or more")
    return {
        "star_thresholds": tuple(float(v) for v in thresholds),
        "statement_day": day,
        "priority_min_hours": float(minimum),
    }
