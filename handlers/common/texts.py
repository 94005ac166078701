"""Everything the bot says, from gettext catalogs in zh-Hans (default), zh-Hant and en."""

from __future__ import annotations

import logging
from functools import cache
from importlib import resources

from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
DEFAULT_LANGUAGE = "zh-Hans"


@cache
def catalog(language: str) -> dict[str, str]:
    """Loads one language's catalog (``handlers/common/locale/<lang>/LC_MESSAGES/linli.po``)."""
    folder = language.replace("-", "_")
    path = resources.files("handlers.common") / "locale" / folder / "LC_MESSAGES" / "linli.po"
    with path.open("rb") as handle:
        parsed = read_po(handle)
    return {str(m.id): str(m.string) for m in parsed if m.id and m.string}


def normalize_language(language: str | None) -> str:
    """Maps user and platform language tags (zh-TW, zh_CN, en-US…) onto our three."""
    if not language:
        return DEFAULT_LANGUAGE
    tag = language.replace("_", "-").lower()
    if tag.startswith("en"):
        return "en"
    if tag in ("zh-hant", "zh-tw", "zh-hk", "zh-mo") or tag.startswith("zh-hant"):
        return "zh-Hant"
    return DEFAULT_LANGUAGE


@cache
def template(language: str | None, key: str) -> str | None:
    """The catalog text for ``key`` in ``language``, falling back to zh-Hans; None when missing."""
    return catalog(normalize_language(language)).get(key) or catalog(DEFAULT_LANGUAGE).get(key)


def t(language: str | None, key: str, **params: object) -> str:
    """Returns message ``key`` in ``language`` (falling back to zh-Hans), filled with ``params``."""
    template_text = template(language, key)
    if template_text is None:
        log.error("missing text %s", key)
        return key
    try:
        return template_text.format(**params)
    except (KeyError, IndexError, ValueError):
        log.exception("text %s could not be filled with %s", key, sorted(params))
        return template_text
