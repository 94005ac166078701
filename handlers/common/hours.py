"""Hours a volunteer claims for a task (完成 #1 用了一百六十小时), read in full and checked."""

from __future__ import annotations

import re

from handlers.common.context import Ctx
from handlers.common.errors import LinliError
from handlers.common.texts import t
from storage.models import Task

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5}
_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "萬": 10_000}
_NUMERAL = "零〇一二两兩三四五六七八九十百千万萬"

_CLAIM = re.compile(
    rf"(?P<sign>[-−－负負])?\s*(?P<number>\d+(?:\.\d+)?|[{_NUMERAL}]+)?\s*(?:个|個)?\s*(?P<half>半)?\s*"
    r"(?P<unit>小时|小時|钟头|鐘頭|个钟|個鐘|hours?|hrs?|h\b|分钟|分鐘|minutes?|mins?)",
    re.I,
)


class HoursRefused(LinliError):
    """Claimed hours are not above zero, or more than one task may credit without staff."""

    text_id = "hours.refused"


def chinese_number(text: str) -> int | None:
    """Reads a Chinese numeral in full: 十二 → 12, 一百六十 → 160, 两千零五 → 2005; None if not one."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            continue
        unit = _UNITS[ch]
        if unit == 10_000:
            total += (section + (digit or 0)) * unit
            section, digit = 0, None
        else:
            section += (1 if digit is None else digit) * unit
            digit = None
    return total + section + (digit or 0)


def claimed_hours(text: str) -> float | None:
    """The hours a message claims ('用了150小时', '一个半小时', '90分钟', '-5小时'), signed, or None."""
    for found in _CLAIM.finditer(text):
        number, half = found.group("number"), found.group("half")
        if number is None and half is None:
            continue
        if number is None:
            value = 0.0
        elif number[0].isdigit():
            value = float(number)
        else:
            parsed = chinese_number(number)
            if parsed is None:
                continue
            value = float(parsed)
        if half:
            value += 0.5
        if found.group("unit").lower().startswith(("分", "min")):
            value /= 60
        return -value if found.group("sign") else value
    return None


def check_hours(hours: float, task: Task, ctx: Ctx, language: str | None) -> float:
    """Returns the hours if one 确认 may credit them: above zero and within the per-task cap
    (``[lovebank] hours_cap``); raises HoursRefused otherwise, saying staff approve more."""
    cap = ctx.settings.hours_cap
    if hours <= 0:
        raise HoursRefused(f"{hours} h", why=t(language, "hours.not_positive"), id=task.id)
    if hours > cap:
        raise HoursRefused(
            f"{hours} h > {cap}", why=t(language, "hours.over_cap", cap=f"{cap:g}"), id=task.id
        )
    return hours
