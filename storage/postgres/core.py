"""The plumbing under every PostgreSQL query module: the pool, migrations, transactions."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from importlib import resources
from typing import Any, Self, TypeVar

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from storage.base import SchemaTooNew, StorageError

log = logging.getLogger(__name__)

T = TypeVar("T")
Params = Sequence[Any] | Mapping[str, Any]
Connection = psycopg.AsyncConnection[Any]

MIGRATION_LOCK = 0x6C696E6C69  # "linli": instances starting together migrate one after the other
POOL_SIZE = 10
"""Connections per process: enough for the sender, the scheduler and a burst of messages."""


def migrations() -> list[tuple[int, str, str]]:
    """Returns (number, file name, script) of the migrations in ``storage/postgres/migrations``."""
    found = []
    for entry in resources.files("storage.postgres.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def shown(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(an unreadable postgresql URL)"
    user, host, port, database = (str(parts.get(key) or "") for key in ("user", "host", "port", "dbname"))
    user, port = f"{user}@" if user else "", f":{port}" if port else ""
    if host.startswith("/"):  # a socket folder
        return f"postgresql://{user}/{database}?host={host}"
    return f"postgresql://{user}{host}{port}/{database}"


def _refuse_naive(params: Params) -> None:
    """PostgreSQL would read a naive datetime in the session's time zone: a guess, so refused."""
    values = params.values() if isinstance(params, Mapping) else params
    for value in values:
        if isinstance(value, datetime) and value.tzinfo is None:
            raise ValueError("naive datetime given to storage")


class _Unit:
    """One open transaction or savepoint on a connection; sibling tasks take turns opening nested ones."""

    __slots__ = ("children", "conn", "core", "open", "parent")

    def __init__(self, core: PostgresCore, conn: Connection, parent: _Unit | None) -> None:
        self.core = core
        self.conn = conn
        self.parent = parent
        self.open = True
        self.children = asyncio.Lock()


_unit: ContextVar[_Unit | None] = ContextVar("linli_postgres_unit", default=None)
"""The innermost transaction unit the running code is inside; tasks started inside a
transaction (``asyncio.gather``) inherit it and so use its connection."""


class PostgresCore:
    """A pool of connections to one PostgreSQL database: opening, migrations, transactions, helpers.

    Enum values (TaskState, Role …) go to the database as the text they are (they are strs).

    Connections are in autocommit mode: a statement outside ``transaction()`` is a transaction
    of its own, on whichever pooled connection is free, so callers never wait for each other
    unless the database makes them (a row lock).
    """

    def __init__(self, url: str, *, pool_size: int = POOL_SIZE) -> None:
        self.url = url
        self._pool_size = pool_size
        self._pool: AsyncConnectionPool[Connection] | None = None

    # -- lifetime -----------------------------------------------------------

    async def open(self) -> Self:
        """Connects once (a clear error if that fails), applies pending migrations, opens the pool."""
        try:
            conn = await psycopg.AsyncConnection.connect(self.url, autocommit=True)
        except psycopg.Error as exc:
            raise StorageError(f"cannot connect to {shown(self.url)} (storage.url): {exc}".strip()) from exc
        async with conn:
            await self._configure(conn)
            await self._migrate(conn)
        self._pool = AsyncConnectionPool(
            self.url,
            min_size=1,
            max_size=self._pool_size,
            kwargs={"autocommit": True},
            configure=self._configure,
            open=False,
            name="linli",
        )
        await self._pool.open(wait=True, timeout=30)
        return self

    @staticmethod
    async def _configure(conn: Connection) -> None:
        """Times come back in UTC, as they do from SQLite."""
        await conn.execute("SET TIME ZONE 'UTC'")

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def pool(self) -> AsyncConnectionPool[Connection]:
        """The connections (tests reach the database behind the repository through it)."""
        if self._pool is None:
            raise StorageError("repository is closed")
        return self._pool

    async def schema_version(self) -> int:
        """Returns the version the database is at."""
        row = await self._fetchone("SELECT max(version) FROM schema_version")
        return int(row[0] or 0)

    async def _migrate(self, conn: Connection) -> None:
        """Applies the pending migrations in one transaction (DDL is transactional here), holding a
        lock so that instances starting at once apply them once; a newer database is refused."""
        scripts = migrations()
        latest = scripts[-1][0] if scripts else 0
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version integer PRIMARY KEY, applied_at timestamptz NOT NULL)"
            )
            row = await (await conn.execute("SELECT max(version) FROM schema_version")).fetchone()
            current = int(row[0] or 0) if row else 0
            if current > latest:
                raise SchemaTooNew(
                    f"database {shown(self.url)} is at schema version {current}, "
                    f"but this Linli knows only up to {latest}: upgrade Linli"
                )
            for number, name, script in scripts:
                if number <= current:
                    continue
                log.info("applying migration %s to %s", name, shown(self.url))
                await conn.execute(script.encode())  # a whole file: no parameters, several statements
                await conn.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (%s, %s)",
                    (number, datetime.now(UTC)),
                )

    # -- transactions ------------------------------------------------------------

    def _current(self) -> _Unit | None:
        """The open unit of this repository the running code is inside, if any."""
        unit = _unit.get()
        while unit is not None and not unit.open:
            unit = unit.parent  # a task that outlived the savepoint it was started in
        return unit if unit is not None and unit.core is self else None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """One atomic unit: BEGIN … COMMIT on a pooled connection, or a savepoint when nested; an
        error rolls back this unit alone. Tasks started inside run their statements in it, and
        their nested units take turns."""
        parent = self._current()
        if parent is None:
            async with self.pool.connection() as conn, conn.transaction():
                with self._inside(conn, None):
                    yield
        else:
            async with parent.children, parent.conn.transaction():
                with self._inside(parent.conn, parent):
                    yield

    @contextmanager
    def _inside(self, conn: Connection, parent: _Unit | None) -> Iterator[None]:
        unit = _Unit(self, conn, parent)
        token = _unit.set(unit)
        try:
            yield
        finally:
            unit.open = False
            _unit.reset(token)

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Connection]:
        """The connection of the open unit, or a pooled one for a statement on its own."""
        unit = self._current()
        if unit is not None:
            yield unit.conn
        else:
            async with self.pool.connection() as conn:
                yield conn

    # -- statements -----------------------------------------------------------------

    async def _fetchall(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """Runs a statement (a read, or a write with RETURNING) and returns its rows as tuples."""
        _refuse_naive(params)
        async with self._connection() as conn:
            cursor = await conn.execute(sql, params)
            return await cursor.fetchall()

    async def _fetchone(self, sql: str, params: Params = ()) -> Any:
        rows = await self._fetchall(sql, params)
        return rows[0] if rows else None

    async def _records(self, build: Callable[[dict[str, Any]], T], sql: str, params: Params = ()) -> list[T]:
        """Runs a statement and builds a record from each row, given as {column: value}."""
        _refuse_naive(params)
        async with self._connection() as conn, conn.cursor(row_factory=dict_row) as cursor:
            await cursor.execute(sql, params)
            return [build(row) for row in await cursor.fetchall()]

    async def _record(self, build: Callable[[dict[str, Any]], T], sql: str, params: Params = ()) -> T | None:
        records = await self._records(build, sql, params)
        return records[0] if records else None

    async def _execute(self, sql: str, params: Params = ()) -> int:
        """Runs one statement; returns how many rows it changed."""
        _refuse_naive(params)
        async with self._connection() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.rowcount

    async def _executemany(self, sql: str, rows: Sequence[Params]) -> None:
        """One statement over many rows, in one transaction."""
        if not rows:
            return
        for params in rows:
            _refuse_naive(params)
        async with self.transaction(), self._connection() as conn, conn.cursor() as cursor:
            await cursor.executemany(sql, rows)
