"""The plumbing under every SQLite query module: connection, migrations, transactions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
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


BUSY_TIMEOUT_MS = 10_000
"""How long a transaction waits for another process's write lock before giving up. The
connection itself never waits (its busy timeout is 0): a wait would stop the event loop."""

WAL_AUTOCHECKPOINT_PAGES = 8000
"""At this WAL size (16 MB of 2 KB pages) COMMIT checkpoints. The checkpointer has usually
copied all but the last few frames already, on its own connection and thread; it is still
needed, because only the writer itself can restart the WAL (a background checkpoint never
catches a writer that keeps writing)."""

PAGE_SIZE = 2048
"""Bytes per page of a new database file. A message dirties ~6 pages spread over the tables and
their indexes; at 2 KB instead of SQLite's 4 KB, commits and checkpoints write about a third of
the bytes. Existing files keep the size they were made with."""

SETTINGS = (
    "synchronous = NORMAL",  # WAL + NORMAL: a commit survives a crash of the process, not of the OS
    "foreign_keys = ON",
    "cache_size = -65536",  # 64 MB of pages
    "mmap_size = 268435456",
    "temp_store = MEMORY",
    f"wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}",
)
"""Connection settings the bot runs with (the benchmark's storage floor uses them too)."""


class _Unit:
    """One open transaction or savepoint; sibling tasks inside it take turns opening nested ones."""

    __slots__ = ("children", "core", "depth", "open", "parent")

    def __init__(self, core: SqliteCore, parent: _Unit | None) -> None:
        self.core = core
        self.parent = parent
        self.depth: int = 0 if parent is None else parent.depth + 1
        self.open = True
        self.children = asyncio.Lock()


_unit: ContextVar[_Unit | None] = ContextVar("linli_sqlite_unit", default=None)
"""The innermost transaction unit the running code is inside. Tasks started inside a
transaction (``asyncio.gather``) inherit it, so they use the connection the transaction holds
instead of waiting for it."""


def private_file(path: Path) -> None:
    """Phones, rooms and health notes live in the file: a folder we create is 0700, the file 0600
    (SQLite gives its -wal and -shm files the database file's mode)."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        folder.chmod(0o700)  # mkdir's mode passes through the umask
    if not path.exists():
        path.touch(mode=0o600)
    for suffix in ("", "-wal", "-shm"):
        sibling = path.with_name(path.name + suffix)
        if sibling.exists() and sibling.stat().st_mode & 0o077:
            sibling.chmod(0o600)


class SqliteCore:
    """One SQLite connection: opening, migrations, transactions and small query helpers.

    Statements run on the event loop: in WAL mode a read never waits and, inside a
    transaction that holds the write lock, a write takes microseconds. A BEGIN that finds
    another process writing tries again after a pause; thousands of rows go to a thread.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._lock = asyncio.Lock()  # one transaction (or lone statement) at a time
        self._checkpointer: Checkpointer | None = None

    # -- lifetime -----------------------------------------------------------

    async def open(self) -> Self:
        """Opens the file (WAL, foreign keys on) and applies pending migrations."""
        if self.path != ":memory:":
            private_file(Path(self.path))
        try:
            # check_same_thread=False: bulk writes run on a worker thread (see _bulk). While it opens,
            # the connection waits for another process opening the same file (switching it to WAL
            # takes a lock); once open it never waits, which would stop the event loop.
            self._connection = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
            )
            self._connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # new files only; before WAL
            if self.path != ":memory:":
                self._connection.execute("PRAGMA journal_mode = WAL")
            for pragma in SETTINGS:
                self._connection.execute(f"PRAGMA {pragma}")
            self._connection.execute("PRAGMA busy_timeout = 0")
            await self._migrate()
            if self.path != ":memory:":
                self._checkpointer = await Checkpointer(self.path).start()
        except sqlite3.DatabaseError as exc:
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
        if self._connection is not None:
            conn, self._connection = self._connection, None
            async with self._lock:
                conn.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def raw(self) -> sqlite3.Connection:
        """The sqlite3 connection (tests and benchmarks seed and inspect through it)."""
        if self._connection is None:
            raise StorageError("repository is closed")
        return self._connection

    async def schema_version(self) -> int:
        """Returns the version the database is at (0 for an empty file)."""
        rows = await self._fetchall(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'"
        )
        if not rows:
            return 0
        row = await self._fetchone("SELECT max(version) FROM schema_version")
        return int(row[0] or 0)

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
                await self._execute(
                    "CREATE TABLE IF NOT EXISTS schema_version "
                    "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
            for number, script in scripts:
                if number <= current:
                    continue
                log.info("applying migration %03d to %s", number, self.path)
                for statement in split_sql(script):
                    await self._execute(statement)
                await self._execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (number, ts(datetime.now(UTC))),
                )

    # -- transactions ------------------------------------------------------------

    def _current(self) -> _Unit | None:
        """The open unit of this connection the running code is inside, if any."""
        unit = _unit.get()
        while unit is not None and not unit.open:
            unit = unit.parent  # a task that outlived the savepoint it was started in
        return unit if unit is not None and unit.core is self else None

    def transaction(self) -> _Transaction:
        """One atomic unit: BEGIN IMMEDIATE … COMMIT, or a savepoint when nested; an error rolls it back.

        Tasks started inside (``asyncio.gather``) run their statements in it; their nested
        units take turns.
        """
        return _Transaction(self)

    async def _begin(self, conn: sqlite3.Connection) -> None:
        """BEGIN IMMEDIATE; while another process holds the write lock, tries again after a pause,
        so the event loop never stops to wait (for up to BUSY_TIMEOUT_MS in all)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + BUSY_TIMEOUT_MS / 1000
        pause = 0.001
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorname not in ("SQLITE_BUSY", "SQLITE_LOCKED") or loop.time() > deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(2 * pause, 0.05)

    # -- statements -----------------------------------------------------------------

    async def _fetchall(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Any]:
        """Runs a read (``?`` or ``:named`` parameters); outside a transaction it waits for the
        connection to be free."""
        if self._current() is not None:
            return self.raw.execute(sql, params).fetchall()
        async with self._lock:
            return self.raw.execute(sql, params).fetchall()

    async def _fetchone(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = await self._fetchall(sql, params)
        return rows[0] if rows else None

    async def _execute(self, sql: str, params: Sequence[Any] = ()) -> tuple[int, int]:
        """Runs one statement, in a transaction of its own if none is open; returns (lastrowid, rowcount)."""
        if self._current() is None:
            async with self.transaction():
                return self._run(sql, params)
        return self._run(sql, params)

    async def _fetchall_written(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Runs a write that returns rows (``… RETURNING``), in a transaction of its own if none is open."""
        if self._current() is None:
            async with self.transaction():
                return self.raw.execute(sql, params).fetchall()
        return self.raw.execute(sql, params).fetchall()

    def _run(self, sql: str, params: Sequence[Any]) -> tuple[int, int]:
        cursor = self.raw.execute(sql, params)
        return cursor.lastrowid or 0, cursor.rowcount

    async def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement over a few rows, in a transaction of its own if none is open (inside one, a
        failure undoes the caller's whole unit, as it does for :meth:`_execute`)."""
        if rows and self._current() is None:
            async with self.transaction():
                self.raw.executemany(sql, rows)
        elif rows:
            self.raw.executemany(sql, rows)

    async def _bulk(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Like _executemany, but on a worker thread: for thousands of rows at once."""
        if rows:
            async with self.transaction():
                await asyncio.to_thread(self.raw.executemany, sql, rows)


class _Transaction:
    """``async with core.transaction():``. A class, not ``@asynccontextmanager``: a message enters
    several, and the async-generator machinery around each cost a tenth of a message's time."""

    __slots__ = ("_core", "_name", "_parent", "_token", "_unit")

    def __init__(self, core: SqliteCore) -> None:
        self._core = core

    async def __aenter__(self) -> None:
        core = self._core
        parent = core._current()
        gate = core._lock if parent is None else parent.children  # siblings in a gather take turns
        await gate.acquire()
        try:
            if parent is None:
                await core._begin(core.raw)
                self._name = ""
            else:
                # Named by depth: one open savepoint per level (siblings take turns), and the same
                # few statement texts stay in sqlite3's statement cache, where a fresh name per
                # savepoint would push the real queries out of it to be compiled again.
                self._name = f"sp{parent.depth + 1}"
                core.raw.execute(f"SAVEPOINT {self._name}")
        except BaseException:
            gate.release()
            raise
        self._parent = parent
        self._unit = _Unit(core, parent)
        self._token = _unit.set(self._unit)

    async def __aexit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        core, parent = self._core, self._parent
        self._unit.open = False
        _unit.reset(self._token)
        conn = core.raw
        try:
            if parent is not None:
                if kind is not None:
                    conn.execute(f"ROLLBACK TO {self._name}")  # this unit's work alone
                conn.execute(f"RELEASE {self._name}")
            elif kind is not None:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            else:
                try:
                    conn.execute("COMMIT")  # appends to the WAL; the checkpointer copies it later
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")  # a failed COMMIT leaves the transaction open
                    raise
                if core._checkpointer is not None:
                    core._checkpointer.dirty = True
        finally:
            (core._lock if parent is None else parent.children).release()


class Checkpointer:
    """Copies the WAL into the database file on a connection and thread of its own.

    COMMIT's own checkpoint then finds little left to copy, so the event loop does not stop
    for whole checkpoints. PASSIVE mode never blocks the bot's writes.
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
