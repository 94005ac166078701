"""Minimum necessary in groups (PIPL 最小必要): cards carry category, time and building, nothing else."""

from __future__ import annotations

from datetime import timedelta

from handlers.queue.reminders import renudge_open_tasks
from tests.conftest import GROUP, BotHarness

SECRETS = ("1201", "糖尿病", "腿脚", "13912345678", "139****5678", "5678", "二甲双胍")


def in_groups(sent: list) -> list[str]:
    return [s.text for s in sent if not s.chat.private]


async def test_a_private_request_reaches_the_group_only_as_a_card(bot: BotHarness) -> None:
    sent = await bot.say(
        "赵姐", "我住3号楼1201,我有糖尿病腿脚不便,谁能明天帮我取药?电话13912345678", private=True
    )
    first = sent[0]
    assert first.chat.private and first.chat.chat_id == "赵姐" and "#1" in first.text  # told first
    groups = in_groups(sent)
    assert groups and all("#1" in text for text in groups)
    assert not [text for text in groups if any(secret in text for secret in SECRETS)]
    sent = await bot.reply("小李", 1, "我来")
    assert not [text for text in in_groups(sent) if any(secret in text for secret in SECRETS)]
    details = [s.text for s in sent if s.chat.private and s.chat.chat_id == "小李"]
    assert details and "1201" in details[0] and "13912345678" in details[0] and "糖尿病" in details[0]


async def test_a_group_request_card_names_neither_illness_nor_room(bot: BotHarness) -> None:
    sent = await bot.say("王奶奶", "3号楼1201王奶奶有糖尿病,明天上午谁能帮忙取药 二甲双胍")
    card = bot.console.last_card(1, GROUP)
    assert card is not None and "#1" in card.text
    assert not [text for text in in_groups(sent) if any(secret in text for secret in SECRETS)]


async def test_reminders_and_state_changes_repost_no_details(bot: BotHarness) -> None:
    await bot.say("王奶奶", "3号楼1201王奶奶有糖尿病,明天上午谁能帮忙取药 电话13912345678")
    sent: list = []
    for hours in (2, 6, 24):
        bot.clock.advance(timedelta(hours=hours))
        replies = await renudge_open_tasks(bot.app.ctx)
        sent += [r for r in replies if not r.chat.private]
    texts = [r.text for r in sent]
    assert texts  # the card was posted again
    assert not [text for text in texts if any(secret in text for secret in SECRETS)]
    sent2 = await bot.reply("小李", 1, "我来")
    sent2 += await bot.reply("小李", 1, "完成")
    assert not [text for text in in_groups(sent2) if any(secret in text for secret in SECRETS)]
