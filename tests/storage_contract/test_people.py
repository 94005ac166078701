"""People and their accounts: identities, proofs, link codes and the record of what happened."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.base import Repository
from storage.models import PersonUpdate, Role
from tests.storage_contract.conftest import START


async def test_an_account_makes_one_person_and_keeps_the_latest_display_name(repo: Repository) -> None:
    first = await repo.resolve_identity("telegram", "7", "Li")
    again = await repo.resolve_identity("telegram", "7", "小李")
    assert first.id == again.id and first.role is Role.RESIDENT
    assert [(i.platform, i.user_id, i.display_name) for i in await repo.identities_of(first.id)] == [
        ("telegram", "7", "小李")
    ]
    assert await repo.person_by_identity("telegram", "7") == again
    assert await repo.person_by_identity("telegram", "8") is None  # looking never creates


async def test_staff_accounts_are_joined_proven_and_reachability_changes_once(repo: Repository) -> None:
    staff = await repo.upsert_person("张书记", Role.STAFF, [("console", "zs"), ("telegram", "1001")])
    again = await repo.upsert_person("张书记", Role.STAFF, [("telegram", "1001")])
    assert staff.id == again.id
    assert (await repo.resolve_identity("telegram", "1001", "Zhang")).role is Role.STAFF
    identities = await repo.identities_of(staff.id)
    assert {i.platform for i in identities} == {"console", "telegram"}
    assert all(i.verified for i in identities)
    assert await repo.set_identity_reachable("telegram", "1001", False)
    assert not await repo.set_identity_reachable("telegram", "1001", False)
    assert [i.platform for i in await repo.identities_of(staff.id)] == ["console", "telegram"]
    assert [p.id for p in await repo.persons_with_role(Role.STAFF, Role.ADMIN)] == [staff.id]


async def test_a_name_alone_joins_a_pending_record_never_an_account_holder(repo: Repository) -> None:
    holder = await repo.resolve_identity("console", "li", "小李")
    pending = await repo.add_person("王奶奶", Role.ELDER, START)
    assert (await repo.upsert_person("王奶奶", Role.ELDER)).id == pending.id
    assert (await repo.upsert_person("小李", Role.VOLUNTEER)).id != holder.id


async def test_an_update_writes_only_the_fields_it_sets(repo: Repository) -> None:
    person = await repo.resolve_identity("console", "u1", "王奶奶")
    moved = await repo.update_person(
        person.id, PersonUpdate(building="3号楼", room="502", phone="13800000000")
    )
    assert (moved.building, moved.room, moved.phone, moved.role) == (
        "3号楼",
        "502",
        "13800000000",
        Role.RESIDENT,
    )
    changed = await repo.update_person(person.id, PersonUpdate(role=Role.ELDER, language="zh-Hant"))
    assert (changed.building, changed.role, changed.language) == ("3号楼", Role.ELDER, "zh-Hant")
    assert await repo.update_person(person.id, PersonUpdate()) == changed
    stopped = await repo.update_person(person.id, PersonUpdate(active=False))
    assert not stopped.active and await repo.get_person(person.id) == stopped
    assert await repo.find_person_by_name("王奶奶") is None  # only active people are found by name
    assert [p.id for p in await repo.people_named("王奶奶")] == [person.id]
    with pytest.raises(KeyError):
        await repo.update_person(person.id + 1000, PersonUpdate(name="nobody"))


async def test_two_people_may_share_a_name(repo: Repository) -> None:
    first = await repo.add_person("王奶奶", Role.ELDER, START)
    second = await repo.add_person("王奶奶", Role.ELDER, START)
    assert first.id != second.id
    assert [p.id for p in await repo.people_named("王奶奶")] == [first.id, second.id]
    assert (await repo.find_person_by_name("王奶奶")) == first


async def test_accounts_move_between_people_and_are_proven(repo: Repository) -> None:
    wang = await repo.add_person("王奶奶", Role.ELDER, START)
    li = await repo.resolve_identity("console", "li", "小李")
    await repo.attach_identity(wang.id, "wechat", "wx-wang", "王奶奶")
    assert await repo.person_by_identity("wechat", "wx-wang") == wang
    assert not (await repo.identities_of(wang.id))[0].verified
    await repo.verify_identity("wechat", "wx-wang")
    await repo.verify_identity("wechat", "nobody")  # unknown: nothing happens
    assert (await repo.identities_of(wang.id))[0].verified
    await repo.attach_identity(li.id, "wechat", "wx-wang", "王奶奶")  # taken from whoever had it
    assert await repo.identities_of(wang.id) == []
    await repo.link_identity("wechat", "wx-wang", wang.id)
    assert (await repo.person_by_identity("wechat", "wx-wang")) == wang
    named = await repo.identities_named("小李")
    assert [(i.platform, i.user_id) for i in named] == [("console", "li")]


async def test_a_link_code_works_once_before_it_expires_and_only_on_another_platform(
    repo: Repository,
) -> None:
    person = await repo.resolve_identity("console", "zs", "张书记")
    expires = START + timedelta(minutes=10)
    await repo.create_link_code(person.id, "OLD12345", expires, "console")
    await repo.create_link_code(person.id, "ABCD2345", expires, "console")  # replaces the older one
    assert await repo.take_link_code("OLD12345", START) is None
    assert await repo.take_link_code("ABCD2345", START, "console") is None  # said where it was given
    assert await repo.take_link_code("ABCD2345", START, "telegram") == person.id
    assert await repo.take_link_code("ABCD2345", START, "telegram") is None  # used
    await repo.create_link_code(person.id, "LATE2345", expires, "console")
    assert await repo.take_link_code("LATE2345", expires + timedelta(seconds=1), "telegram") is None


async def test_a_persons_events_are_kept_in_order_and_counted(repo: Repository) -> None:
    person = await repo.resolve_identity("console", "u1", "王奶奶")
    staff = await repo.resolve_identity("console", "zs", "张书记")
    await repo.record_person_event(person.id, "bad_code", None, "XXXX", START)
    await repo.record_person_event(person.id, "linked", staff.id, "telegram:7", START + timedelta(minutes=1))
    await repo.record_person_event(person.id, "bad_code", None, "YYYY", START + timedelta(minutes=2))
    events = await repo.person_events(person.id)
    assert [(e.kind, e.actor_id, e.detail) for e in events] == [
        ("bad_code", None, "XXXX"),
        ("linked", staff.id, "telegram:7"),
        ("bad_code", None, "YYYY"),
    ]
    assert events[1].at == START + timedelta(minutes=1)
    assert await repo.count_person_events(person.id, "bad_code", START - timedelta(seconds=1)) == 2
    assert await repo.count_person_events(person.id, "bad_code", START) == 1  # strictly after
    assert await repo.person_events(staff.id) == []
