"""What the admin feature answers in chat; handlers/router.py puts it in the one visible order.

The platform's own events (topics, migrations, leaves), /start, /help, /lang, /bind (a group to
its building), /link (accounts joined, handlers/admin/accounts.py) and /invite.
"""

from __future__ import annotations

import re

from handlers.admin.accounts import link_accounts, on_invite_command
from handlers.common.auth import is_staff
from handlers.common.context import Ctx
from handlers.common.errors import NotAllowed
from handlers.common.texts import normalize_language, t
from handlers.common.turn import Turn
from handlers.understanding.places import normalize_building
from storage.models import ChatUpdate, Incoming, PersonUpdate, Reply

__all__ = ["on_command", "on_invite_command", "on_platform_event"]


async def on_platform_event(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """Keeps chats in step with the platform: topic changes, supergroup migrations, leaves."""
    if msg.kind == "topic" and not msg.chat.private:
        await ctx.repo.update_chat(msg.platform, msg.chat.chat_id, ChatUpdate(title=msg.text or None))
        return []
    if msg.kind == "migrate" and msg.text:
        await ctx.repo.move_chat(msg.platform, msg.chat.chat_id, msg.text)
        return []
    if msg.kind in ("leave", "recall", "join", "edited"):
        return []
    if msg.kind in ("voice", "image", "other") and not msg.text.strip():
        return []
    return None


_COMMAND = re.compile(r"^\s*(/[a-z_\u4e00-\u9fff]+)(?:@\S+)?\s*(.*)$", re.S | re.I)
_BIND = re.compile(r"^\s*(?:/bind|/绑定|/綁定|绑定|綁定)\s+(.+?)\s*$", re.S | re.I)
_LINK = re.compile(r"^\s*(?:/link|/关联|/關聯|关联账号|關聯帳號)(?:@\S+)?\s*([A-Za-z0-9]{4,12})?\s*$", re.I)


async def on_command(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """Slash commands and their Chinese forms: /start, /help, /bind, /link, /lang."""
    text = msg.text.strip()
    bind = _BIND.match(text)
    if bind:
        if not is_staff(turn.person):
            raise NotAllowed("bind", reason=t(turn.language(ctx), "reason.only_staff"))
        if msg.chat.private:
            return [Reply(chat=msg.chat, text=t(turn.language(ctx), "bind.usage"))]
        building = normalize_building(bind.group(1))[0] or bind.group(1).strip()
        await ctx.repo.bind_chat(msg.platform, msg.chat.chat_id, building)
        return [
            Reply(
                chat=msg.chat,
                text=t(turn.language(ctx), "bind.done", building=building),
                reply_to=msg.message_id,
            )
        ]
    link = _LINK.match(text)
    if link:
        return await link_accounts(msg, ctx, turn, link.group(1))
    command = _COMMAND.match(text)
    if command is None:
        return None
    name, argument = command.group(1).lower(), command.group(2).strip()
    if name in ("/start", "/help", "/帮助", "/幫助"):
        language = turn.language(ctx)
        text = t(language, "start", name=turn.person.name, community=ctx.settings.community)
        if is_staff(turn.person):
            text += "\n\n" + t(language, "help.staff")
        return [Reply(chat=msg.chat, text=text)]
    if name in ("/lang", "/language", "/语言", "/語言") and argument:
        language = normalize_language(argument)
        await ctx.repo.update_person(turn.person.id, PersonUpdate(language=language))
        return [Reply(chat=msg.chat, text=t(language, "toast.ok"), reply_to=msg.message_id)]
    return None
