"""What the emergency feature answers in chat: alarms raised, and the words and buttons that settle them.

handlers/router.py puts these handlers in the one visible order, among the other features' handlers.
"""

from __future__ import annotations

from handlers.common.context import Ctx
from handlers.common.turn import Turn
from handlers.emergency.alarm import on_emergency
from handlers.emergency.incidents import elder_concerned, on_incident_button, on_incident_words
from handlers.understanding.understand import Intent
from storage.models import Incoming, Reply


async def on_incident_press(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """我去处理 / 送医 / 平安 / 误报 buttons under an emergency alarm."""
    return await on_incident_button(msg, ctx, turn.person, turn.language(ctx))


async def on_incident_text(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """收到 / 我马上过去 / 平安 / 送医 / 误报 about an open emergency, from staff or the elder's pair."""
    building = turn.chat.building if turn.chat else None
    return await on_incident_words(msg, ctx, turn.person, building, turn.language(ctx))


async def on_emergency_text(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """Danger to life or property goes first, whatever else the message is."""
    understood = turn.understood(ctx)
    # An explicit "/求助 爷爷晕倒了" is still an emergency: the tag never delays the alarm.
    if understood.intent is not Intent.EMERGENCY and not understood.emergency_kind:
        return None
    elder = await elder_concerned(ctx, turn)
    return await on_emergency(msg, ctx, understood, turn.person, turn.inbox_id, turn.chat, elder)
