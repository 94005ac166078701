"""APScheduler drives the clock; the database holds every schedule.

Jobs are rebuilt on every start from nothing but this module: each tick asks the
database what is due (greetings, ladder steps, reminders, the digest) and does it
inside one transaction together with queuing its messages.  A step whose time
passed while the process was down is due at the first tick after the start — it
fires once, late, and is never skipped nor doubled.

Greeting ten thousand elders at 09:00 goes in small batches, each queued only when
the outbox has drained below a low-water mark, so replies in the groups never wait
behind thousands of greetings and the platform's rate limit is the only brake.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import Linli
from handlers.checkin.checkin import checkin_work_due, run_checkins
from handlers.common.context import Ctx
from handlers.digest.digest import send_digest
from handlers.emergency.incidents import escalate_incidents
from handlers.lovebank.timebank import send_monthly_statements
from handlers.queue.reminders import renudge_open_tasks
from storage.models import Reply

log = logging.getLogger(__name__)

Job = Callable[[Ctx], Awaitable[list[Reply]]]


@dataclass(frozen=True, slots=True)
class SchedulerOptions:
    """How often the ticks run and how greetings are paced (``[scheduler]`` in the config)."""

    enabled: bool = True
    tick_seconds: float = 15.0
    reminder_seconds: float = 60.0
    batch: int = 50
    backlog: int = 30
    poll_seconds: float = 0.05

    @classmethod
    def from_table(cls, table: Mapping[str, Any]) -> SchedulerOptions:
        """Reads the validated ``[scheduler]`` table (see ``bot.config``)."""
        known = {f.name: table[f.name] for f in fields(cls) if f.name in table}
        return cls(**known)


async def run_job(app: Linli, job: Job) -> list[Reply]:
    """Runs a job and queues its messages in one transaction: both happen, or neither does."""
    async with app.repo.transaction():
        replies = await job(app.ctx)
        await app.enqueue(replies)
    return replies


class Scheduler:
    """The bot's timers: check-ins and ladders, task reminders, and the morning digest."""

    def __init__(self, app: Linli, options: SchedulerOptions | None = None) -> None:
        self.app = app
        self.options = options or SchedulerOptions()
        self._scheduler: AsyncIOScheduler | None = None
        self._checkin_lock = asyncio.Lock()

    async def start(self) -> None:
        """Registers the jobs and starts; the first check-in and digest ticks run at once (catch-up)."""
        if not self.options.enabled:
            log.info("scheduler disabled in the config")
            return
        settings = self.app.settings
        tz = settings.tz
        scheduler = AsyncIOScheduler(
            timezone=tz, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}
        )
        now = datetime.now(tz)
        scheduler.add_job(
            self.tick_checkins,
            IntervalTrigger(seconds=self.options.tick_seconds, timezone=tz),
            id="checkins",
            next_run_time=now,
        )
        scheduler.add_job(
            self.tick_reminders,
            IntervalTrigger(seconds=self.options.reminder_seconds, timezone=tz),
            id="reminders",
            next_run_time=now,
        )
        scheduler.add_job(
            self.tick_incidents,
            IntervalTrigger(seconds=self.options.tick_seconds, timezone=tz),
            id="incidents",
            next_run_time=now,
        )
        send_at = settings.digest.send_at
        scheduler.add_job(
            self.tick_digest,
            CronTrigger(hour=send_at.hour, minute=send_at.minute, timezone=tz),
            id="digest",
            misfire_grace_time=12 * 3600,
        )
        scheduler.add_job(self.tick_digest, id="digest-catch-up", next_run_time=now)
        scheduler.add_job(
            self.tick_statements,
            CronTrigger(hour=9, minute=30, timezone=tz),
            id="statements",
            misfire_grace_time=12 * 3600,
        )
        scheduler.add_job(self.tick_statements, id="statements-catch-up", next_run_time=now)
        scheduler.start()
        self._scheduler = scheduler
        log.info(
            "scheduler started: check-ins every %ss, reminders every %ss, digest at %s",
            self.options.tick_seconds,
            self.options.reminder_seconds,
            send_at.strftime("%H:%M"),
        )

    async def stop(self) -> None:
        """Stops the timers; a tick in progress finishes its current transaction."""
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        async with self._checkin_lock:
            pass

    async def tick_checkins(self) -> int:
        """Greets and climbs ladders in batches paced by the outbox; returns how many messages were queued."""
        queued = 0
        async with self._checkin_lock:
            try:
                while True:
                    batch = self.options.batch

                    async def job(ctx: Ctx, size: int = batch) -> list[Reply]:
                        return await run_checkins(ctx, size)

                    queued += len(await run_job(self.app, job))
                    if not await checkin_work_due(self.app.ctx):
                        break
                    await self.wait_for_outbox()
            except Exception:
                log.exception("check-in tick failed; the next tick retries what is still due")
        return queued

    async def wait_for_outbox(self) -> None:
        """Waits until at most ``backlog`` messages are waiting to go out (so group replies stay quick)."""
        limit = self.options.backlog
        while True:
            waiting = await self.app.repo.due_outgoing(self.app.clock.now(), limit + 1)
            if len(waiting) <= limit:
                return
            await asyncio.sleep(self.options.poll_seconds)  # the sender drains it; polling is cheap

    async def tick_reminders(self) -> int:
        """Re-announces and nudges whatever is due."""
        try:
            return len(await run_job(self.app, renudge_open_tasks))
        except Exception:
            log.exception("reminder tick failed")
            return 0

    async def tick_incidents(self) -> int:
        """Calls the next people up for emergencies nobody acknowledged in time."""
        try:
            return len(await run_job(self.app, escalate_incidents))
        except Exception:
            log.exception("incident tick failed; the next tick retries")
            return 0

    async def tick_digest(self) -> int:
        """Sends yesterday's digest if it is due and was not sent (at the time, or late after a restart)."""
        try:
            return len(await run_job(self.app, send_digest))
        except Exception:
            log.exception("digest tick failed")
            return 0

    async def tick_statements(self) -> int:
        """Sends last month's passbook statements once, from the configured day on (爱心银行)."""
        try:
            return len(await run_job(self.app, send_monthly_statements))
        except Exception:
            log.exception("monthly statement tick failed; the next tick retries")
            return 0


__all__ = ["Scheduler", "SchedulerOptions", "run_job"]
