"""The storage backends the contract suite runs: one entry each in BACKENDS.

A backend says what it needs to run here, opens a fresh empty repository, and does the one
thing the contract cannot: remove a row behind the repository's back (as an operator or a
pruning job would), so the suite can check that outbox ids are never given twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from storage.base import Repository
from storage.postgres import PostgresRepository
from storage.sqlite import SqliteRepository
from tests.postgres_server import SERVER


@dataclass(frozen=True)
class Backend:
    """How the suite gets a repository of one kind."""

    missing: Callable[[], str | None]
    """What this machine lacks to run the backend (a server, a package), or None."""
    open: Callable[[Path], Awaitable[Repository]]
    """A fresh, migrated, empty repository; the folder is the test's own."""
    delete_outbox_row: Callable[[Repository, int], Awaitable[None]]


def _nothing_missing() -> None:
    return None  # SQLite ships with Python


async def _open_sqlite(folder: Path) -> Repository:
    return await SqliteRepository(str(folder / "contract.db")).open()  # mypy: it fulfils every Protocol


async def _delete_sqlite_outbox_row(repo: Repository, outbox_id: int) -> None:
    assert isinstance(repo, SqliteRepository)
    repo.raw.execute("DELETE FROM outbox WHERE id = ?", (outbox_id,))


async def _open_postgres(folder: Path) -> Repository:
    return await PostgresRepository(await SERVER.fresh_url()).open()  # a database of its own


async def _delete_postgres_outbox_row(repo: Repository, outbox_id: int) -> None:
    assert isinstance(repo, PostgresRepository)
    async with repo.pool.connection() as conn:
        await conn.execute("DELETE FROM outbox WHERE id = %s", (outbox_id,))


BACKENDS: dict[str, Backend] = {
    "sqlite": Backend(_nothing_missing, _open_sqlite, _delete_sqlite_outbox_row),
    "postgresql": Backend(SERVER.start, _open_postgres, _delete_postgres_outbox_row),
}
"""Every backend runs every contract test."""
