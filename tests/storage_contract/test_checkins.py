"""Elders and their daily check-ins: one a day, answered once, a ladder climbed one step at a time."""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta

from storage.base import Repository
from storage.checkin_models import (
    CheckinCount,
    CheckinState,
    Elder,
    ElderSpec,
    LadderStep,
    NewCheckin,
    Outcome,
    Wellbeing,
)
from storage.models import ChatRef
from tests.storage_contract.conftest import START

DAY = START.date()
WINDOW = timedelta(hours=2)


async def elder_named(repo: Repository, name: str, building: str = "3号楼", **spec: object) -> Elder:
    person = await repo.resolve_identity("console", name, name)
    return await repo.save_elder(
        ElderSpec(person_id=person.id, building=building, **spec),  # type: ignore[arg-type]
        at=START,
        next_due_at=START,
    )


async def greet(repo: Repository, elder: Elder, day: date = DAY) -> int:
    """Records the day's greeting of one elder; returns the check-in id."""
    due = START + (day - DAY)
    created = await repo.begin_checkins(
        [NewCheckin(elder.id, day, due, due, due + WINDOW, due + WINDOW, due + timedelta(days=1))]
    )
    return created[elder.id]


async def test_an_elder_is_registered_once_and_updated_field_by_field(repo: Repository) -> None:
    volunteer = await repo.resolve_identity("console", "li", "小李")
    other = await repo.resolve_identity("console", "zhao", "小赵")
    elder = await elder_named(repo, "王奶奶", room="502", volunteer_ids=(volunteer.id,))
    assert (elder.checkin_time, elder.window_minutes) == (time(9, 0), 120)
    assert (elder.name, elder.building, elder.room, elder.volunteer_ids) == (
        "王奶奶",
        "3号楼",
        "502",
        (volunteer.id,),
    )
    updated = await repo.save_elder(
        ElderSpec(
            person_id=elder.person_id, checkin_time=time(8, 30), volunteer_ids=(other.id, volunteer.id)
        ),
        at=START,
        next_due_at=START + timedelta(days=1),
    )
    assert updated.id == elder.id
    assert (updated.checkin_time, updated.room, updated.volunteer_ids) == (
        time(8, 30),
        "502",
        (other.id, volunteer.id),
    )
    assert updated.next_due_at == START + timedelta(days=1)
    assert await repo.get_elder(elder.id) == updated
    assert await repo.elder_of_person(elder.person_id) == updated
    assert await repo.elders_by_ids([elder.id, elder.id + 1000]) == {elder.id: updated}
    assert [e.id for e in await repo.elders_of_volunteer(other.id)] == [elder.id]


async def test_elders_are_listed_by_building_and_found_by_name(repo: Repository) -> None:
    wang = await elder_named(repo, "王奶奶")
    li = await elder_named(repo, "李大爷", building="5号楼")
    stopped = await elder_named(repo, "赵奶奶", active=False)
    assert [e.id for e in await repo.list_elders()] == [wang.id, li.id]
    assert [e.id for e in await repo.list_elders(building="5号楼")] == [li.id]
    assert [e.id for e in await repo.list_elders(active=False)] == [stopped.id]
    assert [e.id for e in await repo.list_elders(active=None)] == [wang.id, li.id, stopped.id]
    assert [e.id for e in await repo.elders_named_in("去看看李大爷和赵奶奶")] == [li.id]


async def test_greetings_come_due_in_order_and_pause_while_away(repo: Repository) -> None:
    wang = await elder_named(repo, "王奶奶")
    li = await elder_named(repo, "李大爷")
    await repo.set_elder_schedule(
        wang.id, next_due_at=START + timedelta(minutes=5), away_until=None, at=START
    )
    assert [g.elder_id for g in await repo.due_greetings(START, 10)] == [li.id]
    later = START + timedelta(minutes=5)
    due = await repo.due_greetings(later, 10)
    assert [(g.elder_id, g.name, g.platform, g.user_id) for g in due] == [
        (li.id, "李大爷", "console", "李大爷"),
        (wang.id, "王奶奶", "console", "王奶奶"),
    ]
    assert [g.elder_id for g in await repo.due_greetings(later, 1)] == [li.id]
    back = START + timedelta(days=3)
    await repo.set_elder_schedule(li.id, next_due_at=back, away_until=back, at=START)
    away = await repo.get_elder(li.id)
    assert away is not None and away.away_until == back
    await repo.set_next_due([(wang.id, None)])
    assert await repo.due_greetings(later, 10) == []
    assert await repo.next_checkin_work_at() == back


async def test_an_elder_is_greeted_once_a_day(repo: Repository) -> None:
    wang = await elder_named(repo, "王奶奶")
    first = await greet(repo, wang)
    later = START + timedelta(hours=1)  # a second tick that day
    item = NewCheckin(wang.id, DAY, later, later, later + WINDOW, later + WINDOW, START + timedelta(days=1))
    assert await repo.begin_checkins([item]) == {}  # already greeted today
    checkin = await repo.checkin_on(wang.id, DAY)
    assert checkin is not None and checkin.id == first
    assert (checkin.state, checkin.step, checkin.next_step_at) == (
        CheckinState.WAITING,
        LadderStep.GREETED,
        START + WINDOW,
    )
    assert [(s.step, s.at) for s in await repo.ladder_of(first)] == [(LadderStep.GREETED, START)]
    moved = await repo.get_elder(wang.id)
    assert moved is not None and moved.next_due_at == START + timedelta(days=1)
    assert [c.id for c in await repo.open_checkins_of_person(wang.person_id)] == [first]
    assert await repo.begin_checkins([]) == {}


async def test_an_answer_closes_the_day_once(repo: Repository) -> None:
    wang = await elder_named(repo, "王奶奶")
    checkin_id = await greet(repo, wang)
    chat = ChatRef("console", "王奶奶", private=True)

    async def answer(message_id: str) -> bool:
        return await repo.answer_checkin(
            checkin_id,
            at=START + timedelta(minutes=3),
            in_window=True,
            outcome=Outcome.ANSWERED,
            wellbeing=Wellbeing.GOOD,
            text="挺好的",
            chat=chat,
            message_id=message_id,
            by=wang.person_id,
        )

    assert sum(await asyncio.gather(*(answer(f"m{n}") for n in range(5)))) == 1
    answered = await repo.get_checkin(checkin_id)
    assert answered is not None
    assert (answered.state, answered.outcome, answered.answer_text) == (
        CheckinState.ANSWERED,
        Outcome.ANSWERED,
        "挺好的",
    )
    assert answered.answered_in_window and not answered.open and answered.next_step_at is None
    found = await repo.checkin_answered_by(chat, "m0") or await repo.checkin_answered_by(chat, "m1")
    assert found is not None and found.id == checkin_id
    assert await repo.open_checkins_of_person(wang.person_id) == []
    assert await repo.note_wellbeing(checkin_id, Wellbeing.FAIR)
    assert not await repo.note_wellbeing(checkin_id, Wellbeing.GOOD)  # never raised again
    marked = await repo.get_checkin(checkin_id)
    assert marked is not None and marked.wellbeing is Wellbeing.FAIR


async def test_the_ladder_is_climbed_one_step_at_a_time_by_one_racer(repo: Repository) -> None:
    wang = await elder_named(repo, "王奶奶")
    li = await repo.resolve_identity("console", "li", "小李")
    zhao = await repo.resolve_identity("console", "zhao", "小赵")
    checkin_id = await greet(repo, wang)
    assert [c.id for c in await repo.due_steps(START + WINDOW, 10)] == [checkin_id]
    assert await repo.due_steps(START + WINDOW - timedelta(seconds=1), 10) == []
    step_at = START + WINDOW
    climbs = await asyncio.gather(
        *(
            repo.advance_checkin(
                checkin_id,
                expect=LadderStep.GREETED,
                step=LadderStep.REMINDED,
                at=step_at,
                next_step_at=step_at + timedelta(minutes=30),
                reached=1,
            )
            for _ in range(5)
        )
    )
    assert sum(climbs) == 1
    assert await repo.advance_checkin(
        checkin_id,
        expect=LadderStep.REMINDED,
        step=LadderStep.VOLUNTEERS,
        at=step_at + timedelta(minutes=30),
        next_step_at=step_at + timedelta(hours=2),
        reached=2,
        note="两位志愿者",
    )
    await repo.add_notified(checkin_id, [li.id, zhao.id], LadderStep.VOLUNTEERS)
    await repo.add_notified(checkin_id, [li.id], LadderStep.STAFF)  # once per person
    assert await repo.notified_of(checkin_id) == [li.id, zhao.id]
    assert [c.id for c in await repo.open_ladders_of(li.id)] == [checkin_id]
    assert [c.id for c in await repo.escalating_checkins()] == [checkin_id]
    assert await repo.hurry_checkin(checkin_id, step_at + timedelta(minutes=40))  # nobody at the door
    hurried = await repo.get_checkin(checkin_id)
    assert hurried is not None and hurried.next_step_at == step_at + timedelta(minutes=40)
    assert [(s.step, s.reached, s.note) for s in await repo.ladder_of(checkin_id)] == [
        (LadderStep.GREETED, 1, None),
        (LadderStep.REMINDED, 1, None),
        (LadderStep.VOLUNTEERS, 2, "两位志愿者"),
    ]
    task = await repo.create_task(text="上门看看", requester_id=wang.person_id, at=START)
    assert await repo.close_checkin(checkin_id, outcome=Outcome.SAFE, by=li.id, at=step_at, task_id=task.id)
    assert not await repo.close_checkin(checkin_id, outcome=Outcome.HOSPITAL, by=zhao.id, at=step_at)
    closed = await repo.get_checkin(checkin_id)
    assert closed is not None
    assert (closed.state, closed.outcome, closed.closed_by, closed.task_id) == (
        CheckinState.CLOSED,
        Outcome.SAFE,
        li.id,
        task.id,
    )
    assert await repo.open_ladders_of(li.id) == [] and await repo.escalating_checkins() == []
    assert not await repo.hurry_checkin(checkin_id, step_at)


async def test_days_are_read_and_counted_per_building(repo: Repository) -> None:
    wang = await elder_named(repo, "王奶奶")
    li = await elder_named(repo, "李大爷", building="5号楼")
    yesterday = DAY - timedelta(days=1)
    for elder in (wang, li):
        await greet(repo, elder, yesterday)
    answered = await greet(repo, wang)
    missed = await greet(repo, li)
    await repo.answer_checkin(
        answered,
        at=START,
        in_window=True,
        outcome=Outcome.ANSWERED,
        wellbeing=None,
        text=None,
        chat=None,
        message_id=None,
        by=None,
    )
    assert [(c.day, c.elder_id) for c in await repo.checkins_between(DAY, DAY)] == [
        (DAY, wang.id),
        (DAY, li.id),
    ]
    assert len(await repo.checkins_between(yesterday, DAY)) == 4
    assert set(await repo.count_checkins(DAY, DAY)) == {
        CheckinCount(DAY, "3号楼", "answered", 1),
        CheckinCount(DAY, "5号楼", "missed:open", 1),
    }
    assert [c.id for c in await repo.missed_checkins(DAY, 10)] == [missed]
    concern = await repo.checkins_of_concern(yesterday, DAY, missed=2)
    assert [(c.elder_id, c.day) for c in concern] == [(li.id, yesterday), (li.id, DAY)]
    task = await repo.create_task(text="不舒服", requester_id=wang.person_id, at=START)
    await repo.set_checkin_task(answered, task.id)
    linked = await repo.get_checkin(answered)
    assert linked is not None and linked.task_id == task.id
