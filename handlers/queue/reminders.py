"""Nobody claims (flow 5): re-announce unclaimed tasks, nudge volunteers past their window — quietly.

``renudge_open_tasks`` is a job: the scheduler calls it every minute and sends what
it returns.  What was already reminded lives in the database (``task_reminders``),
and every group has a daily cap (``chat_reminders``), so a restart repeats nothing
and a busy day does not turn the bot into noise.
"""

from __future__ import annotations

import logging
from datetime import date, time, timedelta

from handlers.common.context import Ctx, ReminderSettings
from handlers.common.notify import tell_person, tell_staff
from handlers.common.texts import t
from handlers.queue.cards import card_replies, summary
from storage.models import ChatRef, Reply, Task, TaskState

log = logging.getLogger(__name__)

ANNOUNCE = "announce"
NUDGE = "nudge"
SCAN_LIMIT = 500


def in_quiet_hours(moment: time, settings: ReminderSettings) -> bool:
    """True at night (21:30–07:30 by default): no group posts and no nudges then."""
    start, end = settings.quiet_start, settings.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def first_delay(task: Task, settings: ReminderSettings) -> timedelta:
    """15 minutes for an urgent task, 4 hours for a normal one (configurable)."""
    minutes = settings.urgent_after_minutes if task.urgency == "urgent" else settings.normal_after_minutes
    return timedelta(minutes=minutes)


async def renudge_open_tasks(ctx: Ctx) -> list[Reply]:
    """Re-announces unclaimed tasks (staff hear of urgent ones) and nudges volunteers past their window."""
    replies = await reannounce_unclaimed(ctx)
    replies += await nudge_overdue_claims(ctx)
    return replies


async def reannounce_unclaimed(ctx: Ctx) -> list[Reply]:
    """Posts the card of each task nobody claimed again, at most daily after the first time."""
    settings = ctx.settings.reminders
    now = ctx.now()
    local = now.astimezone(ctx.settings.tz)
    quiet = in_quiet_hours(local.time(), settings)
    earliest = min(settings.urgent_after_minutes, settings.normal_after_minutes)
    tasks = await ctx.repo.list_tasks(
        states=[TaskState.OPEN],
        emergency=False,
        created_before=now - timedelta(minutes=earliest) + timedelta(microseconds=1),
        limit=SCAN_LIMIT,
    )
    replies: list[Reply] = []
    for task in tasks:
        urgent = task.urgency == "urgent"
        state = await ctx.repo.reminder_of(task.id, ANNOUNCE)
        count = state[0] if state else 0
        due = task.created_at + first_delay(task, settings)
        if state is not None:
            due = state[1] + timedelta(minutes=settings.repeat_after_minutes)
        if now < due or (task.window_end is not None and task.window_end < now):
            continue
        tell_staff_now = urgent and count == 0
        cards = [] if quiet else await _cards_within_cap(task, ctx, local.date())
        if not cards and not tell_staff_now:
            continue
        if not await ctx.repo.record_reminder(task.id, ANNOUNCE, expect_count=count, at=now):
            continue
        replies += cards
        if tell_staff_now:
            minutes = int((now - task.created_at).total_seconds() // 60)
            replies += await tell_staff(
                ctx, "reminder.urgent_staff", id=task.id, minutes=minutes, summary=summary(task)
            )
        log.info("task #%s re-announced in %d groups (reminder %d)", task.id, len(cards), count + 1)
    return replies


async def _cards_within_cap(task: Task, ctx: Ctx, day: date) -> list[Reply]:
    """The card again, as a new message, in every group that still has a reminder left today."""
    settings = ctx.settings.reminders
    replies = []
    for card in await card_replies(task, ctx, edit=False):
        chat = ChatRef(card.chat.platform, card.chat.chat_id)
        if not await ctx.repo.take_chat_reminder(chat, day, settings.group_daily_cap):
            log.info("group %s reached its reminder cap; #%s waits", chat.chat_id, task.id)
            continue
        language = task.language or ctx.settings.language
        replies.append(
            Reply(
                chat=card.chat,
                text=t(language, "reminder.header") + "\n" + card.text,
                buttons=card.buttons,
                card_of=card.card_of,
            )
        )
    return replies


async def nudge_overdue_claims(ctx: Ctx) -> list[Reply]:
    """A claimed task past its window: its volunteer hears privately (again at most daily)."""
    settings = ctx.settings.reminders
    now = ctx.now()
    if in_quiet_hours(now.astimezone(ctx.settings.tz).time(), settings):
        return []
    replies: list[Reply] = []
    for task in await ctx.repo.list_tasks(states=[TaskState.CLAIMED], emergency=False, limit=SCAN_LIMIT):
        if task.window_end is None or task.claimer_id is None:
            continue
        if now < task.window_end + timedelta(minutes=settings.nudge_after_minutes):
            continue
        state = await ctx.repo.reminder_of(task.id, NUDGE)
        if state is not None and now < state[1] + timedelta(minutes=settings.repeat_after_minutes):
            continue
        if not await ctx.repo.record_reminder(task.id, NUDGE, expect_count=state[0] if state else 0, at=now):
            continue
        replies += await tell_person(
            ctx, task.claimer_id, "reminder.nudge", id=task.id, summary=summary(task)
        )
        log.info("nudged the volunteer of #%s", task.id)
    return replies


__all__ = ["in_quiet_hours", "nudge_overdue_claims", "reannounce_unclaimed", "renudge_open_tasks"]
