"""Send pacing per platform and chat, so the bot stays inside what each platform tolerates.

Telegram allows about 30 messages a second overall and 20 a minute into one group; personal
WeChat accounts get banned for bursts, so WeChat goes one message at a time with a pause of a
random 1–3 s between. Replies go before bulk messages (the morning's check-in greetings): a
bulk send waits while any reply on its platform is waiting for its turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from aiolimiter import AsyncLimiter

from storage.models import Reply


@dataclass(frozen=True, slots=True)
class Pace:
    """One platform's limits; None leaves a limit out."""

    per_second: float | None = None
    """Messages a second over all chats."""
    per_group_per_minute: float | None = None
    """Messages a minute into one group chat."""
    gap_seconds: tuple[float, float] | None = None
    """A pause drawn from [low, high] seconds after every message (one message at a time)."""

    def bulk_per_pass(self) -> int | None:
        """How many bulk messages one outbox pass may take (about a second's or one gap's worth),
        so a pass never holds replies back for long; None when unpaced."""
        if self.gap_seconds is not None:
            return 1
        if self.per_second is not None:
            return max(1, int(self.per_second))
        return None


TELEGRAM_PACE = Pace(per_second=30, per_group_per_minute=20)
WECHAT_PACE = Pace(gap_seconds=(1.0, 3.0))


@dataclass
class _PlatformState:
    pace: Pace
    overall: AsyncLimiter | None
    groups: dict[str, AsyncLimiter] = field(default_factory=dict)
    one_at_a_time: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_at: float = 0.0
    replies_waiting: int = 0
    no_reply_waiting: asyncio.Event = field(default_factory=asyncio.Event)


class Pacer:
    """Waits before each send as long as its platform's limits require (none for an unlisted one)."""

    def __init__(
        self,
        paces: Mapping[str, Pace] | None = None,
        *,
        jitter: Callable[[float, float], float] = random.uniform,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.paces = dict(paces or {})
        self._jitter = jitter
        self._clock = clock
        self._sleep = sleep
        self._states: dict[str, _PlatformState] = {}

    def bulk_per_pass(self) -> dict[str, int]:
        """Per paced platform, how many bulk messages one outbox pass may take."""
        limits = {name: pace.bulk_per_pass() for name, pace in self.paces.items()}
        return {name: limit for name, limit in limits.items() if limit is not None}

    def _state(self, platform: str) -> _PlatformState | None:
        pace = self.paces.get(platform)
        if pace is None:
            return None
        state = self._states.get(platform)
        if state is None:
            overall = AsyncLimiter(pace.per_second, 1) if pace.per_second else None
            state = _PlatformState(pace, overall)
            state.no_reply_waiting.set()
            self._states[platform] = state
        return state

    def _now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    @contextlib.asynccontextmanager
    async def turn(self, reply: Reply) -> AsyncIterator[None]:
        """Holds a send until the limits of its platform and chat allow it; replies before bulk."""
        state = self._state(reply.chat.platform)
        if state is None:
            yield
            return
        if reply.bulk:
            while state.replies_waiting:
                await state.no_reply_waiting.wait()
            await self._wait(state, reply)
        else:
            state.replies_waiting += 1
            state.no_reply_waiting.clear()
            try:
                await self._wait(state, reply)
            finally:
                state.replies_waiting -= 1
                if not state.replies_waiting:
                    state.no_reply_waiting.set()
        yield

    async def _wait(self, state: _PlatformState, reply: Reply) -> None:
        pace = state.pace
        if pace.per_group_per_minute and not reply.chat.private:
            group = state.groups.get(reply.chat.chat_id)
            if group is None:
                group = state.groups[reply.chat.chat_id] = AsyncLimiter(pace.per_group_per_minute, 60)
            await group.acquire()
        if state.overall is not None:
            await state.overall.acquire()
        while pace.gap_seconds is not None:
            async with state.one_at_a_time:
                if not (reply.bulk and state.replies_waiting):
                    delay = state.next_at - self._now()
                    if delay > 0:
                        await self._sleep(delay)
                    state.next_at = self._now() + self._jitter(*pace.gap_seconds)
                    return
            await state.no_reply_waiting.wait()  # a reply came while this bulk message waited
