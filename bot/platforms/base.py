"""The one contract every chat platform adapter implements.

An adapter only translates: native updates become :class:`Incoming` values
handed to ``dispatch``; queued :class:`Reply` values become native calls.
Reconnects and back-off stay inside the adapter.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from storage.models import Button, ChatRef, Incoming, Reply

Dispatch = Callable[[Incoming], Awaitable[str | None]]
"""Hands an incoming message to Linli; resolves once it is stored and handled.

The result is the toast to show for a button press (or None).  An adapter
should acknowledge a platform update only after this resolves.
"""


class PlatformError(Exception):
    """Sending failed for a passing reason (network, server error); retry later."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unreachable(PlatformError):
    """The recipient can never be reached this way (bot blocked, kicked, chat gone)."""


class Platform(Protocol):
    """A chat platform the bot lives on."""

    name: str
    """Stable platform key used in identities and chat refs: 'console', 'telegram', 'wechat'."""

    can_edit: bool
    """Whether sent messages can be edited in place (cards are re-posted where not)."""

    async def start(self, dispatch: Dispatch) -> None:
        """Connects and begins delivering incoming messages to ``dispatch``; returns once running."""
        ...

    async def stop(self) -> None:
        """Disconnects; idempotent."""
        ...

    async def send(self, reply: Reply, idempotency_key: str) -> str | None:
        """Delivers one message; returns the platform message id (None if it has none).

        A reply with ``edit=True`` carries the id of the message to edit in
        ``reply_to``.  Raises :class:`PlatformError` to be retried later and
        :class:`Unreachable` when retrying is pointless.  Adapters that can
        remember ``idempotency_key`` use it to never deliver one message twice.
        """
        ...


__all__ = ["Button", "ChatRef", "Dispatch", "Incoming", "Platform", "PlatformError", "Reply", "Unreachable"]
