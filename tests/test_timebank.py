"""Flow 10, the love bank: records with witnesses, passbooks, stars, corrections, statements, repayment."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from handlers.common.context import Ctx, FakeClock, Settings
from handlers.lovebank.timebank import (
    fmt_hours,
    parse_hours,
    send_monthly_statements,
    stars_digest_lines,
    stars_for,
    stars_reached,
)
from storage.lovebank_models import RecordKind
from storage.models import Role, TaskState
from storage.sqlite import SqliteRepository
from tests.conftest import GROUP, STAFF, TZ, BotHarness

NEED = "3号楼502王奶奶想请人明天上午帮忙买点菜"


def private_to(sent: list, who: str) -> list[str]:
    return [s.text for s in sent if s.chat.private and s.chat.chat_id == who]


def in_group(sent: list, chat: str = GROUP) -> list[str]:
    return [s.text for s in sent if not s.chat.private and s.chat.chat_id == chat]


async def serve(bot: BotHarness, requester: str, volunteer: str, need: str, done: str = "完成") -> list:
    """Runs need → claim → done → confirm and returns what the bot said on confirm."""
    sent = await bot.say(requester, need)
    task_id = next(s.card_of for s in sent if s.card_of)
    await bot.reply(volunteer, task_id, "我来")
    await bot.reply(volunteer, task_id, done)
    return await bot.reply(requester, task_id, "确认")


async def person_id(bot: BotHarness, name: str) -> int:
    found = await bot.repo.find_person_by_name(name)
    assert found is not None, name
    return found.id


async def test_confirmed_task_makes_a_record_with_place_duration_total_and_witness(bot: BotHarness) -> None:
    sent = await serve(bot, "王奶奶", "小李", NEED, done="完成,用了两个小时")
    assert any("2 小时已记入你的爱心存折" in text for text in private_to(sent, "小李"))
    records = await bot.repo.records_for_task(1)
    assert len(records) == 1
    record = records[0]
    assert record.kind is RecordKind.SERVICE and record.hours == 2.0
    assert record.person_id == await person_id(bot, "小李")
    assert record.counterpart_id == await person_id(bot, "王奶奶")
    assert record.witness_id == await person_id(bot, "王奶奶")
    assert (record.building, record.room, record.category) == ("3号楼", "502", "shopping")
    assert record.description == "买菜购物 #1"  # the category, never the request's words (append-only)
    assert record.total_after == 2.0 and record.balance_after == 2.0


async def test_category_default_applies_and_running_total_grows(bot: BotHarness) -> None:
    await serve(bot, "王奶奶", "小李", NEED)
    await serve(bot, "孙大爷", "小李", "3号楼的孙大爷想找人陪他明天去医院复查")
    records = sorted(await bot.repo.records_of(await person_id(bot, "小李")), key=lambda r: r.id)
    assert [r.hours for r in records] == [1.0, 3.0]  # shopping 1 h, medical escort 3 h (config defaults)
    assert [r.total_after for r in records] == [1.0, 4.0]


async def test_hours_command_sets_the_duration_before_confirmation(bot: BotHarness) -> None:
    await bot.say("王奶奶", NEED)
    await bot.reply("小李", 1, "我来")
    sent = await bot.say("小李", "/hours 1.5", private=True)
    assert private_to(sent, "小李") == ["好的,#1 记为 1.5 小时。"]
    sent = await bot.say("小王", "/hours #1 3", private=True)
    assert "只有接单人" in private_to(sent, "小王")[0]
    await bot.reply("小李", 1, "完成")
    await bot.reply("王奶奶", 1, "确认")
    assert [r.hours for r in await bot.repo.records_for_task(1)] == [1.5]
    sent = await bot.say("小李", "/hours #1 2", private=True)
    assert "工作人员更正" in private_to(sent, "小李")[0]


async def test_passbook_is_private_and_staff_can_read_anyones(bot: BotHarness) -> None:
    await serve(bot, "王奶奶", "小李", NEED, done="完成,用了两个小时")
    sent = await bot.say("小李", "存折", private=True)
    [book] = private_to(sent, "小李")
    assert "小李 的爱心存折" in book and "2026 年服务 2 小时" in book and "可用 2 小时" in book
    assert "买菜购物 · 王奶奶(3号楼 502) · 见证 王奶奶 · 累计 2h" in book
    assert "再服务 8 小时就是 1 星志愿者" in book
    sent = await bot.say("小李", "存折")  # asked in the group: the book goes privately
    assert private_to(sent, "小李") and in_group(sent) == ["小李,已私信发给您 📩"]
    assert "王奶奶" not in in_group(sent)[0]
    sent = await bot.say("小王", "/passbook 小李", private=True)
    assert "只有社区工作人员" in private_to(sent, "小王")[0]
    await bot.prove("小李")
    sent = await bot.say(STAFF, "/passbook 小李", private=True)
    assert "小李 的爱心存折" in private_to(sent, STAFF)[0]
    sent = await bot.say(STAFF, "/passbook 没这个人", private=True)
    assert "没有找到「没这个人」" in private_to(sent, STAFF)[0]


async def test_traditional_and_english_passbooks(bot: BotHarness) -> None:
    sent = await bot.say("陳伯伯", "/存摺", private=True)
    assert "還沒有服務記錄" in private_to(sent, "陳伯伯")[0]
    await bot.say("Anna", "/lang en", private=True)
    sent = await bot.say("Anna", "/passbook", private=True)
    assert "Anna's love-bank passbook" in private_to(sent, "Anna")[0]


async def test_reaching_a_star_sends_one_kind_message_and_a_digest_line(bot: BotHarness) -> None:
    await bot.say("小李", "你好", private=True)
    await bot.prove("小李")
    sent = await bot.say(STAFF, "/record 小李 9 11月16日社区义诊活动", private=True)
    assert "已记入 No.1:小李 +9 小时" in private_to(sent, STAFF)[0]
    assert "张书记 为你记入 9 小时" in private_to(sent, "小李")[0]
    sent = await serve(bot, "王奶奶", "小李", NEED)
    stars = [text for text in private_to(sent, "小李") if "恭喜" in text]
    assert stars == ["⭐ 恭喜你,小李!今年已服务满 10 小时,成为 1 星志愿者。谢谢你为邻里付出的每一个小时!"]
    sent = await serve(bot, "孙大爷", "小李", "3号楼孙大爷家的灯泡坏了,谁能帮忙换一下")
    assert not [text for text in private_to(sent, "小李") if "恭喜" in text]  # one message per star
    day = bot.clock.now().date()
    reached = await stars_reached(bot.app.ctx, day)
    assert [(r.name, r.stars, r.hours) for r in reached] == [("小李", 1, 10.0)]
    assert await stars_digest_lines(bot.app.ctx, day, "zh-Hans") == [
        "⭐ 小李 今年已服务 10 小时,成为 1 星志愿者"
    ]
    assert await stars_reached(bot.app.ctx, day + timedelta(days=1)) == []
    sent = await bot.say("小李", "存折", private=True)
    assert "2026 年服务 11 小时 ⭐\n" in private_to(sent, "小李")[0]


async def test_star_thresholds_are_configurable_and_jumps_send_the_highest(
    repo: SqliteRepository, clock: FakeClock
) -> None:
    ctx = Ctx(repo, clock, Settings(star_thresholds=(5.0, 10.0, 20.0)))
    volunteer = await repo.upsert_person("小李", Role.VOLUNTEER, [("console", "小李")])
    from handlers.lovebank.timebank import check_stars

    await repo.add_record(
        kind=RecordKind.SERVICE, person_id=volunteer.id, hours=12, served_at=clock.now(), at=clock.now()
    )
    replies = await check_stars(ctx, volunteer.id, clock.now(), "console")
    assert len(replies) == 1 and "成为 2 星志愿者" in replies[0].text and replies[0].chat.private
    assert [a.stars for a in await repo.stars_between(clock.now(), clock.now() + timedelta(seconds=1))] == [
        1,
        2,
    ]
    assert await check_stars(ctx, volunteer.id, clock.now(), "console") == []


@pytest.mark.parametrize(("hours", "stars"), [(0, 0), (9.99, 0), (10, 1), (24.5, 1), (25, 2), (100, 2)])
def test_stars_follow_the_seed_thresholds(hours: float, stars: int) -> None:
    assert stars_for(hours, Settings().star_thresholds) == stars


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("2", 2.0),
        ("1.5", 1.5),
        ("2h", 2.0),
        ("两个小时", 2.0),
        ("一个半小时", 1.5),
        ("90分钟", 1.5),
        ("0", None),
        ("x", None),
    ],
)
def test_reported_hours_are_read_like_people_write_them(text: str, hours: float | None) -> None:
    assert parse_hours(text) == hours


async def test_stars_count_only_this_calendar_year(repo: SqliteRepository, clock: FakeClock) -> None:
    ctx = Ctx(repo, clock, Settings())
    volunteer = await repo.upsert_person("小李", Role.VOLUNTEER, [("console", "小李")])
    last_year = datetime(2025, 12, 31, 20, 0, tzinfo=TZ)
    await repo.add_record(
        kind=RecordKind.SERVICE, person_id=volunteer.id, hours=9, served_at=last_year, at=last_year
    )
    from handlers.lovebank.timebank import check_stars, passbook_text

    await repo.add_record(
        kind=RecordKind.SERVICE, person_id=volunteer.id, hours=2, served_at=clock.now(), at=clock.now()
    )
    assert await check_stars(ctx, volunteer.id, clock.now(), "console") == []
    book = await passbook_text(ctx, volunteer, "zh-Hans")
    assert "2026 年服务 2 小时" in book and "累计服务 11 小时" in book


async def test_corrections_are_new_lines_by_staff_with_a_reason(bot: BotHarness) -> None:
    await serve(bot, "王奶奶", "小李", NEED, done="完成,用了两个小时")
    [original] = await bot.repo.records_for_task(1)
    sent = await bot.say("小李", f"/correct {original.id} 1 我记错了", private=True)
    assert "只有社区工作人员" in private_to(sent, "小李")[0]
    sent = await bot.say(STAFF, f"/correct {original.id} 1.5", private=True)
    assert "用法" in private_to(sent, STAFF)[0]  # a reason is required
    sent = await bot.say(STAFF, f"/更正 {original.id} 1.5 实际只用了一个半小时", private=True)
    assert "已更正 No.1:2 → 1.5 小时" in private_to(sent, STAFF)[0]
    assert "张书记 更正了你的记录 No.1:2 → 1.5 小时(原因:实际只用了一个半小时)" in private_to(sent, "小李")[0]
    lines = await bot.repo.records_for_task(1)
    assert [(r.kind, r.hours, r.corrects_id) for r in lines] == [
        (RecordKind.SERVICE, 2.0, None),
        (RecordKind.CORRECTION, -0.5, original.id),
    ]
    assert await bot.repo.get_record(original.id) == original  # the original line is never changed
    assert lines[1].total_after == 1.5 and lines[1].reason == "实际只用了一个半小时"
    sent = await bot.say(STAFF, f"/correct {original.id} 1.5 再说一次", private=True)
    assert "已经是这个时长了" in private_to(sent, STAFF)[0]
    sent = await bot.say("小李", "存折", private=True)
    assert "更正 No.1:实际只用了一个半小时 · 累计 1.5h" in private_to(sent, "小李")[0]


async def test_banked_hours_give_priority_and_are_drawn_on_when_used(bot: BotHarness) -> None:
    await serve(bot, "王奶奶", "小李", NEED, done="完成,用了两个小时")
    sent = await bot.say("赵阿姨", "3号楼谁能帮我取个快递?")
    assert "⭐" not in in_group(sent)[0]
    sent = await bot.say("小李", "我家水管漏水了,谁能帮忙修一下?")
    card = in_group(sent)[0]
    assert "#3" in card and "⭐" in card
    open_tasks = await bot.repo.list_tasks(states=[TaskState.OPEN])
    assert [t.id for t in open_tasks] == [3, 2]  # the volunteer's own request goes first
    await bot.reply("刘师傅", 3, "我来")
    await bot.reply("刘师傅", 3, "完成")
    sent = await bot.reply("小李", 3, "确认")
    assert "#3 用了您爱心存折里的 1 小时,还可用 1 小时" in private_to(sent, "小李")[0]
    drawn = [r for r in await bot.repo.records_for_task(3) if r.kind is RecordKind.WITHDRAWAL]
    assert (
        len(drawn) == 1
        and drawn[0].hours == -1.0
        and drawn[0].counterpart_id == await person_id(bot, "刘师傅")
    )
    ledger = await bot.repo.ledger(await person_id(bot, "小李"), *_year(bot))
    assert (ledger.total_hours, ledger.period_hours, ledger.balance) == (
        2.0,
        2.0,
        1.0,
    )  # stars keep served hours
    sent = await bot.say("小李", "存折", private=True)
    assert "−1h 受助 #3(刘师傅 帮忙)· 可用 1h" in private_to(sent, "小李")[0]


def _year(bot: BotHarness) -> tuple[datetime, datetime]:
    return datetime(2026, 1, 1, tzinfo=TZ), datetime(2027, 1, 1, tzinfo=TZ)


async def test_monthly_statements_go_once_on_the_configured_day(bot: BotHarness) -> None:
    await serve(bot, "王奶奶", "小李", NEED, done="完成,用了两个小时")
    await serve(bot, "孙大爷", "小王", "3号楼孙大爷家的灯泡坏了,谁能帮忙换一下")
    ctx = bot.app.ctx
    ctx.settings = dataclasses.replace(ctx.settings, statement_day=2)
    bot.clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=TZ))
    assert await send_monthly_statements(ctx) == []  # not the day yet
    bot.clock.set(datetime(2026, 12, 2, 9, 0, tzinfo=TZ))
    replies = await send_monthly_statements(ctx)
    by_chat = {r.chat.chat_id: r.text for r in replies}
    assert all(r.chat.private for r in replies)
    assert set(by_chat) == {"小李", "小王", STAFF}
    assert "11 月爱心存折月结单\n本月服务 1 次,共 2 小时" in by_chat["小李"]
    summary = by_chat[STAFF]
    assert "爱心银行汇总 2026-11" in summary and "服务 2 次,共 3 小时,2 位志愿者" in summary
    assert "按志愿者:小李 2h、小王 1h" in summary
    assert "按类别:买菜购物 2h、维修 1h" in summary and "按楼栋:3号楼 3h" in summary
    assert await send_monthly_statements(ctx) == []  # once per month, even after a restart
    bot.clock.set(datetime(2026, 12, 20, 9, 0, tzinfo=TZ))
    assert await send_monthly_statements(ctx) == []


async def test_staff_record_offline_service_and_read_the_summary(bot: BotHarness) -> None:
    sent = await bot.say("小李", "/record 小王 2 义诊", private=True)
    assert "只有社区工作人员" in private_to(sent, "小李")[0]
    await bot.say("小王", "你好", private=True)
    await bot.prove("小王")
    sent = await bot.say(STAFF, "/record 小王 两个小时 社区义诊,帮老人量血压")
    assert in_group(sent) == ["张书记,已私信发给您 📩"]
    assert "小王 +2 小时" in private_to(sent, STAFF)[0]
    assert "为你记入 2 小时" in private_to(sent, "小王")[0]
    [record] = await bot.repo.records_of(await person_id(bot, "小王"))
    assert record.category == "health" and record.witness_id == await person_id(bot, STAFF)
    sent = await bot.say(STAFF, "/summary", private=True)
    assert "按志愿者:小王 2h" in private_to(sent, STAFF)[0]
    sent = await bot.say("小王", "/summary", private=True)
    assert "只有社区工作人员" in private_to(sent, "小王")[0]


def test_hours_format_like_people_write_them() -> None:
    assert [fmt_hours(h) for h in (1.0, 1.5, 0.333333, 10.0)] == ["1", "1.5", "0.33", "10"]


def test_star_and_statement_settings_come_from_the_config() -> None:
    from bot.config import ConfigError, parse_config

    settings = parse_config(
        {"stars": {"thresholds": [5, 10, 20]}, "lovebank": {"statement_day": 16}}
    ).settings
    assert settings.star_thresholds == (5.0, 10.0, 20.0) and settings.statement_day == 16
    assert parse_config({}).settings.star_thresholds == (10.0, 25.0)
    for data, key in [
        ({"stars": {"thresholds": [25, 10]}}, "stars.thresholds"),
        ({"stars": {"thresholds": "10"}}, "stars.thresholds"),
        ({"stars": {"levels": [10]}}, "stars.levels"),
        ({"lovebank": {"statement_day": 31}}, "lovebank.statement_day"),
        ({"lovebank": {"priority_min_hours": -1}}, "lovebank.priority_min_hours"),
        ({"lovebank": {"bonus": 1}}, "lovebank.bonus"),
    ]:
        with pytest.raises(ConfigError) as caught:
            parse_config(data)
        assert caught.value.key == key


async def test_the_scheduler_sends_the_statements_once(bot: BotHarness) -> None:
    from bot.scheduler import Scheduler

    await serve(bot, "王奶奶", "小李", NEED)
    bot.clock.set(datetime(2026, 12, 1, 9, 30, tzinfo=TZ))
    scheduler = Scheduler(bot.app)
    assert await scheduler.tick_statements() == 2  # 小李 and the staff member
    assert await scheduler.tick_statements() == 0
    await bot.app.wait_idle()
    sent = bot.console.pop()
    assert "11 月爱心存折月结单" in private_to(sent, "小李")[0]
    assert "爱心银行汇总 2026-11" in private_to(sent, STAFF)[0]


def test_the_ledger_is_append_only_in_the_code_that_touches_it() -> None:
    from pathlib import Path

    import storage

    root = Path(storage.__file__).parent
    for source in [*root.glob("*.py"), *root.glob("migrations/*.sql")]:
        text = source.read_text(encoding="utf-8").lower()
        assert "update service_records" not in text, source
        assert "delete from service_records" not in text, source
