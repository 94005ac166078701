"""Transactions: all or nothing, nested units undone alone, tasks gathered inside one share it."""

from __future__ import annotations

import asyncio

import pytest

from storage.base import Repository
from tests.storage_contract.conftest import START


async def test_an_error_rolls_back_everything_the_transaction_did(repo: Repository) -> None:
    person = await repo.resolve_identity("console", "u1", "王奶奶")
    with pytest.raises(RuntimeError):
        async with repo.transaction():
            await repo.create_task(text="x", requester_id=person.id, at=START)
            await repo.resolve_identity("console", "u2", "小李")
            raise RuntimeError("boom")
    assert await repo.list_tasks() == []
    assert await repo.person_by_identity("console", "u2") is None


async def test_a_failed_nested_unit_is_undone_alone(repo: Repository) -> None:
    person = await repo.resolve_identity("console", "u1", "王奶奶")
    async with repo.transaction():
        await repo.create_task(text="kept", requester_id=person.id, at=START)
        with pytest.raises(ValueError):
            async with repo.transaction():
                await repo.create_task(text="dropped", requester_id=person.id, at=START)
                raise ValueError
        await repo.create_task(text="after", requester_id=person.id, at=START)
    assert [t.text for t in await repo.list_tasks()] == ["kept", "after"]


async def test_tasks_gathered_inside_a_transaction_use_it(repo: Repository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    async with asyncio.timeout(5), repo.transaction():
        person, identities = await asyncio.gather(repo.get_person(wang.id), repo.identities_of(wang.id))
        # nested units started side by side take turns, each undone alone if it fails
        await asyncio.gather(
            *(repo.create_task(text=str(n), requester_id=wang.id, at=START) for n in range(3))
        )
    assert person == wang
    assert [i.user_id for i in identities] == ["wang"]
    assert sorted(task.text for task in await repo.list_tasks()) == ["0", "1", "2"]


async def test_what_a_transaction_wrote_is_read_back_inside_it(repo: Repository) -> None:
    async with repo.transaction():
        person = await repo.resolve_identity("console", "u1", "王奶奶")
        task = await repo.create_task(text="买菜", requester_id=person.id, at=START)
        assert await repo.get_task(task.id) == task
        assert await repo.get_person(person.id) == person
