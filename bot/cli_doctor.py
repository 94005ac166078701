"""`linli doctor`: checks a deployment before (or while) it runs and says what is wrong.

Config (a load error names its key), storage (opens, schema version, writable), each configured
platform's reachability (Telegram getMe, the WeChat endpoint's port), and the staff's accounts.
Nothing is changed: the database is read, not migrated. Exit status 1 when anything is wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bot.config import Config, ConfigError, load_config
from storage.backup import check_not_newer
from storage.base import StorageError
from storage.postgres.core import migrations as postgres_migrations
from storage.postgres.core import shown
from storage.sqlite import sqlite_path
from storage.sqlite_core import migrations as sqlite_migrations
from storage.tables import postgres_version, sqlite_version

TIMEOUT_SECONDS = 5.0
"""How long a platform may take to answer before it counts as unreachable."""


@dataclass(frozen=True)
class Finding:
    """One check's verdict, printed as ``ok    storage: …`` or ``FAIL  storage: …``."""

    ok: bool
    what: str
    detail: str

    def __str__(self) -> str:
        verdict = "ok  " if self.ok else "FAIL"
        return f"{verdict}  {self.what}: {self.detail}"


def add_doctor_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``linli doctor`` to the command line."""
    doctor = commands.add_parser(
        "doctor", help="check config, storage, platforms and staff; say what is wrong"
    )
    doctor.add_argument("--config", default="config.toml", help="path to config.toml (default: %(default)s)")
    doctor.set_defaults(func=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    """Prints one line per check; 1 when any failed."""
    try:
        config = load_config(args.config)
    except (ConfigError, OSError) as exc:
        print(Finding(False, "config", f"{args.config}: {exc}"))
        return 1
    findings = [Finding(True, "config", f"{args.config} loads")]
    findings.append(check_storage(config.storage_url))
    findings += asyncio.run(check_platforms(config))
    findings += check_staff(config)
    for finding in findings:
        print(finding)
    return 0 if all(f.ok for f in findings) else 1


# -- storage ------------------------------------------------------------------


def check_storage(url: str) -> Finding:
    """Reads the schema version without migrating; checks the bot could write."""
    path = sqlite_path(url)
    try:
        return _check_sqlite(path) if path is not None else _check_postgres(url)
    except (StorageError, sqlite3.Error, psycopg.Error) as exc:
        return Finding(False, "storage", str(exc).strip())


def _version_note(version: int, latest: int, name: str) -> str:
    check_not_newer(version, latest, name)
    if version < latest:
        return f"{name} at schema version {version}; the next start migrates it to {latest}"
    return f"{name} at schema version {version} (current)"


def _check_sqlite(path: str) -> Finding:
    latest = sqlite_migrations()[-1][0]
    if path == ":memory:":
        return Finding(True, "storage", "in memory: nothing is kept after the bot stops")
    file = Path(path)
    if not file.exists():
        folder = next(parent for parent in file.parents if parent.exists())
        if not os.access(folder, os.W_OK):
            return Finding(False, "storage", f"{path} does not exist and {folder} is not writable")
        return Finding(True, "storage", f"{path} does not exist yet; the first start creates it")
    with contextlib.closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        note = _version_note(sqlite_version(conn), latest, path)
    if not (os.access(file, os.W_OK) and os.access(file.parent, os.W_OK)):
        return Finding(False, "storage", f"{path} or its folder is not writable by this user")
    return Finding(True, "storage", note)


def _check_postgres(url: str) -> Finding:
    latest = postgres_migrations()[-1][0]
    with psycopg.connect(url, connect_timeout=int(TIMEOUT_SECONDS)) as conn:
        note = _version_note(postgres_version(conn), latest, shown(url))
        row = conn.execute("SELECT current_setting('transaction_read_only') = 'on'").fetchone()
        if row and row[0]:
            return Finding(False, "storage", f"{shown(url)} is read-only (a standby?)")
        row = conn.execute(
            "SELECT to_regclass('outbox') IS NULL OR has_table_privilege('outbox', 'INSERT, UPDATE, DELETE')"
        ).fetchone()
        if not row or not row[0]:
            return Finding(False, "storage", f"{shown(url)}: this user may not write the tables")
    return Finding(True, "storage", note)


# -- platforms ----------------------------------------------------------------------


async def check_platforms(config: Config) -> list[Finding]:
    """Each configured platform, checked at once."""
    checks = []
    if config.console.enabled:
        checks.append(_console())
    if config.telegram is not None:
        checks.append(_telegram(config.telegram))
    if config.wechat is not None:
        checks.append(_wechat(config.wechat.endpoint))
    if not checks:
        return [
            Finding(
                False, "platforms", "none configured: set [telegram] token, [wechat] endpoint, or [console]"
            )
        ]
    return list(await asyncio.gather(*checks))


async def _console() -> Finding:
    return Finding(True, "console", "on (reads standard input)")


async def _telegram(section: object) -> Finding:
    """Asks the Bot API who the bot is (getMe): the token works and the server answers."""
    from telegram import Bot  # loads the SDK only when Telegram is configured
    from telegram.error import InvalidToken, TelegramError

    token, base_url = getattr(section, "token", ""), getattr(section, "base_url", None)
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            async with Bot(token, base_url=base_url or "https://api.telegram.org/bot") as bot:
                me = bot.bot
    except InvalidToken:
        return Finding(False, "telegram", "the Bot API refused the token (telegram.token)")
    except (TelegramError, TimeoutError, OSError) as exc:
        return Finding(False, "telegram", f"cannot reach the Bot API: {exc or type(exc).__name__}")
    return Finding(True, "telegram", f"connected as @{me.username} ({me.id})")


async def _wechat(endpoint: str) -> Finding:
    """Opens a TCP connection to the puppet service (its protocol needs its SDK; a port that
    answers is what the bot needs first)."""
    host, _, port = endpoint.rpartition(":")
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            _, writer = await asyncio.open_connection(host.strip("[]"), int(port))
    except (TimeoutError, OSError) as exc:
        return Finding(
            False, "wechat", f"nothing answers at {endpoint} (wechat.endpoint): {exc or 'timed out'}"
        )
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return Finding(True, "wechat", f"{endpoint} answers")


# -- staff ---------------------------------------------------------------------------


def check_staff(config: Config) -> list[Finding]:
    """Someone must get the emergency alerts: every staff member needs an account on a platform
    that is on (the shape of each id was checked when the config loaded)."""
    staff = config.settings.staff
    if not staff:
        return [Finding(False, "staff", "none configured: add [[staff]] with a name and a platform id")]
    enabled = {
        name
        for name, on in (
            ("console", config.console.enabled),
            ("telegram", config.telegram is not None),
            ("wechat", config.wechat is not None),
        )
        if on
    }
    findings = []
    for member in staff:
        reachable = [
            f"{platform} {user_id}" for platform, user_id in member.identities if platform in enabled
        ]
        if reachable:
            findings.append(Finding(True, "staff", f"{member.name}: {', '.join(reachable)}"))
        else:
            platforms = ", ".join(platform for platform, _ in member.identities)
            findings.append(
                Finding(False, "staff", f"{member.name} has ids only on {platforms}, which is not configured")
            )
    return findings
