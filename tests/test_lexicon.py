"""Cue regexes behind a first-character lookahead match exactly what the plain regexes match."""

from __future__ import annotations

import re

import pytest

from bot.train import corpus_lines
from handlers.understanding import danger
from handlers.understanding import lexicon as lx
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


@pytest.mark.parametrize(
    "text",
    [
        "今晚就得接上水 谁家有桶借我两个",
        "宝宝等着喝奶 谁帮我带两袋回去",
        "尿不湿就剩这一片了 谁家有先匀几片",
        "车冻住了 谁有搭火线 麻溜儿的",
    ],
)
def test_haste_told_without_the_word_urgent(text: str) -> None:
    body = lx.normalise(text)
    assert lx.URGENT.search(body, False) and not lx.NOT_URGENT.search(body, False)


@pytest.mark.parametrize(
    "text",
    [
        "急诊楼那边停车难 下周一谁能开车送我妈去复查",  # a place
        "急救箱里的纱布用完了 谁帮我补一点",  # a thing
        "手机里的紧急联系人怎么设置 谁有空教我",
        "孙子让我猜脑筋急转弯 谁会修收音机",
        "上个月得了急性肠胃炎 谁家做饭清淡 能帮我带一份",
    ],
)
def test_words_with_ji_that_are_not_haste(text: str) -> None:
    assert not lx.URGENT.search(lx.normalise(text), False)


@pytest.mark.parametrize("text", ["甭急 您哪天路过再说", "唔使急 慢慢嚟", "免急啦 有閒閣來就好", "不是急事"])
def test_calm_words_in_dialects(text: str) -> None:
    assert lx.NOT_URGENT.search(lx.normalise(text), False)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("回复 @网格员小李：不是演习!!真的有煤气味", "不是演习!!真的有煤气味"),
        ("@张师傅,急 水管爆了", "急 水管爆了"),
        ("@王阿姨 明天帮我买菜", "明天帮我买菜"),
    ],
)
def test_a_mention_ends_at_the_punctuation_after_the_name(text: str, kept: str) -> None:
    assert kept in lx.clean(text)
    assert "@" not in lx.clean(text)
