"""The bot's loops under a stream: every stored message is handled once, every queued message
reaches the platform exactly once."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from datetime import datetime

import pytest

from bot.app import Linli
from bot.platforms.console import ConsolePlatform
from handlers.common.context import FakeClock
from storage.models import ChatRef, Incoming, Reply
from storage.sqlite import SqliteRepository
from tests.conftest import SETTINGS


class CountingConsole(ConsolePlatform):
    """A console that counts send calls, as a platform without idempotency keys would feel them."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock=clock)
        self.calls: Counter[str] = Counter()
        self.texts: dict[str, str] = {}

    async def send(self, reply: Reply, idempotency_key: str) -> str | None:
        self.calls[idempotency_key] += 1
        self.texts[idempotency_key] = reply.text
        await asyncio.sleep(0)  # a real platform awaits the network
        return await super().send(reply, idempotency_key)


async def running_bot(
    repo: SqliteRepository, clock: FakeClock, buildings: int = 3
) -> tuple[Linli, CountingConsole]:
    """The bot with its real sender loop racing the consumer, groups 1号楼互助群… bound to their buildings."""
    console = CountingConsole(clock)
    app = Linli(repo, SETTINGS, clock, [console])
    for building in range(1, buildings + 1):
        await repo.bind_chat("console", f"{building}号楼互助群", f"{building}号楼")
    await app.start()
    return app, console


async def test_a_busy_stream_sends_each_reply_once(repo: SqliteRepository, clock: FakeClock) -> None:
    app, console = await running_bot(repo, clock, buildings=8)

    async def neighbour(n: int) -> None:
        for k in range(25):
            await console.say(f"居民{n}", f"{n}号楼有没有人明天上午能帮我买点菜 第{k}次", f"{n}号楼互助群")

    await asyncio.gather(*(neighbour(n) for n in range(1, 9)))
    await app.wait_idle()
    await app.stop()
    assert await repo.count_outgoing("pending") == 0
    assert sum(console.calls.values()) == await repo.count_outgoing("sent") >= 200
    assert max(console.calls.values()) == 1, [k for k, c in console.calls.items() if c > 1][:5]
    # What went out is what the outbox holds.
    rows = repo.raw.execute("SELECT id, text FROM outbox").fetchall()
    assert console.texts == {f"outbox-{outbox_id}": text for outbox_id, text in rows}


async def test_a_lone_reply_is_recorded_sent_soon_without_another_message(
    repo: SqliteRepository, clock: FakeClock
) -> None:
    app, console = await running_bot(repo, clock)
    await console.say("王奶奶", "明天上午谁能帮我买点菜", "3号楼互助群")
    for _ in range(100):  # no wait_idle: the send loop alone must deliver and record it
        await asyncio.sleep(0.01)
        if await repo.count_outgoing("sent") == 1:
            break
    assert await repo.count_outgoing("sent") == 1
    assert sum(console.calls.values()) == 1
    await app.stop()


async def test_a_card_quoted_the_moment_it_arrives_is_claimed(
    repo: SqliteRepository, clock: FakeClock
) -> None:
    """The card's delivery mark may not be written yet when the reply comes: the claim still finds it."""
    app, console = await running_bot(repo, clock)
    await console.say("王奶奶", "明天上午谁能帮我买点菜", "3号楼互助群")
    for _ in range(10_000):  # the moment the send loop has delivered it, not a tick later
        if (card := console.last_card(1)) is not None:
            break
        await asyncio.sleep(0)
    assert card is not None
    await console.say("小李", "我来", "3号楼互助群", reply_to=card.message_id)
    await app.wait_idle()
    task = await repo.get_task(1)
    assert task is not None and task.claimer_id is not None
    await app.stop()


async def test_a_message_stored_but_never_handled_is_handled_at_start(
    repo: SqliteRepository, clock: FakeClock
) -> None:
    """As an older Linli left it: stored as new, then stopped before handling it."""
    group = ChatRef("console", "3号楼互助群")
    msg = Incoming("console", group, "王奶奶", "王奶奶", "明天上午谁能帮我买点菜", "m1", clock.now())
    await repo.store_incoming(msg)
    app, console = await running_bot(repo, clock)
    await app.wait_idle()
    await app.stop()
    assert (await repo.count_incoming("new"), await repo.count_incoming("done")) == (0, 1)
    assert [task.text for task in await repo.list_tasks()] == ["明天上午谁能帮我买点菜"]
    assert sum(console.calls.values()) == 1  # its card


async def test_a_reply_another_writer_queued_is_sent_while_the_bot_is_busy(
    repo: SqliteRepository, clock: FakeClock
) -> None:
    """The sender reads the outbox, so what any writer committed goes out with the rest."""
    app, console = await running_bot(repo, clock)
    await console.say("王奶奶", "明天上午谁能帮我买点菜", "3号楼互助群")
    await asyncio.sleep(0.1)  # idle: the sender has seen the outbox empty
    elsewhere = await repo.enqueue(Reply(ChatRef("console", "3号楼互助群"), "另一个进程排的"), clock.now())
    began = asyncio.get_running_loop().time()
    n = 0
    while f"outbox-{elsewhere}" not in console.calls and asyncio.get_running_loop().time() - began < 5:
        n += 1  # a steady stream keeps the sender busy with the consumer's replies
        await console.say(f"居民{n}", f"有没有人能帮我修一下水龙头 第{n}次", "3号楼互助群")
        await asyncio.sleep(0.01)
    waited = asyncio.get_running_loop().time() - began
    await app.wait_idle()
    await app.stop()
    assert console.calls[f"outbox-{elsewhere}"] == 1
    assert waited < 1.0
    assert max(console.calls.values()) == 1
    assert await repo.count_outgoing("pending") == 0


EMERGENCY = "快来人!李大爷摔倒了起不来"


async def test_a_failed_emergency_sends_nothing_of_it_but_staff_are_told_and_ids_stay_unique(
    repo: SqliteRepository, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staff alert cannot be queued (a disk error, say): the group warning queued before it is
    rolled back and never sent, staff still hear of it, and the next card is not lost."""
    original = repo.enqueue

    async def enqueue(reply: Reply, at: datetime) -> int:
        if reply.chat.private and reply.text.startswith("🚨 紧急 E"):
            raise sqlite3.OperationalError("disk I/O error")
        return await original(reply, at)

    monkeypatch.setattr(repo, "enqueue", enqueue)
    app, console = await running_bot(repo, clock)
    app.retry_delays = ()  # no retry: the failure stays
    await console.say("王奶奶", EMERGENCY, "3号楼互助群")
    await asyncio.sleep(0.1)  # the send loop's own pass, as in production
    await app.wait_idle()
    texts = {key: console.texts[key] for key in console.calls}
    assert not [text for text in texts.values() if "120" in text]  # the group warning was rolled back
    staff = [s for s in console.sent if s.chat == ChatRef("console", "张书记", True)]
    assert len(staff) == 1 and "紧急求助" in staff[0].text and EMERGENCY in staff[0].text
    assert await repo.count_incoming("failed") == 1

    await console.say("王奶奶", "明天上午谁能帮我买点菜", "3号楼互助群")
    await asyncio.sleep(0.1)
    await app.wait_idle()
    await app.stop()
    card = console.last_card(1)
    assert card is not None and "#" in card.text  # the next request's card reached the group
    rows = repo.raw.execute("SELECT id, text, state FROM outbox").fetchall()
    assert {f"outbox-{i}": t for i, t, _ in rows} == console.texts
    assert {state for _, _, state in rows} == {"sent"}
    assert max(console.calls.values()) == 1


async def test_a_failed_emergency_is_handled_in_full_when_tried_again(
    repo: SqliteRepository, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = repo.enqueue
    failures = [sqlite3.OperationalError("disk I/O error")]

    async def enqueue(reply: Reply, at: datetime) -> int:
        if reply.chat.private and reply.text.startswith("🚨 紧急 E") and failures:
            raise failures.pop()
        return await original(reply, at)

    monkeypatch.setattr(repo, "enqueue", enqueue)
    app, console = await running_bot(repo, clock)
    app.retry_delays = (0.0,)
    await console.say("王奶奶", EMERGENCY, "3号楼互助群")
    await app.wait_idle()
    await app.stop()
    staff = [s.text for s in console.sent if s.chat == ChatRef("console", "张书记", True)]
    assert len(staff) == 2 and "紧急求助" in staff[0] and staff[1].startswith("🚨 紧急 E1")
    assert len([s for s in console.sent if "120" in s.text]) == 1  # the group is told once
    assert (await repo.count_incoming("failed"), await repo.count_incoming("done")) == (0, 1)
