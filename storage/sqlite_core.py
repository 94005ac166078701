"""The plumbing under every SQLite query module: connection, migrations, transactions."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Self

import aiosqlite

from storage.base import SchemaTooNew, StorageError

log = logging.getLogger(__name__)


def ts(moment: datetime) -> str:
    """Formats an aware datetime as fixed-width UTC text, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to storage")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_ts(text: str | None) -> datetime | None:
    """Parses what :func:`ts` wrote."""
    return None if text is None else datetime.fromisoformat(text)


def must_ts(text: str) -> datetime:
    moment = from_ts(text)
    assert moment is not None
    return moment


def migrations() -> list[tuple[int, str]]:
    """Returns the numbered migration scripts shipped in ``storage/migrations``."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def split_sql(script: str) -> list[str]:
    """Splits a migration into statements (our migrations keep ';' out of literals)."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]


def plain(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return ts(value)
    return value


class SqliteCore:
    """One aiosqlite connection: opening, migrations, transactions and small query helpers."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._depth = 0  # 0: autocommit; 1: in BEGIN; more: inside savepoints

    # -- lifetime -----------------------------------------------------------

    async def open(self) -> Self:
        """Opens the file (WAL, foreign keys on) and applies pending migrations."""
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            # check_same_thread=False: statements inside a transaction run inline on the
            # event loop (see _fetchall); the lock guarantees one user at a time.
            self._db = await aiosqlite.connect(self.path, isolation_level=None, check_same_thread=False)
            await self._db.execute("PRAGMA busy_timeout = 10000")
            if self.path != ":memory:":
                await self._db.execute("PRAGMA journal_mode = WAL")
            await self._db.execute("PRAGMA synchronous = NORMAL")
            await self._db.execute("PRAGMA foreign_keys = ON")
            await self._migrate()
        except aiosqlite.DatabaseError as exc:
            await self.close()
            raise StorageError(f"cannot open database {self.path}: {exc}") from exc
        except BaseException:
            await self.close()
            raise
        return self

    async def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            await db.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise StorageError("repository is closed")
        return self._db

    @property
    def raw(self) -> sqlite3.Connection:
        """The sqlite3 connection under aiosqlite, used inline only while holding the lock."""
        connection: sqlite3.Connection = self.db._conn
        return connection

    async def schema_version(self) -> int:
        """Returns the version the database is at (0 for an empty file)."""
        rows = await self.db.execute_fetchall(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'"
        )
        if not list(rows):
            return 0
        rows = await self.db.execute_fetchall("SELECT max(version) FROM schema_version")
        value = list(rows)[0][0]
        return int(value or 0)

    async def _migrate(self) -> None:
        scripts = migrations()
        latest = scripts[-1][0] if scripts else 0
        async with self.transaction():
            current = await self.schema_version()
            if current > latest:
                raise SchemaTooNew(
                    f"database {self.path} is at schema version {current}, "
                    f"but this Linli knows only up to {latest}: upgrade Linli"
                )
            if current == 0:
                await self.db.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version "
                    "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
            for number, script in scripts:
                if number <= current:
                    continue
                log.info("applying migration %03d to %s", number, self.path)
                for statement in split_sql(script):
                    await self.db.execute(statement)
                await self.db.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (number, ts(datetime.now(UTC))),
                )

    @asynccontextmanager
    async def _guard(self) -> AsyncIterator[None]:
        """Keeps other asyncio tasks off the shared connection while this one uses it."""
        me = asyncio.current_task()
        if self._owner is me and me is not None:
            yield
            return
        async with self._lock:
            self._owner = me
            try:
                yield
            finally:
                self._owner = None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """One atomic unit; re-entered by the same asyncio task it nests as a savepoint."""
        async with self._guard():
            if self._depth:
                name = f"sp{self._depth}"
                self._depth += 1
                self.raw.execute(f"SAVEPOINT {name}")
                try:
                    yield
                except BaseException:
                    self.raw.execute(f"ROLLBACK TO {name}")
                    self.raw.execute(f"RELEASE {name}")
                    raise
                else:
                    self.raw.execute(f"RELEASE {name}")
                finally:
                    self._depth -= 1
                return
            # BEGIN may wait for another process and COMMIT writes the WAL: both off the loop.
            await self.db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                if self._db is not None:
                    await self.db.execute("ROLLBACK")
                raise
            else:
                await self.db.execute("COMMIT")
            finally:
                self._depth = 0

    async def _fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Reads inline: a read in WAL mode takes microseconds and never waits for a writer."""
        if self._owner is not None and self._owner is asyncio.current_task():
            return self.raw.execute(sql, params).fetchall()
        async with self._guard():
            return self.raw.execute(sql, params).fetchall()

    async def _fetchone(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = await self._fetchall(sql, params)
        return rows[0] if rows else None

    async def _execute(self, sql: str, params: Sequence[Any] = ()) -> tuple[int, int]:
        """Runs one statement; returns (lastrowid, rowcount).

        Inside a transaction the write lock is already held, so it runs inline;
        on its own it may wait for another process's lock, so it goes to
        aiosqlite's thread and the event loop stays free.
        """
        if self._depth and self._owner is asyncio.current_task():
            cursor = self.raw.execute(sql, params)
            return cursor.lastrowid or 0, cursor.rowcount
        async with self._guard():
            if self._depth:
                cursor = self.raw.execute(sql, params)
                return cursor.lastrowid or 0, cursor.rowcount
            result = await self.db.execute(sql, params)
            return result.lastrowid or 0, result.rowcount
