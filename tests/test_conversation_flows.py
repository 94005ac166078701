"""Never silent when addressed: action words by context, answers in private, staff commands that answer."""

from __future__ import annotations

from storage.models import TaskState
from tests.conftest import GROUP, STAFF, BotHarness

NEED = "3号楼502王奶奶想请人明天上午帮忙买点菜"
OTHER = "谁能帮我明天下午修一下水龙头"


def in_chat(sent: list, chat: str, private: bool = False) -> list:
    return [s for s in sent if s.chat.chat_id == chat and s.chat.private == private]


async def state(bot: BotHarness, task_id: int) -> TaskState:
    task = await bot.repo.get_task(task_id)
    assert task is not None
    return task.state


async def test_bare_claim_right_after_a_card_takes_that_card(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    sent = await bot.say("小李", "我来")
    assert await state(bot, 1) is TaskState.CLAIMED
    assert in_chat(sent, "小李", private=True)  # the details went privately


async def test_then_i_will_with_number_and_without(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    sent = await bot.say("小李", "那我来吧 #1")
    assert await state(bot, 1) is TaskState.CLAIMED
    assert in_chat(sent, "小李", private=True)
    await bot.say("陳伯伯", "有沒有鄰居明天下午能幫我修一下水龍頭?")
    bot.console.pop()
    await bot.say("小王", "那我來吧")
    bot.console.pop()
    assert await state(bot, 2) is TaskState.CLAIMED


async def test_only_volunteer_holding_a_task_releases_it_in_a_long_sentence(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    await bot.reply("小李", 1, "我来")
    sent = await bot.say("小李", "不好意思 明天临时要加班 去不了了 放弃")
    assert await state(bot, 1) is TaskState.OPEN
    group = in_chat(sent, GROUP)
    assert any("#1" in s.text for s in group)


async def test_release_in_traditional_and_english(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    await bot.reply("小李", 1, "我来")
    await bot.say("小李", "我去不了了 放棄")
    assert await state(bot, 1) is TaskState.OPEN
    await bot.reply("Tom", 1, "I'll help")
    await bot.say("Tom", "Sorry, something came up, I can't make it")
    assert await state(bot, 1) is TaskState.OPEN


async def test_release_words_from_someone_holding_nothing_stay_quiet(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    bot.console.pop()
    assert await bot.say("小赵", "今晚聚会我去不了了 哈哈") == []
    assert await state(bot, 1) is TaskState.OPEN


async def test_requester_with_one_open_task_cancels_by_saying_no_need(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    sent = await bot.say("王奶奶", "不用了 我儿子下班帮我拿了")
    assert await state(bot, 1) is TaskState.CANCELLED
    group = in_chat(sent, GROUP)
    assert any("已取消" in s.text for s in group)
    assert any(s.reply_to and "#1" in s.text for s in group)  # a short confirmation to the message


async def test_no_need_in_traditional_and_english(bot: BotHarness) -> None:
    await bot.say("陳伯伯", "有沒有鄰居明天下午能幫我修一下水龍頭?")
    await bot.say("陳伯伯", "不用了 我兒子下班幫我修好了")
    assert await state(bot, 1) is TaskState.CANCELLED
    await bot.say("Anna", "Could someone help my grandma set up video calls on her phone tomorrow?")
    bot.console.pop()
    await bot.say("Anna", "No need anymore, my brother did it")
    bot.console.pop()
    assert await state(bot, 2) is TaskState.CANCELLED


async def test_two_candidates_and_another_card_above_asks_which_one(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    await bot.say("王奶奶", OTHER)
    await bot.say("李阿姨", "有没有人周末能帮我搬个柜子")
    bot.console.pop()
    sent = await bot.say("王奶奶", "取消")
    assert len(sent) == 1 and "哪一单" in sent[0].text and "#1" in sent[0].text and "#2" in sent[0].text
    assert await state(bot, 1) is TaskState.OPEN and await state(bot, 2) is TaskState.OPEN


async def test_two_held_tasks_use_the_card_just_above(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    await bot.say("李阿姨", OTHER)
    await bot.reply("小李", 1, "我来")
    await bot.reply("小李", 2, "我来")
    bot.console.pop()
    sent = await bot.say("小李", "完成")
    assert await state(bot, 2) is TaskState.DONE and await state(bot, 1) is TaskState.CLAIMED
    assert sent


async def test_private_chat_always_answers(bot: BotHarness) -> None:
    sent = await bot.say("老周", "你好", private=True)
    assert len(sent) == 1 and "您好" in sent[0].text and "存折" in sent[0].text
    sent = await bot.say("老周", "好的 谢谢", private=True)
    assert len(sent) == 1 and "不客气" in sent[0].text
    sent = await bot.say("老周", "我的时长", private=True)
    assert len(sent) == 1 and "小时" in sent[0].text
    sent = await bot.say("老周", "嗯那个啥", private=True)
    assert len(sent) == 1 and "您现在可以" in sent[0].text
    sent = await bot.say("Tom", "hello", private=True)
    assert len(sent) == 1 and "Hello Tom" in sent[0].text


async def test_private_menu_lists_the_tasks_one_holds(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    await bot.reply("小李", 1, "我来")
    bot.console.pop()
    sent = await bot.say("小李", "嗯嗯那个", private=True)
    assert "完成 #1" in sent[0].text


async def test_requester_confirming_privately_is_acknowledged(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    await bot.reply("小李", 1, "我来")
    await bot.reply("小李", 1, "完成")
    bot.console.pop()
    sent = await bot.say("王奶奶", "确认", private=True)
    assert await state(bot, 1) is TaskState.CONFIRMED
    mine = in_chat(sent, "王奶奶", private=True)
    assert mine and "已确认 #1" in mine[0].text


async def test_staff_commands_with_wrong_arguments_answer(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    bot.console.pop()
    sent = await bot.say(STAFF, "/assign 1 小李", private=True)
    assert "没有找到叫「小李」的人" in sent[0].text
    sent = await bot.say(STAFF, "/assign", private=True)
    assert "用法" in sent[0].text
    sent = await bot.say(STAFF, "/record 小李", private=True)
    assert "用法" in sent[0].text
    sent = await bot.say(STAFF, "/digest 上上周", private=True)
    assert "用法" in sent[0].text
    sent = await bot.say(STAFF, "/digest", private=True)
    assert len(sent) == 1 and sent[0].chat.private
    sent = await bot.say("小李", "/record 小王", private=True)
    assert "只有社区工作人员" in sent[0].text
    sent = await bot.say("小李", "/digest", private=True)
    assert "只有社区工作人员" in sent[0].text
    for command in ("/role 小李", "/note", "/notes", "/delnote x", "/bind"):
        sent = await bot.say(STAFF, command, private=True)
        assert len(sent) == 1 and "用法" in sent[0].text, (command, sent[0].text)


async def test_help_by_role(bot: BotHarness) -> None:
    sent = await bot.say(STAFF, "/help", private=True)
    assert "/assign" in sent[0].text and "/digest" in sent[0].text
    sent = await bot.say("王奶奶", "/help", private=True)
    assert "/assign" not in sent[0].text


async def test_unit_and_room_reach_the_volunteer_privately(bot: BotHarness) -> None:
    await bot.say("赵阿姨", "3号楼1单元401 谁明天下午能帮我修一下水龙头")
    sent = await bot.reply("小李", 1, "我来")
    details = in_chat(sent, "小李", private=True)[0].text
    assert "3号楼1单元401" in details
