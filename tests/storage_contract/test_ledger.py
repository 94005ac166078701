"""The love bank's passbook: lines only added, running totals right even when written side by side."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from storage.base import Repository
from storage.lovebank_models import Ledger, RecordKind
from tests.storage_contract.conftest import START

DAY = timedelta(days=1)


async def test_lines_carry_the_running_totals_and_corrections_count_like_what_they_correct(
    repo: Repository,
) -> None:
    li = await repo.resolve_identity("console", "li", "小李")
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    task = await repo.create_task(text="买菜", requester_id=wang.id, at=START)
    served, fresh = await repo.add_record(
        kind=RecordKind.SERVICE,
        person_id=li.id,
        hours=2.0,
        served_at=START,
        at=START,
        counterpart_id=wang.id,
        task_id=task.id,
        building="3号楼",
        category="shopping",
        description="买菜",
        witness_id=wang.id,
    )
    assert fresh and served.served and (served.total_after, served.balance_after) == (2.0, 2.0)
    again, fresh_again = await repo.add_record(
        kind=RecordKind.SERVICE, person_id=li.id, hours=5.0, served_at=START, at=START, task_id=task.id
    )
    assert not fresh_again and again == served  # a task gives one line per kind and holder
    fixed, _ = await repo.add_record(
        kind=RecordKind.CORRECTION,
        person_id=li.id,
        hours=-0.5,
        served_at=START,
        at=START + DAY,
        corrects_id=served.id,
        reason="只用了一个半小时",
    )
    assert fixed.served and (fixed.total_after, fixed.balance_after) == (1.5, 1.5)
    used, _ = await repo.add_record(
        kind=RecordKind.WITHDRAWAL, person_id=li.id, hours=-1.0, served_at=START + DAY, at=START + DAY
    )
    assert not used.served and (used.total_after, used.balance_after) == (1.5, 0.5)
    assert await repo.balance(li.id) == 0.5
    assert await repo.get_record(served.id) == served
    assert [r.id for r in await repo.records_of(li.id)] == [used.id, fixed.id, served.id]
    assert [r.id for r in await repo.records_for_task(task.id)] == [served.id, fixed.id]
    assert await repo.served_before(li.id, wang.id)
    assert not await repo.served_before(wang.id, li.id)
    with pytest.raises(KeyError):
        await repo.add_record(
            kind=RecordKind.CORRECTION,
            person_id=li.id,
            hours=1.0,
            served_at=START,
            at=START,
            corrects_id=served.id + 1000,
        )


async def test_ledgers_sum_ever_and_in_a_period(repo: Repository) -> None:
    li = await repo.resolve_identity("console", "li", "小李")
    zhao = await repo.resolve_identity("console", "zhao", "小赵")
    for person, hours, served_at in (
        (li.id, 1.0, START - 40 * DAY),
        (li.id, 2.0, START),
        (zhao.id, 2.5, START),
    ):
        await repo.add_record(
            kind=RecordKind.SERVICE, person_id=person, hours=hours, served_at=served_at, at=START
        )
    period = (START - DAY, START + DAY)
    assert await repo.ledger(li.id, *period) == Ledger(
        li.id, total_hours=3.0, period_hours=2.0, balance=3.0, records=2
    )
    assert await repo.ledger(li.id + 1000, *period) == Ledger(li.id + 1000)
    assert [ledger.person_id for ledger in await repo.ledgers(*period)] == [zhao.id, li.id]
    assert [r.hours for r in await repo.records_between(*period)] == [2.0, 2.5]


async def test_lines_written_side_by_side_keep_the_totals_right(repo: Repository) -> None:
    li = await repo.resolve_identity("console", "li", "小李")
    await asyncio.gather(
        *(
            repo.add_record(kind=RecordKind.SERVICE, person_id=li.id, hours=0.5, served_at=START, at=START)
            for _ in range(20)
        )
    )
    lines = await repo.records_of(li.id, limit=50)
    assert sorted(line.total_after for line in lines) == [0.5 * n for n in range(1, 21)]
    assert await repo.balance(li.id) == 10.0


async def test_a_star_level_is_awarded_once_a_year(repo: Repository) -> None:
    li = await repo.resolve_identity("console", "li", "小李")
    assert await repo.award_star(li.id, 2026, 1, 10.0, START)
    assert not await repo.award_star(li.id, 2026, 1, 12.0, START + DAY)
    assert await repo.award_star(li.id, 2027, 1, 10.0, START + 365 * DAY)
    awards = await repo.stars_between(START - DAY, START + DAY)
    assert [(a.person_id, a.year, a.stars, a.hours, a.reached_at) for a in awards] == [
        (li.id, 2026, 1, 10.0, START)
    ]
