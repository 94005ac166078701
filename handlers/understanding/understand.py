"""Reads one chat message and says what it is: a request, an offer, an emergency, or nothing for us.

Two independent readers: a model learned from ``corpus/lines`` (:mod:`textmodel`) and a
danger reader made of rules (:mod:`danger`); either raises the alarm, unless the danger
reader finds the message plainly harmless. Time windows come from :mod:`timeparse`,
places from :mod:`lexicon`. The contract it implements is ``../shared/corpus/CONTRACT.md``;
``linli parse`` feeds it JSON lines through :func:`parse_line`.
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

from handlers.understanding import lexicon as lx
from handlers.understanding.actions import names_a_release
from handlers.understanding.danger import read_danger
from handlers.understanding.textmodel import HINT, NO_CATEGORY, features, load_model
from handlers.understanding.timeparse import cn_to_int, parse_duration, parse_when

__all__ = ["Intent", "Understanding", "parse_line", "to_simplified", "understand"]

log = logging.getLogger(__name__)

_CHINA = timezone(timedelta(hours=8))
_CACHE_MAX_CHARS = 300
SKILL_PROBABILITY = 0.2
MAX_SKILLS = 3
EMERGENCY_THRESHOLD = 0.25
"""The model's danger probability (the mean of the binary emergency head and the intent head's
emergency class) that raises the alarm on its own, recall first. Chosen by 5-fold cross-validation on
the training split (23,031 lines, with the danger reader beside it): 0.35/0.3/0.25/0.2 missed 35/22/17/13
emergencies of 4,500 and turned 6.9/7.1/7.5/8.0% of the chatter into a card of some kind. From 0.3 to
0.25 five more emergencies are caught for about 25 more false alarms; below that each catch costs
eight. Re-checked on 26,422 lines: 0.3/0.25/0.2 miss 33/25/18 of 5,176 for 7.9/8.1/8.8%."""
SURE_DESPITE_READER = 0.5
"""A danger probability at which the model overrules the danger reader's "harmless" (a forwarded
alert it took for a notice, "已经" read as over): below it the reader's reason stands. Chosen by the same
cross-validation: at a threshold of 0.3, 0.6 -> 0.5 caught four more emergencies for four more false
alarms. The reader's own alarm is never overruled, however sure the model is that nothing is wrong:
out of fold the model gave "我想死" 0.004."""
NEVER_OVERRULED = frozenset({"object", "mild"})
"""Reasons the model can't overrule however sure it is: a broken thing with nobody named
("电饭锅插上电没反应") has no one in it, and a message that is nothing but a mild complaint ("还是头晕")
is news for the check-in (the pair hear of it), not a call for staff."""
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_TIME_NOISE_RE = re.compile(
    r"(?<![\d\-/])\d{1,2}-\d{1,2}-\d{3,4}(?![\d\-/])|\d{5,}|(?<!\d)\d{1,4}\s*(?:楼|层|岁|年级|floor|th floor)"
)
_DIGITISH_RE = re.compile(r"[\d零〇一二两三四五六七八九十]")
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
    confidence: float = 1.0


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
    """Chats repeat themselves (好的, 收到, 谢谢, 我来): the text-only part is memoised.

    Bounded by size, not only by count: only texts of at most 300 characters are kept, 4,096 of
    them, so the memo never holds more than ~1.2 M characters of what residents wrote.
    """
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
    model = load_model()
    named = lx.category_scores(body)
    predicted = model.predict(features(without_address(body), lexicon_hints(body, named, latin)))
    intents = predicted.intent
    # Recall first: either the model or the danger reader raises the alarm, unless the reader
    # finds the message plainly past, a notice or drill, a how-to question or a joke and the model
    # is not sure otherwise. Two heads judge danger (a binary one and the intent head); their mean
    # is steadier than either.
    danger_p = (predicted.emergency["emergency"] + intents[Intent.EMERGENCY]) / 2
    danger = read_danger(body, model_alarmed=danger_p >= EMERGENCY_THRESHOLD)
    harmless = danger.harmless
    if harmless is None and danger.kind is None and names_a_release(body):
        harmless = "release"  # "sorry, something came up, I can't make it": a volunteer stepping back
    model_alarm = danger_p >= EMERGENCY_THRESHOLD and (
        harmless is None or (harmless not in NEVER_OVERRULED and danger_p >= SURE_DESPITE_READER)
    )
    seen = danger.alarm or model_alarm
    kind = (danger.kind or "other") if seen else None
    alarm = seen and explicit is None  # "#求助 爷爷晕倒了" stays a request, with its kind: still an alarm
    common: dict[str, Any] = {
        "language": language,
        "building": building,
        "unit": unit,
        "room": room,
        "duration_hours": parse_duration(body),
        "emergency_kind": kind,
        "wellbeing": _wellbeing(body, latin),
    }
    if alarm:
        confidence = max(danger_p, 0.5 if danger.alarm else 0.0)
        return Understanding(Intent.EMERGENCY, None, "urgent", None, confidence=confidence, **common), None

    if explicit is not None:
        intent, confidence = explicit, 1.0
    else:
        calm = {name: p for name, p in intents.items() if name != Intent.EMERGENCY}
        best = max(calm, key=calm.__getitem__)
        intent, confidence = Intent(best), calm[best] / sum(calm.values())
        if intent is Intent.OFFER and lx.PRICE.search(body):
            intent = Intent.OTHER  # "陪诊 半天150": a service for sale is an advert, not a neighbour's offer
    time_text = _TIME_NOISE_RE.sub(" ", body)
    if intent is Intent.OTHER:
        return Understanding(Intent.OTHER, None, None, None, confidence=confidence, **common), time_text

    categories = dict(predicted.category)
    forced = explicit is not None
    if intent is Intent.REQUEST:
        categories.pop(NO_CATEGORY, None)
        wanted = max(categories, key=categories.__getitem__)
        says_nothing = forced and max(intents, key=intents.__getitem__) == Intent.OTHER
        if not named and says_nothing:
            wanted = "other"  # "#求助 好的": a request, but of nothing we can name
        urgent = predicted.urgency["urgent"] >= 0.5 or kind is not None
        reading = Understanding(
            Intent.REQUEST,
            wanted,
            "urgent" if urgent else "normal",
            None,
            explicit=forced,
            confidence=confidence,
            **common,
        )
        return reading, time_text
    # An offer names a skill only when the model is sure of one; "我明天有空" stays general. Its
    # skills are what the model reads first, then every service the lexicon finds named in it.
    ranked = sorted(categories, key=lambda name: -categories[name])
    main = ranked[0] if ranked[0] != NO_CATEGORY else None
    offered = [name for name in ranked if categories[name] >= SKILL_PROBABILITY and name != NO_CATEGORY]
    offered += sorted((name for name, score in named.items() if score >= 2), key=lambda name: -named[name])
    skills = tuple(dict.fromkeys(offered))[:MAX_SKILLS] if main is not None else ()
    offer = Understanding(
        Intent.OFFER, main, None, None, skills=skills, explicit=forced, confidence=confidence, **common
    )
    return offer, time_text


_FLOOR_OR_ROOM = re.compile(r"(?<![\d.:])\d{1,4}\s*(?:楼|层|室|号房|f\b)|(?<![\d.:\-/])\d{3,4}(?![\d.:\-/])")


def without_address(body: str) -> str:
    """The text with building, unit, floor and room numbers taken out, for the model.

    Where someone lives says nothing about what they want: a bare "3号楼502" (an answer to "你住哪")
    must not look like the short emergencies that name a room.
    """
    if not _DIGITISH_RE.search(body):  # every one of the patterns needs a number
        return body
    for pattern in (lx.ADDRESS_TRIPLE, lx.BUILDING, lx.UNIT, lx.ROOM, _FLOOR_OR_ROOM):
        body = pattern.sub(" ", body)
    return body


def lexicon_hints(body: str, named: dict[str, int], latin: bool) -> tuple[str, ...]:
    """The hand-made lexicon's verdicts (``named``: its category scores), as extra features for the
    category and urgency heads.

    The intent head is trained without them (``bot/train.py``): the danger reader stays independent
    of the model, and rules tuned by hand would teach the model to trust them instead of the words.
    """
    hints = [f"{HINT}cat={name}:{min(score, 3)}" for name, score in named.items()]
    if _urgency(body, latin) == "urgent":
        hints.append(f"{HINT}urgent")
    return tuple(hints)


def model_features(text: str) -> dict[str, float]:
    """The features the model sees for ``text`` (training uses this, so both read alike)."""
    body = lx.fold(lx.clean(text))
    if lx.EXPLICIT_REQUEST.search(body) or lx.EXPLICIT_OFFER.search(body):
        body = lx.EXPLICIT_STRIP.sub(" ", body)
    named = lx.category_scores(body)
    return features(without_address(body), lexicon_hints(body, named, lx.has_latin(body)))


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
        "confidence": round(u.confidence, 3),
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
