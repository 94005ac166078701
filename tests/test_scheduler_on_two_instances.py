"""Two instances on one PostgreSQL run the same timers: each scheduled job's work is done once,
because every run is claimed in the database (a check-in day, a digest day)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from functools import partial

import pytest

from bot.app import Linli
from bot.scheduler import run_job
from handlers.checkin.checkin import run_checkins
from handlers.digest.digest import send_digest
from storage.postgres import PostgresRepository
from tests.checkin_support import ELDER, register, to
from tests.conftest import SETTINGS, START, BotHarness


@pytest.fixture
async def repo(postgres_url: str) -> AsyncIterator[PostgresRepository]:
    """The bot fixture's storage, on PostgreSQL."""
    repository = await PostgresRepository(postgres_url).open()
    yield repository
    await repository.close()


@pytest.fixture
async def other(postgres_url: str, bot: BotHarness) -> AsyncIterator[Linli]:
    """A second instance on the same database (its own connections), at the same time."""
    repository = await PostgresRepository(postgres_url).open()
    yield Linli(repository, SETTINGS, bot.clock)
    await repository.close()


async def test_two_instances_greet_an_elder_once(bot: BotHarness, other: Linli) -> None:
    await register(bot)
    bot.clock.advance(timedelta(minutes=30))  # 09:30, the elder's time
    runs = await asyncio.gather(run_job(bot.app, run_checkins), run_job(other, run_checkins))
    assert sum(len(to(replies, ELDER)) for replies in runs) == 1
    await bot.app.wait_idle()
    assert len(to(bot.console.pop(), ELDER)) == 1


async def test_two_instances_send_one_digest(bot: BotHarness, other: Linli) -> None:
    await register(bot)
    digest = partial(send_digest, day=START.date())
    runs = await asyncio.gather(run_job(bot.app, digest), run_job(other, digest))
    assert sorted(bool(replies) for replies in runs) == [False, True]
    await bot.app.wait_idle()
    bot.console.pop()
