"""A person's data on request (PIPL): `linli person export` and `linli person forget`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.cli import main
from tests.conftest import STAFF, BotHarness

SECRETS = ("13912345678", "糖尿病", "腿脚不便")


async def history(bot: BotHarness) -> None:
    """赵姐 asks privately with her room, illness and phone; 小李 helps; staff keep a note."""
    await bot.say("赵姐", "我住3号楼1201,我有糖尿病腿脚不便,谁能明天帮我取药?电话13912345678", private=True)
    await bot.say("赵姐", "你好", private=True)
    await bot.say("小李", "你好", private=True)
    await bot.reply("小李", 1, "我来")
    await bot.reply("小李", 1, "完成 用了两个小时")
    await bot.say("赵姐", "确认 #1", private=True)
    await bot.prove("赵姐")
    await bot.say(STAFF, "/note 赵姐 糖尿病,腿脚不便", private=True)
    bot.console.pop()


def dump(bot: BotHarness) -> str:
    return "\n".join(bot.repo.raw.iterdump())


async def linli(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


async def test_export_has_everything_stored_about_the_person(bot: BotHarness, tmp_path: Path) -> None:
    await history(bot)
    out = tmp_path / "zhao.json"
    db = str(tmp_path / "linli.db")
    assert await linli("person", "export", "赵姐", "--db", db, "-o", str(out)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["person"][0]["name"] == "赵姐"
    assert any("13912345678" in m["text"] for m in data["messages_from"])
    assert data["tasks_requested"][0]["id"] == 1 and data["care_notes"][0]["text"].startswith("糖尿病")
    assert [r["hours"] for r in data["service_records"] if r["kind"] == "service"] == [2.0]
    assert out.stat().st_mode & 0o077 == 0
    zhao = await bot.repo.person_by_identity("console", "赵姐")
    assert zhao is not None
    assert [event.kind for event in await bot.repo.person_events(zhao.id)][-1] == "exported"


async def test_forget_erases_texts_phones_and_notes_and_keeps_the_hours(
    bot: BotHarness, tmp_path: Path
) -> None:
    await history(bot)
    zhao = await bot.repo.person_by_identity("console", "赵姐")
    volunteer = await bot.repo.person_by_identity("console", "小李")
    assert zhao is not None and volunteer is not None
    assert any(secret in dump(bot) for secret in SECRETS)
    db = str(tmp_path / "linli.db")
    assert await linli("person", "forget", "赵姐", "--db", db) == 2  # refused without --yes
    assert await linli("person", "forget", "赵姐", "--db", db, "--yes") == 0
    text = dump(bot)
    assert not [line for line in text.splitlines() if any(secret in line for secret in SECRETS)]
    forgotten = await bot.repo.get_person(zhao.id)
    assert forgotten is not None and forgotten.name == f"已删除的居民 #{zhao.id}" and forgotten.phone is None
    assert await bot.repo.identities_of(zhao.id) == []
    [record] = await bot.repo.records_of(volunteer.id)
    assert record.hours == 2 and record.counterpart_id == zhao.id
    assert [event.kind for event in await bot.repo.person_events(zhao.id)][-1] == "forgotten"
