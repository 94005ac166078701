"""`linli backup`, `linli restore` and `linli migrate`: the database to a file and back, and from
SQLite to PostgreSQL (docs/operations.md)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

import psycopg

from bot.config import load_config
from storage import POSTGRES_SCHEMES, connect_repository
from storage.backup import (
    backup_postgres,
    backup_sqlite,
    open_to_others,
    pg_tool,
    restore_postgres,
    restore_sqlite,
)
from storage.base import StorageError
from storage.lockfile import ProcessLock
from storage.move import copy_sqlite_to_postgres
from storage.postgres.core import shown
from storage.sqlite import sqlite_path
from storage.tables import postgres_counts, postgres_version, sqlite_counts, sqlite_version

CONFIG_HELP = "path to config.toml (default: %(default)s)"


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``linli backup``, ``linli restore`` and ``linli migrate`` to the command line."""
    backup = commands.add_parser("backup", help="copy the database to a file (safe while the bot runs)")
    backup.add_argument("--config", default="config.toml", help=CONFIG_HELP)
    backup.add_argument(
        "--to",
        help="file or folder for the backup (default: backups/ beside the config, named by date and time)",
    )
    backup.add_argument("--pg-dump", help="the pg_dump to use for PostgreSQL (default: the one on PATH)")
    backup.set_defaults(func=cmd_backup)

    restore = commands.add_parser("restore", help="put a backup back as the configured database")
    restore.add_argument("path", help="a file `linli backup` wrote")
    restore.add_argument("--config", default="config.toml", help=CONFIG_HELP)
    restore.add_argument("--force", action="store_true", help="replace a database that already holds data")
    restore.add_argument(
        "--pg-restore", help="the pg_restore to use for PostgreSQL (default: the one on PATH)"
    )
    restore.set_defaults(func=cmd_restore)

    migrate = commands.add_parser(
        "migrate", help="copy everything from SQLite into an empty PostgreSQL database"
    )
    migrate.add_argument("--from", dest="source", required=True, help="e.g. sqlite:///data/linli.db")
    migrate.add_argument(
        "--to", dest="target", required=True, help="e.g. postgresql://linli:secret@localhost/linli"
    )
    migrate.set_defaults(func=cmd_migrate)


def backup_file(to: str | None, config_path: str, suffix: str, now: datetime) -> Path:
    """Where the backup goes: ``--to`` itself, or a file named by the time in that folder (or in
    backups/ beside the config)."""
    name = f"linli-{now:%Y%m%d-%H%M%S}{suffix}"
    if to is None:
        return Path(config_path).resolve().parent / "backups" / name
    target = Path(to)
    return target / name if to.endswith("/") or target.is_dir() else target


def cmd_backup(args: argparse.Namespace) -> int:
    """Writes a backup of the configured database and says where and how many rows."""
    config = load_config(args.config)
    now = datetime.now(config.settings.tz)
    path = sqlite_path(config.storage_url)
    if path is not None:
        target = backup_file(args.to, args.config, ".db", now)
        backup_sqlite(path, target)
        with contextlib.closing(sqlite3.connect(target)) as copy:
            counts = sqlite_counts(copy)
    else:
        target = backup_file(args.to, args.config, ".pgdump", now)
        backup_postgres(config.storage_url, target, pg_tool("pg_dump", args.pg_dump))
        with psycopg.connect(config.storage_url) as conn:
            counts = postgres_counts(conn)
    print(f"backed up {sum(counts.values())} rows in {len(counts)} tables to {target}")
    if open_to_others(target.parent):
        print(
            f"warning: {target.parent} is open to other users; the backup holds personal data",
            file=sys.stderr,
        )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restores a backup over the configured database, then opens it (migrating it forward)."""
    config = load_config(args.config)
    backup = Path(args.path)
    path = sqlite_path(config.storage_url)
    if path is not None:
        restore_sqlite(backup, path, force=args.force)
    else:
        restore_postgres(backup, config.storage_url, pg_tool("pg_restore", args.pg_restore), force=args.force)
    version = opened_version(config.storage_url)
    print(f"restored {backup}; the database is at schema version {version}")
    return 0


def opened_version(url: str) -> int:
    """Opens the database as the bot would (applying newer migrations; a newer database is refused,
    its version named) and returns the version it is at."""
    asyncio.run(_open_and_close(url))
    path = sqlite_path(url)
    if path is not None:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            return sqlite_version(conn)
    with psycopg.connect(url) as pg:
        return postgres_version(pg)


async def _open_and_close(url: str) -> None:
    await (await connect_repository(url)).close()


def cmd_migrate(args: argparse.Namespace) -> int:
    """Copies a SQLite database into an empty PostgreSQL one and prints what each side holds."""
    path = sqlite_path(args.source)
    if path is None or path == ":memory:":
        raise StorageError(f"--from {args.source!r} must name a SQLite file, e.g. sqlite:///data/linli.db")
    if args.target.partition("://")[0] not in POSTGRES_SCHEMES:
        raise StorageError(f"--to must be a postgresql:// URL, not {shown(args.target)!r}")
    if not Path(path).is_file():
        raise StorageError(f"{path} does not exist")
    with ProcessLock(path):  # a bot writing meanwhile would lose what it wrote after the copy
        source_version, target_version = opened_version(args.source), opened_version(args.target)
        if source_version != target_version:
            raise StorageError(
                f"schema versions differ: SQLite {source_version}, PostgreSQL {target_version}"
            )
        report = copy_sqlite_to_postgres(path, args.target)
    print(f"copied {path} to {shown(args.target)} (schema version {target_version})")
    width = max(len(table) for table in report.source_counts)
    print(f"  {'table':<{width}}  {'sqlite':>7}  {'postgresql':>10}")
    for table, rows in report.source_counts.items():
        print(f"  {table:<{width}}  {rows:>7}  {report.target_counts.get(table, 0):>10}")
    print(f"  ledger: sqlite {report.source_ledger}; postgresql {report.target_ledger}")
    if not report.matches:
        print("linli: the copy does not match the original; do not switch to it", file=sys.stderr)
        return 1
    print("counts and ledger totals match: set [storage] url to the PostgreSQL URL and restart")
    return 0
