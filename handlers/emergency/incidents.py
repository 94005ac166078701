"""Emergencies as incidents: 🚨 E3 reported → acknowledged (someone on the way) → resolved (送医/平安/误报).

An emergency still writes a task row (the inbox's idempotency and the check-in ladder point at it);
the incident carries the states, who acknowledged it and when, the outcome, and the escalation of an
alarm nobody acknowledged: after ``Settings.incident_ack_minutes`` the next people up are called.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from handlers.common.auth import STAFF_ROLES, is_staff
from handlers.common.context import Ctx
from handlers.common.notify import card_chats, name_of, tell
from handlers.common.texts import t
from handlers.common.turn import Turn
from handlers.understanding.understand import Understanding
from storage.checkin_models import Elder
from storage.models import (
    Button,
    ChatRef,
    Incident,
    IncidentState,
    Incoming,
    Person,
    Reply,
    Task,
    TaskState,
)

log = logging.getLogger(__name__)

MEDICAL = frozenset(
    {
        "fall",
        "unconscious",
        "chest_pain",
        "breathing",
        "stroke",
        "bleeding",
        "choking",
        "burn",
        "seizure",
        "poisoning",
        "other_medical",
    }
)
_ADVICE = {
    "fall": "fall",
    "fire": "fire",
    "gas": "gas",
    "flood": "flood",
    "missing": "missing",
    "self_harm": "self_harm",
    "electric": "electric",
    "trapped": "trapped",
    "falling": "falling",
}
LAST_STEP = 2
"""Step 1: staff again, the elder's pair and contact; step 2: the groups are asked to go and look."""

_ROOM_FIRST = re.compile(r"^\s*(\d{3,4})(?=[\u4e00-\u9fff])")
_INCIDENT_REF = re.compile(r"(?<![A-Za-z0-9])E\s?(\d{1,6})(?!\d)")
_ACK = re.compile(
    r"收到|马上过去|馬上過去|马上到|馬上到|我过去|我過去|我去看看|我来了|我來了|在路上|我去处理|我去處理"
    r"|^\s*(?:我来|我來|我去)\s*[!！。.]?\s*$|on my way|coming|i'?m going|acknowledged?",
    re.I,
)
_OUTCOMES = (
    ("hospital", re.compile(r"送医|送醫|送医院|送醫院|救护车|救護車|120接走|住院|hospital|ambulance", re.I)),
    ("false_alarm", re.compile(r"误报|誤報|虚惊|虛驚|搞错了|搞錯了|没事儿?,?是误会|false alarm", re.I)),
    (
        "safe",
        re.compile(
            r"平安|没事了|沒事了|人没事|人沒事|安全了|找到了|火灭了|火滅了|处理好了|處理好了"
            r"|all clear|safe|found",
            re.I,
        ),
    ),
)
_TASK_REF = re.compile(r"[#＃]\s*\d")
_BARE_CLAIM = re.compile(r"^\s*(?:我来|我來|我去)\s*[!！。.]?\s*$")
_DONE = re.compile(r"完成|解决了|解決了|处理完|處理完|结束|結束|done|resolved", re.I)


def advice_key(kind: str | None) -> str:
    """The advice text for a danger kind: medical ones share one, the others have their own."""
    if kind in _ADVICE:
        return f"incident.advice.{_ADVICE[kind]}"
    if kind in MEDICAL:
        return "incident.advice.medical"
    return "incident.advice.other"


def room_of(text: str, understood: Understanding) -> str | None:
    """The room, also when the message opens with it ("302李大爷摔倒了")."""
    if understood.room:
        return understood.room
    found = _ROOM_FIRST.match(text)
    return found.group(1) if found else None


def place(task: Task, unit: str | None = None) -> str:
    return " ".join(p for p in (task.building, unit, task.room) if p)


async def elder_concerned(ctx: Ctx, turn: Turn) -> Elder | None:
    """The registered elder the emergency is about: the speaker, or one named in it (as the
    check-in observer already looked them up for this message)."""
    own = await turn.elder(ctx)
    if own is not None and own.active:
        return own
    named = await turn.elders_named(ctx)
    return named[0] if named else None


def outcome_buttons(incident_id: int, language: str | None) -> tuple[Button, ...]:
    return tuple(
        Button(t(language, f"incident.outcome.{outcome}"), f"incident:{incident_id}:{outcome}")
        for outcome in ("hospital", "safe", "false_alarm")
    )


async def report(
    msg: Incoming,
    ctx: Ctx,
    understood: Understanding,
    person: Person,
    task: Task,
    chat_title: str,
    language: str,
    elder: Elder | None,
) -> list[Reply]:
    """Opens incident E{n} for an emergency task (about ``elder``, if a registered one): group advice
    by kind, staff alerted with buttons."""
    minutes = ctx.settings.incident_ack_minutes
    incident = await ctx.repo.create_incident(
        task.id,
        kind=understood.emergency_kind,
        at=ctx.now(),
        elder_id=elder.id if elder else None,
        next_call_at=ctx.now() + timedelta(minutes=minutes),
    )
    where = place(task, understood.unit)
    kind = understood.emergency_kind
    group_text = t(
        language,
        "incident.group",
        id=incident.id,
        where=t(language, "emergency.where", where=where) if where else "",
        advice=t(language, advice_key(kind)),
    )
    replies = [Reply(chat=msg.chat, text=group_text, reply_to=msg.message_id)]
    for staff in await ctx.repo.persons_with_role(*STAFF_ROLES):
        replies += await _alert(ctx, staff, incident, msg.platform, chat_title, person.name, msg.text, where)
    return replies


async def _alert(
    ctx: Ctx,
    person: Person,
    incident: Incident,
    platform: str | None,
    chat_title: str,
    reporter: str,
    text: str,
    where: str,
    key: str = "incident.staff",
    minutes: int = 0,
) -> list[Reply]:
    """A private alarm with the 我去处理 and outcome buttons; nothing if ``person`` cannot be reached."""
    told = await tell(
        ctx,
        person,
        key,
        platform,
        id=incident.id,
        chat=chat_title,
        name=reporter,
        text=text,
        where=f"\n📍 {where}" if where else "",
        minutes=minutes,
    )
    language = person.language or ctx.settings.language
    buttons = (Button(t(language, "incident.button.ack"), f"incident:{incident.id}:ack"),)
    return [
        Reply(chat=r.chat, text=r.text, buttons=buttons + outcome_buttons(incident.id, language))
        for r in told
    ]


# -- acknowledging and resolving ------------------------------------------------------------------------


def read_incident_words(text: str) -> str | None:
    """'ack', an outcome, 'done' (an outcome still to ask for), or None."""
    for outcome, pattern in _OUTCOMES:
        if pattern.search(text):
            return outcome
    if _ACK.search(text):
        return "ack"
    if _DONE.search(text):
        return "done"
    return None


async def may_handle(ctx: Ctx, incident: Incident, person: Person) -> bool:
    """Staff, the elder's paired volunteers and contact, and whoever acknowledged it."""
    if is_staff(person) or incident.acknowledged_by == person.id:
        return True
    if incident.elder_id is not None:
        elder = await ctx.repo.get_elder(incident.elder_id)
        if elder is not None and (
            person.id in (elder.volunteer_ids or ()) or person.id == elder.contact_person_id
        ):
            return True
    return False


async def incident_meant(msg: Incoming, ctx: Ctx, person: Person, building: str | None) -> Incident | None:
    """The incident a message is about: named (E3), the alarm it replies to, or the one open near it."""
    named = _INCIDENT_REF.search(msg.text)
    if named:
        return await ctx.repo.get_incident(int(named.group(1)))
    if msg.reply_to:
        said = await ctx.repo.sent_text(msg.chat, msg.reply_to)
        found = _INCIDENT_REF.search(said or "")
        if found and ("🚨" in (said or "") or "E" in (said or "")):
            return await ctx.repo.get_incident(int(found.group(1)))
        task = await ctx.repo.task_for_message(msg.chat, msg.reply_to)
        if task is not None and task.emergency:
            return await ctx.repo.incident_of_task(task.id)
    since = ctx.now() - timedelta(hours=6)
    if msg.chat.private:  # one its writer may handle
        open_ones = await ctx.repo.list_incidents(
            states=[IncidentState.REPORTED, IncidentState.ACKNOWLEDGED], since=since, limit=20
        )
        near = [incident for incident in open_ones if await may_handle(ctx, incident, person)]
    else:  # one raised in this group or in its building
        near = await ctx.repo.open_incidents_near(msg.chat, building, since=since, limit=20)
    return near[0] if len(near) == 1 else None


async def on_incident_words(
    msg: Incoming, ctx: Ctx, person: Person, building: str | None, language: str
) -> list[Reply] | None:
    """收到 / 我马上过去 acknowledges; 送医 / 平安 / 误报 resolves; 完成 asks for the outcome."""
    if msg.action is not None or not msg.text.strip() or len(msg.text) > 120:
        return None
    word = read_incident_words(msg.text)
    if word is None or _TASK_REF.search(msg.text):
        return None  # "完成 #3" is about task #3
    explicit = bool(_INCIDENT_REF.search(msg.text)) or msg.reply_to is not None
    if (
        not explicit
        and word == "done"
        and await ctx.repo.list_tasks(
            states=[TaskState.CLAIMED], claimer_id=person.id, emergency=False, limit=1
        )
    ):
        return None  # a bare 完成 from someone holding a task is about the task
    if not explicit and _BARE_CLAIM.match(msg.text) and not msg.chat.private:
        last = await ctx.repo.last_card_in(msg.chat)
        task = await ctx.repo.get_task(last) if last is not None else None
        if task is not None and task.state is TaskState.OPEN:
            return None  # a bare 我来 under an open card claims the card
    incident = await incident_meant(msg, ctx, person, building)
    if incident is None:
        return None
    if not await may_handle(ctx, incident, person):
        return None  # a neighbour's 收到 in the group is not an acknowledgement; stay out of the way
    return await act(msg, ctx, incident, person, word, language)


async def on_incident_button(msg: Incoming, ctx: Ctx, person: Person, language: str) -> list[Reply] | None:
    """Buttons ``incident:3:ack`` and ``incident:3:safe`` under the staff alarm."""
    if msg.action is None or not msg.action.startswith("incident:"):
        return None
    _, number, word = [*msg.action.split(":"), "", ""][:3]
    incident = await ctx.repo.get_incident(int(number)) if number.isdigit() else None
    if incident is None:
        return [Reply(chat=msg.chat, text=t(language, "toast.ok"), toast=True)]
    if not await may_handle(ctx, incident, person):
        return [Reply(chat=msg.chat, text=t(language, "incident.not_allowed"), toast=True)]
    replies = await act(msg, ctx, incident, person, word, language)
    return [Reply(chat=msg.chat, text=t(language, "toast.ok"), toast=True), *replies]


async def act(
    msg: Incoming, ctx: Ctx, incident: Incident, person: Person, word: str, language: str
) -> list[Reply]:
    """Applies an acknowledgement or an outcome and tells the group, the staff and the person."""
    task = await ctx.repo.get_task(incident.task_id)
    assert task is not None
    answer_here = msg.action is None
    if word == "ack":
        if incident.state is not IncidentState.REPORTED:
            who = await name_of(ctx, incident.acknowledged_by)
            key = (
                "incident.already_resolved"
                if incident.state is IncidentState.RESOLVED
                else "incident.already_ack"
            )
            text = t(language, key, id=incident.id, name=who)
            return [Reply(chat=msg.chat, text=text, reply_to=msg.message_id)] if answer_here else []
        if not await ctx.repo.acknowledge_incident(incident.id, person.id, ctx.now()):
            return []
        log.warning("incident E%s acknowledged by %s", incident.id, person.name)
        replies = await _to_groups(ctx, task, "incident.group_ack", id=incident.id, name=person.name)
        replies += await _to_staff(
            ctx, person, "incident.staff_ack", msg.platform, id=incident.id, name=person.name
        )
        if msg.chat.private and answer_here:
            replies.append(
                Reply(
                    chat=msg.chat,
                    text=t(language, "incident.ack_you", id=incident.id),
                    buttons=outcome_buttons(incident.id, language),
                )
            )
        return replies
    if word == "done":
        if incident.state is IncidentState.RESOLVED:
            return []
        text = t(language, "incident.ask_outcome", id=incident.id)
        return [
            Reply(
                chat=msg.chat,
                text=text,
                buttons=outcome_buttons(incident.id, language),
                reply_to=msg.message_id,
            )
        ]
    if incident.state is IncidentState.RESOLVED:
        text = t(language, "incident.already_resolved", id=incident.id)
        return [Reply(chat=msg.chat, text=text, reply_to=msg.message_id)] if answer_here else []
    if not await ctx.repo.resolve_incident(incident.id, person.id, ctx.now(), word):
        return []
    await ctx.repo.transition_task(
        task.id,
        action="resolve",
        expect=[TaskState.OPEN, TaskState.CLAIMED],
        to=TaskState.CONFIRMED,
        actor_id=person.id,
        at=ctx.now(),
        note=word,
    )
    log.warning("incident E%s resolved by %s: %s", incident.id, person.name, word)
    replies = await _to_groups(ctx, task, "incident.group_resolved", id=incident.id, outcome_key=word)
    replies += await _to_staff(
        ctx,
        person,
        "incident.staff_resolved",
        msg.platform,
        id=incident.id,
        name=person.name,
        outcome_key=word,
    )
    if msg.chat.private and answer_here:
        replies.append(Reply(chat=msg.chat, text=t(language, "incident.resolved_you", id=incident.id)))
    return replies


async def _to_groups(ctx: Ctx, task: Task, key: str, **params: object) -> list[Reply]:
    """One short line in every group that heard the alarm, replying to the report where it was made."""
    replies: list[Reply] = []
    for chat in await card_chats(task, ctx):
        language = chat.language or task.language or ctx.settings.language
        is_origin = task.origin is not None and task.origin.chat_id == chat.chat_id
        replies.append(
            Reply(
                chat=ChatRef(chat.platform, chat.chat_id),
                text=t(language, key, **_outcome(language, params)),
                reply_to=task.origin_message_id if is_origin else None,
            )
        )
    return replies


async def _to_staff(ctx: Ctx, actor: Person, key: str, platform: str | None, **params: object) -> list[Reply]:
    replies: list[Reply] = []
    for staff in await ctx.repo.persons_with_role(*STAFF_ROLES):
        if staff.id == actor.id:
            continue
        language = staff.language or ctx.settings.language
        replies += await tell(ctx, staff, key, platform, **_outcome(language, params))
    return replies


def _outcome(language: str | None, params: dict[str, object]) -> dict[str, object]:
    """Turns ``outcome_key`` into the outcome's words in the reader's language."""
    if "outcome_key" not in params:
        return params
    rest = {k: v for k, v in params.items() if k != "outcome_key"}
    rest["outcome"] = t(language, f"incident.outcome.{params['outcome_key']}")
    return rest


# -- escalation ------------------------------------------------------------------------------------------


async def escalate_incidents(ctx: Ctx) -> list[Reply]:
    """Unacknowledged after N minutes: the next people up are called (a scheduler job, like the ladder)."""
    replies: list[Reply] = []
    minutes = ctx.settings.incident_ack_minutes
    for incident in await ctx.repo.due_incidents(ctx.now()):
        step = incident.step + 1
        following: datetime | None = ctx.now() + timedelta(minutes=minutes) if step < LAST_STEP else None
        if not await ctx.repo.step_incident(incident.id, step, following):
            continue
        task = await ctx.repo.get_task(incident.task_id)
        if task is None:
            continue
        reporter = await name_of(ctx, task.requester_id)
        waited = int((ctx.now() - incident.reported_at).total_seconds() // 60)
        where = place(task)
        log.warning("incident E%s unacknowledged after %s minutes: step %s", incident.id, waited, step)
        if step == 1:
            people = [p.id for p in await ctx.repo.persons_with_role(*STAFF_ROLES)]
            if incident.elder_id is not None:
                elder = await ctx.repo.get_elder(incident.elder_id)
                if elder is not None:
                    people += list(elder.volunteer_ids or ())
                    if elder.contact_person_id is not None:
                        people.append(elder.contact_person_id)
            for person_id in dict.fromkeys(people):
                called = await ctx.repo.get_person(person_id)
                if called is None:
                    continue
                replies += await _alert(
                    ctx,
                    called,
                    incident,
                    None,
                    "",
                    reporter,
                    task.text,
                    where,
                    key="incident.escalate",
                    minutes=waited,
                )
        else:
            replies += await _to_groups(
                ctx, task, "incident.group_escalate", id=incident.id, minutes=waited, where=where or "—"
            )
    return replies


async def incidents_due(ctx: Ctx) -> bool:
    return bool(await ctx.repo.due_incidents(ctx.now(), limit=1))
