"""Nobody claims (flow 5): re-announcements, staff alerts, nudges — and a bot that stays quiet."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

from handlers.common.context import Ctx, ReminderSettings
from handlers.queue.reminders import in_quiet_hours, renudge_open_tasks
from tests.checkin_support import STAFF, in_groups, recipients, tick, to
from tests.conftest import GROUP

URGENT = "药快吃完了,谁能帮我买点药"
NORMAL = "谁能帮忙修一下水龙头,一直在漏水"


async def remind(bot) -> list:
    return await tick(bot, renudge_open_tasks)


async def post(bot, who: str, text: str) -> int:
    sent = await bot.say(who, text)
    card = next(s for s in sent if s.card_of)
    return card.card_of


def test_quiet_hours_wrap_around_midnight() -> None:
    settings = ReminderSettings(quiet_start=time(21, 30), quiet_end=time(7, 30))
    assert in_quiet_hours(time(23, 0), settings) and in_quiet_hours(time(3, 0), settings)
    assert not in_quiet_hours(time(7, 30), settings) and not in_quiet_hours(time(12, 0), settings)
    assert not in_quiet_hours(time(3, 0), ReminderSettings(quiet_start=time(0, 0), quiet_end=time(0, 0)))


async def test_an_unclaimed_urgent_task_is_reannounced_after_15_minutes_and_staff_told(bot) -> None:
    task_id = await post(bot, "王奶奶", URGENT)
    bot.clock.advance(timedelta(minutes=14))
    assert await remind(bot) == []
    bot.clock.advance(timedelta(minutes=1))
    sent = await remind(bot)
    group = in_groups(sent)
    assert [s.chat.chat_id for s in group] == [GROUP] and group[0].card_of == task_id
    assert "还没有人接单" in group[0].text and group[0].buttons
    assert recipients(to(sent, STAFF)) == [STAFF] and f"#{task_id}" in to(sent, STAFF)[0].text
    bot.clock.advance(timedelta(hours=6))
    assert await remind(bot) == []  # then daily at most
    bot.clock.advance(timedelta(hours=18))
    again = await remind(bot)
    assert in_groups(again) and not to(again, STAFF)


async def test_claiming_the_reannounced_card_works(bot) -> None:
    task_id = await post(bot, "王奶奶", URGENT)
    bot.clock.advance(timedelta(minutes=15))
    await remind(bot)
    sent = await bot.reply("小李", task_id, "我来")
    assert any(s.card_of == task_id for s in sent)
    bot.clock.advance(timedelta(days=1))
    assert await remind(bot) == []


async def test_a_normal_task_waits_four_hours_and_staff_are_not_disturbed(bot) -> None:
    await post(bot, "王奶奶", NORMAL)
    bot.clock.advance(timedelta(hours=3, minutes=59))
    assert await remind(bot) == []
    bot.clock.advance(timedelta(minutes=1))
    sent = await remind(bot)
    assert len(in_groups(sent)) == 1 and not to(sent, STAFF)


async def test_each_group_gets_at_most_its_daily_cap(bot) -> None:
    for n in range(5):
        await post(bot, f"邻居{n}", NORMAL)
    bot.clock.advance(timedelta(hours=4))
    sent = await remind(bot)
    assert len(in_groups(sent)) == 3
    bot.clock.advance(timedelta(hours=1))
    assert await remind(bot) == []  # the cap holds for the rest of the day
    bot.clock.advance(timedelta(hours=19))  # the next morning: the two that waited
    assert len(in_groups(await remind(bot))) == 2


async def test_nothing_goes_to_the_groups_at_night(bot) -> None:
    bot.clock.advance(timedelta(hours=11))  # 20:00
    await post(bot, "王奶奶", NORMAL)
    bot.clock.advance(timedelta(hours=4))  # 00:00
    assert await remind(bot) == []
    bot.clock.advance(timedelta(hours=7, minutes=30))  # 07:30
    assert len(in_groups(await remind(bot))) == 1


async def test_a_claimed_task_past_its_window_nudges_its_volunteer_privately(bot) -> None:
    task_id = await post(bot, "王奶奶", "今天下午2点到4点谁能陪我去医院复查")
    await bot.reply("小李", task_id, "我来")
    bot.clock.advance(timedelta(hours=7, minutes=29))  # 16:29
    assert await remind(bot) == []
    bot.clock.advance(timedelta(minutes=1))
    sent = await remind(bot)
    assert recipients(sent) == ["小李"] and f"#{task_id}" in sent[0].text
    bot.clock.advance(timedelta(hours=2))
    assert await remind(bot) == []


async def test_emergencies_and_expired_requests_are_not_reannounced(bot) -> None:
    await bot.say("小陈", "快来人!5号楼302李大爷在楼道里摔倒了起不来", "5号楼互助群")
    await post(bot, "王奶奶", "今天下午2点到4点谁能陪我去医院复查")
    bot.clock.advance(timedelta(hours=8))
    assert await remind(bot) == []


async def test_delays_are_configurable(bot) -> None:
    bot.app.ctx = Ctx(
        repo=bot.repo,
        clock=bot.clock,
        settings=replace(bot.app.settings, reminders=ReminderSettings(normal_after_minutes=30)),
    )
    await post(bot, "王奶奶", NORMAL)
    bot.clock.advance(timedelta(minutes=30))
    assert len(in_groups(await remind(bot))) == 1
