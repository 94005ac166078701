"""The `linli parse` contract: JSON lines in and out, scores on the dev corpus, no crash on any input."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.train import same_when
from handlers.understanding.understand import Intent, _understand, parse_line, to_simplified, understand

NOW = datetime.fromisoformat("2026-11-25T10:00:00+08:00")
DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev.jsonl"


@pytest.mark.skipif(not DEV.exists(), reason="shared dev corpus not checked out")
def test_dev_corpus_meets_the_quality_bar() -> None:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    intent_ok = cards = others = emergencies = caught = 0
    field_ok = {"category": 0, "urgency": 0, "when": 0}
    service = 0
    for row in rows:
        got = json.loads(parse_line(json.dumps({"text": row["text"], "now": row["now"]}, ensure_ascii=False)))
        exp = row["expect"]
        intent_ok += got["intent"] == exp["intent"]
        if exp["intent"] in ("request", "offer"):
            service += 1
            field_ok["category"] += got["category"] == exp["category"]
            field_ok["urgency"] += got["urgency"] == exp["urgency"]
            field_ok["when"] += same_when(exp["when"], got["when"])
        if exp["intent"] == "emergency":
            emergencies += 1
            caught += got["intent"] == "emergency"
        if exp["intent"] == "other":
            others += 1
            cards += got["intent"] != "other"
    assert intent_ok / len(rows) >= 0.97
    assert field_ok["category"] / service >= 0.92
    assert field_ok["urgency"] / service >= 0.95
    assert field_ok["when"] / service >= 0.92
    assert caught == emergencies
    assert cards / others <= 0.01


def test_parse_line_output_shape() -> None:
    out = json.loads(
        parse_line('{"text": "3号楼502王奶奶想请人明天上午帮忙买点菜", "now": "2026-11-24T09:00:00+08:00"}')
    )
    assert out["intent"] == "request"
    assert out["category"] == "shopping"
    assert out["urgency"] == "normal"
    assert out["when"] == ["2026-11-25T08:00:00+08:00", "2026-11-25T12:00:00+08:00"]
    assert (out["building"], out["room"], out["language"]) == ("3号楼", "502", "zh-Hans")
    assert set(out) >= {"skills", "emergency_kind", "wellbeing", "duration_hours", "unit"}


def test_parse_line_keeps_the_offset_of_now() -> None:
    out = json.loads(
        parse_line('{"text": "tomorrow afternoon please help me clean", "now": "2026-11-24T09:00:00-05:00"}')
    )
    assert out["when"][0] == "2026-11-25T13:00:00-05:00"


def test_naive_now_is_read_as_china_time() -> None:
    out = json.loads(parse_line('{"text": "明天上午帮我买菜", "now": "2026-11-24T09:00:00"}'))
    assert out["when"][0] == "2026-11-25T08:00:00+08:00"


@pytest.mark.parametrize(
    "line",
    [
        "",
        "   \n",
        "not json",
        "[1, 2]",
        '"just a string"',
        "{}",
        '{"text": 5, "now": "2026-11-24T09:00:00+08:00"}',
        '{"text": "hi"}',
        '{"text": "hi", "now": "yesterday"}',
        '{"text": "hi", "now": 12}',
        "{" * 10_000,
        '{"text": "\\ud800", "now": "2026-11-24T09:00:00+08:00"',
    ],
)
def test_bad_lines_get_an_error_object(line: str) -> None:
    out = json.loads(parse_line(line))
    assert set(out) == {"error"}


def test_lone_surrogates_and_control_characters_are_survived() -> None:
    out = json.loads(
        parse_line('{"text": "\\ud800\\u0000帮我买菜\\udfff\\u001b", "now": "2026-11-24T09:00:00+08:00"}')
    )
    assert out["intent"] == "request"
    json.dumps(out, ensure_ascii=False).encode("utf-8")  # printable as UTF-8


@given(st.text(max_size=300))
@settings(max_examples=400, deadline=None)
def test_any_text_gives_an_understanding(text: str) -> None:
    u = _understand(text, NOW)  # the unguarded core: a bug must fail here, not hide behind the safety net
    assert u.intent in set(Intent)
    assert u.language in {"zh-Hans", "zh-Hant", "en"}
    if u.when is not None:
        assert u.when[0] <= u.when[1]
        assert u.when[0].tzinfo is not None
    out = json.loads(parse_line(json.dumps({"text": text, "now": NOW.isoformat()})))
    assert "intent" in out or "error" in out


@given(st.binary(max_size=200))
@settings(max_examples=200, deadline=None)
def test_binary_junk_lines_never_raise(blob: bytes) -> None:
    out = json.loads(parse_line(blob.decode("utf-8", errors="surrogateescape")))
    assert isinstance(out, dict)


@given(
    st.sampled_from(["帮我", "明天", "下午3点", "摔倒", "谢谢", "#求助", "周六", "😂", "5-1-302", "一点"]),
    st.integers(1, 40),
)
@settings(max_examples=100, deadline=None)
def test_repeated_fragments_never_raise(fragment: str, times: int) -> None:
    _understand(fragment * times, NOW)


def test_a_recogniser_bug_degrades_to_other(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str) -> str:
        raise RuntimeError("bug")

    monkeypatch.setattr("handlers.understanding.lexicon.clean", boom)
    assert (
        understand("谁能帮我买菜 (a text no other test uses, so nothing is memoised)", NOW).intent
        is Intent.OTHER
    )


def test_memoised_readings_still_follow_now() -> None:
    text = "明天上午谁能帮我买点菜"
    first = understand(text, NOW)
    later = understand(text, NOW + timedelta(days=3))
    assert first.when is not None and later.when is not None
    assert later.when[0] - first.when[0] == timedelta(days=3)
    assert (first.intent, first.category) == (later.intent, later.category)


@pytest.mark.parametrize(
    "fragment", ["12345", "1点", "帮我", "陪", "at 3 ", "from 7 to ", " ", "周 ", "12元", "大家知道"]
)
def test_pathological_repetition_stays_linear(fragment: str) -> None:
    text = fragment * (5000 // len(fragment))
    start = time.process_time()
    understand(text, NOW)
    assert time.process_time() - start < 0.1


def test_huge_input_is_capped_and_fast() -> None:
    start = time.process_time()
    u = understand("谁能帮我买菜" + "哈" * 100_000 + "着火了", NOW)
    assert time.process_time() - start < 0.5
    assert u.intent is Intent.REQUEST  # only the head of a 100 KB message is read


@pytest.mark.parametrize("text", ["", " ", "\n\t", "👍", "🙏🙏🙏", "\x00\x01", "?", "。", "@", "#", "/"])
def test_empty_and_symbol_only_messages_are_other(text: str) -> None:
    assert understand(text, NOW).intent is Intent.OTHER


def test_typical_messages_are_fast() -> None:
    texts = [
        "3号楼502王奶奶想请人明天上午帮忙买点菜",
        "有沒有鄰居今天上午去超市?想請人順便幫我帶兩包衛生紙",
        "Could someone pick up some groceries for my grandma tomorrow afternoon?",
        "好的 谢谢",
        "6号楼3楼有一家窗户冒黑烟了!!好像着火了",
        "本人英语专业 可以教小朋友English 每周三晚上7点 免费",
    ] * 50
    for text in texts[:6]:
        understand(text, NOW)
    start = time.process_time()
    for text in texts:
        understand(text, NOW)
    per_message = (time.process_time() - start) / len(texts)
    assert per_message < 0.002  # generous for loaded CI; typically ~0.1 ms


@pytest.mark.parametrize(
    ("text", "simplified"),
    [
        ("有沒有鄰居幫我買菜", "有没有邻居帮我买菜"),
        ("謝謝大家的關心", "谢谢大家的关心"),
        ("already simplified 帮我", "already simplified 帮我"),
        ("", ""),
    ],
)
def test_to_simplified(text: str, simplified: str) -> None:
    assert to_simplified(text) == simplified
