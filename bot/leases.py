"""One instance at a time on a platform connection that allows one consumer.

A Telegram bot token in polling mode answers one ``getUpdates`` caller; a WeChat puppet account
is one login. When several instances share a PostgreSQL database, the one holding the
platform's lease (a row in ``platform_leases`` that runs out unless renewed) runs the platform;
the others keep trying and take it over once the holder stops renewing (it died or lost the
database): within PLATFORM_LEASE_SECONDS + RENEW_SECONDS.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.platforms.base import Platform
from storage.base import Repository

log = logging.getLogger(__name__)

PLATFORM_LEASE_SECONDS = 9.0
"""How long a lease lasts unless renewed: how long a dead holder keeps its platform idle."""

RENEW_SECONDS = 2.0
"""How often the holder renews its lease and the others try to take it."""


class PlatformLease:
    """Runs one platform while this instance holds its lease; stops it when the lease is lost.

    The holder stops the platform itself once a renewal has not succeeded for the lease's
    length less one renewal period (the database is unreachable, say), so it is silent before anyone
    else can take the lease: two instances never poll the same account at once.
    """

    def __init__(
        self,
        repo: Repository,
        platform: Platform,
        owner: str,
        start: Callable[[Platform], Awaitable[None]],
        stop: Callable[[Platform], Awaitable[None]],
        *,
        seconds: float = PLATFORM_LEASE_SECONDS,
        renew: float = RENEW_SECONDS,
    ) -> None:
        self.repo = repo
        self.platform = platform
        self.owner = owner
        self.name = f"platform:{platform.name}"
        self.held = False
        """Whether the platform runs here now."""
        self._start, self._stop = start, stop
        self.seconds, self.renew = seconds, renew
        self._good_until = 0.0  # event-loop time until which the last renewal holds us safe

    async def try_once(self) -> bool:
        """Takes or renews the lease, starting or stopping the platform to match; True when held."""
        loop = asyncio.get_running_loop()
        asked_at = loop.time()
        try:
            async with asyncio.timeout(self.renew):
                taken: bool | None = await self.repo.take_lease(self.name, self.owner, self.seconds)
        except Exception as exc:  # the database is unreachable: unknown, hold on while it is safe
            log.warning("%s: the lease could not be renewed: %s", self.platform.name, exc)
            taken = None
        if taken:
            self._good_until = asked_at + self.seconds - self.renew
            if not self.held:
                await self._start(self.platform)
                self.held = True
                log.info("%s: this instance holds the lease and runs it", self.platform.name)
        elif self.held and (taken is False or loop.time() >= self._good_until):
            self.held = False
            log.warning("%s: lease lost; stopping it here so another instance can run it", self.platform.name)
            await self._stop(self.platform)
        return self.held

    async def keep(self) -> None:
        """Renews (or waits for) the lease until cancelled."""
        while True:
            await asyncio.sleep(self.renew)
            try:
                await self.try_once()
            except Exception:  # a platform that fails to start is tried again next round
                log.exception("%s: starting or stopping it failed", self.platform.name)

    async def release(self) -> None:
        """Stops the platform (if it runs here) and hands the lease back at once (a clean stop)."""
        if self.held:
            self.held = False
            await self._stop(self.platform)
        with contextlib.suppress(Exception):  # otherwise it simply runs out
            await self.repo.drop_lease(self.name, self.owner)

    async def holder(self) -> str | None:
        """Who holds the lease now (for the start line), or None."""
        try:
            return await self.repo.lease_holder(self.name)
        except Exception:
            return None
