"""Cue regexes behind a first-character lookahead match exactly what the plain regexes match."""

from __future__ import annotations

import re

import pytest

from bot.train import corpus_lines
from handlers.understanding import danger
from handlers.understanding.lexicon import COMPLEX_TERMS, compile_cues, first_chars, normalise, space_scripts


@pytest.mark.parametrize(
    ("pattern", "chars"),
    [
        (r"摔倒|跌倒(?!底)", "摔跌"),
        (r"(?:人|老)[^,]{0,4}摔|\b(?:fell|can'?t get up)\b", "cf人老"),
        (r"(?<![晕昏])倒了|(?=快)快来", "倒快"),
        (r"(?:好几天|几天)没(?:见|看到)", "几好"),
        (r"[读念].{0,3}报|陪", "读念陪"),
        (r"(?:被)?(?:关|锁)在|胸?闷|a*?b", "被关锁胸闷ab"),
    ],
)
def test_first_chars_looks_through_boundaries_lookarounds_groups_and_optional_parts(
    pattern: str, chars: str
) -> None:
    assert first_chars(pattern) == "".join(sorted(chars))


@pytest.mark.parametrize(
    "pattern",
    [
        r"摔倒|",
        r"摔?",
        r".{0,2}摔",
        r"(?:人|老){0,2}摔",
        r"(?P<n>\d)号楼",
        r"\d+|摔",
        r"[^读]报",
        r"[0-9]号",
        r"^转",
    ],
)
def test_first_chars_gives_up_where_a_match_may_start_elsewhere(pattern: str) -> None:
    assert first_chars(pattern) == ""


def test_the_lookahead_changes_no_match_on_the_corpus() -> None:
    texts = [space_scripts(normalise(line.text)) for line in corpus_lines()[::4]]
    patterns = [
        p + ("|" + danger._PINYIN[k] if k in danger._PINYIN else "") for k, p in danger._KINDS.items()
    ]
    patterns += [pattern for _, _, pattern in COMPLEX_TERMS]
    for pattern in patterns:
        plain, quick = re.compile(pattern), compile_cues(pattern)
        for text in texts:
            assert [m.span() for m in quick.finditer(text)] == [m.span() for m in plain.finditer(text)], (
                pattern
            )
