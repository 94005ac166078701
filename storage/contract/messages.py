"""The inbox and the outbox: nothing a user posted is lost, nothing goes out that was not committed."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from storage.models import ChatRef, InboxItem, InboxState, Incoming, OutboxItem, OutboxState, Reply, SentMark


class InboxStore(Protocol):
    """Incoming messages, stored before anything acts on them."""

    async def store_incoming(self, msg: Incoming, *, handled: bool = False) -> tuple[InboxItem, bool]:
        """Stores the message once per (platform, chat, message id); True when new.

        ``handled=True`` stores it as done, for a caller that handles it in the same
        transaction (a failure rolls both back). A message stored before is returned as it is.
        """
        ...

    async def mark_handled(self, inbox_id: int) -> None:
        """Records that a stored message was handled (after a crash or a failed attempt)."""
        ...

    async def fail_incoming(self, msg: Incoming, error: str) -> int:
        """Stores the message (if it is not yet) as failed and returns how many times handling it has
        failed; called once the transaction that failed has rolled back."""
        ...

    async def pending_incoming(self, limit: int = 100) -> list[InboxItem]:
        """Returns stored messages not yet handled, oldest first (crash recovery)."""
        ...

    async def count_incoming(
        self, state: InboxState | None = None, between: tuple[datetime, datetime] | None = None
    ) -> int:
        """Counts stored messages, optionally in one state and posted within [start, end)."""
        ...


class OutboxStore(Protocol):
    """Outgoing messages, kept until a platform has taken them.

    Outbox ids are never given twice, not even after the newest row is gone: platforms
    de-duplicate deliveries on them.
    """

    async def enqueue(self, reply: Reply, at: datetime) -> int:
        """Queues a reply for sending (due at ``at``); returns its outbox id. A toast is refused."""
        ...

    async def due_outgoing(self, now: datetime, limit: int = 50) -> list[OutboxItem]:
        """Returns pending messages due by ``now``, in the order they were queued (without leasing them)."""
        ...

    async def lease_outgoing(
        self,
        owner: str,
        now: datetime,
        until: datetime,
        limit: int = 50,
        bulk_limits: Mapping[str, int] | None = None,
        platforms: Collection[str] | None = None,
    ) -> list[OutboxItem]:
        """Leases up to ``limit`` messages to ``owner`` until ``until``, in one short transaction,
        and returns them in the order they were queued.

        Taken are pending messages due by ``now`` and messages whose lease ran out (their
        sender died between sending and recording it: they may be sent a second time).
        ``bulk_limits`` caps the bulk messages taken per platform (a few a pass, so replies
        queued behind thousands of greetings are not held back by them). ``platforms`` narrows
        them to messages to these platforms (those this sender runs now); None takes any.
        """
        ...

    async def release_leases(self, owner: str, outbox_ids: Sequence[int]) -> int:
        """Puts messages ``owner`` still holds back to pending without counting an attempt (it
        will not send them now); returns how many."""
        ...

    async def renew_leases(self, owner: str, until: datetime) -> set[int]:
        """Extends every lease ``owner`` still holds to ``until`` (a paced pass can outlast them);
        returns their outbox ids: a message another sender took after its lease ran out is not
        among them, and ``owner`` must not send it."""
        ...

    async def release_all_leases(self) -> int:
        """Puts every leased message back to pending; returns how many.

        For the only sender of a database (SQLite, one process per file), at start: what a
        stopped process held. Senders sharing a database (PostgreSQL) never call it: the leases
        of one that died run out and ``lease_outgoing`` takes them then.
        """
        ...

    async def mark_sent(self, marks: Sequence[SentMark]) -> None:
        """Records deliveries and ends their leases, in one transaction; a card's platform message
        id is remembered for later edits (``cards_of``)."""
        ...

    async def mark_retry(self, outbox_id: int, error: str, next_attempt_at: datetime) -> None:
        """Counts a failed attempt, ends the lease and schedules the next one."""
        ...

    async def mark_dead(self, outbox_id: int, error: str) -> None:
        """Gives up on a message whose recipient can never be reached."""
        ...

    async def sent_text(self, chat: ChatRef, message_id: str) -> str | None:
        """Returns what the bot said in the message with this platform id, or None."""
        ...

    async def next_due_at(self, platforms: Collection[str] | None = None) -> datetime | None:
        """Returns when the earliest pending message is due or a lease runs out, or None; only of
        messages to ``platforms`` when given."""
        ...

    async def count_outgoing(self, state: OutboxState | None = None) -> int:
        """Counts outbox rows, optionally in one state."""
        ...
