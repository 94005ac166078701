"""Emergencies as incidents: opened once, acknowledged by the first, escalated one step per tick."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from storage.base import Repository
from storage.models import ChatRef, IncidentState
from tests.storage_contract.conftest import START

MINUTE = timedelta(minutes=1)


async def test_an_incident_is_opened_once_and_acknowledged_by_the_first(repo: Repository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    helpers = [await repo.resolve_identity("console", f"v{n}", f"V{n}") for n in range(5)]
    task = await repo.create_task(text="摔倒了", requester_id=wang.id, at=START, emergency=True)
    incident = await repo.create_incident(
        task.id, kind="fall", at=START, elder_id=None, next_call_at=START + MINUTE
    )
    assert (
        await repo.create_incident(task.id, kind="fire", at=START, elder_id=None, next_call_at=None)
        == incident
    )
    assert (incident.state, incident.kind, incident.step) == (IncidentState.REPORTED, "fall", 0)
    assert await repo.incident_of_task(task.id) == incident == await repo.get_incident(incident.id)
    acks = await asyncio.gather(
        *(repo.acknowledge_incident(incident.id, h.id, START + MINUTE) for h in helpers)
    )
    assert sum(acks) == 1
    acknowledged = await repo.get_incident(incident.id)
    assert acknowledged is not None and acknowledged.state is IncidentState.ACKNOWLEDGED
    assert acknowledged.acknowledged_by == helpers[acks.index(True)].id
    assert await repo.due_incidents(START + 10 * MINUTE) == []  # nobody needs calling any more
    assert await repo.resolve_incident(incident.id, helpers[0].id, START + 9 * MINUTE, "safe")
    assert not await repo.resolve_incident(incident.id, helpers[1].id, START + 9 * MINUTE, "hospital")
    resolved = await repo.get_incident(incident.id)
    assert resolved is not None and (resolved.state, resolved.outcome) == (IncidentState.RESOLVED, "safe")


async def test_open_incidents_near_a_group_are_those_raised_there_or_in_its_building(
    repo: Repository,
) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    here, elsewhere = ChatRef("console", "3号楼群"), ChatRef("console", "5号楼群")

    async def incident(origin: ChatRef, building: str | None, minutes: int) -> int:
        at = START + minutes * MINUTE
        task = await repo.create_task(
            text="摔倒了", requester_id=wang.id, at=at, emergency=True, origin=origin, building=building
        )
        return (await repo.create_incident(task.id, kind="fall", at=at, elder_id=None, next_call_at=None)).id

    asked_here = await incident(here, None, 0)
    in_building = await incident(elsewhere, "3号楼", 1)
    await incident(elsewhere, "5号楼", 2)  # neither here nor in 3号楼
    closed = await incident(here, "3号楼", 3)
    assert await repo.resolve_incident(closed, wang.id, START + 4 * MINUTE, "safe")
    near = await repo.open_incidents_near(here, "3号楼", since=START, limit=20)
    assert [i.id for i in near] == [in_building, asked_here]
    assert [i.id for i in await repo.open_incidents_near(here, None, since=START, limit=20)] == [asked_here]
    assert await repo.open_incidents_near(here, "3号楼", since=START + MINUTE * 2, limit=20) == []
    assert await repo.open_incidents_near(here, "3号楼", since=START, limit=1) == []  # the newest is not near


async def test_an_unacknowledged_incident_climbs_one_step_per_due_call(repo: Repository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    task = await repo.create_task(text="着火了", requester_id=wang.id, at=START, emergency=True)
    incident = await repo.create_incident(
        task.id, kind="fire", at=START, elder_id=None, next_call_at=START + MINUTE
    )
    assert await repo.due_incidents(START) == []
    assert [i.id for i in await repo.due_incidents(START + MINUTE)] == [incident.id]
    steps = await asyncio.gather(*(repo.step_incident(incident.id, 1, START + 5 * MINUTE) for _ in range(5)))
    assert sum(steps) == 1
    assert await repo.due_incidents(START + 2 * MINUTE) == []
    assert not await repo.step_incident(incident.id, 3, None)  # steps are taken in order
    assert await repo.step_incident(incident.id, 2, None)
    stepped = await repo.get_incident(incident.id)
    assert stepped is not None and (stepped.step, stepped.next_call_at) == (2, None)
    resolved_by_anyone = await repo.resolve_incident(incident.id, wang.id, START + 6 * MINUTE, "false_alarm")
    assert resolved_by_anyone  # straight from reported
    assert [i.id for i in await repo.list_incidents(states=[IncidentState.RESOLVED])] == [incident.id]
    assert await repo.list_incidents(states=[IncidentState.REPORTED]) == []
    assert [i.id for i in await repo.incidents_between(START + 6 * MINUTE, START + 7 * MINUTE)] == [
        incident.id
    ]
    assert await repo.incidents_between(START + 7 * MINUTE, START + 8 * MINUTE) == []
