"""Restart safety: a crash at any rung of the ladder neither skips nor repeats a step.

Each "process" is a fresh repository connection, console platform and pipeline on
the same database file; a crash is the process going away — before a due step, in
the middle of one (its transaction rolls back), or after it committed but before
its messages left the outbox.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import Linli
from bot.platforms.console import ConsolePlatform, Sent
from bot.scheduler import run_job
from handlers.checkin.checkin import run_checkins
from handlers.common.context import FakeClock
from storage.checkin_models import LadderStep
from storage.sqlite import SqliteRepository
from tests.checkin_support import ELDER, REGISTER, STAFF
from tests.conftest import GROUP, SETTINGS, START

# When each rung is due after registration at 09:00 (greeting at 09:30, window 2 h, then 30 min apart).
DUE = {
    LadderStep.GREETED: timedelta(minutes=30),
    LadderStep.REMINDED: timedelta(hours=2, minutes=30),
    LadderStep.VOLUNTEERS: timedelta(hours=3),
    LadderStep.STAFF: timedelta(hours=3, minutes=30),
    LadderStep.CONTACT: timedelta(hours=4),
}
WHO = {
    LadderStep.GREETED: [ELDER],
    LadderStep.REMINDED: [ELDER],
    LadderStep.VOLUNTEERS: ["小李", "小王"],
    LadderStep.STAFF: [STAFF],
    LadderStep.CONTACT: [STAFF],
}


class Process:
    """One run of the bot on the database file, with everything it delivered."""

    def __init__(self, app: Linli, console: ConsolePlatform, repo: SqliteRepository) -> None:
        self.app, self.console, self.repo = app, console, repo

    async def say(self, who: str, text: str, **kw: Any) -> list[Sent]:
        await self.console.say(who, text, kw.pop("chat", GROUP), **kw)
        await self.app.wait_idle()
        return self.console.pop()

    async def tick(self, deliver: bool = True) -> list[Sent]:
        await run_job(self.app, run_checkins)
        if deliver:
            await self.app.wait_idle()
        return self.console.pop()


@asynccontextmanager
async def process(path: Path, clock: FakeClock) -> AsyncIterator[Process]:
    repo = await SqliteRepository(str(path)).open()
    console = ConsolePlatform(clock=clock)
    app = Linli(repo, SETTINGS, clock, [console])
    await app.start(sender=False)
    try:
        yield Process(app, console, repo)
    finally:
        await app.stop()
        await repo.close()


async def setup(path: Path, clock: FakeClock) -> None:
    async with process(path, clock) as bot:
        await bot.repo.bind_chat("console", GROUP, "3号楼")
        for name in (ELDER, "小李", "小王"):
            assert await bot.say(name, "大家好") == []
            await bot.repo.verify_identity("console", name)  # staff know these accounts
        assert "已登记" in (await bot.say(STAFF, REGISTER, private=True))[0].text


def recipients(sent: list[Sent]) -> list[str]:
    return sorted(s.chat.chat_id for s in sent)


async def run_ladder(path: Path, clock: FakeClock, crash_at: LadderStep, how: str) -> list[list[str]]:
    """Climbs the whole ladder, crashing once at ``crash_at``; returns who heard, tick by tick."""
    heard: list[list[str]] = []
    await setup(path, clock)
    pending = list(DUE)
    crashed = False
    while pending:
        async with process(path, clock) as bot:
            await bot.app.wait_idle()  # a restarted process first delivers what the last one queued
            leftover = bot.console.pop()
            if leftover:
                heard.append(recipients(leftover))
            while pending:
                step = pending[0]
                due = await bot.repo.next_checkin_work_at()
                assert due is not None
                clock.set(max(clock.now(), due))
                if step is crash_at and not crashed:
                    crashed = True
                    if how == "down":
                        clock.advance(timedelta(minutes=20))  # the process was down when the step came due
                        break
                    if how == "mid-step":

                        async def power_cut(replies: Any) -> None:
                            raise RuntimeError("power cut while queuing")

                        bot.app.enqueue = power_cut  # type: ignore[method-assign]
                        with pytest.raises(RuntimeError):
                            await bot.tick()
                        break
                    assert await bot.tick(deliver=False) == []  # committed, still in the outbox
                    pending.pop(0)
                    break
                heard.append(recipients(await bot.tick()))
                assert await bot.tick() == [], f"{step} fired twice"
                pending.pop(0)
    async with process(path, clock) as bot:
        await bot.app.wait_idle()
        leftover = bot.console.pop()
        if leftover:
            heard.append(recipients(leftover))
        clock.advance(timedelta(hours=3))
        assert await bot.tick() == []
        checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
        assert [entry.step for entry in await bot.repo.ladder_of(checkin.id)] == list(DUE)
    return heard


@pytest.mark.parametrize("how", ["down", "mid-step", "before-send"])
@pytest.mark.parametrize("step", list(DUE))
async def test_a_crash_at_any_step_neither_skips_nor_doubles_it(
    tmp_path: Path, step: LadderStep, how: str
) -> None:
    clock = FakeClock(START)
    heard = await run_ladder(tmp_path / "linli.db", clock, step, how)
    assert heard == [sorted(WHO[s]) for s in DUE], heard


async def test_down_across_several_steps_fires_each_once_in_order(tmp_path: Path) -> None:
    """Down from 11:00 to 13:10: the reminder fires on start, then the ladder goes on at its pace."""
    path = tmp_path / "linli.db"
    clock = FakeClock(START)
    await setup(path, clock)
    async with process(path, clock) as bot:
        clock.set(START + DUE[LadderStep.GREETED])
        assert recipients(await bot.tick()) == [ELDER]
    clock.set(START + timedelta(hours=4, minutes=10))
    heard = []
    async with process(path, clock) as bot:
        heard.append(recipients(await bot.tick()))
        assert await bot.tick() == []
        for _ in range(3):
            clock.advance(timedelta(minutes=30))
            heard.append(recipients(await bot.tick()))
            assert await bot.tick() == []
    assert heard == [[ELDER], ["小李", "小王"], [STAFF], [STAFF]]


async def test_down_for_days_greets_once_for_today(tmp_path: Path) -> None:
    """Down from the 24th 09:00 until the 26th 07:00: one greeting now, none again at 09:30."""
    path = tmp_path / "linli.db"
    clock = FakeClock(START)
    await setup(path, clock)
    clock.set(START + timedelta(days=1, hours=22))  # 11-26 07:00
    async with process(path, clock) as bot:
        assert recipients(await bot.tick()) == [ELDER]
        assert recipients(await bot.say(ELDER, "好", private=True)) == [ELDER]
        clock.set(START + timedelta(days=2, minutes=30))  # 11-26 09:30, the usual time
        assert await bot.tick() == []
        days = [
            c.day.isoformat()
            for c in await bot.repo.checkins_between(START.date(), START.date() + timedelta(3))
        ]
        assert days == ["2026-11-26"]
        clock.set(START + timedelta(days=3, minutes=30))  # 11-27 09:30
        assert recipients(await bot.tick()) == [ELDER]
