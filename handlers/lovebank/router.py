"""What the love bank answers in chat; handlers/router.py puts it in the one visible order.

The passbook, /hours, /record, /correct and /summary are in handlers/lovebank/timebank.py;
"我的时长" said privately is answered here, before the queue could read it as an offer of time.
"""

from __future__ import annotations

import re

from handlers.common.context import Ctx
from handlers.common.turn import Turn
from handlers.lovebank.timebank import on_timebank_command, passbook_text
from storage.models import Incoming, Reply

__all__ = ["on_my_hours", "on_timebank_command"]

_MY_HOURS = re.compile(
    r"^\s*(?:我的)?(?:服务)?(?:时长|時長|工时|工時|小时数|小時數)\W*$|^\s*(?:my hours|hours)\W*$", re.I
)


async def on_my_hours(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """The passbook, for "我的时长" or "my hours" said in a private chat."""
    if not msg.chat.private or msg.action is not None or msg.kind != "text":
        return None
    if not _MY_HOURS.match(msg.text.strip()):
        return None
    return [Reply(chat=msg.chat, text=await passbook_text(ctx, turn.person, turn.language(ctx)))]
