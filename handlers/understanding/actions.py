"""Recognises the short replies that act on a card: 我来, 完成, 确认, 取消, 放弃 (and #N)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache


class Action(StrEnum):
    """Things a person can do to a task."""

    CLAIM = "claim"
    DONE = "done"
    CONFIRM = "confirm"
    CANCEL = "cancel"
    RELEASE = "release"
    ASSIGN = "assign"


@dataclass(frozen=True, slots=True)
class ActionMatch:
    """A recognised action, with the task number when the text names one."""

    action: Action
    task_id: int | None
    rest: str = ""


# Longest phrases first; negated claims ("我来不了") are releases.
_WORDS: list[tuple[Action, tuple[str, ...]]] = [
    (
        Action.RELEASE,
        (
            "我来不了",
            "我來不了",
            "去不了了",
            "去不了",
            "来不了",
            "來不了",
            "放弃",
            "放棄",
            "can't make it",
            "cannot make it",
            "release",
        ),
    ),
    (Action.CONFIRM, ("确认完成", "確認完成", "确认", "確認", "confirmed", "confirm")),
    (Action.CANCEL, ("不需要了", "不用了", "取消", "cancel")),
    (
        Action.DONE,
        (
            "已完成",
            "完成了",
            "完成",
            "搞定了",
            "搞定",
            "办好了",
            "辦好了",
            "做好了",
            "弄好了",
            "finished",
            "done",
        ),
    ),
    (
        Action.CLAIM,
        (
            "我来吧",
            "我來吧",
            "我来",
            "我來",
            "接单",
            "接單",
            "我可以",
            "我去吧",
            "我去",
            "我帮你",
            "我幫你",
            "i'll help",
            "i will help",
            "i can help",
            "i'll do it",
            "i can do it",
            "on it",
        ),
    ),
]
_RELEASE_PHRASES = tuple(
    word for word in dict(_WORDS)[Action.RELEASE] if word not in ("release", "放弃", "放棄")
)
"""Ways to say one can't come. Not "release" (a command word) nor "放弃" ("I give up" may be despair)."""
_TASK_REF = re.compile(r"[#＃]\s*(\d{1,9})")
_MENTION = re.compile(r"@\S+\s*")
_FILLER = re.compile(r"[\s,，。.!！~～、:：;；?？()（）\[\]【】\"'“”‘’🙏👍😊]+")
_POLITE = (
    "好的",
    "好",
    "ok",
    "吧",
    "啦",
    "了",
    "呀",
    "啊",
    "哈",
    "嗯",
    "帮忙",
    "幫忙",
    "一下",
    "这个",
    "這個",
    "我",
)
_MAX_TAIL = 4  # characters of chatter allowed around a claim word
_ANY_WORD = re.compile("|".join(re.escape(word) for _, words in _WORDS for word in words))
"""One scan that rules out the many messages with no action word in them."""


def task_ref(text: str) -> int | None:
    """Returns N from the first '#N' in the text."""
    found = _TASK_REF.search(text)
    return int(found.group(1)) if found else None


MAX_ACTION_CHARS = 200
"""Longer texts are never card replies; the memo holds only texts up to this size (≤ 4,096 × 200)."""


def names_a_release(text: str) -> bool:
    """Whether ``text`` says its writer can't come ("去不了了", "something came up, can't make it").

    Anywhere in the text, not only as a short reply: saying one can't come is never itself a danger.
    """
    lowered = text.lower()
    return any(word in lowered for word in _RELEASE_PHRASES)


def parse_action(text: str) -> ActionMatch | None:
    """Returns the action a short card reply asks for, or None when it is not one.

    Done and confirm may carry more words after them (用了两个小时); claims must
    be short, so that "我可以帮忙量血压" stays an offer. Memoised for short texts only, so
    the memo is bounded by total size: two handlers ask of every message, and chats
    repeat 我来 and 好的.
    """
    if not text or len(text) > MAX_ACTION_CHARS:
        return None
    return _parse_short(text)


@lru_cache(maxsize=4096)
def _parse_short(text: str) -> ActionMatch | None:
    if _ANY_WORD.search(text.lower()) is None:
        return None
    task_id = task_ref(text)
    body = _TASK_REF.sub(" ", _MENTION.sub(" ", text)).strip().lower()
    body = body.lstrip("/")
    for action, words in _WORDS:
        for word in words:
            position = body.find(word)
            if position < 0:
                continue
            before = _FILLER.sub("", body[:position])
            after = body[position + len(word) :]
            if _strip_polite(before):
                continue
            if action in (Action.DONE, Action.CONFIRM):
                return ActionMatch(action, task_id, after.strip())
            if len(_strip_polite(_FILLER.sub("", after))) <= _MAX_TAIL:
                return ActionMatch(action, task_id, after.strip())
            return None
    return None


def _strip_polite(fragment: str) -> str:
    for word in _POLITE:
        fragment = fragment.replace(word, "")
    return fragment
