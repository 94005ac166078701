"""bot/scheduler.py: the jobs APScheduler runs, their catch-up on start, and one transaction per job."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import ConfigError, parse_config
from bot.scheduler import Scheduler, SchedulerOptions, run_job
from handlers.common.context import Ctx
from storage.models import ChatRef, Reply
from tests.checkin_support import ELDER, register, to


def test_options_come_from_the_config() -> None:
    config = parse_config({"scheduler": {"tick_seconds": 5, "batch": 20, "backlog": 40, "enabled": False}})
    options = SchedulerOptions.from_table(config.scheduler)
    assert (options.tick_seconds, options.batch, options.backlog, options.enabled) == (5, 20, 40, False)
    with pytest.raises(ConfigError, match=r"scheduler\.tick"):
        parse_config({"scheduler": {"tick": 5}})
    with pytest.raises(ConfigError, match=r"checkin\.time"):
        parse_config({"checkin": {"time": "nine"}})


async def test_jobs_are_registered_and_the_first_ticks_run_at_once(bot) -> None:
    scheduler = Scheduler(bot.app, SchedulerOptions(tick_seconds=15))
    ran: dict[str, asyncio.Event] = {"checkins": asyncio.Event(), "digest": asyncio.Event()}

    async def checkins() -> int:
        ran["checkins"].set()
        return 0

    async def digest() -> int:
        ran["digest"].set()
        return 0

    scheduler.tick_checkins = checkins  # type: ignore[method-assign]
    scheduler.tick_digest = digest  # type: ignore[method-assign]
    await scheduler.start()
    try:
        jobs = {job.id: job for job in scheduler._scheduler.get_jobs()}  # type: ignore[union-attr]
        assert {"checkins", "reminders", "digest", "incidents"} <= set(jobs)
        assert isinstance(jobs["checkins"].trigger, IntervalTrigger)
        assert isinstance(jobs["digest"].trigger, CronTrigger) and "hour='8'" in str(jobs["digest"].trigger)
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in ran.values())), 5)
    finally:
        await scheduler.stop()


async def test_a_disabled_scheduler_starts_nothing(bot) -> None:
    scheduler = Scheduler(bot.app, SchedulerOptions(enabled=False))
    await scheduler.start()
    assert scheduler._scheduler is None
    await scheduler.stop()


async def test_a_job_and_its_messages_commit_together(bot) -> None:
    async def broken(ctx: Ctx) -> list[Reply]:
        await ctx.repo.bind_chat("console", "新群", "9号楼")
        raise RuntimeError("bug after writing")

    with pytest.raises(RuntimeError):
        await run_job(bot.app, broken)
    assert (await bot.repo.get_chat("console", "新群")) is None

    async def fine(ctx: Ctx) -> list[Reply]:
        return [Reply(chat=ChatRef("console", "小李", True), text="hi")]

    await run_job(bot.app, fine)
    await bot.app.wait_idle()
    assert [s.text for s in bot.console.pop()] == ["hi"]


async def test_the_checkin_tick_greets_and_climbs(bot) -> None:
    await register(bot)
    scheduler = Scheduler(bot.app, SchedulerOptions(batch=1, backlog=5))
    bot.clock.advance(timedelta(minutes=30))
    assert await scheduler.tick_checkins() == 1
    await bot.app.wait_idle()
    assert to(bot.console.pop(), ELDER)
    assert await scheduler.tick_checkins() == 0
    bot.clock.advance(timedelta(hours=2))
    assert await scheduler.tick_checkins() == 1
    await bot.app.wait_idle()
    assert to(bot.console.pop(), ELDER)
    assert await scheduler.tick_reminders() == 0
    assert await scheduler.tick_digest() == 0  # nothing happened before yesterday: no digest yet
