"""Several instances on one PostgreSQL take turns on a platform that allows one consumer (a Telegram
token polling, a WeChat account): one holds its lease and runs it, the others wait, and one of
them takes over once the holder stops renewing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.app import Linli
from bot.leases import PlatformLease
from bot.platforms.base import Dispatch
from bot.runner import start_line
from handlers.common.context import FakeClock
from storage.models import ChatRef, Reply
from storage.postgres import PostgresRepository
from tests.conftest import SETTINGS, START

SECONDS, RENEW = 1.0, 0.2
"""A short lease, so a takeover is quick to watch (the bot's are 9 s and 2 s)."""


class FakeTelegram:
    """Records when it was started and stopped and what it sent."""

    name = "telegram"
    can_edit = True

    def __init__(self) -> None:
        self.running = False
        self.started_at: list[float] = []
        self.stopped_at: list[float] = []
        self.sent: list[str] = []
        self.started = asyncio.Event()

    async def start(self, dispatch: Dispatch) -> None:
        self.running = True
        self.started.set()
        self.started_at.append(asyncio.get_running_loop().time())

    async def stop(self) -> None:
        self.running = False
        self.stopped_at.append(asyncio.get_running_loop().time())

    async def send(self, reply: Reply, idempotency_key: str) -> str | None:
        assert self.running, "sent while not holding the platform"
        self.sent.append(reply.text)
        return f"m{len(self.sent)}"


async def _start(platform: FakeTelegram) -> None:
    await platform.start(_no_dispatch)


async def _stop(platform: FakeTelegram) -> None:
    await platform.stop()


async def _no_dispatch(_: object) -> None:
    raise AssertionError("nothing is received in these tests")


@dataclass
class Instance:
    """One bot process's share of the test: its own repository (pool), lease and platform."""

    repo: PostgresRepository
    lease: PlatformLease
    platform: FakeTelegram


@pytest.fixture
async def instances(postgres_url: str) -> AsyncIterator[list[Instance]]:
    """Two instances on one database, each with a short lease on the same platform."""
    made = []
    for owner in ("first", "second"):
        repo, platform = await PostgresRepository(postgres_url).open(), FakeTelegram()
        lease = PlatformLease(repo, platform, owner, _start, _stop, seconds=SECONDS, renew=RENEW)  # type: ignore[arg-type]
        made.append(Instance(repo, lease, platform))
    yield made
    for instance in made:
        await instance.repo.close()


async def test_one_instance_holds_the_platform_and_another_takes_over_when_it_stops_renewing(
    instances: list[Instance],
) -> None:
    first, second = instances
    assert await first.lease.try_once()
    assert not await second.lease.try_once()  # held by the first: the second waits
    assert (first.platform.running, second.platform.running) == (True, False)
    keepers = [asyncio.create_task(instance.lease.keep()) for instance in instances]
    await asyncio.sleep(3 * SECONDS)  # renewed all along: nothing changes hands
    assert (first.platform.running, second.platform.running) == (True, False)
    assert await second.lease.holder() == "first"

    keepers[0].cancel()  # the first instance dies (it neither renews nor hands the lease back)
    died = asyncio.get_running_loop().time()
    async with asyncio.timeout(SECONDS + 2 * RENEW + 1):
        await second.platform.started.wait()
    took = second.platform.started_at[0] - died
    assert took <= SECONDS + RENEW + 0.3, f"took over after {took:.2f}s"
    assert await first.lease.holder() == "second"
    keepers[1].cancel()
    await asyncio.gather(*keepers, return_exceptions=True)


async def test_a_holder_that_loses_the_database_stops_before_anyone_else_can_start(
    instances: list[Instance],
) -> None:
    first, second = instances
    assert await first.lease.try_once()
    keepers = [asyncio.create_task(instance.lease.keep()) for instance in instances]
    await first.repo.close()  # every renewal fails from now on
    async with asyncio.timeout(SECONDS + 2 * RENEW + 1):
        await second.platform.started.wait()
    assert not first.platform.running
    assert first.platform.stopped_at[0] < second.platform.started_at[0]  # never both at once
    for keeper in keepers:
        keeper.cancel()
    await asyncio.gather(*keepers, return_exceptions=True)


async def test_only_the_holder_sends_a_platform_s_messages_and_a_clean_stop_hands_it_over(
    postgres_url: str,
) -> None:
    repos = [await PostgresRepository(postgres_url).open() for _ in range(2)]
    clock = FakeClock(START)
    platforms = [FakeTelegram(), FakeTelegram()]
    apps = [
        Linli(repo, SETTINGS, clock, [platform], leased={"telegram"}, sole_sender=False)  # type: ignore[list-item]
        for repo, platform in zip(repos, platforms, strict=True)
    ]
    for app in apps:
        await app.start(sender=False)
    assert [p.running for p in platforms] == [True, False]
    assert [app.running_platforms() for app in apps] == [["telegram"], []]
    url = "postgresql://linli:secret@db.example:5432/linli"
    assert await start_line(apps[0], url) == (
        "linli is running: platforms telegram; storage postgresql://linli@db.example:5432/linli"
    )
    assert f"telegram (waiting for its lease, held by {apps[0].owner})" in await start_line(apps[1], url)

    await apps[0].enqueue([Reply(ChatRef("telegram", "g1"), "你好")])
    assert await apps[1].flush() == 0  # not its platform now: left for the holder
    assert await apps[0].flush() == 1
    assert platforms[0].sent == ["你好"]

    await apps[0].stop()  # a clean stop hands the lease back at once
    assert await apps[1].leases["telegram"].try_once()
    assert platforms[1].running
    await apps[1].stop()
    for repo in repos:
        await repo.close()


class SlowTelegram(FakeTelegram):
    """Holds its first send until let go: a pass paced past its leases."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.sending = asyncio.Event()

    async def send(self, reply: Reply, idempotency_key: str) -> str | None:
        if not self.sent:
            self.sending.set()
            await self.gate.wait()
        return await super().send(reply, idempotency_key)


async def test_a_sender_whose_lease_ran_out_mid_pass_leaves_what_another_took(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.app.LEASE_SECONDS", 0.5)  # renewed after 0.25 s of a pass
    repos = [await PostgresRepository(postgres_url).open() for _ in range(2)]
    clock, platform = FakeClock(START), SlowTelegram()
    app = Linli(repos[0], SETTINGS, clock, [platform], sole_sender=False)  # type: ignore[list-item]
    await platform.start(_no_dispatch)
    await app.enqueue([Reply(ChatRef("telegram", "g1"), text) for text in ("一", "二")])
    pass_ = asyncio.create_task(app.flush())
    await platform.sending.wait()
    # The first send hangs past the lease; another sender takes what is not marked sent.
    later = START + timedelta(seconds=1)
    taken = await repos[1].lease_outgoing("other", later, later + timedelta(seconds=60))
    assert len(taken) == 2
    await asyncio.sleep(0.3)
    platform.gate.set()
    await pass_
    assert platform.sent == ["一"]  # already on its way; "二" is the other sender's now
    for repo in repos:
        await repo.close()
