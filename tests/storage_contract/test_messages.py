"""The inbox and the outbox: each message stored once, leases taken once, ids never given twice."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import pytest

from storage.base import Repository
from storage.models import Button, ChatRef, InboxState, Incoming, OutboxState, Reply, SentMark
from tests.storage_contract.backends import Backend
from tests.storage_contract.conftest import START

CHAT = ChatRef("console", "g1")
LEASE = timedelta(seconds=60)


def message(n: int, text: str = "帮忙买菜") -> Incoming:
    return Incoming("console", CHAT, "u1", "王奶奶", text, f"m{n}", START + timedelta(seconds=n))


# -- the inbox ----------------------------------------------------------------------------------


async def test_a_message_delivered_twice_is_stored_once(repo: Repository) -> None:
    first, fresh = await repo.store_incoming(message(1))
    again, fresh_again = await repo.store_incoming(message(1, "a different text, the same message id"))
    assert fresh and not fresh_again
    assert again == first and again.message == message(1)
    assert await repo.count_incoming() == 1
    assert await repo.pending_incoming() == [first]


async def test_a_message_handled_as_it_is_stored_is_not_pending(repo: Repository) -> None:
    handled, _ = await repo.store_incoming(message(1), handled=True)
    waiting, _ = await repo.store_incoming(message(2))
    assert (handled.state, waiting.state) == (InboxState.DONE, InboxState.NEW)
    assert [item.id for item in await repo.pending_incoming()] == [waiting.id]
    await repo.mark_handled(waiting.id)
    assert await repo.pending_incoming() == []
    assert await repo.count_incoming(InboxState.DONE) == 2


async def test_failures_are_counted_and_kept_out_of_the_pending_list(repo: Repository) -> None:
    assert await repo.fail_incoming(message(1), "boom") == 1
    assert await repo.fail_incoming(message(1), "boom again") == 2
    stored, fresh = await repo.store_incoming(message(1))
    assert not fresh and (stored.state, stored.error) == (InboxState.FAILED, "boom again")
    assert await repo.pending_incoming() == []
    await repo.mark_handled(stored.id)
    assert await repo.count_incoming(InboxState.FAILED) == 0


async def test_incoming_messages_are_counted_by_state_and_time(repo: Repository) -> None:
    for n in range(5):
        await repo.store_incoming(message(n), handled=n % 2 == 0)
    assert await repo.count_incoming() == 5
    assert await repo.count_incoming(InboxState.NEW) == 2
    window = (START + timedelta(seconds=1), START + timedelta(seconds=4))
    assert await repo.count_incoming(None, window) == 3
    assert await repo.count_incoming(InboxState.DONE, window) == 1


# -- the outbox -----------------------------------------------------------------------------------


async def test_messages_are_due_in_order_and_a_retry_waits(repo: Repository) -> None:
    first = await repo.enqueue(Reply(CHAT, "one"), START)
    second = await repo.enqueue(Reply(CHAT, "two", buttons=(), reply_to="m1"), START)
    due = await repo.due_outgoing(START)
    assert [(d.id, d.reply.text, d.state, d.attempts) for d in due] == [
        (first, "one", OutboxState.PENDING, 0),
        (second, "two", OutboxState.PENDING, 0),
    ]
    assert due[1].reply == Reply(CHAT, "two", reply_to="m1")
    assert await repo.due_outgoing(START - timedelta(seconds=1)) == []
    await repo.mark_retry(first, "network", START + timedelta(seconds=30))
    assert [d.id for d in await repo.due_outgoing(START)] == [second]
    assert await repo.next_due_at() == START
    await repo.mark_sent([SentMark(second, START, "b2")])
    assert await repo.next_due_at() == START + timedelta(seconds=30)
    [retried] = await repo.due_outgoing(START + timedelta(seconds=30))
    assert (retried.id, retried.attempts, retried.last_error) == (first, 1, "network")
    with pytest.raises(ValueError):
        await repo.enqueue(Reply(CHAT, "toast", toast=True), START)


async def test_a_reply_comes_back_whole(repo: Repository) -> None:
    private = ChatRef("telegram", "42", private=True)
    hint = Reply(ChatRef("telegram", "-1"), "请私聊我", buttons=(Button("私聊", "open:start"),), reply_to="9")
    reply = Reply(
        private,
        "任务 #3 详情",
        buttons=(Button("我来", "claim:3"), Button("完成", "done:3")),
        card_of=3,
        edit=True,
        fallback=hint,
        image="/tmp/chart.png",
        bulk=True,
    )
    outbox_id = await repo.enqueue(reply, START)
    [item] = await repo.due_outgoing(START)
    assert (item.id, item.reply, item.created_at, item.next_attempt_at) == (outbox_id, reply, START, START)


async def test_leased_messages_are_taken_once_and_again_only_when_the_lease_runs_out(
    repo: Repository,
) -> None:
    ids = [await repo.enqueue(Reply(CHAT, str(n)), START) for n in range(3)]
    until = START + LEASE
    first = await repo.lease_outgoing("a", START, until, limit=2)
    assert [(item.id, item.reply.text, item.state) for item in first] == [
        (ids[0], "0", OutboxState.SENDING),
        (ids[1], "1", OutboxState.SENDING),
    ]
    assert [item.id for item in await repo.lease_outgoing("b", START, until)] == ids[2:]
    assert await repo.lease_outgoing("b", START, until) == []  # all leased
    assert await repo.due_outgoing(START) == []
    await repo.mark_sent([SentMark(ids[0], START, "m0"), SentMark(ids[2], START, "m2")])
    assert await repo.next_due_at() == until  # the lease of ids[1] runs out then
    later = await repo.lease_outgoing("b", until, until + LEASE)
    assert [item.id for item in later] == [ids[1]]  # its sender died between send and mark
    assert await repo.count_outgoing(OutboxState.SENT) == 2
    assert await repo.count_outgoing(OutboxState.SENDING) == 1


async def test_concurrent_senders_never_lease_the_same_message(repo: Repository) -> None:
    for n in range(60):
        await repo.enqueue(Reply(CHAT, str(n)), START)
    batches = await asyncio.gather(
        *(repo.lease_outgoing(f"sender-{n}", START, START + LEASE, limit=7) for n in range(10))
    )
    taken = [item.id for batch in batches for item in batch]
    assert len(taken) == len(set(taken)) == 60


async def test_a_sender_hands_back_only_what_it_still_holds(repo: Repository) -> None:
    ids = [await repo.enqueue(Reply(CHAT, str(n)), START) for n in range(3)]
    await repo.lease_outgoing("a", START, START + LEASE, limit=2)
    await repo.lease_outgoing("b", START, START + LEASE)
    assert await repo.release_leases("a", [ids[1], ids[2]]) == 1  # ids[2] is b's
    assert await repo.release_leases("a", []) == 0
    [back] = await repo.due_outgoing(START)
    assert (back.id, back.attempts, back.state) == (ids[1], 0, OutboxState.PENDING)
    assert await repo.release_all_leases() == 2  # at start: what a stopped process held
    assert [item.id for item in await repo.due_outgoing(START)] == ids


async def test_bulk_messages_are_taken_a_few_a_pass_behind_replies(repo: Repository) -> None:
    greetings = [await repo.enqueue(Reply(CHAT, f"早上好 {n}", bulk=True), START) for n in range(5)]
    reply = await repo.enqueue(Reply(CHAT, "好的"), START)
    other = await repo.enqueue(Reply(ChatRef("telegram", "-1"), "早", bulk=True), START)
    taken = await repo.lease_outgoing("a", START, START + LEASE, limit=50, bulk_limits={"console": 2})
    assert [item.id for item in taken] == [*greetings[:2], reply, other]


async def test_dead_messages_are_given_up_on(repo: Repository) -> None:
    outbox_id = await repo.enqueue(Reply(CHAT, "x"), START)
    await repo.lease_outgoing("a", START, START + LEASE)
    await repo.mark_dead(outbox_id, "blocked by the user")
    assert await repo.count_outgoing(OutboxState.DEAD) == 1
    assert await repo.due_outgoing(START + LEASE) == []
    assert await repo.lease_outgoing("a", START + LEASE, START + 2 * LEASE) == []
    assert await repo.next_due_at() is None


async def test_a_sent_card_is_remembered_and_what_was_said_can_be_read(repo: Repository) -> None:
    person = await repo.resolve_identity("console", "u1", "王奶奶")
    task = await repo.create_task(text="x", requester_id=person.id, at=START)
    card = await repo.enqueue(Reply(CHAT, "card", card_of=task.id), START)
    plain = await repo.enqueue(Reply(CHAT, "plain"), START)
    await repo.mark_sent([SentMark(card, START, "b7"), SentMark(plain, START, None)])
    assert [c.message_id for c in await repo.cards_of(task.id)] == ["b7"]
    found = await repo.task_for_message(CHAT, "b7")
    assert found is not None and found.id == task.id
    assert await repo.sent_text(CHAT, "b7") == "card"
    assert await repo.sent_text(CHAT, "b8") is None
    assert await repo.count_outgoing(OutboxState.SENT) == 2


async def test_cards_marked_together_keep_each_chat_s_newest_message(repo: Repository) -> None:
    person = await repo.resolve_identity("console", "u1", "王奶奶")
    first = await repo.create_task(text="x", requester_id=person.id, at=START)
    second = await repo.create_task(text="y", requester_id=person.id, at=START)
    other = ChatRef("console", "5号楼互助群")
    posted = await repo.enqueue(Reply(CHAT, "card", card_of=first.id), START)
    reposted = await repo.enqueue(Reply(CHAT, "card again", card_of=first.id), START)
    elsewhere = await repo.enqueue(Reply(other, "card", card_of=first.id), START)
    unknown = await repo.enqueue(Reply(CHAT, "card", card_of=second.id), START)
    await repo.mark_sent(
        [
            SentMark(posted, START, "b1"),
            SentMark(reposted, START, "b2"),
            SentMark(elsewhere, START, "c1"),
            SentMark(unknown, START, None),  # the platform gave no id: nothing to edit later
        ]
    )
    cards = {(c.chat.chat_id, c.message_id) for c in await repo.cards_of(first.id)}
    assert cards == {(CHAT.chat_id, "b2"), ("5号楼互助群", "c1")}
    assert await repo.cards_of(second.id) == []
    assert await repo.count_outgoing(OutboxState.SENT) == 4


async def test_nothing_of_a_rolled_back_transaction_is_queued(repo: Repository) -> None:
    with contextlib.suppress(RuntimeError):
        async with repo.transaction():
            await repo.enqueue(Reply(CHAT, "rolled back"), START)
            raise RuntimeError
    assert await repo.count_outgoing() == 0
    assert await repo.lease_outgoing("a", START, START + LEASE) == []


async def test_outbox_ids_are_never_given_twice(repo: Repository, backend: Backend) -> None:
    kept = await repo.enqueue(Reply(CHAT, "kept"), START)
    await repo.mark_sent([SentMark(kept, START, "p1")])
    await backend.delete_outbox_row(repo, kept)  # the newest row gone, as a clean-up would
    assert await repo.enqueue(Reply(CHAT, "next"), START) > kept


async def test_a_sender_can_take_only_the_messages_to_its_platforms(repo: Repository) -> None:
    to_console = await repo.enqueue(Reply(CHAT, "here"), START)
    await repo.enqueue(Reply(ChatRef("telegram", "g1"), "elsewhere"), START + timedelta(seconds=5))
    assert await repo.next_due_at(["console"]) == START
    assert await repo.next_due_at([]) is None
    taken = await repo.lease_outgoing("a", START + LEASE, START + 2 * LEASE, platforms=["console"])
    assert [item.id for item in taken] == [to_console]
    assert await repo.lease_outgoing("a", START + LEASE, START + 2 * LEASE, platforms=["wechat"]) == []
    assert await repo.next_due_at(["telegram"]) == START + timedelta(seconds=5)


async def test_a_sender_renews_only_the_leases_it_still_holds(repo: Repository) -> None:
    ids = [await repo.enqueue(Reply(CHAT, str(n)), START) for n in range(3)]
    await repo.lease_outgoing("a", START, START + LEASE, limit=2)
    await repo.lease_outgoing("b", START, START + LEASE)
    await repo.mark_sent([SentMark(ids[0], START, "m0")])
    assert await repo.renew_leases("a", START + 2 * LEASE) == {ids[1]}  # ids[0] is sent, ids[2] is b's
    assert await repo.next_due_at() == START + LEASE  # b's
    later = await repo.lease_outgoing("c", START + LEASE, START + 3 * LEASE)
    assert [item.id for item in later] == [ids[2]]  # a's renewed lease still holds
    assert await repo.renew_leases("b", START + 3 * LEASE) == set()  # ran out and taken
