"""Offers work: a new request is told, privately, to the few volunteers whose skills and free time fit."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from handlers.common.categories import category_name
from handlers.common.context import Ctx
from handlers.common.notify import private_chat
from handlers.common.texts import t
from handlers.queue.cards import describe_when, summary
from storage.models import Reply, Task

log = logging.getLogger(__name__)

MAX_ASKED = 3
ASK_GAP = timedelta(hours=1)
"""A volunteer hears of at most one request an hour: a bot that pings at every request gets muted."""
OFFERS_READ = 10
"""The newest live offers of the skill (and of general time) weighed for one request: three are
asked, so ten candidates are plenty, and a request never reads every offer ever made."""
_NEVER = datetime.min.replace(tzinfo=UTC)


def _overlaps(a: tuple[datetime, datetime] | None, b: tuple[datetime, datetime] | None) -> bool:
    """Free time fits when either side has none stated, or the two windows overlap."""
    if a is None or b is None:
        return True
    return a[0] < b[1] and b[0] < a[1]


async def fitting_volunteers(task: Task, ctx: Ctx) -> list[int]:
    """People whose live offers or registered skills fit the request and who were not asked within
    the last hour, least recently asked first."""
    window = (task.window_start, task.window_end) if task.window_start and task.window_end else None
    category = task.category or "other"
    fits: dict[int, int] = {}  # person → 0 for a skill that fits, 1 for general free time
    for offer in await ctx.repo.active_offers(ctx.now(), category=category, limit=OFFERS_READ):
        offered = (offer.window_start, offer.window_end) if offer.window_start and offer.window_end else None
        if not _overlaps(window, offered):
            continue
        if offer.skills and category not in offer.skills:
            continue
        rank = 0 if category in offer.skills else 1
        fits[offer.person_id] = min(rank, fits.get(offer.person_id, rank))
    if category != "other":
        for volunteer in await ctx.repo.list_volunteers(active=True):
            if category in volunteer.skills:
                fits[volunteer.person_id] = 0
    fits.pop(task.requester_id, None)
    if task.claimer_id is not None:
        fits.pop(task.claimer_id, None)
    asked = await ctx.repo.last_asked(list(fits))
    rested = [person for person in fits if asked.get(person, _NEVER) <= ctx.now() - ASK_GAP]
    return sorted(rested, key=lambda person: (asked.get(person, _NEVER), fits[person], person))


async def ask_fitting_volunteers(task: Task, ctx: Ctx, platform: str | None) -> list[Reply]:
    """At most three private pings with the request's number, category, time and building."""
    replies: list[Reply] = []
    asked: list[int] = []
    for person_id in await fitting_volunteers(task, ctx):
        if len(asked) == MAX_ASKED:
            break
        chat = await private_chat(ctx, person_id, platform)
        person = await ctx.repo.get_person(person_id)
        if chat is None or person is None or not person.active:
            continue
        language = person.language or task.language or ctx.settings.language
        when = describe_when(task, ctx, language)
        text = t(
            language,
            "offer.ping",
            name=person.name,
            id=task.id,
            category=category_name(task.category, language),
            summary=summary(task),
            when=f"\n🕘 {when}" if when else "",
            where=f"\n📍 {task.building}" if task.building else "",
        )
        replies.append(Reply(chat=chat, text=text))
        asked.append(person_id)
    if asked:
        await ctx.repo.mark_asked(asked, ctx.now())
        log.info("task #%s: %d fitting volunteers asked privately", task.id, len(asked))
    return replies
