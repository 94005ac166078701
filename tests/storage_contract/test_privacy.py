"""A person's data on request: everything about them exported, or their details forgotten."""

from __future__ import annotations

from storage.base import Repository
from storage.lovebank_models import RecordKind
from storage.models import ChatRef, Incoming, PersonUpdate
from tests.storage_contract.conftest import START


async def test_an_export_has_every_section_and_an_unknown_person_has_empty_ones(repo: Repository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    await repo.store_incoming(
        Incoming("console", ChatRef("console", "g1"), "wang", "王奶奶", "帮忙买菜", "m1", START)
    )
    await repo.create_task(text="帮忙买菜", requester_id=wang.id, at=START)
    data = await repo.person_data(wang.id)
    nobody = await repo.person_data(wang.id + 1000)
    assert (
        set(data) == set(nobody) >= {"person", "identities", "messages_from", "tasks_requested", "care_notes"}
    )
    assert all(rows == [] for rows in nobody.values())
    assert [
        len(data[section]) for section in ("person", "identities", "messages_from", "tasks_requested")
    ] == [1, 1, 1, 1]


async def test_forgetting_erases_details_and_accounts_but_keeps_the_hours(repo: Repository) -> None:
    li = await repo.resolve_identity("console", "li", "小李")
    await repo.update_person(li.id, PersonUpdate(phone="13800000000", room="502", building="3号楼"))
    await repo.add_record(kind=RecordKind.SERVICE, person_id=li.id, hours=2.0, served_at=START, at=START)
    await repo.add_care_note(li.id, "腿脚不便", None, START)
    assert await repo.forget_person(li.id, "已删除的用户", "张书记", START) > 0
    forgotten = await repo.get_person(li.id)
    assert forgotten is not None
    assert (forgotten.name, forgotten.phone, forgotten.room, forgotten.active) == (
        "已删除的用户",
        None,
        None,
        False,
    )
    assert await repo.person_by_identity("console", "li") is None
    assert await repo.care_notes_of(li.id) == []
    assert await repo.balance(li.id) == 2.0
    assert [(e.kind, e.detail) for e in await repo.person_events(li.id)][-1] == ("forgotten", "张书记")
