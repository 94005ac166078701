"""Daily check-ins for elders living alone: greetings, signs of life, the ladder, away mode.

The schedule lives in the database: each elder's ``next_due_at`` and each open
check-in's ``next_step_at``.  ``run_checkins`` does whatever is due by the clock
and returns the messages to send; ``bot/scheduler.py`` calls it on a timer inside
one transaction with the outbox, so a crash either did a step and queued its
messages or did neither — a step is never lost and never doubled.

The ladder, one rung after another when nobody answers::

    greeted ──window──▶ reminded ──▶ volunteers ──▶ staff ──▶ contact
       │                   │             │            │          │
       └──── any sign of life from the elder, or 已上门,平安 / 联系上了 / 需要送医 ────▶ over
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

from handlers.common import events
from handlers.common.auth import STAFF_ROLES, is_staff
from handlers.common.context import Ctx
from handlers.common.elders import at_local, first_greeting, local_day, next_greeting, register_elder
from handlers.common.errors import NotAllowed
from handlers.common.notify import mask_phones, private_chat, tell_person
from handlers.common.people import care_notes_text, person_named
from handlers.common.texts import normalize_language, t
from handlers.common.turn import Turn
from handlers.understanding.actions import parse_action
from handlers.understanding.timeparse import cn_to_int
from handlers.understanding.understand import Intent, Understanding
from storage.checkin_models import (
    Checkin,
    CheckinState,
    Elder,
    ElderSpec,
    LadderStep,
    NewCheckin,
    Outcome,
    Wellbeing,
)
from storage.models import Button, ChatRef, Incoming, Person, PersonUpdate, Reply, Role

log = logging.getLogger(__name__)

GREETINGS = 6
"""How many greeting texts there are (``checkin.greet.0`` …); elders see them in turn."""

NEXT_STEP: dict[LadderStep, LadderStep] = {
    LadderStep.GREETED: LadderStep.REMINDED,
    LadderStep.REMINDED: LadderStep.VOLUNTEERS,
    LadderStep.VOLUNTEERS: LadderStep.STAFF,
    LadderStep.STAFF: LadderStep.CONTACT,
}
"""The ladder as a table: where each rung leads when nobody has answered."""

LIFE_KINDS = frozenset({"text", "voice", "image", "other", "button", "edited"})
"""Message kinds that show the sender is about: anything a person did, not platform bookkeeping."""

LADDER_ACTION = "ladder"


# -- time -------------------------------------------------------------------------------------


def greeting_day(due_at: datetime, now: datetime, tz: tzinfo) -> date:
    """The day a greeting counts for: its own, unless the process was down for most of a day.

    A greeting fired late after a long outage counts for today, so the elder is not greeted
    twice today (the day's regular greeting then finds the day taken).
    """
    return local_day(due_at, tz) if now - due_at < timedelta(hours=12) else local_day(now, tz)


def step_delay(ctx: Ctx, step: LadderStep, window_minutes: int) -> timedelta:
    """How long the ladder waits after ``step`` before climbing to the next rung."""
    settings = ctx.settings.checkin
    minutes = {
        LadderStep.GREETED: window_minutes + settings.remind_after_minutes,
        LadderStep.REMINDED: settings.volunteers_after_minutes,
        LadderStep.VOLUNTEERS: settings.staff_after_minutes,
        LadderStep.STAFF: settings.contact_after_minutes,
    }.get(step, 0)
    return timedelta(minutes=minutes)


def fmt_clock(moment: datetime | time, tz: tzinfo | None = None) -> str:
    if isinstance(moment, datetime):
        moment = moment.astimezone(tz).time() if tz else moment.time()
    return moment.strftime("%H:%M")


def where_of(elder: Elder) -> str:
    """'3号楼 502': the address, for private messages only."""
    return " ".join(part for part in (elder.building, elder.room) if part)


def language_of(ctx: Ctx, person: Person | None) -> str:
    return (person.language if person else None) or ctx.settings.language


# -- greetings ----------------------------------------------------------------------------------


def greeting_text(language: str | None, name: str, elder_id: int, day: date) -> str:
    """A warm greeting that is not the same words every day (nor for every neighbour the same day)."""
    variant = (elder_id + day.toordinal()) % GREETINGS
    return t(language, f"checkin.greet.{variant}", name=name)


async def run_checkins(ctx: Ctx, limit: int | None = None) -> list[Reply]:
    """Greets every elder whose time has come, then climbs every ladder that is due."""
    batch = limit or ctx.settings.checkin.batch
    replies = await greet_due(ctx, batch)
    replies += await climb_due(ctx, batch)
    return replies


async def checkin_work_due(ctx: Ctx) -> bool:
    """True when a greeting or a ladder step is due now (the scheduler keeps calling until False)."""
    due = await ctx.repo.next_checkin_work_at()
    return due is not None and due <= ctx.now()


async def greet_due(ctx: Ctx, limit: int) -> list[Reply]:
    """Records today's check-in for up to ``limit`` due elders and greets each privately."""
    now = ctx.now()
    tz = ctx.settings.tz
    due = await ctx.repo.due_greetings(now, limit)
    if not due:
        return []
    items: list[NewCheckin] = []
    skipped: list[tuple[int, datetime | None]] = []
    for greeting in due:
        if greeting.away_until is not None and greeting.away_until > now:
            skipped.append(
                (greeting.elder_id, first_greeting(greeting.checkin_time, now, greeting.away_until, tz))
            )
            continue
        upcoming = next_greeting(greeting.checkin_time, max(now, greeting.due_at), tz)
        if greeting.platform is None or greeting.user_id is None:
            log.warning("elder %s has no reachable chat account; not greeted", greeting.elder_id)
            skipped.append((greeting.elder_id, upcoming))
            continue
        window_end = now + timedelta(minutes=greeting.window_minutes)
        items.append(
            NewCheckin(
                elder_id=greeting.elder_id,
                day=greeting_day(greeting.due_at, now, tz),
                due_at=greeting.due_at,
                greeted_at=now,
                window_end=window_end,
                next_step_at=now + step_delay(ctx, LadderStep.GREETED, greeting.window_minutes),
                next_due_at=upcoming,
            )
        )
    if skipped:
        await ctx.repo.set_next_due(skipped)
    created = await ctx.repo.begin_checkins(items)
    by_elder = {g.elder_id: g for g in due}
    replies = []
    for item in items:
        if item.elder_id not in created:
            continue
        greeting = by_elder[item.elder_id]
        assert greeting.platform is not None and greeting.user_id is not None
        replies.append(
            Reply(
                chat=ChatRef(greeting.platform, greeting.user_id, True),
                text=greeting_text(greeting.language, greeting.name, greeting.elder_id, item.day),
                bulk=True,
            )
        )
    log.info("greeted %d elders (%d skipped)", len(replies), len(skipped))
    return replies


# -- the ladder -----------------------------------------------------------------------------------


async def climb_due(ctx: Ctx, limit: int) -> list[Reply]:
    """Takes every ladder step that is due; a rung that reached nobody hands over to the next at once."""
    replies: list[Reply] = []
    for _ in range(len(NEXT_STEP) + 1):
        due = await ctx.repo.due_steps(ctx.now(), limit)
        if not due:
            break
        for checkin in due:
            replies += await climb(ctx, checkin)
    return replies


async def climb(ctx: Ctx, checkin: Checkin) -> list[Reply]:
    """Takes the next step of one ladder (once: a racing or repeated call finds it taken)."""
    step = NEXT_STEP.get(checkin.step)
    elder = await ctx.repo.get_elder(checkin.elder_id)
    if step is None or elder is None:
        return []
    now = ctx.now()
    delay = step_delay(ctx, step, elder.window_minutes)
    next_at = now + delay if step in NEXT_STEP else None
    replies, told, note = await _step_messages(ctx, step, elder, checkin)
    reached = len({r.chat for r in replies})
    if not await ctx.repo.advance_checkin(
        checkin.id, expect=checkin.step, step=step, at=now, next_step_at=next_at, reached=reached, note=note
    ):
        return []
    if told:
        await ctx.repo.add_notified(checkin.id, told, step)
    if reached == 0 and next_at is not None and step is not LadderStep.REMINDED:
        await ctx.repo.hurry_checkin(checkin.id, now)
    log.info("check-in %s of elder %s: %s (reached %d)", checkin.id, elder.id, step, reached)
    return replies


async def _step_messages(
    ctx: Ctx, step: LadderStep, elder: Elder, checkin: Checkin
) -> tuple[list[Reply], list[int], str | None]:
    """The messages of one rung, the people asked (who may close the ladder), and a note."""
    tz = ctx.settings.tz
    params = {
        "name": elder.name,
        "where": where_of(elder) or "—",
        "time": fmt_clock(checkin.greeted_at, tz),
        "phone": f"\n☎ {elder.phone}" if elder.phone else "",
    }
    if step is LadderStep.REMINDED:
        chat = await private_chat(ctx, elder.person_id)
        if chat is None:
            return [], [], "elder unreachable"
        return [Reply(chat=chat, text=t(elder.language, "checkin.remind", name=elder.name))], [], None
    if step is LadderStep.VOLUNTEERS:
        replies, told = await _ask_people(
            ctx, elder.volunteer_ids, "checkin.ask_volunteer", checkin, params, elder
        )
        replies = [await _with_particulars(ctx, reply, elder) for reply in replies]
        return replies, told, None if told else "no reachable paired volunteer"
    if step is LadderStep.STAFF:
        volunteers = "、".join([await _name(ctx, v) for v in elder.volunteer_ids]) or "—"
        staff = [p.id for p in await ctx.repo.persons_with_role(*STAFF_ROLES)]
        replies, told = await _ask_people(
            ctx, staff, "checkin.ask_staff", checkin, {**params, "volunteers": volunteers}, elder
        )
        return replies, told, None if told else "no reachable staff"
    if step is LadderStep.CONTACT:
        contact = elder.contact_name or "—"
        if elder.contact_person_id is not None:
            replies, told = await _ask_people(
                ctx,
                [elder.contact_person_id],
                "checkin.ask_contact",
                checkin,
                {**params, "community": ctx.settings.community, "contact": contact},
                elder,
            )
            if replies:
                return replies, told, None
        if not elder.contact_phone:
            return [], [], "no emergency contact"
        staff = [p.id for p in await ctx.repo.persons_with_role(*STAFF_ROLES)]
        replies, told = await _ask_people(
            ctx,
            staff,
            "checkin.call_contact",
            checkin,
            {**params, "contact": contact, "contact_phone": elder.contact_phone},
            elder,
        )
        return replies, told, "contact by phone"
    return [], [], None


async def _with_particulars(ctx: Ctx, reply: Reply, elder: Elder) -> Reply:
    """The volunteer going to the door gets, privately, the emergency contact and the elder's notes (耳背)."""
    reader = await ctx.repo.person_by_identity(reply.chat.platform, reply.chat.chat_id)
    language = (reader.language if reader else None) or ctx.settings.language
    extra = ""
    if elder.contact_name or elder.contact_phone:
        contact = " ".join(p for p in (elder.contact_name, elder.contact_phone) if p)
        extra += "\n" + t(language, "checkin.particulars.contact", contact=contact)
    if elder.notes:
        extra += "\n" + t(language, "checkin.particulars.notes", notes=elder.notes)
    return replace(reply, text=reply.text + extra) if extra else reply


def ladder_buttons(language: str | None, checkin_id: int) -> tuple[Button, ...]:
    """已上门,平安 / 联系上了 / 需要送医 as buttons (WeChat shows them as reply hints)."""
    return tuple(
        Button(t(language, f"checkin.button.{outcome}"), f"{LADDER_ACTION}:{outcome}:{checkin_id}")
        for outcome in (Outcome.SAFE, Outcome.REACHED, Outcome.HOSPITAL)
    )


async def _ask_people(
    ctx: Ctx, person_ids: Sequence[int], key: str, checkin: Checkin, params: dict[str, str], elder: Elder
) -> tuple[list[Reply], list[int]]:
    replies: list[Reply] = []
    told: list[int] = []
    for person_id in dict.fromkeys(person_ids):
        chat = await private_chat(ctx, person_id)
        if chat is None:
            continue
        language = language_of(ctx, await ctx.repo.get_person(person_id))
        notes = await care_notes_text(ctx, elder.person_id, language)  # for whoever knocks on the door
        replies.append(
            Reply(
                chat=chat,
                text=t(language, key, **params) + notes,
                buttons=ladder_buttons(language, checkin.id),
            )
        )
        told.append(person_id)
    return replies, told


async def _name(ctx: Ctx, person_id: int | None) -> str:
    person = await ctx.repo.get_person(person_id) if person_id is not None else None
    return person.name if person else ""


# -- signs of life ----------------------------------------------------------------------------------


async def observe_sign_of_life(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply]:
    """Any message from an elder closes their open check-ins; an emergency also alerts their pair."""
    if msg.kind not in LIFE_KINDS:
        return []
    replies: list[Reply] = []
    # Most people are not elders: one indexed read answers that before the check-ins are looked at.
    if await turn.elder(ctx) is not None:
        open_checkins = await ctx.repo.open_checkins_of_person(turn.person.id)
        if open_checkins:
            replies += await _answered(msg, ctx, turn, open_checkins)
    if msg.text and turn.understood(ctx).intent is Intent.EMERGENCY:
        replies += await _alert_pairs(msg, ctx, turn)
    return replies


def wellbeing_of(understood: Understanding | None, private: bool) -> Wellbeing | None:
    """好/一般/不好 from the words; a plain private answer ("好", "在呢") counts as good."""
    mark = understood.wellbeing if understood else None
    if mark in ("good", "fair", "bad"):
        return Wellbeing(mark)
    return Wellbeing.GOOD if private else None


async def _answered(msg: Incoming, ctx: Ctx, turn: Turn, open_checkins: list[Checkin]) -> list[Reply]:
    now = ctx.now()
    understood = turn.understood(ctx) if msg.text else None
    wellbeing = wellbeing_of(understood, msg.chat.private)
    replies: list[Reply] = []
    for checkin in open_checkins:
        late = checkin.state is CheckinState.ESCALATING or now > checkin.window_end
        won = await ctx.repo.answer_checkin(
            checkin.id,
            at=now,
            in_window=not late,
            outcome=Outcome.LATE if late else Outcome.ANSWERED,
            wellbeing=wellbeing,
            text=msg.text or None,
            chat=msg.chat,
            message_id=msg.message_id,
            by=turn.person.id,
        )
        if won and checkin.state is CheckinState.ESCALATING:
            replies += await _tell_ladder(
                ctx, checkin, turn.person.id, "checkin.closed.elder", name=turn.person.name
            )
        if won:
            log.info("check-in %s answered by the elder (%s)", checkin.id, "late" if late else "in time")
    return replies


async def _tell_ladder(
    ctx: Ctx, checkin: Checkin, closer_id: int | None, key: str, **params: str
) -> list[Reply]:
    """Tells everyone who was asked on this ladder (but the one who closed it) that it is over."""
    replies: list[Reply] = []
    for person_id in await ctx.repo.notified_of(checkin.id):
        if person_id != closer_id:
            replies += await tell_person(ctx, person_id, key, **params)
    return replies


async def _alert_pairs(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply]:
    """An emergency by or about a registered elder: their paired volunteers and contact hear at once."""
    elders: dict[int, Elder] = {}
    own = await turn.elder(ctx)
    if own is not None and own.active:
        elders[own.id] = own
    for named in await turn.elders_named(ctx):
        elders.setdefault(named.id, named)
    replies: list[Reply] = []
    for elder in elders.values():
        people = [*elder.volunteer_ids]
        if elder.contact_person_id is not None:
            people.append(elder.contact_person_id)
        for person_id in dict.fromkeys(people):
            if person_id == turn.person.id:
                continue
            replies += await tell_person(
                ctx,
                person_id,
                "checkin.emergency.pair",
                name=elder.name,
                where=where_of(elder) or "—",
                reporter=turn.person.name,
                text=mask_phones(msg.text)[:200],
            )
        log.warning("emergency concerning elder %s: pairs and contact alerted", elder.id)
    return replies


# -- closing the ladder --------------------------------------------------------------------------------


_NO_ANSWER = re.compile(
    r"没人开门|没人应|敲门没人|不在家|联系不上|没联系上|联系不到|打不通|没人接|没有人接|无人接听"
    r"|no answer|nobody"
)
_HOSPITAL = re.compile(r"送医|医院|120|急救|救护车|住院|hospital|ambulance")
_REACHED = re.compile(
    r"联系上|聯繫上|联系到了|打通了|接电话了|接了电话|回电话了|回电了|reached|got through|called back"
)
_SAFE = re.compile(
    r"平安|没事|沒事|安好|无碍|都好|挺好|安全|safe|all good|is fine|she'?s fine|he'?s fine|ok now"
)
_ON_THE_WAY = re.compile(
    r"我去看看|马上去|這就去|这就去|现在过去|现在去|我过去|on my way|going now|heading over"
)


def ladder_outcome(text: str) -> Outcome | str | None:
    """Reads a ladder answer: an Outcome, 'no_answer' (nobody opened), 'on_the_way', or None."""
    lowered = text.lower()
    if _NO_ANSWER.search(lowered):
        return "no_answer"
    if _HOSPITAL.search(lowered):
        return Outcome.HOSPITAL
    if _REACHED.search(lowered):
        return Outcome.REACHED
    if _SAFE.search(lowered):
        return Outcome.SAFE
    if _ON_THE_WAY.search(lowered):
        return "on_the_way"
    return None


async def ladders_for(ctx: Ctx, person: Person) -> list[Checkin]:
    """The escalating ladders this person may close: the ones they were asked on (staff: every one)."""
    if is_staff(person):
        return await ctx.repo.escalating_checkins()
    ladders = {c.id: c for c in await ctx.repo.open_ladders_of(person.id)}
    for elder in await ctx.repo.elders_of_volunteer(person.id):
        for checkin in await ctx.repo.open_checkins_of_person(elder.person_id):
            if checkin.state is CheckinState.ESCALATING:
                ladders.setdefault(checkin.id, checkin)
    return list(ladders.values())


async def on_ladder_reply(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """已上门,平安 / 联系上了 / 需要送医 from someone on a ladder, privately: closes it (or climbs on)."""
    if not msg.chat.private or not msg.text or msg.action is not None:
        return None
    outcome = ladder_outcome(msg.text)
    if outcome is None:
        return None
    ladders = await ladders_for(ctx, turn.person)
    if not ladders:
        return None
    language = turn.language(ctx)
    if len(ladders) > 1:
        elders = {c.id: await ctx.repo.get_elder(c.elder_id) for c in ladders}
        named = [c for c in ladders if (e := elders[c.id]) is not None and e.name in msg.text]
        if len(named) != 1:
            names = "、".join(e.name for e in elders.values() if e is not None)
            return [
                Reply(chat=msg.chat, text=t(language, "checkin.which", names=names), reply_to=msg.message_id)
            ]
        ladders = named
    return await answer_ladder(msg, ctx, turn.person, ladders[0], outcome, language)


async def on_checkin_button(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """A ladder button (``ladder:safe:12``) pressed: closes that ladder and answers with a toast."""
    if msg.action is None or not msg.action.startswith(f"{LADDER_ACTION}:"):
        return None
    _, outcome_name, number = [*msg.action.split(":"), "", ""][:3]
    language = turn.language(ctx)
    try:
        outcome = Outcome(outcome_name)
        checkin = await ctx.repo.get_checkin(int(number))
    except ValueError:
        checkin = None
    if checkin is None:
        return [Reply(chat=msg.chat, text=t(language, "toast.ok"), toast=True)]
    replies = await answer_ladder(msg, ctx, turn.person, checkin, outcome, language)
    toast = replies[0].text if replies and replies[0].chat == msg.chat else t(language, "toast.ok")
    rest = replies[1:] if replies and replies[0].chat == msg.chat else replies
    return [Reply(chat=msg.chat, text=toast, toast=True), *rest]


async def answer_ladder(
    msg: Incoming, ctx: Ctx, person: Person, checkin: Checkin, outcome: Outcome | str, language: str
) -> list[Reply]:
    """Closes the ladder with the outcome, tells the others, and starts the emergency flow for 送医."""
    elder = await ctx.repo.get_elder(checkin.elder_id)
    if elder is None:
        return []
    if not (
        is_staff(person)
        or person.id in await ctx.repo.notified_of(checkin.id)
        or person.id in elder.volunteer_ids
    ):
        raise NotAllowed("not on this ladder", reason=t(language, "checkin.reason.not_on_ladder"))
    now = ctx.now()
    if outcome == "on_the_way":
        return [
            Reply(
                chat=msg.chat,
                text=t(language, "checkin.on_the_way", name=elder.name),
                reply_to=msg.message_id,
            )
        ]
    if outcome == "no_answer":
        await ctx.repo.hurry_checkin(checkin.id, now)
        fresh = await ctx.repo.get_checkin(checkin.id)
        replies = [Reply(chat=msg.chat, text=t(language, "checkin.no_answer", name=elder.name))]
        if fresh is not None and fresh.open:
            replies += await climb(ctx, fresh)
        return replies
    assert isinstance(outcome, Outcome)
    task_id = None
    if outcome is Outcome.HOSPITAL:
        task = await ctx.repo.create_task(
            text=t(ctx.settings.language, "checkin.hospital.task", name=elder.name, closer=person.name),
            requester_id=elder.person_id,
            at=now,
            urgency="urgent",
            window=(now, now + timedelta(hours=1)),
            room=where_of(elder) or None,
            emergency=True,
            origin=msg.chat,
            language=elder.language,
        )
        task_id = task.id
    if not await ctx.repo.close_checkin(checkin.id, outcome=outcome, by=person.id, at=now, task_id=task_id):
        return [
            Reply(
                chat=msg.chat,
                text=t(language, "checkin.already_closed", name=elder.name),
                reply_to=msg.message_id,
            )
        ]
    log.info("check-in %s closed by %s: %s", checkin.id, person.name, outcome)
    what = t(ctx.settings.language, f"checkin.outcome.{outcome}")
    replies = [Reply(chat=msg.chat, text=t(language, f"checkin.thanks.{outcome}", name=elder.name))]
    replies += await _tell_ladder(
        ctx, checkin, person.id, "checkin.closed.other", name=elder.name, closer=person.name, outcome=what
    )
    if outcome is Outcome.HOSPITAL and task_id is not None:
        replies += await _hospital_alerts(ctx, elder, checkin, person, task_id)
    return replies


async def _hospital_alerts(
    ctx: Ctx, elder: Elder, checkin: Checkin, closer: Person, task_id: int
) -> list[Reply]:
    """送医: staff, the pair and the contact hear at once (those told it closed get no second word)."""
    told = set(await ctx.repo.notified_of(checkin.id)) | {closer.id}
    people = [p.id for p in await ctx.repo.persons_with_role(*STAFF_ROLES)]
    people += list(elder.volunteer_ids)
    if elder.contact_person_id is not None:
        people.append(elder.contact_person_id)
    replies: list[Reply] = []
    for person_id in dict.fromkeys(people):
        if person_id not in told:
            replies += await tell_person(
                ctx,
                person_id,
                "checkin.hospital.alert",
                id=task_id,
                name=elder.name,
                where=where_of(elder) or "—",
                closer=closer.name,
            )
    if elder.contact_person_id is None and elder.contact_phone:
        for staff in await ctx.repo.persons_with_role(*STAFF_ROLES):
            replies += await tell_person(
                ctx,
                staff.id,
                "checkin.hospital.call_contact",
                name=elder.name,
                contact=elder.contact_name or "—",
                contact_phone=elder.contact_phone,
            )
    return replies


# -- the elder's own words: answers, feeling unwell, away mode -------------------------------------------


_AWAY_DAYS = re.compile(
    r"(?:去|回|到|住|出门|外出|旅游|旅行|探亲|出差|不在家|住院)[^。!?,，]{0,12}?"
    r"(?P<n>\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?P<unit>天|日|晚|周|個星期|个星期|星期|礼拜|個月|个月)"
)
_AWAY_SOME = re.compile(
    r"(?:去|回|住|出门|外出|旅游|探亲)[^。!?]{0,12}?(?:几天|幾天|一阵|一陣|一段时间|一段時間)"
)
_AWAY_EN = re.compile(r"\baway\b[^.!?]{0,20}?\b(\d{1,3})\s*days?\b", re.I)
_BACK = re.compile(r"^\s*(?:我)?(?:已经)?(?:回来了|回來了|回家了|到家了)|\bi'?m back\b|\bback home\b", re.I)
_UNIT_DAYS = {
    "天": 1,
    "日": 1,
    "晚": 1,
    "周": 7,
    "星期": 7,
    "个星期": 7,
    "個星期": 7,
    "礼拜": 7,
    "个月": 30,
    "個月": 30,
}


def away_days(text: str, default: int) -> int | None:
    """'我去女儿家住三天' → 3; '出门一周' → 7; '住几天' → the default; None when not about being away."""
    found = _AWAY_DAYS.search(text)
    if found:
        number = cn_to_int(found.group("n"))
        if number:
            return max(1, min(number * _UNIT_DAYS.get(found.group("unit"), 1), 120))
    english = _AWAY_EN.search(text)
    if english:
        return max(1, min(int(english.group(1)), 120))
    if _AWAY_SOME.search(text):
        return default
    return None


_RETURN_WEEKDAY = re.compile(
    r"(?P<next>下个?|下個?)?(?:周|週|星期|礼拜|禮拜)(?P<day>[一二三四五六日天1-7])[^,，。!！?？]{0,4}?(?:回来|回來|回家|到家)"
)
_RETURN_NEAR = re.compile(
    r"(?P<word>明天|後天|后天|大后天|大後天)[^,，。!！?？]{0,4}?(?:回来|回來|回家|到家)"
)
_RETURN_DATE = re.compile(
    r"(?:(?P<month>\d{1,2})月)?(?P<day>\d{1,2})(?:号|號|日)[^,，。!！?？]{0,4}?(?:回来|回來|回家|到家)"
)
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_NEAR = {"明天": 1, "后天": 2, "後天": 2, "大后天": 3, "大後天": 3}


def return_days(text: str, today: date) -> int | None:
    """Days from today to the day the elder says they are back ("下周一回来" on a Thursday → 4)."""
    found = _RETURN_WEEKDAY.search(text)
    if found:
        mark = found.group("day")
        weekday = int(mark) - 1 if mark.isdigit() else _WEEKDAYS[mark]
        if found.group("next"):
            monday = today + timedelta(days=7 - today.weekday())
            return (monday + timedelta(days=weekday) - today).days
        ahead = (weekday - today.weekday()) % 7
        return ahead or 7
    near = _RETURN_NEAR.search(text)
    if near:
        return _NEAR[near.group("word")]
    dated = _RETURN_DATE.search(text)
    if dated is None:
        return None
    number = int(dated.group("day"))
    if dated.group("month"):
        candidates = [(today.year, int(dated.group("month"))), (today.year + 1, int(dated.group("month")))]
    else:
        following = (today.year + today.month // 12, today.month % 12 + 1)
        candidates = [(today.year, today.month), following]
    for year, month in candidates:
        try:
            day = date(year, month, number)
        except ValueError:
            return None
        if day > today:
            days = (day - today).days
            return days if days <= 120 else None
    return None


async def on_checkin_reply(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """An elder's own words: away/back, unwell (a request for their pair), or a warm thank-you.

    Card replies (完成 #5), commands and offers go on to their own handlers.
    """
    if not msg.text or msg.action is not None or msg.text.lstrip().startswith("/") or parse_action(msg.text):
        return None
    elder = await turn.elder(ctx)
    if elder is None or not elder.active:
        return None
    language = elder.language or turn.language(ctx)
    days = away_days(msg.text, ctx.settings.checkin.away_default_days)
    back_in = return_days(msg.text, local_day(ctx.now(), ctx.settings.tz))
    if back_in is not None and days is not None:
        days = back_in  # the day they name wins over "住三天" counted from today
    if days is not None:
        return await set_away(
            ctx, elder, days, turn.person, reply_chat=await _private_to(ctx, msg, turn.person)
        )
    if elder.away_until is not None and _BACK.search(msg.text):
        return await end_away(ctx, elder, turn.person, reply_chat=await _private_to(ctx, msg, turn.person))
    understood = turn.understood(ctx)
    today = await ctx.repo.checkin_on(elder.id, local_day(ctx.now(), ctx.settings.tz))
    if understood.intent is Intent.REQUEST and msg.chat.private:
        replies = await events.new_request(
            msg, ctx, understood, turn.person, turn.inbox_id, turn.chat
        )  # to the queue
        return replies + await _tell_pair_request(ctx, elder, replies)
    if understood.intent is Intent.OTHER and understood.wellbeing == "bad":
        if today is not None:
            await ctx.repo.note_wellbeing(today.id, Wellbeing.BAD)
        return await unwell(msg, ctx, turn, elder, today, language)
    if understood.wellbeing in ("good", "fair", "bad") and today is not None:
        await ctx.repo.note_wellbeing(today.id, Wellbeing(understood.wellbeing))
    if understood.intent is not Intent.OTHER:
        return None
    answered = await ctx.repo.checkin_answered_by(msg.chat, msg.message_id)
    if answered is not None and msg.chat.private:
        mark = answered.wellbeing or Wellbeing.GOOD
        variant = (elder.id + answered.day.toordinal()) % 3
        key = f"checkin.ack.{mark}.{variant}" if mark is Wellbeing.GOOD else f"checkin.ack.{mark}"
        return [Reply(chat=msg.chat, text=t(language, key, name=elder.name), reply_to=msg.message_id)]
    return None


async def _private_to(ctx: Ctx, msg: Incoming, person: Person) -> ChatRef:
    """Where to answer about someone's absence: never in a group (an empty home is nobody's business)."""
    if msg.chat.private:
        return msg.chat
    return await private_chat(ctx, person.id, msg.platform) or msg.chat


async def unwell(
    msg: Incoming, ctx: Ctx, turn: Turn, elder: Elder, today: Checkin | None, language: str
) -> list[Reply]:
    """不舒服/头晕: a private request for the paired volunteers (else staff), never a group card."""
    chat = await _private_to(ctx, msg, turn.person)
    if today is not None and today.task_id is not None:
        task = await ctx.repo.get_task(today.task_id)
        if task is not None and task.state in ("open", "claimed"):
            return [Reply(chat=chat, text=t(language, "checkin.unwell.again", name=elder.name))]
    now = ctx.now()
    task = await ctx.repo.create_task(
        text=f"{elder.name}:{msg.text.strip()}",
        requester_id=elder.person_id,
        at=now,
        category="health",
        urgency="urgent",
        window=(now, now + timedelta(hours=3)),
        room=where_of(elder) or None,
        origin=chat if chat.private else None,
        origin_message_id=msg.message_id if chat == msg.chat else None,
        inbox_id=turn.inbox_id,
        language=language,
    )
    if today is not None:
        await ctx.repo.set_checkin_task(today.id, task.id)
    helpers = list(elder.volunteer_ids) or [p.id for p in await ctx.repo.persons_with_role(*STAFF_ROLES)]
    replies: list[Reply] = []
    names: list[str] = []
    for person_id in helpers:
        target = await private_chat(ctx, person_id)
        if target is None:
            continue
        person = await ctx.repo.get_person(person_id)
        lang = language_of(ctx, person)
        names.append(person.name if person else "")
        replies.append(
            Reply(
                chat=target,
                text=t(
                    lang,
                    "checkin.unwell.helper",
                    id=task.id,
                    name=elder.name,
                    where=where_of(elder) or "—",
                    text=mask_phones(msg.text)[:200],
                ),
                buttons=(Button(t(lang, "button.claim"), f"claim:{task.id}"),),
                card_of=task.id,
            )
        )
    key = "checkin.unwell.elder" if names else "checkin.unwell.nobody"
    log.info("elder %s unwell: task #%s for %d helpers", elder.id, task.id, len(names))
    return [Reply(chat=chat, text=t(language, key, name=elder.name, helpers="、".join(names))), *replies]


async def _tell_pair_request(ctx: Ctx, elder: Elder, card_replies: list[Reply]) -> list[Reply]:
    """The elder asked for help privately: their paired volunteers hear of the card first."""
    task_ids = {r.card_of for r in card_replies if r.card_of is not None}
    if not task_ids:
        return []
    task = await ctx.repo.get_task(min(i for i in task_ids if i is not None))
    if task is None:
        return []
    replies: list[Reply] = []
    for person_id in elder.volunteer_ids:
        chat = await private_chat(ctx, person_id)
        if chat is not None:
            language = language_of(ctx, await ctx.repo.get_person(person_id))
            replies.append(
                Reply(
                    chat=chat,
                    text=t(
                        language,
                        "checkin.pair_request",
                        id=task.id,
                        name=elder.name,
                        text=mask_phones(task.text)[:120],
                    ),
                    buttons=(Button(t(language, "button.claim"), f"claim:{task.id}"),),
                )
            )
    return replies


async def set_away(
    ctx: Ctx, elder: Elder, days: int, by: Person, *, reply_chat: ChatRef | None
) -> list[Reply]:
    """Pauses check-ins for ``days`` days (today included); they resume by themselves after."""
    tz = ctx.settings.tz
    now = ctx.now()
    resume_day = local_day(now, tz) + timedelta(days=days)
    away_until = at_local(resume_day, time(0, 0), tz)
    next_due = first_greeting(elder.checkin_time, now, away_until, tz)
    await ctx.repo.set_elder_schedule(elder.id, next_due_at=next_due, away_until=away_until, at=now)
    for checkin in await ctx.repo.open_checkins_of_person(elder.person_id):
        if await ctx.repo.close_checkin(checkin.id, outcome=Outcome.AWAY, by=by.id, at=now):
            await _tell_ladder(
                ctx,
                checkin,
                by.id,
                "checkin.closed.other",
                name=elder.name,
                closer=by.name,
                outcome=t(ctx.settings.language, "checkin.outcome.away"),
            )
    log.info("elder %s away until %s (set by %s)", elder.id, resume_day, by.name)
    params = {
        "name": elder.name,
        "days": str(days),
        "until": (resume_day - timedelta(days=1)).strftime("%m-%d"),
        "resume": f"{resume_day.strftime('%m-%d')} {fmt_clock(elder.checkin_time)}",
    }
    replies: list[Reply] = []
    if reply_chat is not None:
        key = "checkin.away.self" if by.id == elder.person_id else "checkin.away.staff"
        replies.append(
            Reply(
                chat=reply_chat,
                text=t(elder.language if by.id == elder.person_id else language_of(ctx, by), key, **params),
            )
        )
    for person_id in elder.volunteer_ids:
        if person_id != by.id:
            replies += await tell_person(ctx, person_id, "checkin.away.pair", **params)
    return replies


async def end_away(ctx: Ctx, elder: Elder, by: Person, *, reply_chat: ChatRef | None) -> list[Reply]:
    """Back home early: check-ins resume with the next greeting time."""
    now = ctx.now()
    next_due = first_greeting(elder.checkin_time, now, None, ctx.settings.tz)
    today = await ctx.repo.checkin_on(elder.id, local_day(now, ctx.settings.tz))
    if today is not None and local_day(next_due, ctx.settings.tz) == today.day:
        next_due = next_greeting(elder.checkin_time, next_due, ctx.settings.tz)
    await ctx.repo.set_elder_schedule(elder.id, next_due_at=next_due, away_until=None, at=now)
    log.info("elder %s back; next greeting %s", elder.id, next_due)
    if reply_chat is None:
        return []
    language = elder.language if by.id == elder.person_id else language_of(ctx, by)
    when = next_due.astimezone(ctx.settings.tz).strftime("%m-%d %H:%M")
    return [Reply(chat=reply_chat, text=t(language, "checkin.back", name=elder.name, when=when))]


# -- registration (staff, in private chat) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ElderForm:
    """What a staff member typed after /elder, read into fields (names not yet looked up)."""

    name: str
    building: str | None = None
    room: str | None = None
    checkin_time: time | None = None
    window_minutes: int | None = None
    language: str | None = None
    volunteers: tuple[str, ...] | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_account: tuple[str, str] | None = None
    account: tuple[str, str] | None = None
    notes: str | None = None
    stop: bool = False


_ELDER_COMMAND = re.compile(r"^\s*(?:/elder|/老人|/登记老人|/登記老人)(?:@\S+)?(?:\s+(.*))?$", re.I | re.S)
_ELDERS_COMMAND = re.compile(r"^\s*(?:/elders|/老人名单|/老人名單)(?:@\S+)?\s*$", re.I)
_AWAY_COMMAND = re.compile(r"^\s*(?:/away|/外出|/不在家)(?:@\S+)?\s*(.*?)\s*$", re.I)
_BACK_COMMAND = re.compile(r"^\s*(?:/back|/回来|/回來)(?:@\S+)?\s*(.*?)\s*$", re.I)
_LABEL = re.compile(
    r"(?P<label>紧急联系人|緊急聯繫人|联系人|聯繫人|紧急|緊急|结对|結對|志愿者|志願者|帮扶|幫扶|时间|時間|签到|簽到|"
    r"窗口|语言|語言|账号|賬號|帐号|\bcontact|\bpairs?|\bvolunteers?|\btime|\bwindow|\blang(?:uage)?|\baccount)"
    r"\s*[:：=]?\s*",
    re.I,
)
_NOTES_LABEL = re.compile(r"(?:备注|備註|\bnotes?\b)\s*[:：=]?\s*", re.I)
_LABEL_WORDS = {
    "contact": "紧急联系人 緊急聯繫人 联系人 聯繫人 紧急 緊急 contact",
    "pairs": "结对 結對 志愿者 志願者 帮扶 幫扶 pair pairs volunteer volunteers",
    "time": "时间 時間 签到 簽到 time",
    "window": "窗口 window",
    "lang": "语言 語言 lang language",
    "account": "账号 賬號 帐号 account",
}
_LABELS = {word: key for key, words in _LABEL_WORDS.items() for word in words.split()}
_TIME = re.compile(r"^(?P<h>[01]?\d|2[0-3])(?:[:：.](?P<m>[0-5]\d)|点(?P<half>半)?(?:(?P<m2>[0-5]?\d)分?)?)$")
_WINDOW = re.compile(
    r"^(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十]{1,3})\s*(?P<unit>小时|小時|个小时|個小時|h|hours?|分钟|分鐘|min|minutes?)$",
    re.I,
)
_BUILDING_ROOM = re.compile(
    r"^(?P<b>\d{1,3}|[一二三四五六七八九十]{1,3})\s*(?:号楼|號樓|栋|棟|幢|号|號)\s*(?:(?P<u>\d{1,2})\s*单元)?\s*(?P<r>\d{2,5})?\s*(?:室|号|號)?$"
)
_TRIPLE = re.compile(r"^(?P<b>\d{1,3})-(?P<u>\d{1,2})-(?P<r>\d{2,5})$")
_PHONE = re.compile(r"^\+?\d[\d\-]{5,15}\d$")
_ACCOUNT = re.compile(r"^(?P<p>tg|telegram|wx|wechat|console)[:：](?P<id>\S+)$", re.I)
_PLATFORM_NAMES = {
    "tg": "telegram",
    "telegram": "telegram",
    "wx": "wechat",
    "wechat": "wechat",
    "console": "console",
}
_SPLIT = re.compile(r"[\s,，、;；/]+")
_LANGUAGE_WORDS = {
    "繁体": "zh-Hant",
    "繁體": "zh-Hant",
    "简体": "zh-Hans",
    "簡體": "zh-Hans",
    "中文": "zh-Hans",
    "英文": "en",
    "english": "en",
}


def _account(token: str) -> tuple[str, str] | None:
    found = _ACCOUNT.match(token)
    if not found:
        return None
    return _PLATFORM_NAMES[found.group("p").lower()], found.group("id")


def parse_elder_form(text: str) -> ElderForm | None:
    """Reads ``王奶奶 3号楼502 09:00 窗口2小时 结对 小李、小王 联系人 王小明 13800138000 备注 …``."""
    text = text.strip()
    notes = _NOTES_LABEL.search(text)
    fields: dict[str, object] = {}
    if notes:
        fields["notes"] = text[notes.end() :].strip().strip("。") or None
        text = text[: notes.start()]
    parts = _LABEL.split(text)
    head, labelled = parts[0], parts[1:]
    tokens = [tok for tok in _SPLIT.split(head) if tok]
    if not tokens:
        return None
    fields["name"] = tokens[0]
    for token in tokens[1:]:
        _read_head_token(token, fields)
    for label, value in zip(labelled[::2], labelled[1::2], strict=False):
        key = _LABELS.get(label.lower(), _LABELS.get(label, ""))
        value = value.strip()
        words = [w for w in _SPLIT.split(value) if w]
        if key == "pairs":
            fields["volunteers"] = tuple(w for w in words if w not in ("和", "及", "and"))
        elif key == "contact":
            for word in words:
                account = _account(word)
                if account:
                    fields["contact_account"] = account
                elif _PHONE.match(word):
                    fields["contact_phone"] = word
                elif "contact_name" not in fields:
                    fields["contact_name"] = word
        elif key == "account" and words:
            fields["account"] = _account(words[0])
        elif key == "lang" and words:
            fields["language"] = _LANGUAGE_WORDS.get(words[0].lower()) or normalize_language(words[0])
        elif key in ("time", "window"):
            for word in words:
                _read_head_token(word, fields)
    if any(tok in ("停用", "停止", "注销", "stop", "off") for tok in tokens[1:]):
        fields["stop"] = True
    return ElderForm(**fields)  # type: ignore[arg-type]


def _read_head_token(token: str, fields: dict[str, object]) -> None:
    clock = _TIME.match(token)
    if clock:
        minute = clock.group("m") or clock.group("m2") or ("30" if clock.group("half") else "0")
        fields["checkin_time"] = time(int(clock.group("h")), int(minute))
        return
    window = _WINDOW.match(token.removeprefix("窗口"))
    if window:
        number = window.group("n")
        amount = float(number) if number[0].isdigit() else float(cn_to_int(number) or 0)
        minutes = amount if window.group("unit").lower().startswith(("分", "min")) else amount * 60
        if minutes > 0:
            fields["window_minutes"] = int(minutes)
        return
    place = _BUILDING_ROOM.match(token) or _TRIPLE.match(token)
    if place:
        number = place.group("b")
        building = number if number.isdigit() else str(cn_to_int(number) or number)
        fields["building"] = f"{building}号楼"
        unit, room = place.group("u"), place.group("r")
        if room:
            fields["room"] = f"{unit}单元{room}" if unit else room
        return
    account = _account(token)
    if account:
        fields["account"] = account


async def on_checkin_command(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """/elder (register, update), /elders (today's list), /away N, /back: staff, or elders for themselves."""
    text = msg.text.strip()
    if not text.startswith("/"):
        return None
    language = command_language(ctx, turn)
    elder_command = _ELDER_COMMAND.match(text)
    if elder_command:
        _require_staff(turn.person, language)
        if not msg.chat.private:
            return [Reply(chat=msg.chat, text=t(language, "checkin.private_only"), reply_to=msg.message_id)]
        form = parse_elder_form(elder_command.group(1) or "")
        if form is None:
            return [Reply(chat=msg.chat, text=t(language, "checkin.usage"))]
        return await register_from_form(msg, ctx, form, language, turn.person)
    if _ELDERS_COMMAND.match(text):
        _require_staff(turn.person, language)
        chat = await _private_to(ctx, msg, turn.person)
        return [Reply(chat=chat, text=await elders_overview(ctx, language))]
    away = _AWAY_COMMAND.match(text)
    back = _BACK_COMMAND.match(text)
    if away is None and back is None:
        return None
    argument = (away or back).group(1)  # type: ignore[union-attr]
    words = [w for w in _SPLIT.split(argument) if w]
    numbers = [w for w in words if (w.rstrip("天日").isdigit())]
    names = [w for w in words if w not in numbers]
    if names:
        _require_staff(turn.person, language)
        person = await person_named(ctx, names[0], turn.person)
        elder = await ctx.repo.elder_of_person(person.id) if person else None
    else:
        elder = await ctx.repo.elder_of_person(turn.person.id)
    if elder is None:
        return [
            Reply(
                chat=msg.chat,
                text=t(language, "checkin.not_elder", name=names[0] if names else turn.person.name),
                reply_to=msg.message_id,
            )
        ]
    reply_chat = await _private_to(ctx, msg, turn.person)
    if back is not None:
        return await end_away(ctx, elder, turn.person, reply_chat=reply_chat)
    days = int(numbers[0].rstrip("天日")) if numbers else ctx.settings.checkin.away_default_days
    return await set_away(ctx, elder, max(1, min(days, 120)), turn.person, reply_chat=reply_chat)


def command_language(ctx: Ctx, turn: Turn) -> str:
    """Commands are Latin letters: answer in the person's, chat's or community's language, not English."""
    if turn.person.language:
        return turn.person.language
    if turn.chat is not None and turn.chat.language:
        return turn.chat.language
    return ctx.settings.language


def _require_staff(person: Person, language: str) -> None:
    if not is_staff(person):
        raise NotAllowed("staff only", reason=t(language, "reason.only_staff"))


async def register_from_form(
    msg: Incoming, ctx: Ctx, form: ElderForm, language: str, actor: Person | None = None
) -> list[Reply]:
    """Looks up the names a staff member typed, registers the elder, and shows what was saved.

    Names resolve to proven accounts only (handlers.common.people); a name nobody has proven makes a
    pending record, which receives nothing until the person proves the account.
    """
    missing: list[str] = []
    identities = [form.account] if form.account else []
    if identities:
        existing = await ctx.repo.person_by_identity(*identities[0])
    else:
        existing = await person_named(ctx, form.name, actor)
    if existing is None or identities:
        person = await ctx.repo.upsert_person(
            form.name, existing.role if existing else Role.ELDER, identities
        )
    else:
        person = existing
    if person.role is Role.RESIDENT:
        person = await ctx.repo.update_person(person.id, PersonUpdate(role=Role.ELDER))
    await ctx.repo.update_person(
        person.id, PersonUpdate(building=form.building or None, room=form.room or None)
    )
    volunteer_ids: tuple[int, ...] | None = None
    if form.volunteers is not None:
        found: list[int] = []
        for name in form.volunteers:
            volunteer = await person_named(ctx, name, actor)
            if volunteer is None:
                missing.append(name)
                continue
            if volunteer.role is Role.RESIDENT:
                await ctx.repo.update_person(volunteer.id, PersonUpdate(role=Role.VOLUNTEER))
            found.append(volunteer.id)
        volunteer_ids = tuple(found)
    contact_id: int | None = None
    if form.contact_account and form.contact_name:
        contact = await ctx.repo.upsert_person(form.contact_name, Role.RESIDENT, [form.contact_account])
        contact_id = contact.id
    elif form.contact_name:
        known = await person_named(ctx, form.contact_name, actor)
        if known is not None and await ctx.repo.identities_of(known.id):
            contact_id = known.id
    spec = ElderSpec(
        person_id=person.id,
        building=form.building,
        room=form.room,
        checkin_time=form.checkin_time,
        window_minutes=form.window_minutes,
        language=form.language,
        contact_name=form.contact_name,
        contact_phone=form.contact_phone,
        contact_person_id=contact_id,
        notes=form.notes,
        volunteer_ids=volunteer_ids,
        active=not form.stop,
    )
    elder = await register_elder(ctx, spec)
    return [Reply(chat=msg.chat, text=await describe_elder(ctx, elder, language, missing))]


async def describe_elder(ctx: Ctx, elder: Elder, language: str, missing: Sequence[str] = ()) -> str:
    """What staff see after registering: every field, the next greeting, and anything still missing."""
    tz = ctx.settings.tz
    volunteers = "、".join([await _name(ctx, v) for v in elder.volunteer_ids]) or t(language, "checkin.none")
    contact = " ".join(p for p in (elder.contact_name, elder.contact_phone) if p) or t(
        language, "checkin.none"
    )
    if elder.contact_person_id is not None:
        contact += " 💬"
    lines = [
        t(
            language,
            "checkin.registered",
            name=elder.name,
            where=where_of(elder) or "—",
            time=fmt_clock(elder.checkin_time),
            hours=f"{elder.window_minutes / 60:g}",
            volunteers=volunteers,
            contact=contact,
        )
    ]
    if elder.notes:
        lines.append(t(language, "checkin.notes", notes=elder.notes))
    if not elder.active:
        lines.append(t(language, "checkin.stopped"))
    elif elder.next_due_at is not None:
        lines.append(
            t(language, "checkin.next", when=elder.next_due_at.astimezone(tz).strftime("%m-%d %H:%M"))
        )
    if not await private_chat(ctx, elder.person_id):
        lines.append(t(language, "checkin.no_account", name=elder.name))
    if missing:
        lines.append(t(language, "checkin.unknown_people", names="、".join(missing)))
    if not elder.volunteer_ids:
        lines.append(t(language, "checkin.no_pairs"))
    return "\n".join(lines)


async def elders_overview(ctx: Ctx, language: str) -> str:
    """Every elder and how today's check-in stands, for staff."""
    tz = ctx.settings.tz
    now = ctx.now()
    today = local_day(now, tz)
    elders = await ctx.repo.list_elders()
    if not elders:
        return t(language, "checkin.no_elders")
    checkins = {c.elder_id: c for c in await ctx.repo.checkins_between(today, today)}
    lines = [t(language, "checkin.overview.title", count=len(elders))]
    for elder in elders[:100]:
        checkin = checkins.get(elder.id)
        if elder.away_until is not None and elder.away_until > now:
            until = (elder.away_until - timedelta(minutes=1)).astimezone(tz).strftime("%m-%d")
            status = t(language, "checkin.status.away", until=until)
        elif checkin is None:
            status = t(language, "checkin.status.later", time=fmt_clock(elder.checkin_time))
        else:
            status = status_of(checkin, language, tz)
        lines.append(f"· {elder.name}({elder.building or '—'}){status}")
    if len(elders) > 100:
        lines.append(f"… +{len(elders) - 100}")
    return "\n".join(lines)


def status_of(checkin: Checkin, language: str | None, tz: tzinfo) -> str:
    """One check-in in a few characters: ✅ 09:12 / ⏳ / 🔔 staff / ✅ 平安(小李)."""
    if checkin.state is CheckinState.WAITING:
        return t(language, "checkin.status.waiting")
    if checkin.state is CheckinState.ESCALATING:
        return t(language, "checkin.status.ladder", step=t(language, f"checkin.step.{checkin.step}"))
    when = fmt_clock(checkin.closed_at or checkin.answered_at or checkin.greeted_at, tz)
    outcome = checkin.outcome or Outcome.ANSWERED
    return t(language, "checkin.status.closed", outcome=t(language, f"checkin.outcome.{outcome}"), time=when)


__all__ = [
    "ElderForm",
    "away_days",
    "checkin_work_due",
    "climb",
    "greeting_text",
    "ladder_outcome",
    "next_greeting",
    "observe_sign_of_life",
    "on_checkin_button",
    "on_checkin_command",
    "on_checkin_reply",
    "on_ladder_reply",
    "parse_elder_form",
    "register_elder",
    "run_checkins",
    "set_away",
]
