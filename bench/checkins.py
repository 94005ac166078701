"""10,000 elders due at 09:00, sent through a console platform throttled to Telegram's rate (≈30 msg/s).

The figure that matters is the ratio between how long it took until the last
elder was greeted and the minimum the rate limit allows (10,000 / 30 s): the goal
is at most 1.1.  Meanwhile a resident posts a request in a group every two
seconds; the latency until its card goes out shows that group replies are not
starved behind thousands of greetings.

The whole stack runs as in production: the scheduler's check-in tick (batches
paced by the outbox), the pipeline's durable outbox and send loop, SQLite in WAL
mode.  ``LINLI_BENCH_ELDERS`` and ``LINLI_BENCH_RATE`` shrink it for a quick look
(e.g. 2000 at 300 msg/s); the defaults take about six minutes.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import Linli
from bot.platforms.base import Dispatch
from bot.platforms.console import ConsolePlatform
from bot.scheduler import Scheduler, SchedulerOptions
from handlers.common.context import FakeClock, Settings, StaffMember
from storage.models import Reply
from storage.sqlite import SqliteRepository
from storage.sqlite_core import ts

TZ = ZoneInfo("Asia/Shanghai")
NINE = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)
ELDERS = int(os.environ.get("LINLI_BENCH_ELDERS", "10000"))
RATE = float(os.environ.get("LINLI_BENCH_RATE", "30"))
GROUP = "3号楼互助群"
REQUEST_EVERY = 2.0
TARGET_RATIO = 1.1


class ThrottledConsole:
    """The console platform behind a rate limit: one message per 1/rate seconds, like Telegram's."""

    name = "console"
    can_edit = True

    def __init__(self, console: ConsolePlatform, rate: float, expect: int) -> None:
        self.console = console
        self.interval = 1.0 / rate
        self._next = 0.0
        self.expect = expect
        self.greeted_at: list[float] = []
        self.all_greeted = asyncio.Event()
        self.answered: dict[str, asyncio.Event] = {}

    async def start(self, dispatch: Dispatch) -> None:
        await self.console.start(dispatch)

    async def stop(self) -> None:
        await self.console.stop()

    async def send(self, reply: Reply, idempotency_key: str) -> str | None:
        loop = asyncio.get_running_loop()
        slot = max(loop.time(), self._next)
        self._next = slot + self.interval
        if slot > loop.time():
            await asyncio.sleep(slot - loop.time())
        message_id = await self.console.send(reply, idempotency_key)
        if reply.chat.private:
            self.greeted_at.append(time.perf_counter())
            if len(self.greeted_at) >= self.expect:
                self.all_greeted.set()
        elif reply.reply_to in self.answered:
            self.answered[reply.reply_to].set()
        return message_id


async def add_elders(repo: SqliteRepository, count: int) -> None:
    """``count`` elders in 40 buildings, all due at 09:00, each with a console account."""
    stamp = ts(NINE)
    people = [(200_000 + i, f"老人{i}", f"{i % 40 + 1}号楼") for i in range(count)]
    async with repo.transaction():
        repo.raw.executemany(
            "INSERT INTO persons (id, name, role, building, created_at) VALUES (?, ?, 'elder', ?, ?)",
            [(pid, name, building, stamp) for pid, name, building in people],
        )
        repo.raw.executemany(
            "INSERT INTO identities (platform, user_id, person_id, display_name) VALUES ('console', ?, ?, ?)",
            [(name, pid, name) for pid, name, _ in people],
        )
        repo.raw.executemany(
            "INSERT INTO elders (person_id, building, room, checkin_time, window_minutes, next_due_at, "
            "created_at, updated_at) VALUES (?, ?, '101', '09:00', 120, ?, ?, ?)",
            [(pid, building, stamp, stamp, stamp) for pid, _, building in people],
        )


async def measure() -> dict[str, float]:
    """Greets every elder through the throttled platform; returns the ratio to the rate-limit minimum."""
    with tempfile.TemporaryDirectory(prefix="linli-bench-checkins-") as folder:
        repo = await SqliteRepository(str(Path(folder) / "checkins.db")).open()
        clock = FakeClock(NINE)
        console = ConsolePlatform(clock=clock)
        platform = ThrottledConsole(console, RATE, ELDERS)
        settings = Settings(community="幸福里社区", staff=(StaffMember("张书记", (("console", "张书记"),)),))
        app = Linli(repo, settings, clock, [platform])  # type: ignore[list-item]
        await repo.bind_chat("console", GROUP, "3号楼")
        await add_elders(repo, ELDERS)
        await app.start()
        scheduler = Scheduler(app, SchedulerOptions())
        latencies: list[float] = []
        done = asyncio.Event()

        async def residents() -> None:
            n = 0
            while not done.is_set():
                n += 1
                said = time.perf_counter()
                message_id = console.new_message_id()
                answered = platform.answered[message_id] = asyncio.Event()
                await console.say(f"居民{n}", "谁能帮忙修一下水龙头,一直在漏水", GROUP, message_id=message_id)
                await answered.wait()
                latencies.append(time.perf_counter() - said)
                await asyncio.sleep(max(0.0, REQUEST_EVERY - (time.perf_counter() - said)))

        began = time.perf_counter()
        chatter = asyncio.create_task(residents())
        queued = await scheduler.tick_checkins()
        await platform.all_greeted.wait()
        last = platform.greeted_at[ELDERS - 1] - began
        done.set()
        await chatter
        await app.stop()
        await repo.close()
    minimum = ELDERS / RATE
    cards = sum(1 for latency in latencies if latency)
    assert queued == ELDERS, (queued, ELDERS)
    return {
        "elders": float(ELDERS),
        "rate_msgs_per_s": RATE,
        "greet_seconds": last,
        "minimum_seconds": minimum,
        "greet_ratio": last / minimum,
        "target_ratio": TARGET_RATIO,
        "group_replies": float(cards),
        "group_reply_p50_s": statistics.median(latencies) if latencies else 0.0,
        "group_reply_max_s": max(latencies) if latencies else 0.0,
    }


if __name__ == "__main__":
    for key, value in asyncio.run(measure()).items():
        print(f"{key}: {value:,.3f}")
