"""Flows 1–7 through the full stack on the console platform: what people see in their chats."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.platforms.base import PlatformError
from handlers.common.context import Ctx
from handlers.common.notify import mask_phones
from handlers.common.turn import Turn
from storage.models import ChatRef, Incoming, TaskState
from tests.conftest import GROUP, STAFF, BotHarness
from tests.test_trust_link import on_telegram

NEED = "3号楼502王奶奶想请人明天上午帮忙买点菜"


def in_chat(sent: list, chat: str, private: bool = False) -> list:
    return [s for s in sent if s.chat.chat_id == chat and s.chat.private == private]


async def test_need_becomes_a_card_quoting_the_message(bot: BotHarness) -> None:
    sent = await bot.say("王奶奶", NEED)
    assert len(sent) == 1
    card = sent[0]
    assert card.chat.chat_id == GROUP and not card.chat.private
    assert "#1" in card.text and "买菜购物" in card.text and "明天 08:00–12:00" in card.text
    assert card.reply_to is not None  # quotes the resident's message
    assert [b.label for b in card.buttons] == ["我来", "取消"]
    task = await bot.repo.get_task(1)
    assert task is not None and task.state is TaskState.OPEN and task.building == "3号楼"


async def test_full_flow_claim_done_confirm(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    sent = await bot.reply("小李", 1, "我来")
    card = in_chat(sent, GROUP)
    assert card and "小李 已接单" in card[0].text and card[0].edit_of is not None
    details = in_chat(sent, "小李", private=True)
    assert details and NEED in details[0].text and "完成 #1" in details[0].text

    sent = await bot.reply("小李", 1, "完成,用了两个小时")
    assert "已办好" in in_chat(sent, GROUP)[0].text
    assert "确认 #1" in in_chat(sent, "王奶奶", private=True)[0].text

    sent = await bot.reply("王奶奶", 1, "确认")
    assert "已完成" in in_chat(sent, GROUP)[0].text
    thanks = in_chat(sent, "小李", private=True)[0].text
    assert "2 小时" in thanks
    task = await bot.repo.get_task(1)
    assert task is not None and task.state is TaskState.CONFIRMED and task.duration_hours == 2.0
    actions = [e.action for e in await bot.repo.task_events(1)]
    assert actions == ["create", "claim", "done", "confirm"]


async def test_concurrent_claims_exactly_one_wins_and_others_are_told(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    card = bot.console.last_card(1)
    assert card is not None
    volunteers = [f"志愿者{i}" for i in range(8)]
    await asyncio.gather(*(bot.console.say(v, "我来", GROUP, reply_to=card.message_id) for v in volunteers))
    await bot.app.wait_idle()
    sent = bot.console.pop()
    task = await bot.repo.get_task(1)
    assert task is not None and task.state is TaskState.CLAIMED
    claimer = await bot.repo.get_person(task.claimer_id or 0)
    assert claimer is not None and claimer.name in volunteers
    winner = claimer.name
    told = [s for s in sent if "已由" in s.text]
    assert len(told) == len(volunteers) - 1
    assert all(winner in s.text for s in told)
    assert len([e for e in await bot.repo.task_events(1) if e.action == "claim"]) == 1


async def test_buttons_act_with_toasts_and_refuse_the_wrong_person(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    bot.console.pop()
    assert await bot.press("小李", 1, "我来") == "好的 👍"
    bot.console.pop()
    refused = await bot.press("小王", 1, "完成")
    assert refused is not None and "只有接单人" in refused
    assert (await bot.repo.get_task(1)).state is TaskState.CLAIMED  # type: ignore[union-attr]
    assert bot.console.pop() == []  # a refusal by button is a toast only: nothing in the group
    await bot.press("小李", 1, "完成")
    bot.console.pop()
    refused = await bot.press("小王", 1, "确认")
    assert refused is not None and "只有求助人" in refused
    await bot.press("王奶奶", 1, "确认")
    bot.console.pop()
    assert (await bot.repo.get_task(1)).state is TaskState.CONFIRMED  # type: ignore[union-attr]


async def test_requester_cannot_claim_own_task_and_illegal_moves_are_explained(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    sent = await bot.reply("王奶奶", 1, "我来")
    assert "自己的求助" in sent[0].text
    sent = await bot.say("王奶奶", "确认 #1")
    assert "待接单" in sent[0].text and "不能确认" in sent[0].text
    sent = await bot.say("小李", "我来 #99")
    assert "没有找到 #99" in sent[0].text


async def test_cancel_by_requester_tells_the_claimer(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    await bot.reply("小李", 1, "我来")
    sent = await bot.reply("王奶奶", 1, "不用了,谢谢")
    assert "已取消" in in_chat(sent, GROUP)[0].text
    assert "不用再去了" in in_chat(sent, "小李", private=True)[0].text
    assert (await bot.repo.get_task(1)).state is TaskState.CANCELLED  # type: ignore[union-attr]


async def test_release_reopens_the_card_and_staff_can_reassign(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    await bot.reply("小李", 1, "我来")
    sent = await bot.say("小李", "放弃 #1")
    assert "回复「我来 #1」" in in_chat(sent, GROUP)[0].text
    assert (await bot.repo.get_task(1)).state is TaskState.OPEN  # type: ignore[union-attr]
    await bot.say("小王", "我在呢")  # makes 小王 known
    sent = await bot.say("小李", "/assign 1 小王")
    assert "只有社区工作人员" in sent[0].text
    sent = await bot.say(STAFF, "/assign 1 小王")  # seen only as a display name: staff pick the account
    assert "请指定一个:console:小王(小王)" in in_chat(sent, GROUP)[0].text
    sent = await bot.say(STAFF, "/assign 1 console:小王")
    assert "小王 已接单" in in_chat(sent, GROUP)[0].text
    assert in_chat(sent, "小王", private=True)
    task = await bot.repo.get_task(1)
    assert task is not None and (await bot.repo.get_person(task.claimer_id or 0)).name == "小王"  # type: ignore[union-attr]


async def test_chatter_notices_and_ok_make_no_card(bot: BotHarness) -> None:
    for text in ("谢谢大家!", "好的", "收到", "【通知】本周六上午停水", "今天天气真好啊", "哈哈哈", "🙏🙏"):
        assert await bot.say("邻居", text) == []
    assert await bot.repo.list_tasks() == []


async def test_traditional_and_english_requests_answer_in_their_language(bot: BotHarness) -> None:
    sent = await bot.say("陳伯伯", "有沒有鄰居明天下午能幫我修一下水龍頭?")
    assert "#1" in sent[0].text and "我來" in sent[0].text
    sent = await bot.say("Anna", "Could someone help my grandma set up video calls on her phone tomorrow?")
    assert "#2" in sent[0].text and "I'll help" in [b.label for b in sent[0].buttons]


async def test_explicit_commands_always_make_cards(bot: BotHarness) -> None:
    sent = await bot.say("王奶奶", "/need 帮忙")
    assert "#1" in sent[0].text
    sent = await bot.say("王奶奶", "#求助 随便什么")
    assert "#2" in sent[0].text


async def test_emergency_alerts_staff_at_once_and_tells_group_whom_to_call(bot: BotHarness) -> None:
    sent = await bot.say("小陈", "快来人!5号楼302李大爷摔倒了起不来")
    group = in_chat(sent, GROUP)
    assert group and "120" in group[0].text
    staff = in_chat(sent, STAFF, private=True)
    assert staff and "李大爷摔倒了" in staff[0].text
    task = await bot.repo.get_task(1)
    assert task is not None and task.emergency and task.urgency == "urgent"
    sent = await bot.say("小陈", "3号楼厨房着火了,好大的烟")
    assert "119" in in_chat(sent, GROUP)[0].text


async def test_offer_is_recorded_and_pointed_at_matching_request(bot: BotHarness) -> None:
    await bot.say("吴奶奶", "谁能来帮我量一下血压?最近老觉得头晕")
    sent = await bot.say("周护士", "我是护士,可以帮忙量血压")
    assert "#1" in sent[0].text and "周护士" in sent[0].text
    offers = await bot.repo.active_offers(bot.clock.now())
    assert offers and "health" in offers[0].skills


async def test_request_points_at_volunteers_whose_offers_fit(bot: BotHarness) -> None:
    sent = await bot.say("刘师傅", "我是退休电工,这周末有空可以帮大家修电器换灯泡")
    assert "谢谢 刘师傅" in sent[0].text
    sent = await bot.say("孙大爷", "家里灯泡坏了,谁能帮忙换一下?")
    assert "刘师傅" in sent[0].text


async def test_staff_bind_a_group_and_others_cannot(bot: BotHarness) -> None:
    sent = await bot.say("小李", "/bind 7号楼", chat="新群")
    assert "只有社区工作人员" in sent[0].text
    sent = await bot.say(STAFF, "/bind 7号楼", chat="新群")
    assert "7号楼" in sent[0].text
    assert (await bot.repo.get_chat("console", "新群")).building == "7号楼"  # type: ignore[union-attr]
    sent = await bot.say(STAFF, "绑定 8", chat="新群")
    assert (await bot.repo.get_chat("console", "新群")).building == "8号楼"  # type: ignore[union-attr]


async def test_one_task_shows_in_every_group_of_its_building(bot: BotHarness) -> None:
    await bot.repo.bind_chat("console", "3号楼二群", "3号楼")
    sent = await bot.say("王奶奶", NEED)
    assert {s.chat.chat_id for s in sent} == {GROUP, "3号楼二群"}
    sent = await bot.reply("小李", 1, "我来", chat="3号楼二群")
    assert {s.chat.chat_id for s in sent if not s.chat.private} == {GROUP, "3号楼二群"}


async def test_same_update_twice_makes_one_task(bot: BotHarness) -> None:
    await bot.console.say("王奶奶", NEED, GROUP, message_id="tg-42")
    await bot.console.say("王奶奶", NEED, GROUP, message_id="tg-42")
    await bot.app.wait_idle()
    assert len(bot.console.pop()) == 1
    assert len(await bot.repo.list_tasks()) == 1


async def test_handler_bug_keeps_the_message_and_the_bot_alive(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    import handlers.router as router

    async def broken(msg: Incoming, ctx: object, turn: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(router, "HANDLERS", [broken, *router.HANDLERS])
    assert await bot.say("王奶奶", NEED) == []
    assert await bot.repo.count_incoming("failed") == 1
    monkeypatch.setattr(router, "HANDLERS", router.HANDLERS[1:])
    assert len(await bot.say("王奶奶", "谁能帮我买瓶酱油")) == 1


async def test_a_bug_in_one_of_several_messages_undoes_only_that_message(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    import handlers.router as router

    async def fails_after_a_write(msg: Incoming, ctx: Ctx, turn: Turn) -> None:
        if msg.text == "坏了":
            await ctx.repo.create_task(text="half done", requester_id=turn.person.id, at=ctx.now())
            raise RuntimeError("bug after a write")

    monkeypatch.setattr(router, "HANDLERS", [fails_after_a_write, *router.HANDLERS])
    texts = [NEED, "坏了", "谁能帮我买瓶酱油"]
    await asyncio.gather(*(bot.console.say(f"邻居{n}", text, GROUP) for n, text in enumerate(texts)))
    await bot.app.wait_idle()
    assert sorted(task.text for task in await bot.repo.list_tasks()) == sorted([NEED, "谁能帮我买瓶酱油"])
    assert (await bot.repo.count_incoming("failed"), await bot.repo.count_incoming("done")) == (1, 2)
    assert len(bot.console.pop()) == 2  # two cards, each sent once


async def test_outbox_retries_after_an_outage_and_keeps_order(bot: BotHarness) -> None:
    bot.console.failing = True
    await bot.console.say("王奶奶", NEED, GROUP)
    await bot.app.wait_idle()
    assert bot.console.pop() == []
    assert await bot.repo.count_outgoing("pending") == 1
    bot.console.failing = False
    bot.clock.advance(timedelta(seconds=5))
    await bot.app.wait_idle()
    assert "#1" in bot.console.pop()[0].text
    assert await bot.repo.count_outgoing("pending") == 0


async def test_unreachable_private_chat_tells_staff_once(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot.block_private(monkeypatch, "小李", "bot was blocked by the user")
    await bot.say("王奶奶", NEED)
    sent = await bot.reply("小李", 1, "我来")
    assert [s.text for s in sent if s.chat == ChatRef("console", STAFF, True) and "小李" in s.text]
    hint = [s for s in sent if "请先私聊我" in s.text]
    assert hint and hint[0].chat.chat_id == GROUP  # the group hears a hint, never the details
    assert [b.action for b in hint[0].buttons] == ["open:task-1"]
    assert not [s for s in sent if not s.chat.private and NEED in s.text and "谢谢你接下" in s.text]
    await bot.say("王奶奶", "谁能帮我买瓶酱油")
    sent = await bot.reply("小李", 2, "我来")
    assert any("请先私聊我" in s.text for s in sent)  # next time the group gets the one-line hint
    assert not [s for s in sent if s.chat == ChatRef("console", STAFF, True)]


async def test_retry_error_is_not_a_crash(bot: BotHarness, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    original = bot.console.send

    async def flaky(reply, key):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 1:
            raise PlatformError("429", retry_after=3)
        return await original(reply, key)

    monkeypatch.setattr(bot.console, "send", flaky)
    await bot.say("王奶奶", NEED)
    bot.clock.advance(timedelta(seconds=3))
    await bot.app.wait_idle()
    assert len(bot.console.pop()) == 1


async def test_start_greets_in_the_community_language(bot: BotHarness) -> None:
    sent = await bot.say("Zhang", "/start", private=True)
    assert "您好 Zhang" in sent[0].text and sent[0].chat.private
    sent = await bot.say("Zhang", "/lang en", private=True)
    sent = await bot.say("Zhang", "/start", private=True)
    assert sent[0].text.startswith("Hello Zhang")


async def test_replies_to_private_nudges_and_bare_words_in_private_find_the_task(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    sent = await bot.reply("小李", 1, "我来")
    details = in_chat(sent, "小李", private=True)[0]
    sent = await bot.say("小李", "完成", chat="小李", private=True, reply_to=details.message_id)
    nudge = in_chat(sent, "王奶奶", private=True)[0]
    assert (await bot.repo.get_task(1)).state is TaskState.DONE  # type: ignore[union-attr]
    sent = await bot.say("王奶奶", "确认", chat="王奶奶", private=True, reply_to=nudge.message_id)
    assert (await bot.repo.get_task(1)).state is TaskState.CONFIRMED  # type: ignore[union-attr]
    await bot.say("王奶奶", "谁能帮我买瓶酱油")
    await bot.reply("小李", 2, "我来")
    await bot.say("小李", "完成", private=True)  # no reply, no number: the one task 小李 holds
    assert (await bot.repo.get_task(2)).state is TaskState.DONE  # type: ignore[union-attr]
    bot.console.pop()


async def test_deep_link_start_sends_the_details_again(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    await bot.reply("小李", 1, "我来")
    sent = await bot.say("小李", "/start task-1", private=True)
    assert "谢谢你接下 #1" in sent[0].text
    sent = await bot.say("小王", "/start task-1", private=True)
    assert "您好 小王" in sent[0].text  # not the claimer: just the greeting


async def test_tagged_request_that_is_an_emergency_still_raises_the_alarm(bot: BotHarness) -> None:
    sent = await bot.say("小陈", "/求助 爷爷晕倒了,叫不醒")
    assert "120" in in_chat(sent, GROUP)[0].text
    assert in_chat(sent, STAFF, private=True)
    assert (await bot.repo.get_task(1)).emergency  # type: ignore[union-attr]


async def test_link_joins_two_accounts_into_one_person(bot: BotHarness) -> None:
    staff = await bot.repo.find_person_by_name(STAFF)
    assert staff is not None
    sent = await bot.say(STAFF, "/link", chat=GROUP)  # asked in a group: the code still goes privately
    assert len(sent) == 1 and sent[0].chat.private and sent[0].chat.chat_id == STAFF
    code = sent[0].text.split("关联码:")[1][:8]
    # the same platform cannot redeem it (tests/test_trust_link.py joins a Telegram account)
    sent = await bot.say("zhang-phone", f"/link {code}", private=True)
    assert "过期" in sent[0].text
    again = await bot.repo.resolve_identity("console", "zhang-phone", "zhang-phone")
    assert again.id != staff.id


async def test_link_codes_expire(bot: BotHarness) -> None:
    sent = await bot.say("小李", "/link", private=True)
    code = sent[0].text.split("关联码:")[1][:8]
    bot.clock.advance(timedelta(minutes=11))
    [said] = await on_telegram(bot, "777", f"/link {code}")
    assert "过期" in said


async def test_private_message_goes_to_another_account_when_one_is_unreachable(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = await bot.repo.find_person_by_name(STAFF)
    assert staff is not None
    await bot.repo.upsert_person(STAFF, staff.role, [("console", "zhang-other")])
    bot.block_private(monkeypatch, STAFF, "bot can't initiate conversation")
    sent = await bot.say("小陈", "快来人!李大爷摔倒了起不来")
    alerts = [s for s in sent if s.chat.private and "李大爷摔倒了" in s.text]
    assert [s.chat.chat_id for s in alerts] == ["zhang-other"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("电话13812345678", "电话138****5678"),
        ("call +8613812345678 or 86 139 0000 1111", "call +86138****5678 or 86 139****1111"),
        ("手机 138-1234-5678", "手机 138****5678"),
        ("+86-13812345678,8615912345678", "+86-138****5678,86159****5678"),
        ("订单号 213812345678 和 1381234567", "订单号 213812345678 和 1381234567"),  # not mobile numbers
    ],
)
def test_mobile_numbers_are_masked_on_public_cards(text: str, shown: str) -> None:
    assert mask_phones(text) == shown


async def test_a_card_never_shows_the_phone_but_the_claimer_gets_it(bot: BotHarness) -> None:
    await bot.say("王奶奶", "3号楼502王奶奶明天上午想请人帮忙买菜 电话+8613812345678")
    card = bot.console.last_card(1)
    assert card is not None and "5678" not in card.text and "502" not in card.text  # not even masked
    details = in_chat(await bot.reply("小李", 1, "我来"), "小李", private=True)
    assert details and "13812345678" in details[0].text
