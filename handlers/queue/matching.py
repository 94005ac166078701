"""Offers work: a new request is told, privately, to the few volunteers whose skills and free time fit."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from handlers.common.categories import category_name
from handlers.common.context import Ctx
from handlers.common.notify import private_chat
from handlers.common.texts import t
from handlers.queue.cards import describe_when, summary
from storage.models import Candidate, Reply, Task

log = logging.getLogger(__name__)

MAX_ASKED = 3
ASK_GAP = timedelta(hours=1)
"""A volunteer hears of at most one request an hour: a bot that pings at every request gets muted."""
OFFERS_READ = 10
"""The newest live offers of the skill (and of general time) weighed for one request: three are
asked, so ten candidates are plenty, and a request never reads every offer ever made."""
_NEVER = datetime.min.replace(tzinfo=UTC)


async def fitting_candidates(task: Task, ctx: Ctx) -> list[Candidate]:
    """Everyone whose live offers or registered skills fit the request, read once: the card's
    suggested names and the private asks both come from it."""
    category = task.category or "other"
    return await ctx.repo.fitting_volunteers(
        category,
        (task.window_start, task.window_end) if task.window_start and task.window_end else None,
        ctx.now(),
        offers_read=OFFERS_READ,
        registered=category != "other",  # "other" is no skill a volunteer registers
    )


def suggested_names(task: Task, candidates: list[Candidate], limit: int) -> list[str]:
    """Names (``limit`` at most, each once) behind the newest fitting offers, never the requester's."""
    offering = [c for c in candidates if c.offer_id is not None and c.person_id != task.requester_id]
    offering.sort(key=lambda c: c.offer_id or 0, reverse=True)
    return list(dict.fromkeys(c.name for c in offering if c.name))[:limit]


def rested_volunteers(task: Task, candidates: list[Candidate], now: datetime) -> list[int]:
    """Candidates not asked within the last hour (nor the requester or claimer): least recently
    asked first, then a fitting skill before general free time."""
    rested = [
        c
        for c in candidates
        if (c.asked_at is None or c.asked_at <= now - ASK_GAP)
        and c.person_id not in (task.requester_id, task.claimer_id)
    ]
    rested.sort(key=lambda c: (c.asked_at or _NEVER, not c.by_skill, c.person_id))
    return [c.person_id for c in rested]


async def ask_fitting_volunteers(
    task: Task, ctx: Ctx, platform: str | None, candidates: list[Candidate]
) -> list[Reply]:
    """At most three private pings with the request's number, category, time and building."""
    replies: list[Reply] = []
    asked: list[int] = []
    for person_id in rested_volunteers(task, candidates, ctx.now()):
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
