"""Group chats: titles, languages, reachability, buildings, and a group that changed its id."""

from __future__ import annotations

from storage.base import Repository
from storage.models import ChatRef, ChatUpdate
from tests.storage_contract.conftest import START


async def test_a_chat_is_recorded_once_and_keeps_its_binding(repo: Repository) -> None:
    assert await repo.get_chat("telegram", "-1") is None
    first = await repo.upsert_chat("telegram", "-1", "3号楼互助群")
    bound = await repo.bind_chat("telegram", "-1", "3号楼")
    renamed = await repo.upsert_chat("telegram", "-1", "3号楼邻里")
    assert (first.title, first.building) == ("3号楼互助群", None)
    assert (bound.title, bound.building) == ("3号楼互助群", "3号楼")
    assert (renamed.title, renamed.building) == ("3号楼邻里", "3号楼")
    assert (await repo.upsert_chat("telegram", "-1", None)).title == "3号楼邻里"
    assert (await repo.bind_chat("telegram", "-1", None)).building is None
    fresh = await repo.bind_chat("wechat", "room@chatroom", "5号楼")  # bound before it spoke
    assert await repo.get_chat("wechat", "room@chatroom") == fresh


async def test_an_update_writes_only_the_fields_it_sets(repo: Repository) -> None:
    await repo.bind_chat("telegram", "-1", "3号楼")
    await repo.update_chat("telegram", "-1", ChatUpdate(language="zh-Hant"))
    await repo.update_chat("telegram", "-1", ChatUpdate(title="新名字"))
    await repo.update_chat("telegram", "-404", ChatUpdate(title="nobody"))  # unknown: ignored
    chat = await repo.get_chat("telegram", "-1")
    assert chat is not None
    assert (chat.title, chat.language, chat.building, chat.reachable) == ("新名字", "zh-Hant", "3号楼", True)
    assert await repo.get_chat("telegram", "-404") is None


async def test_only_reachable_chats_serve_a_building_on_every_platform(repo: Repository) -> None:
    await repo.bind_chat("telegram", "-1", "3号楼")
    await repo.bind_chat("wechat", "w1", "3号楼")
    await repo.bind_chat("console", "c1", "3号楼")
    await repo.bind_chat("console", "c5", "5号楼")
    await repo.update_chat("console", "c1", ChatUpdate(reachable=False))
    chats = await repo.chats_for_building("3号楼")
    assert sorted((c.platform, c.chat_id) for c in chats) == [("telegram", "-1"), ("wechat", "w1")]


async def test_a_group_that_became_a_supergroup_takes_its_tasks_and_cards_along(repo: Repository) -> None:
    await repo.upsert_chat("telegram", "-1", "3号楼")
    await repo.bind_chat("telegram", "-1", "3号楼")
    person = await repo.resolve_identity("telegram", "7", "Li")
    task = await repo.create_task(
        text="x",
        requester_id=person.id,
        at=START,
        building="3号楼",
        origin=ChatRef("telegram", "-1"),
        origin_message_id="5",
    )
    await repo.record_card(task.id, ChatRef("telegram", "-1"), "6")
    await repo.move_chat("telegram", "-1", "-1009")
    await repo.move_chat("telegram", "-404", "-405")  # unknown: nothing happens
    assert [c.chat_id for c in await repo.chats_for_building("3号楼")] == ["-1009"]
    assert (await repo.task_for_message(ChatRef("telegram", "-1009"), "6")) == await repo.get_task(task.id)
    moved = await repo.get_task(task.id)
    assert moved is not None and moved.origin == ChatRef("telegram", "-1009")
    assert await repo.get_chat("telegram", "-405") is None
