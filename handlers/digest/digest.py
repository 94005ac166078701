"""The staff's morning digest (flow 9): yesterday per building and for the community, plus a chart.

``build_digest`` gathers figures with a handful of indexed queries (it stays well
under two seconds on a million tasks); ``render`` turns them into text or
Markdown; ``send_digest`` is the job the scheduler runs at the configured time,
once per day however often the process restarts.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from handlers.common.auth import STAFF_ROLES
from handlers.common.categories import category_name
from handlers.common.context import Ctx
from handlers.common.notify import private_chat
from handlers.common.texts import t
from handlers.digest.chart import write_chart
from handlers.digest.figures import (
    DayPoint,
    Digest,
    ElderFlag,
    Figures,
    IncidentLine,
    LadderLine,
    Volunteer,
)
from storage.checkin_models import WELLBEING_SCORE, Checkin, Elder, LadderStep, Outcome
from storage.models import ChatRef, InboxState, Reply, Task, TaskState

log = logging.getLogger(__name__)

MISSED_FLAG_DAYS = 7
MISSED_FLAG_COUNT = 2
TOP_DAYS = 30
LISTED = 10
DIGEST_GRACE = timedelta(hours=12)
"""A digest whose time passed while the process was down still goes out if it is at most this late."""

NO_BUILDING = ""


def day_span(ctx: Ctx, day: date) -> tuple[datetime, datetime]:
    """The local day as [start, end)."""
    start = datetime.combine(day, time(0, 0), tzinfo=ctx.settings.tz)
    return start, datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=ctx.settings.tz)


def missed(checkin: Checkin) -> bool:
    """No answer inside the window (away days never count)."""
    return not checkin.answered_in_window and checkin.outcome is not Outcome.AWAY


async def build_digest(ctx: Ctx, day: date) -> Digest:
    """Gathers one day's figures; open and overdue tasks are as they stand now."""
    settings = ctx.settings.digest
    now = ctx.now()
    start, end = day_span(ctx, day)
    buildings: dict[str, Figures] = defaultdict(Figures)

    for count in await ctx.repo.count_tasks_created(start, end):
        buildings[count.building or NO_BUILDING].new += count.count
    for count in await ctx.repo.count_task_events(start, end, ("claim", "assign", "done", "confirm")):
        figures = buildings[count.building or NO_BUILDING]
        if count.key in ("claim", "assign"):
            figures.claimed += count.count
        elif count.key == "done":
            figures.done += count.count
        else:
            figures.confirmed += count.count
    for count in await ctx.repo.count_tasks_in_states((TaskState.OPEN, TaskState.CLAIMED)):
        figures = buildings[count.building or NO_BUILDING]
        if count.key == TaskState.OPEN:
            figures.open += count.count
        else:
            figures.in_progress += count.count
    for count in await ctx.repo.count_overdue(now):
        buildings[count.building or NO_BUILDING].overdue += count.count
    later = await ctx.repo.tasks_between(end, max(now, end) + timedelta(minutes=1))
    for task in later:  # a day's digest covers that day: requests made after it are not its business
        figures = buildings[task.building or NO_BUILDING]
        if task.state is TaskState.OPEN:
            figures.open = max(0, figures.open - 1)
        elif task.state is TaskState.CLAIMED:
            figures.in_progress = max(0, figures.in_progress - 1)
        if task.state in (TaskState.OPEN, TaskState.CLAIMED) and task.window_end and task.window_end < now:
            figures.overdue = max(0, figures.overdue - 1)
    for served in await ctx.repo.hours_served(start, end):
        buildings[served.building or NO_BUILDING].hours += served.hours

    outcomes: dict[str, int] = defaultdict(int)
    for checks in await ctx.repo.count_checkins(day, day):
        figures = buildings[checks.building or NO_BUILDING]
        if checks.key == "away":
            figures.away += checks.count
        elif checks.key == "answered":
            figures.answered += checks.count
        else:
            figures.missed += checks.count
            outcomes[checks.key.removeprefix("missed:")] += checks.count

    total = Figures()
    for figures in buildings.values():
        total.add(figures)

    open_ids = await ctx.repo.oldest_task_ids((TaskState.OPEN, TaskState.CLAIMED), limit=settings.open_listed)
    open_tasks = tuple(
        task for task in await _tasks(ctx, open_ids) if not task.emergency and task.created_at < end
    )  # emergencies are listed as incidents; requests made after the day are the next digest's
    stale = now - timedelta(hours=ctx.settings.reminders.unconfirmed_after_hours)
    unconfirmed_ids = await ctx.repo.oldest_task_ids((TaskState.DONE,), limit=LISTED, updated_before=stale)
    unconfirmed = await _tasks(ctx, unconfirmed_ids)
    names: dict[int, str] = {}
    for task in (*open_tasks, *unconfirmed):
        if task.claimer_id is not None and task.claimer_id not in names:
            person = await ctx.repo.get_person(task.claimer_id)
            names[task.claimer_id] = person.name if person else ""

    first = day - timedelta(days=MISSED_FLAG_DAYS - 1)
    concern = await ctx.repo.checkins_of_concern(first, day, missed=MISSED_FLAG_COUNT)
    missed_today = await ctx.repo.missed_checkins(day, LISTED)
    elders = await ctx.repo.elders_by_ids([c.elder_id for c in (*concern, *missed_today)])
    return Digest(
        day=day,
        community=ctx.settings.community,
        made_at=now,
        total=total,
        buildings=dict(sorted(buildings.items(), key=lambda item: _building_key(item[0]))),
        open_tasks=open_tasks,
        open_more=max(0, total.open + total.in_progress - len(open_tasks)),
        unconfirmed=unconfirmed,
        ladders=await _ladders(ctx, missed_today, elders),
        outcomes=dict(outcomes),
        flags=flag_elders(concern, elders, day),
        top=await _top_volunteers(ctx, end, settings.top_volunteers),
        series=await _series(ctx, day, settings.chart_days),
        names=names,
        failed_messages=await ctx.repo.count_incoming(InboxState.FAILED, (start, end)),
        incidents=await _incidents(ctx, start, end),
    )


async def _incidents(ctx: Ctx, start: datetime, end: datetime) -> tuple[IncidentLine, ...]:
    """The day's emergencies with their response times (those still open are listed too)."""
    lines = []
    for incident in await ctx.repo.incidents_between(start, end):
        task = await ctx.repo.get_task(incident.task_id)
        if task is None:
            continue
        who = await ctx.repo.get_person(incident.acknowledged_by) if incident.acknowledged_by else None
        text = " ".join(task.text.split())
        lines.append(
            IncidentLine(
                number=incident.id,
                where=" ".join(p for p in (task.building, task.room) if p),
                text=text if len(text) <= 24 else text[:23] + "…",
                reported_at=incident.reported_at,
                acknowledged_at=incident.acknowledged_at,
                acknowledger=who.name if who else "",
                resolved_at=incident.resolved_at,
                outcome=incident.outcome,
            )
        )
    return tuple(lines)


async def _tasks(ctx: Ctx, ids: Iterable[int]) -> tuple[Task, ...]:
    found = []
    for task_id in ids:
        task = await ctx.repo.get_task(task_id)
        if task is not None:
            found.append(task)
    return tuple(found)


def _building_key(name: str) -> tuple[int, int, str]:
    digits = "".join(ch for ch in name if ch.isdigit())
    return (1 if not name else 0, int(digits) if digits else 10**6, name)


async def _ladders(ctx: Ctx, missed_today: list[Checkin], elders: dict[int, Elder]) -> tuple[LadderLine, ...]:
    """The missed check-ins of the day, with each ladder's steps and its end."""
    lines: list[LadderLine] = []
    for checkin in missed_today:
        elder = elders.get(checkin.elder_id)
        steps = tuple(
            (entry.step, entry.at)
            for entry in await ctx.repo.ladder_of(checkin.id)
            if entry.step is not LadderStep.GREETED
        )
        closer = ""
        if checkin.closed_by is not None:
            person = await ctx.repo.get_person(checkin.closed_by)
            closer = person.name if person else ""
        lines.append(
            LadderLine(
                name=elder.name if elder else f"#{checkin.elder_id}",
                building=elder.building if elder else None,
                steps=steps,
                outcome=checkin.outcome,
                closer=closer,
                closed_at=checkin.closed_at,
            )
        )
    return tuple(lines)


def flag_elders(week: Iterable[Checkin], elders: dict[int, Elder], day: date) -> tuple[ElderFlag, ...]:
    """Elders who missed two or more of the last seven days, or whose answers turn worse.

    Worse means the latest mark is 不好, or the last three marks average at least
    half a step below the earlier ones of the week (好=2, 一般=1, 不好=0).
    """
    by_elder: dict[int, list[Checkin]] = defaultdict(list)
    for checkin in week:
        by_elder[checkin.elder_id].append(checkin)
    flags = []
    for elder_id, checkins in by_elder.items():
        checkins.sort(key=lambda c: c.day)
        missed_days = sum(1 for c in checkins if missed(c))
        marks = [c.wellbeing for c in checkins if c.wellbeing is not None]
        scores = [WELLBEING_SCORE[m] for m in marks]
        worse = False
        if scores and scores[-1] == 0 and checkins[-1].day >= day - timedelta(days=1):
            worse = True
        elif len(scores) >= 4:
            recent, earlier = scores[-3:], scores[:-3]
            worse = sum(recent) / len(recent) <= sum(earlier) / len(earlier) - 0.5
        if missed_days >= MISSED_FLAG_COUNT or worse:
            elder = elders.get(elder_id)
            flags.append(
                ElderFlag(
                    name=elder.name if elder else f"#{elder_id}",
                    building=elder.building if elder else None,
                    missed=missed_days,
                    worse=worse,
                    marks=tuple(m.value for m in marks[-4:]),
                )
            )
    flags.sort(key=lambda f: (-f.missed, not f.worse, f.name))
    return tuple(flags)


async def _top_volunteers(ctx: Ctx, end: datetime, limit: int) -> tuple[Volunteer, ...]:
    totals: dict[int, Volunteer] = {}
    for served in await ctx.repo.hours_served(end - timedelta(days=TOP_DAYS), end):
        known = totals.get(served.person_id)
        totals[served.person_id] = Volunteer(
            served.name,
            (known.hours if known else 0.0) + served.hours,
            (known.tasks if known else 0) + served.tasks,
        )
    ranked = sorted(totals.values(), key=lambda v: (-v.hours, -v.tasks, v.name))
    return tuple(ranked[:limit])


async def _series(ctx: Ctx, day: date, days: int) -> tuple[DayPoint, ...]:
    """New and done tasks, answered and missed check-ins, for each of the last ``days`` days."""
    first = day - timedelta(days=days - 1)
    answered: dict[date, int] = defaultdict(int)
    missed_on: dict[date, int] = defaultdict(int)
    for checks in await ctx.repo.count_checkins(first, day):
        if checks.key == "answered":
            answered[checks.day] += checks.count
        elif checks.key.startswith("missed:"):
            missed_on[checks.day] += checks.count
    points = []
    for offset in range(days):
        current = first + timedelta(days=offset)
        start, end = day_span(ctx, current)
        new = sum(c.count for c in await ctx.repo.count_tasks_created(start, end))
        done = sum(c.count for c in await ctx.repo.count_task_events(start, end, ("done",)))
        points.append(DayPoint(current, new, done, answered[current], missed_on[current]))
    return tuple(points)


# -- rendering --------------------------------------------------------------------------------------------


def _when(task: Task, digest: Digest, language: str | None) -> str:
    days = (digest.made_at - task.created_at).days
    if days >= 1:
        return t(language, "digest.age.days", days=days)
    seconds = (digest.made_at - task.created_at).total_seconds()
    if seconds < 120:
        return t(language, "digest.age.now")  # "刚刚", not "1 小时前", for a task a minute old
    if seconds < 3600:
        return t(language, "digest.age.minutes", minutes=int(seconds // 60))
    return t(language, "digest.age.hours", hours=int(seconds // 3600))


def _figures_line(figures: Figures, language: str | None) -> str:
    line = t(
        language,
        "digest.figures",
        new=figures.new,
        claimed=figures.claimed,
        done=figures.done,
        open=figures.open + figures.in_progress,
        overdue=figures.overdue,
        hours=f"{round(figures.hours, 1):g}",
    )
    if figures.answered or figures.missed:
        line += t(
            language, "digest.checkins", answered=figures.answered, total=figures.answered + figures.missed
        )
    return line


def render(digest: Digest, language: str | None = None, *, markdown: bool = False) -> str:
    """The digest as plain text for chats (or Markdown for the command line and staff groups that show it)."""

    def head(text: str) -> str:
        return f"\n**{text}**" if markdown else f"\n{text}"

    def item(text: str) -> str:
        return f"- {text}" if markdown else f"· {text}"

    weekday = t(language, f"digest.weekday.{digest.day.weekday()}")
    title = t(
        language,
        "digest.title",
        community=digest.community,
        date=digest.day.strftime("%m-%d"),
        weekday=weekday,
    )
    lines = [f"# {title}" if markdown else f"📋 {title}"]
    lines.append(t(language, "digest.community") + _figures_line(digest.total, language))
    if digest.total.missed or digest.outcomes:
        lines.append(_outcome_line(digest, language))
    buildings = [(name, f) for name, f in digest.buildings.items() if f.busy]
    if len(buildings) > 1 or (buildings and buildings[0][0] != NO_BUILDING):
        lines.append(head(t(language, "digest.by_building")))
        for name, figures in buildings:
            label = name or t(language, "digest.no_building")
            lines.append(item(f"{label}:{_figures_line(figures, language)}"))
    if digest.incidents:
        lines.append(head(t(language, "digest.incidents", count=len(digest.incidents))))
        for incident in digest.incidents:
            lines.append(item(_incident_line(incident, language)))
        answered = [i.response_minutes for i in digest.incidents if i.response_minutes is not None]
        if answered:
            average = round(sum(answered) / len(answered))
            lines.append(t(language, "digest.incidents.response", minutes=average, slowest=max(answered)))
    if digest.open_tasks:
        lines.append(head(t(language, "digest.open")))
        for task in digest.open_tasks:
            lines.append(item(_task_line(task, digest, language)))
        if digest.open_more:
            lines.append(t(language, "digest.more", count=digest.open_more))
    if digest.unconfirmed:
        lines.append(head(t(language, "digest.unconfirmed", hours=48)))
        for task in digest.unconfirmed:
            claimer = digest.names.get(task.claimer_id or 0, "")
            lines.append(
                item(f"#{task.id} {task.building or ''} {category_name(task.category, language)} ({claimer})")
            )
    if digest.ladders:
        lines.append(head(t(language, "digest.ladders")))
        for ladder in digest.ladders:
            lines.append(item(_ladder_line(ladder, digest, language)))
    if digest.flags:
        lines.append(head(t(language, "digest.flags")))
        for flag in digest.flags:
            reasons = []
            if flag.missed >= MISSED_FLAG_COUNT:
                reasons.append(t(language, "digest.flag.missed", days=flag.missed, of=MISSED_FLAG_DAYS))
            if flag.worse:
                marks = "→".join(t(language, f"digest.mark.{m}") for m in flag.marks)
                reasons.append(t(language, "digest.flag.worse", marks=marks))
            lines.append(item(f"{flag.name}({flag.building or '—'}):{';'.join(reasons)}"))
    if digest.top:
        lines.append(head(t(language, "digest.top", days=TOP_DAYS)))
        lines.append(
            "  ".join(
                t(
                    language,
                    "digest.volunteer",
                    rank=i + 1,
                    name=v.name,
                    hours=f"{round(v.hours, 1):g}",
                    tasks=v.tasks,
                )
                for i, v in enumerate(digest.top)
            )
        )
    if digest.failed_messages:  # kept in the inbox, but nobody has answered them
        lines.append(head(t(language, "digest.failed", count=digest.failed_messages)))
    if not digest.total.busy and not digest.top and not digest.incidents:
        lines.append(t(language, "digest.quiet"))
    return "\n".join(lines)


def _outcome_line(digest: Digest, language: str | None) -> str:
    parts = [
        f"{t(language, f'digest.outcome.{name}')} {count}"
        for name, count in sorted(digest.outcomes.items(), key=lambda item: -item[1])
    ]
    return t(language, "digest.missed", missed=digest.total.missed, outcomes=" · ".join(parts))


def _task_line(task: Task, digest: Digest, language: str | None) -> str:
    state = (
        t(language, "digest.state.open")
        if task.state is TaskState.OPEN
        else t(language, "digest.state.claimed", name=digest.names.get(task.claimer_id or 0, ""))
    )
    overdue = (
        " ⏰" + t(language, "digest.overdue")
        if task.window_end is not None and task.window_end < digest.made_at
        else ""
    )
    urgent = t(language, "urgent") if task.urgency == "urgent" and not task.emergency else ""
    where = f"{task.building} " if task.building else ""
    category = t(language, "digest.emergency") if task.emergency else category_name(task.category, language)
    return f"#{task.id} {where}{category}{urgent} · {_when(task, digest, language)} · {state}{overdue}"


def _incident_line(incident: IncidentLine, language: str | None) -> str:
    where = f"{incident.where} " if incident.where else ""
    parts = [f"E{incident.number} {where}「{incident.text}」 {incident.reported_at.strftime('%H:%M')}"]
    if incident.acknowledged_at is not None:
        parts.append(
            t(language, "digest.incident.ack", name=incident.acknowledger, minutes=incident.response_minutes)
        )
    else:
        parts.append(t(language, "digest.incident.unanswered"))
    if incident.outcome is not None and incident.resolved_at is not None:
        outcome = t(language, f"incident.outcome.{incident.outcome}")
        parts.append(f"{incident.resolved_at.strftime('%H:%M')} {outcome}")
    elif incident.acknowledged_at is not None:
        parts.append(t(language, "digest.incident.open"))
    return " → ".join(parts)


def _ladder_line(ladder: LadderLine, digest: Digest, language: str | None) -> str:
    del digest
    steps = " → ".join(f"{t(language, f'checkin.step.{s}')} {at.strftime('%H:%M')}" for s, at in ladder.steps)
    if ladder.outcome is None:
        end = t(language, "digest.outcome.open")
    else:
        end = t(language, f"digest.outcome.{ladder.outcome}")
        if ladder.closer:
            end += f"({ladder.closer})"
    where = f"({ladder.building})" if ladder.building else ""
    return f"{ladder.name}{where}:{steps + ' → ' if steps else ''}{end}"


def _localize(digest: Digest, ctx: Ctx) -> Digest:
    """Times in the ladder lines in the community's timezone."""
    tz = ctx.settings.tz
    ladders = tuple(
        LadderLine(
            line.name,
            line.building,
            tuple((step, at.astimezone(tz)) for step, at in line.steps),
            line.outcome,
            line.closer,
            line.closed_at.astimezone(tz) if line.closed_at else None,
        )
        for line in digest.ladders
    )
    incidents = tuple(
        replace(
            line,
            reported_at=line.reported_at.astimezone(tz),
            acknowledged_at=line.acknowledged_at.astimezone(tz) if line.acknowledged_at else None,
            resolved_at=line.resolved_at.astimezone(tz) if line.resolved_at else None,
        )
        for line in digest.incidents
    )
    return replace(digest, ladders=ladders, incidents=incidents)


async def make_digest(ctx: Ctx, day: date) -> Digest:
    """Builds the digest of a day with its times in the community's timezone."""
    return _localize(await build_digest(ctx, day), ctx)


# -- the job -------------------------------------------------------------------------------------------------


def due_digest_day(ctx: Ctx) -> tuple[date, datetime]:
    """The day whose digest should be out by now (yesterday after 08:00), and when it was due."""
    tz = ctx.settings.tz
    now = ctx.now().astimezone(tz)
    today_due = datetime.combine(now.date(), ctx.settings.digest.send_at, tzinfo=tz)
    if now >= today_due:
        return now.date() - timedelta(days=1), today_due
    return now.date() - timedelta(days=2), today_due - timedelta(days=1)


async def send_digest(ctx: Ctx, day: date | None = None, chart_dir: Path | None = None) -> list[Reply]:
    """Sends yesterday's digest to staff once (a staff group if configured, else each privately)."""
    now = ctx.now()
    if day is None:
        due = due_digest_day(ctx)
        if now - due[1] > DIGEST_GRACE:
            return []
        day = due[0]
        if not await ctx.repo.has_history_before(day_span(ctx, day)[1]):
            return []
    if not await ctx.repo.claim_digest(day, now):
        return []
    digest = await make_digest(ctx, day)
    settings = ctx.settings.digest
    chart: str | None = None
    if settings.chart:
        try:
            folder = chart_dir or (Path(settings.chart_dir) if settings.chart_dir else None)
            chart = str(write_chart(digest, ctx.settings.language, folder))
        except Exception:
            log.exception("the digest chart of %s could not be drawn; sending the text alone", day)
    targets: list[tuple[ChatRef, str]] = []
    if settings.chat is not None:
        targets.append((settings.chat, ctx.settings.language))
    else:
        for person in await ctx.repo.persons_with_role(*STAFF_ROLES):
            chat = await private_chat(ctx, person.id)
            if chat is not None:
                targets.append((chat, person.language or ctx.settings.language))
    texts: dict[str, str] = {}
    replies = []
    for chat, language in targets:
        if language not in texts:
            texts[language] = render(digest, language)
        replies.append(Reply(chat=chat, text=texts[language], image=chart))
    log.info("digest of %s sent to %d chats", day, len(replies))
    return replies


__all__ = ["Digest", "build_digest", "due_digest_day", "flag_elders", "make_digest", "render", "send_digest"]
