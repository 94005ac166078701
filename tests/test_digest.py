"""The morning digest: figures per building, open and overdue tasks, ladders, flags, chart, once a day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from handlers.common.context import Ctx, DigestSettings
from handlers.digest.chart import cjk_font, render_chart
from handlers.digest.digest import build_digest, due_digest_day, flag_elders, make_digest, render, send_digest
from storage.checkin_models import Checkin, CheckinState, Elder, LadderStep, Outcome, Wellbeing
from storage.models import ChatRef
from tests.checkin_support import ELDER, STAFF, register, tick, to
from tests.conftest import GROUP, START

DAY = START.date()
GROUP_5 = "5号楼互助群"


async def busy_day(bot) -> None:
    """11-24: a request done and confirmed, one open, one overdue; one elder answers, one needs a visit."""
    await register(bot)
    await register(bot, "/elder 李爷爷 3号楼601 09:30 结对 小李", people=["李爷爷"])
    sent = await bot.say(ELDER, "3号楼502王奶奶想请人今天上午帮忙买点菜")
    shopping = next(s.card_of for s in sent if s.card_of)
    await bot.reply("小李", shopping, "我来")
    sent = await bot.say("孙大爷", "家里客厅的灯泡坏了,谁能帮忙换一下?", GROUP_5)
    sent = await bot.say("赵阿姨", "今天下午2点到4点谁能陪我去医院复查")
    escort = next(s.card_of for s in sent if s.card_of)
    await bot.reply("小王", escort, "我来")
    bot.clock.advance(timedelta(minutes=30))
    await tick(bot)  # greetings at 09:30
    await bot.say(ELDER, "挺好的", private=True)
    bot.clock.advance(timedelta(hours=1))
    await bot.reply("小李", shopping, "完成,用了一个半小时")
    await bot.reply(ELDER, shopping, "确认")
    for _ in range(2):
        bot.clock.advance(timedelta(minutes=60))
        await tick(bot)  # 李爷爷: reminder, then 小李 is asked
    await bot.say("小李", "已上门,平安", private=True)
    bot.console.pop()


async def test_the_digest_counts_the_day_per_building(bot) -> None:
    await busy_day(bot)
    bot.clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=START.tzinfo))
    digest = await make_digest(bot.app.ctx, DAY)
    total = digest.total
    assert (total.new, total.claimed, total.done, total.confirmed) == (3, 2, 1, 1)
    assert (total.open, total.in_progress, total.overdue) == (1, 1, 1)
    assert total.hours == 1.5
    assert (total.answered, total.missed) == (1, 1)
    assert set(digest.buildings) == {"3号楼", "5号楼"}
    assert digest.buildings["5号楼"].open == 1 and digest.buildings["3号楼"].in_progress == 1
    assert [t.id for t in digest.open_tasks] == sorted(t.id for t in digest.open_tasks)
    assert digest.outcomes == {"safe": 1}
    ladder = digest.ladders[0]
    assert ladder.name == "李爷爷" and ladder.outcome is Outcome.SAFE and ladder.closer == "小李"
    assert [s for s, _ in ladder.steps] == [LadderStep.REMINDED, LadderStep.VOLUNTEERS]
    assert digest.top[0].name == "小李" and digest.top[0].hours == 1.5
    assert len(digest.series) == 14 and digest.series[-1].new == 3 and digest.series[-1].missed == 1

    text = render(digest, "zh-Hans")
    assert "幸福里社区 11-24(周二)日报" in text
    assert "新求助 3 · 接单 2 · 完成 1 · 未完成 2(逾期 1)· 服务 1.5 小时" in text
    assert "3号楼:" in text and "5号楼:" in text
    assert "李爷爷(3号楼):提醒 11:30 → 结对志愿者上门 12:30 → 上门平安(小李)" in text
    assert "1. 小李 1.5 小时" in text
    assert "502" not in text and "1380" not in text  # no address or phone in the digest
    markdown = render(digest, "en", markdown=True)
    assert markdown.startswith("# ") and "**🏠 By building**" in markdown and "- 3号楼" in markdown


async def test_digest_goes_to_staff_once_at_eight(bot) -> None:
    await busy_day(bot)
    bot.clock.set(datetime(2026, 11, 25, 7, 59, tzinfo=START.tzinfo))
    from handlers.digest.digest import send_digest as job

    assert await tick(bot, job) == []  # 11-23's digest would be due, but the bot had no history then
    bot.clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=START.tzinfo))
    sent = await tick(bot, job)
    assert [s.chat.chat_id for s in sent] == [STAFF] and "11-24" in sent[0].text
    assert sent[0].image is not None and sent[0].image.endswith(".png")  # the chart goes with it
    assert Path(sent[0].image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bot.clock.advance(timedelta(hours=1))
    assert await tick(bot, job) == []


async def test_a_missed_digest_goes_out_late_after_a_restart_but_not_a_day_late(bot) -> None:
    await busy_day(bot)
    bot.clock.set(datetime(2026, 11, 25, 19, 0, tzinfo=START.tzinfo))  # down at 08:00, back at 19:00
    assert len(await tick(bot, send_digest)) == 1
    bot.clock.set(datetime(2026, 11, 26, 21, 0, tzinfo=START.tzinfo))  # down from 07:00 until 21:00
    assert await tick(bot, send_digest) == []


async def test_digest_can_go_to_a_staff_group(bot) -> None:
    await busy_day(bot)
    settings = replace(
        bot.app.settings, digest=DigestSettings(chat=ChatRef("console", "工作群"), chart=False)
    )
    bot.app.ctx = Ctx(repo=bot.repo, clock=bot.clock, settings=settings)
    bot.clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=START.tzinfo))
    sent = await tick(bot, send_digest)
    assert [s.chat.chat_id for s in sent] == ["工作群"] and "📊" not in sent[0].text


def test_due_day_before_and_after_the_digest_time() -> None:
    class Clock:
        def __init__(self, moment: datetime) -> None:
            self.moment = moment

        def now(self) -> datetime:
            return self.moment

    ctx = Ctx(repo=None, clock=Clock(datetime(2026, 11, 25, 7, 0, tzinfo=START.tzinfo)))  # type: ignore[arg-type]
    assert due_digest_day(ctx)[0] == date(2026, 11, 23)
    ctx.clock = Clock(datetime(2026, 11, 25, 8, 0, tzinfo=START.tzinfo))
    assert due_digest_day(ctx)[0] == date(2026, 11, 24)


def _checkin(
    day: int, *, in_window: bool = True, wellbeing: Wellbeing | None = None, elder: int = 1
) -> Checkin:
    moment = START.replace(day=day)
    return Checkin(
        id=day * 10 + elder,
        elder_id=elder,
        day=moment.date(),
        due_at=moment,
        greeted_at=moment,
        window_end=moment + timedelta(hours=2),
        state=CheckinState.ANSWERED if in_window else CheckinState.CLOSED,
        step=LadderStep.GREETED,
        answered_in_window=in_window,
        wellbeing=wellbeing,
        outcome=Outcome.ANSWERED if in_window else Outcome.SAFE,
    )


def test_flags_for_missed_days_and_answers_turning_worse() -> None:
    elders = {
        1: Elder(1, 11, "王奶奶", START.time(), 120, building="3号楼"),
        2: Elder(2, 12, "李爷爷", START.time(), 120, building="5号楼"),
        3: Elder(3, 13, "赵奶奶", START.time(), 120),
        4: Elder(4, 14, "钱爷爷", START.time(), 120),
    }
    good, fair, bad = Wellbeing.GOOD, Wellbeing.FAIR, Wellbeing.BAD
    week = [
        _checkin(18, elder=1, in_window=False),
        _checkin(22, elder=1, in_window=False),
        _checkin(24, elder=1),
        *[
            _checkin(18 + n, elder=2, wellbeing=mark)
            for n, mark in enumerate([good, good, good, good, fair, fair, fair])
        ],
        *[_checkin(18 + n, elder=3, wellbeing=good) for n in range(6)],
        _checkin(24, elder=3, wellbeing=bad),
        *[_checkin(18 + n, elder=4, wellbeing=good, in_window=n != 2) for n in range(7)],
    ]
    flags = {f.name: f for f in flag_elders(week, elders, DAY)}
    assert set(flags) == {"王奶奶", "李爷爷", "赵奶奶"}
    assert flags["王奶奶"].missed == 2 and not flags["王奶奶"].worse
    assert flags["李爷爷"].worse and flags["李爷爷"].marks == ("good", "fair", "fair", "fair")
    assert flags["赵奶奶"].worse


async def test_the_chart_is_a_png_with_a_cjk_font(bot) -> None:
    await busy_day(bot)
    digest = await build_digest(bot.app.ctx, DAY)
    png = render_chart(digest, "zh-Hans")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert cjk_font() == "WenQuanYi Micro Hei"


async def test_a_quiet_day(bot) -> None:
    digest = await make_digest(bot.app.ctx, DAY)
    assert "很平静" in render(digest, "zh-Hans")
    assert to([], STAFF) == [] and GROUP


async def test_messages_the_bot_could_not_handle_are_shown_to_staff(bot, monkeypatch) -> None:
    import handlers.router as router

    async def broken(msg, ctx, turn):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    monkeypatch.setattr(router, "HANDLERS", [broken, *router.HANDLERS])
    assert await bot.say("王奶奶", "谁能帮我买点菜") == []
    monkeypatch.setattr(router, "HANDLERS", router.HANDLERS[1:])
    text = render(await make_digest(bot.app.ctx, START.date()), "zh-Hans")
    assert "有 1 条消息机器人没能处理" in text
    assert "没能处理" not in render(
        await make_digest(bot.app.ctx, START.date() - timedelta(days=1)), "zh-Hans"
    )
