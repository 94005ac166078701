"""One language per reply, times that are true, logs in the community's timezone."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.cli import ZonedFormatter
from handlers.digest.digest import make_digest, render
from tests.conftest import BotHarness


async def test_a_refusal_is_in_one_language(bot: BotHarness) -> None:
    await bot.say("Anna", "Could someone help my grandma set up video calls on her phone tomorrow?")
    card = bot.console.last_card(1)
    bot.console.pop()
    sent = await bot.say("Anna", "我来", reply_to=card.message_id)  # type: ignore[union-attr]
    assert sent and "自己" in sent[0].text and "own request" not in sent[0].text


async def test_a_minute_old_task_is_just_now_in_the_digest(bot: BotHarness) -> None:
    await bot.say("王奶奶", "谁能帮我明天上午买点菜")
    bot.console.pop()
    bot.clock.advance(timedelta(minutes=1))
    text = render(await make_digest(bot.app.ctx, bot.clock.now().date()))
    assert "刚刚" in text and "1 小时前" not in text
    bot.clock.advance(timedelta(minutes=20))
    assert "21 分钟前" in render(await make_digest(bot.app.ctx, bot.clock.now().date()))


def test_log_times_are_in_the_community_timezone() -> None:
    formatter = ZonedFormatter("%(asctime)s %(message)s", ZoneInfo("Asia/Shanghai"))
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    record.created = datetime(2026, 11, 24, 1, 0, tzinfo=UTC).timestamp()
    assert formatter.format(record) == "2026-11-24 09:00:00+08:00 hello"


async def test_a_days_digest_covers_that_day_only(bot: BotHarness) -> None:
    await bot.say("王奶奶", "谁能帮我明天上午买点菜")
    bot.clock.advance(timedelta(days=1))
    await bot.say("李奶奶", "谁能帮我后天下午修一下水龙头")
    bot.console.pop()
    yesterday = bot.clock.now().date() - timedelta(days=1)
    digest = await make_digest(bot.app.ctx, yesterday)
    assert [task.id for task in digest.open_tasks] == [1]
    assert digest.total.open == 1 and digest.total.new == 1


async def test_an_empty_chart_is_drawn_without_fractional_people(bot: BotHarness) -> None:
    from handlers.digest.chart import render_chart

    digest = await make_digest(bot.app.ctx, bot.clock.now().date())
    assert render_chart(digest, "zh-Hans").startswith(b"\x89PNG")
