"""Persistence: one repository contract, one implementation per database dialect, picked by URL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from storage.base import Repository, StorageError
from storage.sqlite import SqliteRepository, sqlite_path

POSTGRES_SCHEMES = ("postgresql", "postgres")
"""The schemes of a libpq connection URI."""


async def connect_repository(url: str) -> Repository:
    """Opens (and migrates) the repository a URL names; the caller closes it.

    ``sqlite:///path/linli.db`` (``sqlite://:memory:`` for none) or a libpq URI such as
    ``postgresql://user:pass@host:5432/linli`` (``?host=/socket/dir`` for a local socket).
    """
    scheme, sep, _ = url.partition("://")
    if not sep:
        raise StorageError(
            f"storage url {url!r} needs a scheme, e.g. sqlite:///data/linli.db or postgresql://host/linli"
        )
    if scheme in POSTGRES_SCHEMES:
        from storage.postgres import PostgresRepository  # psycopg loads only for a PostgreSQL URL

        return await PostgresRepository(url).open()
    path = sqlite_path(url)
    if path is None:
        raise StorageError(f"unknown storage scheme {scheme!r}; supported: sqlite, postgresql")
    return await SqliteRepository(path).open()


def shown_url(url: str) -> str:
    """The storage URL for messages and logs: a PostgreSQL one without its password."""
    if url.partition("://")[0] in POSTGRES_SCHEMES:
        from storage.postgres.core import shown

        return shown(url)
    return url


@asynccontextmanager
async def open_repository(url: str) -> AsyncIterator[Repository]:
    """The repository a URL names, closed after the block."""
    repo = await connect_repository(url)
    try:
        yield repo
    finally:
        await repo.close()


__all__ = [
    "Repository",
    "SqliteRepository",
    "StorageError",
    "connect_repository",
    "open_repository",
    "shown_url",
]
