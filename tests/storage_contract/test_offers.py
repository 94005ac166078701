"""Offers of time and skills: which are live, who fits a request, which request an offer fits."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.base import Repository
from storage.models import Candidate
from tests.storage_contract.conftest import START


async def test_offers_are_found_by_skill_or_general_time(repo: Repository) -> None:
    person = await repo.resolve_identity("console", "v", "小李")
    nurse = await repo.create_offer(person_id=person.id, text="量血压", skills=["health"], at=START)
    anyone = await repo.create_offer(person_id=person.id, text="有空", skills=[], at=START)
    fixer = await repo.create_offer(
        person_id=person.id, text="修电器", skills=["repair", "tech_help"], at=START
    )
    assert [o.id for o in await repo.active_offers(START, "health")] == [anyone.id, nurse.id]
    assert [o.id for o in await repo.active_offers(START, "tech_help")] == [fixer.id, anyone.id]
    assert [o.id for o in await repo.active_offers(START)] == [fixer.id, anyone.id, nurse.id]
    assert (await repo.active_offers(START, "repair"))[0].skills == ("repair", "tech_help")


async def test_fitting_volunteers_name_each_person_once_with_their_newest_fitting_offer(
    repo: Repository,
) -> None:
    li = await repo.resolve_identity("console", "li", "小李")
    zhao = await repo.resolve_identity("console", "zhao", "小赵")
    chen = await repo.resolve_identity("console", "chen", "老陈")
    hour = timedelta(hours=1)
    morning = await repo.create_offer(
        person_id=li.id, text="上午", skills=["shopping"], at=START, window=(START, START + 3 * hour)
    )
    evening = await repo.create_offer(
        person_id=zhao.id, text="晚上", skills=[], at=START, window=(START + 9 * hour, START + 11 * hour)
    )
    anytime = await repo.create_offer(person_id=chen.id, text="随时", skills=[], at=START)
    again = await repo.create_offer(person_id=chen.id, text="还有空", skills=["shopping"], at=START)
    await repo.upsert_volunteer(li.id, skills=("shopping",), availability="", source="test", at=START)

    async def found(window: tuple[datetime, datetime] | None) -> dict[int, tuple[str, int | None]]:
        candidates = await repo.fitting_volunteers("shopping", window, START, offers_read=10, registered=True)
        return {c.person_id: (c.name, c.offer_id) for c in candidates}

    assert await found(None) == {
        li.id: ("小李", morning.id),
        zhao.id: ("小赵", evening.id),
        chen.id: ("老陈", again.id),
    }
    assert await found((START + 2 * hour, START + 4 * hour)) == {
        li.id: ("小李", morning.id),
        chen.id: ("老陈", again.id),
    }
    # Li's morning offer does not meet the evening: Li fits by the registered skill alone.
    assert await found((START + 9 * hour, START + 10 * hour)) == {
        li.id: ("小李", None),
        zhao.id: ("小赵", evening.id),
        chen.id: ("老陈", again.id),
    }
    assert anytime.id < again.id


async def test_an_offer_finds_the_most_pressing_request_it_fits(repo: Repository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    li = await repo.resolve_identity("console", "li", "小李")
    hour = timedelta(hours=1)
    morning = (START, START + 3 * hour)

    async def request(category: str, building: str | None, **fields: object) -> int:
        task = await repo.create_task(
            text=category,
            requester_id=wang.id,
            at=START,
            category=category,
            building=building,
            **fields,  # type: ignore[arg-type]
        )
        return task.id

    for _ in range(12):  # more misfits than the old first-ten scan looked at
        await request("shopping", "9号楼", priority=1)
    evening = await request("shopping", "3号楼", window=(START + 9 * hour, START + 11 * hour))
    fits = await request("shopping", "3号楼", window=(START + hour, START + 2 * hour))
    anywhere = await request("shopping", None)
    repair = await request("repair", "3号楼")
    pressing_repair = await request("repair", "3号楼", priority=1, window=morning)

    async def best(**overrides: object) -> int | None:
        arguments: dict[str, object] = {
            "categories": ["shopping"],
            "window": morning,
            "building": "3号楼",
            "excluding_requester": li.id,
        }
        found = await repo.open_task_for_offer(**{**arguments, **overrides})  # type: ignore[arg-type]
        return None if found is None else found.id

    assert await best() == fits
    assert await best(window=None) == evening
    assert await best(excluding_requester=wang.id) is None
    assert await best(categories=["meals"]) is None
    assert await best(building="5号楼", window=None) == anywhere
    assert evening < fits < anywhere < repair < pressing_repair
    # Across categories: priority first, then the oldest.
    assert await best(categories=["meals", "shopping", "repair"]) == pressing_repair
    assert (
        await best(categories=["repair", "shopping"], window=(START + 12 * hour, START + 13 * hour))
        == anywhere
    )
    assert await best(categories=["repair", "shopping"], window=None, excluding_requester=wang.id) is None
    assert await best(categories=[], window=None) == pressing_repair


async def test_fitting_volunteers_by_offer_window_registration_and_last_ask(repo: Repository) -> None:
    li = await repo.resolve_identity("console", "li", "小李")
    zhao = await repo.resolve_identity("console", "zhao", "小赵")
    chen = await repo.resolve_identity("console", "chen", "老陈")
    sun = await repo.resolve_identity("console", "sun", "小孙")
    hour = timedelta(hours=1)
    evening = (START + 9 * hour, START + 11 * hour)
    await repo.create_offer(person_id=li.id, text="有空", skills=[], at=START)  # general time
    await repo.create_offer(person_id=zhao.id, text="买菜", skills=["shopping"], at=START, window=evening)
    await repo.create_offer(person_id=chen.id, text="修", skills=["repair"], at=START)  # another skill
    await repo.create_offer(
        person_id=sun.id, text="昨天", skills=["shopping"], at=START, window=(START - 3 * hour, START - hour)
    )
    await repo.upsert_volunteer(chen.id, skills=("shopping",), availability="", source="test", at=START)

    def fits(candidates: list[Candidate]) -> dict[int, tuple[bool, datetime | None]]:
        return {c.person_id: (c.by_skill, c.asked_at) for c in candidates}

    found = await repo.fitting_volunteers("shopping", None, START, offers_read=10, registered=True)
    assert fits(found) == {li.id: (False, None), zhao.id: (True, None), chen.id: (True, None)}
    morning = (START, START + 2 * hour)  # zhao's evening offer does not meet it
    found = await repo.fitting_volunteers("shopping", morning, START, offers_read=10, registered=True)
    assert fits(found) == {li.id: (False, None), chen.id: (True, None)}
    found = await repo.fitting_volunteers("shopping", morning, START, offers_read=10, registered=False)
    assert fits(found) == {li.id: (False, None)}
    found = await repo.fitting_volunteers("shopping", None, START, offers_read=1, registered=False)
    assert fits(found) == {zhao.id: (True, None)}  # only the newest live offer is read

    await repo.mark_asked([li.id, zhao.id], START)
    await repo.mark_asked([li.id], START + hour)
    found = await repo.fitting_volunteers("shopping", None, START, offers_read=10, registered=False)
    assert fits(found) == {li.id: (False, START + hour), zhao.id: (True, START)}
