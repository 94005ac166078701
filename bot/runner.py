"""Builds a running bot from a config: storage, platforms, pipeline, scheduler."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import Linli, settle_memory
from bot.config import Config
from bot.pacing import TELEGRAM_PACE, Pace, Pacer
from bot.platforms.base import Platform
from bot.platforms.console import ConsolePlatform, ConsoleSession
from bot.scheduler import Scheduler, SchedulerOptions
from handlers.common.context import Clock, SystemClock
from storage import connect_repository, shown_url
from storage.base import Repository
from storage.lockfile import ProcessLock
from storage.models import ChatUpdate
from storage.sqlite import sqlite_path

log = logging.getLogger(__name__)


def build_platforms(config: Config, clock: Clock) -> list[Platform]:
    """Creates every platform the config turns on."""
    platforms: list[Platform] = []
    if config.console.enabled:
        transcript = Path(config.console.transcript) if config.console.transcript else None
        platforms.append(
            ConsolePlatform(clock=clock, out=_print, transcript=transcript, jsonl=config.console.jsonl)
        )
    # Adapters are imported only when configured: each loads its platform's SDK (about a second).
    if config.telegram is not None:
        from bot.platforms.telegram import TelegramPlatform

        platforms.append(TelegramPlatform(config.telegram))
    if config.wechat is not None:
        from bot.platforms.wechat import WechatPlatform

        platforms.append(WechatPlatform(config.wechat))
    return platforms


def build_pacer(config: Config) -> Pacer:
    """Send pacing for every configured platform: Telegram's published limits, WeChat's gap."""
    paces: dict[str, Pace] = {}
    if config.telegram is not None:
        paces["telegram"] = TELEGRAM_PACE
    if config.wechat is not None:
        paces["wechat"] = Pace(gap_seconds=config.wechat.send_gap)
    return Pacer(paces)


def _print(line: str) -> None:
    print(line, flush=True)


@asynccontextmanager
async def running(config: Config, clock: Clock | None = None) -> AsyncIterator[Linli]:
    """Locks the database file, opens storage, applies config bindings, starts the platforms and the
    scheduler; stops all after. A second process on the same file raises ``DatabaseInUse``."""
    clock = clock or SystemClock(config.settings.tz)
    path = sqlite_path(config.storage_url)
    with ProcessLock(path) if path and path != ":memory:" else contextlib.nullcontext():
        repo = await connect_repository(config.storage_url)
        async with _started(config, clock, repo) as app:
            yield app


def single_consumer_platforms(config: Config) -> set[str]:
    """The platforms whose connection allows one consumer at a time: a Telegram token polling
    (a webhook lets any instance answer) and a WeChat account."""
    names = set()
    if config.telegram is not None and not config.telegram.webhook_url:
        names.add("telegram")
    if config.wechat is not None:
        names.add("wechat")
    return names


@asynccontextmanager
async def _started(config: Config, clock: Clock, repo: Repository) -> AsyncIterator[Linli]:
    # SQLite: one process per file (ProcessLock). A server database may have other instances
    # beside this one: they share the outbox and take turns on single-consumer platforms.
    shared = sqlite_path(config.storage_url) is None
    app = Linli(
        repo,
        config.settings,
        clock,
        build_platforms(config, clock),
        build_pacer(config),
        leased=single_consumer_platforms(config) if shared else (),
        sole_sender=not shared,
    )
    scheduler = Scheduler(app, SchedulerOptions.from_table(config.scheduler))
    try:
        for group in config.groups:
            await repo.upsert_chat(group.platform, group.chat, group.title)
            await repo.bind_chat(group.platform, group.chat, group.building)
            if group.language:
                await repo.update_chat(group.platform, group.chat, ChatUpdate(language=group.language))
        await app.start()
        await scheduler.start()
        yield app
    finally:
        await scheduler.stop()
        await app.stop()
        await repo.close()


async def serve(config: Config) -> int:
    """Runs until SIGINT/SIGTERM (or, with the console on, until stdin ends)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    async with running(config) as app:
        settle_memory()
        log.info("%s", await start_line(app, config.storage_url))
        console = app.platforms.get("console")
        if isinstance(console, ConsolePlatform):
            reader = asyncio.create_task(_read_console(ConsoleSession(console), stop))
            await stop.wait()
            reader.cancel()
        else:
            await stop.wait()
        await app.wait_idle()
    log.info("linli stopped")
    return 0


async def start_line(app: Linli, storage_url: str) -> str:
    """One line saying Linli is up: each platform running (or waiting for its lease) and the
    storage, without its password."""
    platforms = []
    for name in app.platforms:
        lease = app.leases.get(name)
        if lease is None or lease.held:
            platforms.append(name)
        else:
            platforms.append(f"{name} (waiting for its lease, held by {await lease.holder() or 'nobody'})")
    return f"linli is running: platforms {', '.join(platforms) or 'none'}; storage {shown_url(storage_url)}"


async def _read_console(session: ConsoleSession, stop: asyncio.Event) -> None:
    """Feeds stdin lines to the console session; a daemon thread reads so shutdown never hangs."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str] = asyncio.Queue()

    def read() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        loop.call_soon_threadsafe(lines.put_nowait, "")

    threading.Thread(target=read, name="linli-stdin", daemon=True).start()
    try:
        while True:
            line = await lines.get()
            if not line or not await session.handle_line(line):
                break
    finally:
        stop.set()
