"""Love bank integrity: claimed hours are read in full, checked, shown to the confirmer, witnessed."""

from __future__ import annotations

import pytest

from handlers.common.hours import chinese_number, claimed_hours
from storage.models import PersonUpdate, Role, TaskState
from tests.conftest import GROUP, STAFF, BotHarness

NEED = "3号楼502王奶奶想请人明天上午帮忙买点菜"


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("完成 #1 用了150小时", 150),
        ("完成 用了-5小时", -5),
        ("完成 用了一百六十小时", 160),
        ("完成,用了两个小时", 2),
        ("完成 一个半小时", 1.5),
        ("完成 90分钟", 1.5),
        ("完成 用了十二小时", 12),
        ("done, took 2 hours", 2),
        ("完成 #3", None),
    ],
)
def test_claimed_hours_are_read_in_full(text: str, hours: float | None) -> None:
    assert claimed_hours(text) == hours


def test_chinese_numerals() -> None:
    assert [chinese_number(n) for n in ("十", "十二", "二十一", "一百六十", "两千零五", "一万二千")] == [
        10, 12, 21, 160, 2005, 12000,
    ]  # fmt: skip


async def claimed(bot: BotHarness) -> int:
    sent = await bot.say("王奶奶", NEED)
    task_id = next(s.card_of for s in sent if s.card_of)
    await bot.reply("小李", task_id, "我来")
    return task_id


@pytest.mark.parametrize("done", ["完成 #1 用了150小时", "完成 #1 用了一百六十小时", "完成 #1 用了-5小时"])
async def test_impossible_hours_are_refused_and_nothing_is_credited(bot: BotHarness, done: str) -> None:
    await claimed(bot)
    sent = await bot.say("小李", done)
    assert [s.text for s in sent if s.chat.chat_id == GROUP][0].startswith("#1 的时长没有记上")
    task = await bot.repo.get_task(1)
    assert task is not None and task.state is TaskState.CLAIMED and task.duration_hours is None
    assert await bot.repo.records_of((await bot.repo.person_by_identity("console", "小李")).id) == []  # type: ignore[union-attr]


async def test_the_confirmer_sees_the_hours_claimed(bot: BotHarness) -> None:
    await claimed(bot)
    await bot.say("王奶奶", "你好", private=True)
    bot.console.pop()
    sent = await bot.say("小李", "完成 #1 用了三个小时")
    asked = [s.text for s in sent if s.chat.private and s.chat.chat_id == "王奶奶"]
    assert asked and "填报 3 小时" in asked[0]
    card = bot.console.last_card(1, GROUP)
    assert card is not None and "填报 3 小时" in card.text
    sent = await bot.reply("王奶奶", 1, "确认")
    volunteer = await bot.repo.person_by_identity("console", "小李")
    assert volunteer is not None
    [record] = await bot.repo.records_of(volunteer.id)
    assert record.hours == 3 and record.witness_id is not None and record.created_at is not None


async def test_staff_cannot_witness_their_own_service(bot: BotHarness) -> None:
    sent = await bot.say(STAFF, NEED)
    await bot.reply(STAFF, 1, "我来")
    await bot.reply(STAFF, 1, "完成")
    sent = await bot.reply(STAFF, 1, "确认")
    assert any("另一位工作人员" in s.text for s in sent)
    task = await bot.repo.get_task(1)
    assert task is not None and task.state is TaskState.DONE
    staff = await bot.repo.person_by_identity("console", STAFF)
    assert staff is not None and await bot.repo.records_of(staff.id) == []
    await bot.say("二号", "你好", private=True)  # a second staff member witnesses
    second = await bot.repo.person_by_identity("console", "二号")
    assert second is not None
    await bot.repo.update_person(second.id, PersonUpdate(role=Role.STAFF))
    bot.console.pop()
    await bot.reply("二号", 1, "确认")
    [record] = await bot.repo.records_of(staff.id)
    assert record.witness_id == second.id


async def test_staff_cannot_record_their_own_hours(bot: BotHarness) -> None:
    sent = await bot.say(STAFF, f"/record console:{STAFF} 3 社区义诊", private=True)
    assert any("另一位工作人员" in s.text for s in sent)
    staff = await bot.repo.person_by_identity("console", STAFF)
    assert staff is not None and await bot.repo.records_of(staff.id) == []


async def test_above_the_cap_staff_approve_and_it_is_recorded(bot: BotHarness) -> None:
    await claimed(bot)
    sent = await bot.say("小李", "/hours #1 15", private=True)
    assert "最多记 12 小时" in sent[0].text
    sent = await bot.say(STAFF, "/hours #1 15", private=True)
    task = await bot.repo.get_task(1)
    assert task is not None and task.duration_hours == 15
    volunteer = await bot.repo.person_by_identity("console", "小李")
    staff = await bot.repo.person_by_identity("console", STAFF)
    assert volunteer is not None and staff is not None
    events = await bot.repo.person_events(volunteer.id)
    assert [(e.kind, e.actor_id, e.detail) for e in events] == [("hours_approved", staff.id, "#1 15h")]
