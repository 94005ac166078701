"""The categories of help (买菜, 维修…): their names in each language, and reading them in what people say."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.common.context import DEFAULT_CATEGORY_HOURS
from handlers.common.texts import LANGUAGES, catalog, t
from handlers.understanding.lexicon import category_scores, normalise
from handlers.understanding.understand import understand

CATEGORIES: tuple[str, ...] = tuple(c for c in DEFAULT_CATEGORY_HOURS if c != "other")
"""The skills a volunteer can pick, numbered 1… in the registration menu."""

_SEPARATORS = re.compile(r"[\s,，、;；/|和及与與]+")
_EPOCH = datetime(2026, 1, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
"""Skill words do not depend on the time: any moment will do for understanding them."""


def category_name(category: str | None, language: str | None) -> str:
    return t(language, f"category.{category or 'other'}")


def match_skills(text: str) -> tuple[str, ...]:
    """Reads '1 4', '买菜、维修', 'repair' or '修电器 量血压' as category names, in menu order."""
    found: list[str] = []
    labels = _category_labels()
    for token in _SEPARATORS.split(text.strip().lower()):
        if not token:
            continue
        if token.isdigit():
            if 1 <= int(token) <= len(CATEGORIES):
                found.append(CATEGORIES[int(token) - 1])
        elif token in labels:
            found.append(labels[token])
        elif category_scores(normalise(token)):  # the words volunteers use: 修电器, 量血压, 陪老人聊天
            found.extend(s for s in understand("我可以帮忙" + token, _EPOCH).skills if s in CATEGORIES)
        # a token that names no service ("周末", a name) is no skill, whatever the model guesses
    return tuple(c for c in CATEGORIES if c in found)


def _category_labels() -> dict[str, str]:
    labels = {c: c for c in CATEGORIES}
    for language in LANGUAGES:
        texts = catalog(language)
        for c in CATEGORIES:
            label = texts.get(f"category.{c}")
            if label:
                labels[label.lower()] = c
    return labels
