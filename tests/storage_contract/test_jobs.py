"""What scheduled jobs did: every run, digest and reminder is claimed once, however many race for it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from storage.base import Repository
from storage.models import ChatRef
from tests.storage_contract.conftest import START

DAY = START.date()


async def test_a_job_run_is_claimed_once_per_period(repo: Repository) -> None:
    runs = await asyncio.gather(*(repo.mark_job_run("statements", "2026-11", START) for _ in range(10)))
    assert sum(runs) == 1
    assert await repo.mark_job_run("statements", "2026-12", START)
    assert await repo.mark_job_run("stars", "2026-11", START)  # another job, the same period


async def test_a_digest_is_claimed_once_a_day(repo: Repository) -> None:
    assert not await repo.digest_sent(DAY)
    claims = await asyncio.gather(*(repo.claim_digest(DAY, START) for _ in range(5)))
    assert sum(claims) == 1
    assert await repo.digest_sent(DAY)
    assert not await repo.digest_sent(DAY + timedelta(days=1))


async def test_a_reminder_is_counted_once_per_expected_count(repo: Repository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    task = await repo.create_task(text="买菜", requester_id=wang.id, at=START)
    assert await repo.reminder_of(task.id, "announce") is None
    first = await asyncio.gather(
        *(repo.record_reminder(task.id, "announce", expect_count=0, at=START) for _ in range(5))
    )
    assert sum(first) == 1
    later = START + timedelta(minutes=15)
    second = await asyncio.gather(
        *(repo.record_reminder(task.id, "announce", expect_count=1, at=later) for _ in range(5))
    )
    assert sum(second) == 1
    assert await repo.reminder_of(task.id, "announce") == (2, later)
    assert await repo.reminder_of(task.id, "nudge") is None


async def test_a_group_gets_at_most_its_cap_of_reminders_a_day(repo: Repository) -> None:
    group = ChatRef("console", "g1")
    taken = await asyncio.gather(*(repo.take_chat_reminder(group, DAY, 3) for _ in range(10)))
    assert sum(taken) == 3
    assert await repo.chat_reminders_on(group, DAY) == 3
    assert await repo.take_chat_reminder(group, DAY + timedelta(days=1), 3)
    assert await repo.chat_reminders_on(ChatRef("console", "g2"), DAY) == 0
