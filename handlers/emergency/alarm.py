"""An emergency raised: a task row, incident E{n}, staff alerted at once; never waiting for a claim.

When handling a message fails, ``alert_unhandled_emergency`` still tells staff if it was one.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from handlers.common.context import Ctx
from handlers.common.notify import tell_staff
from handlers.emergency.incidents import report, room_of
from handlers.understanding.understand import Intent, Understanding, understand
from storage.checkin_models import Elder
from storage.models import Chat, Incoming, Person, Reply

log = logging.getLogger(__name__)

_NUMBERS = {
    "fire": "119",
    "gas": "119",
    "flood": "119",
    "trapped": "119",
    "falling": "119",
    "missing": "110",
    "self_harm": "110",
}


def emergency_number(kind: str | None) -> str:
    """Fire, gas, flooding and entrapment → 119; a missing person → 110; anything medical → 120."""
    return _NUMBERS.get(kind or "", "120")


async def on_emergency(
    msg: Incoming,
    ctx: Ctx,
    understood: Understanding,
    person: Person,
    inbox_id: int | None,
    chat: Chat | None,
    elder: Elder | None,
) -> list[Reply]:
    """Alerts staff at once and tells the group whom to call; never waits for a claim (``chat``: the
    group, as the router read it for this message; None in private; ``elder``: the registered elder
    it is about, if any)."""
    building = understood.building or (chat.building if chat else None) or person.building
    task = await ctx.repo.create_task(
        text=msg.text,
        requester_id=person.id,
        at=ctx.now(),
        category=None,
        urgency="urgent",
        window=(ctx.now(), ctx.now() + timedelta(hours=1)),
        building=building,
        room=room_of(msg.text, understood),
        emergency=True,
        origin=msg.chat,
        origin_message_id=msg.message_id,
        inbox_id=inbox_id,
        language=understood.language,
    )
    language = (chat.language if chat else None) or understood.language or ctx.settings.language
    chat_title = (chat.title if chat else None) or msg.chat_title or msg.chat.chat_id
    replies = await report(msg, ctx, understood, person, task, chat_title, language, elder)
    log.warning("emergency #%s (%s) from %s", task.id, understood.emergency_kind, person.name)
    return replies


async def alert_unhandled_emergency(msg: Incoming, ctx: Ctx) -> list[Reply]:
    """Tells staff about an emergency whose handling failed (nothing else is read or written);
    returns nothing for any other message."""
    understood = understand(msg.text, ctx.now())
    if understood.intent is not Intent.EMERGENCY and not understood.emergency_kind:
        return []
    person = await ctx.repo.resolve_identity(msg.platform, msg.sender_id, msg.sender_name)
    chat = msg.chat_title or msg.chat.chat_id
    log.warning("emergency from %s could not be handled; staff are told directly", person.name)
    return await tell_staff(
        ctx, "emergency.unhandled", msg.platform, chat=chat, name=person.name, text=msg.text
    )
