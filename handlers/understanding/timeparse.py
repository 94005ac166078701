"""Future-biased time windows and durations from normalised chat text (CONTRACT.md, "when").

The input must already be normalised by :func:`lexicon.normalise` (simplified
characters, half-width digits and punctuation, lower case). Everything is resolved against
``now`` and returned in its time zone. Ambiguity is settled towards the nearest future window,
because residents ask for help ahead of time, never for the past.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from handlers.understanding.lexicon import join_spelled_out, space_scripts

__all__ = ["cn_to_int", "parse_duration", "parse_when"]

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# Well-formed small Chinese numerals only, so "周六九点" reads 九点 rather than failing on "六九".
_NUM = r"(?:\d{1,2}|[二三]十[一二三四五六七八九]?|十[一二三四五六七八九]?|[零〇一二两三四五六七八九])"


def cn_to_int(token: str) -> int | None:
    """Reads '3', '十二', '二十八', '两' as an int, or None when it is not a small number."""
    if not token:
        return None
    if token.isdigit():
        return int(token)
    if "十" in token:
        head, _, tail = token.partition("十")
        tens = _CN_DIGITS.get(head, -1) if head else 1
        ones = _CN_DIGITS.get(tail, -1) if tail else 0
        if tens < 0 or ones < 0 or "十" in tail:
            return None
        return tens * 10 + ones
    if len(token) == 1:
        return _CN_DIGITS.get(token)
    return None


# --- parts of the day: name -> (start hour, end hour); end <= start means the next morning ---------------
_PARTS: dict[str, tuple[int, int]] = {
    "early": (6, 9),
    "am": (8, 12),
    "noon": (11, 13),
    "pm": (13, 18),
    "dusk": (17, 19),
    "evening": (18, 22),
    "night": (22, 6),
    "small_hours": (0, 6),
    "day": (8, 20),
}
_PART_WORDS: dict[str, str] = {
    "早上": "early",
    "早晨": "early",
    "清早": "early",
    "清晨": "early",
    "一大早": "early",
    "大清早": "early",
    "一早": "early",
    "大早上": "early",
    "早起": "early",
    "今早": "early",
    "明早": "early",
    "听朝": "early",
    "透早": "early",
    "早浪向": "early",
    "听晚": "evening",
    "下半天": "pm",
    "后半天": "pm",
    "后半夜": "small_hours",
    "下半夜": "small_hours",
    "后晌": "pm",
    "过晌": "pm",
    "后半晌": "pm",
    "下半晌": "pm",
    "头晌": "am",
    "头午": "am",
    "前晌": "am",
    "前半晌": "am",
    "上半晌": "am",
    "傍黑": "dusk",
    "擦黑": "dusk",
    "夜里向": "evening",
    "夜里厢": "evening",
    "今儿黑": "evening",
    "跨年夜": "evening",
    "arvo": "pm",
    "下半日": "pm",
    "下晌": "pm",
    "下晡": "pm",
    "上半天": "am",
    "上半日": "am",
    "顶晡": "am",
    "上昼": "am",
    "中浪向": "noon",
    "中昼": "noon",
    "夜到": "evening",
    "夜快": "dusk",
    "暗时": "evening",
    "暗晡夜": "evening",
    "暗晡": "evening",
    "今暝": "evening",
    "朝晨": "early",
    "当昼": "noon",
    "朝早": "early",
    "晏昼": "pm",
    "下昼": "pm",
    "夜晚黑": "evening",
    "挨晚": "dusk",
    "明晨": "early",
    "今晨": "early",
    "early morning": "early",
    "上午": "am",
    "morning": "am",
    "中午": "noon",
    "晌午": "noon",
    "noon": "noon",
    "midday": "noon",
    "lunchtime": "noon",
    "lunch time": "noon",
    "下午": "pm",
    "午后": "pm",
    "afternoon": "pm",
    "傍晚": "dusk",
    "黄昏": "dusk",
    "晚上": "evening",
    "晚间": "evening",
    "夜晚": "evening",
    "今晚": "evening",
    "明晚": "evening",
    "evening": "evening",
    "tonight": "evening",
    "tonite": "evening",
    "nite": "evening",
    "今夜": "evening",
    "夜里": "night",
    "半夜": "night",
    "深夜": "night",
    "午夜": "night",
    "夜间": "night",
    "night": "evening",
    "late night": "night",
    "overnight": "night",
    "凌晨": "small_hours",
    "白天": "day",
    "全天": "day",
    "一整天": "day",
    "整天": "day",
    "all day": "day",
}
_PART_ZH_RE = re.compile(
    "|".join(sorted((re.escape(w) for w in _PART_WORDS if not w.isascii()), key=len, reverse=True))
)
_PART_EN_RE = re.compile(
    r"\b(?:"
    + "|".join(sorted((re.escape(w) for w in _PART_WORDS if w.isascii()), key=len, reverse=True))
    + r")"
)
_LATIN_RE = re.compile(r"[a-z]")
# "周六晚" / "明天早" style single-character parts right after a day word.
_DAY_SUFFIX_PART_RE = re.compile(
    r"(?:[天号日]|周[一二三四五六日天]|(?:星期|礼拜)[一二三四五六日天])([早晚])(?![饭餐点了些])"
)
_GREETING_RE = re.compile(
    r"good (?:morning|afternoon|evening|night)|早上好|早安|晚安|晚上好|下午好|中午好|早晨好"
)

# --- day anchors --------------------------------------------------------------------------------------------
_REL_DAYS: dict[str, int] = {
    "大后天": 3,
    "大后儿个": 3,
    "大后儿": 3,
    "大后日": 3,
    "明后日": 1,
    "后天": 2,
    "后日": 2,
    "后儿": 2,
    "后个": 2,
    "明后天": 1,
    "明后两天": 1,
    "今明两天": 0,
    "听日": 1,
    "天光日": 1,
    "听朝": 1,
    "明朝": 1,
    "明儿个": 1,
    "今儿个": 0,
    "今朝": 0,
    "明天": 1,
    "明日": 1,
    "明儿": 1,
    "明早": 1,
    "明晚": 1,
    "明晨": 1,
    "今天": 0,
    "今日": 0,
    "今儿": 0,
    "今个儿": 0,
    "明个儿": 1,
    "今个": 0,
    "明个": 1,
    "明旦": 1,
    "今仔日": 0,
    "今晡日": 0,
    "明仔早": 1,
    "明仔载": 1,
    "听晚": 1,
    "今早": 0,
    "今晚": 0,
    "今夜": 0,
    "今晨": 0,
    "当天": 0,
    "day after tomorrow": 2,
    "tomorrow": 1,
    "tmrw": 1,
    "tmr": 1,
    "tmw": 1,
    "today": 0,
    "tonight": 0,
}
_REL_DAY_RE = re.compile(
    "|".join(
        # "之后天气转冷" / "最后个": a 后 that ends another word starts no day
        ("(?<![之以然最过落])" if w.startswith("后") else "")
        + re.escape(w)
        + ("(?![礼禮星周週月年])" if w.endswith("个") else "")  # "今个礼拜六" is this week's Saturday
        for w in sorted(_REL_DAYS, key=len, reverse=True)
    )
)
_WEEKDAY_CN = {
    "一": 0,
    "二": 1,
    "三": 2,
    "四": 3,
    "五": 4,
    "六": 5,
    "日": 6,
    "天": 6,
    "末": 5,
    "1": 0,
    "2": 1,
    "3": 2,
    "4": 3,
    "5": 4,
    "6": 5,
    "7": 6,
}
_WEEKDAY_RE = re.compile(
    r"(?P<mod>(?<!一)下下个?|(?<!一)下个?|这个?|本|上个?|每个?|每逢)?\s*"
    r"(?:周|星期|礼拜|(?<![礼拜])拜(?=[二三四五六日]|一(?![拜下])))"  # 拜三: Minnan for 礼拜三, not 拜一拜
    r"(?P<d>[一二三四五六日天1-7末])(?![次遍回趟个年岁])"
)
_WEEKDAY_EN = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "weekend": 5,
    "wknd": 5,
    "wkend": 5,
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_WEEKDAY_EN_RE = re.compile(
    r"\b(?P<mod>this coming|this|next|coming|every|on)?\s*"
    r"(?P<d>monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|wknd|wkend)s?\b"
    r"|\b(?P<mod2>this|next|every|on|by|till|until|before)\s+(?P<d2>mon|tues?|wed|thur?s?|fri|sat|sun)\b\.?"
    # tue/thurs/fri are nothing else; sat, sun, wed and mon are days only beside a time ("sat 10am")
    r"|\b(?P<d3>tues?|weds|thur?s?|fri)\b\.?"
    r"|\b(?P<d4>mon|wed|sat|sun)\b\.?(?=\s*(?:morning|afternoon|arvo|evening|night|noon|lunch|at\s+\d|\d|[上下中晚早]))"
    r"|(?<=[ap]m )(?P<d5>mon|wed|sat|sun)\b"
)
_MONTH_EN = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_DATE_MD_RE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>" + _NUM + r")\s*月\s*(?P<d>" + _NUM + r")\s*(?:日|号)?"
)
_DATE_D_RE = re.compile(
    r"(?<![\d.:/\-第])(?:(?P<d>\d{1,2})\s*(?:号|日)|(?P<c>[二三]十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])\s*号)"
    r"(?![楼栋床线门室院车位机口馆窗后内以之]|电池|前楼|后楼|亭子间|[一二三四五六七八九十\d]+楼)"
)
_NEXT_MONTH_RE = re.compile(r"下个?月\s*(?P<d>" + _NUM + r")\s*(?:号|日)")
_DATE_DOT_RE = re.compile(
    r"(?<![\d.])(?P<m>1[0-2]|0?[1-9])\.(?P<d>3[01]|[12]\d|0[1-9])(?![\d.])(?!\s*[ap]\.?m)"
    r"(?!\s*(?:元|块|公斤|斤|kg|小时|个|米|万|%|倍|分|岁|h\b|km|公里|升))"
)
_DATE_SLASH_RE = re.compile(r"(?<![\d/.])(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])(?![\d/])")
_DATE_ISO_RE = re.compile(r"(?<!\d)(?P<y>20\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_DATE_EN_RE = re.compile(
    r"\b(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\b(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)"
    r"[a-z]*\b"
    r"|\bthe\s+(?P<d3>\d{1,2})(?:st|nd|rd|th)\b(?!\s*floor)"
)
_WEEKDAY_TAIL_RE = re.compile(
    r"(?P<mod>每个?|每逢|这个?|本|(?<!一)下个?)?(?:周|星期|礼拜)[一二三四五六日天](?P<more>[一二三四五六日天]+)"
    r"(?![点号日月整个次趟遍些])"
)
_DAY_LIST_GAP = re.compile(r"\s*(?:、|和|或|或者|跟|同|与|及|&|,|/)?\s*")
_IN_DAYS_RE = re.compile(r"(?P<n>" + _NUM + r")\s*天\s*(?:后|以后|之后)|\bin\s+(?P<n2>\d{1,2})\s+days?\b")

# --- clock times ------------------------------------------------------------------------------------------
_MIN_CN = r"(?:\d{1,2}|[一二三四五]十[一二三四五六七八九]?|十[一二三四五六七八九]?|零?[一二三四五六七八九])"


def _clock_cn(tag: str, need_dot: bool = True) -> str:
    """One Chinese clock time (三点半, 4点15分, 10点钟) with group names suffixed by ``tag``."""
    dot = r"(?:点|點)" + ("" if need_dot else "?")
    return (
        rf"(?P<h{tag}>{_NUM})\s*{dot}(?:\s*(?:(?P<half{tag}>半)|(?P<q{tag}>一刻|三刻)|(?P<mi{tag}>{_MIN_CN})"
        r"(?!\s*[号楼栋单元个]))\s*分?)?(?:钟|整)?(?![要建意注原内理想问好需说])"
    )


def _hhmm(tag: str) -> str:
    return (
        rf"(?P<h{tag}>[01]?\d|2[0-3])\s*:\s*(?P<m{tag}>[0-5]\d)(?!\d)(?:\s*(?P<ap{tag}>am|pm|a\.m\.|p\.m\.))?"
    )


_SEP = r"\s*(?:到|至|-|~|—|–|～|一直到)\s*"
_PART_ALT = r"(?:早上|上午|中午|下午|傍晚|晚上|夜里|凌晨)?"
_RANGE_CN_RE = re.compile(_clock_cn("1", need_dot=False) + _SEP + _PART_ALT + r"\s*" + _clock_cn("2"))
_CLOCK_CN_RE = re.compile(_clock_cn(""))
_RANGE_HHMM_RE = re.compile(r"(?<![\d:])" + _hhmm("1") + _SEP + r"(?:to\s*)?" + _hhmm("2"))
_HHMM_RE = re.compile(r"(?<![\d:])" + _hhmm(""))
_CLOCK_EN_RE = re.compile(
    r"(?<![\d\-/])\b(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>am|pm|a\.m\.|p\.m\.|o'?clock)(?![a-z])"
    r"|\b(?:at|after|around|about|abt|from|till|until)\s+(?P<h2>1[0-2]|0?[1-9])(?::(?P<mi2>[0-5]\d))?\b"
    r"(?!\s*(?:floor|st\b|nd\b|rd\b|th\b|%|years?|yo\b|-|days?|weeks?|months?|hours?|hrs?|min|kids|people|times|of\b))"
    r"|\b(?P<noon>noon|midnight)\b"
)
_RANGE_EN_RE = re.compile(
    r"(?<![\d\-/])\b(?P<from>from\s+|between\s+)?(?P<h1>1[0-2]|0?[1-9])(?::(?P<m1>[0-5]\d))?\s*(?P<ap1>am|pm)?"
    r"\s*(?:-|–|to|until|till|and)\s*(?P<h2>1[0-2]|0?[1-9])(?::(?P<m2>[0-5]\d))?\s*(?P<ap2>am|pm)?"
    r"(?![\d\-/])(?!\s*(?:hours?|hrs?|days?|weeks?|months?|minutes?|mins?|years?|kg|people|times|floors?)\b)"
)
_NOW_FOLLOWED_BY = (
    r"就|能|可以|可不可以|有|帮|去|过|下|得|陪|借|到|谁|哪|来|马上|立|急|需|方便|给|送|找|赶|要人|要用|要去|"
    r"出门|出去|先|派|上(?:来|去|楼)|人在|"
    r"吗|呢|啊|呀|哈|嘛|[,，。.!！?？~]|$"
)
"""现在 is the help's time when the ask follows it ("谁现在能来", "现在就要") or it ends a clause
("就现在 车停楼下"); before a state it says how things are ("现在用不上了"), and "饿到现在" is how long."""
_NOW_ZH_RE = re.compile(
    r"马上(?!就?要?(?:过年|过节|到了|就到|开学|放假))(?!就?(?:还(?![要得在有没是能可会])|转(?:你|给|账|钱)))|"
    r"立刻|立即|立马|即刻|此刻|而家|宜家|依家|这就(?:去|来|过去|下楼)|就现在|(?<!到)现在(?=\s|"
    + _NOW_FOLLOWED_BY
    + r")"
)
_NOW_EN_RE = re.compile(
    r"right now|right away|immediately|at once|\brn\b|\bnow\s*[!?]|\bnow\b(?=\s*[\u3400-\u9fff])"
)
"""English "now" words; a bare "now" counts at the end of a question or before Chinese ("谁能 now 帮我")."""
_CLOCK_CONTEXT_BEFORE = re.compile(
    r"(?:早上|上午|中午|下午|傍晚|晚上|夜里|凌晨|天|号|日|[一二三四五六日天]|到|至|从|在|约|大概|差不多|左右)\s*$"
)
_CLOCK_CONTEXT_AFTER = re.compile(
    r"^\s*(?:半|钟|整|\d|[一二三四五十]+分|一刻|三刻|到|至|前|以前|之前|左右|多|后|以后|-|~)"
)
_EVENING_PARTS = frozenset({"pm", "dusk", "evening"})
_GRACE = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class _Clock:
    """A clock time (and optional range end) before the date and am/pm are settled."""

    hour: int
    minute: int
    end_hour: int | None = None
    end_minute: int = 0
    meridiem: str | None = None  # "am" / "pm" when the text said so
    end_meridiem: str | None = None


@dataclass(frozen=True, slots=True)
class _Day:
    """A day anchor: a fixed date, or a date that rolls forward by ``roll`` days once its window is past."""

    day: date
    roll: int = 0
    weekend: bool = False


def _minute(half: str | None, quarter: str | None, mins: str | None) -> int:
    if half:
        return 30
    if quarter:
        return 15 if quarter == "一刻" else 45
    if mins:
        value = cn_to_int(mins)
        if value is not None and 0 <= value < 60:
            return value
    return 0


def _meridiem(ap: str | None) -> str | None:
    if not ap:
        return None
    if ap.startswith("a"):
        return "am"
    if ap.startswith("p"):
        return "pm"
    return None


def _cn_hour_ok(text: str, start: int, end: int, token: str) -> bool:
    """'一点' is usually 'a little' (清淡一点); only read it as 1 o'clock with time words around it."""
    if token != "一":
        return True
    return bool(_CLOCK_CONTEXT_BEFORE.search(text[max(0, start - 4) : start])) or bool(
        _CLOCK_CONTEXT_AFTER.match(text[end : end + 3])
    )


def _find_clock(text: str, latin: bool) -> tuple[int, _Clock] | None:
    """Finds the first clock time or range; returns its position and value."""
    found: list[tuple[int, _Clock]] = []
    if ":" in text:
        m = _RANGE_HHMM_RE.search(text)
        if m:
            found.append(
                (
                    m.start(),
                    _Clock(
                        int(m["h1"]),
                        int(m["m1"]),
                        int(m["h2"]),
                        int(m["m2"]),
                        _meridiem(m["ap1"]),
                        _meridiem(m["ap2"]),
                    ),
                )
            )
        m = _HHMM_RE.search(text)
        if m:
            found.append((m.start(), _Clock(int(m["h"]), int(m["m"]), meridiem=_meridiem(m["ap"]))))
    if "点" in text or "點" in text:
        for m in _RANGE_CN_RE.finditer(text):
            h1, h2 = cn_to_int(m["h1"]), cn_to_int(m["h2"])
            if h1 is None or h2 is None or h1 > 24 or h2 > 24:
                continue
            if not _cn_hour_ok(text, m.start(), m.end(), m["h1"]):
                continue
            found.append(
                (
                    m.start(),
                    _Clock(
                        h1, _minute(m["half1"], m["q1"], m["mi1"]), h2, _minute(m["half2"], m["q2"], m["mi2"])
                    ),
                )
            )
            break
        for m in _CLOCK_CN_RE.finditer(text):
            h = cn_to_int(m["h"])
            if h is None or h > 24 or not _cn_hour_ok(text, m.start("h"), m.end(), m["h"]):
                continue
            found.append((m.start(), _Clock(h, _minute(m["half"], m["q"], m["mi"]))))
            break
    if latin:
        m = _RANGE_EN_RE.search(text)
        if m and (m["from"] or m["ap1"] or m["ap2"] or m["m1"] or _PART_EN_RE.search(text)):
            ap2 = _meridiem(m["ap2"])
            found.append(
                (
                    m.start(),
                    _Clock(
                        int(m["h1"]),
                        int(m["m1"] or 0),
                        int(m["h2"]),
                        int(m["m2"] or 0),
                        _meridiem(m["ap1"]) or ap2,
                        ap2,
                    ),
                )
            )
        m = _CLOCK_EN_RE.search(text)
        if m:
            if m["noon"]:
                found.append((m.start(), _Clock(12 if m["noon"] == "noon" else 0, 0, meridiem="pm")))
            elif m["h"]:
                found.append((m.start(), _Clock(int(m["h"]), int(m["mi"] or 0), meridiem=_meridiem(m["ap"]))))
            else:
                found.append((m.start("h2"), _Clock(int(m["h2"]), int(m["mi2"] or 0))))
    if not found:
        return None
    # Prefer the earliest; on a tie prefer ranges (they carry more information).
    found.sort(key=lambda item: (item[0], item[1].end_hour is None))
    return found[0]


def _find_part(text: str, latin: bool) -> tuple[int, str] | None:
    m = _PART_ZH_RE.search(text)
    if m is None and latin:
        m = _PART_EN_RE.search(text)
    best: tuple[int, str] | None = (m.start(), _PART_WORDS[m.group(0)]) if m else None
    if "早" in text or "晚" in text:
        s = _DAY_SUFFIX_PART_RE.search(text)
        if s and (best is None or s.start(1) < best[0]):
            best = (s.start(1), "early" if s.group(1) == "早" else "evening")
    return best


_PART_BEFORE_CLOCK = re.compile(r"(?:的|\s)?\s*$")


def _part_of_clock(text: str, clock_start: int) -> tuple[int, str] | None:
    """The part of the day said right before a clock time ("我上午有课 下午一点以后能来": 下午 is
    one o'clock's, whichever part the text names first)."""
    for m in _PART_ZH_RE.finditer(text, max(0, clock_start - 8), clock_start):
        if _PART_BEFORE_CLOCK.match(text, m.end(), clock_start):
            return m.start(), _PART_WORDS[m.group(0)]
    return None


def _add_months(day: date, months: int) -> date | None:
    month0 = day.month - 1 + months
    try:
        return day.replace(year=day.year + month0 // 12, month=month0 % 12 + 1)
    except ValueError:
        return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(today: date, month: int, day: int, year: int | None = None) -> date | None:
    """A month/day without a year is the next one on or after today."""
    if year is not None:
        return _safe_date(year, month, day)
    candidate = _safe_date(today.year, month, day)
    if candidate is not None and candidate < today:
        candidate = _safe_date(today.year + 1, month, day)
    return candidate


def _weekday_day(today: date, weekday: int, mod: str) -> _Day:
    monday = today - timedelta(days=today.weekday())
    if mod.startswith("下下"):
        return _Day(monday + timedelta(days=14 + weekday))
    if mod.startswith("下") or mod == "next":
        return _Day(monday + timedelta(days=7 + weekday))
    if mod.startswith("上"):
        return _Day(monday - timedelta(days=7 - weekday))
    if mod.startswith(("这", "本")) or mod in ("this", "this coming"):
        target = monday + timedelta(days=weekday)
        return _Day(target if target >= today else target + timedelta(days=7))
    return _Day(today + timedelta(days=(weekday - today.weekday()) % 7), roll=7)


# --- holidays ---------------------------------------------------------------------------------------------
_SPRING_FESTIVAL = {
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
}
"""正月初一 of each year: the lunar holidays are counted from it (no lunar calendar is installed)."""
_WINTER_SOLSTICE = {
    2026: date(2026, 12, 22),
    2027: date(2027, 12, 22),
    2028: date(2028, 12, 21),
    2029: date(2029, 12, 21),
    2030: date(2030, 12, 22),
}
_FIXED_HOLIDAYS = {
    "元旦": (1, 1),
    "新年第一天": (1, 1),
    "new year's day": (1, 1),
    "平安夜": (12, 24),
    "christmas eve": (12, 24),
    "跨年夜": (12, 31),
    "new year's eve": (12, 31),
    "圣诞节": (12, 25),  # not 圣诞老人 / a christmas tree: the day itself
    "christmas day": (12, 25),
}
_LUNAR_HOLIDAYS = {
    "除夕": -1,
    "年三十": -1,
    "大年三十": -1,
    "chinese new year's eve": -1,
    "春节": 0,
    "大年初一": 0,
    "元宵节": 14,
}
_LUNAR_DAY_RE = re.compile(
    r"(?:大年|正月)初(?P<n>[一二三四五六七八九十])|初(?P<bare>[一二三四五六七八九十])(?=那天|当天|这天|早上|上午|中午|下午|晚上)"
)
_HOLIDAY_RE = re.compile(
    "|".join(
        sorted((re.escape(w) for w in (*_FIXED_HOLIDAYS, *_LUNAR_HOLIDAYS, "冬至")), key=len, reverse=True)
    )
    + "|"
    + _LUNAR_DAY_RE.pattern
)


def _holiday(text: str, today: date) -> tuple[int, _Day] | None:
    """元旦, 平安夜, 冬至, 除夕, 大年初五 / 初五那天 …: the next such day on or after ``today``
    (None past the years the tables know)."""
    m = _HOLIDAY_RE.search(text)
    if m is None:
        return None
    word = m.group(0)
    if word in _FIXED_HOLIDAYS:
        month, day = _FIXED_HOLIDAYS[word]
        this_year = date(today.year, month, day)
        return m.start(), _Day(this_year if this_year >= today else date(today.year + 1, month, day))
    if word == "冬至":
        days = [d for d in _WINTER_SOLSTICE.values() if d >= today]
    else:
        numeral = m["n"] or m["bare"]  # 大年初五 / 初五那天: days after 初一
        offset = "一二三四五六七八九十".index(numeral) if numeral else _LUNAR_HOLIDAYS[word]
        days = [new_year + timedelta(days=offset) for new_year in _SPRING_FESTIVAL.values()]
        days = [d for d in days if d >= today]
    return (m.start(), _Day(min(days))) if days else None


_FROM_NEXT_WEEK_RE = re.compile(r"下(?:个)?(?:周|礼拜|星期|禮拜)(?:起|开始|開始)")
"""Help that starts next week and recurs ("下周起每天下午"): its next occurrence is next Monday."""


def _find_day(text: str, today: date, latin: bool) -> tuple[int, _Day] | None:
    """Finds the first day anchor (relative day, weekday, date, holiday) and resolves it to a date."""
    found: list[tuple[int, _Day]] = []
    holiday = _holiday(text, today)
    if holiday is not None:
        found.append(holiday)
    m = _REL_DAY_RE.search(text)
    if m:
        found.append((m.start(), _Day(today + timedelta(days=_REL_DAYS[m.group(0)]))))
    if "周" in text or "星期" in text or "拜" in text:
        listed: list[tuple[int, _Day]] = []
        last_end = -1
        for m in _WEEKDAY_RE.finditer(text):
            if listed and not _DAY_LIST_GAP.fullmatch(text[last_end : m.start()]):
                break  # only a list (周二、周四 / 周三或周五) competes for the soonest day
            mod = m["mod"] or ""
            if mod.startswith("上"):  # 上周三 is the past: what happened then is not the window
                continue
            anchor = _weekday_day(today, _WEEKDAY_CN[m["d"]], mod)
            if m["d"] == "末":
                anchor = _Day(anchor.day, anchor.roll, weekend=True)
            listed.append((m.start(), anchor))
            last_end = m.end()
        for m in _WEEKDAY_TAIL_RE.finditer(text):  # 每周二四: the 四 is a day of the list too
            for day in m["more"]:
                listed.append((m.start(), _weekday_day(today, _WEEKDAY_CN[day], m["mod"] or "")))
        start = _FROM_NEXT_WEEK_RE.search(text)
        if start is not None and not listed:  # "下周起 四点半到六点半": the first day of next week
            listed.append((start.start(), _Day(today + timedelta(days=7 - today.weekday()))))
        if listed:
            soonest = min(listed, key=lambda hit: hit[1].day)[1]
            later = sorted({hit[1].day for hit in listed if hit[1].day > soonest.day})
            if (
                soonest.roll and later
            ):  # 周三或周五晚上, said on Wednesday night: once tonight is past, Friday
                soonest = _Day(soonest.day, (later[0] - soonest.day).days, soonest.weekend)
            found.append((listed[0][0], soonest))
    if "月" in text:
        m = _DATE_MD_RE.search(text)
        if m:
            month, day = cn_to_int(m["m"]), cn_to_int(m["d"])
            if month and day and 1 <= month <= 12:
                resolved = _month_day(today, month, day, int(m["y"]) if m["y"] else None)
                if resolved:
                    found.append((m.start(), _Day(resolved)))
    if "-" in text:
        m = _DATE_ISO_RE.search(text)
        if m:
            resolved = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
            if resolved:
                found.append((m.start(), _Day(resolved)))
    if "." in text:
        m = _DATE_DOT_RE.search(text)
        if m:
            resolved = _month_day(today, int(m["m"]), int(m["d"]))
            if resolved:
                found.append((m.start(), _Day(resolved)))
    if "/" in text:
        m = _DATE_SLASH_RE.search(text)
        if m:
            resolved = _month_day(today, int(m["m"]), int(m["d"]))
            if resolved:
                found.append((m.start(), _Day(resolved)))
    if "下个月" in text or "下月" in text:
        m = _NEXT_MONTH_RE.search(text)
        day = cn_to_int(m["d"]) if m else None
        first = _add_months(today.replace(day=1), 1)
        if m and day and first:
            resolved = _safe_date(first.year, first.month, day)
            if resolved:
                found.append((m.start(), _Day(resolved)))
    if "号" in text or "日" in text:
        for m in _DATE_D_RE.finditer(text):
            if m.end() == len(text.rstrip()) and text[: m.start()].endswith(" "):
                continue  # "…有人好帮我填一下伐 15号": a house number signed at the end
            value = cn_to_int(m["d"] or m["c"])
            if value and 1 <= value <= 31:
                resolved = _day_of_month(today, value)
                if resolved:
                    found.append((m.start(), _Day(resolved)))
                    break
    if "天" in text or latin:
        m = _IN_DAYS_RE.search(text)
        if m:
            n = cn_to_int(m["n"] or m["n2"] or "")
            if n is not None and 0 < n <= 60:
                found.append((m.start(), _Day(today + timedelta(days=n))))
    if latin:
        m = _WEEKDAY_EN_RE.search(text)
        if m:
            name = m["d"] or m["d2"] or m["d3"] or m["d4"] or m["d5"] or ""
            key = name if name in _WEEKDAY_EN else name[:3]
            if key in _WEEKDAY_EN:
                anchor = _weekday_day(today, _WEEKDAY_EN[key], (m["mod"] or m["mod2"] or "").strip())
                if key in ("weekend", "wknd", "wkend"):
                    anchor = _Day(anchor.day, anchor.roll, weekend=True)
                found.append((m.start(), anchor))
        m = _DATE_EN_RE.search(text)
        if m:
            if m["d3"]:
                resolved = _day_of_month(today, int(m["d3"]))
            else:
                mon = (m["mon"] or m["mon2"] or "")[:3]
                resolved = _month_day(today, _MONTH_EN[mon], int(m["d"] or m["d2"]))
            if resolved:
                found.append((m.start(), _Day(resolved)))
    if not found:
        return None
    found.sort(key=lambda item: item[0])
    return found[0]


def _day_of_month(today: date, day: int) -> date | None:
    """'28号' is this month's 28th, or next month's when that has passed."""
    if day >= today.day:
        candidate = _safe_date(today.year, today.month, day)
        if candidate:
            return candidate
    for months in (1, 2):
        first = _add_months(today.replace(day=1), months)
        if first:
            candidate = _safe_date(first.year, first.month, day)
            if candidate:
                return candidate
    return None


def _at(day: date, hour: int, minute: int, now: datetime) -> datetime:
    extra, hour = divmod(hour, 24)
    return datetime.combine(day + timedelta(days=extra), time(hour, minute), tzinfo=now.tzinfo)


def _clock_hours(clock: _Clock, part: str | None) -> list[tuple[int, int | None]]:
    """Candidate (start hour, end hour) readings of a clock time, most likely first."""
    h, end = clock.hour, clock.end_hour
    meridiem = clock.meridiem
    if meridiem is None and part in _EVENING_PARTS:
        meridiem = "pm"
    if meridiem is None and part == "noon" and h <= 3:
        meridiem = "pm"
    if meridiem is None and part == "night" and 6 < h < 12:
        meridiem = "pm"
    if meridiem is None and part in ("am", "early", "small_hours"):
        meridiem = "am"
    if meridiem == "pm" and h < 12:
        h += 12
    elif meridiem == "am" and h == 12:
        h = 0
    elif h == 12 and part in ("evening", "night") and clock.meridiem is None:
        h = 24  # 晚上12点 / 半夜12点 is midnight
    if end is not None and clock.end_meridiem == "pm" and end < 12:
        end += 12
    if meridiem is not None or h >= 12 or h == 0:
        return [(h, _range_end(h, end))]
    # No am/pm said: 1-6 o'clock is afternoon; 7-11 is morning, or the evening for 7-9 once morning is past.
    if 1 <= h <= 6:
        return [(h + 12, _range_end(h + 12, end))]
    options = [(h, _range_end(h, end))]
    if h <= 9:
        options.append((h + 12, _range_end(h + 12, end)))
    return options


def _range_end(start: int, end: int | None) -> int | None:
    """The first reading of a range's end hour after its start, within half a day (夜里11点到1点 → 25)."""
    if end is None:
        return None
    for candidate in (end, end + 12, end + 24):
        if start < candidate <= start + 14:
            return candidate
    return None


_Reading = tuple[tuple[int, _Day] | None, tuple[int, str] | None, tuple[int, _Clock] | None, bool, bool, bool]
_MEMO_MAX_CHARS = 300


def _read_times(text: str, today: date) -> _Reading:
    """What the text says about time before it is placed after the moment it was said:
    the day (relative to ``today``), the part of the day, the clock time, "now", whether the clock time
    ends the window, and whether that window runs from now."""
    latin = _LATIN_RE.search(text) is not None
    if "好" in text or "安" in text or latin:
        text = _GREETING_RE.sub(" ", text)
    day_hit = _find_day(text, today, latin)
    part_hit = _find_part(text, latin)
    clock_hit = _find_clock(text, latin)
    says_now = (
        day_hit is None
        and part_hit is None
        and clock_hit is None
        and (_NOW_ZH_RE.search(text) is not None or (latin and _NOW_EN_RE.search(text) is not None))
    )
    # "看到9点" / "until 9": the clock time ends the window; its start is the part of day or now.
    ending = None
    if clock_hit is not None and clock_hit[1].end_hour is None:
        base = max(0, clock_hit[0] - 12)
        ending = _UNTIL_BEFORE.search(text, base, clock_hit[0])
    if part_hit is not None and clock_hit is not None and ending is None:
        part_hit = _part_of_clock(text, clock_hit[0]) or part_hit
    # "一直到晚上9点": the part of day is the clock's own, so the window runs from now on; in
    # "中午到下午两点" the part named first starts it.
    from_now = (
        ending is not None
        and ending["part"] is not None
        and part_hit is not None
        and part_hit[0] == ending.start("part")
    )
    return day_hit, part_hit, clock_hit, says_now, ending is not None, from_now


@lru_cache(maxsize=4096)
def _read_times_memo(text: str, today: date) -> _Reading:
    """Memoised for the day: chats repeat 明天上午 and 下午三点; ``now`` moves every message."""
    return _read_times(text, today)


def parse_when(text: str, now: datetime) -> tuple[datetime, datetime] | None:
    """Returns the [start, end] window a message names, or None when it names no time.

    Side remarks about the past or the writer's own plans are set aside first (:func:`_focus`);
    deadlines (晚饭前, 明早9点前, 两小时内, by 5pm) and "soon" words start now (CONTRACT.md).
    """
    if not text:
        return None
    plan = _plan(text) if len(text) <= _MEMO_MAX_CHARS else _read_plan(text)
    if plan.within_hours is not None:
        return now, now + timedelta(hours=plan.within_hours)
    if plan.in_hours is not None:  # "二十分钟以后": a moment from now, an hour long like a clock time
        start = now + timedelta(hours=plan.in_hours)
        return start, start + timedelta(hours=1)
    for phrase in plan.deadlines:
        ends = _deadline_end(phrase, now)
        if ends is not None and ends > now:
            return now, ends
    window = _window(plan.text, now)
    if window is not None and window[1] <= now:
        return None  # "今晚十点前" said at 23:10: the time named is over, and no window lies ahead
    return window


@dataclass(frozen=True)
class _Plan:
    """What a text says about time before ``now`` is known: read once per text (chats repeat)."""

    text: str  # the clauses whose time words are about the help asked for
    within_hours: float | None  # "现在" / "两小时内" / "待会儿": the window starts now and lasts this long
    in_hours: float | None  # "二十分钟以后" / "in an hour": the window starts this long from now
    deadlines: tuple[str, ...]  # the phrases before 前 / 之前 / by, nearest first


_DAY_AM_PM = re.compile(
    r"\b(tmrw?|tomorrow|today|mon|tues?|weds?|thur?s?|fri|sat|sun|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\s*([ap]m)\b"
)
""""Sat am", "tmr pm": a day's morning or afternoon."""
_CLOSES_AT = re.compile(
    r"((?:上午|中午|下午|傍晚|晚上)?[零〇一二两三四五六七八九十\d]{1,3}[点點](?:半|[零〇一二三四五\d]{1,2}分?)?)"
    r"(\s?(?:就|才)?(?:要)?(?:关门|關門|收摊|收攤|打烊))"
)
"""A shop's closing time ("药房五点关门"): with no other day or hour named, the help is due before it."""
_CLOCK_WORD = re.compile(r"[零〇一二两三四五六七八九十\d]{1,3}[点點]")
_TODAY = re.compile(r"今天|今日|今儿|今晚")
_BARE_DAYTIME = re.compile(r"(?<![天日号末一二三四五六七八九十])白天")
"""白天 with no day before it: what someone's days are like, not when the help is."""
_EARLY_CLOCK = re.compile(r"(?:^|(?<=[\s,,。]))早(?=[一二三四五六七八九十两\d]{1,3}[点點])")
""""早八点": eight in the morning."""
_HOUR_SHI = re.compile(
    r"(?:(?<=\d)|(?<=[零一二三四五六七八九十两]{2})|(?<=(?:上午|下午|晚上|早上|凌晨|中午|傍晚)[一二三四五六七八九两]))时"
    r"(?![间候期代刻尚辰])|(?<=[一二三四五六七八九两])时(?=\s*[零一二三四五六七八九十\d]{1,3}\s*分)"
)
""""十五时", "下午三时", "三时二十分": 时 as 点 ("一时半会儿" is a while, not one o'clock)."""
_EVERY_DAY_AFTER_WEEK = re.compile(r"(礼拜|星期|周)天天")
_SPAN_OF_DAY = re.compile(r"(?<![周期拜初十])一(?:整)?(?:个)?(?:晚上|上午|下午|早上|晚|夜|宿|整天|天到晚)")
""""滴了一晚上", "弄了一上午": how long something went on, not when."""
_SPENT_WITH = re.compile(r"(?:陪|守|照顾|看着|盯着)[^,,。\s了过]{0,5}$")
"""Unless it is the help itself: "谁能陪他一上午" asks for this morning."""


def _without_spans(text: str) -> str:
    return _SPAN_OF_DAY.sub(
        lambda m: m.group(0) if _SPENT_WITH.search(text[max(0, m.start() - 8) : m.start()]) else " ", text
    )


def _read_plan(text: str) -> _Plan:
    text = join_spelled_out(text)  # "明 天 下 午" typed a character at a time
    if _PINYIN_HINT_RE.search(text):
        text = _from_pinyin(text)
    if "am" in text or "pm" in text:
        text = _DAY_AM_PM.sub(lambda m: m[1] + (" morning" if m[2] == "am" else " afternoon"), text)
    if "早" in text:
        text = _EARLY_CLOCK.sub("早上", text)
    if "时" in text:  # "十五时三十分", "下午三时": 时 as 点
        text = _HOUR_SHI.sub("点", text)
    if (
        _CLOSES_AT.search(text)
        and len(_CLOCK_WORD.findall(text)) == 1
        and not _has_day(_TODAY.sub(" ", text))
    ):
        text = _CLOSES_AT.sub(r"\1前\2", text)
    if "白天" in text:  # "我白天上班", "找人白天陪陪她": a habit, no window; "周六白天" is Saturday's day
        text = _BARE_DAYTIME.sub(" ", text)
    if "天天" in text:  # "这礼拜天天晚上都闲着": every day this week, not Sunday
        text = _EVERY_DAY_AFTER_WEEK.sub(r"\1 天天", text)
    if "一" in text:
        text = _without_spans(text)
    text = _hours_of_the_ask(_days_of_the_ask(_focus(space_scripts(text))))
    deadlines: tuple[str, ...] = ()
    if _DEADLINE_WORD.search(text):  # the deadline pattern is slow to try at every position
        kept, answer_by = [], []
        for m in _DEADLINE_RE.finditer(text):
            answer_due = _REPLY_BY.search(text[max(0, m.start() - 16) : m.start()]) or _REPLY_AFTER.match(
                text, m.end()
            )
            if answer_due:
                answer_by.append(m.span())  # "send me a list by Saturday night": not when to help
            else:
                kept.append(m["t"] or m["until"] or m["en"])
        for start, end in reversed(answer_by):
            text = text[:start] + " " + text[end:]
        deadlines = tuple(kept)
    within = 1.0 if _asks_now(text) else _within_hours(text)
    later = _LATER_RE.search(text) if within is None else None
    period = _THIS_PERIOD_RE.search(text)
    if period is not None:  # "这个月内就行": a deadline at the period's end
        deadlines += ("月底" if period["p"] == "月" else "这周日",)
    return _Plan(text, within, _hours_of(later) if later else None, deadlines)


@lru_cache(maxsize=4096)
def _plan(text: str) -> _Plan:
    """Memoised like the readings: texts of at most 300 characters, 4,096 of them."""
    return _read_plan(text)


_ASK = re.compile(
    r"谁|帮|哪位|哪个|边个|要人|找个人|有没有人|有冇人|能不能|可以|请|麻烦"
    r"|\b(?:help|anyone|someone|can you|could you)\b"
)


_NEEDED_TODAY = re.compile(r"必须|一定|非得|得|要|想|求|急|搞定|弄好|能[^,,。!!??]{0,10}吗")
"""Words of need in a clause that names today ("明天要面试 今晚得剪头"): today is when the help is due."""
_TODAY_CN = re.compile(r"今")
"""Today said in Chinese (an English clause is a word: its need is in the words around it)."""
_NOT_THE_HELP = re.compile(
    r"班|出差|不在|有事|没空|开会|上课|发我|告诉|说一声|whatsapp|微信我|私我|\b(?:work|shift)\b",
    re.IGNORECASE,
)
"""Unless the clause tells the writer's own plans ("今晚要值班 明天来修吧") or when to answer."""


_ANY_DAY = date(2000, 1, 3)
"""A Monday to read day words against where only whether (and which) a day is named matters."""


def _days_of_the_ask(text: str) -> str:
    """ "明天要面试 今晚谁能帮我剪个头": when a clause that asks names a day, the days named in
    clauses that don't ask are the writer's own events, not the help's, and are set aside. Where no
    clause asks with a day, one that says today is needed ("明天要面试 今晚得剪") counts as asking."""
    parts = _CLAUSE_SPLIT.split(text)
    clauses = parts[0::2]
    if len(clauses) < 2:
        return text
    if not _has_day(text):
        return text  # no day named anywhere: no clause's day to set aside
    dated = [_find_day(clause, _ANY_DAY, _LATIN_RE.search(clause) is not None) for clause in clauses]
    asking = [_ASK.search(clause) is not None for clause in clauses]
    if not any(day and ask for day, ask in zip(dated, asking, strict=True)):
        asking = [
            day is not None
            and day[1].day == _ANY_DAY
            and _TODAY_CN.search(clause) is not None
            and _NEEDED_TODAY.search(clause) is not None
            and _NOT_THE_HELP.search(_with_next(parts, 2 * n)) is None
            for n, (clause, day) in enumerate(zip(clauses, dated, strict=True))
        ]
        if not any(asking):
            return text
    return " ".join(c for c, day, ask in zip(clauses, dated, asking, strict=True) if ask or not day)


def _with_next(parts: list[str], index: int) -> str:
    """The clause at ``index`` of a split by :data:`_CLAUSE_SPLIT`, with the next one if only a
    space parts them ("今晚 WhatsApp我", where the scripts were spaced apart)."""
    if index + 2 < len(parts) and not parts[index + 1].strip():
        return parts[index] + " " + parts[index + 2]
    return parts[index]


def _hours_of_the_ask(text: str) -> str:
    """ "我上午十点的号 看完估计中午了 下午谁能帮我接孩子": when a clause that asks names a part of the
    day, the hours told in clauses that don't ask (and name no day) are the writer's own, and are
    set aside. A bare "晚上" before the ask is kept: it belongs to the ask."""
    clauses = _CLAUSE_SPLIT.split(text)[0::2]
    if len(clauses) < 2 or _find_part(text, _LATIN_RE.search(text) is not None) is None:
        return text  # no part of the day named anywhere: no clause that asks names one
    parts, hours = [], []
    for clause in clauses:
        latin = _LATIN_RE.search(clause) is not None
        parts.append(_find_part(clause, latin) is not None)
        hours.append(parts[-1] or _find_clock(clause, latin) is not None)
    asking = [_ASK.search(clause) is not None for clause in clauses]
    # A bare clock time in the ask ("谁能三点送我") takes its part of the day from the other clauses.
    if not any(part and ask for part, ask in zip(parts, asking, strict=True)):
        return text
    kept = [
        clause
        for clause, timed, ask in zip(clauses, hours, asking, strict=True)
        if ask
        or not timed
        or len(clause) <= _BARE_TIME_CHARS
        or _ASK_DETAIL.search(clause) is not None
        or _has_day(clause)
    ]
    return " ".join(kept)


_BARE_TIME_CHARS = 5
"""A clause this short that names an hour ("晚上七点半") is the time of the clause after it."""
_ASK_DETAIL = re.compile(r"就行|就好|就可以|即可|都行|都可以|也行|也可以|左右|前后")
"""A clause that says what would do ("看到九点就行") is part of the ask."""


def _asks_now(text: str) -> bool:
    """ "明天要考试了 谁能马上帮忙讲讲": the help asked for now outweighs a day named elsewhere."""
    for clause in _CLAUSE_SPLIT.split(text)[0::2]:
        latin = _LATIN_RE.search(clause) is not None
        now_word = _NOW_ZH_RE.search(clause) or (latin and _NOW_EN_RE.search(clause))
        if now_word and _ASK.search(clause) and not _has_time(clause):
            return True
    return False


def _window(text: str, now: datetime) -> tuple[datetime, datetime] | None:
    """The window the time words in ``text`` name, placed after ``now``."""
    if not text:
        return None
    today = now.date()
    read = _read_times_memo if len(text) <= _MEMO_MAX_CHARS else _read_times
    day_hit, part_hit, clock_hit, says_now, until, from_now = read(text, today)
    if day_hit is None and part_hit is None and clock_hit is None:
        return (now, now + timedelta(hours=1)) if says_now else None
    anchor = day_hit[1] if day_hit is not None else _Day(today, roll=1)
    part = part_hit[1] if part_hit else None

    windows: list[tuple[datetime, datetime]] = []
    if clock_hit is not None:
        for start_h, end_h in _clock_hours(clock_hit[1], part):
            start = _at(anchor.day, start_h, clock_hit[1].minute, now)
            if end_h is not None:
                end = _at(anchor.day, end_h, clock_hit[1].end_minute, now)
            else:
                end = start + timedelta(hours=1)
            windows.append((start, end))
    elif part is not None:
        start_h, end_h = _PARTS[part]
        start = _at(anchor.day, start_h, 0, now)
        end = _at(anchor.day + timedelta(days=1 if end_h <= start_h else 0), end_h, 0, now)
        windows.append((start, end))
    else:
        last = anchor.day + timedelta(days=1 if anchor.weekend else 0)
        start, end = _at(anchor.day, 8, 0, now), _at(last, 20, 0, now)
        windows.append((max(start, now) if now < end else start, end))  # 今天 at 13:00: the rest of the day

    window = _ahead(windows, anchor, clock_hit, now)
    if part == "small_hours" and window[1] <= now:  # "今儿个后半夜两点": the night after today
        window = (window[0] + timedelta(days=1), window[1] + timedelta(days=1))
    if until:
        ends = window[0]
        begins = _at(ends.date(), _PARTS[part][0], 0, now) if part is not None and not from_now else now
        return max(begins, now) if begins < ends else now, ends
    return window


def _ahead(
    windows: list[tuple[datetime, datetime]],
    anchor: _Day,
    clock_hit: tuple[int, _Clock] | None,
    now: datetime,
) -> tuple[datetime, datetime]:
    """The first reading still ahead of us; otherwise the first reading rolled forward.

    A single clock time must still be ahead; a part of the day or a range only must not be over.
    A clock time said a few minutes late ("10点左右" at 10:10) still means today. A day said
    outright is never rolled, but its evening reading is taken once the morning one is over
    ("今天九点前" at 18:40 is nine tonight).
    """
    single_clock = clock_hit is not None and clock_hit[1].end_hour is None
    for start, end in windows:
        if (start + _GRACE if single_clock else end) > now:
            return start, end
    if not anchor.roll:
        return windows[0]
    start, end = windows[0]
    shift = timedelta(days=anchor.roll)
    return start + shift, end + shift


# --- time words typed in pinyin ----------------------------------------------------------------------------
# "mingtian xiawu shei you kong": whoever can't find the characters types the sounds; the time words
# are read as the characters they stand for. Syllables may stand apart ("ming tian"), tones are left out.
_PINYIN_WORDS = {
    "jin tian": "今天",
    "ming tian": "明天",
    "hou tian": "后天",
    "zuo tian": "昨天",
    "jin wan": "今晚",
    "ming wan": "明晚",
    "ming zao": "明早",
    "zao shang": "早上",
    "shang wu": "上午",
    "zhong wu": "中午",
    "xia wu": "下午",
    "bang wan": "傍晚",
    "wan shang": "晚上",
    "zhou mo": "周末",
    "xian zai": "现在",
    "ma shang": "马上",
}
_PINYIN_JOINED = {word.replace(" ", ""): chars for word, chars in _PINYIN_WORDS.items()}
_PINYIN_NUMBERS = {
    "yi": "一",
    "er": "二",
    "san": "三",
    "si": "四",
    "wu": "五",
    "liu": "六",
    "ri": "日",
    "tian": "天",
}
_PINYIN_HINT_RE = re.compile(r"\b(?:jin|ming|hou|zuo|zao|shang|zhong|xia|bang|wan|zhou|xing|xian|ma)\s?[a-z]")
_PINYIN_RE = re.compile(
    r"\b(?:"
    + "|".join(r"\s?".join(word.split()) for word in _PINYIN_WORDS)
    + r")\b|\b(?P<week>xia\s?zhou|zhe\s?zhou|zhou|xing\s?qi)\s?(?P<day>yi|er|san|si|wu|liu|ri|tian)\b"
    + r"|\b(?P<hour>\d{1,2})\s?dian\b"
)


def _from_pinyin(text: str) -> str:
    """The text with pinyin time words written as characters ("zhe zhouliu" -> "这周六")."""

    def characters(m: re.Match[str]) -> str:
        if m["hour"]:
            return m["hour"] + "点"
        if m["week"]:
            week = m["week"].replace(" ", "")
            prefix = {"xiazhou": "下周", "zhezhou": "这周", "zhou": "周", "xingqi": "星期"}[week]
            return " " + prefix + _PINYIN_NUMBERS[m["day"]] + " "
        return " " + _PINYIN_JOINED[m.group(0).replace(" ", "")] + " "

    return _PINYIN_RE.sub(characters, text)


# --- what a message's time words are about -----------------------------------------------------------------
_CLAUSE_SPLIT = re.compile(r"([,,。!!??;;\n]+|\s+)")
_PAST_CLAUSE = re.compile(
    r"昨天|昨晚|昨儿|昨日|前天|琴日|寻日|上周|上星期|上礼拜|上个月|去年|刚才|刚刚|忘了|忘记|已经|那次|上次|"
    r"(?<![号日节夕至夜一二三四五六七八九十旦])那天|"  # "31号那天" / "除夕那天" is ahead
    r"\b(?:yesterday|last (?:night|week|month)|ago|earlier today|this morning i)\b|"
    r"[点點](?:多|半|钟)?了(?![吗吧呢])"
)
_DONE_EARLIER = re.compile(
    r"(?:今天|今早|今儿|今日|(?<![天日儿明后早]))(?:一早|一大早|早上|早晨|上午|中午|凌晨|清早)"
    r"[^,,。!?!?\s]{0,12}(?:了|过(?![去来]))(?![吗吧呢])"
)
# "礼拜六，不对，礼拜天": what the writer says after correcting themself is what they mean.
_CORRECTION = re.compile(
    r"不对不对|不对|说错了|不是不是|口误|(?<![^\s,,])[哦噢啊呃]?(?:不是|不系|不啱)(?=[\s,,])|\bi mean\b|"
    r"(?<![^\s,,])[哦噢啊呃]?不(?=[\s,,]+(?:今|明|后|大后|下|这|周|礼拜|星期|早|上午|中午|下午|晚|夜|\d))"
)
""""明儿个 不是 后儿个", "听日 唔係 后日" (folded: 不系): a word alone that takes back the time before it
(a bare 不 only when a time follows it: "我 明天 不 在家" is voice-to-text spacing, no correction)."""
_OWN_PLANS = re.compile(
    r"(?:我|俺|本人|我们|咱|阿拉|阮)[^,,。!?!?]{0,8}(?:要|得|才|上班|加班|值班|出差|不在家|不在|没空|没时间|"
    r"回老家|回不来|住院|体检|开会|上课|考试|出门|不方便)|"
    r"(?:考试|期末考|结婚|出院|手术)|"
    r"(?:女儿|儿子|孩子|老伴|家里人)[^,,。!?!?]{0,8}(?:才回|不在|出差|回来)|"
    r"\b(?:i(?:'m| am)? (?:working|at work|away|out of town|busy)|i work)\b"
)


# A clause that tells what will happen or how things are, not when to help: "明天就断药",
# "不然晚上没法锁门", "晚上黑咕隆咚的", "下午就还". Its time words never name the window.
_SIDE_EVENT = re.compile(
    r"(?:就|要|会)(?:停|断|没|用完|考试|期末考|结婚|开学|截止|到期|还)|不然|否则|要不然|怕|担心|万一|"
    r"(?<!行)不行(?![吗么吧])|"  # "周四不行 周五下午": the time that won't do
    r"(?:早上|上午|中午|下午|傍晚|晚上|夜里|半夜|白天)[^,,。!?!?\s帮能可请谁]{0,4}(?:黑|冷|热|吵|睡不|起夜|摸黑|风(?:大|灌|吹)|"
    r"响|疼|痛|心慌|"
    r"害怕|不亮|看不见|就还|还你)|每天(?:早上|上午|中午|下午|晚上)就"
)
_FREE_AGAIN = re.compile(
    r"(?P<lead>\b(?:stuck|away|working|shut|closed|can'?t come|cannot come|(?:won'?t|not) be back|"
    r"out of town|under (?:repair|maintenance)|travell?ing|on a trip)\b[^.,!?;]{0,30}\b(?:till|until|til)\b|"
    r"\b(?:in|at) (?!the\b|an?\b|my\b|our\b)[a-z]+ (?:for work )?(?:till|until|til)\b)"
    r"\s+(?:the\s+)?[\w']+(?:\s+(?:night|morning|afternoon|evening|noon))?"
)
"""When someone or something is back ("I'm stuck in HK till Sunday", "the plumber can't come till
Monday"): a reason for asking, not the time of the help."""


def _has_time(text: str) -> bool:
    latin = _LATIN_RE.search(text) is not None
    return bool(
        _HOLIDAY_RE.search(text)
        or _find_day(text, _ANY_DAY, latin)
        or _find_part(text, latin)
        or _find_clock(text, latin)
    )


_REASON = re.compile(r"要不然|不然|否则|(?<![害可恐哪])怕|担心|万一")
"""Where a clause turns from the help to why it is needed ("…八点陪我去抽血 空腹的我眼睛看不清路怕走错")."""


def _before_reason(clause: str) -> str:
    """An asking clause that runs on into its reason, as voice-to-text does with no punctuation, keeps
    its own time words: only the reason is set aside ("谁明早八点陪我去医院我怕走错" asks for 8:00)."""
    reason = _REASON.search(clause)
    if reason is None:
        return clause
    ask = clause[: reason.start()]
    return ask if _ASK.search(ask) and _has_time(ask) else clause


def _focus(text: str) -> str:
    """Sets aside time words that are not about the help asked for.

    A clause about the past ("早上买菜忘了买葱") names no window; a clause about the writer's own
    plans ("我明天要上班") gives way when another clause names a time ("谁能今晚帮我遛狗").
    """
    if "不" in text or "口误" in text or "mean" in text:
        for correction in reversed(list(_CORRECTION.finditer(text))):
            if _has_time(text[correction.end() :]):
                text = text[correction.end() :]
                break
    text = _FREE_AGAIN.sub(lambda m: m.group("lead"), text)
    if (
        not _PAST_CLAUSE.search(text)
        and not _OWN_PLANS.search(text)
        and not _SIDE_EVENT.search(text)
        and not _DONE_EARLIER.search(text)
    ):
        return text  # nothing to set aside
    clauses = [_before_reason(clause) for clause in _CLAUSE_SPLIT.split(text)[0::2]]
    timed = [i for i, clause in enumerate(clauses) if clause and _has_time(clause)]
    drop = {
        i
        for i in timed
        if (_PAST_CLAUSE.search(clauses[i]) and not (len(timed) == 1 and _past_after_the_ask(clauses[i])))
        or (_SIDE_EVENT.search(clauses[i]) and not (len(timed) == 1 and _ASK.search(clauses[i])))
        or (_DONE_EARLIER.search(clauses[i]) and not _ASK.search(clauses[i]))
    }
    plans = {
        i for i in timed if i not in drop and _OWN_PLANS.search(clauses[i]) and not _ASK.search(clauses[i])
    }
    if len(timed) - len(drop) - len(plans) > 0:
        drop |= plans
    if not drop:
        return text
    kept = [clause for i, clause in enumerate(clauses) if i not in drop]
    # "周六我得去医院陪床 谁能十点半帮我接孩子": the day of the writer's plan, told before the ask, is
    # the ask's day too when the ask names an hour but no day of its own.
    first_ask = next((i for i, clause in enumerate(clauses) if _ASK.search(clause)), len(clauses))
    if not any(_has_day(clause) for clause in kept):
        before_ask = [_day_phrase(clauses[i]) for i in sorted(plans & drop) if i < first_ask]
        carried = next((phrase for phrase in before_ask if phrase), None)
        if carried:
            kept.insert(0, carried)
    return " ".join(kept)


def _past_after_the_ask(clause: str) -> bool:
    """ "谁明天上午有空帮我去社区把老年证领回来说是已经办好了": one run-on clause that asks, its past
    word told after its time words, keeps its time."""
    if not _ASK.search(clause):
        return False
    past = _PAST_CLAUSE.search(clause)
    latin = _LATIN_RE.search(clause) is not None
    hits = (_find_day(clause, _ANY_DAY, latin), _find_part(clause, latin), _find_clock(clause, latin))
    first = min((hit[0] for hit in hits if hit is not None), default=None)
    return past is not None and first is not None and past.start() > first


_DAY_PHRASES = (_REL_DAY_RE, _WEEKDAY_RE, _HOLIDAY_RE, _DATE_MD_RE, _NEXT_MONTH_RE, _DATE_D_RE)
_PART_IN_DAY = re.compile(r"[晚早夜]")
_SPAN_BEFORE = re.compile(r"(?:到|至)\s*$")
_SPAN_AFTER = re.compile(r"\s*(?:到|至|才|~|-|—)")


def _has_day(clause: str) -> bool:
    """Whether ``clause`` names a day at all."""
    return _find_day(clause, _ANY_DAY, _LATIN_RE.search(clause) is not None) is not None


def _day_phrase(clause: str) -> str | None:
    """The words that name one day in ``clause`` ("周六", "元旦那天", "12月5号"), if a Chinese day word
    does: not a part of a day ("今晚"), an end ("出差到礼拜天") or a range ("周一到周五")."""
    found = _find_day(clause, _ANY_DAY, False)
    if found is None:
        return None
    for pattern in _DAY_PHRASES:
        m = pattern.match(clause, found[0])
        if m:
            phrase, before, after = m.group(0), clause[: m.start()], clause[m.end() :]
            if _PART_IN_DAY.search(phrase) or _SPAN_BEFORE.search(before) or _SPAN_AFTER.match(after):
                return None
            return phrase
    return None


# --- deadlines and "soon" -------------------------------------------------------------------------------
_WITHIN_RE = re.compile(
    r"(?P<n>\d{1,2}(?:\.5)?|[一二两三四五六七八九十半]{1,2})\s*个?\s*(?P<half>半)?\s*(?:小时|钟头)\s*(?:之内|以内|内)"
    r"|(?P<m>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*分钟\s*(?:之内|以内|内)"
    r"|(?P<d>\d{1,2}|[一二两三四五六七八九十]{1,2})\s*天\s*(?:之内|以内|内)"
    r"|\b(?:within|in the next)\s+"
    r"(?:(?P<en>\d{1,2})\s+(?:hours?|hrs?)|(?P<an>an|one)\s+hour|(?P<halfen>half (?:an? )?hour))\b"
    r"|\bin\s+(?:an|one)\s+hour\b"
)
_LATER_RE = re.compile(
    r"(?P<n>\d{1,3}|[一二两三四五六七八九十半]{1,3})\s*个?\s*(?P<half>半)?\s*(?P<unit>分钟|小时|钟头)\s*(?:以后|之后|后)(?![天面])"
    r"|\bin\s+(?P<en>\d{1,3}|an?|one|half an?)\s+(?P<eunit>minutes?|mins?|hours?|hrs?)\b"
)
"""A moment from now: 二十分钟以后, 半小时后, 一个半小时之后, in 20 minutes, in an hour."""


def _hours_of(later: re.Match[str]) -> float | None:
    """How many hours from now a :data:`_LATER_RE` match names (None if its number can't be read)."""
    number = later["n"] or later["en"]
    if number in ("半", "half a", "half an"):
        amount: float | None = 0.5
    elif number in ("a", "an", "one"):
        amount = 1.0
    else:
        amount = float(number) if number.isdigit() else cn_to_int(number)
    if amount is None:
        return None
    amount += 0.5 if later["half"] else 0
    minutes = (later["unit"] or later["eunit"]).startswith(("分", "min"))
    return amount / 60 if minutes else amount


_SOON_RE = re.compile(
    r"(?<![聊坐陪歇玩睡躺说看])(?:待会儿?|呆会儿?|等会儿?|等下|等一下|一会儿?|过一会儿?|稍后|迟啲|阵间|一歇|等歇|等一歇|等阵|等陣|等哈)"
    r"(?=\s*(?:[帮来能谁哪去有再要就过我你]|开车|出门|下楼|路过|顺路|anyone|someone|$))"
    r"|\b(?:in a bit|in a while|shortly|soon as possible)\b"
)
_THIS_PERIOD_RE = re.compile(r"(?:这个?|本)(?P<p>月|周|星期|礼拜)(?:之内|以内|内)")
_DEADLINE_RE = re.compile(
    r"(?P<t>[^\s,,。!!??;;]{1,10}?)(?:之前|以前|(?<![提目当跟眼])前|截止|为止)(?!天|年|面|台|门|边|段|阵|几|些|两|一天|一阵|一晚|后|晌|半晌)"
    r"|(?:截止(?:日期|时间)?(?:到|至|是)?|最晚|最迟|不晚于|ddl\s*(?:是)?)\s*(?P<until>[^\s,,。!!??;;]{1,10})"
    r"|\b(?:by|before|b4|no later than|at the latest|deadline(?: is)?)\s+(?P<en>[a-z0-9: ]{1,20}?)"
    r"(?=[,.!?]|$|\s+(?:please|pls|thanks|could|can|would|will|anyone|someone|somebody|i|is)\b|\s+[—-]|\s*(?![栋号楼座幢单室])[^\x00-\x7f])"
)
_REPLY_BY = re.compile(r"(?:lmk|let me know|send me|tell me|text me|dm me|说一声|告诉我|私信我)[^,,。]*$")
""""send me a list b4 9": when to answer, not when the help is."""
_REPLY_AFTER = re.compile(r"[^,,。]{0,8}(?:发我|告诉我|说一声|私信我|回复我|报给我)")
""""今晚十一点前把名字发我": the answer is due then, not the help."""
_DEADLINE_WORD = re.compile(r"前|截止|为止|最晚|最迟|不晚于|ddl|by|before|b4|no later than|latest|deadline")
"""Words every deadline names (:data:`_DEADLINE_RE` matches none without one of them)."""
_MEALS = {
    "早饭": 7,
    "早餐": 7,
    "午饭": 11,
    "午餐": 11,
    "中饭": 11,
    "晚饭": 18,
    "晚餐": 18,
    "夜饭": 18,
    "天黑": 17,
    "暗晡": 18,
    "下班": 18,
}
_MEAL_RE = re.compile("|".join(_MEALS))
_MONTH_END_RE = re.compile(r"月底|月末|end of (?:the )?month")
_UNTIL_BEFORE = re.compile(
    r"(?:到|至|until|till|til)\s*(?:about|around|abt)?\s*(?P<part>晚上|下午|中午|上午)?\s*$"
)
"""Before a clock time that ends the window: "看到9点", "一直到晚上9点" (the part is the clock's)."""


def _within_hours(text: str) -> float | None:
    """两小时内 / within 2 hours → 2; 待会儿 → 1; no such words → None."""
    m = _WITHIN_RE.search(text)
    if m is not None:
        if m["m"]:
            hours = max(cn_to_int(m["m"]) or 0, 10) / 60
        elif m["n"]:
            number = m["n"]
            hours = (
                0.5
                if number == "半"
                else float(number)
                if number[0].isdigit()
                else float(cn_to_int(number) or 1)
            )
            hours += 0.5 if m["half"] else 0
        elif m["d"]:
            hours = 24.0 * (int(m["d"]) if m["d"].isdigit() else cn_to_int(m["d"]) or 1)
        elif m["en"]:
            hours = float(m["en"])
        elif m["halfen"]:
            hours = 0.5
        else:
            hours = 1.0
        return max(hours, 0.25)
    if _SOON_RE.search(text) is not None and not _has_time(text):
        return 1.0
    return None


def _deadline_end(phrase: str, now: datetime) -> datetime | None:
    if phrase.isdigit() and 1 <= int(phrase) <= 12:  # "before 6": the next six o'clock
        for hour in (int(phrase), int(phrase) + 12, int(phrase) + 24):
            moment = _at(now.date(), hour, 0, now)
            if moment > now:
                return moment
    meal = _MEAL_RE.search(phrase)
    if meal is not None:
        day = _window(phrase[: meal.start()], now) if meal.start() else None
        moment = _at((day[0] if day else now).date(), _MEALS[meal.group(0)], 0, now)
        return moment if moment > now else moment + timedelta(days=1)
    if _MONTH_END_RE.search(phrase):
        first_next = _add_months(now.date().replace(day=1), 1)
        if first_next is None:
            return None
        return _at(first_next - timedelta(days=1), 20, 0, now)
    window = _window(phrase, now)
    if window is None:
        return None
    latin = _LATIN_RE.search(phrase) is not None
    clock = _find_clock(phrase, latin)
    return window[0] if clock is not None else window[1]


# --- durations ------------------------------------------------------------------------------------------
_DURATION_RE = re.compile(
    r"(?P<half_only>半)\s*(?:个)?\s*(?:小时|钟头)"
    r"|(?<![\d.])(?P<n>\d{1,3}(?:\.\d{1,2})?|[零一二两三四五六七八九十]{1,3})\s*(?:个)?\s*(?P<half>半)?\s*(?:多)?\s*(?:个)?\s*"
    r"(?P<unit>小时|钟头|hours?|hrs?|h\b|分钟|minutes?|mins?\b)"
    r"|(?P<half_en>half an hour)|(?P<an_hour>\ban hour\b)"
)


def parse_duration(text: str) -> float | None:
    """Reads how long something took or will take, in hours: 两个小时 → 2.0, 40分钟 → 0.67."""
    if "时" not in text and "钟" not in text and _LATIN_RE.search(text) is None:
        return None
    m = _DURATION_RE.search(text)
    if not m:
        return None
    if m["half_only"] or m["half_en"]:
        return 0.5
    if m["an_hour"]:
        return 1.0
    raw = m["n"]
    value: float | None
    try:
        value = float(raw)
    except ValueError:
        # "两三" reads as its first number; everything else through cn_to_int.
        number = cn_to_int(raw) if len(raw) == 1 or "十" in raw else cn_to_int(raw[0])
        value = float(number) if number is not None else None
    if value is None:
        return None
    if m["half"]:
        value += 0.5
    unit = m["unit"]
    if unit.startswith(("分", "min")):
        value = value / 60
    if value <= 0 or value > 24 * 7:
        return None
    return round(value, 2)
