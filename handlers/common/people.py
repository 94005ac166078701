"""Names staff type, resolved to people: only to proven accounts, never to a display name alone."""

from __future__ import annotations

import logging
import re
import secrets
from datetime import timedelta

from handlers.common.auth import STAFF_ROLES
from handlers.common.context import Ctx
from handlers.common.errors import LinliError, NotAllowed
from handlers.common.texts import t
from handlers.common.turn import Turn
from storage.models import Identity, Incoming, Person, Reply

log = logging.getLogger(__name__)

_ACCOUNT = re.compile(r"^(telegram|wechat|console):(\S+)$", re.I)
_NUMBER = re.compile(r"^[#＃](\d+)$")


class NameChoice(LinliError):
    """A name fits several people, or only accounts nobody has proven: staff must pick one."""

    text_id = "error.name_choice"


def account_label(identity: Identity) -> str:
    """How staff see an account to pick it: ``telegram:123456(小李)``."""
    return f"{identity.platform}:{identity.user_id}({identity.display_name})"


async def person_named(ctx: Ctx, name: str, actor: Person | None = None) -> Person | None:
    """The one person ``name`` means, or None; raises NameChoice listing the accounts to pick from.

    ``telegram:123456`` picks an account the bot has seen (and, said by staff, proves it); ``#12``
    (staff only) picks a person by number, as the choices list them. A plain
    name matches a person with a proven account, or one registered by name with no account yet
    (pending); an account seen only under that display name is listed, never taken.
    """
    name = name.strip().lstrip("@")
    numbered = _NUMBER.match(name)
    if numbered and actor is not None and actor.role in STAFF_ROLES:  # "#12", as the choices list it
        return await ctx.repo.get_person(int(numbered.group(1)))
    account = _ACCOUNT.match(name)
    if account:
        platform, user_id = account.group(1).lower(), account.group(2)
        person = await ctx.repo.person_by_identity(platform, user_id)
        if person is not None and actor is not None:
            await ctx.repo.verify_identity(platform, user_id)
            await ctx.repo.record_person_event(
                person.id, "account_picked", actor.id, f"{platform}:{user_id}", ctx.now()
            )
            log.info("staff %s picked account %s:%s for %s", actor.id, platform, user_id, person.id)
        return person
    people = await ctx.repo.people_named(name)
    if actor is None or actor.role not in STAFF_ROLES:
        # Someone acting within their own relations (a claimer reading notes): the name is only
        # a pointer, and authorization decides; it never hands them anything by name alone.
        ranked = [p for p in people if p.active] or people
        return ranked[0] if ranked else None
    fitting: list[Person] = []
    unproven: list[Identity] = []
    for person in [p for p in people if p.active] or people:
        identities = await ctx.repo.identities_of(person.id)
        if not identities or any(i.verified for i in identities):
            fitting.append(person)
        else:
            unproven += identities
    seen = {(i.platform, i.user_id) for i in unproven}
    for identity in await ctx.repo.identities_named(name):  # accounts that only display the name
        key = (identity.platform, identity.user_id)
        if not identity.verified and key not in seen and all(identity.person_id != p.id for p in fitting):
            unproven.append(identity)
            seen.add(key)
    if len(fitting) == 1 and not unproven:
        return fitting[0]
    if not fitting and not unproven:
        return None
    choices = [f"#{p.id} {p.name}" + (f" {p.building}" if p.building else "") for p in fitting]
    choices += [account_label(i) for i in unproven]
    raise NameChoice(f"{name}: {len(choices)} choices", name=name, choices="、".join(choices))


async def care_notes_text(ctx: Ctx, person_id: int, language: str | None) -> str:
    """'\\n📝 耳背,敲门要用力;家里有狗' for a private message to whoever goes to the door; '' if none."""
    notes = await ctx.repo.care_notes_of(person_id, limit=5)
    if not notes:
        return ""
    return "\n" + t(language, "note.block", notes=";".join(n.text for n in reversed(notes)))


# -- invitations: a person registered by name proves their account ---------------------------

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed on a phone
CODE_LENGTH = 8
INVITE_DAYS = 3
INVITE_PLATFORM = "invite"
"""Stored as the issuing platform of an invitation, so any platform may redeem it (with /link)."""

_INVITE = re.compile(r"^\s*(?:/invite|/邀请|/邀請)(?:@\S+)?\s+[@#＃]?(\S+)\s*$", re.I)


def new_code() -> str:
    """An 8-character one-time code (31^8 ≈ 8.5 × 10^11)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


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
