"""What the digest answers in chat: /digest for staff; handlers/router.py puts it in the one visible order."""

from __future__ import annotations

import re
from datetime import date, timedelta

from handlers.common.auth import is_staff
from handlers.common.context import Ctx
from handlers.common.errors import NotAllowed
from handlers.common.notify import answer_privately
from handlers.common.texts import t
from handlers.common.turn import Turn
from handlers.digest.digest import make_digest, render
from storage.models import Incoming, Reply

_DIGEST = re.compile(r"^\s*(?:/digest|/日报|/日報)(?:@\S+)?\s*(.*?)\s*$", re.I)
_DAY_WORDS = {"": 1, "昨天": 1, "yesterday": 1, "今天": 0, "today": 0, "前天": 2}


def parse_day(argument: str, today: date) -> date | None:
    """'', 昨天, 今天, 前天, 2026-11-23 → a day; anything else → None."""
    word = argument.strip().lower()
    if word in _DAY_WORDS:
        return today - timedelta(days=_DAY_WORDS[word])
    found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", word)
    if found is None:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


async def on_digest_command(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """/digest [昨天|YYYY-MM-DD]: a day's digest for staff, privately; wrong arguments get the usage."""
    found = _DIGEST.match(msg.text)
    if found is None:
        return None
    person, language = turn.person, turn.language(ctx)
    if not is_staff(person):
        raise NotAllowed("digest", reason=t(language, "reason.only_staff"))
    today = ctx.now().astimezone(ctx.settings.tz).date()
    day = parse_day(found.group(1), today)
    if day is None or day > today:
        return [Reply(chat=msg.chat, text=t(language, "digest.usage"), reply_to=msg.message_id)]
    text = render(await make_digest(ctx, day), language)
    return await answer_privately(msg, ctx, person, language, text, notice="digest.sent_privately")
