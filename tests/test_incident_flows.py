"""Emergencies as incidents: E numbers, advice by kind, acknowledged, resolved, escalated when unanswered."""

from __future__ import annotations

from datetime import timedelta

from handlers.emergency.incidents import escalate_incidents
from storage.models import IncidentState, TaskState
from tests.checkin_support import register, tick
from tests.conftest import GROUP, STAFF, BotHarness


def in_chat(sent: list, chat: str, private: bool = False) -> list:
    return [s for s in sent if s.chat.chat_id == chat and s.chat.private == private]


async def incident(bot: BotHarness, number: int = 1) -> IncidentState:
    found = await bot.repo.get_incident(number)
    assert found is not None
    return found.state


async def test_a_fall_is_incident_e1_with_the_room_and_medical_advice(bot: BotHarness) -> None:
    sent = await bot.say("小陈", "302李大爷摔倒了")
    group = in_chat(sent, GROUP)[0].text
    assert "E1" in group and "120" in group and "302" in group and "不要随意搬动" in group
    assert "#" not in group
    alarm = in_chat(sent, STAFF, private=True)[0]
    assert alarm.text.startswith("🚨 紧急 E1") and "302李大爷摔倒了" in alarm.text
    assert [b.label for b in alarm.buttons] == ["我去处理", "送医", "平安", "误报"]
    assert await incident(bot) is IncidentState.REPORTED


async def test_staff_acknowledge_privately_the_group_is_told_then_resolve_with_an_outcome(
    bot: BotHarness,
) -> None:
    await bot.say("小陈", "快来人!5号楼302李大爷摔倒了起不来")
    sent = await bot.say(STAFF, "收到,我马上过去", private=True)
    assert any("张书记 已确认,正在赶往现场" in s.text for s in in_chat(sent, GROUP))
    assert "E1" in in_chat(sent, STAFF, private=True)[0].text
    assert await incident(bot) is IncidentState.ACKNOWLEDGED
    sent = await bot.say(STAFF, "已送医", private=True)
    assert any("E1 已处理:送医" in s.text for s in in_chat(sent, GROUP))
    assert in_chat(sent, STAFF, private=True)
    found = await bot.repo.get_incident(1)
    assert found is not None and found.state is IncidentState.RESOLVED and found.outcome == "hospital"
    task = await bot.repo.get_task(found.task_id)
    assert task is not None and task.state is TaskState.CONFIRMED


async def test_buttons_acknowledge_and_resolve(bot: BotHarness) -> None:
    sent = await bot.say("小陈", "3号楼厨房着火了,好大的烟")
    alarm = in_chat(sent, STAFF, private=True)[0]
    toast = await bot.console.press(STAFF, alarm, "我去处理")
    await bot.app.wait_idle()
    assert toast
    sent = bot.console.pop()
    assert any("已确认" in s.text for s in in_chat(sent, GROUP))
    await bot.console.press(STAFF, alarm, "误报")
    await bot.app.wait_idle()
    sent = bot.console.pop()
    assert any("误报" in s.text for s in in_chat(sent, GROUP))
    assert await incident(bot) is IncidentState.RESOLVED


async def test_staff_reply_in_the_group_acknowledges_and_done_asks_the_outcome(bot: BotHarness) -> None:
    await bot.say("小陈", "李大爷晕倒了 叫不醒")
    sent = await bot.say(STAFF, "收到")
    assert any("已确认" in s.text for s in in_chat(sent, GROUP))
    sent = await bot.say(STAFF, "完成")
    assert "送医" in sent[0].text and sent[0].buttons
    sent = await bot.say(STAFF, "人没事了 平安")
    assert any("E1 已处理:平安" in s.text for s in in_chat(sent, GROUP))


async def test_claiming_an_emergency_is_not_a_task(bot: BotHarness) -> None:
    sent = await bot.say("小陈", "快来人!5号楼302李大爷摔倒了起不来")
    report = sent[0].reply_to
    sent = await bot.say("小李", "我来", reply_to=report)
    assert "不用接单" in sent[0].text
    assert await incident(bot) is IncidentState.REPORTED
    task = await bot.repo.get_task(1)
    assert task is not None and task.state is TaskState.OPEN and task.claimer_id is None


async def test_advice_by_kind(bot: BotHarness) -> None:
    gas = in_chat(await bot.say("小陈", "3号楼1单元401有煤气味"), GROUP)[0].text
    assert (
        "不要开关" in gas
        and "开门窗" in gas.replace("打开门窗", "开门窗")
        and "燃气公司" in gas
        and "119" in gas
    )
    assert "3号楼 1单元 401" in gas
    bot.console.pop()
    pipe = in_chat(await bot.say("小陈", "楼上水管爆了 水漫到楼道了"), GROUP)[0].text
    assert "总水阀" in pipe and "物业" in pipe and "拨打 119" not in pipe
    missing = in_chat(await bot.say("小陈", "我爸有老年痴呆 早上出门到现在没回来"), GROUP)[0].text
    assert "110" in missing and "衣服" in missing and "最后见到" in missing
    assert "附近的邻居请立即去看看" not in missing


async def test_unacknowledged_alarm_calls_the_next_people_then_the_group(bot: BotHarness) -> None:
    await register(bot)
    sent = await bot.say("小陈", "快来人!王奶奶在楼道里摔倒了")
    assert in_chat(sent, "小李", private=True)  # the pair hear at once (as before)
    bot.clock.advance(timedelta(minutes=4))
    assert await tick(bot, escalate_incidents) == []
    bot.clock.advance(timedelta(minutes=2))
    sent = await tick(bot, escalate_incidents)
    assert any("6 分钟" in s.text for s in in_chat(sent, STAFF, private=True))
    assert in_chat(sent, "王小明", private=True) or in_chat(sent, "小李", private=True)
    bot.clock.advance(timedelta(minutes=5))
    sent = await tick(bot, escalate_incidents)
    assert any("还没有人确认" in s.text for s in in_chat(sent, GROUP))
    bot.clock.advance(timedelta(minutes=30))
    assert await tick(bot, escalate_incidents) == []


async def test_a_paired_volunteer_acknowledges_and_no_escalation_follows(bot: BotHarness) -> None:
    await register(bot)
    await bot.say("小陈", "快来人!王奶奶在楼道里摔倒了")
    sent = await bot.say("小李", "收到 我马上过去", private=True)
    assert any("小李 已确认" in s.text for s in in_chat(sent, GROUP))
    assert await incident(bot) is IncidentState.ACKNOWLEDGED
    bot.clock.advance(timedelta(minutes=20))
    assert await tick(bot, escalate_incidents) == []


async def test_a_neighbours_received_is_not_an_acknowledgement(bot: BotHarness) -> None:
    await bot.say("小陈", "快来人!5号楼302李大爷摔倒了起不来")
    assert await bot.say("邻居老赵", "收到") == []
    assert await incident(bot) is IncidentState.REPORTED


async def test_the_digest_lists_incidents_with_response_times(bot: BotHarness) -> None:
    from handlers.digest.digest import make_digest, render

    await bot.say("小陈", "快来人!5号楼302李大爷摔倒了起不来")
    bot.clock.advance(timedelta(minutes=3))
    await bot.say(STAFF, "收到 我马上过去", private=True)
    bot.clock.advance(timedelta(minutes=30))
    await bot.say(STAFF, "送医了", private=True)
    await bot.say("小陈", "3号楼厨房着火了,好大的烟")
    bot.console.pop()
    text = render(await make_digest(bot.app.ctx, bot.clock.now().date()))
    assert "紧急情况 2 起" in text
    assert "E1 5号楼 302" in text and "3 分钟后 张书记 确认前往" in text and "09:33 送医" in text
    assert "E2" in text and "无人确认" in text
    assert "平均 3 分钟" in text
    assert "待接单" not in text  # an emergency is not listed as a task waiting for a claim


async def test_staff_lists_of_tasks_and_incidents(bot: BotHarness) -> None:
    await bot.say("王奶奶", "3号楼502王奶奶想请人明天上午帮忙买点菜")
    await bot.say("小陈", "快来人!5号楼302李大爷摔倒了起不来")
    await bot.say(STAFF, "收到", private=True)
    bot.console.pop()
    sent = await bot.say(STAFF, "/tasks", private=True)
    assert "#1" in sent[0].text and "待接单" in sent[0].text and "#2" not in sent[0].text
    sent = await bot.say(STAFF, "/incidents", private=True)
    assert "E1" in sent[0].text and "张书记 已前往" in sent[0].text
    sent = await bot.say(STAFF, "/incidents")
    assert in_chat(sent, STAFF, private=True) and "私聊" in in_chat(sent, GROUP)[0].text
    sent = await bot.say("小李", "/incidents", private=True)
    assert "只有社区工作人员" in sent[0].text
    sent = await bot.say(STAFF, "/help", private=True)
    assert "/incidents" in sent[0].text and "/tasks" in sent[0].text


async def test_staff_completing_a_task_near_an_open_emergency_completes_the_task(bot: BotHarness) -> None:
    await bot.say("王奶奶", "谁能帮我明天上午买点菜")
    await bot.reply(STAFF, 1, "我来")
    await bot.say("小陈", "3号楼 李大爷晕倒了 叫不醒")
    bot.console.pop()
    await bot.say(STAFF, "完成 #1")
    task = await bot.repo.get_task(1)
    assert task is not None and task.state is TaskState.DONE
    assert await incident(bot) is IncidentState.REPORTED
    bot.console.pop()
