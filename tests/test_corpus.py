"""Every line of the training corpus follows the contract, so the model learns no malformed label."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from bot.train import corpus_lines

CATEGORIES = {
    "shopping",
    "medicine",
    "meals",
    "medical_escort",
    "health",
    "repair",
    "cleaning",
    "companionship",
    "childcare",
    "tutoring",
    "haircut",
    "tech_help",
    "errands",
    "legal",
    "other",
}


def _problem(expect: dict[str, object], now: str) -> str | None:
    intent, category, urgency, when = (expect.get(k) for k in ("intent", "category", "urgency", "when"))
    if intent == "emergency" and (category, urgency, when) != (None, "urgent", None):
        return "an emergency has no category or window and is urgent"
    if intent == "other" and (category, urgency, when) != (None, None, None):
        return "other has no category, urgency or window"
    if intent == "offer" and (urgency is not None or (category is not None and category not in CATEGORIES)):
        return "an offer has no urgency and a known category or none"
    if intent == "request" and (category not in CATEGORIES or urgency not in ("urgent", "normal")):
        return "a request has a known category and an urgency"
    if intent not in ("request", "offer", "emergency", "other"):
        return f"unknown intent {intent!r}"
    if when is not None:
        if not (isinstance(when, list) and len(when) == 2):
            return "when is [start, end]"
        start, end = (datetime.fromisoformat(str(moment)) for moment in when)
        if not (start.tzinfo and end.tzinfo and start <= end):
            return "when has offsets and starts before it ends"
        if end < datetime.fromisoformat(now):
            return "when is over before the message was posted"
    return None


def test_every_line_follows_the_contract() -> None:
    problems = [
        (line.source, line.text[:40], problem)
        for line in corpus_lines()
        if (problem := _problem(line.expect, line.now)) is not None
    ]
    assert problems == []


def test_a_text_written_twice_has_one_intent() -> None:
    # Short replies (好的, 收到) recur across files; they may, as long as they agree. The split is by
    # text, so a repeated text is always on the same side of it.
    intents: dict[str, set[str]] = {}
    for line in corpus_lines():
        intents.setdefault(line.text, set()).add(line.expect["intent"])
    assert {text: seen for text, seen in intents.items() if len(seen) > 1} == {}


def test_the_corpus_is_as_large_and_varied_as_the_issue_asks() -> None:
    lines = corpus_lines()
    intents = Counter(line.expect["intent"] for line in lines)
    assert len(lines) >= 2500 and intents["emergency"] >= 400
    hard_negatives = sum(1 for line in lines if line.expect["intent"] != "emergency" and line.kind)
    assert hard_negatives >= 400
