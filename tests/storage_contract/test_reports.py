"""Digest figures: counts per building over tasks, their events and the passbook."""

from __future__ import annotations

from datetime import timedelta

from storage.base import Repository
from storage.checkin_models import TaskCount, VolunteerHours
from storage.lovebank_models import RecordKind
from storage.models import PersonUpdate, TaskState
from tests.storage_contract.conftest import START, claim

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
TODAY = (START - 9 * HOUR, START + 15 * HOUR)  # the local day of START


async def test_tasks_are_counted_per_building_the_requesters_when_the_task_has_none(repo: Repository) -> None:
    assert not await repo.has_history_before(START + HOUR)
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    await repo.update_person(wang.id, PersonUpdate(building="3号楼"))
    li = await repo.resolve_identity("console", "li", "小李")
    here = await repo.create_task(text="a", requester_id=wang.id, at=START)
    there = await repo.create_task(
        text="b", requester_id=wang.id, at=START, building="5号楼", window=(START, START + HOUR)
    )
    await repo.create_task(text="c", requester_id=wang.id, at=START - DAY)
    assert await repo.has_history_before(START + HOUR)
    assert not await repo.has_history_before(START - DAY)
    assert set(await repo.count_tasks_created(*TODAY)) == {
        TaskCount("3号楼", "new", 1),
        TaskCount("5号楼", "new", 1),
    }
    assert await claim(repo, here.id, li.id) and await claim(repo, there.id, li.id)
    assert await repo.transition_task(
        here.id, action="done", expect=TaskState.CLAIMED, to=TaskState.DONE, actor_id=li.id, at=START
    )
    assert set(await repo.count_task_events(*TODAY, ["claim", "done"])) == {
        TaskCount("3号楼", "claim", 1),
        TaskCount("3号楼", "done", 1),
        TaskCount("5号楼", "claim", 1),
    }
    assert set(await repo.count_tasks_in_states([TaskState.OPEN, TaskState.DONE])) == {
        TaskCount("3号楼", "open", 1),
        TaskCount("3号楼", "done", 1),
    }
    assert await repo.count_overdue(START + HOUR) == []  # its window ends then, not before
    assert await repo.count_overdue(START + 2 * HOUR) == [TaskCount("5号楼", "claimed", 1)]


async def test_hours_served_come_from_the_passbook(repo: Repository) -> None:
    li = await repo.resolve_identity("console", "li", "小李")
    zhao = await repo.resolve_identity("console", "zhao", "小赵")
    line, _ = await repo.add_record(
        kind=RecordKind.SERVICE, person_id=li.id, hours=2.0, served_at=START, at=START, building="3号楼"
    )
    await repo.add_record(
        kind=RecordKind.CORRECTION,
        person_id=li.id,
        hours=-0.5,
        served_at=START,
        at=START,
        corrects_id=line.id,
        building="3号楼",
    )
    await repo.add_record(
        kind=RecordKind.SERVICE, person_id=zhao.id, hours=3.0, served_at=START, at=START, building="3号楼"
    )
    await repo.add_record(
        kind=RecordKind.WITHDRAWAL, person_id=zhao.id, hours=-1.0, served_at=START, at=START
    )
    assert await repo.hours_served(*TODAY) == [
        VolunteerHours(zhao.id, "小赵", 3.0, 1, "3号楼"),
        VolunteerHours(li.id, "小李", 1.5, 1, "3号楼"),
    ]
    assert await repo.hours_served(START + HOUR, START + 2 * HOUR) == []
