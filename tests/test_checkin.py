"""Daily check-ins for elders living alone: registration, greetings, signs of life, the ladder, away mode."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from handlers.checkin.checkin import ElderForm, away_days, greeting_text, ladder_outcome, parse_elder_form
from storage.checkin_models import CheckinState, LadderStep, Outcome, Wellbeing
from storage.models import TaskState
from tests.checkin_support import ELDER, STAFF, in_groups, recipients, register, tick, to
from tests.conftest import START

# -- reading what staff and elders type ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "王奶奶 3号楼502 09:00 窗口2小时 结对 小李、小王 联系人 王小明 13800138000 备注 高血压,耳背",
            ElderForm(
                name="王奶奶",
                building="3号楼",
                room="502",
                checkin_time=time(9, 0),
                window_minutes=120,
                volunteers=("小李", "小王"),
                contact_name="王小明",
                contact_phone="13800138000",
                notes="高血压,耳背",
            ),
        ),
        (
            "李爷爷 5栋2单元301 8点半 志愿者:小赵 紧急联系人:李华,13900001111,wx:wxid_lihua 语言 繁体",
            ElderForm(
                name="李爷爷",
                building="5号楼",
                room="2单元301",
                checkin_time=time(8, 30),
                volunteers=("小赵",),
                contact_name="李华",
                contact_phone="13900001111",
                contact_account=("wechat", "wxid_lihua"),
                language="zh-Hant",
            ),
        ),
        ("赵奶奶 3-1-402 账号 tg:12345 窗口 90分钟", None),
        ("王奶奶 停用", ElderForm(name="王奶奶", stop=True)),
    ],
)
def test_elder_form_reads_a_staff_line(line: str, expected: ElderForm | None) -> None:
    form = parse_elder_form(line)
    if expected is None:
        assert form is not None
        assert (form.building, form.room, form.account, form.window_minutes) == (
            "3号楼",
            "1单元402",
            ("telegram", "12345"),
            90,
        )
    else:
        assert form == expected


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("我去女儿家住三天", 3),
        ("明天去儿子家住两天,别惦记", 2),
        ("我出门旅游一周", 7),
        ("去女儿那住几天", 3),
        ("我住院了,大概住5天", 5),
        ("away for 4 days", 4),
        ("今天天气真好", None),
        ("三天没出门了", None),
    ],
)
def test_away_days_from_the_elders_words(text: str, days: int | None) -> None:
    assert away_days(text, 3) == days


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("已上门,平安", Outcome.SAFE),
        ("去看过了,没事", Outcome.SAFE),
        ("联系上了", Outcome.REACHED),
        ("电话打通了,在女儿家", Outcome.REACHED),
        ("需要送医", Outcome.HOSPITAL),
        ("已经打了120", Outcome.HOSPITAL),
        ("敲门没人开门", "no_answer"),
        ("电话打不通", "no_answer"),
        ("没联系上", "no_answer"),
        ("好的我去看看", "on_the_way"),
        ("今天几号", None),
    ],
)
def test_ladder_answers(text: str, outcome: Outcome | str | None) -> None:
    assert ladder_outcome(text) == outcome


def test_greetings_are_not_always_the_same_words() -> None:
    day = START.date()
    week = {greeting_text("zh-Hans", ELDER, 7, day + timedelta(days=n)) for n in range(6)}
    neighbours = {greeting_text("zh-Hans", name, n, day) for n, name in enumerate(["a", "b", "c"])}
    assert len(week) == 6
    assert len({text.replace(name, "") for text, name in zip(sorted(neighbours), "abc", strict=True)}) >= 2


# -- registration ----------------------------------------------------------------------------------------


async def test_staff_register_an_elder_privately(bot) -> None:
    sent = await register(bot)
    text = sent[0].text
    assert "王奶奶(3号楼 502)" in text and "09:30" in text and "小李、小王" in text and "13800138000" in text
    assert "11-24 09:30" in text
    elder = await bot.repo.elder_of_person((await bot.repo.find_person_by_name(ELDER)).id)
    assert elder is not None and elder.window_minutes == 120 and elder.notes == "高血压"
    assert len(elder.volunteer_ids) == 2 and elder.contact_phone == "13800138000"


async def test_only_staff_register_and_only_in_private(bot) -> None:
    refused = await bot.say("小李", "/elder 王奶奶 3号楼502", private=True)
    assert "抱歉" in refused[0].text
    in_group = await bot.say(STAFF, "/elder 王奶奶 3号楼502")
    assert "私聊" in in_group[0].text
    assert await bot.repo.list_elders() == []


async def test_usage_and_unknown_names_are_explained(bot) -> None:
    usage = await bot.say(STAFF, "/elder", private=True)
    assert "/elder 王奶奶" in usage[0].text
    sent = await bot.say(STAFF, "/elder 孙奶奶 7号楼101 结对 小周", private=True)
    assert "小周" in sent[0].text and "聊天账号" in sent[0].text


# -- greeting and answers ----------------------------------------------------------------------------------


async def test_greeting_at_the_time_and_a_reply_closes_the_day(bot) -> None:
    await register(bot)
    bot.clock.advance(timedelta(minutes=29))
    assert await tick(bot) == []
    bot.clock.advance(timedelta(minutes=1))
    sent = await tick(bot)
    assert recipients(sent) == [ELDER] and ELDER in sent[0].text
    answer = await bot.say(ELDER, "挺好的,放心吧", private=True)
    assert len(answer) == 1 and answer[0].chat.chat_id == ELDER
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.state is CheckinState.ANSWERED and checkin.answered_in_window
    assert checkin.wellbeing is Wellbeing.GOOD and checkin.outcome is Outcome.ANSWERED
    bot.clock.advance(timedelta(hours=6))
    assert await tick(bot) == []
    bot.clock.advance(timedelta(hours=18))
    assert recipients(await tick(bot)) == [ELDER]  # tomorrow, 09:30 again


async def test_any_message_in_a_group_is_a_sign_of_life(bot) -> None:
    await register(bot)
    bot.clock.advance(timedelta(minutes=30))
    await tick(bot)
    assert await bot.say(ELDER, "今天楼下的桂花开了") == []
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.state is CheckinState.ANSWERED and checkin.wellbeing is None
    bot.clock.advance(timedelta(hours=3))
    assert await tick(bot) == []


async def test_a_fair_answer_is_marked_and_acknowledged_gently(bot) -> None:
    await register(bot)
    bot.clock.advance(timedelta(minutes=30))
    await tick(bot)
    sent = await bot.say(ELDER, "还行吧,老样子", private=True)
    assert "休息" in sent[0].text
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.wellbeing is Wellbeing.FAIR


# -- the ladder ----------------------------------------------------------------------------------------------


async def climb_to(bot, step: LadderStep) -> dict[LadderStep, list]:
    """Greets at 09:30, nobody answers until the ladder reaches ``step``; returns each step's messages."""
    await register(bot)
    bot.clock.advance(timedelta(minutes=30))
    seen = {LadderStep.GREETED: await tick(bot)}
    delays = {
        LadderStep.REMINDED: timedelta(hours=2),
        LadderStep.VOLUNTEERS: timedelta(minutes=30),
        LadderStep.STAFF: timedelta(minutes=30),
        LadderStep.CONTACT: timedelta(minutes=30),
    }
    order = list(delays)
    for rung in order[: order.index(step) + 1] if step in order else []:
        delay = delays[rung]
        bot.clock.advance(delay - timedelta(seconds=1))
        assert await tick(bot) == [], f"{rung} came early"
        bot.clock.advance(timedelta(seconds=1))
        seen[rung] = await tick(bot)
    return seen


async def test_full_ladder_to_the_last_step(bot) -> None:
    seen = await climb_to(bot, LadderStep.CONTACT)
    assert recipients(seen[LadderStep.REMINDED]) == [ELDER]
    asked = seen[LadderStep.VOLUNTEERS]
    assert recipients(asked) == ["小李", "小王"]
    assert all("3号楼 502" in s.text and s.buttons for s in asked)
    assert all("紧急联系人:王小明 13800138000" in s.text and "备注:高血压" in s.text for s in asked)
    assert recipients(seen[LadderStep.STAFF]) == [STAFF]
    assert "小李、小王" in seen[LadderStep.STAFF][0].text
    contact = seen[LadderStep.CONTACT]
    assert recipients(contact) == [STAFF] and "13800138000" in contact[0].text  # no account: staff call
    assert not in_groups([s for step in seen.values() for s in step])  # the address never went to a group
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    ladder = await bot.repo.ladder_of(checkin.id)
    assert [e.step for e in ladder] == list(LadderStep)
    assert [e.at.astimezone(START.tzinfo).strftime("%H:%M") for e in ladder] == [
        "09:30",
        "11:30",
        "12:00",
        "12:30",
        "13:00",
    ]
    assert checkin.state is CheckinState.ESCALATING and checkin.next_step_at is None
    bot.clock.advance(timedelta(hours=5))
    assert await tick(bot) == []  # the top rung waits for someone to close it


async def test_a_volunteers_visit_closes_the_ladder_and_the_others_hear(bot) -> None:
    await climb_to(bot, LadderStep.STAFF)
    sent = await bot.say("小李", "已上门,平安", private=True)
    assert recipients(sent) == ["小李", "小王", STAFF]
    assert "小李 已上门,平安" in to(sent, "小王")[0].text
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.outcome is Outcome.SAFE and checkin.state is CheckinState.CLOSED
    bot.clock.advance(timedelta(hours=2))
    assert await tick(bot) == []  # no contact step after it closed


async def test_a_button_closes_the_ladder(bot) -> None:
    seen = await climb_to(bot, LadderStep.VOLUNTEERS)
    ask = to(seen[LadderStep.VOLUNTEERS], "小王")[0]
    toast = await bot.console.press("小王", ask, "联系上了")
    await bot.app.wait_idle()
    assert toast and "联系上" in toast
    assert recipients(bot.console.pop()) == ["小李"]
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.outcome is Outcome.REACHED


async def test_the_elder_answering_late_closes_it_and_everyone_asked_hears(bot) -> None:
    await climb_to(bot, LadderStep.VOLUNTEERS)
    sent = await bot.say(ELDER, "刚才在睡觉,没事", private=True)
    assert recipients(sent) == ["小李", "小王", ELDER]
    assert "刚刚回复了" in to(sent, "小李")[0].text
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.outcome is Outcome.LATE and not checkin.answered_in_window


async def test_the_contact_with_an_account_closes_it(bot) -> None:
    await bot.say("王小明", "你好", private=True)
    bot.console.pop()
    await bot.prove("王小明")
    await climb_to(bot, LadderStep.CONTACT)
    sent = await bot.say("王小明", "联系上了,她在我家", private=True)
    assert ELDER not in recipients(sent) and "王小明" in recipients(sent)
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.outcome is Outcome.REACHED


async def test_needing_hospital_starts_the_emergency_flow(bot) -> None:
    await climb_to(bot, LadderStep.VOLUNTEERS)
    sent = await bot.say("小王", "需要送医", private=True)
    assert "120" in to(sent, "小王")[0].text
    assert any("紧急" in s.text and "3号楼 502" in s.text for s in to(sent, STAFF))
    assert to(sent, "小李")
    tasks = await bot.repo.list_tasks(emergency=True)
    assert len(tasks) == 1 and tasks[0].urgency == "urgent"
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.outcome is Outcome.HOSPITAL and checkin.task_id == tasks[0].id
    assert not in_groups(sent)


async def test_nobody_at_the_door_climbs_at_once(bot) -> None:
    await climb_to(bot, LadderStep.VOLUNTEERS)
    sent = await bot.say("小李", "敲门没人开门", private=True)
    assert to(sent, STAFF), "staff asked at once"
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.step is LadderStep.STAFF


async def test_without_paired_volunteers_staff_hear_right_after_the_reminder(bot) -> None:
    await register(bot, f"/elder {ELDER} 3号楼502 09:30", people=[ELDER])
    bot.clock.advance(timedelta(minutes=30))
    await tick(bot)
    bot.clock.advance(timedelta(hours=2))
    assert recipients(await tick(bot)) == [ELDER]
    bot.clock.advance(timedelta(minutes=30))
    assert recipients(await tick(bot)) == [STAFF]


async def test_someone_on_two_ladders_is_asked_which(bot) -> None:
    await register(bot)
    await register(bot, "/elder 李爷爷 3号楼601 09:30 结对 小李", people=["李爷爷"])
    bot.clock.advance(timedelta(minutes=30))
    await tick(bot)
    bot.clock.advance(timedelta(hours=2, minutes=30))
    await tick(bot)
    await tick(bot)
    asked = await bot.say("小李", "平安", private=True)
    assert "王奶奶" in asked[0].text and "李爷爷" in asked[0].text
    sent = await bot.say("小李", "李爷爷平安", private=True)
    assert "李爷爷" in sent[0].text
    states = {c.elder_id: c.outcome for c in await bot.repo.checkins_between(START.date(), START.date())}
    assert sorted(str(v) for v in states.values()) == ["None", "safe"]


async def test_strangers_cannot_close_a_ladder(bot) -> None:
    await climb_to(bot, LadderStep.VOLUNTEERS)
    await bot.say("路人甲", "平安", private=True)
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.open


# -- unwell and emergencies --------------------------------------------------------------------------------


async def test_feeling_unwell_becomes_a_private_request_for_the_pair(bot) -> None:
    await register(bot)
    bot.clock.advance(timedelta(minutes=30))
    await tick(bot)
    sent = await bot.say(ELDER, "今天有点头晕,不太舒服", private=True)
    assert not in_groups(sent), "health news stays private"
    assert recipients(sent) == ["小李", "小王", ELDER]
    ask = to(sent, "小李")[0]
    assert "头晕" in ask.text and "3号楼 502" in ask.text and ask.buttons
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.wellbeing is Wellbeing.BAD and checkin.task_id is not None
    toast = await bot.console.press("小李", ask, ask.buttons[0].label)
    await bot.app.wait_idle()
    assert toast
    bot.console.pop()
    task = await bot.repo.get_task(checkin.task_id)
    assert task is not None and task.state is TaskState.CLAIMED
    again = await bot.say(ELDER, "还是头晕", private=True)
    assert recipients(again) == [ELDER]  # no second request while the first is open


async def test_an_elders_emergency_alerts_the_pair(bot) -> None:
    await register(bot)
    bot.clock.advance(timedelta(minutes=30))
    await tick(bot)
    sent = await bot.say(ELDER, "我摔了一跤,起不来", private=True)
    assert to(sent, "小李") and to(sent, "小王") and to(sent, STAFF)
    assert "120" in to(sent, ELDER)[0].text
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.state is CheckinState.ANSWERED and checkin.wellbeing is Wellbeing.BAD


async def test_an_emergency_naming_an_elder_alerts_the_pair(bot) -> None:
    await register(bot)
    sent = await bot.say("小陈", "快来人!王奶奶在楼道里摔倒了")
    assert to(sent, "小李") and to(sent, "小王")
    assert "王奶奶" in to(sent, "小李")[0].text


async def test_a_private_request_from_an_elder_reaches_the_pair(bot) -> None:
    await register(bot)
    sent = await bot.say(ELDER, "药快吃完了,谁能帮我买点药", private=True)
    assert any(s.card_of for s in in_groups(sent))
    assert "求助" in to(sent, "小李")[0].text


# -- away mode --------------------------------------------------------------------------------------------


async def test_away_in_the_elders_words_pauses_and_resumes_by_itself(bot) -> None:
    await register(bot)
    sent = await bot.say(ELDER, "我去女儿家住三天")
    assert not in_groups(sent), "an empty home is nobody's business"
    assert "11-27 09:30" in to(sent, ELDER)[0].text
    assert to(sent, "小李")
    for _ in range(3):
        bot.clock.advance(timedelta(minutes=30))
        assert await tick(bot) == []
        bot.clock.advance(timedelta(hours=23, minutes=30))
        assert await tick(bot) == []
    bot.clock.advance(timedelta(minutes=30))  # 11-27 09:30
    assert recipients(await tick(bot)) == [ELDER]


async def test_away_honours_the_return_day_the_elder_names(bot) -> None:
    await register(bot)
    bot.clock.advance(timedelta(days=2))  # Thursday 11-26
    await tick(bot)
    sent = await bot.say(ELDER, "我去女儿家住三天,下周一回来")
    assert "11-30 09:30" in to(sent, ELDER)[0].text  # Monday, not Sunday (three days from Thursday)
    elder = await bot.repo.elder_of_person((await bot.repo.find_person_by_name(ELDER)).id)  # type: ignore[union-attr]
    assert elder is not None and elder.away_until is not None
    assert elder.away_until.astimezone(bot.clock.now().tzinfo).date().isoformat() == "2026-11-30"


def test_return_days() -> None:
    from datetime import date

    from handlers.checkin.checkin import return_days

    thursday = date(2026, 11, 26)
    assert return_days("我去女儿家住三天,下周一回来", thursday) == 4
    assert return_days("周六回来", thursday) == 2
    assert return_days("后天回来", thursday) == 2
    assert return_days("12月3日回来", thursday) == 7
    assert return_days("我去女儿家住三天", thursday) is None


async def test_staff_set_away_with_a_command_and_back_ends_it(bot) -> None:
    await register(bot)
    sent = await bot.say(STAFF, "/away 王奶奶 2", private=True)
    assert "2 天" in to(sent, STAFF)[0].text
    bot.clock.advance(timedelta(hours=1))
    assert await tick(bot) == []
    back = await bot.say(STAFF, "/back 王奶奶", private=True)
    assert "11-25 09:30" in back[0].text
    bot.clock.advance(timedelta(hours=23, minutes=30))
    assert recipients(await tick(bot)) == [ELDER]


async def test_away_during_an_open_ladder_closes_it(bot) -> None:
    await climb_to(bot, LadderStep.VOLUNTEERS)
    sent = await bot.say(STAFF, "/away 王奶奶 3", private=True)
    assert to(sent, "小李") and to(sent, "小王")
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.outcome is Outcome.AWAY
    bot.clock.advance(timedelta(hours=1))
    assert await tick(bot) == []


async def test_the_elders_list_shows_todays_status(bot) -> None:
    await register(bot)
    bot.clock.advance(timedelta(minutes=30))
    await tick(bot)
    sent = await bot.say(STAFF, "/elders", private=True)
    assert "王奶奶" in sent[0].text and "等回复" in sent[0].text


async def test_stopping_an_elder_stops_the_greetings(bot) -> None:
    await register(bot)
    sent = await bot.say(STAFF, "/elder 王奶奶 停用", private=True)
    assert "停用" in sent[0].text
    bot.clock.advance(timedelta(days=2))
    assert await tick(bot) == []


async def test_an_elders_card_reply_and_offer_still_reach_their_handlers(bot) -> None:
    await register(bot)
    sent = await bot.say("孙大爷", "谁有空帮我取个快递")
    task_id = next(s.card_of for s in sent if s.card_of)
    bot.clock.advance(timedelta(minutes=30))
    await tick(bot)
    sent = await bot.say(ELDER, f"我来 #{task_id}", private=True)
    assert any(s.card_of == task_id for s in sent), "the claim went through"
    checkin = (await bot.repo.checkins_between(START.date(), START.date()))[0]
    assert checkin.state is CheckinState.ANSWERED  # and it still counted as a sign of life


async def test_care_notes_go_privately_to_whoever_is_asked_to_knock(bot) -> None:
    """耳背,敲门要用力: the volunteers at the door learn it; no group ever does."""
    elder = await bot.repo.find_person_by_name(ELDER) or await bot.repo.resolve_identity(
        "console", ELDER, ELDER
    )
    await bot.repo.add_care_note(elder.id, "耳背,敲门要用力", None, bot.clock.now())
    seen = await climb_to(bot, LadderStep.VOLUNTEERS)
    asked = seen[LadderStep.VOLUNTEERS]
    assert recipients(asked) == ["小李", "小王"]
    assert all("耳背,敲门要用力" in s.text for s in asked)
    assert not in_groups([s for step in seen.values() for s in step])
