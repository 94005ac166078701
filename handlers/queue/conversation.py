"""Never silent when addressed: action words read by context, a private menu, staff commands that answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from handlers.common.auth import is_staff
from handlers.common.categories import category_name
from handlers.common.context import Ctx
from handlers.common.errors import NotAllowed
from handlers.common.notify import answer_privately
from handlers.common.texts import t
from handlers.understanding.actions import Action, ActionMatch, parse_action, task_ref
from storage.models import IncidentState, Incoming, Person, Reply, Task, TaskState

# -- action words said loosely ------------------------------------------------------------------------------

_LEAD = re.compile(r"^\s*(?:那就|那么|那麼|那|好吧|好的|好|行|ok(?:ay)?)\s*[,，、]?\s*", re.I)
_RELEASE_WORDS = (
    "去不了",
    "来不了",
    "來不了",
    "放弃",
    "放棄",
    "can't make it",
    "cannot make it",
    "can't go",
    "won't be able to",
)
_CANCEL_OPENING = re.compile(
    r"^\s*(?:不用了|不用啦|不需要了|不需要啦|不用麻烦了|不用麻煩了|已经不用了|已經不用了|"
    r"no need|not needed anymore|never ?mind|no longer needed|i don'?t need it)",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Said:
    """An action word and whether it was said plainly (loose words act only on the speaker's own tasks)."""

    match: ActionMatch
    loose: bool


def read_action(text: str) -> Said | None:
    """Reads 我来 / 完成 … plainly, or loosely.

    Loosely: "那我来吧", "…明天要加班 去不了了 放弃", "不用了 我儿子帮我拿了".
    """
    strict = parse_action(text)
    if strict is not None:
        return Said(strict, loose=False)
    if not text or len(text) > 200:
        return None
    trimmed = _LEAD.sub("", text, count=1)
    if trimmed != text:
        again = parse_action(trimmed)
        if again is not None and again.action is Action.CLAIM:
            return Said(again, loose=False)
    lowered = text.lower()
    if any(word in lowered for word in _RELEASE_WORDS):
        return Said(ActionMatch(Action.RELEASE, task_ref(text)), loose=True)
    if _CANCEL_OPENING.match(text):
        return Said(ActionMatch(Action.CANCEL, task_ref(text)), loose=True)
    return None


async def candidates(ctx: Ctx, person: Person, action: Action) -> list[Task]:
    """The tasks an action word without #N can mean for this speaker (for a claim: none, see last card)."""
    if action in (Action.DONE, Action.RELEASE):
        return await ctx.repo.list_tasks(
            states=[TaskState.CLAIMED], claimer_id=person.id, emergency=False, limit=6
        )
    if action is Action.CANCEL:
        states = [TaskState.OPEN, TaskState.CLAIMED]
        return await ctx.repo.list_tasks(states=states, requester_id=person.id, emergency=False, limit=6)
    if action is Action.CONFIRM:
        return await ctx.repo.list_tasks(
            states=[TaskState.DONE], requester_id=person.id, emergency=False, limit=6
        )
    return []


async def open_tasks_here(ctx: Ctx, msg: Incoming, building: str | None) -> list[Task]:
    """Open (non-emergency) tasks a claim in this group could mean."""
    if building is None:
        return []
    return await ctx.repo.list_tasks(states=[TaskState.OPEN], building=building, emergency=False, limit=6)


def ask_which(
    msg: Incoming, person: Person, action: Action, tasks: list[Task], language: str | None
) -> list[Reply]:
    """ "哪一单?" with the candidates, each with the words to use."""
    lines = "\n".join(
        f"#{task.id} {category_name(task.category, language)} · {_short(task.text)}" for task in tasks[:5]
    )
    text = t(
        language,
        "which.ask",
        name=person.name,
        tasks=lines,
        example=f"{t(language, f'word.{action.value}')} #{tasks[0].id}",
    )
    return [Reply(chat=msg.chat, text=text, reply_to=msg.message_id)]


def _short(text: str, limit: int = 18) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


# -- private chats: an answer to every message -------------------------------------------------------------

_GREETING = re.compile(
    r"^\s*(?:你好|您好|妳好|哈喽|哈囉|嗨|早上好|早安|晚上好|下午好|hi|hello|hey|在吗|在嗎)\W*$", re.I
)
_THANKS = re.compile(
    r"^\s*(?:好的|好|嗯|嗯嗯|收到|知道了|谢谢|謝謝|多谢|多謝|谢啦|謝啦|ok|okay|thanks|thank you|thx"
    r"|👍|🙏|\s|[,，。.!！~～])+$",
    re.I,
)


async def private_answer(msg: Incoming, ctx: Ctx, person: Person, language: str) -> list[Reply]:
    """What a private message nobody else answered gets: a greeting, thanks, or the menu (the love bank
    answers "我的时长" before this)."""
    text = msg.text.strip()
    menu = await menu_text(ctx, person, language)
    if _GREETING.match(text):
        return [Reply(chat=msg.chat, text=t(language, "menu.hello", name=person.name) + "\n" + menu)]
    if _THANKS.match(text):
        return [Reply(chat=msg.chat, text=t(language, "menu.welcome"))]
    return [Reply(chat=msg.chat, text=t(language, "menu.unclear") + "\n" + menu)]


async def menu_text(ctx: Ctx, person: Person, language: str | None) -> str:
    """A short menu of what this person can do now (their own tasks first)."""
    lines: list[str] = []
    held = await ctx.repo.list_tasks(
        states=[TaskState.CLAIMED], claimer_id=person.id, emergency=False, limit=3
    )
    for task in held:
        lines.append(t(language, "menu.held", id=task.id))
    done = await ctx.repo.list_tasks(
        states=[TaskState.DONE], requester_id=person.id, emergency=False, limit=3
    )
    for task in done:
        lines.append(t(language, "menu.to_confirm", id=task.id))
    lines.append(t(language, "menu.ask"))
    lines.append(t(language, "menu.passbook"))
    if person.role.value == "resident":
        lines.append(t(language, "menu.register"))
    if is_staff(person):
        lines.append(t(language, "menu.staff"))
    lines.append(t(language, "menu.help"))
    return "\n".join(lines)


# -- staff commands that always answer ---------------------------------------------------------------------

_STAFF_USAGE = {
    "/assign": "assign.usage",
    "/改派": "assign.usage",
    "/record": "record.usage",
    "/记录": "record.usage",
    "/記錄": "record.usage",
    "/correct": "correct.usage",
    "/更正": "correct.usage",
    "/summary": "summary.usage",
    "/digest": "digest.usage",
    "/role": "role.usage",
    "/角色": "role.usage",
    "/note": "note.usage",
    "/notes": "note.usage",
    "/delnote": "note.usage",
    "/备注": "note.usage",
    "/備註": "note.usage",
    "/bind": "bind.usage",
    "/绑定": "bind.usage",
    "/綁定": "bind.usage",
}
_ANY_COMMAND = re.compile(r"^\s*(/[a-z_\u4e00-\u9fff]+)(?:@\S+)?\s*(.*)$", re.S | re.I)


def misused_command(msg: Incoming, person: Person, language: str) -> list[Reply] | None:
    """A known staff command nobody could read: the reason (not staff) or how to use it."""
    found = _ANY_COMMAND.match(msg.text)
    if found is None:
        return None
    key = _STAFF_USAGE.get(found.group(1).lower())
    if key is None:
        return None
    if not is_staff(person) and key != "note.usage":  # volunteers may note what they saw at a visit
        raise NotAllowed(found.group(1), reason=t(language, "reason.only_staff"))
    return [Reply(chat=msg.chat, text=t(language, key), reply_to=msg.message_id)]


def private_ack(
    msg: Incoming, replies: list[Reply], action: Action, task_id: int, language: str | None
) -> list[Reply]:
    """A person acting from a private chat always hears back there."""
    if not msg.chat.private or msg.action is not None:
        return replies
    if any(r.chat == msg.chat for r in replies):
        return replies
    return [*replies, Reply(chat=msg.chat, text=t(language, f"ack.{action.value}", id=task_id))]


def group_ack(msg: Incoming, action: Action, task_id: int, language: str | None) -> Reply:
    """One short line naming the task an action word without #N was applied to."""
    return Reply(chat=msg.chat, text=t(language, f"ack.{action.value}", id=task_id), reply_to=msg.message_id)


# -- staff lists: /tasks, /incidents --------------------------------------------------------------------

_TASKS = re.compile(r"^\s*(?:/tasks|/求助单|/求助單|/任务|/任務)(?:@\S+)?\s*(.*?)\s*$", re.I)
_INCIDENTS = re.compile(r"^\s*(?:/incidents|/紧急|/緊急|/事件)(?:@\S+)?\s*(.*?)\s*$", re.I)
LISTED = 20


async def on_list_command(msg: Incoming, ctx: Ctx, person: Person, language: str) -> list[Reply] | None:
    """/tasks (open, claimed, to confirm) and /incidents (open, and the last day's): staff only."""
    tasks = _TASKS.match(msg.text)
    incidents = _INCIDENTS.match(msg.text) if tasks is None else None
    if tasks is None and incidents is None:
        return None
    if not is_staff(person):
        raise NotAllowed("list", reason=t(language, "reason.only_staff"))
    text = await (_task_list(ctx, language) if tasks is not None else _incident_list(ctx, language))
    # Lists name people and places: asked in a group, they go privately.
    return await answer_privately(msg, ctx, person, language, text, notice="list.sent_privately")


async def _task_list(ctx: Ctx, language: str) -> str:
    states = [TaskState.OPEN, TaskState.CLAIMED, TaskState.DONE]
    tasks = await ctx.repo.list_tasks(states=states, emergency=False, limit=LISTED + 1)
    if not tasks:
        return t(language, "list.tasks.none")
    lines = [t(language, "list.tasks.title", count=min(len(tasks), LISTED))]
    for task in tasks[:LISTED]:
        who = ""
        if task.claimer_id is not None:
            claimer = await ctx.repo.get_person(task.claimer_id)
            who = f" · {claimer.name}" if claimer else ""
        where = f"{task.building} " if task.building else ""
        state = t(language, f"state.{task.state}")
        lines.append(
            f"#{task.id} {where}{category_name(task.category, language)} · {state}{who} · {_short(task.text)}"
        )
    if len(tasks) > LISTED:
        lines.append(t(language, "digest.more", count=len(tasks) - LISTED))
    return "\n".join(lines)


async def _incident_list(ctx: Ctx, language: str) -> str:
    open_ones = await ctx.repo.list_incidents(states=[IncidentState.REPORTED, IncidentState.ACKNOWLEDGED])
    recent = await ctx.repo.list_incidents(
        states=[IncidentState.RESOLVED], since=ctx.now() - timedelta(days=1), limit=10
    )
    if not open_ones and not recent:
        return t(language, "list.incidents.none")
    lines = [t(language, "list.incidents.title")]
    tz = ctx.settings.tz
    for incident in [*open_ones, *recent]:
        task = await ctx.repo.get_task(incident.task_id)
        text = _short(task.text, 24) if task else ""
        where = " ".join(p for p in ((task.building, task.room) if task else ()) if p)
        at = incident.reported_at.astimezone(tz).strftime("%m-%d %H:%M")
        if incident.state is IncidentState.RESOLVED:
            state = t(language, f"incident.outcome.{incident.outcome}")
        elif incident.state is IncidentState.ACKNOWLEDGED:
            who = await ctx.repo.get_person(incident.acknowledged_by or 0)
            state = t(language, "list.incidents.on_way", name=who.name if who else "")
        else:
            state = t(language, "digest.incident.unanswered")
        lines.append(f"E{incident.id} {at} {where} 「{text}」 · {state}")
    return "\n".join(lines)
