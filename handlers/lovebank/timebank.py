"""The love bank (爱心银行): service records, passbooks, stars, statements and repayment priority.

"今天我帮你,明天她帮我": every confirmed task becomes a passbook line for the
volunteer, with the confirmer as witness; yearly hours earn stars; banked hours
give the volunteer's own later requests priority and are drawn on when used.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from handlers.common.auth import Permission, Relation, authorize, is_staff, task_relations
from handlers.common.categories import category_name, match_skills
from handlers.common.context import Ctx
from handlers.common.errors import InvalidTransition, LinliError, NotAllowed, UnknownTask, refusal
from handlers.common.hours import check_hours
from handlers.common.notify import mask_phones, name_of, private_chat, privately, tell_person
from handlers.common.people import person_named
from handlers.common.texts import t
from handlers.common.turn import Turn, command_language
from handlers.understanding.timeparse import parse_duration
from handlers.understanding.understand import understand
from storage.lovebank_models import RecordKind, ServiceRecord
from storage.models import Incoming, Person, Reply, Role, Task, TaskState, TaskUpdate

log = logging.getLogger(__name__)

STATEMENT_JOB = "monthly_statement"
_DESCRIPTION_CHARS = 120
_PASSBOOK_LINES = 8
_TOP = 10

_PASSBOOK = re.compile(
    r"^\s*(?:/passbook|/存折|/存摺|存折|存摺|我的存折|我的存摺|爱心存折|愛心存摺|查存折|查存摺|my passbook)"
    r"(?:@\S+)?\s*(.*?)\s*$",
    re.I,
)
_HOURS = re.compile(r"^\s*(?:/hours|/时长|/時長|/工时|/工時)(?:@\S+)?\s*(?:[#＃](\d+)\s*)?(.*?)\s*$", re.I)
_RECORD = re.compile(r"^\s*(?:/record|/记录|/記錄)(?:@\S+)?\s+(\S+)\s+(\S+)\s*(.*?)\s*$", re.I | re.S)
_CORRECT = re.compile(
    r"^\s*(?:/correct|/更正)(?:@\S+)?\s+(?:no\.?\s*|[#＃])?(\d+)\s+(\S+)\s*(.*?)\s*$", re.I | re.S
)
_SUMMARY = re.compile(r"^\s*(?:/summary|/汇总|/匯總|/月报|/月報)(?:@\S+)?\s*(?:(\d{4})-(\d{1,2}))?\s*$", re.I)
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


# -- numbers ----------------------------------------------------------------------------------


def fmt_hours(hours: float) -> str:
    """1.5 → '1.5', 10.0 → '10': hours as people write them."""
    return f"{round(hours, 2):g}"


def stars_for(hours: float, thresholds: tuple[float, ...]) -> int:
    """How many stars a year's hours earn (10 h → 1, 25 h → 2 with the seed's thresholds)."""
    return sum(1 for threshold in sorted(thresholds) if hours + 1e-9 >= threshold)


def year_span(ctx: Ctx, year: int) -> tuple[datetime, datetime]:
    """The calendar year in the community's timezone, as [start, end)."""
    tz = ctx.settings.tz
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def month_span(ctx: Ctx, year: int, month: int) -> tuple[datetime, datetime]:
    """One calendar month in the community's timezone, as [start, end)."""
    tz = ctx.settings.tz
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return datetime(year, month, 1, tzinfo=tz), datetime(nxt[0], nxt[1], 1, tzinfo=tz)


def parse_hours(text: str) -> float | None:
    """Reads '2', '1.5', '两个小时', '90分钟' as hours; None when it is not a sensible duration."""
    text = text.strip().lower().removesuffix("h").strip()
    if _NUMBER.match(text):
        value = float(text)
        return value if 0 < value <= 24 else None
    return parse_duration(text)


def local_day(ctx: Ctx, moment: datetime) -> str:
    """'11-25' in the community's timezone."""
    return moment.astimezone(ctx.settings.tz).strftime("%m-%d")


# -- records from the queue -------------------------------------------------------------------


async def record_confirmed_task(
    ctx: Ctx, task: Task, witness: Person, platform: str | None, hours: float | None = None
) -> list[Reply]:
    """Writes the passbook line for a confirmed task, draws on banked hours, and congratulates new stars."""
    if task.claimer_id is None:
        return []
    hours = hours or task.duration_hours or ctx.settings.hours_for(task.category)
    requester = await ctx.repo.get_person(task.requester_id)
    now = ctx.now()
    record, fresh = await ctx.repo.add_record(
        kind=RecordKind.SERVICE,
        person_id=task.claimer_id,
        hours=hours,
        served_at=now,
        at=now,
        counterpart_id=task.requester_id,
        task_id=task.id,
        building=task.building or (requester.building if requester else None),
        room=task.room or (requester.room if requester else None),
        category=task.category,
        description=_task_description(task, ctx),
        witness_id=witness.id,
        created_by=witness.id,
    )
    if not fresh:
        return []
    replies = await check_stars(ctx, task.claimer_id, record.served_at, platform)
    replies += await _draw_on_bank(ctx, task, hours, platform)
    return replies


def _task_description(task: Task, ctx: Ctx) -> str:
    """The ledger's words for a task: its category, never the request's text (which may carry a
    phone, a room or an illness, and the ledger is append-only: it could never be erased)."""
    return f"{category_name(task.category, ctx.settings.language)} #{task.id}"


def _describe(text: str) -> str:
    line = " ".join(mask_phones(text).split())
    return line if len(line) <= _DESCRIPTION_CHARS else line[: _DESCRIPTION_CHARS - 1] + "…"


async def _draw_on_bank(ctx: Ctx, task: Task, hours: float, platform: str | None) -> list[Reply]:
    """A priority request served: the hours it took are taken from the requester's banked hours."""
    if task.priority <= 0 or task.emergency or task.claimer_id in (None, task.requester_id):
        return []
    now = ctx.now()
    used = round(min(await ctx.repo.balance(task.requester_id), hours), 2)
    if used <= 0:
        return []
    record, fresh = await ctx.repo.add_record(
        kind=RecordKind.WITHDRAWAL,
        person_id=task.requester_id,
        hours=-used,
        served_at=now,
        at=now,
        counterpart_id=task.claimer_id,
        task_id=task.id,
        building=task.building,
        room=task.room,
        category=task.category,
        description=_task_description(task, ctx),
        created_by=task.requester_id,
    )
    if not fresh:
        return []
    return await tell_person(
        ctx,
        task.requester_id,
        "lovebank.withdrawn",
        platform,
        id=task.id,
        hours=fmt_hours(used),
        balance=fmt_hours(record.balance_after),
    )


async def request_priority(ctx: Ctx, person: Person) -> int:
    """1 (⭐, served first) when the requester has banked enough hours, else 0."""
    return 1 if await ctx.repo.balance(person.id) >= max(ctx.settings.priority_min_hours, 0.01) else 0


async def check_stars(ctx: Ctx, person_id: int, served_at: datetime, platform: str | None) -> list[Reply]:
    """Awards every star level the year's hours reached; one kind message for the highest new one."""
    year = served_at.astimezone(ctx.settings.tz).year
    ledger = await ctx.repo.ledger(person_id, *year_span(ctx, year))
    level = stars_for(ledger.period_hours, ctx.settings.star_thresholds)
    newest = 0
    for stars in range(1, level + 1):
        if await ctx.repo.award_star(person_id, year, stars, ledger.period_hours, ctx.now()):
            newest = stars
    if not newest:
        return []
    name = await name_of(ctx, person_id)
    log.info("%s reached %s star(s) in %s with %s h", name, newest, year, ledger.period_hours)
    return await tell_person(
        ctx,
        person_id,
        "star.reached",
        platform,
        name=name,
        hours=fmt_hours(ledger.period_hours),
        stars="⭐" * newest,
        level=newest,
    )


# -- the passbook ---------------------------------------------------------------------------------


async def passbook_text(ctx: Ctx, person: Person, language: str | None, limit: int = _PASSBOOK_LINES) -> str:
    """The passbook as a chat message: this year's hours and stars, totals, and the latest lines."""
    year = ctx.now().astimezone(ctx.settings.tz).year
    ledger = await ctx.repo.ledger(person.id, *year_span(ctx, year))
    thresholds = tuple(sorted(ctx.settings.star_thresholds))
    stars = stars_for(ledger.period_hours, thresholds)
    text = t(
        language,
        "passbook.head",
        name=person.name,
        year=year,
        year_hours=fmt_hours(ledger.period_hours),
        stars="⭐" * stars if stars else t(language, "passbook.no_star"),
        total=fmt_hours(ledger.total_hours),
        balance=fmt_hours(ledger.balance),
    )
    if stars < len(thresholds):
        text += "\n" + t(
            language,
            "passbook.next",
            gap=fmt_hours(thresholds[stars] - ledger.period_hours),
            stars="⭐" * (stars + 1),
            level=stars + 1,
        )
    records = await ctx.repo.records_of(person.id, limit)
    if not records:
        return text + "\n" + t(language, "passbook.empty")
    lines = [await record_line(ctx, record, language) for record in records]
    return text + "\n" + t(language, "passbook.recent") + "\n" + "\n".join(lines)


async def record_line(ctx: Ctx, record: ServiceRecord, language: str | None) -> str:
    """One passbook line: date, hours, what, for whom, where, witness and the running total."""
    day = local_day(ctx, record.served_at)
    if record.kind is RecordKind.WITHDRAWAL:
        return t(
            language,
            "passbook.line.withdrawal",
            no=record.id,
            date=day,
            hours=fmt_hours(-record.hours),
            id=record.task_id or "",
            helper=await name_of(ctx, record.counterpart_id),
            balance=fmt_hours(record.balance_after),
        )
    if record.kind is RecordKind.CORRECTION:
        return t(
            language,
            "passbook.line.correction",
            no=record.id,
            date=day,
            hours=f"{record.hours:+g}",
            corrects=record.corrects_id or "",
            reason=record.reason or "",
            total=fmt_hours(record.total_after),
        )
    place = " ".join(p for p in (record.building, record.room) if p)
    served = await name_of(ctx, record.counterpart_id)
    return t(
        language,
        "passbook.line.service",
        no=record.id,
        date=day,
        hours=fmt_hours(record.hours),
        what=category_name(record.category, language),
        served=served or record.description[:12],
        place=f"({place})" if place else "",
        witness=await name_of(ctx, record.witness_id) or "-",
        total=fmt_hours(record.total_after),
    )


# -- statements, summaries, the digest ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StarReached:
    """A volunteer who reached a star level on a given day (a line in the staff digest)."""

    person_id: int
    name: str
    building: str | None
    stars: int
    hours: float


async def stars_reached(ctx: Ctx, day: date) -> list[StarReached]:
    """Who reached a star on ``day`` (community time), for the daily digest."""
    tz = ctx.settings.tz
    start = datetime.combine(day, time(0, 0), tzinfo=tz)
    reached: dict[int, StarReached] = {}
    for award in await ctx.repo.stars_between(start, start + timedelta(days=1)):
        person = await ctx.repo.get_person(award.person_id)
        if person is None:
            continue
        previous = reached.get(person.id)
        if previous is None or award.stars > previous.stars:
            reached[person.id] = StarReached(
                person.id, person.name, person.building, award.stars, award.hours
            )
    return list(reached.values())


async def stars_digest_lines(ctx: Ctx, day: date, language: str | None) -> list[str]:
    """Ready-made digest lines: '⭐ 小李 今年已服务 10 小时,成为 1 星志愿者'."""
    return [
        t(language, "digest.star", name=s.name, hours=fmt_hours(s.hours), stars="⭐" * s.stars, level=s.stars)
        for s in await stars_reached(ctx, day)
    ]


def previous_month(moment: datetime) -> tuple[int, int]:
    """(year, month) of the month before ``moment``."""
    return (moment.year - 1, 12) if moment.month == 1 else (moment.year, moment.month - 1)


async def send_monthly_statements(ctx: Ctx, month: tuple[int, int] | None = None) -> list[Reply]:
    """Sends last month's statement to each holder privately and the community summary to staff, once.

    Without ``month`` it does nothing before the configured statement day, so a
    daily job both sends on the day and catches up after downtime.
    """
    now = ctx.now().astimezone(ctx.settings.tz)
    if month is None:
        if now.day < ctx.settings.statement_day:
            return []
        month = previous_month(now)
    year, number = month
    period = f"{year:04d}-{number:02d}"
    if not await ctx.repo.mark_job_run(STATEMENT_JOB, period, ctx.now()):
        log.info("monthly statements for %s were already sent", period)
        return []
    start, end = month_span(ctx, year, number)
    records = await ctx.repo.records_between(start, end)
    year_start, year_end = year_span(ctx, year)
    replies: list[Reply] = []
    holders = sorted({r.person_id for r in records})
    for holder in holders:
        mine = [r for r in records if r.person_id == holder]
        served = sum(r.hours for r in mine if r.served)
        used = -sum(r.hours for r in mine if r.kind is RecordKind.WITHDRAWAL)
        ledger = await ctx.repo.ledger(holder, year_start, min(year_end, end))
        stars = stars_for(ledger.period_hours, ctx.settings.star_thresholds)
        replies += await tell_person(
            ctx,
            holder,
            "statement.volunteer",
            month=number,
            count=sum(1 for r in mine if r.kind is RecordKind.SERVICE),
            hours=fmt_hours(served),
            used=fmt_hours(used),
            year_hours=fmt_hours(ledger.period_hours),
            stars="⭐" * stars,
            balance=fmt_hours(ledger.balance),
        )
    if not records:
        return replies  # a quiet month (or a fresh install): staff need no empty summary
    for staff in await ctx.repo.persons_with_role(Role.STAFF, Role.ADMIN):
        replies += await _tell_text(ctx, staff, await community_summary(ctx, records, staff.language, period))
    log.info("monthly statements for %s: %d holders, %d records", period, len(holders), len(records))
    return replies


async def _tell_text(ctx: Ctx, person: Person, text: str) -> list[Reply]:
    chat = await private_chat(ctx, person.id)
    return [] if chat is None else [Reply(chat=chat, text=text)]


async def community_summary(ctx: Ctx, records: list[ServiceRecord], language: str | None, period: str) -> str:
    """Staff's view of a period: hours by volunteer, by category and by building."""
    language = language or ctx.settings.language
    served = [r for r in records if r.served]
    by_volunteer: dict[int, float] = defaultdict(float)
    by_category: dict[str, float] = defaultdict(float)
    by_building: dict[str, float] = defaultdict(float)
    for record in served:
        by_volunteer[record.person_id] += record.hours
        by_category[category_name(record.category, language)] += record.hours
        by_building[record.building or t(language, "summary.no_building")] += record.hours
    used = -sum(r.hours for r in records if r.kind is RecordKind.WITHDRAWAL)
    names = [(await name_of(ctx, pid), hours) for pid, hours in by_volunteer.items()]
    return t(
        language,
        "summary.staff",
        period=period,
        count=sum(1 for r in served if r.kind is RecordKind.SERVICE),
        hours=fmt_hours(sum(r.hours for r in served)),
        people=len(by_volunteer),
        used=fmt_hours(used),
        by_volunteer=_ranking(names) or "-",
        by_category=_ranking(list(by_category.items())) or "-",
        by_building=_ranking(list(by_building.items())) or "-",
    )


def _ranking(pairs: list[tuple[str, float]]) -> str:
    ranked = sorted(
        ((name, hours) for name, hours in pairs if abs(hours) > 1e-9), key=lambda p: (-p[1], p[0])
    )
    return "、".join(f"{name} {fmt_hours(hours)}h" for name, hours in ranked[:_TOP])


# -- commands ----------------------------------------------------------------------------------


async def on_timebank_command(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """存折 / /passbook, /hours, /record, /correct, /summary: the love bank in chat."""
    try:
        return await _timebank_command(msg, ctx, turn)
    except LinliError as error:
        log.info("refused %s from %s: %s", msg.text[:40], turn.person.name, error)
        return refusal(msg, error, command_language(ctx, turn))


async def _timebank_command(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    if msg.action is not None or not msg.text:
        return None
    text = msg.text.strip()
    if not (text.startswith("/") or _PASSBOOK.match(text)):
        return None
    language = command_language(ctx, turn)
    if found := _PASSBOOK.match(text):
        return await _passbook(msg, ctx, turn, found.group(1), language)
    if found := _HOURS.match(text):
        return await _report_hours(msg, ctx, turn, found.group(1), found.group(2), language)
    if found := _RECORD.match(text):
        authorize(Permission.RECORD_SERVICE, turn.person, language=language)
        return await _record_offline(msg, ctx, turn, found.group(1), found.group(2), found.group(3), language)
    if found := _CORRECT.match(text):
        authorize(Permission.CORRECT_RECORD, turn.person, language=language)
        return await _correct(msg, ctx, turn, int(found.group(1)), found.group(2), found.group(3), language)
    if found := _SUMMARY.match(text):
        authorize(Permission.SUMMARY, turn.person, language=language)
        now = ctx.now().astimezone(ctx.settings.tz)
        year, month = (int(found.group(1)), int(found.group(2))) if found.group(1) else (now.year, now.month)
        if not 1 <= month <= 12:
            return [Reply(chat=msg.chat, text=t(language, "summary.usage"), reply_to=msg.message_id)]
        records = await ctx.repo.records_between(*month_span(ctx, year, month))
        summary = await community_summary(ctx, records, language, f"{year:04d}-{month:02d}")
        return await privately(msg, ctx, turn, summary)
    return None


async def find_named(ctx: Ctx, name: str, actor: Person | None = None) -> Person | None:
    """The one person called ``name`` (common.people: proven accounts only, choices if several)."""
    return await person_named(ctx, name, actor)


async def _passbook(msg: Incoming, ctx: Ctx, turn: Turn, whose: str, language: str) -> list[Reply]:
    subject = turn.person
    if whose:
        found = await find_named(ctx, whose, turn.person)
        if found is None:
            return [
                Reply(chat=msg.chat, text=t(language, "person.unknown", name=whose), reply_to=msg.message_id)
            ]
        relation = frozenset({Relation.SELF}) if found.id == turn.person.id else frozenset()
        authorize(Permission.PASSBOOK_OTHER, turn.person, relation, language)
        subject = found
    else:
        authorize(Permission.PASSBOOK, turn.person, language=language)
    return await privately(msg, ctx, turn, await passbook_text(ctx, subject, language))


async def _report_hours(
    msg: Incoming, ctx: Ctx, turn: Turn, task_number: str | None, amount: str, language: str
) -> list[Reply]:
    hours = parse_hours(amount)
    if hours is None:
        return [Reply(chat=msg.chat, text=t(language, "hours.usage"), reply_to=msg.message_id)]
    task: Task | None
    if task_number:
        task = await ctx.repo.get_task(int(task_number))
        if task is None:
            raise UnknownTask(f"no task {task_number}", id=int(task_number))
    else:
        mine = [
            task
            for task in await ctx.repo.list_tasks(states=[TaskState.CLAIMED, TaskState.DONE], limit=1000)
            if task.claimer_id == turn.person.id
        ]
        task = max(mine, key=lambda task: (task.updated_at or task.created_at, task.id)) if mine else None
        if task is None:
            return [Reply(chat=msg.chat, text=t(language, "hours.no_task"), reply_to=msg.message_id)]
    authorize(Permission.REPORT_HOURS, turn.person, task_relations(task, turn.person), language)
    if task.state not in (TaskState.CLAIMED, TaskState.DONE):
        if task.state is TaskState.CONFIRMED:
            return [
                Reply(chat=msg.chat, text=t(language, "hours.confirmed", id=task.id), reply_to=msg.message_id)
            ]
        raise InvalidTransition(
            "hours on a closed task",
            id=task.id,
            state=t(language, f"state.{task.state}"),
            action=t(language, "action.hours"),
        )
    if not is_staff(turn.person) or task.claimer_id == turn.person.id:  # other staff approve more
        check_hours(hours, task, ctx, language)
    await ctx.repo.update_task(task.id, TaskUpdate(duration_hours=hours))
    if task.claimer_id is not None:  # who set (or, above the cap, approved) which hours, and when
        kind = "hours_approved" if hours > ctx.settings.hours_cap else "hours_reported"
        detail = f"#{task.id} {fmt_hours(hours)}h"
        await ctx.repo.record_person_event(task.claimer_id, kind, turn.person.id, detail, ctx.now())
    return [
        Reply(
            chat=msg.chat,
            text=t(language, "hours.set", id=task.id, hours=fmt_hours(hours)),
            reply_to=msg.message_id,
        )
    ]


async def _record_offline(
    msg: Incoming, ctx: Ctx, turn: Turn, name: str, amount: str, what: str, language: str
) -> list[Reply]:
    """Staff record service done outside the queue (the monthly 16th activity, a visit)."""
    hours = parse_hours(amount)
    volunteer = await find_named(ctx, name, turn.person)
    if hours is None or not what:
        return [Reply(chat=msg.chat, text=t(language, "record.usage"), reply_to=msg.message_id)]
    if volunteer is None:
        return [Reply(chat=msg.chat, text=t(language, "person.unknown", name=name), reply_to=msg.message_id)]
    if volunteer.id == turn.person.id:  # staff's own hours need a second staff member as witness
        raise NotAllowed("self-record", reason=t(language, "reason.needs_witness"))
    now = ctx.now()
    category = understand(what, now.astimezone(ctx.settings.tz)).category
    category = category or next(iter(match_skills(what)), "other")
    record, _ = await ctx.repo.add_record(
        kind=RecordKind.SERVICE,
        person_id=volunteer.id,
        hours=hours,
        served_at=now,
        at=now,
        building=volunteer.building,
        category=category,
        description=_describe(what),
        witness_id=turn.person.id,
        created_by=turn.person.id,
    )
    replies = await privately(
        msg,
        ctx,
        turn,
        t(
            language,
            "record.done",
            no=record.id,
            name=volunteer.name,
            hours=fmt_hours(hours),
            total=fmt_hours(record.total_after),
        ),
    )
    if volunteer.id != turn.person.id:
        replies += await tell_person(
            ctx,
            volunteer.id,
            "record.told",
            msg.platform,
            hours=fmt_hours(hours),
            what=_describe(what),
            witness=turn.person.name,
            total=fmt_hours(record.total_after),
        )
    replies += await check_stars(ctx, volunteer.id, record.served_at, msg.platform)
    return replies


async def effective_hours(ctx: Ctx, record: ServiceRecord) -> float:
    """A line's hours after every correction made to it."""
    later = await ctx.repo.records_of(record.person_id, limit=100_000)
    return record.hours + sum(r.hours for r in later if r.corrects_id == record.id)


async def _correct(
    msg: Incoming, ctx: Ctx, turn: Turn, number: int, amount: str, reason: str, language: str
) -> list[Reply]:
    """Staff correct a line by appending a new one that points at it, with a reason."""
    original = await ctx.repo.get_record(number)
    hours = parse_hours(amount) if amount not in ("0", "0.0") else 0.0
    if hours is None or not reason:
        return [Reply(chat=msg.chat, text=t(language, "correct.usage"), reply_to=msg.message_id)]
    if original is not None and original.kind is RecordKind.CORRECTION and original.corrects_id:
        original = await ctx.repo.get_record(original.corrects_id)
    if original is None:
        return [Reply(chat=msg.chat, text=t(language, "correct.unknown", no=number), reply_to=msg.message_id)]
    sign = -1.0 if original.kind is RecordKind.WITHDRAWAL else 1.0
    before = await effective_hours(ctx, original)
    delta = round(sign * hours - before, 4)
    if abs(delta) < 1e-9:
        return [
            Reply(chat=msg.chat, text=t(language, "correct.same", no=original.id), reply_to=msg.message_id)
        ]
    record, _ = await ctx.repo.add_record(
        kind=RecordKind.CORRECTION,
        person_id=original.person_id,
        hours=delta,
        served_at=original.served_at,
        at=ctx.now(),
        counterpart_id=original.counterpart_id,
        task_id=original.task_id,
        building=original.building,
        room=original.room,
        category=original.category,
        description=original.description,
        witness_id=turn.person.id,
        corrects_id=original.id,
        reason=reason[:200],
        created_by=turn.person.id,
    )
    holder = await name_of(ctx, original.person_id)
    params = {
        "no": original.id,
        "old": fmt_hours(abs(before)),
        "new": fmt_hours(hours),
        "reason": reason[:200],
    }
    replies = await privately(
        msg,
        ctx,
        turn,
        t(language, "correct.done", name=holder, total=fmt_hours(record.total_after), **params),
    )
    if original.person_id != turn.person.id:
        replies += await tell_person(
            ctx, original.person_id, "correct.told", msg.platform, staff=turn.person.name, **params
        )
    if delta > 0 and original.served:
        replies += await check_stars(ctx, original.person_id, original.served_at, msg.platform)
    return replies
