"""An elder's registration for the daily check-in, and when the next greeting is due.

Shared by the check-in commands (/elder) and the spreadsheet import (registry/roster.py), which
both register elders; the greetings and the ladder themselves are handlers/checkin/.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, time, timedelta, tzinfo

from handlers.common.context import Ctx
from storage.checkin_models import Elder, ElderSpec, Outcome

log = logging.getLogger(__name__)


def local_day(moment: datetime, tz: tzinfo) -> date:
    """The community's calendar day of a moment."""
    return moment.astimezone(tz).date()


def at_local(day: date, clock: time, tz: tzinfo) -> datetime:
    """The moment a local wall-clock time happens on a day."""
    return datetime.combine(day, clock, tzinfo=tz)


def next_greeting(clock: time, after: datetime, tz: tzinfo, *, inclusive: bool = False) -> datetime:
    """The first daily greeting at ``clock`` after ``after`` (or at it, when ``inclusive``)."""
    day = local_day(after, tz)
    candidate = at_local(day, clock, tz)
    if candidate < after or (candidate == after and not inclusive):
        candidate = at_local(day + timedelta(days=1), clock, tz)
    return candidate


def first_greeting(elder_clock: time, now: datetime, away_until: datetime | None, tz: tzinfo) -> datetime:
    """When a (re)scheduled elder is next greeted: today if the time is still ahead, never while away."""
    start = max(now, away_until) if away_until else now
    return next_greeting(elder_clock, start, tz, inclusive=True)


async def register_elder(ctx: Ctx, spec: ElderSpec) -> Elder:
    """Registers or updates an elder (commands and CSV import alike) and schedules the next greeting."""
    now = ctx.now()
    current = await ctx.repo.elder_of_person(spec.person_id)
    settings = ctx.settings.checkin
    if current is None:
        spec = replace(
            spec,
            checkin_time=spec.checkin_time or settings.default_time,
            window_minutes=spec.window_minutes or settings.window_minutes,
        )
    clock = spec.checkin_time or (current.checkin_time if current else settings.default_time)
    active = spec.active if spec.active is not None else (current.active if current else True)
    away_until = current.away_until if current else None
    next_due: datetime | None = None
    if active:
        next_due = first_greeting(clock, now, away_until, ctx.settings.tz)
        today = await ctx.repo.checkin_on(current.id, local_day(now, ctx.settings.tz)) if current else None
        if today is not None and local_day(next_due, ctx.settings.tz) == today.day:
            next_due = next_greeting(clock, next_due, ctx.settings.tz)
    elder = await ctx.repo.save_elder(spec, at=now, next_due_at=next_due)
    if not active:
        for checkin in await ctx.repo.open_checkins_of_person(elder.person_id):
            await ctx.repo.close_checkin(checkin.id, outcome=Outcome.AWAY, by=None, at=now)
    log.info("elder %s (%s) registered; next greeting %s", elder.id, elder.name, next_due)
    return elder
