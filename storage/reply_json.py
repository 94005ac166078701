"""How a queued reply's buttons and fallback are stored: JSON text, the same in every dialect."""

from __future__ import annotations

import json
from collections.abc import Sequence

from storage.models import Button, ChatRef, Reply

_JSON = json.JSONEncoder(ensure_ascii=False)
"""Readable Chinese in the outbox; made once (``json.dumps`` with options makes one per call)."""


def buttons_json(buttons: Sequence[Button]) -> str:
    if not buttons:
        return "[]"
    return _JSON.encode([[b.label, b.action] for b in buttons])


def buttons_from_json(text: str) -> tuple[Button, ...]:
    if text == "[]":
        return ()
    return tuple(Button(label, action) for label, action in json.loads(text))


def fallback_json(reply: Reply | None) -> str | None:
    if reply is None:
        return None
    return _JSON.encode(
        {
            "platform": reply.chat.platform,
            "chat_id": reply.chat.chat_id,
            "private": reply.chat.private,
            "text": reply.text,
            "buttons": [[b.label, b.action] for b in reply.buttons],
            "reply_to": reply.reply_to,
        }
    )


def fallback_from_json(text: str | None) -> Reply | None:
    if not text:
        return None
    data = json.loads(text)
    return Reply(
        chat=ChatRef(data["platform"], data["chat_id"], bool(data["private"])),
        text=data["text"],
        buttons=tuple(Button(label, action) for label, action in data["buttons"]),
        reply_to=data["reply_to"],
    )
