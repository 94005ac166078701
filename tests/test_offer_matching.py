"""Offers work: a new request is told privately to the volunteers whose skills and time fit."""

from __future__ import annotations

from storage.models import TaskState
from tests.conftest import GROUP, BotHarness


def private_to(sent: list, who: str) -> list:
    return [s for s in sent if s.chat.private and s.chat.chat_id == who]


async def test_a_request_pings_the_volunteer_whose_skill_fits_privately(bot: BotHarness) -> None:
    await bot.say("刘师傅", "我是退休电工,这周末有空可以帮大家修电器换灯泡")
    await bot.say("周护士", "我是护士,可以帮忙量血压")
    sent = await bot.say("孙大爷", "家里灯泡坏了,谁能帮忙换一下?")
    ping = private_to(sent, "刘师傅")
    assert ping and "#1" in ping[0].text and "我来 #1" in ping[0].text
    assert not private_to(sent, "周护士")
    assert not [s for s in sent if s.chat.chat_id == GROUP and "刘师傅" in s.text and "您好" in s.text]
    sent = await bot.say("刘师傅", "我来 #1", private=True)
    task = await bot.repo.get_task(1)
    assert task is not None and task.state is TaskState.CLAIMED
    assert private_to(sent, "刘师傅")


async def test_at_most_three_are_asked_and_nobody_twice_within_the_hour(bot: BotHarness) -> None:
    helpers = [f"志愿者{i}" for i in range(5)]
    for name in helpers:
        await bot.say(name, "我这周都有空,可以帮忙买菜")
    bot.console.pop()
    sent = await bot.say("王奶奶", "谁能帮我明天上午买点菜")
    first = {s.chat.chat_id for s in sent if s.chat.private}
    assert len(first) == 3 and first <= set(helpers)
    sent = await bot.say("李奶奶", "谁能帮我后天上午买点菜")
    second = {s.chat.chat_id for s in sent if s.chat.private}
    assert second == set(helpers) - first  # the two not asked yet; the first three rest for an hour


async def test_the_requester_is_never_asked_about_their_own_request(bot: BotHarness) -> None:
    await bot.say("王奶奶", "我这周都有空,可以帮忙买菜")
    bot.console.pop()
    sent = await bot.say("王奶奶", "谁能帮我明天上午买点菜")
    assert not private_to(sent, "王奶奶")


async def test_an_offer_is_pointed_at_a_request_of_its_main_skill_only(bot: BotHarness) -> None:
    await bot.say("孙大爷", "家里灯泡坏了,谁能帮忙换一下?")
    bot.console.pop()
    sent = await bot.say("小周", "我会修电脑和手机,有需要找我")
    assert sent and "#1" not in sent[0].text


async def test_the_card_names_the_newest_fitting_offers_but_never_the_requester(bot: BotHarness) -> None:
    await bot.say("王奶奶", "我这周都有空,可以帮忙买菜")
    await bot.say("小李", "我这周都有空,可以帮忙买菜")
    await bot.say("小赵", "我明天上午有空,可以帮忙跑腿")
    await bot.say("刘师傅", "我是退休电工,这周末有空可以帮大家修电器换灯泡")
    bot.console.pop()
    sent = await bot.say("王奶奶", "谁能帮我明天上午买点菜")
    card = [s for s in sent if s.chat.chat_id == GROUP and "#1" in s.text]
    assert card and "💡 小李 可能有空" in card[0].text
