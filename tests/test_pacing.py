"""Send pacing: WeChat one message at a time with a random gap, Telegram's per-group limit, and
replies before bulk greetings. The WeChat cases run on a fake clock (no real sleeping)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from bot.pacing import TELEGRAM_PACE, Pace, Pacer
from storage.models import ChatRef, Reply
from storage.sqlite import SqliteRepository
from tests.conftest import START


class FakeTime:
    """A monotonic clock that moves only when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)  # others get their turn meanwhile


def wechat_pacer(time: FakeTime, gap: float = 2.0) -> Pacer:
    return Pacer(
        {"wechat": Pace(gap_seconds=(1.0, 3.0))},
        jitter=lambda low, high: gap,
        clock=time.clock,
        sleep=time.sleep,
    )


def to(chat: str, text: str = "…", *, private: bool = False, bulk: bool = False) -> Reply:
    return Reply(ChatRef("wechat", chat, private), text, bulk=bulk)


async def test_wechat_sends_one_at_a_time_with_a_random_gap() -> None:
    time = FakeTime()
    pacer = wechat_pacer(time)
    sent: list[float] = []

    async def send(reply: Reply) -> None:
        async with pacer.turn(reply):
            sent.append(time.now)

    await asyncio.gather(*(send(to(f"room{n}")) for n in range(4)))
    assert sent == [100.0, 102.0, 104.0, 106.0]  # the first at once, then one gap each
    assert Pacer({"wechat": Pace(gap_seconds=(1.0, 3.0))}).paces["wechat"].bulk_per_pass() == 1


async def test_a_reply_goes_before_greetings_already_waiting() -> None:
    time = FakeTime()
    pacer = wechat_pacer(time)
    order: list[str] = []

    async def send(reply: Reply) -> None:
        async with pacer.turn(reply):
            order.append(reply.text)

    greetings = [to(f"elder{n}", f"greeting{n}", private=True, bulk=True) for n in range(5)]
    waiting = [asyncio.create_task(send(greeting)) for greeting in greetings]
    await asyncio.sleep(0)  # greeting0 is out, greeting1 waits for its gap, the rest queue behind it
    await asyncio.gather(send(to("room", "reply")), *waiting)
    assert order[0] == "greeting0"
    assert order.index("reply") <= 3 and order[-2:] == ["greeting3", "greeting4"]  # ahead of the queue
    assert sorted(order) == sorted(["reply", *(greeting.text for greeting in greetings)])


async def test_telegram_holds_a_busy_group_but_not_the_others() -> None:
    pacer = Pacer({"telegram": TELEGRAM_PACE})
    group_a, group_b = ChatRef("telegram", "-100a"), ChatRef("telegram", "-100b")
    async with asyncio.timeout(1):
        for _ in range(20):  # Telegram's 20 a minute into one group
            async with pacer.turn(Reply(group_a, "…")):
                pass
    waiting = asyncio.create_task(pacer.turn(Reply(group_a, "the 21st")).__aenter__())
    async with asyncio.timeout(1), pacer.turn(Reply(group_b, "another group")):
        pass
    await asyncio.sleep(0.1)
    assert not waiting.done()  # the 21st waits for the group's minute
    waiting.cancel()


async def test_unpaced_platforms_never_wait() -> None:
    pacer = Pacer({"telegram": TELEGRAM_PACE})
    async with asyncio.timeout(1):
        for _ in range(500):
            async with pacer.turn(Reply(ChatRef("console", "g"), "…")):
                pass
    assert pacer.bulk_per_pass() == {"telegram": 30}


async def test_a_pass_takes_every_reply_but_only_a_few_greetings(repo: SqliteRepository) -> None:
    at: datetime = START
    greetings = [await repo.enqueue(to(f"elder{n}", private=True, bulk=True), at) for n in range(10)]
    reply = await repo.enqueue(to("room", "reply"), at)
    card = await repo.enqueue(Reply(ChatRef("telegram", "-100"), "card"), at)
    until = at + timedelta(seconds=60)
    leased = await repo.lease_outgoing("me", at, until, 50, {"wechat": 1})
    assert [item.id for item in leased] == [greetings[0], reply, card]
    assert [item.id for item in await repo.lease_outgoing("me", at, until, 50, {"wechat": 1})] == [
        greetings[1]
    ]
    assert len(await repo.lease_outgoing("me", at, until, 50)) == 8  # unpaced: all that is due
