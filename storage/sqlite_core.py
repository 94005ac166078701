"""The plumbing under every SQLite query module: connection, migrations, transactions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Self, TypeVar

import aiosqlite

from storage.base import SavepointsNeeded, SchemaTooNew, StorageError
from storage.sqlite_cache import Effect, ReadCache, effect

log = logging.getLogger(__name__)

T = TypeVar("T")


@lru_cache(maxsize=1024)
def ts(moment: datetime) -> str:
    """Formats an aware datetime as fixed-width UTC text, so text order is time order.

    The last moment's text is kept: handling one message writes the same ``now`` several
    times (created, event, outbox), and formatting is ~1 µs. The pair is swapped as one
    tuple, so a thread reading it never sees one moment with another's text.
    """
    global _last_ts
    last = _last_ts
    if moment is last[0]:
        return last[1]
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to storage")
    text = moment.astimezone(UTC).isoformat(timespec="microseconds")
    _last_ts = (moment, text)
    return text


_last_ts: tuple[datetime | None, str] = (None, "")


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


BUSY_TIMEOUT_MS = 10_000
"""How long a write waits for another process's write lock before giving up."""

WAL_AUTOCHECKPOINT_PAGES = 8000
"""At this WAL size (16 MB of 2 KB pages) COMMIT checkpoints. The checkpointer has usually
copied all but the last few frames already, on its own connection and thread; it is still
needed, because only the writer itself can restart the WAL (a background checkpoint never
catches a writer that keeps writing). It is rare because it syncs the files on the event
loop: at SQLite's default of 1,000 pages, 5% of commits (these) took 45% of all commit time."""

PAGE_SIZE = 2048
"""Bytes per page of a new database file. A message dirties ~6 pages spread over the tables and
their indexes; at 2 KB instead of SQLite's 4 KB, commits and checkpoints write about a third of
the bytes (17 KB per message instead of 49 KB, measured) and the pipeline spends ~12% less CPU.
Existing files keep the size they were made with."""

SETTINGS = (
    "synchronous = NORMAL",  # WAL + NORMAL: a commit survives a crash of the process, not of the OS
    "foreign_keys = ON",
    "cache_size = -65536",  # 64 MB of pages
    "mmap_size = 268435456",
    # Savepoints keep undo records; past 64 KB they spilled to a temp file (an open, ~19
    # writes a message and a close per batch, when every message had one). In memory: a copy.
    "temp_store = MEMORY",
    f"wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}",
)
"""Connection settings the bot runs with (the benchmark's storage floor uses them too)."""


if sys.version_info < (3, 12):
    # asyncio.current_task(loop) is, on 3.11, a Python function reading this dict.
    _running_task: Callable[[asyncio.AbstractEventLoop], asyncio.Task[Any] | None] = (
        asyncio.tasks._current_tasks.get  # type: ignore[attr-defined]
    )
else:  # pragma: no cover - in C from 3.12 on
    _running_task = asyncio.current_task


class SqliteCore:
    """One aiosqlite connection: opening, migrations, transactions and small query helpers."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._depth = 0  # 0: autocommit; 1: in BEGIN; more: inside nested units
        self._savepoints = True  # whether nested units of the open transaction take savepoints
        self._spoiled = False  # a nested unit without a savepoint failed: only a rollback is left
        self._raw: sqlite3.Connection | None = None
        self._cache = ReadCache()  # reference-table reads, valid inside a transaction
        self._checkpointer: Checkpointer | None = None

    # -- lifetime -----------------------------------------------------------

    async def open(self) -> Self:
        """Opens the file (WAL, foreign keys on) and applies pending migrations."""
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            # check_same_thread=False: statements inside a transaction run inline on the
            # event loop (see _fetchall); the lock guarantees one user at a time.
            self._db = await aiosqlite.connect(self.path, isolation_level=None, check_same_thread=False)
            self._raw = self._db._conn
            await self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await self._db.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # new files only; before WAL
            if self.path != ":memory:":
                await self._db.execute("PRAGMA journal_mode = WAL")
            for pragma in SETTINGS:
                await self._db.execute(f"PRAGMA {pragma}")
            await self._migrate()
            self._cache.clear()
            if self.path != ":memory:":
                self._checkpointer = await Checkpointer(self.path).start()
        except aiosqlite.DatabaseError as exc:
            await self.close()
            raise StorageError(f"cannot open database {self.path}: {exc}") from exc
        except BaseException:
            await self.close()
            raise
        return self

    async def close(self) -> None:
        if self._checkpointer is not None:
            checkpointer, self._checkpointer = self._checkpointer, None
            await checkpointer.stop()
        if self._db is not None:
            db, self._db, self._raw = self._db, None, None
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
        if self._raw is None:
            raise StorageError("repository is closed")
        return self._raw

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

    def _begin_now(self) -> bool:
        """BEGIN IMMEDIATE without waiting; False when another connection holds the write lock."""
        raw = self.raw
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            raw.execute("BEGIN IMMEDIATE")
            return True
        except sqlite3.OperationalError as exc:
            if getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
                return False
            raise
        finally:
            raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def _mine(self) -> bool:
        """Whether the running asyncio task holds the connection.

        Asks the owner's loop for its current task: plain ``current_task()`` looks up the
        running loop, which on Python 3.11 costs a getpid() system call (8% of a message),
        and it is the Python wrapper around the same dict (asked ~14 times a message).
        """
        owner = self._owner
        return owner is not None and owner is _running_task(owner.get_loop())

    def _guard(self) -> _Guard:
        """Keeps other asyncio tasks off the shared connection while this one uses it."""
        return _Guard(self)

    def transaction(self, *, savepoints: bool = True) -> _Transaction:
        """One atomic unit; re-entered by the same asyncio task it nests as a savepoint
        (see ``storage.base`` for ``savepoints=False``)."""
        return _Transaction(self, savepoints)

    async def _fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Reads inline: a read in WAL mode takes microseconds and never waits for a writer.

        Inside a transaction, reads of the reference tables come from the read cache.
        """
        if self._mine():
            return self._fetch_owned(sql, params)
        async with self._guard():
            return self._fetch_owned(sql, params)

    def _fetch_owned(self, sql: str, params: Sequence[Any]) -> list[Any]:
        kind = effect(sql)
        if kind is Effect.CACHEABLE and self._depth:
            rows = self._cache.get(sql, params)
            if rows is None:
                rows = self.raw.execute(sql, params).fetchall()
                self._cache.put(sql, params, rows)
            return rows
        rows = self.raw.execute(sql, params).fetchall()
        if kind is Effect.FORGETS:
            self._cache.clear()  # an UPDATE … RETURNING, say
        return rows

    async def _read(self, sql: str, params: Sequence[Any], build: Callable[[list[Any]], T]) -> T:
        """A reference-table read made into domain objects by ``build``; inside a transaction the
        objects are memoized with the rows, so ``build`` must return something immutable."""
        if self._depth and self._mine() and effect(sql) is Effect.CACHEABLE:
            key = (sql, tuple(params), build)
            objects = self._cache.objects
            if key in objects:
                found: T = objects[key]
                return found
            value = build(self._fetch_owned(sql, params))
            objects[key] = value
            return value
        return build(await self._fetchall(sql, params))

    async def _fetchone(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = await self._fetchall(sql, params)
        return rows[0] if rows else None

    async def _execute(self, sql: str, params: Sequence[Any] = ()) -> tuple[int, int]:
        """Runs one statement; returns (lastrowid, rowcount).

        Inside a transaction the write lock is already held, so it runs inline;
        on its own it may wait for another process's lock, so it goes to
        aiosqlite's thread and the event loop stays free.
        """
        if self._depth and self._mine():
            cursor = self.raw.execute(sql, params)
            result = cursor.lastrowid or 0, cursor.rowcount
        else:
            async with self._guard():
                if self._depth:
                    cursor = self.raw.execute(sql, params)
                    result = cursor.lastrowid or 0, cursor.rowcount
                else:
                    done = await self.db.execute(sql, params)
                    result = done.lastrowid or 0, done.rowcount
        if result[1] != 0 and effect(sql) is Effect.FORGETS:
            self._cache.clear()
        return result

    async def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement over many rows, in a transaction (inline when already in one)."""
        if not rows:
            return
        async with self.transaction():
            self.raw.executemany(sql, rows)
            self._forget_if_changes(sql)

    async def _bulk(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Like _executemany, but on aiosqlite's thread: for thousands of rows at once."""
        async with self._guard():
            await self.db.executemany(sql, rows)
            self._forget_if_changes(sql)

    def _forget_if_changes(self, sql: str) -> None:
        if effect(sql) is Effect.FORGETS:
            self._cache.clear()


class _Guard:
    """Holds the connection for one asyncio task; re-entering from the same task is free."""

    __slots__ = ("_core", "_entered")

    def __init__(self, core: SqliteCore) -> None:
        self._core = core
        self._entered = False

    async def __aenter__(self) -> None:
        core = self._core
        if core._mine():
            return
        await core._lock.acquire()
        core._owner = asyncio.current_task()
        self._entered = True

    async def __aexit__(self, *exc: object) -> None:
        if self._entered:
            self._core._owner = None
            self._core._lock.release()


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT at the top, SAVEPOINT … RELEASE when nested; rolls back on any error.

    A plain class, not ``@asynccontextmanager``: it is entered several times per message.
    """

    __slots__ = ("_core", "_guard", "_nested", "_savepoint", "_savepoints")

    def __init__(self, core: SqliteCore, savepoints: bool) -> None:
        self._core = core
        self._guard = _Guard(core)
        self._nested = False
        self._savepoint = ""
        self._savepoints = savepoints

    async def __aenter__(self) -> None:
        core = self._core
        await self._guard.__aenter__()
        try:
            if core._depth:
                self._nested = True
                if core._savepoints:
                    self._savepoint = f"sp{core._depth}"
                    core.raw.execute(f"SAVEPOINT {self._savepoint}")
                core._depth += 1
                return
            # BEGIN runs on the loop when the write lock is free (always, with one process);
            # if another process holds it, the wait happens on aiosqlite's thread instead.
            if not core._begin_now():
                await core.db.execute("BEGIN IMMEDIATE")
            core._depth = 1
            core._savepoints, core._spoiled = self._savepoints, False
            core._cache.begin(core.raw.execute("PRAGMA data_version").fetchone()[0])
        except BaseException:
            await self._guard.__aexit__()
            raise

    async def __aexit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        core = self._core
        try:
            if self._nested:
                core._depth -= 1
                if not self._savepoint:
                    core._spoiled = core._spoiled or exc_type is not None
                    return
                if exc_type is not None:
                    core._cache.clear()
                    core.raw.execute(f"ROLLBACK TO {self._savepoint}")
                core.raw.execute(f"RELEASE {self._savepoint}")
                return
            try:
                if exc_type is None and core._spoiled:
                    await self._rollback()
                    raise SavepointsNeeded("a nested unit failed in a transaction without savepoints")
                if exc_type is None:
                    try:
                        # Appends to the WAL without fsync (synchronous=NORMAL) and without a
                        # checkpoint (the checkpointer's job): microseconds, so on the loop.
                        core.raw.execute("COMMIT")
                        if core._checkpointer is not None:
                            core._checkpointer.dirty = True
                        return
                    except BaseException:
                        await self._rollback()  # a failed COMMIT leaves the transaction open
                        raise
                await self._rollback()
            finally:
                core._depth = 0
        finally:
            await self._guard.__aexit__()

    async def _rollback(self) -> None:
        self._core._cache.clear()
        if self._core._db is not None:
            with contextlib.suppress(sqlite3.Error, ValueError):
                await self._core._db.execute("ROLLBACK")


class Checkpointer:
    """Copies the WAL into the database file on a connection and thread of its own.

    COMMIT's own checkpoint then finds little left to copy and the event loop no longer
    stops for whole checkpoints (up to 11 ms each before). PASSIVE mode never blocks
    the bot's writes.
    """

    INTERVAL_SECONDS = 0.1

    def __init__(self, path: str) -> None:
        self.path = path
        self.dirty = False  # set by every COMMIT
        self._db: aiosqlite.Connection | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> Self:
        self._db = await aiosqlite.connect(self.path, isolation_level=None)
        await self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self._task = asyncio.create_task(self._run(), name="linli-checkpoint")
        return self

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.INTERVAL_SECONDS)
            if self.dirty and self._db is not None:
                self.dirty = False
                try:
                    await self._db.execute_fetchall("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error as exc:  # COMMIT's own checkpoint still bounds the WAL
                    log.warning("checkpoint of %s failed: %s", self.path, exc)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._db is not None:
            await self._db.close()
