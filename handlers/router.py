"""One visible list of handlers, tried in order (emergencies first); the first answer wins."""

from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime, timedelta

from handlers.checkin import router as checkin
from handlers.common import events
from handlers.common.auth import is_staff
from handlers.common.context import Ctx
from handlers.common.errors import LinliError, NotAllowed, refusal
from handlers.common.people import on_invite_command
from handlers.common.texts import LANGUAGES, normalize_language, t
from handlers.common.turn import Handler, Turn
from handlers.digest import router as digest
from handlers.emergency import router as emergency
from handlers.lovebank import router as lovebank
from handlers.lovebank.timebank import record_confirmed_task, request_priority
from handlers.queue import router as queue
from handlers.queue.conversation import on_list_command
from handlers.queue.tasks import on_request
from handlers.registry import router as registry
from handlers.understanding.actions import parse_action
from handlers.understanding.places import normalize_building
from handlers.understanding.understand import understand
from storage.models import ChatRef, Incoming, Reply

log = logging.getLogger(__name__)


async def on_platform_event(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """Keeps chats in step with the platform: topic changes, supergroup migrations, leaves."""
    if msg.kind == "topic" and not msg.chat.private:
        await ctx.repo.set_chat_fields(msg.platform, msg.chat.chat_id, title=msg.text or None)
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
LINK_CODE_MINUTES = 10
LINK_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed on a phone
LINK_CODE_LENGTH = 8
LINK_WRONG_PER_HOUR = 5


async def on_command(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """Slash commands and their Chinese forms: /start, /help, /bind, /link, /lang, /digest, /tasks."""
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
        return await _on_link(msg, ctx, turn, link.group(1))
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
        await ctx.repo.set_person_fields(turn.person.id, language=language)
        return [Reply(chat=msg.chat, text=t(language, "toast.ok"), reply_to=msg.message_id)]
    return await on_list_command(msg, ctx, turn.person, turn.language(ctx))


async def _on_link(msg: Incoming, ctx: Ctx, turn: Turn, code: str | None) -> list[Reply]:
    """/link gives a one-time code; "/link CODE" said on another platform makes both accounts one person."""
    language = turn.language(ctx)
    if code is not None and not msg.chat.private:  # a code is a key: said in a group, it is burnt
        await ctx.repo.take_link_code(code.upper(), ctx.now())
        return [Reply(chat=msg.chat, text=t(language, "link.private_only"), reply_to=msg.message_id)]
    if code is None:
        code = "".join(secrets.choice(LINK_CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))
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


COMMANDS: dict[str, str] = {
    "/start": "anyone",
    "/help": "anyone",
    "/lang": "anyone",
    "/link": "anyone",
    "/register": "anyone",
    "/passbook": "anyone",
    "/hours": "claimer",
    "/note": "helpers",
    "/notes": "helpers",
    "/bind": "staff",
    "/assign": "staff",
    "/elder": "staff",
    "/elders": "staff",
    "/away": "staff",
    "/back": "staff",
    "/record": "staff",
    "/correct": "staff",
    "/summary": "staff",
    "/vol": "staff",
    "/role": "staff",
    "/delnote": "staff",
    "/invite": "staff",
    "/digest": "staff",
    "/incidents": "staff",
    "/tasks": "staff",
}
"""Every slash command the handlers answer, and who may use it (tests/test_auth_matrix.py walks it
against every role; a command missing here fails that test)."""

OBSERVERS: list[Handler] = [checkin.observe_sign_of_life]
"""Run on every message before the handlers (e.g. check-in sign of life); may add replies."""

HANDLERS: list[Handler] = [
    on_platform_event,
    checkin.on_checkin_button,  # before on_button, which drops button data it does not know
    emergency.on_incident_press,
    queue.on_button,
    queue.on_task_link,  # before on_command: "/start task-5" from the claimer opens task #5
    on_command,
    queue.on_assign_command,
    digest.on_digest_command,
    checkin.on_checkin_command,  # before emergencies: an elder's notes may mention a fall
    on_invite_command,
    lovebank.on_timebank_command,
    registry.on_registry_command,
    registry.on_register,
    checkin.on_ladder_reply,  # before emergencies: 需要送医 on a ladder is routed with the elder's address
    emergency.on_incident_text,  # before emergencies: "已送医" about E3 closes it rather than raising another
    emergency.on_emergency_text,
    registry.on_registration_answer,
    checkin.on_checkin_reply,
    queue.on_card_reply,
    queue.on_misused_command,
    queue.on_understood,
    lovebank.on_my_hours,  # before the private menu: "我的时长" gets the passbook
    queue.on_private_anything,
]

# What one feature asks of another (handlers/common/events.py), answered here, once:
events.request_priority.connect(request_priority)  # the queue asks the love bank
events.task_confirmed.connect(record_confirmed_task)  # the queue tells the love bank
events.new_request.connect(on_request)  # an elder's private request goes to the queue


def warm_up(now: datetime) -> None:
    """Loads the catalogs and the recognisers at start, so the first neighbour never waits for them."""
    for language in LANGUAGES:
        t(language, "toast.ok")
    for sample in ("明天上午谁能帮我买点菜", "有沒有鄰居能幫我修水龍頭", "Could someone help me tomorrow?"):
        understand(sample, now)
        parse_action(sample)


async def route(msg: Incoming, ctx: Ctx, inbox_id: int | None = None) -> list[Reply]:
    """Finds who spoke and where, then lets the first handler that cares answer."""
    person = await ctx.repo.resolve_identity(msg.platform, msg.sender_id, msg.sender_name)
    chat = None
    if not msg.chat.private:
        chat = await ctx.repo.upsert_chat(msg.platform, msg.chat.chat_id, msg.chat_title)
    elif msg.kind != "leave":
        # Someone who writes privately can be written to again, even if once they could not.
        await ctx.repo.set_identity_reachable(msg.platform, msg.sender_id, True)
    turn = Turn(msg=msg, person=person, chat=chat, inbox_id=inbox_id)
    replies: list[Reply] = []
    for observer in OBSERVERS:
        replies += await observer(msg, ctx, turn) or []
    for handler in HANDLERS:
        try:
            answer = await handler(msg, ctx, turn)
        except LinliError as error:
            log.info("refused %s from %s: %s", msg.text[:40] or msg.action, person.name, error)
            return replies + refusal(msg, error, turn.language(ctx))
        if answer is not None:
            return replies + answer
    return replies
