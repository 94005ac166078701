"""The pipeline every platform shares: store → understand → decide → durable outbox → send.

Each message is stored and handled in one transaction, and the replies are written to the
outbox in it; the sender sends only committed outbox rows. So a failure while handling a
message sends nothing of it, and a crash repeats at most the rows between a send and its mark.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import heapq
import logging
import os
import random
import socket
import uuid
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from bot.leases import PlatformLease
from bot.pacing import Pacer
from bot.platforms.base import Platform, PlatformError, Unreachable
from handlers.common.context import Clock, Ctx, Settings
from handlers.common.notify import tell_staff
from handlers.emergency.alarm import alert_unhandled_emergency
from handlers.router import route, warm_up
from storage.base import Repository
from storage.models import ChatRef, ChatUpdate, InboxState, Incoming, OutboxItem, Reply, Role, SentMark

log = logging.getLogger(__name__)

MAX_BATCH = 32
"""Messages already waiting when the consumer takes one are handled with it in one transaction,
each in a savepoint (group commit): one commit per burst instead of one per message. On the
benchmark's 2-core machine that took the pipeline from ~1,750 to ~2,200 messages a second
(one transaction per message missed the 2,000 the bot is held to)."""

MAX_BACKOFF_SECONDS = 300.0

PARALLEL_CHATS = 8
"""Chats delivered to side by side in one outbox pass."""

SEND_BATCH = 200
"""Outbox rows leased in one pass."""

LEASE_SECONDS = 60.0
"""How long leased rows are the sender's; rows a killed sender held are taken again after this
(on SQLite the bot takes back every lease at start: one process per database file)."""

MARKS_MAX_SECONDS = 0.2
"""Delivery marks are written at the end of each outbox pass, in one transaction (a commit per
message sent was half the bot's commits); a send finding marks older than this writes them first,
so a paced platform's slow pass leaves little to repeat after a crash."""

RETRY_DELAYS_SECONDS = (5.0, 60.0, 600.0)
"""When a message whose handling failed is tried again (after the first failure, the second…)."""


def settle_memory() -> None:
    """Called once start-up is done: what start-up allocated leaves the garbage collector's scans.

    A long-running bot otherwise walks those objects again in every full collection (pauses
    of 20+ ms, measured, which every message waiting behind them feels).
    """
    gc.collect()
    gc.freeze()


async def _cancel(tasks: list[asyncio.Task[None]]) -> None:
    """Cancels the tasks, waits for them to end and forgets them."""
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    tasks.clear()


def _calls_to_act(reply: Reply) -> bool:
    """A card someone must act on (claim an open task, confirm a done one) is posted again in full."""
    return any(button.action.startswith(("claim:", "confirm:")) for button in reply.buttons)


class Linli:
    """One bot process: any number of platforms sharing one queue, one store and one outbox."""

    def __init__(
        self,
        repo: Repository,
        settings: Settings,
        clock: Clock,
        platforms: Sequence[Platform] = (),
        pacer: Pacer | None = None,
        *,
        leased: Collection[str] = (),
        sole_sender: bool = True,
    ) -> None:
        """``leased`` names the platforms run only while this instance holds their lease (others
        share the database); ``sole_sender`` says no other process sends from this database."""
        self.repo = repo
        self.settings = settings
        self.clock = clock
        self.ctx = Ctx(
            repo=repo,
            clock=clock,
            settings=settings,
            no_edits=frozenset(p.name for p in platforms if not p.can_edit),
        )
        self.platforms: dict[str, Platform] = {p.name: p for p in platforms}
        self.pacer = pacer or Pacer()
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        """Names this sender on the outbox rows it leases, and this instance on platform leases."""
        self.sole_sender = sole_sender
        self.leases = {
            name: PlatformLease(repo, platform, self.owner, self._start_platform, self._stop_platform)
            for name, platform in self.platforms.items()
            if name in leased
        }
        self.retry_delays: Sequence[float] = RETRY_DELAYS_SECONDS
        # (message, its caller's future or None for a retry, how many times it failed before)
        self._queue: asyncio.Queue[tuple[Incoming, asyncio.Future[str | None] | None, int]] = asyncio.Queue()
        self._wake = asyncio.Event()
        self._send_lock = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []
        self._keepers: list[asyncio.Task[None]] = []  # one per leased platform
        self._retries: list[tuple[datetime, int, Incoming, int]] = []  # a heap: (due, seq, msg, failures)
        self._retry_seq = 0
        # Delivered, mark not yet written: (when, platform message id) by outbox id. Written at the
        # end of the pass, before an edit (it needs the card's message id), and when they get old.
        self._unmarked: dict[int, tuple[datetime, str | None]] = {}
        self._unmarked_since = 0.0
        # When this pass's leases were taken or last renewed (event-loop time), and which of them
        # were still this sender's then (None: all it took).
        self._leased_at = 0.0
        self._still_mine: set[int] | None = None

    # -- lifetime -------------------------------------------------------------

    async def start(self, *, sender: bool = True) -> None:
        """Syncs staff, takes back leases (the only sender), finishes messages a crash left
        unhandled, then starts platforms (a leased one if its lease is free) and loops."""
        warm_up(self.clock.now())
        await self.sync_staff()
        if self.sole_sender:  # sharing the database, a dead sender's leases run out instead
            released = await self.repo.release_all_leases()
            if released:
                log.warning(
                    "%d messages were being sent when the last process stopped; sending them again", released
                )
        self._tasks.append(asyncio.create_task(self._consume(), name="linli-consume"))
        await self.recover()
        if sender:
            self._tasks.append(asyncio.create_task(self._send_loop(), name="linli-send"))
        for name, platform in self.platforms.items():
            if name not in self.leases:
                await self._start_platform(platform)
        for name, lease in self.leases.items():
            await lease.try_once()  # taken now if free, so the start line can say who runs what
            self._keepers.append(asyncio.create_task(lease.keep(), name=f"linli-lease-{name}"))

    async def _start_platform(self, platform: Platform) -> None:
        await platform.start(self.dispatch)
        log.info("platform %s started", platform.name)
        self._wake.set()  # what waited for it can be sent now

    @staticmethod
    async def _stop_platform(platform: Platform) -> None:
        try:
            await platform.stop()
        except Exception:
            log.exception("stopping %s failed", platform.name)

    def running_platforms(self) -> list[str]:
        """The platforms running here now: a leased one only while this instance holds it."""
        return [name for name in self.platforms if name not in self.leases or self.leases[name].held]

    async def stop(self) -> None:
        """Stops platforms first (no new input) and hands their leases back, then the loops."""
        await _cancel(self._keepers)
        for lease in self.leases.values():
            await lease.release()
        for name, platform in self.platforms.items():
            if name not in self.leases:
                await self._stop_platform(platform)
        await _cancel(self._tasks)
        try:
            await self._write_marks()
        except Exception:
            log.exception("delivery marks could not be written; those messages may be sent again")
        if self._retries:
            log.warning(
                "%d failed messages were waiting to be tried again; they stay failed", len(self._retries)
            )

    async def sync_staff(self) -> None:
        """Makes every staff member from the config a staff person with their platform ids."""
        for member in self.settings.staff:
            await self.repo.upsert_person(member.name, Role.STAFF, member.identities)

    async def recover(self) -> None:
        """Handles messages that were stored but not handled when the process last stopped."""
        pending = await self.repo.pending_incoming(limit=10_000)
        if pending:
            log.warning("recovering %d stored but unhandled messages", len(pending))
        for item in pending:
            await self.dispatch(item.message)

    # -- incoming -----------------------------------------------------------------

    async def dispatch(self, msg: Incoming) -> str | None:
        """Stores and handles one message; resolves after the commit, with a toast if any."""
        future: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        await self._queue.put((msg, future, 0))
        return await future

    async def _consume(self) -> None:
        """Handles queued messages: those already waiting together, in one transaction."""
        while True:
            batch = [await self._queue.get()]
            while len(batch) < MAX_BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            if self._unmarked and any(msg.reply_to is not None for msg, _, _ in batch):
                try:
                    await self._write_marks()  # a message may quote a card sent a moment ago
                except Exception:
                    log.exception("delivery marks could not be written before a reply to the bot")
            outcomes: list[tuple[str | None] | Exception | None]
            try:
                outcomes = [*await self._handle_together([(msg, failures) for msg, _, failures in batch])]
            except Exception:  # the commit itself failed: each message again, alone
                log.warning("a batch of %d could not be committed; each is handled alone", len(batch))
                outcomes = [None] * len(batch)
            for (msg, future, failures), outcome in zip(batch, outcomes, strict=True):
                try:
                    if outcome is None:
                        toast = await self.handle(msg, failures)
                    elif isinstance(outcome, Exception):
                        await self._failed(msg, outcome, failures + 1)
                        toast = None
                    else:
                        toast = outcome[0]
                except Exception as exc:  # not even the failure could be recorded: the platform retries
                    log.exception("message %s/%s could not be stored", msg.platform, msg.message_id)
                    if future is not None and not future.done():
                        future.set_exception(exc)
                else:
                    if future is not None and not future.done():
                        future.set_result(toast)
                finally:
                    self._queue.task_done()
            self._wake.set()

    async def _handle_together(
        self, batch: Sequence[tuple[Incoming, int]]
    ) -> list[tuple[str | None] | Exception]:
        """Handles messages in one transaction (group commit), each in a savepoint of its own, so
        one that fails leaves nothing behind and the others are kept.

        Returns per message a 1-tuple with its toast, or the exception that undid it.
        """
        outcomes: list[tuple[str | None] | Exception] = []
        async with self.repo.transaction():
            for msg, failures in batch:
                try:
                    async with self.repo.transaction():
                        outcomes.append((await self._store_and_route(msg, failures),))
                except Exception as exc:
                    log.exception(
                        "handling %s/%s failed; nothing of it is sent", msg.platform, msg.message_id
                    )
                    outcomes.append(exc)
        return outcomes

    async def handle(self, msg: Incoming, failures: int = 0) -> str | None:
        """Stores and handles one message in one transaction, its replies queued in the outbox.

        If handling fails, nothing of it is kept or sent: the message is stored as failed,
        tried again later, and an emergency among them goes straight to staff. ``failures``
        counts earlier tries. Returns the toast to answer a button with, if any.
        """
        try:
            async with self.repo.transaction():
                return await self._store_and_route(msg, failures)
        except Exception as exc:
            log.exception("handling %s/%s failed; nothing of it is sent", msg.platform, msg.message_id)
            await self._failed(msg, exc, failures + 1)
            return None

    async def _store_and_route(self, msg: Incoming, failures: int) -> str | None:
        """Stores the message as handled, lets the handlers answer and queues their replies;
        returns the toast, if any (a duplicate is ignored)."""
        item, fresh = await self.repo.store_incoming(msg, handled=True)
        if not fresh and not (item.state is InboxState.NEW or (failures and item.state is InboxState.FAILED)):
            log.info("duplicate %s/%s/%s ignored", msg.platform, msg.chat.chat_id, msg.message_id)
            return None
        toast = await self._route(msg, item.id)
        if not fresh:
            await self.repo.mark_handled(item.id)
        return toast

    async def _route(self, msg: Incoming, inbox_id: int) -> str | None:
        """Lets the handlers answer and queues their replies; returns the toast, if any."""
        replies = await route(msg, self.ctx, inbox_id)
        toast = None
        now = self.clock.now()
        for reply in replies:
            if reply.toast:
                toast = reply.text
            else:
                await self.repo.enqueue(reply, now)
        return toast

    async def _failed(self, msg: Incoming, exc: Exception, failures: int) -> None:
        """After a failed handling: alerts staff of an emergency (the first time), keeps the
        message as failed and tries it again later."""
        if failures == 1:
            try:
                async with self.repo.transaction():
                    for reply in await alert_unhandled_emergency(msg, self.ctx):
                        await self.repo.enqueue(reply, self.clock.now())
            except Exception:
                log.exception("the direct alert to staff could not be queued either")
        if failures <= len(self.retry_delays):
            self._retry_later(msg, failures, self.retry_delays[failures - 1])
        else:
            log.error("giving up on %s/%s after %d failures", msg.platform, msg.message_id, failures)
        await self.repo.fail_incoming(msg, f"{type(exc).__name__}: {exc}")

    def _retry_later(self, msg: Incoming, failures: int, delay: float) -> None:
        due = self.clock.now() + timedelta(seconds=delay)
        self._retry_seq += 1
        heapq.heappush(self._retries, (due, self._retry_seq, msg, failures))

    async def _requeue_due(self) -> int:
        """Queues the failed messages whose time to be tried again has come; returns how many."""
        now = self.clock.now()
        count = 0
        while self._retries and self._retries[0][0] <= now:
            _, _, msg, failures = heapq.heappop(self._retries)
            await self._queue.put((msg, None, failures))
            count += 1
        return count

    async def enqueue(self, replies: Sequence[Reply]) -> None:
        """Queues replies produced outside a message (scheduled jobs) and wakes the sender."""
        async with self.repo.transaction():
            for reply in replies:
                if not reply.toast:
                    await self.repo.enqueue(reply, self.clock.now())
        self._wake.set()

    # -- outgoing -------------------------------------------------------------------

    async def _send_loop(self) -> None:
        while True:
            self._wake.clear()
            await self._requeue_due()
            try:
                if await self.flush():
                    continue
            except Exception:
                log.exception("outbox pass failed; retrying")
            timeout = 1.0
            with contextlib.suppress(Exception):
                due = await self.repo.next_due_at(self._sending_to())
                if due is not None:
                    timeout = max(0.05, min(timeout, (due - self.clock.now()).total_seconds()))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):  # not wait_for: on 3.11 it can swallow a cancel
                    await self._wake.wait()

    def _sending_to(self) -> list[str] | None:
        """The platforms whose messages this sender takes: any, unless some are leased, then
        those running here (another instance sends what it receives on the others)."""
        return self.running_platforms() if self.leases else None

    async def flush(self, limit: int = SEND_BATCH) -> int:
        """Leases what is due, sends it and marks it sent; returns how many were done with.

        Each chat's messages go in order; chats go side by side, so one slow group
        (rate-limited, say) never holds back an emergency alert to staff.
        """
        async with self._send_lock:
            await self._write_marks()  # a pass that could not write them left them
            now = self.clock.now()
            items = await self.repo.lease_outgoing(
                self.owner,
                now,
                now + timedelta(seconds=LEASE_SECONDS),
                limit,
                self.pacer.bulk_per_pass(),
                self._sending_to(),
            )
            self._leased_at, self._still_mine = asyncio.get_running_loop().time(), None
            by_chat: dict[tuple[str, str], list[OutboxItem]] = {}
            for item in items:
                by_chat.setdefault((item.reply.chat.platform, item.reply.chat.chat_id), []).append(item)
            gate = asyncio.Semaphore(PARALLEL_CHATS)
            counts = await asyncio.gather(
                *(self._deliver_in_order(queue, gate) for queue in by_chat.values())
            )
            await self._write_marks()
            return sum(counts)

    async def _write_marks(self) -> None:
        """Records the deliveries not yet recorded, in one transaction."""
        if self._unmarked:
            marks = dict(self._unmarked)
            await self.repo.mark_sent(
                [SentMark(outbox_id, at, mid) for outbox_id, (at, mid) in marks.items()]
            )
            for outbox_id in marks:
                self._unmarked.pop(outbox_id, None)

    async def _deliver_in_order(self, queue: list[OutboxItem], gate: asyncio.Semaphore) -> int:
        """Sends one chat's leased messages in order; after a failure the rest wait for the next pass."""
        delivered = 0
        async with gate:
            for item in queue:
                try:
                    done = await self._deliver(item)
                except Exception:
                    log.exception("outbox %s: delivery bookkeeping failed", item.id)
                    done = False
                if not done:
                    rest = [later.id for later in queue[delivered + 1 :]]
                    with contextlib.suppress(Exception):  # else they wait for the lease to run out
                        await self.repo.release_leases(self.owner, rest)
                    break
                delivered += 1
        return delivered

    async def _deliver(self, item: OutboxItem) -> bool:
        """Sends one leased message and records the outcome; True when it is done with."""
        reply = item.reply
        platform = self.platforms.get(reply.chat.platform)
        if platform is None:
            await self._retry(item, "platform not running", retry_after=300.0)
            return False
        if reply.chat.platform not in self.running_platforms():  # its lease was lost during the pass
            await self.repo.release_leases(self.owner, [item.id])
            return False
        if not await self._still_leased(item):
            log.warning("outbox %s: its lease ran out and another sender took it", item.id)
            return False
        if reply.edit or (
            self._unmarked and asyncio.get_running_loop().time() - self._unmarked_since > MARKS_MAX_SECONDS
        ):
            await self._write_marks()
        reply = await self._resolve_edit(reply, platform)
        try:
            async with self.pacer.turn(reply):
                message_id = await platform.send(reply, f"outbox-{item.id}")
        except Unreachable as exc:
            log.warning("outbox %s: %s unreachable: %s", item.id, reply.chat, exc)
            async with self.repo.transaction():
                await self.repo.mark_dead(item.id, str(exc))
                if reply.fallback is not None:
                    await self.enqueue([reply.fallback])
                await self._unreachable(reply)
            return True
        except PlatformError as exc:
            await self._retry(item, str(exc), exc.retry_after)
            return False
        except Exception as exc:
            log.exception("outbox %s: unexpected send failure", item.id)
            await self._retry(item, f"{type(exc).__name__}: {exc}", None)
            return False
        if not self._unmarked:
            self._unmarked_since = asyncio.get_running_loop().time()
        self._unmarked[item.id] = (self.clock.now(), message_id)
        return True

    async def _still_leased(self, item: OutboxItem) -> bool:
        """Renews this sender's leases once half their time is gone (a paced pass, one slow group
        at 20 messages a minute, can outlast them); False when the item's lease ran out and
        another sender took it (sending it here too would send it twice)."""
        loop = asyncio.get_running_loop()
        if loop.time() - self._leased_at >= LEASE_SECONDS / 2:
            self._leased_at = loop.time()
            until = self.clock.now() + timedelta(seconds=LEASE_SECONDS)
            self._still_mine = await self.repo.renew_leases(self.owner, until)
        return self._still_mine is None or item.id in self._still_mine

    async def _resolve_edit(self, reply: Reply, platform: Platform) -> Reply:
        """Points an edit at the card's message, or turns it into a new message where that is impossible."""
        if not reply.edit:
            return reply
        message_id = None
        if reply.card_of is not None:
            for card in await self.repo.cards_of(reply.card_of):
                if card.chat.platform == reply.chat.platform and card.chat.chat_id == reply.chat.chat_id:
                    message_id = card.message_id
        if message_id is not None and platform.can_edit:
            return dataclasses.replace(reply, reply_to=message_id)
        if message_id is not None and not _calls_to_act(reply):
            # No edits (WeChat): a state change is one short line replying to the card, not a new card.
            return dataclasses.replace(
                reply, edit=False, text=reply.text.split("\n", 1)[0], reply_to=message_id
            )
        return dataclasses.replace(reply, edit=False, reply_to=None)

    async def _retry(self, item: OutboxItem, error: str, retry_after: float | None) -> None:
        delay = (
            retry_after if retry_after is not None else min(MAX_BACKOFF_SECONDS, 2.0 ** min(item.attempts, 9))
        )
        delay *= 1.0 if retry_after is not None else random.uniform(0.8, 1.2)
        log.info("outbox %s failed (%s); retry in %.1fs", item.id, error, delay)
        await self.repo.mark_retry(item.id, error, self.clock.now() + timedelta(seconds=delay))

    async def _unreachable(self, reply: Reply) -> None:
        """Marks who cannot be reached, tries their other accounts, and tells staff once if none is left."""
        chat = reply.chat
        if not chat.private:
            await self.repo.update_chat(chat.platform, chat.chat_id, ChatUpdate(reachable=False))
            return
        changed = await self.repo.set_identity_reachable(chat.platform, chat.chat_id, False)
        person = await self.repo.resolve_identity(chat.platform, chat.chat_id, "")
        others = [i for i in await self.repo.identities_of(person.id) if i.reachable]
        if others and reply.fallback is None:  # the same words reach them on another platform
            other = ChatRef(others[0].platform, others[0].user_id, True)
            await self.enqueue([dataclasses.replace(reply, chat=other)])
            return
        if not changed or person.role in (Role.STAFF, Role.ADMIN):
            return
        await self.enqueue(await tell_staff(self.ctx, "unreachable.staff", chat.platform, name=person.name))

    # -- helpers for the CLI, demo and tests --------------------------------------------

    async def wait_idle(self) -> None:
        """Waits until every dispatched message is handled (or retried, if due) and every due one sent."""
        await self._queue.join()
        while await self._requeue_due():
            await self._queue.join()
        while await self.flush():
            pass
