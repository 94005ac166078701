"""The pipeline every platform shares: store → understand → decide → durable outbox → send."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.platforms.base import Platform, PlatformError, Unreachable
from handlers.context import Clock, Ctx, Settings
from handlers.router import route, warm_up
from handlers.task_queue import tell_staff
from storage.base import Repository
from storage.models import ChatRef, Incoming, OutboxItem, Reply, Role

log = logging.getLogger(__name__)

MAX_BATCH = 64
"""Messages handled in one transaction when they arrive in a burst (group commit)."""

MAX_BACKOFF_SECONDS = 300.0

PARALLEL_CHATS = 8
"""Chats delivered to side by side in one outbox pass."""

SENT_MARKS_PER_COMMIT = 64
"""Deliveries left unrecorded at most; a crash before they are committed re-sends them (on a
platform without idempotency keys). They usually ride along with the consumer's next commit
within milliseconds, or are written after MARKS_WAIT_SECONDS; at 16, a busy sender committed
on its own about as often as the consumer did (5% more CPU per message)."""

MARKS_WAIT_SECONDS = 0.02
"""How long delivery marks wait for the consumer's next commit before the sender writes them."""

MAX_QUEUED_IN_MEMORY = 10_000
"""Committed replies the sender takes from memory instead of decoding their outbox rows again."""

OUTBOX_READ_SECONDS = 1.0
"""While every pending reply is known in memory the sender still reads the outbox this often."""


def settle_memory() -> None:
    """Called once start-up is done: what start-up allocated leaves the garbage collector's scans.

    A long-running bot otherwise walks those objects again in every full collection (pauses
    of 20+ ms, measured, which every message waiting behind them feels).
    """
    gc.collect()
    gc.freeze()


class Linli:
    """One bot process: any number of platforms sharing one queue, one store and one outbox."""

    def __init__(
        self,
        repo: Repository,
        settings: Settings,
        clock: Clock,
        platforms: Sequence[Platform] = (),
    ) -> None:
        self.repo = repo
        self.settings = settings
        self.clock = clock
        self.ctx = Ctx(repo=repo, clock=clock, settings=settings)
        self.platforms: dict[str, Platform] = {p.name: p for p in platforms}
        self._queue: asyncio.Queue[tuple[Incoming, asyncio.Future[str | None]]] = asyncio.Queue()
        self._wake = asyncio.Event()
        self._send_lock = asyncio.Lock()
        self._tasks: list[asyncio.Task[None]] = []
        self._started = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sent: list[tuple[int, datetime, str | None]] = []  # delivery marks not yet written
        self._unrecorded: set[int] = set()  # delivered, mark not yet committed: never again
        self._queued: dict[int, Reply] = {}  # replies the consumer committed to the outbox, by id
        self._batch_queued: list[tuple[int, Reply]] = []  # … queued by the batch being handled
        # True while every pending outbox row is in _queued: set when the outbox was seen empty,
        # cleared by anything that leaves a row pending outside it (a retry, a job's replies).
        self._all_queued_known = False
        self._outbox_read_at = 0.0

    # -- lifetime -------------------------------------------------------------

    async def start(self, *, sender: bool = True) -> None:
        """Syncs staff, finishes messages a crash left unhandled, then starts platforms and loops."""
        self._loop = asyncio.get_running_loop()  # asked once: each asking costs a getpid() on 3.11
        warm_up(self.clock.now())
        await self.sync_staff()
        self._tasks.append(asyncio.create_task(self._consume(), name="linli-consume"))
        await self.recover()
        if sender:
            self._tasks.append(asyncio.create_task(self._send_loop(), name="linli-send"))
        for platform in self.platforms.values():
            await platform.start(self.dispatch)
            log.info("platform %s started", platform.name)
        self._started = True

    async def stop(self) -> None:
        """Stops platforms first (no new input), then the loops."""
        for platform in self.platforms.values():
            try:
                await platform.stop()
            except Exception:
                log.exception("stopping %s failed", platform.name)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        try:
            await self._record_sent()
        except Exception:
            log.exception("delivery marks could not be written; those messages may be sent again")
        self._started = False
        self._loop = None
        self._queued.clear()
        self._all_queued_known = False

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
        future: asyncio.Future[str | None] = (self._loop or asyncio.get_running_loop()).create_future()
        await self._queue.put((msg, future))
        return await future

    async def _consume(self) -> None:
        while True:
            batch = [await self._queue.get()]
            await asyncio.sleep(0)  # one loop turn: messages already on their way join this commit
            while len(batch) < MAX_BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            deliveries, self._sent = self._sent, []
            try:
                try:
                    handled = await self._handle_batch(batch, deliveries, careful=False)
                except Exception as exc:  # a message failed: again, each in a savepoint of its own
                    log.info("a batch of %d is handled again with savepoints (%r)", len(batch), exc)
                    handled = await self._handle_batch(batch, deliveries, careful=True)
                self._recorded(deliveries)
                if len(self._queued) < MAX_QUEUED_IN_MEMORY:  # the sender need not read them again
                    self._queued.update(self._batch_queued)
                else:
                    self._all_queued_known = False
                toasts = [toast for _, toast in handled]
            except Exception as exc:
                self._sent[:0] = deliveries  # not recorded: the sender records them later
                log.exception("a batch of %d messages could not be committed", len(batch))
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
            else:
                for (_, future), toast in zip(batch, toasts, strict=True):
                    if not future.done():
                        future.set_result(toast)
            finally:
                for _ in batch:
                    self._queue.task_done()
            self._wake.set()

    async def _handle_batch(
        self,
        batch: Sequence[tuple[Incoming, asyncio.Future[str | None]]],
        deliveries: Sequence[tuple[int, datetime, str | None]],
        *,
        careful: bool,
    ) -> list[tuple[int | None, str | None]]:
        """Stores and handles a batch in one commit.

        First without a savepoint per message (they cost ~8% of a message): any error rolls
        the batch back. ``careful`` runs each message in a savepoint, so one that fails is
        kept as failed and the others are handled.
        """
        self._batch_queued = []
        async with self.repo.transaction(savepoints=careful):
            # Deliveries the sender made meanwhile ride along (one commit instead of two),
            # written first: a message in this batch may quote a card just sent.
            await self.repo.mark_sent_many(deliveries)
            handled = [await self._handle(msg, careful) for msg, _ in batch]
            await self.repo.mark_incoming_done([i for i, _ in handled if i is not None])
        return handled

    async def _handle(self, msg: Incoming, careful: bool) -> tuple[int | None, str | None]:
        """Stores the message, then routes it (when ``careful``, in a savepoint, so a bug loses nothing).

        A new message is stored as done: it is handled in the same transaction. Returns
        the inbox id still to mark done with the batch (one stored earlier and left
        unhandled, else None) and the toast to answer a button with, if any.
        """
        item, fresh = await self.repo.store_incoming(msg, state="done")
        if not fresh and item.state != "new":
            log.info("duplicate %s/%s/%s ignored", msg.platform, msg.chat.chat_id, msg.message_id)
            return None, None
        unmarked = None if fresh else item.id
        if not careful:
            return unmarked, await self._route(msg, item.id)
        try:
            async with self.repo.transaction():
                return unmarked, await self._route(msg, item.id)
        except Exception as exc:
            log.exception("handling %s/%s failed; the message is kept", msg.platform, msg.message_id)
            await self.repo.mark_incoming(item.id, "failed", f"{type(exc).__name__}: {exc}"[:500])
            return None, None

    async def _route(self, msg: Incoming, inbox_id: int) -> str | None:
        """Lets the handlers answer and queues their replies; returns the toast, if any."""
        replies = await route(msg, self.ctx, inbox_id)
        toast = None
        now = self.clock.now()
        for reply in replies:
            if reply.toast:
                toast = reply.text
            else:
                self._batch_queued.append((await self.repo.enqueue(reply, now), reply))
        return toast

    async def enqueue(self, replies: Sequence[Reply]) -> None:
        """Queues replies produced outside a message (scheduled jobs) and wakes the sender."""
        async with self.repo.transaction():
            for reply in replies:
                if not reply.toast:
                    await self.repo.enqueue(reply, self.clock.now())
        self._all_queued_known = False  # the sender reads these from the outbox
        self._wake.set()

    # -- outgoing -------------------------------------------------------------------

    async def _send_loop(self) -> None:
        while True:
            try:
                sent = await self.flush()
            except Exception:
                log.exception("outbox pass failed; retrying")
                sent = 0
            if sent:
                continue
            self._wake.clear()
            if self._sent:
                # Delivered, not yet recorded: the consumer's next commit usually carries the
                # marks (one commit, not two); if none comes soon, record them here.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(MARKS_WAIT_SECONDS):
                        await self._wake.wait()
                if not self._wake.is_set():
                    try:
                        await self._record_sent()
                    except Exception:  # kept in memory; never sent twice (see _unrecorded)
                        log.exception("delivery marks could not be written; retrying")
                        await asyncio.sleep(1.0)
                continue
            timeout = 1.0
            due = await self.repo.next_due_at()
            self._all_queued_known = due is None  # nothing pending: from now on all of it is known
            if due is not None:
                timeout = max(0.05, min(timeout, (due - self.clock.now()).total_seconds()))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):  # not wait_for: on 3.11 it can swallow a cancel
                    await self._wake.wait()

    async def flush(self, limit: int = 200) -> int:
        """Delivers what is due now; each chat in order, chats side by side so one slow group
        (rate-limited, say) never holds back an emergency alert to staff."""
        async with self._send_lock:
            moment = (self._loop or asyncio.get_running_loop()).time()
            if self._all_queued_known and moment - self._outbox_read_at < OUTBOX_READ_SECONDS:
                items = self._known_due(limit)  # not read back: the consumer just wrote them
            else:
                self._outbox_read_at = moment
                items = await self.repo.due_outgoing(self.clock.now(), limit, self._queued)
            by_chat: dict[tuple[str, str], list[OutboxItem]] = {}
            for item in items:
                if item.id in self._unrecorded:
                    continue  # delivered already; its mark is on its way to the database
                by_chat.setdefault((item.reply.chat.platform, item.reply.chat.chat_id), []).append(item)
            gate = asyncio.Semaphore(PARALLEL_CHATS)

            async def deliver_in_order(queue: list[OutboxItem]) -> int:
                delivered = 0
                async with gate:
                    for item in queue:
                        if not await self._deliver(item):
                            break  # keep the chat's order: the rest waits for the retry
                        delivered += 1
                return delivered

            counts = await asyncio.gather(*(deliver_in_order(queue) for queue in by_chat.values()))
            return sum(counts)  # the marks are written by the consumer's next commit or the send loop

    def _known_due(self, limit: int) -> list[OutboxItem]:
        """The pending replies, from memory: all the consumer committed and nobody has sent yet."""
        now = self.clock.now()
        return [
            OutboxItem(id=outbox_id, reply=reply, attempts=0, next_attempt_at=now, created_at=now)
            for outbox_id, reply in sorted(self._queued.items())[:limit]
        ]

    async def _record_sent(self) -> None:
        """Writes delivery marks in one transaction (few at a time, so a crash repeats little)."""
        if self._sent:
            marks, self._sent = self._sent, []
            try:
                await self.repo.mark_sent_many(marks)
            except BaseException:
                self._sent[:0] = marks
                raise
            self._recorded(marks)

    def _recorded(self, marks: Sequence[tuple[int, datetime, str | None]]) -> None:
        self._unrecorded.difference_update(outbox_id for outbox_id, _, _ in marks)

    async def _deliver(self, item: OutboxItem) -> bool:
        reply = item.reply
        platform = self.platforms.get(reply.chat.platform)
        if platform is None:
            await self._retry(item, "platform not running", retry_after=300.0)
            return False
        if reply.edit or len(self._sent) >= SENT_MARKS_PER_COMMIT:
            await self._record_sent()  # an edit needs the card's message id on record
        reply = await self._resolve_edit(reply, platform)
        try:
            message_id = await platform.send(reply, f"outbox-{item.id}")
        except Unreachable as exc:
            log.warning("outbox %s: %s unreachable: %s", item.id, reply.chat, exc)
            await self.repo.mark_dead(item.id, str(exc))
            self._queued.pop(item.id, None)
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
        self._sent.append((item.id, self.clock.now(), message_id))
        self._unrecorded.add(item.id)
        self._queued.pop(item.id, None)
        return True

    async def _resolve_edit(self, reply: Reply, platform: Platform) -> Reply:
        """Points an edit at the card's message, or turns it into a new message where that is impossible."""
        if not reply.edit:
            return reply
        message_id = None
        if reply.card_of is not None and platform.can_edit:
            for card in await self.repo.cards_of(reply.card_of):
                if card.chat.platform == reply.chat.platform and card.chat.chat_id == reply.chat.chat_id:
                    message_id = card.message_id
        if message_id is None:
            return dataclasses.replace(reply, edit=False, reply_to=None)
        return dataclasses.replace(reply, reply_to=message_id)

    async def _retry(self, item: OutboxItem, error: str, retry_after: float | None) -> None:
        delay = (
            retry_after if retry_after is not None else min(MAX_BACKOFF_SECONDS, 2.0 ** min(item.attempts, 9))
        )
        delay *= 1.0 if retry_after is not None else random.uniform(0.8, 1.2)
        log.info("outbox %s failed (%s); retry in %.1fs", item.id, error, delay)
        self._all_queued_known = False  # it waits in the outbox now, not in memory
        self._queued.pop(item.id, None)
        await self.repo.mark_retry(item.id, error, self.clock.now() + timedelta(seconds=delay))

    async def _unreachable(self, reply: Reply) -> None:
        """Marks who cannot be reached, tries their other accounts, and tells staff once if none is left."""
        chat = reply.chat
        if not chat.private:
            await self.repo.set_chat_fields(chat.platform, chat.chat_id, reachable=False)
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
        """Waits until every dispatched message is handled and every due message sent."""
        await self._queue.join()
        self._all_queued_known = False  # whoever else wrote to the outbox: read it
        while await self.flush():
            pass
        await self._record_sent()
