"""The trust identity tests again, with the bot's storage on PostgreSQL instead of SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.postgres import PostgresRepository
from tests.test_trust_identity import *  # noqa: F403  (the same tests, collected again here)


@pytest.fixture
async def repo(postgres_url: str) -> AsyncIterator[PostgresRepository]:
    repository = await PostgresRepository(postgres_url).open()
    yield repository
    await repository.close()
