"""What the queue answers in chat: buttons and words on cards, /assign, requests, offers, the private menu.

handlers/router.py puts these handlers in the one visible order, among the other features' handlers.
"""

from __future__ import annotations

import logging
import re

from handlers.common.auth import is_staff
from handlers.common.context import Ctx
from handlers.common.errors import NotAllowed
from handlers.common.hours import claimed_hours
from handlers.common.people import person_named
from handlers.common.texts import t
from handlers.common.turn import Turn
from handlers.queue.conversation import (
    ask_which,
    candidates,
    group_ack,
    misused_command,
    on_list_command,
    open_tasks_here,
    private_ack,
    private_answer,
    read_action,
)
from handlers.queue.tasks import claim_details, on_action, on_offer, on_request, parse_button
from handlers.understanding.actions import Action, task_ref
from handlers.understanding.understand import Intent
from storage.models import Incoming, Reply, TaskState

log = logging.getLogger(__name__)

_TASK_LINK = re.compile(r"^\s*/start(?![a-z_\u4e00-\u9fff])(?:@\S+)?\s*(.*)$", re.S | re.I)
_ASSIGN = re.compile(r"^\s*(?:/assign|/改派|改派)\s*[#＃]?(\d+)\s+@?(.+?)\s*$", re.I)


async def on_button(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """A pressed button: act on the task and answer with a short toast."""
    if msg.action is None:
        return None
    parsed = parse_button(msg.action)
    if parsed is None:
        log.info("ignored unknown button data %r", msg.action)
        return []
    action, task_id = parsed
    language = turn.language(ctx)
    replies = await on_action(msg, ctx, action, task_id, turn.person, speaker_language=language)
    toast = [r for r in replies if r.chat == msg.chat and not r.card_of and r.reply_to == msg.message_id]
    rest = [r for r in replies if r not in toast]
    text = toast[0].text if toast else t(language, "toast.ok")
    return [Reply(chat=msg.chat, text=text, toast=True), *rest]


async def on_task_link(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """/start task-N, a deep link from a group hint: the claimer gets the details now the chat is open."""
    found = _TASK_LINK.match(msg.text.strip())
    argument = found.group(1).strip() if found else ""
    if not (argument.startswith("task-") and argument[5:].isdigit()):
        return None
    task = await ctx.repo.get_task(int(argument[5:]))
    if task is None or task.claimer_id != turn.person.id:
        return None  # anyone else's /start is answered as a plain /start
    requester = await ctx.repo.get_person(task.requester_id)
    name = requester.name if requester else ""
    return await claim_details(task, ctx, turn.person.id, msg.platform, name) or None


async def on_assign_command(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """/assign N NAME (改派, staff): hands task #N to the person named."""
    assign = _ASSIGN.match(msg.text.strip())
    if assign is None:
        return None
    if not is_staff(turn.person):
        raise NotAllowed("assign", reason=t(turn.language(ctx), "reason.only_staff"))
    assignee = await person_named(ctx, assign.group(2), turn.person)
    if assignee is None:
        text = t(turn.language(ctx), "assign.unknown", name=assign.group(2))
        return [Reply(chat=msg.chat, text=text, reply_to=msg.message_id)]
    replies = await on_action(msg, ctx, Action.ASSIGN, int(assign.group(1)), turn.person, assignee=assignee)
    return replies


async def on_card_reply(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """我来 / 完成 / 确认 / 取消 / 放弃 said in reply to a card, naming #N, or meant by context."""
    said = read_action(msg.text)
    if said is None:
        return None
    if said.loose and said.match.action is Action.RELEASE and turn.understood(ctx).intent is Intent.REQUEST:
        return None  # "我去不了超市了 谁能帮我买点菜" is a new request, not a release
    match = said.match
    task_id = match.task_id
    if task_id is None and msg.reply_to:
        task_id = await _task_replied_to(msg, ctx, msg.reply_to)
    by_context = False
    if task_id is None:
        found = await _task_by_context(msg, ctx, turn, match.action)
        if isinstance(found, list):
            return found
        task_id, by_context = found, found is not None
    if task_id is None:
        return None
    incident = await ctx.repo.incident_of_task(task_id)
    if incident is not None:  # an emergency is not claimed, done or confirmed like a task
        text = t(turn.language(ctx), "incident.not_a_task", id=incident.id)
        return [Reply(chat=msg.chat, text=text, reply_to=msg.message_id)]
    duration = None
    if match.action is Action.DONE and match.rest:  # read in full (一百六十 is 160), checked by on_action
        duration = claimed_hours(msg.text)
        if duration is None:
            duration = turn.understood(ctx).duration_hours
    language = turn.language(ctx)
    replies = await on_action(
        msg, ctx, match.action, task_id, turn.person, duration_hours=duration, speaker_language=language
    )
    if (
        by_context
        and match.action is not Action.CLAIM  # the card shows who took it; the claimer hears privately
        and not msg.chat.private
        and not any(r.chat == msg.chat and r.reply_to for r in replies)
    ):
        replies.append(group_ack(msg, match.action, task_id, language))
    return private_ack(msg, replies, match.action, task_id, language)


async def _task_by_context(msg: Incoming, ctx: Ctx, turn: Turn, action: Action) -> int | list[Reply] | None:
    """The speaker's only fitting task, the card just above, or "哪一单?" with the candidates."""
    if action is Action.CLAIM:
        if msg.chat.private:
            return None
        last = await ctx.repo.last_card_in(msg.chat)
        if last is not None:
            task = await ctx.repo.get_task(last)
            if task is not None and task.state is TaskState.OPEN and not task.emergency:
                return task.id
        building = turn.chat.building if turn.chat else None
        tasks = [t for t in await open_tasks_here(ctx, msg, building) if t.requester_id != turn.person.id]
    else:
        tasks = await candidates(ctx, turn.person, action)
    if not tasks:
        return None
    if len(tasks) == 1:
        return tasks[0].id
    if not msg.chat.private:
        last = await ctx.repo.last_card_in(msg.chat)
        if last is not None and any(task.id == last for task in tasks):
            return last
    return ask_which(msg, turn.person, action, tasks, turn.language(ctx))


async def _task_replied_to(msg: Incoming, ctx: Ctx, reply_to: str) -> int | None:
    """The task a reply points at: a card, the request itself, or any bot message naming #N."""
    if reply_to.startswith("quote:"):
        return task_ref(reply_to)
    task = await ctx.repo.task_for_message(msg.chat, reply_to)
    if task is not None:
        return task.id
    said = await ctx.repo.sent_text(msg.chat, reply_to)
    return task_ref(said) if said else None


async def on_understood(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """Requests become cards, offers are recorded; everything else stays quiet."""
    understood = turn.understood(ctx)
    if understood.intent is Intent.REQUEST:
        return await on_request(msg, ctx, understood, turn.person, turn.inbox_id, turn.chat)
    if understood.intent is Intent.OFFER:
        return await on_offer(msg, ctx, understood, turn.person, turn.chat)
    return None


async def on_misused_command(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """A staff command no handler could read answers with the reason or its usage, never silence."""
    if msg.action is not None or not msg.text.strip().startswith("/"):
        return None
    return misused_command(msg, turn.person, turn.language(ctx))


async def on_private_anything(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """In a private chat every message gets an answer: a greeting, thanks, hours, or what one can do now."""
    if not msg.chat.private or msg.action is not None or not msg.text.strip() or msg.kind != "text":
        return None
    return await private_answer(msg, ctx, turn.person, turn.language(ctx))


async def on_staff_list(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """/tasks and /incidents (staff): what is open, and the last day's emergencies, privately."""
    return await on_list_command(msg, ctx, turn.person, turn.language(ctx))
