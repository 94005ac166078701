"""The shared queue: requests become cards, volunteers claim them, requesters confirm."""

from __future__ import annotations

import dataclasses
import logging
import re

from handlers.common import events
from handlers.common.auth import Permission, authorize, task_relations
from handlers.common.categories import category_name
from handlers.common.context import Ctx
from handlers.common.errors import InvalidTransition, NotAllowed, UnknownTask
from handlers.common.hours import check_hours
from handlers.common.notify import name_of, private_chat, tell_person
from handlers.common.people import care_notes_text
from handlers.common.texts import t
from handlers.queue.cards import card_replies, claimed_or_default, describe_when, render_card
from handlers.queue.matching import ask_fitting_volunteers, fitting_candidates, suggested_names
from handlers.understanding.actions import Action
from handlers.understanding.understand import Understanding
from storage.models import (
    Button,
    Chat,
    Incoming,
    Person,
    PersonUpdate,
    Reply,
    Role,
    Task,
    TaskState,
    TaskUpdate,
)

log = logging.getLogger(__name__)

TRANSITIONS: dict[tuple[TaskState, Action], TaskState] = {
    (TaskState.OPEN, Action.CLAIM): TaskState.CLAIMED,
    (TaskState.OPEN, Action.CANCEL): TaskState.CANCELLED,
    (TaskState.OPEN, Action.ASSIGN): TaskState.CLAIMED,
    (TaskState.CLAIMED, Action.DONE): TaskState.DONE,
    (TaskState.CLAIMED, Action.RELEASE): TaskState.OPEN,
    (TaskState.CLAIMED, Action.CANCEL): TaskState.CANCELLED,
    (TaskState.CLAIMED, Action.ASSIGN): TaskState.CLAIMED,
    (TaskState.DONE, Action.CONFIRM): TaskState.CONFIRMED,
}
"""Every legal move of a task; anything else is refused with :class:`InvalidTransition`."""

_LEADING_TAG = re.compile(r"^\s*(?:/[^\s@]+(?:@\S+)?|[#＃](?:求助|幫忙|帮忙|help|need|offer))\s*", re.I)


def next_state(state: TaskState, action: Action, task_id: int = 0, language: str | None = None) -> TaskState:
    """Returns where ``action`` takes a task in ``state``, or raises InvalidTransition."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise InvalidTransition(
            f"{action} not allowed from {state}",
            id=task_id,
            state=t(language, f"state.{state}"),
            action=t(language, f"action.{action}"),
        ) from None


async def on_request(
    msg: Incoming,
    ctx: Ctx,
    understood: Understanding,
    person: Person,
    inbox_id: int | None,
    chat: Chat | None,
) -> list[Reply]:
    """Turns a request into task #N and posts its card, quoting the message (``chat``: the group it was
    asked in, as the router read it for this message; None in private)."""
    task = await ctx.repo.create_task(
        text=understood_text(msg.text),
        requester_id=person.id,
        at=ctx.now(),
        category=understood.category or "other",
        urgency=understood.urgency or "normal",
        window=understood.when,
        building=understood.building or (chat.building if chat else None) or person.building,
        room=(understood.unit or "") + (understood.room or "") or None,  # "1单元401": the unit is kept
        origin=msg.chat,
        origin_message_id=msg.message_id,
        inbox_id=inbox_id,
        language=understood.language,
        priority=await events.request_priority(ctx, person),
    )
    log.info("task #%s created from %s/%s", task.id, msg.platform, msg.chat.chat_id)
    told: list[Reply] = []
    replies = await card_replies(task, ctx, edit=False, quote=msg.message_id, asker=person, asked_in=chat)
    if msg.chat.private and replies:
        # Asked privately: the requester hears first what the group will see, and that nothing else goes.
        told.append(
            Reply(
                chat=msg.chat,
                text=t(
                    task.language or person.language or ctx.settings.language,
                    "request.private_posted",
                    id=task.id,
                    category=category_name(task.category, task.language or ctx.settings.language),
                    building=task.building or "",
                ),
            )
        )
    candidates = await fitting_candidates(task, ctx)
    names = suggested_names(task, candidates, ctx.settings.suggest_volunteers)
    if names and replies:
        first = replies[0]
        language = task.language or ctx.settings.language
        replies[0] = Reply(
            chat=first.chat,
            text=first.text + t(language, "card.suggest", names="、".join(names)),
            buttons=first.buttons,
            card_of=first.card_of,
            reply_to=first.reply_to,
        )
    if not replies:
        # Asked privately and no group shows it yet: the requester still sees the card.
        card = render_card(task, ctx, task.language or ctx.settings.language)
        replies.append(Reply(chat=msg.chat, text=card.text, buttons=card.buttons, card_of=task.id))
    return told + replies + await ask_fitting_volunteers(task, ctx, msg.platform, candidates)


def understood_text(text: str) -> str:
    """The request as stored: the words, without a leading command or tag."""
    return _LEADING_TAG.sub("", text).strip() or text


async def on_offer(
    msg: Incoming, ctx: Ctx, understood: Understanding, person: Person, chat: Chat | None
) -> list[Reply]:
    """Records an offer and points it at the most pressing open request it fits (``chat``: the group,
    as the router read it; None in private)."""
    skills = understood.skills or ((understood.category,) if understood.category else ())
    offer = await ctx.repo.create_offer(
        person_id=person.id,
        text=msg.text,
        skills=skills,
        at=ctx.now(),
        window=understood.when,
        building=understood.building or (chat.building if chat else None) or person.building,
    )
    if person.role is Role.RESIDENT:
        await ctx.repo.update_person(person.id, PersonUpdate(role=Role.VOLUNTEER))
    language = person.language or understood.language or ctx.settings.language
    window = (offer.window_start, offer.window_end) if offer.window_start and offer.window_end else None
    # Pointed at a request of the offer's main skill: "会修电脑和手机" is no light-bulb job.
    main = (understood.category,) if understood.category and understood.category in skills else skills
    task = await ctx.repo.open_task_for_offer(
        categories=main, window=window, building=offer.building, excluding_requester=person.id
    )
    if task is not None:
        text = t(
            language,
            "offer.match",
            name=person.name,
            id=task.id,
            category=category_name(task.category, language),
        )
        return [Reply(chat=msg.chat, text=text, reply_to=msg.message_id)]
    described = (
        t(language, "offer.skills", skills="、".join(category_name(s, language) for s in skills))
        if skills
        else t(language, "offer.time")
    )
    return [
        Reply(
            chat=msg.chat,
            text=t(language, "offer.thanks", name=person.name, skills=described),
            reply_to=msg.message_id,
        )
    ]


async def on_action(
    msg: Incoming,
    ctx: Ctx,
    action: Action,
    task_id: int,
    person: Person,
    *,
    duration_hours: float | None = None,
    assignee: Person | None = None,
    speaker_language: str | None = None,
) -> list[Reply]:
    """Applies a claim, done, confirm, cancel, release or reassignment, then updates every card.

    ``speaker_language``: the language of the person acting, for what is said back to them only
    (a refusal in one language: never "抱歉,this is your own request.").
    """
    language = person.language or ctx.settings.language
    task = await ctx.repo.get_task(task_id)
    if task is None:
        raise UnknownTask(f"no task {task_id}", id=task_id)
    language = task.language or language
    answer_language = speaker_language or language
    if action is Action.CLAIM and task.state is TaskState.CLAIMED:
        return await _already_claimed(msg, ctx, task, person, answer_language)
    target = next_state(task.state, action, task.id, answer_language)
    _authorize(task, action, person, answer_language)
    if action is Action.DONE and duration_hours is not None:
        check_hours(duration_hours, task, ctx, answer_language)
    if action is Action.CONFIRM and task.claimer_id == person.id:
        # Staff who served may not witness their own hours: a second staff member confirms.
        raise NotAllowed("self-witness", reason=t(answer_language, "reason.needs_witness"))
    claimer_id: int | None = None  # the holder stays unless the task is claimed, assigned or released
    if action is Action.CLAIM:
        claimer_id = person.id
    elif action is Action.ASSIGN:
        assert assignee is not None
        claimer_id = assignee.id
    won = await ctx.repo.transition_task(
        task.id,
        action=action.value,
        expect=task.state,
        to=target,
        actor_id=person.id,
        at=ctx.now(),
        claimer_id=claimer_id,
        unclaim=action is Action.RELEASE,
        duration_hours=duration_hours,
        note=f"assigned to {assignee.name}" if assignee else None,
    )
    if not won:
        current = await ctx.repo.get_task(task.id)
        assert current is not None
        if action is Action.CLAIM and current.state is TaskState.CLAIMED:
            return await _already_claimed(msg, ctx, current, person, answer_language)
        raise InvalidTransition(
            f"task {task.id} moved to {current.state}",
            id=task.id,
            state=t(answer_language, f"state.{current.state}"),
            action=t(answer_language, f"action.{action}"),
        )
    updated = await ctx.repo.get_task(task.id)
    assert updated is not None
    replies = await card_replies(updated, ctx, edit=True)
    after = await _after(action, updated, msg, ctx, person, language)
    if action is Action.DONE:
        return _quiet_done(updated, ctx, replies, after)
    return replies + after


def _quiet_done(task: Task, ctx: Ctx, cards: list[Reply], asked: list[Reply]) -> list[Reply]:
    """On platforms that can't edit, "please confirm" is the requester's business: it goes to them privately.

    The group hears of it only if that message can't be delivered (the asking group's card is the
    fallback); groups on platforms that edit see their card change in place as before.
    """
    quiet = [card for card in cards if card.chat.platform in ctx.no_edits]
    if not quiet or not asked:
        return cards + asked
    origin = task.origin
    here = next(
        (
            c
            for c in quiet
            if origin is not None and (c.chat.platform, c.chat.chat_id) == (origin.platform, origin.chat_id)
        ),
        quiet[0],
    )
    shown = [card for card in cards if card.chat.platform not in ctx.no_edits]
    return [*shown, dataclasses.replace(asked[0], fallback=here), *asked[1:]]


async def _already_claimed(
    msg: Incoming, ctx: Ctx, task: Task, person: Person, language: str | None
) -> list[Reply]:
    """Thanks a volunteer who was a moment too late, naming who took it."""
    claimer = await name_of(ctx, task.claimer_id)
    text = t(language, "claim.lost", name=person.name, id=task.id, claimer=claimer)
    here = Reply(chat=msg.chat, text=text, reply_to=msg.message_id)
    if msg.platform in ctx.no_edits and not msg.chat.private and msg.action is None:
        chat = await private_chat(ctx, person.id, msg.platform)
        if chat is not None:  # one more group post on WeChat is noise for everyone else
            return [Reply(chat=chat, text=text, fallback=here)]
    return [here]


def _authorize(task: Task, action: Action, person: Person, language: str | None) -> None:
    """Applies the authorization table (handlers/common/auth.py) to a task action."""
    authorize(Permission(action.value), person, task_relations(task, person), language)


async def _after(
    action: Action, task: Task, msg: Incoming, ctx: Ctx, person: Person, language: str | None
) -> list[Reply]:
    """Private follow-ups: details to the claimer, a nudge to confirm, thanks, notices."""
    requester = await name_of(ctx, task.requester_id)
    claimer = await name_of(ctx, task.claimer_id)
    if action in (Action.CLAIM, Action.ASSIGN) and task.claimer_id is not None:
        hint = None
        if not msg.chat.private:
            hint = Reply(
                chat=msg.chat,
                text=t(language, "claim.private_hint", name=claimer, id=task.id),
                buttons=(Button(t(language, "button.open_private"), f"open:task-{task.id}"),),
            )
        details = await claim_details(task, ctx, task.claimer_id, msg.platform, requester, fallback=hint)
        return details or ([hint] if hint else [])
    if action is Action.DONE:
        return await tell_person(
            ctx,
            task.requester_id,
            "done.ask_confirm_hours",
            msg.platform,
            claimer=claimer,
            id=task.id,
            hours=f"{claimed_or_default(task, ctx):g}",
        )
    if action is Action.CONFIRM and task.claimer_id is not None:
        hours = task.duration_hours or ctx.settings.hours_for(task.category)
        if task.duration_hours is None:
            await ctx.repo.update_task(task.id, TaskUpdate(duration_hours=hours))
        banked = await events.task_confirmed(ctx, task, person, msg.platform, hours)
        thanks = await tell_person(
            ctx,
            task.claimer_id,
            "confirm.thanks",
            msg.platform,
            witness=person.name,
            id=task.id,
            hours=f"{hours:g}",
        )
        return thanks + banked
    if action is Action.CANCEL and task.claimer_id is not None and task.claimer_id != person.id:
        return await tell_person(ctx, task.claimer_id, "cancel.told", msg.platform, id=task.id)
    return []


async def claim_details(
    task: Task, ctx: Ctx, claimer_id: int, platform: str, requester: str, fallback: Reply | None = None
) -> list[Reply]:
    """The private message with everything the volunteer needs: full text, place, time, contact."""
    chat = await private_chat(ctx, claimer_id, platform)
    if chat is None:
        return []
    claimer = await ctx.repo.get_person(claimer_id)
    language = (claimer.language if claimer else None) or task.language or ctx.settings.language
    requester_person = await ctx.repo.get_person(task.requester_id)
    room = task.room or (requester_person.room if requester_person else None)
    place = join_place(task.building, room)
    phone = requester_person.phone if requester_person and requester_person.phone else ""
    when = describe_when(task, ctx, language)
    text = t(
        language,
        "claim.details",
        id=task.id,
        text=task.text,
        requester=requester,
        contact=f" ☎ {phone}" if phone else t(language, "claim.contact"),
        where=f"\n📍 {place}" if place else "",
        when=f"\n🕘 {when}" if when else "",
    )
    notes = await care_notes_text(ctx, task.requester_id, language)
    return [Reply(chat=chat, text=text + notes, fallback=fallback)]


def join_place(building: str | None, room: str | None) -> str:
    """'3号楼' + '1单元401' → '3号楼1单元401' (as an address is written); '3号楼' + '502' → '3号楼 502'."""
    if building and room and ("单元" in room or "單元" in room):
        return building + room
    return " ".join(p for p in (building, room) if p)


def parse_button(action: str) -> tuple[Action, int] | None:
    """Reads button data such as ``claim:12``."""
    name, _, number = action.partition(":")
    try:
        return Action(name), int(number)
    except ValueError:
        return None
