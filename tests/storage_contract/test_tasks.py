"""The queue: a task's life, conditional moves (one racing claim wins), fields, lists and cards."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from storage.base import Repository
from storage.models import ChatRef, Incoming, Reply, TaskState, TaskUpdate
from tests.storage_contract.conftest import START, claim

HOUR = timedelta(hours=1)


async def test_a_task_is_created_open_and_read_back_as_it_was_written(repo: Repository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    item, _ = await repo.store_incoming(
        Incoming("console", ChatRef("console", "g1"), "wang", "王奶奶", "帮忙买菜", "m1", START)
    )
    task = await repo.create_task(
        text="帮忙买菜",
        requester_id=wang.id,
        at=START,
        category="shopping",
        urgency="urgent",
        window=(START, START + 2 * HOUR),
        building="3号楼",
        room="502",
        priority=1,
        origin=ChatRef("console", "g1"),
        origin_message_id="m1",
        inbox_id=item.id,
        language="zh-Hans",
    )
    assert task.state is TaskState.OPEN and task.claimer_id is None
    assert (task.window_start, task.window_end) == (START, START + 2 * HOUR)
    assert await repo.get_task(task.id) == task
    assert await repo.task_for_inbox(item.id) == task
    assert await repo.get_task(task.id + 1000) is None
    assert [(e.action, e.from_state, e.to_state, e.actor_id) for e in await repo.task_events(task.id)] == [
        ("create", None, TaskState.OPEN, wang.id)
    ]


async def test_a_move_happens_only_from_an_expected_state_and_is_recorded(repo: Repository) -> None:
    person = await repo.resolve_identity("console", "u1", "王奶奶")
    volunteer = await repo.resolve_identity("console", "u2", "小李")
    task = await repo.create_task(text="买菜", requester_id=person.id, at=START)
    assert await claim(repo, task.id, volunteer.id)
    assert not await claim(repo, task.id, person.id)
    assert not await claim(repo, task.id + 1000, person.id)
    events = await repo.task_events(task.id)
    assert [(e.action, e.from_state, e.to_state, e.actor_id, e.at) for e in events] == [
        ("create", None, TaskState.OPEN, person.id, START),
        ("claim", TaskState.OPEN, TaskState.CLAIMED, volunteer.id, START),
    ]
    claimed = await repo.get_task(task.id)
    assert claimed is not None and claimed.claimer_id == volunteer.id


async def test_the_holder_is_set_kept_and_forgotten_only_as_asked(repo: Repository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    li = await repo.resolve_identity("console", "li", "小李")
    zhao = await repo.resolve_identity("console", "zhao", "小赵")
    task = await repo.create_task(text="买菜", requester_id=wang.id, at=START)

    async def move(action: str, expect: TaskState, to: TaskState, **extra: object) -> TaskState:
        moved = await repo.transition_task(
            task.id,
            action=action,
            expect=expect,
            to=to,
            actor_id=li.id,
            at=START,
            **extra,  # type: ignore[arg-type]
        )
        assert moved, action
        current = await repo.get_task(task.id)
        assert current is not None
        return current.state

    async def holder() -> int | None:
        current = await repo.get_task(task.id)
        assert current is not None
        return current.claimer_id

    await move("claim", TaskState.OPEN, TaskState.CLAIMED, claimer_id=li.id)
    assert await holder() == li.id
    await move("release", TaskState.CLAIMED, TaskState.OPEN, unclaim=True)
    assert await holder() is None
    await move("assign", TaskState.OPEN, TaskState.CLAIMED, claimer_id=zhao.id, note="assigned to 小赵")
    await move("done", TaskState.CLAIMED, TaskState.DONE, duration_hours=1.5)
    assert await move("confirm", TaskState.DONE, TaskState.CONFIRMED) is TaskState.CONFIRMED
    done = await repo.get_task(task.id)
    assert done is not None and (done.claimer_id, done.duration_hours) == (zhao.id, 1.5)
    assert [e.note for e in await repo.task_events(task.id)][3] == "assigned to 小赵"
    with pytest.raises(ValueError):
        await repo.transition_task(
            task.id,
            action="claim",
            expect=TaskState.CONFIRMED,
            to=TaskState.CLAIMED,
            actor_id=li.id,
            at=START,
            claimer_id=li.id,
            unclaim=True,
        )


async def test_a_move_may_expect_any_of_several_states(repo: Repository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    task = await repo.create_task(text="摔倒了", requester_id=wang.id, at=START, emergency=True)
    either = [TaskState.OPEN, TaskState.CLAIMED]
    assert await repo.transition_task(
        task.id, action="resolve", expect=either, to=TaskState.CONFIRMED, actor_id=None, at=START
    )
    assert not await repo.transition_task(
        task.id, action="resolve", expect=either, to=TaskState.CONFIRMED, actor_id=None, at=START
    )


async def test_of_many_concurrent_claims_exactly_one_per_task_wins(repo: Repository) -> None:
    requester = await repo.resolve_identity("console", "r", "R")
    volunteers = [await repo.resolve_identity("console", f"v{i}", f"V{i}") for i in range(50)]
    tasks = [await repo.create_task(text=f"t{i}", requester_id=requester.id, at=START) for i in range(20)]

    results = await asyncio.gather(*(claim(repo, t.id, v.id) for t in tasks for v in volunteers))  # 1,000
    assert sum(results) == len(tasks)
    for task in tasks:
        claims = [e for e in await repo.task_events(task.id) if e.action == "claim"]
        assert len(claims) == 1
        claimed = await repo.get_task(task.id)
        assert claimed is not None and claimed.claimer_id == claims[0].actor_id


async def test_an_update_writes_only_the_descriptive_fields_it_sets(repo: Repository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    task = await repo.create_task(
        text="修灯", requester_id=wang.id, at=START, category="repair", building="3号楼"
    )
    await repo.update_task(task.id, TaskUpdate(duration_hours=2.0, room="502"))
    await repo.update_task(task.id, TaskUpdate(priority=1, urgency="urgent"))
    await repo.update_task(task.id + 1000, TaskUpdate(priority=9))  # unknown: ignored
    updated = await repo.get_task(task.id)
    assert updated is not None
    assert (updated.duration_hours, updated.room, updated.priority, updated.urgency) == (
        2.0,
        "502",
        1,
        "urgent",
    )
    assert (updated.category, updated.building, updated.state) == ("repair", "3号楼", TaskState.OPEN)


async def test_lists_put_priority_first_then_the_oldest_and_every_filter_narrows(repo: Repository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    li = await repo.resolve_identity("console", "li", "小李")
    old = await repo.create_task(
        text="old", requester_id=wang.id, at=START, building="3号楼", category="shopping"
    )
    new = await repo.create_task(text="new", requester_id=li.id, at=START + HOUR, building="5号楼")
    urgent = await repo.create_task(text="urgent", requester_id=wang.id, at=START + 2 * HOUR, priority=1)
    alarm = await repo.create_task(text="alarm", requester_id=wang.id, at=START + 3 * HOUR, emergency=True)
    assert await claim(repo, new.id, li.id)

    async def ids(**narrowing: object) -> list[int]:
        return [t.id for t in await repo.list_tasks(**narrowing)]  # type: ignore[arg-type]

    assert await ids() == [urgent.id, old.id, new.id, alarm.id]
    assert await ids(states=[TaskState.OPEN]) == [urgent.id, old.id, alarm.id]
    assert await ids(building="3号楼") == [old.id]
    assert await ids(emergency=True) == [alarm.id]
    assert await ids(emergency=False, limit=2) == [urgent.id, old.id]
    assert await ids(created_before=START + HOUR) == [old.id]
    assert await ids(categories=["shopping", "meals"]) == [old.id]
    assert await ids(requester_id=li.id) == [new.id]
    assert await ids(claimer_id=li.id) == [new.id]
    assert [t.id for t in await repo.tasks_between(START + HOUR, START + 3 * HOUR)] == [new.id, urgent.id]
    assert await repo.oldest_task_ids([TaskState.OPEN], limit=2) == [old.id, urgent.id]
    assert await repo.oldest_task_ids([TaskState.CLAIMED], limit=5, updated_before=START) == []


async def test_cards_are_found_by_their_message_and_the_latest_one_wins(repo: Repository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    group, other = ChatRef("console", "g1"), ChatRef("console", "g2")
    task = await repo.create_task(
        text="x", requester_id=wang.id, at=START, origin=group, origin_message_id="m1"
    )
    await repo.record_card(task.id, group, "c1")
    await repo.record_card(task.id, group, "c2")  # posted again: the latest wins
    await repo.record_card(task.id, other, "c9")
    assert [(c.chat, c.message_id) for c in await repo.cards_of(task.id)] == [(group, "c2"), (other, "c9")]
    assert await repo.task_for_message(group, "c2") == task
    assert await repo.task_for_message(group, "m1") == task  # the request itself
    assert await repo.task_for_message(other, "m1") is None
    assert await repo.last_card_in(group) is None
    await repo.enqueue(Reply(group, "card", card_of=task.id), START)  # queued counts, not yet sent
    assert await repo.last_card_in(group) == task.id
