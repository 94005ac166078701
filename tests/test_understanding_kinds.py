"""The kinds of messages the first model got wrong (issue "Understanding that holds on messages
nobody has seen"), each with examples written for this test and kept out of the corpus."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from handlers.understanding.actions import names_a_release
from handlers.understanding.understand import Intent, understand

TZ = timezone(timedelta(hours=8))
THURSDAY = datetime(2026, 12, 10, 14, 0, tzinfo=TZ)


def _read(text: str, now: datetime = THURSDAY) -> tuple[str, str | None, str | None]:
    u = understand(text, now)
    return u.intent.value, u.category, u.urgency


# Emergencies told by the state of the person or place, not a keyword.
STATES = [
    "楼下刘姨坐在凳子上 怎么叫都没反应 身子软软的往下滑",
    "我爸在浴缸里坐着起不来了 水都凉了 一直喊冷 5栋302",
    "隔壁大爷两天没出门 门口饭盒还挂着 贴门听到里面在哼",
    "二十楼天台边上坐着个小伙子 一只脚在栏杆外面",
    "我妈有老年痴呆 刚才开门倒个垃圾人就没了 穿红棉袄",
    "佢跌低咗 起唔到身 叫佢都冇反應 7座1203",
    "我女儿给我发消息说以后别找她了 电话关机 她住3栋1801",
    "厨房里一股臭鸡蛋味 越来越冲 我头有点晕",
    "my dad is on the bathroom floor and can't get up, he's confused, 6-2-401",
    "楼道里全是黑烟 看不清楼梯 12楼",
    # Forwarded, but happening now: the forward is the alarm.
    "转发物业群: 6号楼17层冒黑烟 消防车在路上 楼上的住户走楼梯下来 别坐电梯",
    "Smoke pouring out of the bin room on level 2 and the alarm is ringing. NOT a drill",
    "他抽过去了 嘴唇发白",
]

# Look like emergencies, are not: past, drills and notices, first-aid questions, hyperbole.
NOT_NOW = [
    "上个月那次停电把电梯困住的事 物业说赔偿方案出来了",
    "周六上午小区消防演习 会有烟雾和警报声 大家别紧张",
    "燃气公司下周一上门检查管道 家里请留人",
    "请问老人突然晕倒了 应该先做什么 想提前学一下",
    "转发:冬季防一氧化碳中毒小常识 门窗别关太严",
    "我婆婆前天摔了一跤 拍了片子没事 谢谢大家关心",
    "笑死我了 救命 这个视频太好笑了",
    "转发:下周三上午消防演练 警报响了请从楼梯下楼 不要坐电梯",
    "加班加到想死 还有两天才放假",
    "小孙子骑车摔了一下 膝盖破了点皮 人没事",
]


@pytest.mark.parametrize("text", STATES)
def test_danger_told_by_a_state_is_an_emergency(text: str) -> None:
    u = understand(text, THURSDAY)
    assert u.intent is Intent.EMERGENCY, text
    assert u.urgency == "urgent" and u.emergency_kind


@pytest.mark.parametrize("text", NOT_NOW)
def test_danger_words_that_are_not_danger_now(text: str) -> None:
    assert understand(text, THURSDAY).intent is not Intent.EMERGENCY, text


@pytest.mark.parametrize("text", ["还是头晕", "还是有点头晕", "今天又咳嗽", "有点不舒服"])
def test_a_bare_mild_complaint_is_never_an_alarm(text: str) -> None:
    # however sure the model is: it is news for the check-in pair, not a call for staff
    assert understand(text, THURSDAY).intent is not Intent.EMERGENCY, text


def test_stepping_back_from_a_task_is_no_alarm_unless_danger_is_named() -> None:
    assert understand("Sorry, something came up, I can't make it", THURSDAY).intent is not Intent.EMERGENCY
    assert understand("我去不了了 我妈刚晕倒了 叫不醒", THURSDAY).intent is Intent.EMERGENCY
    assert names_a_release("去不了了 单位加班") and not names_a_release(
        "我放弃了 太累了"
    )  # giving up may be despair


def test_hyperbole_over_a_nuisance_is_an_urgent_repair_request() -> None:
    assert _read("急死人了 厨房下水道又堵了 水都倒灌了 谁会通") == ("request", "repair", "urgent")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # 有人/谁…能…吗 asks, even with the writer's own plans or 顺便 in it
        ("我周五要值班 有人能帮我接下孩子吗", "request"),
        ("谁下午去菜市场 能顺便帮我捎两斤鸡蛋吗", "request"),
        # 需要…的可以找我 offers
        ("需要量血压的老人可以找我 我是退休护士 周末都在", "offer"),
        ("我每天早上去早市 需要带菜的可以跟我说", "offer"),
        # group-buys and ads are not offers
        ("今晚团购砂糖橘 五斤起 需要的接龙", "other"),
        ("专业上门理发 30元一位 电话微信同号", "other"),
    ],
)
def test_request_offer_or_neither(text: str, intent: str) -> None:
    assert understand(text, THURSDAY).intent.value == intent, text


# Needs stated without asking are the model's weakest requests (issue closing note): most, not all.
UNASKED_NEEDS = [
    "卫生间灯泡烧了 我这腰踩不了凳子",
    "降压药就剩一顿了 女儿在外地",
    "米缸见底了 这几天腿疼下不去楼",
    "家里网断了 孙子不在 我也不会弄",
    "快递在门口放三天了 我拿不动",
    "头发长得盖耳朵了 腿脚不便出不了门",
]


def test_most_needs_stated_without_asking_are_requests() -> None:
    read = [understand(text, THURSDAY).intent for text in UNASKED_NEEDS]
    assert read.count(Intent.REQUEST) >= 4, list(zip(UNASKED_NEEDS, read, strict=True))
    assert Intent.EMERGENCY not in read


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("下周二我爸去医院复查 谁能陪他去一趟 他耳朵背", "medical_escort"),
        ("我妈一个人在家闷 谁有空去陪她聊聊天", "companionship"),
        ("交水费的那个小程序我点不开 谁能教教我", "tech_help"),
        ("谁能帮我去社区医院取一下降糖药 处方在我这", "medicine"),
    ],
)
def test_categories_that_were_confused(text: str, category: str) -> None:
    intent, got, _ = _read(text)
    assert (intent, got) == ("request", category), text


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # the help's own clause, not a side remark or the past
        ("我明天一早要出差 谁今晚能帮我把垃圾带下去", "12-10 18:00", "12-10 22:00"),
        ("早上去菜场忘了买姜 谁能帮我带一块", None, None),
        # 一下 before 周X; lists of days; a window that ends at a clock time
        ("谁能帮我看一下周六的火车票 我不会在手机上买", "12-12 08:00", "12-12 20:00"),
        ("周五或者周一上午 谁能陪我去银行", "12-11 08:00", "12-11 12:00"),
        ("今晚谁能帮我看会儿孙子 看到九点就行", "12-10 18:00", "12-10 21:00"),
        # deadlines start now; Cantonese day words
        ("明早9点前谁能帮我把材料送到居委会", "12-10 14:00", "12-11 09:00"),
        ("聽日下晝有冇人可以幫我去街市買餸", "12-11 13:00", "12-11 18:00"),
        ("明天下午三点 谁能帮我取个快递", "12-11 15:00", "12-11 16:00"),
    ],
)
def test_the_window_is_the_help_asked_for(text: str, start: str | None, end: str | None) -> None:
    u = understand(text, THURSDAY)
    assert u.intent is Intent.REQUEST, text
    got = (f"{u.when[0]:%m-%d %H:%M}", f"{u.when[1]:%m-%d %H:%M}") if u.when else (None, None)
    assert got == (start, end), text


def test_parse_reports_confidence_and_the_kind_of_danger() -> None:
    from handlers.understanding.understand import parse_line

    line = parse_line('{"text": "5号楼有人晕倒了 叫不醒", "now": "2026-12-10T14:00:00+08:00"}')
    assert '"emergency_kind": "unconscious"' in line and '"confidence": ' in line
