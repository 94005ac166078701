"""Ten thousand elders due at the same minute: each greeted once, in batches, in a few seconds."""

from __future__ import annotations

import time as wallclock
from datetime import datetime, timedelta

from bot.app import Linli
from bot.scheduler import Scheduler, SchedulerOptions
from handlers.checkin.checkin import checkin_work_due, run_checkins
from handlers.common.context import Ctx, FakeClock
from storage.models import SentMark
from storage.sqlite import SqliteRepository
from storage.sqlite_core import ts
from tests.conftest import SETTINGS, START

ELDERS = 10_000


async def add_elders(repo: SqliteRepository, count: int, due: datetime, first_id: int = 100_000) -> None:
    """Registers ``count`` elders due at ``due`` straight in SQL (as a district-wide CSV import would)."""
    stamp = ts(due)
    people = [(first_id + i, f"老人{i}", "elder", f"{i % 40 + 1}号楼", stamp) for i in range(count)]
    async with repo.transaction():
        repo.raw.executemany(
            "INSERT INTO persons (id, name, role, building, created_at) VALUES (?, ?, ?, ?, ?)", people
        )
        repo.raw.executemany(
            "INSERT INTO identities (platform, user_id, person_id, display_name) VALUES ('console', ?, ?, ?)",
            [(f"elder-{pid}", pid, name) for pid, name, *_ in people],
        )
        repo.raw.executemany(
            "INSERT INTO elders (person_id, building, room, checkin_time, window_minutes, next_due_at, "
            "created_at, updated_at) VALUES (?, ?, '101', '09:00', 120, ?, ?, ?)",
            [(pid, building, stamp, stamp, stamp) for pid, _, _, building, _ in people],
        )


async def test_ten_thousand_elders_due_at_the_same_minute(repo: SqliteRepository) -> None:
    clock = FakeClock(START)
    await add_elders(repo, ELDERS, START)
    ctx = Ctx(repo=repo, clock=clock, settings=SETTINGS)
    started = wallclock.perf_counter()
    chats = []
    batches = 0
    while await checkin_work_due(ctx):
        async with repo.transaction():
            replies = await run_checkins(ctx, 500)
            for reply in replies:
                await repo.enqueue(reply, clock.now())
        chats += [r.chat.chat_id for r in replies]
        batches += 1
    elapsed = wallclock.perf_counter() - started
    assert len(chats) == ELDERS and len(set(chats)) == ELDERS
    assert batches == ELDERS // 500
    assert await repo.count_outgoing("pending") == ELDERS
    assert len(await repo.checkins_between(START.date(), START.date())) == ELDERS
    assert await run_checkins(ctx) == []
    assert elapsed < 20, f"greeting {ELDERS} elders took {elapsed:.1f}s"
    due = await repo.next_checkin_work_at()
    assert due is not None and due == START + timedelta(hours=2)  # next: the reminders, at the window's end


async def test_the_scheduler_paces_greetings_by_the_outbox(repo: SqliteRepository) -> None:
    """The tick queues a batch, waits for the outbox to drain below the low-water mark, then the next."""
    clock = FakeClock(START)
    await add_elders(repo, 600, START)
    app = Linli(repo, SETTINGS, clock, [])
    scheduler = Scheduler(app, SchedulerOptions(batch=100, backlog=150, poll_seconds=0.001))
    peaks: list[int] = []

    async def drain() -> None:  # a stand-in sender: takes everything that is due
        pending = await repo.due_outgoing(clock.now(), 10_000)
        peaks.append(len(pending))
        for item in pending:
            await repo.mark_sent([SentMark(item.id, clock.now(), None)])

    async def wait() -> None:
        await drain()

    scheduler.wait_for_outbox = wait  # type: ignore[method-assign]
    queued = await scheduler.tick_checkins()
    await drain()
    assert queued == 600
    assert max(peaks) <= 100
    assert await repo.count_outgoing("sent") == 600
