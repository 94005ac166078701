"""The daily digest over a database of 1,000,000 tasks must take under two seconds.

The database is a community three years on: 40 buildings, 5,000 people, a million
tasks (about 900 a day; most confirmed, a few hundred still open, claimed or done),
their claim/done/confirm events, and 500 elders with a month of check-ins.  It is
generated with bulk inserts in a temporary folder (about half a minute), then the
digest of the last day is built and rendered several times; the figure is the median.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from handlers.common.context import Ctx, FakeClock, Settings, StaffMember
from handlers.digest.chart import render_chart
from handlers.digest.digest import make_digest, render
from storage.sqlite import SqliteRepository
from storage.sqlite_core import ts

TZ = ZoneInfo("Asia/Shanghai")
TASKS = int(os.environ.get("LINLI_BENCH_TASKS", "1000000"))
DAYS = 3 * 365
PEOPLE = 5_000
BUILDINGS = 40
ELDERS = 500
LAST_DAY = datetime(2026, 11, 24, tzinfo=TZ)
BUDGET_SECONDS = 2.0
CATEGORIES = ("shopping", "medicine", "meals", "repair", "cleaning", "companionship", "errands", "tech_help")


def _text_time(expression: str) -> str:
    """SQL that writes seconds since the epoch the way ``ts`` does (fixed-width UTC text)."""
    return f"(strftime('%Y-%m-%dT%H:%M:%S', {expression}, 'unixepoch') || '.000000+00:00')"


async def build_database(path: Path, tasks: int = TASKS) -> None:
    """Fills a fresh database with three years of a busy community, in SQL; indexes are rebuilt after."""
    repo = await SqliteRepository(str(path)).open()
    first = (LAST_DAY - timedelta(days=DAYS - 1) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
    end = first + DAYS * 86_400
    categories = " ".join(f"WHEN {i} THEN '{c}'" for i, c in enumerate(CATEGORIES))
    created, updated = _text_time("created"), _text_time("created + took")
    window = _text_time("created + 3600 * CASE n % 4 WHEN 0 THEN 2 WHEN 1 THEN 6 WHEN 2 THEN 24 ELSE 48 END")
    try:
        async with repo.transaction():
            db = repo.raw  # seeding in bulk, straight through the connection
            indexes = db.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('tasks', 'task_events')"
            ).fetchall()
            for name, _ in indexes:
                db.execute(f"DROP INDEX {name}")
            db.executemany(
                "INSERT INTO persons (id, name, role, building, created_at) VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        i,
                        f"居民{i}",
                        "volunteer" if i % 5 == 0 else "resident",
                        f"{i % BUILDINGS + 1}号楼",
                        ts(LAST_DAY),
                    )
                    for i in range(1, PEOPLE + 1)
                ],
            )
            db.execute(
                "CREATE TEMP TABLE seed AS WITH RECURSIVE seq(n) AS "
                f"(SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {tasks}) "
                f"SELECT n, {first} + (n - 1) * {DAYS * 86_400 / tasks} AS created, "
                "(abs(random()) % 1000000) / 1000000.0 AS roll, "
                f"1 + abs(random()) % {PEOPLE} AS requester, "
                f"5 * (1 + abs(random()) % {PEOPLE // 5}) AS volunteer, "
                "(0.5 + (abs(random()) % 2950) / 100.0) * 3600 AS took FROM seq"
            )
            db.execute(
                "CREATE TEMP TABLE gen AS SELECT *, CASE "
                f"WHEN {end} - created > 3 * 86400 OR roll < 0.90 "
                "THEN CASE WHEN roll < 0.97 THEN 'confirmed' ELSE 'cancelled' END "
                "ELSE CASE CAST(roll * 100 AS INTEGER) % 3 "
                "WHEN 0 THEN 'open' WHEN 1 THEN 'claimed' ELSE 'done' END "
                "END AS state FROM seed"
            )
            db.execute(
                "INSERT INTO tasks (id, state, text, requester_id, category, urgency, window_start, "
                "window_end, building, claimer_id, duration_hours, created_at, updated_at) "
                f"SELECT n, state, '帮忙', requester, CASE n % {len(CATEGORIES)} {categories} END, "
                f"CASE WHEN roll > 0.95 THEN 'urgent' ELSE 'normal' END, {created}, "
                f"{window}, "
                f"(requester % {BUILDINGS} + 1) || '号楼', "
                "CASE WHEN state IN ('claimed', 'done', 'confirmed') THEN volunteer END, "
                f"CASE WHEN state = 'confirmed' THEN 0.5 * (1 + n % 4) END, {created}, {updated} FROM gen"
            )
            moves = [
                ("create", "NULL", "'open'", "requester", "created", "1"),
                (
                    "claim",
                    "'open'",
                    "'claimed'",
                    "volunteer",
                    "created + took / 3",
                    "state IN ('claimed', 'done', 'confirmed')",
                ),
                (
                    "done",
                    "'claimed'",
                    "'done'",
                    "volunteer",
                    "created + took * 2 / 3",
                    "state IN ('done', 'confirmed')",
                ),
                ("confirm", "'done'", "'confirmed'", "requester", "created + took", "state = 'confirmed'"),
                ("cancel", "'open'", "'cancelled'", "requester", "created + took", "state = 'cancelled'"),
            ]
            for action, before, after, actor, at, where in moves:
                db.execute(
                    "INSERT INTO task_events (task_id, action, from_state, to_state, actor_id, at) "
                    f"SELECT n, '{action}', {before}, {after}, {actor}, {_text_time(at)} "
                    f"FROM gen WHERE {where}"
                )
            db.execute(  # the love-bank ledger the digest totals hours from
                "INSERT INTO service_records (kind, person_id, counterpart_id, task_id, served_at, building, "
                "category, hours, served, total_after, balance_after, witness_id, created_at) "
                f"SELECT 'service', volunteer, requester, n, {_text_time('created + took')}, "
                f"(requester % {BUILDINGS} + 1) || '号楼', CASE n % {len(CATEGORIES)} {categories} END, "
                f"0.5 * (1 + n % 4), 1, 0, 0, requester, {_text_time('created + took')} "
                "FROM gen WHERE state = 'confirmed'"
            )
            db.execute("DROP TABLE gen")
            db.execute("DROP TABLE seed")
            for _, sql in indexes:
                db.execute(sql)
            await _elders(db, random.Random(6))
    finally:
        await repo.close()


async def _elders(db, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """500 elders with a month of check-ins: most answer, some miss, a few ladders climb."""
    stamp = ts(LAST_DAY)
    db.executemany(
        "INSERT INTO elders (id, person_id, building, room, checkin_time, window_minutes, next_due_at, "
        "created_at, updated_at) VALUES (?, ?, ?, '101', '09:00', 120, ?, ?, ?)",
        [(i, i, f"{i % BUILDINGS + 1}号楼", stamp, stamp, stamp) for i in range(1, ELDERS + 1)],
    )
    rows = []
    for offset in range(30):
        day = LAST_DAY - timedelta(days=offset)
        greeted = day.replace(hour=9)
        for elder in range(1, ELDERS + 1):
            answered = rng.random() < 0.93
            rows.append(
                (
                    elder,
                    day.date().isoformat(),
                    ts(greeted),
                    ts(greeted),
                    ts(greeted + timedelta(hours=2)),
                    "answered" if answered else "closed",
                    "greeted" if answered else "volunteers",
                    int(answered),
                    rng.choice(("good", "good", "good", "fair", "bad")),
                    "answered" if answered else rng.choice(("safe", "reached", "late")),
                )
            )
    db.executemany(
        "INSERT INTO checkins (elder_id, day, due_at, greeted_at, window_end, state, step, "
        "answered_in_window, wellbeing, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.execute(
        "INSERT INTO checkin_steps (checkin_id, step, at, reached) "
        "SELECT id, 'reminded', window_end, 1 FROM checkins WHERE answered_in_window = 0"
    )


async def measure() -> dict[str, float]:
    """Builds the digest of the last day over a million tasks; returns the median time and budget ratio."""
    with tempfile.TemporaryDirectory(prefix="linli-bench-digest-") as folder:
        path = Path(folder) / "digest.db"
        began = time.perf_counter()
        await build_database(path)
        generated = time.perf_counter() - began
        repo = await SqliteRepository(str(path)).open()
        try:
            clock = FakeClock(LAST_DAY + timedelta(days=1, hours=8))
            settings = Settings(
                community="幸福里社区", staff=(StaffMember("张书记", (("console", "张书记"),)),)
            )
            ctx = Ctx(repo=repo, clock=clock, settings=settings)
            timings = []
            text = ""
            for _ in range(5):
                began = time.perf_counter()
                digest = await make_digest(ctx, LAST_DAY.date())
                text = render(digest, "zh-Hans")
                timings.append(time.perf_counter() - began)
            began = time.perf_counter()
            render_chart(digest, "zh-Hans")
            chart = time.perf_counter() - began
            count = (await repo._fetchone("SELECT count(*) FROM tasks"))[0]
        finally:
            await repo.close()
    assert "日报" in text
    median = statistics.median(timings)
    return {
        "tasks": float(count),
        "digest_seconds_median": median,
        "digest_seconds_first": timings[0],
        "digest_budget_ratio": median / BUDGET_SECONDS,
        "chart_seconds": chart,
        "generate_seconds": generated,
    }


if __name__ == "__main__":
    import asyncio

    for key, value in asyncio.run(measure()).items():
        print(f"{key}: {value:,.3f}")
