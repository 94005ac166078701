"""One-time codes that join accounts to a person: /link between platforms, and /invite for someone
staff registered by name, who redeems the code with /link."""

from __future__ import annotations

import logging
import re
import secrets
from datetime import timedelta

from handlers.common.auth import STAFF_ROLES
from handlers.common.context import Ctx
from handlers.common.errors import NotAllowed
from handlers.common.people import NameChoice
from handlers.common.texts import t
from handlers.common.turn import Turn
from storage.models import ChatRef, Incoming, Reply

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed on a phone
CODE_LENGTH = 8
LINK_CODE_MINUTES = 10
LINK_WRONG_PER_HOUR = 5
INVITE_DAYS = 3
INVITE_PLATFORM = "invite"
"""Stored as the issuing platform of an invitation, so any platform may redeem it (with /link)."""

_INVITE = re.compile(r"^\s*(?:/invite|/邀请|/邀請)(?:@\S+)?\s+[@#＃]?(\S+)\s*$", re.I)


def new_code() -> str:
    """An 8-character one-time code (31^8 ≈ 8.5 × 10^11)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


async def link_accounts(msg: Incoming, ctx: Ctx, turn: Turn, code: str | None) -> list[Reply]:
    """/link gives a one-time code; "/link CODE" said on another platform makes both accounts one person."""
    language = turn.language(ctx)
    if code is not None and not msg.chat.private:  # a code is a key: said in a group, it is burnt
        await ctx.repo.take_link_code(code.upper(), ctx.now())
        return [Reply(chat=msg.chat, text=t(language, "link.private_only"), reply_to=msg.message_id)]
    if code is None:
        code = new_code()
        expires = ctx.now() + timedelta(minutes=LINK_CODE_MINUTES)
        await ctx.repo.create_link_code(turn.person.id, code, expires, msg.platform)
        text = t(language, "link.code", code=code, minutes=LINK_CODE_MINUTES)
        private = ChatRef(msg.platform, msg.sender_id, True)
        return [Reply(chat=private, text=text)]  # a code is a key: never in a group
    now = ctx.now()
    wrong = await ctx.repo.count_person_events(turn.person.id, "link_wrong", now - timedelta(hours=1))
    if wrong >= LINK_WRONG_PER_HOUR:  # guessing is slow: 5 tries an hour against 31^8 codes
        log.warning("link codes locked for person %s after %d wrong codes", turn.person.id, wrong)
        return [Reply(chat=msg.chat, text=t(language, "link.locked"), reply_to=msg.message_id)]
    person_id = await ctx.repo.take_link_code(code.upper(), now, msg.platform)
    if person_id is None:
        await ctx.repo.record_person_event(turn.person.id, "link_wrong", None, msg.platform, now)
        return [Reply(chat=msg.chat, text=t(language, "link.bad"), reply_to=msg.message_id)]
    if person_id != turn.person.id:
        known = await ctx.repo.identities_of(person_id)
        await ctx.repo.link_identity(msg.platform, msg.sender_id, person_id)
        # An invitation staff handed over (the record had no account yet), or the same hands
        # holding a proven account: either way this account is proven now.
        proven = not known or any(i.verified for i in known)
        if proven:
            await ctx.repo.verify_identity(msg.platform, msg.sender_id)
        await ctx.repo.record_person_event(
            person_id,
            "linked",
            turn.person.id,
            f"{msg.platform}:{msg.sender_id} (was #{turn.person.id})",
            now,
        )
        log.info("account %s:%s linked to person %s", msg.platform, msg.sender_id, person_id)
    owner = await ctx.repo.get_person(person_id)
    name = owner.name if owner else turn.person.name
    return [Reply(chat=msg.chat, text=t(language, "link.done", name=name), reply_to=msg.message_id)]


async def on_invite_command(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """/invite NAME (staff, privately): a one-time code for a person registered by name, to hand over."""
    found = _INVITE.match(msg.text)
    if found is None:
        return None
    language = turn.language(ctx)
    if turn.person.role not in STAFF_ROLES:
        raise NotAllowed("invite", reason=t(language, "reason.only_staff"))
    if not msg.chat.private:
        return [Reply(chat=msg.chat, text=t(language, "invite.private_only"), reply_to=msg.message_id)]
    name = found.group(1)
    pending = []
    for person in await ctx.repo.people_named(name):
        if person.active and not await ctx.repo.identities_of(person.id):
            pending.append(person)
    if name.isdigit():
        numbered = await ctx.repo.get_person(int(name))
        if numbered is not None and not await ctx.repo.identities_of(numbered.id):
            pending = [numbered]
    if not pending:
        return [Reply(chat=msg.chat, text=t(language, "invite.nobody", name=name))]
    if len(pending) > 1:
        choices = "、".join(f"#{p.id} {p.name} {p.building or ''}".strip() for p in pending)
        raise NameChoice(f"{name}: {len(pending)} pending", name=name, choices=choices)
    person = pending[0]
    code = new_code()
    await ctx.repo.create_link_code(person.id, code, ctx.now() + timedelta(days=INVITE_DAYS), INVITE_PLATFORM)
    await ctx.repo.record_person_event(person.id, "invited", turn.person.id, "", ctx.now())
    log.info("staff %s invited pending person %s", turn.person.id, person.id)
    text = t(language, "invite.code", name=person.name, code=code, days=INVITE_DAYS)
    return [Reply(chat=msg.chat, text=text)]
