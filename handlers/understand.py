"""Reads one chat message and says what it is: a request, an offer, an emergency, or nothing for us.

A pure, rule-based recogniser (no model, no network) so it is fast, explainable and testable:
lexicons in :mod:`handlers.lexicon`, time windows in :mod:`handlers.timeparse`. The contract it
implements is ``corpus/CONTRACT.md``; ``linli parse`` feeds it JSON lines through :func:`parse_line`.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from functools import lru_cache
from typing import Any

from handlers import lexicon as lx
from handlers.timeparse import cn_to_int, parse_duration, parse_when

__all__ = ["Intent", "Understanding", "parse_line", "to_simplified", "understand"]

log = logging.getLogger(__name__)

_CHINA = timezone(timedelta(hours=8))
_CACHE_MAX_CHARS = 300
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_TIME_NOISE_RE = re.compile(
    r"(?<![\d\-/])\d{1,2}-\d{1,2}-\d{3,4}(?![\d\-/])|\d{5,}|(?<!\d)\d{1,4}\s*(?:楼|层|岁|年级|floor|th floor)"
)
_CHRONIC_RE = re.compile(r"最近|经常|老是|总是|有时|偶尔|检查|复查|体检|陪|挂号|lately|sometimes|check-?up")
_MISSING_PERSON_RE = re.compile(
    r"老人|奶奶|爷爷|妈|爸|老伴|孩子|儿子|女儿|孙|大爷|阿姨|老头|老太|姥|婆|公公|外公|爹|娘|老爷子|"
    r"\b(?:mom|mum|dad|mother|father|grandma|grandpa|grandmother|grandfather|son|daughter|kid|child|husband|wife)\b"
)
_LOOKING_FOR_HELP_AFTER = re.compile(r"^[^。!?]{0,3}(?:帮|来|陪|照顾|做|送|修|买)")
_DIGITISH_RE = re.compile(r"[\d零〇一二两三四五六七八九十]")
_HELP_ME_RE = re.compile(r"帮(?:我|忙|俺)|help")
_FALL_WORD_RE = re.compile(r"摔|跌|倒|滑")
_GENERIC_ALARM = frozenset({"救命", "快来人", "sos"})
_BUILDING_HINT_RE = re.compile(r"[楼栋幢院座]")
_ROOM_HINT_RE = re.compile(r"[楼栋幢元室房]")


class Intent(StrEnum):
    """What a message asks the bot to do."""

    REQUEST = "request"
    OFFER = "offer"
    EMERGENCY = "emergency"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Understanding:
    """Everything Linli reads from one message; handlers decide what to do with it."""

    intent: Intent
    category: str | None
    urgency: str | None
    when: tuple[datetime, datetime] | None
    language: str
    building: str | None = None
    unit: str | None = None
    room: str | None = None
    duration_hours: float | None = None
    skills: tuple[str, ...] = ()
    emergency_kind: str | None = None
    explicit: bool = False
    wellbeing: str | None = None


# --- small readers ---------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Converts traditional Chinese to simplified with OpenCC (phrase-aware); other text passes through."""
    if not text or not any(ch in lx.TRAD_ONLY for ch in text):
        return text
    try:
        return str(_converter().convert(text))
    except Exception:  # pragma: no cover - OpenCC missing or broken: fall back to the char table
        log.warning("OpenCC conversion failed; using the character table")
        return text.translate(lx.T2S_TABLE)


def _language(text: str, folded: str) -> str:
    """zh-Hant when traditional-only characters show up, en when Latin letters clearly dominate.

    ``folded`` is ``text`` after the traditional→simplified table; when nothing changed the
    message has no traditional characters and the per-character count is skipped.
    """
    latin = len(_LATIN_RE.findall(text))
    if latin >= 2:
        cjk = len(_CJK_RE.findall(text))
        if latin > 4 * cjk:
            return "en"
    if folded == text.lower():
        return "zh-Hans"
    trad = sum(1 for ch in text if ch in lx.TRAD_ONLY)
    if trad >= 2 or (trad == 1 and len(_CJK_RE.findall(text)) < 8):
        return "zh-Hant"
    return "zh-Hans"


_PRIORITY = {name: i for i, name in enumerate(lx.CATEGORY_PRIORITY)}


def _ranked(scores: dict[str, int]) -> list[tuple[str, int]]:
    """Categories by score; ties go to the more specific service (medicine before shopping)."""
    return sorted(scores.items(), key=lambda item: (-item[1], _PRIORITY.get(item[0], 99)))


def _emergency_kind(text: str, latin: bool) -> str | None:
    """Names the danger in a message, or None; errs towards raising the alarm."""
    if lx.EMERGENCY_ANY.search(text, latin) is None:
        return None
    acute = lx.EMERGENCY_ACUTE.search(text, latin) is not None
    if not acute and (lx.EMERGENCY_RESOLVED.search(text, latin) or lx.EMERGENCY_NOT_NOW.search(text, latin)):
        return None
    past = lx.EMERGENCY_PAST.search(text, latin) is not None
    for kind, cues in lx.EMERGENCY_CORE.items():
        for m in cues.finditer(text, latin):
            before = text[max(0, m.start() - 8) : m.start()]
            if lx.EMERGENCY_NEGATION.search(before):
                continue
            word = m.group(0)
            # 摔了 alone could be a phone, 起不来 a lazy morning: they need a person, or a fall.
            if kind == "fall" and word in lx.FALL_NEEDS_PERSON and not lx.PERSON_BEFORE.search(before):
                continue
            if kind == "fall" and word == "起不来" and not _FALL_WORD_RE.search(text):
                continue
            if kind == "gas" and lx.GAS_OBJECT_BEFORE.search(before):
                continue
            if kind == "flood" and lx.FLOOD_MILD.search(text) and not lx.FLOOD_STRONG.search(text):
                continue
            if kind == "missing":
                if lx.EMERGENCY_OBJECT_BEFORE.search(before) or lx.MISSING_PAST.search(text, latin):
                    continue
                if lx.DEMENTIA.search(text, latin):
                    return kind
                if lx.PET.search(text, latin) or not lx.MISSING_STRONG.search(m.group(0)):
                    continue
                if not _MISSING_PERSON_RE.search(text):
                    continue
                if _LOOKING_FOR_HELP_AFTER.search(text[m.end() : m.end() + 4]):
                    continue
                return kind
            if past and not acute:
                continue
            if kind == "chest_pain" and not acute and _CHRONIC_RE.search(text):
                continue
            if kind == "fire" and "烟" in m.group(0) and lx.SMOKING.search(text, latin) and not acute:
                continue
            if kind == "other_medical" and lx.STROKE_PAST.search(text, latin):
                continue
            if word in _GENERIC_ALARM and lx.CHATTER.search(text, latin):
                continue  # "笑死我了 救命" is a joke, not an alarm
            return kind
    return None


def _urgency(text: str, latin: bool) -> str:
    """urgent when the sender says it cannot wait; "不着急" is removed first so it never counts."""
    calm = lx.NOT_URGENT.sub(" ", text, latin)
    return "urgent" if lx.URGENT.search(calm, latin) else "normal"


def _where(text: str) -> tuple[str | None, str | None, str | None]:
    """Building, unit and room as written (5-1-302, 3号楼2单元502, Building 6 unit 2 1202)."""
    if not _DIGITISH_RE.search(text):
        return None, None, None
    triple = lx.ADDRESS_TRIPLE.search(text)
    if triple:
        return f"{int(triple[1])}号楼", f"{int(triple[2])}单元", triple[3]
    building = unit = room = None
    latin = lx.has_latin(text)
    m = lx.BUILDING.search(text) if latin or _BUILDING_HINT_RE.search(text) else None
    if m:
        number = cn_to_int(m["n"]) if m["n"] else int(m["e"])
        if number:
            building = f"{number}号楼"
    m = lx.UNIT.search(text) if latin or "单元" in text else None
    if m:
        number = cn_to_int(m["n"]) if m["n"] else int(m["e"])
        if number:
            unit = f"{number}单元"
    m = lx.ROOM.search(text) if latin or _ROOM_HINT_RE.search(text) else None
    if m:
        room = m["a"] or m["b"] or m["c"] or m["d"]
    return building, unit, room


def _wellbeing(text: str, latin: bool) -> str | None:
    """good / fair / bad from how the writer says they feel, for check-in replies; None if unsaid."""
    text = lx.WELL_NEGATED_BAD.sub(" 没事 ", text, latin)
    if lx.WELL_BAD.search(text, latin):
        return "bad"
    if lx.WELL_FAIR.search(text, latin):
        return "fair"
    if lx.WELL_GOOD.search(text, latin):
        return "good"
    return None


def _intent(text: str, scores: dict[str, int], latin: bool) -> Intent:
    """Request, offer or other from cue phrases, with vetoes for notices, ads, thanks and chatter."""
    if lx.ACK_ONLY.match(text):
        return Intent.OTHER
    ads = lx.AD.count(text, latin)
    if ads >= 2 or lx.AD_KILLER.search(text, latin) or lx.NOTICE_STRONG.search(text, latin):
        return Intent.OTHER
    if lx.CANCEL.search(text, latin):
        return Intent.OTHER
    question = lx.QUESTION_INFO.search(text, latin) is not None
    cue_text = " " + (lx.QUESTION_INFO.sub(" , ", text, latin) if question else text)
    req_strong = lx.REQUEST_STRONG.count(cue_text, latin)
    off_strong = lx.OFFER_STRONG.count(cue_text, latin)
    if off_strong and off_strong > req_strong:
        # "大家好 我是新来的网格员 有事找我" introduces someone; it offers no service.
        if not scores and lx.GREETING.search(text, latin):
            return Intent.OTHER
        return Intent.OFFER
    if req_strong:
        return Intent.REQUEST
    thanks = lx.THANKS.search(text, latin) is not None
    soft_veto = bool(
        question
        or lx.NOTICE_WEAK.search(text, latin)
        or lx.CHATTER.search(text, latin)
        or lx.GREETING.search(text, latin)
        or lx.COMPLAINT.search(text, latin)
        or lx.SELF_HANDLED.search(text, latin)
        or lx.PRAISE.search(text, latin)
        or lx.PAST_DONE.search(text, latin)
        or (thanks and (lx.THANKS_FIRST.match(text) or lx.THANKS_CONTEXT.search(text, latin)))
    )
    if soft_veto or ads:
        return Intent.OTHER
    best = max(scores.values(), default=0)
    if lx.REQUEST_WEAK.search(cue_text, latin) and (best >= 1 or _HELP_ME_RE.search(cue_text)):
        return Intent.REQUEST
    if best >= 3 and lx.NEED_STATEMENT.search(text, latin):
        return Intent.REQUEST
    return Intent.OTHER


def understand(text: str, now: datetime) -> Understanding:
    """Reads a message posted at ``now``; never raises, whatever the input."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        return _understand(text, now)
    except Exception:  # a recogniser bug must not take the chat pipeline down with it
        log.exception("understand failed on a %d-character message", len(text))
        return Understanding(Intent.OTHER, None, None, None, "zh-Hans")


def _understand(text: str, now: datetime) -> Understanding:
    reading, time_text = _read(text) if len(text) > _CACHE_MAX_CHARS else _read_cached(text)
    if time_text is None:
        return reading
    when = parse_when(time_text, now)
    if when is None:
        return reading  # the cached reading has no window: share it
    return replace(reading, when=when)


@lru_cache(maxsize=4096)
def _read_cached(text: str) -> tuple[Understanding, str | None]:
    """Chats repeat themselves (好的, 收到, 谢谢, 我来): the text-only part is memoised."""
    return _read(text)


def _read(text: str) -> tuple[Understanding, str | None]:
    """Everything that depends on the text alone, plus the text to read a time window from."""
    cleaned = lx.clean(text)
    body = lx.fold(cleaned)
    language = _language(cleaned, body)

    explicit: Intent | None = None
    if lx.EXPLICIT_REQUEST.search(body):
        explicit = Intent.REQUEST
    elif lx.EXPLICIT_OFFER.search(body):
        explicit = Intent.OFFER
    if explicit is not None:
        body = lx.EXPLICIT_STRIP.sub(" ", body)

    latin = lx.has_latin(body)
    building, unit, room = _where(body)
    kind = _emergency_kind(body, latin)
    common: dict[str, Any] = {
        "language": language,
        "building": building,
        "unit": unit,
        "room": room,
        "duration_hours": parse_duration(body),
        "emergency_kind": kind,
        "wellbeing": _wellbeing(body, latin),
    }
    if kind is not None and explicit is None:
        return Understanding(Intent.EMERGENCY, None, "urgent", None, **common), None

    scores = lx.category_scores(body)
    intent = explicit or _intent(body, scores, latin)
    time_text = _TIME_NOISE_RE.sub(" ", body)
    if intent is Intent.OTHER:
        return Understanding(Intent.OTHER, None, None, None, **common), time_text

    ranked = _ranked(scores)
    forced = explicit is not None
    if intent is Intent.REQUEST:
        urgency = "urgent" if kind is not None else _urgency(body, latin)
        wanted = ranked[0][0] if ranked else "other"
        return Understanding(Intent.REQUEST, wanted, urgency, None, explicit=forced, **common), time_text
    # An offer names a skill only with real evidence; "我明天有空" stays general (category None).
    named = [name for name, score in ranked if score >= 2]
    skills = tuple(name for name, score in ranked if score >= 3) or tuple(named[:1])
    main = named[0] if named else None
    offer = Understanding(Intent.OFFER, main, None, None, skills=skills, explicit=forced, **common)
    return offer, time_text


# --- JSON lines ------------------------------------------------------------------------------------------
def _error(message: str) -> str:
    return json.dumps({"error": message})


def _as_json(u: Understanding) -> dict[str, Any]:
    return {
        "intent": u.intent.value,
        "category": u.category,
        "urgency": u.urgency,
        "when": [u.when[0].isoformat(), u.when[1].isoformat()] if u.when else None,
        "language": u.language,
        "building": u.building,
        "unit": u.unit,
        "room": u.room,
        "duration_hours": u.duration_hours,
        "skills": list(u.skills),
        "emergency_kind": u.emergency_kind,
        "wellbeing": u.wellbeing,
        "explicit": u.explicit,
    }


def parse_line(line: str) -> str:
    """One contract input line in, one JSON output line out; bad input gets {"error": ...}, never raises."""
    try:
        if isinstance(line, bytes | bytearray):
            line = bytes(line).decode("utf-8", errors="replace")
        if not isinstance(line, str):
            return _error("input must be a line of text")
        line = line.strip()
        if not line:
            return _error("empty line")
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):
            return _error("not valid JSON")
        if not isinstance(data, dict):
            return _error("expected a JSON object with text and now")
        text = data.get("text")
        if not isinstance(text, str):
            return _error("'text' must be a string")
        raw_now = data.get("now")
        if not isinstance(raw_now, str):
            return _error("'now' must be an ISO 8601 timestamp")
        try:
            now = datetime.fromisoformat(raw_now.strip())
        except ValueError:
            return _error("'now' is not an ISO 8601 timestamp")
        if now.tzinfo is None:
            now = now.replace(tzinfo=_CHINA)
        return json.dumps(_as_json(understand(text, now)), ensure_ascii=False)
    except Exception as exc:  # the contract: one answer per line, whatever happens
        log.exception("parse_line failed")
        return _error(f"internal error: {type(exc).__name__}")
