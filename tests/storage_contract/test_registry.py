"""The volunteer registry, the registration conversation in progress, and care notes."""

from __future__ import annotations

from datetime import timedelta

from storage.base import Repository
from tests.storage_contract.conftest import START


async def test_a_volunteer_registers_once_and_is_switched_off_and_on(repo: Repository) -> None:
    li = await repo.resolve_identity("console", "li", "小李")
    zhao = await repo.resolve_identity("console", "zhao", "小赵")
    profile, fresh = await repo.upsert_volunteer(
        li.id, skills=["shopping", "repair"], availability="周末", source="chat", at=START
    )
    assert fresh and (profile.skills, profile.availability, profile.active) == (
        ("shopping", "repair"),
        "周末",
        True,
    )
    later = START + timedelta(days=1)
    updated, fresh = await repo.upsert_volunteer(
        li.id, skills=["meals"], availability=None, source="staff", at=later
    )
    assert not fresh and (updated.skills, updated.availability, updated.registered_at) == (
        ("meals",),
        None,
        START,
    )
    await repo.upsert_volunteer(zhao.id, skills=[], availability=None, source="import", at=later)
    assert await repo.set_volunteer_active(li.id, False, later)
    assert not await repo.set_volunteer_active(li.id + 1000, False, later)  # never registered
    assert [p.person_id for p in await repo.list_volunteers()] == [zhao.id]
    assert [p.person_id for p in await repo.list_volunteers(active=None)] == [li.id, zhao.id]
    assert [p.person_id for p in await repo.list_volunteers(active=False)] == [li.id]
    assert await repo.get_volunteer(li.id + 1000) is None


async def test_a_registration_conversation_is_kept_until_dropped(repo: Repository) -> None:
    li = await repo.resolve_identity("console", "li", "小李")
    assert await repo.get_draft(li.id) is None
    await repo.save_draft(li.id, "building", {"name": "小李"}, START)
    await repo.save_draft(
        li.id, "skills", {"name": "小李", "building": "3号楼"}, START + timedelta(minutes=1)
    )
    draft = await repo.get_draft(li.id)
    assert draft is not None
    assert (draft.step, draft.data, draft.updated_at) == (
        "skills",
        {"name": "小李", "building": "3号楼"},
        START + timedelta(minutes=1),
    )
    await repo.drop_draft(li.id)
    await repo.drop_draft(li.id)  # none left: a no-op
    assert await repo.get_draft(li.id) is None


async def test_care_notes_are_read_newest_first_and_hidden_not_lost(repo: Repository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    staff = await repo.resolve_identity("console", "zs", "张书记")
    first = await repo.add_care_note(wang.id, "耳背,敲门要用力", staff.id, START)
    second = await repo.add_care_note(wang.id, "对花生过敏", None, START + timedelta(minutes=1))
    assert await repo.care_notes_of(wang.id) == [second, first]
    assert await repo.care_notes_of(wang.id, limit=1) == [second]
    assert await repo.remove_care_note(first.id) == first
    assert await repo.remove_care_note(first.id + 1000) is None
    assert await repo.care_notes_of(wang.id) == [second]
