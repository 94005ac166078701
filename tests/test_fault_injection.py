"""Every storage call fails in turn, for every kind of message: nothing is delivered that was not
committed, nothing committed is left undelivered, and staff always hear of an emergency.

Each case runs once without faults to count the repository calls the message costs (handling
and sending), then once per call with that call failing, before it reaches the database or
after it did (the caller sees an error either way). Afterwards the faults stop, the clock moves
on so retries and leases come due, and the outbox is drained.
"""

from __future__ import annotations

import contextlib
import inspect
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import LEASE_SECONDS, Linli
from bot.platforms.console import ConsolePlatform
from handlers.common.context import FakeClock
from storage.models import ChatRef, Reply
from storage.sqlite import SqliteRepository
from tests.checkin_support import REGISTER, meet, tick
from tests.conftest import GROUP, SETTINGS, STAFF, START, BotHarness

NEED = "3号楼502王奶奶想请人明天上午帮忙买点菜"
EMERGENCY = "快来人!李大爷摔倒了起不来"
STAFF_CHAT = ChatRef("console", STAFF, True)


class Faults:
    """Counts repository calls and fails the one numbered ``fail_at``."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.fail_at: int | None = None
        self.after = False  # fail once the call has done its work (a lost answer)
        self.counting = False

    def tick(self, name: str) -> bool:
        """Counts a call; True when this one is to fail."""
        if not self.counting:
            return False
        self.calls.append(name)
        return len(self.calls) == self.fail_at


class FaultyRepo:
    """The repository, with every public call counted and, when its turn comes, failed."""

    def __init__(self, repo: SqliteRepository, faults: Faults) -> None:
        self._repo = repo
        self._faults = faults

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._repo, name)
        if name.startswith("_") or not inspect.iscoroutinefunction(attr):
            return attr
        faults = self._faults

        async def call(*args: Any, **kwargs: Any) -> Any:
            fail = faults.tick(name)
            if fail and not faults.after:
                raise sqlite3.OperationalError(f"injected before {name}")
            result = await attr(*args, **kwargs)
            if fail:
                raise sqlite3.OperationalError(f"injected after {name}")
            return result

        return call

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if self._faults.tick("transaction"):
            raise sqlite3.OperationalError("injected at BEGIN")
        async with self._repo.transaction():
            yield


class RecordingConsole(ConsolePlatform):
    """Counts every send call by key, as a platform that keeps no transcript would receive them."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock=clock)
        self.calls: Counter[str] = Counter()
        self.texts: dict[str, tuple[ChatRef, str]] = {}

    async def send(self, reply: Reply, idempotency_key: str) -> str | None:
        self.calls[idempotency_key] += 1
        self.texts[idempotency_key] = (reply.chat, reply.text)
        return await super().send(reply, idempotency_key)


@dataclass
class Case:
    """A message kind: what comes before it (fault-free) and the message itself."""

    setup: Callable[[BotHarness], Awaitable[None]]
    act: Callable[[BotHarness], Awaitable[None]]
    emergency: bool = False


async def nothing(bot: BotHarness) -> None:
    return None


async def requested(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)


async def requested_and_met(bot: BotHarness) -> None:
    await meet(bot, "小李")
    await requested(bot)


async def claimed(bot: BotHarness) -> None:
    await requested(bot)
    await bot.reply("小李", 1, "我来")


async def done(bot: BotHarness) -> None:
    await claimed(bot)
    await bot.reply("小李", 1, "完成,用了两个小时")


async def greeted(bot: BotHarness) -> None:
    await meet(bot, "王奶奶", "小李", "小王")
    await bot.say(STAFF, REGISTER, private=True)
    bot.clock.advance(timedelta(minutes=30))
    await tick(bot)


async def reply_to_card(bot: BotHarness, who: str, text: str) -> None:
    card = bot.console.last_card(1, GROUP)
    assert card is not None
    await bot.console.say(who, text, GROUP, reply_to=card.message_id)


CASES = {
    "request": Case(nothing, lambda bot: bot.console.say("王奶奶", NEED, GROUP)),
    "claim": Case(requested, lambda bot: reply_to_card(bot, "小李", "我来")),
    "done": Case(claimed, lambda bot: reply_to_card(bot, "小李", "完成,用了两个小时")),
    "confirm": Case(done, lambda bot: reply_to_card(bot, "王奶奶", "确认")),
    "emergency": Case(nothing, lambda bot: bot.console.say("王奶奶", EMERGENCY, GROUP), emergency=True),
    "checkin reply": Case(greeted, lambda bot: bot.console.say("王奶奶", "挺好的,放心吧", private=True)),
    "staff command": Case(requested_and_met, lambda bot: bot.console.say(STAFF, "/assign 1 小李", GROUP)),
}


async def run_case(
    case: Case, folder: Path, fail_at: int | None, after: bool
) -> tuple[Faults, list[Any], Any]:
    """Runs one case with the numbered call failing; returns the faults, what the message caused
    to be delivered (chat, text) and the bot for inspection."""
    repo = await SqliteRepository(str(folder / "linli.db")).open()
    faults = Faults()
    clock = FakeClock(START)
    console = RecordingConsole(clock)
    app = Linli(FaultyRepo(repo, faults), SETTINGS, clock, [console])  # type: ignore[arg-type]
    app.retry_delays = (5.0,)
    await repo.bind_chat("console", GROUP, "3号楼")
    await app.start(sender=False)
    bot = BotHarness(app, console, repo, clock)
    try:
        await case.setup(bot)
        console.pop()
        before = set(console.calls)
        faults.fail_at, faults.after, faults.counting = fail_at, after, True
        with contextlib.suppress(sqlite3.OperationalError):  # a message that could not even be stored
            await case.act(bot)
        with contextlib.suppress(sqlite3.OperationalError):
            await app.wait_idle()
        faults.counting = False
        for step in (timedelta(seconds=6), timedelta(seconds=LEASE_SECONDS + 1)):
            clock.advance(step)  # retries and run-out leases come due
            await app.wait_idle()
        check(repo, console, before)
        caused = [console.texts[key] for key in console.calls if key not in before]
        return faults, caused, await repo.count_incoming("failed")
    finally:
        await app.stop()
        await repo.close()


def check(repo: SqliteRepository, console: RecordingConsole, before: set[str]) -> None:
    """Delivered means committed (same words), committed means delivered, and each exactly once."""
    rows = repo.raw.execute("SELECT id, chat_id, text, state FROM outbox").fetchall()
    committed = {f"outbox-{i}": (chat_id, text) for i, chat_id, text, _ in rows}
    delivered = {key: (chat.chat_id, text) for key, (chat, text) in console.texts.items()}
    assert delivered == committed
    assert {state for *_, state in rows} <= {"sent"}
    assert max(console.calls.values(), default=1) == 1, [k for k, n in console.calls.items() if n > 1]


@pytest.mark.parametrize("kind", list(CASES))
async def test_every_storage_call_failing_in_turn(kind: str, tmp_path: Path) -> None:
    case = CASES[kind]
    faults, expected, _ = await run_case(case, tmp_path / "clean", None, False)
    assert expected, "the message should cause something to be sent"
    for n in range(1, len(faults.calls) + 1):
        for after in (False, True):
            folder = tmp_path / f"{n}{'a' if after else 'b'}"
            folder.mkdir()
            where = f"call {n} ({faults.calls[n - 1]}, {'after' if after else 'before'})"
            _, caused, failed = await run_case(case, folder, n, after)
            alerts = [(chat, text) for chat, text in caused if "紧急求助" in text]
            if case.emergency:
                assert [chat for chat, _ in caused if chat == STAFF_CHAT], where  # staff always told
            # After its retry the message has done all it would have done, and nothing of a
            # failed try went out; only the direct emergency alert is extra.
            assert Counter(c for c in caused if c not in alerts) == Counter(expected), where
            assert failed == 0, where
