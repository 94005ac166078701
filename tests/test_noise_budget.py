"""Platforms without edits (WeChat): a state change is one short line replying to the card."""

from __future__ import annotations

import pytest

from storage.models import ChatRef
from tests.conftest import GROUP, BotHarness

NEED = "3号楼502王奶奶想请人明天上午帮忙买点菜"


def group_posts(sent: list) -> list:
    return [s for s in sent if s.chat.chat_id == GROUP and not s.chat.private]


async def test_without_edits_state_changes_are_short_lines_replying_to_the_card(bot: BotHarness) -> None:
    bot.console.can_edit = False
    bot.app.ctx.no_edits = frozenset({"console"})
    sent = await bot.say("王奶奶", NEED)
    card = group_posts(sent)[0]
    sent = await bot.reply("小李", 1, "我来")
    posts = group_posts(sent)
    claimed = [s for s in posts if "已接单" in s.text]
    assert len(claimed) == 1 and "\n" not in claimed[0].text and claimed[0].reply_to == card.message_id
    sent = await bot.say("小李", "完成 #1")
    assert not group_posts(sent)  # "please confirm" is the requester's business: it goes privately
    asked = [s for s in sent if s.chat == ChatRef("console", "王奶奶", True)]
    assert asked and "确认" in asked[0].text
    sent = await bot.say("王奶奶", "确认 #1")
    confirmed = group_posts(sent)
    assert len(confirmed) == 1 and "\n" not in confirmed[0].text and "谢谢" in confirmed[0].text
    posts = [s.text for s in group_posts(bot.console.sent)]
    assert len(posts) == 3, posts  # the card, who took it, the thanks


async def test_without_edits_done_reaches_the_group_when_the_requester_cannot_be_told_privately(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot.console.can_edit = False
    bot.app.ctx.no_edits = frozenset({"console"})
    bot.block_private(monkeypatch, "王奶奶", "not a contact of the bot")
    await bot.say("王奶奶", NEED)
    await bot.reply("小李", 1, "我来")
    sent = await bot.say("小李", "完成 #1")
    done = [s for s in group_posts(sent) if "已办好" in s.text]
    assert done and "确认 #1" in done[0].text  # a card someone must act on is posted in full


async def test_without_edits_already_taken_goes_privately(bot: BotHarness) -> None:
    bot.console.can_edit = False
    bot.app.ctx.no_edits = frozenset({"console"})
    await bot.say("王奶奶", NEED)
    await bot.reply("小李", 1, "我来")
    sent = await bot.reply("小王", 1, "我来")
    assert not group_posts(sent)
    told = [s for s in sent if s.chat.private and s.chat.chat_id == "小王"]
    assert told and "已由" in told[0].text
