"""How a task shows in a group: its card (category, time, building, never the requester's words).

Cards are posted where the request was made and in its building's groups, and edited as the
task moves; ``summary`` and ``describe_when`` also serve the reminders and the matching.
"""

from __future__ import annotations

from handlers.common.categories import category_name
from handlers.common.context import Ctx
from handlers.common.notify import card_chats, mask_phones, name_of
from handlers.common.texts import t
from storage.models import Button, Chat, ChatRef, Person, Reply, Task, TaskState

_SUMMARY_CHARS = 60


def summary(task: Task) -> str:
    """A one-line public summary of the request text."""
    line = " ".join(mask_phones(task.text).split())
    return line if len(line) <= _SUMMARY_CHARS else line[: _SUMMARY_CHARS - 1] + "…"


def describe_when(task: Task, ctx: Ctx, language: str | None) -> str:
    """Renders the task's window as '明天 08:00–12:00' in the community's timezone."""
    if task.window_start is None or task.window_end is None:
        return ""
    start = task.window_start.astimezone(ctx.settings.tz)
    end = task.window_end.astimezone(ctx.settings.tz)
    days = (start.date() - ctx.now().astimezone(ctx.settings.tz).date()).days
    key = _NEAR_DAYS.get(days)
    day = t(language, key) if key else f"{start.month:02d}-{start.day:02d}"
    return t(
        language,
        "when.format",
        day=day,
        start=f"{start.hour:02d}:{start.minute:02d}",
        end=f"{end.hour:02d}:{end.minute:02d}",
    )


_NEAR_DAYS = {0: "when.today", 1: "when.tomorrow", 2: "when.day_after"}


def public_summary(task: Task, language: str | None) -> str:
    """What a group may read of a request (PIPL 最小必要): never the requester's words, which may
    carry a room, a phone, an illness or a medicine; the rest goes privately to the claimer."""
    return t(language, "card.private_details")


def claimed_or_default(task: Task, ctx: Ctx) -> float:
    """The hours a 确认 will credit: what the volunteer reported, else the category's default."""
    return task.duration_hours or ctx.settings.hours_for(task.category)


def render_card(task: Task, ctx: Ctx, language: str | None, claimer: str = "", requester: str = "") -> Reply:
    """Builds the card text and buttons for the task's current state (chat filled in by the caller).

    A card stands in groups: category, time window, building and a neutral line, nothing more.
    """
    cat = category_name(task.category, language)
    buttons: tuple[Button, ...] = ()
    if task.state is TaskState.OPEN:
        details = ""
        when = describe_when(task, ctx, language)
        if when:
            details += "\n" + t(language, "card.when", when=when)
        if task.building:
            details += ("  " if when else "\n") + t(language, "card.where", where=task.building)
        text = t(
            language,
            "card.open",
            id=task.id,
            category=cat,
            urgent=t(language, "urgent") if task.urgency == "urgent" else "",
            star=" ⭐" if task.priority > 0 else "",
            summary=public_summary(task, language),
            details=details,
        )
        buttons = (
            Button(t(language, "button.claim"), f"claim:{task.id}"),
            Button(t(language, "button.cancel"), f"cancel:{task.id}"),
        )
    elif task.state is TaskState.CLAIMED:
        text = t(
            language,
            "card.claimed",
            id=task.id,
            category=cat,
            claimer=claimer,
            summary=public_summary(task, language),
        )
        buttons = (
            Button(t(language, "button.done"), f"done:{task.id}"),
            Button(t(language, "button.release"), f"release:{task.id}"),
        )
    elif task.state is TaskState.DONE:
        text = t(language, "card.done", id=task.id, category=cat, claimer=claimer, requester=requester)
        text += t(language, "done.hours", hours=f"{claimed_or_default(task, ctx):g}")
        buttons = (Button(t(language, "button.confirm"), f"confirm:{task.id}"),)
    elif task.state is TaskState.CONFIRMED:
        text = t(language, "card.confirmed", id=task.id, category=cat, claimer=claimer)
    else:
        text = t(language, "card.cancelled", id=task.id, category=cat)
    return Reply(chat=ChatRef("", ""), text=text, buttons=buttons, card_of=task.id)


async def card_replies(
    task: Task,
    ctx: Ctx,
    *,
    edit: bool,
    quote: str | None = None,
    asker: Person | None = None,
    asked_in: Chat | None = None,
) -> list[Reply]:
    """Posts (or edits) the task's card in every chat that shows it (``asker``: the requester, and
    ``asked_in``: the group it was asked in, if at hand)."""
    claimer = await name_of(ctx, task.claimer_id)
    if asker is not None and asker.id == task.requester_id:
        requester = asker.name
    else:
        requester = await name_of(ctx, task.requester_id)
    replies = []
    cards: dict[str, Reply] = {}  # one rendering per language, however many groups show it
    for chat in await card_chats(task, ctx, asked_in):
        language = chat.language or task.language or ctx.settings.language
        if language not in cards:
            cards[language] = render_card(task, ctx, language, claimer=claimer, requester=requester)
        card = cards[language]
        is_origin = task.origin is not None and (chat.platform, chat.chat_id) == (
            task.origin.platform,
            task.origin.chat_id,
        )
        replies.append(
            Reply(
                chat=ChatRef(chat.platform, chat.chat_id),
                text=card.text,
                buttons=card.buttons,
                card_of=task.id,
                edit=edit,
                reply_to=quote if (is_origin and not edit) else None,
            )
        )
    return replies
