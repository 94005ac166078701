"""Telling people: privately and in their own language, and only what a group may read in a group."""

from __future__ import annotations

import re

from handlers.common.auth import STAFF_ROLES
from handlers.common.context import Ctx
from handlers.common.texts import t
from handlers.common.turn import Turn, command_language
from storage.models import Chat, ChatRef, Incoming, Person, Reply, Task

_PHONE = re.compile(r"(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})(?!\d)")
_MOBILE_DIGITS = re.compile(r"1[3-9]\d[- ]?\d{4}[- ]?\d{4}")  # in every number _PHONE masks


def mask_phones(text: str) -> str:
    """Hides the middle of mobile numbers: cards stand in groups, details go private."""
    if _MOBILE_DIGITS.search(text) is None:  # the usual case, ten times quicker than the sub
        return text
    return _PHONE.sub(r"\1****\2", text)


async def name_of(ctx: Ctx, person_id: int | None) -> str:
    if person_id is None:
        return ""
    person = await ctx.repo.get_person(person_id)
    return person.name if person else ""


async def private_chat(ctx: Ctx, person_id: int, prefer_platform: str | None = None) -> ChatRef | None:
    """Returns where to message a person privately, preferring the platform they just used."""
    identities = [i for i in await ctx.repo.identities_of(person_id) if i.reachable]
    identities.sort(key=lambda i: i.platform != prefer_platform)
    return ChatRef(identities[0].platform, identities[0].user_id, True) if identities else None


async def tell(
    ctx: Ctx, person: Person, key: str, prefer_platform: str | None = None, **params: object
) -> list[Reply]:
    """A private message to one person already read, in their language; nothing if they cannot be
    reached."""
    chat = await private_chat(ctx, person.id, prefer_platform)
    if chat is None:
        return []
    return [Reply(chat=chat, text=t(person.language or ctx.settings.language, key, **params))]


async def tell_person(
    ctx: Ctx, person_id: int, key: str, prefer_platform: str | None = None, **params: object
) -> list[Reply]:
    """Like :func:`tell`, for a person known by id."""
    person = await ctx.repo.get_person(person_id)
    return [] if person is None else await tell(ctx, person, key, prefer_platform, **params)


async def tell_staff(ctx: Ctx, key: str, prefer_platform: str | None = None, **params: object) -> list[Reply]:
    """Tells every staff member privately."""
    replies: list[Reply] = []
    for person in await ctx.repo.persons_with_role(*STAFF_ROLES):
        replies += await tell(ctx, person, key, prefer_platform, **params)
    return replies


async def card_chats(task: Task, ctx: Ctx, asked_in: Chat | None = None) -> list[Chat]:
    """Returns every group that shows this task's card: where it was asked (``asked_in``, if at hand),
    and its building's groups."""
    chats: dict[tuple[str, str], Chat] = {}
    if task.origin is not None and not task.origin.private:
        origin: Chat | None = asked_in
        if origin is None or (origin.platform, origin.chat_id) != (task.origin.platform, task.origin.chat_id):
            origin = await ctx.repo.get_chat(task.origin.platform, task.origin.chat_id)
        if origin is not None:
            chats[(origin.platform, origin.chat_id)] = origin
    if task.building:
        for chat in await ctx.repo.chats_for_building(task.building):
            chats.setdefault((chat.platform, chat.chat_id), chat)
    return list(chats.values())


async def answer_privately(
    msg: Incoming, ctx: Ctx, person: Person, language: str | None, text: str, notice: str = "private.sent"
) -> list[Reply]:
    """Answers in the private chat; asked in a group, the group only hears ``notice``: it went there."""
    if msg.chat.private:
        return [Reply(chat=msg.chat, text=text)]
    chat = await private_chat(ctx, person.id, msg.platform)
    if chat is None:
        return [Reply(chat=msg.chat, text=t(language, "private.first", name=person.name))]
    return [
        Reply(chat=chat, text=text),
        Reply(chat=msg.chat, text=t(language, notice, name=person.name), reply_to=msg.message_id),
    ]


async def privately(msg: Incoming, ctx: Ctx, turn: Turn, text: str) -> list[Reply]:
    """A command's answer, in the private chat and the command's language (see ``answer_privately``)."""
    return await answer_privately(msg, ctx, turn.person, command_language(ctx, turn), text)
