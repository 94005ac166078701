"""One visible list of handlers, tried in order (emergencies first); the first answer wins.

Each feature's router (handlers/<feature>/router.py) offers its handlers; the list below sets their
order across the features, and the hooks after it connect what one feature asks of another.
"""

from __future__ import annotations

import logging
from datetime import datetime

from handlers.admin import router as admin
from handlers.checkin import router as checkin
from handlers.common import events
from handlers.common.context import Ctx
from handlers.common.errors import LinliError, refusal
from handlers.common.texts import LANGUAGES, t
from handlers.common.turn import Handler, Turn
from handlers.digest import router as digest
from handlers.emergency import router as emergency
from handlers.lovebank import router as lovebank
from handlers.lovebank.timebank import record_confirmed_task, request_priority
from handlers.queue import router as queue
from handlers.queue.tasks import on_request
from handlers.registry import router as registry
from handlers.understanding.actions import parse_action
from handlers.understanding.understand import understand
from storage.models import Incoming, Reply

log = logging.getLogger(__name__)

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
    admin.on_platform_event,
    checkin.on_checkin_button,  # before on_button, which drops button data it does not know
    emergency.on_incident_press,
    queue.on_button,
    queue.on_task_link,  # before on_command: "/start task-5" from the claimer opens task #5
    admin.on_command,
    queue.on_assign_command,
    digest.on_digest_command,
    queue.on_staff_list,
    checkin.on_checkin_command,  # before emergencies: an elder's notes may mention a fall
    admin.on_invite_command,
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
    lovebank.on_my_hours,  # before the queue reads "我的时长" as an offer of time: it asks for the passbook
    queue.on_understood,
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
