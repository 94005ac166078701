"""Time windows per CONTRACT.md: future-biased, in the zone of `now`, Chinese and English alike."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from handlers.understanding.lexicon import normalise
from handlers.understanding.timeparse import cn_to_int, parse_duration, parse_when

TZ = timezone(timedelta(hours=8))

# (now as "MM-DD HH:MM" in 2026, Asia/Shanghai; 11-25 is a Wednesday), text,
# expected "MM-DD HH:MM~MM-DD HH:MM" (a prefix is enough when only the start matters).
WINDOWS = [
    ("11-25 10:00", "下午3点", "11-25 15:00~11-25 16:00"),
    ("11-25 10:00", "3点半", "11-25 15:30~11-25 16:30"),
    ("11-25 10:00", "15:30", "11-25 15:30~11-25 16:30"),
    ("11-25 10:00", "三点能来吗", "11-25 15:00"),
    ("11-25 11:00", "十点", "11-26 10:00"),
    ("11-25 10:00", "2点到4点", "11-25 14:00~11-25 16:00"),
    ("11-25 10:00", "明天9-11点", "11-26 09:00~11-26 11:00"),
    ("11-25 10:00", "现在", "11-25 10:00~11-25 11:00"),
    ("11-25 10:00", "马上来", "11-25 10:00~11-25 11:00"),
    ("11-25 10:00", "can you come right now", "11-25 10:00~11-25 11:00"),
    ("11-25 10:00", "每周六上午", "11-28 08:00~11-28 12:00"),
    ("11-25 10:00", "tomorrow afternoon", "11-26 13:00~11-26 18:00"),
    ("11-25 10:00", "this Saturday", "11-28 08:00~11-28 20:00"),
    ("11-25 10:00", "next Monday", "11-30 08:00~11-30 20:00"),
    ("11-25 10:00", "at 3pm", "11-25 15:00~11-25 16:00"),
    ("11-25 10:00", "tonight", "11-25 18:00~11-25 22:00"),
    ("11-25 10:00", "今晚", "11-25 18:00~11-25 22:00"),
    ("11-25 10:00", "明早", "11-26 06:00~11-26 09:00"),
    ("11-25 10:00", "明晚7点前", "11-25 10:00~11-26 19:00"),  # a deadline starts now
    ("11-25 10:00", "大后天", "11-28 08:00~11-28 20:00"),
    ("11-25 10:00", "大後天", "11-28 08:00~11-28 20:00"),
    ("11-25 10:00", "週五", "11-27 08:00~11-27 20:00"),
    ("11-25 10:00", "周三", "11-25 10:00~11-25 20:00"),  # today, said at 10:00: the rest of its daytime
    ("11-25 10:00", "周一", "11-30 08:00~11-30 20:00"),
    ("11-25 10:00", "星期一", "11-30 08:00~11-30 20:00"),
    ("11-25 10:00", "礼拜天", "11-29 08:00~11-29 20:00"),
    ("11-25 10:00", "下周三", "12-02 08:00~12-02 20:00"),
    ("11-25 10:00", "下下周三", "12-09 08:00~12-09 20:00"),
    ("11-25 10:00", "这周五", "11-27 08:00~11-27 20:00"),
    ("11-25 10:00", "本周五", "11-27 08:00~11-27 20:00"),
    ("11-25 10:00", "11月28日", "11-28 08:00~11-28 20:00"),
    ("11-25 10:00", "28号", "11-28 08:00~11-28 20:00"),
    ("11-25 10:00", "3号", "12-03 08:00~12-03 20:00"),
    ("11-25 10:00", "12/3", "12-03 08:00~12-03 20:00"),
    ("11-25 10:00", "十二月三号", "12-03 08:00~12-03 20:00"),
    ("11-25 10:00", "12月3号下午两点", "12-03 14:00~12-03 15:00"),
    ("11-25 10:00", "今天夜里", "11-25 22:00~11-26 06:00"),
    ("11-25 10:00", "半夜", "11-25 22:00~11-26 06:00"),
    ("11-25 10:00", "傍晚", "11-25 17:00~11-25 19:00"),
    ("11-25 10:00", "中午", "11-25 11:00~11-25 13:00"),
    ("11-25 10:00", "中午12点", "11-25 12:00~11-25 13:00"),
    ("11-25 10:00", "中午1点", "11-25 13:00~11-25 14:00"),
    ("11-25 10:00", "早上", "11-26 06:00~11-26 09:00"),
    ("11-25 10:00", "上午", "11-25 08:00~11-25 12:00"),
    ("11-25 15:00", "上午", "11-26 08:00~11-26 12:00"),
    ("11-25 15:00", "下午", "11-25 13:00~11-25 18:00"),
    ("11-25 19:00", "8点", "11-25 20:00~11-25 21:00"),
    ("11-25 19:00", "下午", "11-26 13:00~11-26 18:00"),
    ("11-25 10:00", "tonight from 7 to 9", "11-25 19:00~11-25 21:00"),
    ("11-25 10:00", "晚上7点到9点", "11-25 19:00~11-25 21:00"),
    ("11-25 10:00", "上午9点至11点", "11-25 09:00~11-25 11:00"),
    ("11-25 10:00", "明天上午9点到下午3点", "11-26 09:00~11-26 15:00"),
    ("11-25 10:00", "tomorrow", "11-26 08:00~11-26 20:00"),
    ("11-25 10:00", "today", "11-25 10:00~11-25 20:00"),
    ("11-25 10:00", "tomorrow morning", "11-26 08:00~11-26 12:00"),
    ("11-25 10:00", "friday evening", "11-27 18:00~11-27 22:00"),
    ("11-25 10:00", "Friday night", "11-27 18:00~11-27 22:00"),
    ("11-25 10:00", "2-4pm", "11-25 14:00~11-25 16:00"),
    ("11-25 10:00", "between 2 and 4 pm", "11-25 14:00~11-25 16:00"),
    ("11-25 10:00", "Dec 3", "12-03 08:00~12-03 20:00"),
    ("11-25 10:00", "on December 3rd", "12-03 08:00~12-03 20:00"),
    ("11-25 10:00", "明天上午十点半", "11-26 10:30~11-26 11:30"),
    ("11-25 10:00", "明天十点一刻", "11-26 10:15~11-26 11:15"),
    ("11-25 10:00", "两天后", "11-27 08:00~11-27 20:00"),
    ("11-25 10:00", "周末", "11-28 08:00~11-29 20:00"),
    ("11-25 10:00", "下周末", "12-05 08:00"),
    ("11-25 10:00", "this weekend", "11-28 08:00"),
    ("11-25 10:00", "明儿个", "11-26 08:00~11-26 20:00"),
    ("11-25 10:00", "明儿上午", "11-26 08:00~11-26 12:00"),
    ("11-25 10:00", "今天下午三点钟", "11-25 15:00~11-25 16:00"),
    ("11-25 10:00", "每天上午", "11-25 08:00~11-25 12:00"),
    ("11-25 10:00", "1月5号", "01-05 08:00~01-05 20:00"),
    ("11-25 10:00", "明天早上7点", "11-26 07:00~11-26 08:00"),
    ("11-25 10:00", "明天晚上7点", "11-26 19:00~11-26 20:00"),
    ("11-25 10:00", "夜里11点", "11-25 23:00~11-26 00:00"),
    ("11-25 10:00", "凌晨3点", "11-26 03:00~11-26 04:00"),
    ("11-25 10:00", "晚上八点以后来", "11-25 20:00~11-25 21:00"),
    ("11-26 10:00", "九点以前", "11-26 10:00~11-26 21:00"),
    ("11-25 10:00", "10点左右", "11-25 10:00~11-25 11:00"),
    ("11-25 10:00", "早上7点半", "11-26 07:30~11-26 08:30"),
    ("11-25 10:00", "中午12点半", "11-25 12:30~11-25 13:30"),
    ("11-25 10:00", "下午2:30", "11-25 14:30~11-25 15:30"),
    ("11-25 10:00", "14:00-16:00", "11-25 14:00~11-25 16:00"),
    ("11-25 10:00", "周六下午2点到4点", "11-28 14:00~11-28 16:00"),
    ("11-25 10:00", "这个礼拜六", "11-28 08:00~11-28 20:00"),
    ("11-25 10:00", "星期天下午", "11-29 13:00~11-29 18:00"),
    ("11-25 10:00", "本周日", "11-29 08:00~11-29 20:00"),
    ("11-25 10:00", "下个礼拜一", "11-30 08:00~11-30 20:00"),
    ("11-25 10:00", "明天一早", "11-26 06:00~11-26 09:00"),
    ("11-25 10:00", "后天早上8点", "11-27 08:00~11-27 09:00"),
    ("11-03 10:00", "下个月5号", "12-05 08:00~12-05 20:00"),
    ("11-25 10:00", "Saturday morning", "11-28 08:00~11-28 12:00"),
    ("11-25 10:00", "on Sunday afternoon", "11-29 13:00~11-29 18:00"),
    ("11-25 10:00", "next Tuesday at 10am", "12-01 10:00~12-01 11:00"),
    ("11-25 10:00", "tomorrow at 9", "11-26 09:00~11-26 10:00"),
    ("11-25 10:00", "at 7:30 tonight", "11-25 19:30~11-25 20:30"),
    ("11-25 10:00", "this evening", "11-25 18:00~11-25 22:00"),
    ("11-25 10:00", "tmr", "11-26 08:00~11-26 20:00"),
    ("11-25 10:00", "tmrw afternoon", "11-26 13:00~11-26 18:00"),
    ("11-25 10:00", "later today", "11-25 10:00~11-25 20:00"),
    ("11-25 10:00", "今天之内", "11-25 10:00~11-25 20:00"),
    ("11-25 10:00", "下午三点前后", "11-25 15:00~11-25 16:00"),
    ("11-25 10:00", "四点钟", "11-25 16:00~11-25 17:00"),
    ("11-25 10:00", "明天白天", "11-26 08:00~11-26 20:00"),
    ("11-25 10:00", "今儿下午", "11-25 13:00~11-25 18:00"),
    ("11-25 10:00", "今儿晚上", "11-25 18:00~11-25 22:00"),
    ("11-25 10:00", "1点", "11-25 13:00~11-25 14:00"),
    ("11-25 10:00", "1点到3点", "11-25 13:00~11-25 15:00"),
    ("11-25 10:00", "现在就过来", "11-25 10:00~11-25 11:00"),
    ("11-25 10:00", "马上", "11-25 10:00~11-25 11:00"),
    ("11-25 10:00", "周六上午九点", "11-28 09:00~11-28 10:00"),
    ("11-25 10:00", "周六九点", "11-28 09:00~11-28 10:00"),
    ("11-25 10:00", "周六三点", "11-28 15:00~11-28 16:00"),
    ("11-25 10:00", "28日", "11-28 08:00~11-28 20:00"),
    ("11-25 10:00", "12.10", "12-10 08:00~12-10 20:00"),
    ("11-25 10:00", "11.26", "11-26 08:00~11-26 20:00"),
    ("11-25 10:00", "上周三摔了 下周一想找人陪我复查", "11-30 08:00~11-30 20:00"),
    ("11-25 10:00", "两点半到四点", "11-25 14:30~11-25 16:00"),
    ("11-25 10:00", "3点到5点之间", "11-25 15:00~11-25 17:00"),
    ("11-25 10:00", "下午3-5点", "11-25 15:00~11-25 17:00"),
    ("11-25 10:00", "明天上午10:00-11:30", "11-26 10:00~11-26 11:30"),
    ("11-25 10:00", "我昨天摔了一跤 今天想找人陪我去医院", "11-25 10:00~11-25 20:00"),
    ("11-25 10:00", "晚上12点", "11-26 00:00~11-26 01:00"),
    ("11-25 10:00", "夜里11点到1点", "11-25 23:00~11-26 01:00"),
    ("11-25 10:00", "上午9点到下午3点", "11-25 09:00~11-25 15:00"),
]
NO_TIME = [
    "清淡一点",
    "一点都不漏了",
    "买点菜",
    "照看两个小时孩子",
    "每周两三次",
    "我住5号楼301",
    "5-1-302",
    "电话13812345678",
    "Building 6, unit 2, 1202",
    "my 3-year-old",
    "一周一次就行",
    "三号楼",
    "He's 85, lives on the 6th floor",
    "一天三顿饭",
    "现在好多了",
    "送几天饭",
    "快一点",
    "有两点要注意",
    "30枚只要25元",
    "日赚300",
    "过几天",
    "最近",
    "1.5公斤",
    "3.5元一斤",
]


def _now(stamp: str) -> datetime:
    return datetime.strptime(f"2026-{stamp}", "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def _fmt(window: tuple[datetime, datetime] | None) -> str:
    return f"{window[0]:%m-%d %H:%M}~{window[1]:%m-%d %H:%M}" if window else "-"


@pytest.mark.parametrize(("now", "text", "expected"), WINDOWS)
def test_windows(now: str, text: str, expected: str) -> None:
    assert _fmt(parse_when(normalise(text), _now(now))).startswith(expected)


@pytest.mark.parametrize("text", NO_TIME)
def test_numbers_that_are_not_times(text: str) -> None:
    assert parse_when(normalise(text), _now("11-25 10:00")) is None


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        ("12-20 11:00", "元旦那天谁能帮我贴春联", "01-01 08:00~01-01 20:00"),
        ("12-20 11:00", "On New Year's Day could someone visit my grandma", "01-01 08:00~01-01 20:00"),
        ("12-20 13:00", "平安夜晚上谁能帮我看孩子", "12-24 18:00~12-24 22:00"),
        ("12-26 09:00", "圣诞节谁有空", "12-25 08:00"),  # this year's is past: next year's (2027)
        ("12-15 12:00", "冬至那天谁能帮我包饺子", "12-22 08:00~12-22 20:00"),
        ("12-15 12:00", "冬至前谁能帮我扛羊肉", "12-15 12:00~12-22 20:00"),  # a deadline starts now
        ("12-20 11:00", "除夕那天谁能来帮我包饺子", "02-05 08:00~02-05 20:00"),  # 2027's Spring Festival eve
        ("12-20 11:00", "大年初二谁能帮我看下家", "02-07 08:00"),
        ("12-20 11:00", "初五那天我值班 有人能帮我接孩子吗", "02-10 08:00"),
        ("12-20 11:00", "元宵节一起包汤圆", "02-20 08:00"),
        ("12-20 11:00", "31号那天谁能帮我买春联", "12-31 08:00~12-31 20:00"),  # 那天 here is ahead
        ("12-21 18:00", "大后儿 谁能帮我看会儿孩子", "12-24 08:00"),
        ("12-14 16:00", "明后日啥人有空帮阿拉姆妈配药", "12-15 08:00"),
        ("12-14 18:20", "等陣有冇人可以幫我收個快遞", "12-14 18:20~12-14 19:20"),
        ("12-14 10:00", "等哈哪个帮我提一下菜上楼嘛", "12-14 10:00~12-14 11:00"),
        ("12-05 17:00", "即刻要人幫手送飯俾樓下陳伯", "12-05 17:00~12-05 18:00"),
        ("12-22 12:15", "谁能 now 帮我下去拿个外卖", "12-22 12:15~12-22 13:15"),
        # a moment from now: an hour from then, as a clock time
        ("12-24 11:40", "二十分钟以后谁在小区门口 帮我接一下我爸", "12-24 12:00~12-24 13:00"),
        ("12-24 11:40", "一个半小时之后有人能帮我收快递吗", "12-24 13:10~12-24 14:10"),
        ("12-24 11:40", "can someone help me in 20 minutes", "12-24 12:00~12-24 13:00"),
        ("12-02 20:00", "anyone can fix a leaking toilet this wknd??", "12-05 08:00~12-06 20:00"),
        # the day of the clause that asks, not of the writer's own event
        ("12-08 16:20", "明天停水 我一个人拎不动 谁能今晚帮我接几桶水搬进屋", "12-08 18:00~12-08 22:00"),
        (
            "12-25 07:30",
            "遭了遭了 明天要去相亲 头发剪得像狗啃的 今天下午哪个会剪 急",
            "12-25 13:00~12-25 18:00",
        ),
        ("12-30 08:12", "急 明天娃儿要交的作文一个字没写 今晚要人辅导", "12-30 18:00~12-30 22:00"),
        ("11-25 10:00", "谁明天有空 下午三点", "11-26 15:00"),  # a time in a clause of its own still counts
        ("12-26 10:00", "明天要拍全家福 老爷子头发乱得不行 今天必须剪一下 谁会剪", "12-26 10:00~12-26 20:00"),
        ("12-15 17:00", "谁会修自行车 明天要骑去上班 今晚一定要补好", "12-15 18:00~12-15 22:00"),
        ("11-25 10:00", "我明天必须上班 谁能今晚帮我遛狗", "11-25 18:00~11-25 22:00"),
        ("12-22 11:00", "下午两点半谁能帮我把孩子从幼儿园接回来 今天提前放学 急", "12-22 14:30~12-22 15:30"),
        (
            "12-28 20:00",
            "这周六一整天我都在家 大家有啥需要搭把手的 喊我",
            "01-02 08:00~01-02 20:00",
        ),  # 六一整天
        ("11-19 17:30", "谁家有一号电池 马上要做饭", "11-19 17:30~11-19 18:30"),  # a battery size, no date
        # deadlines: 截止到…, this month / week, 夜饭前, before 6
        ("12-15 09:00", "帮我去居委会交一下医保 截止到这个月底", "12-15 09:00~12-31 20:00"),
        ("12-07 21:02", "有人能陪我跑一趟医院吗 不急 这个月内就行", "12-07 21:02~12-31 20:00"),
        ("12-14 10:00", "我有护工证 可以上门教你们翻身拍背 这周内都有空", "12-14 10:00~12-20 20:00"),
        ("11-18 10:23", "急 姆妈的降压药吃光了 夜饭前一定要送到", "11-18 10:23~11-18 18:00"),
        ("11-08 15:00", "toilet's clogged, need it sorted before 6.", "11-08 15:00~11-08 18:00"),
        ("12-12 22:05", "等下 anyone 去 全家? 帮我带个热水袋", "12-12 22:05~12-12 23:05"),
        ("12-27 15:00", "新年第一天我在社区义务理发 欢迎大家来", "01-01 08:00~01-01 20:00"),
    ],
)
def test_holidays_and_dialect_soon_words(now: str, text: str, expected: str) -> None:
    assert _fmt(parse_when(normalise(text), _now(now))).startswith(expected)


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        # English day abbreviations: tue/thurs/fri always, sat/sun/wed/mon beside a time
        ("12-08 10:00", "need a lift to the airport thurs at 5am", "12-10 05:00~12-10 06:00"),
        ("12-08 10:00", "anyone free fri evening to sit with my dad", "12-11 18:00~12-11 22:00"),
        ("12-08 10:00", "driving back sat morning, 2 seats free", "12-12 08:00~12-12 12:00"),
        ("12-08 10:00", "can someone queue for tickets sat 8am", "12-12 08:00~12-12 09:00"),
        ("12-08 10:00", "pls bring the form by 10am sat", "12-08 10:00~12-12 10:00"),
        (
            "12-08 10:00",
            "my parents toilet keeps running, anyone handy sun morning?",
            "12-13 08:00~12-13 12:00",
        ),
        ("12-08 10:00", "anyone near the north gate rn? my dad's waiting", "12-08 10:00~12-08 11:00"),
        ("12-08 10:00", "need a hand with boxes this arvo", "12-08 13:00~12-08 18:00"),
        # dialect parts of the day and days
        ("12-08 10:00", "礼拜天后晌谁给俺闺女讲讲题", "12-13 13:00~12-13 18:00"),
        ("12-08 10:00", "冰箱顶上的灰 谁个儿高帮俺擦擦 傍黑儿来就行", "12-08 17:00~12-08 19:00"),
        ("12-08 10:00", "今儿黑谁有空帮俺扛袋面", "12-08 18:00~12-08 22:00"),
        ("12-08 10:00", "俺后个要回老家 谁帮俺给俺娘打针", "12-10 08:00~12-10 20:00"),
        ("12-08 10:00", "阿拉礼拜三夜里向要吃年夜饭 啥人帮阿拉看小囡", "12-09 18:00~12-09 22:00"),
        ("12-08 16:00", "阮阿公欲去銀行 啥人拜三早起有閒陪伊", "12-09 06:00~12-09 09:00"),
        # pinyin time words
        ("12-08 10:00", "shei neng bang wo mai cai, mingtian shangwu", "12-09 08:00~12-09 12:00"),
        ("12-08 10:00", "zhe zhouliu wo qu costco, xuyao dai dongxi de @wo", "12-12 08:00~12-12 20:00"),
        ("12-08 10:00", "wo ma dao hongqiao, xiawu 3 dian, shei neng jie", "12-08 15:00~12-08 16:00"),
        # what the writer says after correcting themself
        (
            "12-10 18:45",
            "谁，礼拜六，不对，礼拜天，上午，能来，帮我，装个，窗帘杆",
            "12-13 08:00~12-13 12:00",
        ),
        ("12-07 21:30", "我明天下午 不对 明天上午有空 谁家要帮忙的 上午找我", "12-08 08:00~12-08 12:00"),
        # the hour told as the time it is now, and what was done earlier today, name no window
        ("12-16 02:10", "凌晨两点了 孩子烧退了 早上谁能帮我去药店买盒退烧贴", "12-16 06:00~12-16 09:00"),
        ("12-03 14:00", "今天上午打了疫苗 胳膊抬不起来 晚上谁能帮我晾下衣服", "12-03 18:00~12-03 22:00"),
        ("12-30 11:30", "今天一早跑了趟社保局 缺个复印件 谁下午顺路帮我再送一趟", "12-30 13:00~12-30 18:00"),
        ("12-28 11:53", "帮我妈买两斤排骨，周六上午送过去就行，钱我转", "01-02 08:00~01-02 12:00"),
        # deadlines: 最晚, 截止是, N天内, in the next N hours
        ("12-21 20:00", "最晚周四 谁能帮我把照片在手机上弄成电子版", "12-21 20:00~12-24 20:00"),
        ("12-08 16:20", "想去老年大学报名 要在网上报 谁帮我弄一下 截止是这周五", "12-08 16:20~12-11 20:00"),
        ("12-07 14:00", "三天内 谁能帮我把疫苗本补登一下", "12-07 14:00~12-10 14:00"),
        ("12-23 10:00", "in the next 2 hrs can anyone lend me a drill?", "12-23 10:00~12-23 12:00"),
        ("12-29 18:40", "can anyone pick up some milk in the next half hour?", "12-29 18:40~12-29 19:10"),
        # New Year's Eve: the western one is 12-31 (its evening for 跨年夜), the Chinese one is 除夕
        (
            "12-27 12:00",
            "New Year's Eve I'll cook dumplings, anyone alone is welcome",
            "12-31 08:00~12-31 20:00",
        ),
        ("12-29 21:00", "跨年夜谁能来陪我们老两口守个岁", "12-31 18:00~12-31 22:00"),
        # a list of days: once today's window is past, the next day of the list, not next week
        ("12-16 22:10", "周三或周五晚上 有没有会吹笛子的 教教我孙子", "12-18 18:00~12-18 22:00"),
        ("12-16 10:00", "周三或周五晚上 有没有会吹笛子的 教教我孙子", "12-16 18:00~12-16 22:00"),
        ("12-27 11:00", "anyone free on Chinese New Year's Eve to make dumplings?", "02-05 08:00"),
    ],
)
def test_abbreviations_dialects_pinyin_corrections_and_deadlines(now: str, text: str, expected: str) -> None:
    assert _fmt(parse_when(normalise(text), _now(now))).startswith(expected)


@pytest.mark.parametrize(
    "text",
    [
        "I sat down on the bench and waited",  # sat, sun, wed and mon alone are words, not days
        "the sun came out, so nice",
        "they wed in spring",
        "去庙里拜一拜 保佑平安",  # 拜一拜 is worship, not Monday
        "之后天气转冷 谁能帮我买件棉衣",  # 之后 + 天气, not 后天
    ],
)
def test_words_that_only_look_like_days(text: str) -> None:
    assert parse_when(normalise(text), _now("12-08 10:00")) is None


def test_a_grade_or_a_past_that_day_names_no_holiday() -> None:
    assert parse_when(normalise("谁能帮我把圣诞树搬下楼"), _now("12-15 12:00")) is None
    assert parse_when(normalise("can anyone help me put up the christmas tree"), _now("12-15 12:00")) is None
    assert parse_when(normalise("谁家有元宵 我想吃"), _now("12-15 12:00")) is None
    assert parse_when(normalise("孩子初三了 谁能辅导一下数学"), _now("12-15 12:00")) is None
    assert parse_when(normalise("那天我摔了一跤 谁能帮我买点药"), _now("12-15 12:00")) is None
    assert parse_when(normalise("手术后谁能陪我聊聊天"), _now("12-15 12:00")) is None


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        # the dev-corpus situations, re-stated
        ("12-31 16:00", "下午两点半来看看好伐", "01-01 14:30~01-01 15:30"),
        ("12-31 16:00", "1月5号上午行吗", "01-05 08:00~01-05 12:00"),
        ("11-29 07:40", "下周六上午", "12-05 08:00~12-05 12:00"),
        ("12-05 18:45", "下週六上午", "12-12 08:00~12-12 12:00"),
        ("12-03 10:20", "每週三下午", "12-09 13:00~12-09 18:00"),
        ("11-29 07:40", "每天上午给他读读报", "11-29 08:00~11-29 12:00"),
        ("12-31 16:00", "中午可以给您送过去", "01-01 11:00~01-01 13:00"),
        ("11-30 13:10", "今天夜里小区主管道维修", "11-30 22:00~12-01 06:00"),
        ("11-30 13:10", "tonight from 7 to 9", "11-30 19:00~11-30 21:00"),
        ("12-05 18:45", "right now", "12-05 18:45~12-05 19:45"),
        # said at the very end of a week / year
        ("11-29 22:00", "周日", "12-06 08:00~12-06 20:00"),
        ("12-31 23:30", "明天上午", "01-01 08:00~01-01 12:00"),
        ("12-31 10:00", "12月3号", "12-03"),
    ],
)
def test_edge_situations(now: str, text: str, expected: str) -> None:
    assert _fmt(parse_when(normalise(text), _now(now))).startswith(expected)


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    [
        # the help's own clause, not a side remark about the writer's plans or the past
        ("12-10 14:00", "我后天要上班 谁能今晚帮我喂下猫", "12-10 18:00~12-10 22:00"),
        ("12-10 14:00", "我儿子下周才回来,这周六谁能陪我去趟医院", "12-12 08:00~12-12 20:00"),
        ("12-10 14:00", "中午出门买东西忘了买盐 谁能帮我带一包", "-"),
        ("12-10 14:00", "昨天下午电视就坏了 有人会修吗", "-"),
        # 一下 before a weekday is not 下周
        ("12-10 14:00", "帮我问一下周六的车票", "12-12 08:00~12-12 20:00"),
        ("12-10 14:00", "麻烦看一下星期五的挂号", "12-11 08:00~12-11 20:00"),
        # a list of days: the soonest of them
        ("12-08 10:00", "周四或者周二下午都行", "12-08 13:00~12-08 18:00"),
        ("12-10 19:00", "周一、周三上午", "12-14 08:00~12-14 12:00"),
        # deadlines start now
        ("12-10 14:00", "晚饭前能送到就行", "12-10 14:00~12-10 18:00"),
        ("12-10 20:00", "明天午饭前", "12-10 20:00~12-11 11:00"),
        ("12-10 14:00", "明早8点前帮我把药取回来", "12-10 14:00~12-11 08:00"),
        ("12-10 14:00", "三个小时内", "12-10 14:00~12-10 17:00"),
        ("12-10 14:00", "半小时内能到吗", "12-10 14:00~12-10 14:30"),
        ("12-10 14:00", "这个月底之前帮我把表交了", "12-10 14:00~12-31 20:00"),
        ("12-10 14:00", "礼拜五之前", "12-10 14:00~12-11 20:00"),
        ("12-10 14:00", "need it by 6pm", "12-10 14:00~12-10 18:00"),
        ("12-10 14:00", "within 2 hours please", "12-10 14:00~12-10 16:00"),
        # soon
        ("12-10 14:00", "等会儿谁能来搭把手", "12-10 14:00~12-10 15:00"),
        ("12-10 14:00", "陪我聊一会儿", "-"),
        # a window that ends at a clock time
        ("12-10 14:00", "今晚帮我照看下孙子 看到10点", "12-10 18:00~12-10 22:00"),
        ("12-10 14:00", "帮我守一下摊 守到四点半", "12-10 14:00~12-10 16:30"),
        # how people speak across China
        ("12-10 14:00", "聽日朝早", "12-11 06:00~12-11 09:00"),
        ("12-10 14:00", "后日下昼", "12-12 13:00~12-12 18:00"),
        ("12-10 14:00", "明朝上半天", "12-11 08:00~12-11 12:00"),
        ("12-10 14:00", "后儿上午", "12-12 08:00~12-12 12:00"),
        ("12-10 14:00", "明儿个下午", "12-11 13:00~12-11 18:00"),
        ("12-10 14:00", "琴日买嘅餸", "-"),
        ("12-10 14:00", "今个得修好 水一直往外冒", "12-10 14:00~12-10 20:00"),
        ("12-10 14:00", "谁明个上午有空", "12-11 08:00~12-11 12:00"),
        ("12-10 14:00", "谁明旦去医院顺路", "12-11 08:00~12-11 20:00"),
        ("12-10 14:00", "今个礼拜六谁有空", "12-12 08:00~12-12 20:00"),
        # voice-to-text runs the ask into its reason: the reason's words are set aside, not the ask's
        ("12-10 14:00", "想找个人后天上午九点陪我去银行我不识字怕填错表", "12-12 09:00~12-12 10:00"),
        ("12-10 14:00", "谁能周六上午帮我看下孩子我担心下午回不来", "12-12 08:00~12-12 12:00"),
        # a word on its own that takes back the time before it
        ("12-10 14:00", "谁明天 不是 后天上午能陪我去医院", "12-12 08:00~12-12 12:00"),
        ("12-10 14:00", "我听日 唔係 后日先去超市 边个要带嘢", "12-12 08:00~12-12 20:00"),
        ("12-10 14:00", "谁 今天 不 明天 下午 能 来", "12-11 13:00~12-11 18:00"),
        # soon, as an offer says it: "I'm driving over in a bit, who needs anything"
        ("12-10 14:00", "我等下开车去超市 谁要带东西", "12-10 14:00~12-10 15:00"),
        ("12-10 14:00", "我一会儿出门 顺便帮大家取快递", "12-10 14:00~12-10 15:00"),
    ],
)
def test_the_help_asked_for_sets_the_window(now: str, text: str, expected: str) -> None:
    assert _fmt(parse_when(normalise(text), _now(now))) == expected


def test_traditional_and_fullwidth_text() -> None:
    window = parse_when(normalise("後天下午３點"), _now("11-25 10:00"))
    assert _fmt(window) == "11-27 15:00~11-27 16:00"


def test_window_is_in_the_zone_of_now() -> None:
    eastern = timezone(timedelta(hours=-5))
    window = parse_when("明天上午", datetime(2026, 11, 25, 10, 0, tzinfo=eastern))
    assert window is not None and window[0].tzinfo is eastern and window[0].hour == 8


def test_the_same_words_later_are_read_from_their_own_moment() -> None:
    # The text-only part is memoised per day; the window still follows the moment it was said.
    said = [("11-25 10:00", "11-25 15:00"), ("11-25 16:00", "11-26 15:00"), ("11-26 10:00", "11-26 15:00")]
    for now, expected in said:
        assert _fmt(parse_when("下午3点", _now(now))).startswith(expected)
    assert _fmt(parse_when("明天上午", _now("11-25 10:00"))).startswith("11-26 08:00")
    assert _fmt(parse_when("明天上午", _now("11-27 10:00"))).startswith("11-28 08:00")
    long_text = "明天上午" + "。" * 400  # beyond the memo: read afresh, alike
    assert _fmt(parse_when(long_text, _now("11-27 10:00"))).startswith("11-28 08:00")


@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("3", 3),
        ("十", 10),
        ("十二", 12),
        ("二十八", 28),
        ("三十一", 31),
        ("两", 2),
        ("零", 0),
        ("一二", None),
        ("", None),
    ],
)
def test_cn_to_int(token: str, value: int | None) -> None:
    assert cn_to_int(token) == value


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("两个小时", 2.0),
        ("半小时", 0.5),
        ("半个钟头", 0.5),
        ("用了40分钟", 0.67),
        ("1.5 hours", 1.5),
        ("一个半小时", 1.5),
        ("两三个小时", 2.0),
        ("half an hour", 0.5),
        ("90 minutes", 1.5),
        ("明天下午", None),
    ],
)
def test_duration(text: str, hours: float | None) -> None:
    assert parse_duration(normalise(text)) == hours


SPANS_AND_OWN_HOURS = [
    # how long something went on is no time ("一晚上"), unless it is the help itself
    ("12-09 08:30", "水龙头滴答了一晚上 谁会换阀芯", "-"),
    ("12-09 07:30", "谁能陪我家老爷子一上午 我得去单位", "12-09 08:00~12-09 12:00"),
    # the hours of the clause that asks, not of the writer's own day
    ("12-09 07:30", "我上午要陪我妈复查 估计弄到中午 下午谁能帮我收个快递", "12-09 13:00~12-09 18:00"),
    # deadlines in English, in ddl and 不晚于
    (
        "12-08 10:00",
        "before Friday could someone help my dad with his pension form?",
        "12-08 10:00~12-11 20:00",
    ),
    (
        "12-08 10:00",
        "need someone to proofread my cover letter, deadline is Thursday 🙏",
        "12-08 10:00~12-10 20:00",
    ),
    ("12-08 10:00", "谁能帮我把这份英文简历改一改 ddl周四", "12-08 10:00~12-10 20:00"),
    ("12-08 10:00", "不晚于周三中午 谁能帮我把表交到街道", "12-08 10:00~12-09 13:00"),
    # when to answer is not when the help is
    (
        "12-08 10:00",
        "going to Costco Saturday afternoon, can grab stuff for anyone, lmk by Friday",
        "12-12 13:00~12-12 18:00",
    ),
    # the day that won't do, the day corrected, every day this week, 前晌, Cantonese 得唔得
    ("12-07 09:00", "周二不行 周三上午谁能陪我去银行", "12-09 08:00~12-09 12:00"),
    ("12-07 09:00", "下周四 哦不 下周五 谁能帮我接孩子", "12-18 08:00~12-18 20:00"),
    ("12-07 09:00", "这礼拜天天下午我都在家 谁家要收快递的写我这", "12-07 13:00~12-07 18:00"),
    ("12-07 19:00", "明儿前晌谁有空帮俺搬个柜子", "12-08 08:00~12-08 12:00"),
    ("12-07 19:00", "有冇人識整熱水爐 聽日下晝得唔得", "12-08 13:00~12-08 18:00"),
]

ENGLISH_HOURS_AND_DIALECT_PARTS = [
    # "Sat am", "tmr pm"; after/around a bare hour; till about 4; 早八点; 后半天
    ("12-09 20:00", "Sat am anyone free to help me move a sofa?", "12-12 08:00~12-12 12:00"),
    ("12-09 20:00", "tmr pm could someone water my plants?", "12-10 13:00~12-10 18:00"),
    ("12-09 11:00", "after 3 anyone around to sit with my grandma?", "12-09 15:00~12-09 16:00"),
    ("12-09 11:00", "could someone drop by around 5 with a ladder?", "12-09 17:00~12-09 18:00"),
    ("12-09 11:00", "I'm out till about 4, could someone sign for a parcel?", "12-09 11:00~12-09 16:00"),
    ("12-09 20:00", "早八点 谁能帮我把轮椅抬下楼", "12-10 08:00~12-10 09:00"),
    ("12-09 09:00", "我下班早 四点半就到家 谁家孩子要接的我顺路", "12-09 16:30~12-09 17:30"),
    ("12-09 09:00", "哪个今天后半天有空 帮我拆个柜子", "12-09 13:00~12-09 18:00"),
    # the time to answer by is no part of the help's time
    (
        "01-21 09:00",
        "Sunday around 10 I can shop for anyone, send me a list by Saturday night",
        "01-25 10:00~01-25 11:00",
    ),
]

CLOCK_SPELLINGS_AND_ANSWERS_DUE = [
    # clock times written 15时30分 / 十五时 / 10.30am, an hour to stay till, a day beside 下午
    ("12-14 13:10", "15时30分 谁能帮我把轮椅推上社区的车", "12-14 15:30~12-14 16:30"),
    ("12-14 13:10", "明天十五时 需要一位会手语的邻居陪我去派出所", "12-15 15:00~12-15 16:00"),
    ("12-14 10:00", "水管一时半会儿修不好 谁家有桶借我", "-"),
    (
        "12-10 09:00",
        "10.30am Sat - could someone mind my toddler for an hour?",
        "12-12 10:30~12-12 11:30",
    ),
    (
        "12-14 13:10",
        "Can anyone sit with my grandad till 3? I'm stuck at the bank",
        "12-14 13:10~12-14 15:00",
    ),
    ("12-09 20:00", "Sat下午两点到四点 有没有人能help我看一下摊位", "12-12 14:00~12-12 16:00"),
    # the small hours after today; a bare 截止; an answer due "前 … 发我"
    ("01-08 20:00", "今儿个后半夜 谁能两点多帮俺去火车站接个人", "01-09 02:00~01-09 03:00"),
    ("12-14 20:00", "截止明天中午 谁帮我在手机上把医保续上", "12-14 20:00~12-15 13:00"),
    (
        "12-14 21:00",
        "明天大清早我去医院排号 谁家要顺便挂号的 今晚十一点前把名字发我",
        "12-15 06:00~12-15 09:00",
    ),
]


TODAY_BEFORE_TOMORROWS_EVENT = [
    # the help is needed today, before the writer's event tomorrow, though no clause asks with a day
    ("12-09 15:00", "明天一早要交材料 打印机卡纸了 今晚得弄好", "12-09 18:00~12-09 22:00"),
    ("12-09 09:00", "明儿个闺女回门 家里得拾掇 今儿下午要找人搭把手", "12-09 13:00~12-09 18:00"),
    ("12-09 10:00", "后天婚礼 鞋跟掉了 今天必须修好", "12-09 10:00~12-09 20:00"),
    # not when tonight is the writer's answer due, or when another clause asks with its own day
    ("12-09 18:00", "明天早上我去菜市场 要带菜的今晚私我", "12-10 06:00~12-10 09:00"),
    ("12-06 20:00", "礼拜一我得去医院 礼拜四下午谁能帮我取个快递", "12-10 13:00~12-10 18:00"),
    ("12-09 08:10", "今天凌晨吵得睡不着 明天谁去超市帮我带包纸", "12-10 08:00~12-10 20:00"),
    # a day said outright takes the evening reading once the morning's is over; a time already
    # over gives no window rather than one that ends before it starts
    ("12-09 18:40", "药今天必须拿到 九点前谁能帮我跑一趟", "12-09 18:40~12-09 21:00"),
    ("12-09 15:00", "今天八点左右谁能来看看马桶", "12-09 20:00~12-09 21:00"),
    ("12-09 23:10", "今晚十点前谁能帮我取个快递", "-"),
    ("12-09 23:10", "每天晚上都陪他写到十一点 谁能帮帮我", "-"),
]

FROM_NEXT_WEEK = [
    # help that starts next week and recurs: its next occurrence is next Monday (12-09 is a Wednesday)
    ("12-09 15:00", "下周起孩子放学后没人管 四点半到六点半 谁能帮着看一会", "12-14 16:30~12-14 18:30"),
    ("12-09 15:00", "从下礼拜开始 谁能每天中午帮我妈送饭", "12-14 11:00~12-14 13:00"),
    ("12-09 15:00", "下周开始改成周三上午 谁能陪我去透析", "12-16 08:00~12-16 12:00"),
]
RUN_ON_WITH_A_PAST_WORD = [
    # one voice-to-text clause that asks, with a past word after its time words, keeps its time
    (
        "12-09 20:00",
        "嗯我想问问谁明天上午有空就是帮我去社区把老年证领回来说是已经办好了",
        "12-10 08:00~12-10 12:00",
    ),
    ("12-09 14:00", "昨天晚上九点多有人在群里说可以帮忙修电脑 是哪位来着", "-"),
]
MINNAN_AND_CANTONESE_DAYS = [
    # 拜六下晡 (Minnan: Saturday afternoon), and a list joined by 同 (Cantonese: and); 12-09 is a Wednesday
    ("12-09 10:00", "拜六下晡 啥人有閒 來阮兜鬥相共搬物件", "12-12 13:00~12-12 18:00"),
    ("12-09 19:00", "拜二拜四下晡 有人会使来阮兜教阮囝算数无", "12-10 13:00~12-10 18:00"),
    ("12-10 09:00", "礼拜二同礼拜四晏昼有冇人得闲陪我阿妈去公园行下", "12-10 13:00~12-10 18:00"),
]
UNTIL_A_CLOCK_TIME = [
    # the part of day said with the clock that ends the window is the clock's own: from now on
    ("12-09 14:30", "今天我在家一直到晚上9点 谁家快递不方便拿的可以先放我这", "12-09 14:30~12-09 21:00"),
    ("12-09 10:00", "谁能帮我看孩子 看到9点就行", "12-09 10:00~12-09 21:00"),
    ("12-09 10:00", "周日中午到下午两点 谁能帮我照看一下二宝", "12-13 11:00~12-13 14:00"),
]
PLAN_DAY_CARRIES = [
    # the day of the writer's own plan, told before the ask, is the ask's day (12-09 is a Wednesday)
    (
        "12-09 15:00",
        "周六我得去医院陪床 哪位能帮我把孩子从舞蹈班接回来 十点半下课",
        "12-12 10:30~12-12 11:30",
    ),
    ("12-09 15:00", "元旦那天我要加班到晚上八点 谁能中午去给我妈送口热乎饭", "01-01 11:00~01-01 13:00"),
    # not an end, a range, or a reason told after the ask
    ("12-09 15:00", "我出差到礼拜天 哪个邻居每天晚上给我妈打个电话", "12-09 18:00~12-09 22:00"),
    ("12-09 15:00", "我周一到周五白天上班 谁能晚上九点后来帮我装一下洗衣机", "12-09 21:00~12-09 22:00"),
    ("12-09 15:00", "晚上7-9点有没有人能帮我儿子过一遍化学 明天考试", "12-09 19:00~12-09 21:00"),
]

# the part of the day right before a clock time is that time's own, whatever part the text named first
A_CLOCK_TIMES_OWN_PART = [
    ("12-09 08:00", "我上午要去医院 下午两点以后谁能帮我看会儿孩子", "12-09 14:00~12-09 15:00"),
    ("12-09 07:30", "早上送完孩子 晚上八点谁有空帮我搬下柜子", "12-09 20:00~12-09 21:00"),
    ("12-09 09:00", "上午有事 下午的三点半谁能陪我爸去复查", "12-09 15:30~12-09 16:30"),
]

# Hakka, Minnan and Wu day words; 下班前 and 暗晡前 are deadlines like 晚饭前
DIALECT_DAYS_AND_DEADLINES = [
    ("12-09 09:00", "今晡日有人去邮局冇 帮𠊎寄个包裹", "12-09 09:00~12-09 20:00"),
    ("12-09 20:00", "明仔早有人去菜市仔无 帮阮买一把青菜", "12-10 08:00~12-10 20:00"),
    ("12-09 15:10", "等歇有人去超市伐 帮我带两包盐", "12-09 15:10~12-09 16:10"),
    ("12-09 10:00", "暗晡前有冇人帮涯拿下药", "12-09 10:00~12-09 18:00"),
    ("12-09 10:00", "下班前谁能帮我把这份表送到居委会", "12-09 10:00~12-09 18:00"),
]


@pytest.mark.parametrize(
    ("now", "text", "expected"),
    DIALECT_DAYS_AND_DEADLINES
    + A_CLOCK_TIMES_OWN_PART
    + SPANS_AND_OWN_HOURS
    + ENGLISH_HOURS_AND_DIALECT_PARTS
    + CLOCK_SPELLINGS_AND_ANSWERS_DUE
    + TODAY_BEFORE_TOMORROWS_EVENT
    + FROM_NEXT_WEEK
    + PLAN_DAY_CARRIES
    + UNTIL_A_CLOCK_TIME
    + MINNAN_AND_CANTONESE_DAYS
    + RUN_ON_WITH_A_PAST_WORD,
)
def test_the_exact_window(now: str, text: str, expected: str) -> None:
    assert _fmt(parse_when(normalise(text), _now(now))) == expected


def test_when_someone_is_back_is_no_window_for_the_help() -> None:
    # "stuck in Hangzhou till Friday", "can't come till Monday": the reason, not the help's time
    stuck = "dad's fridge died and I'm stuck in Hangzhou till Friday, can anyone look at it?"
    assert parse_when(normalise(stuck), _now("12-08 10:00")) is None
    shut = "the pharmacy downstairs is shut till Monday, could someone grab mum's pills"
    assert parse_when(normalise(shut), _now("12-08 10:00")) is None
    # a time for the help said beside it still counts
    tonight = "I'm away till Sunday, could someone water my plants tonight?"
    assert _fmt(parse_when(normalise(tonight), _now("12-08 10:00"))).startswith("12-08 18:00")


def test_daytime_with_no_day_is_how_days_go_not_a_window() -> None:
    # "我白天上班", "找人白天陪陪她": the sender's routine, no time for the help
    assert parse_when(normalise("我妈刚出院 我白天上班 想找个人陪陪她"), _now("12-08 10:00")) is None
    assert parse_when(normalise("退休了 以后白天都闲着 谁家有事说话"), _now("12-08 10:00")) is None
    # a day before it makes it that day's daytime
    assert _fmt(parse_when(normalise("周六白天谁能去看看奶奶 中午帮热个饭"), _now("12-08 10:00"))).startswith(
        "12-12 08:00"
    )


def test_a_shop_closing_time_is_the_deadline_when_nothing_else_is_named() -> None:
    now = _now("12-10 13:40")
    assert (
        _fmt(parse_when(normalise("降压药吃完了 社区医院五点关门 谁帮我跑一趟"), now))
        == "12-10 13:40~12-10 17:00"
    )
    assert _fmt(parse_when(normalise("今天必须拿到 药房下午五点半就关门"), now)) == "12-10 13:40~12-10 17:30"
    # a day or an hour of its own for the help keeps its own window
    assert _fmt(parse_when(normalise("明天谁帮我去银行 银行五点关门"), now)).startswith("12-11")
    assert _fmt(parse_when(normalise("八点谁能帮我取个快递 驿站九点关门"), now)) == "12-10 20:00~12-10 21:00"


def test_yesterday_in_wu_and_a_morning_call_already_made_are_no_window() -> None:
    assert parse_when(normalise("昨日夜里阿拉屋里马桶堵牢了 啥人有家生帮帮忙"), _now("12-23 10:30")) is None
    called = "上午九点就给物业打电话报修了 到现在也没人来 群里有会修马桶的吗"
    assert parse_when(normalise(called), _now("11-19 15:10")) is None


def test_a_worry_inside_one_run_on_ask_keeps_its_time() -> None:
    # voice-typed with no pause: the worry and the ask are one clause, and the time is the ask's
    run_on = "我家卫生间地太滑了老人进去我老担心想装个扶手明天谁有空能来帮忙装一下"
    assert _fmt(parse_when(normalise(run_on), _now("12-04 16:00"))).startswith("12-05 08:00")
    # told apart, the worry's own time is still set aside
    assert parse_when(normalise("明天就停水了 怕来不及 谁家有大桶借一个"), _now("12-04 16:00")) is None


def test_a_day_typed_one_character_at_a_time() -> None:
    spelled = "我 问 一 下 明 天 谁 去 超 市 帮 我 带 一 瓶 酱 油"
    assert _fmt(parse_when(normalise(spelled), _now("11-30 19:15"))).startswith("12-01 08:00")


def test_next_weeks_days_in_a_row_nite_and_a_cantonese_weekday_evening() -> None:
    assert _fmt(
        parse_when(normalise("退休护士 下周一二三都空着 谁家老人看病没人陪的"), _now("01-13 19:00"))
    ).startswith("01-19 08:00")  # 2026-01-13 is a Tuesday: next Monday is the 19th
    assert _fmt(parse_when(normalise("Fri nite need a babysitter for two"), _now("12-01 12:00"))).startswith(
        "12-04 18:00"
    )
    cantonese = "有冇人禮拜四晚得閒 幫我個仔睇下數學功課"
    assert _fmt(parse_when(normalise(cantonese), _now("12-14 10:00"))).startswith("12-17 18:00")


@pytest.mark.parametrize(
    "text",
    [
        "我爸用过的助行器 现在用不上了 谁家要 送",
        "我妈摔了胯骨 现在回家养着 想找个人白天陪陪她",
        "以前修了十年自行车 现在退休闲着 谁家车有毛病推过来",
        "我这膝盖从国庆一直疼到现在 谁懂推拿的给看看",
    ],
)
def test_now_before_a_state_tells_how_things_are_not_when(text: str) -> None:
    assert parse_when(normalise(text), _now("12-10 10:00")) is None


@pytest.mark.parametrize(
    "text",
    [
        "谁现在能帮我去楼下药店买一盒",
        "家里被子不够 现在就要 谁家有多的",
        "一袋米扛上五楼 就现在 车停楼下",
        "谁家有烫伤膏 现在借点",
        "谁能陪她去一下卫生站 现在 急",
    ],
)
def test_now_before_the_ask_or_ending_a_clause_is_the_help_time(text: str) -> None:
    assert _fmt(parse_when(normalise(text), _now("12-10 10:00"))).startswith("12-10 10:00")


@pytest.mark.parametrize(
    "text",
    [
        "谁家有打气筒借我用用 用完马上还",
        "哪位先帮我垫一下快递费 钱马上转你",
        "借个折叠梯 换个灯泡 马上就还回去",
    ],
)
def test_returning_a_loan_right_away_is_no_time_for_the_help(text: str) -> None:
    assert parse_when(normalise(text), _now("12-10 10:00")) is None


def test_right_away_for_the_help_itself_stays_now() -> None:
    assert _fmt(parse_when(normalise("谁马上还能过来搭把手 柜子卡门口了"), _now("12-10 10:00"))).startswith(
        "12-10 10:00"
    )
    assert _fmt(parse_when(normalise("借个扳手 马上要用"), _now("12-10 10:00"))).startswith("12-10 10:00")


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("有冇人天光日朝晨帮𠊎载阿婆去卫生院", "12-11 06:00"),
        ("么人当昼得闲帮𠊎阿公送餐饭", "12-10 11:00"),
        ("哪个暗晡有闲帮𠊎去接细妹", "12-10 18:00"),
        ("谁人今暝会使来帮阮阿嬷换灯泡", "12-10 18:00"),
    ],
)
def test_hakka_and_minnan_day_words(text: str, start: str) -> None:
    assert _fmt(parse_when(normalise(text), _now("12-10 10:00"))).startswith(start)
