"""Names staff type, resolved to people: only to proven accounts, never to a display name alone.

Also the care notes (耳背, 家里有狗) that whoever goes to a person's door is told, privately.
"""

from __future__ import annotations

import logging
import re

from handlers.common.auth import STAFF_ROLES
from handlers.common.context import Ctx
from handlers.common.errors import LinliError
from handlers.common.texts import t
from storage.models import Identity, Person

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
