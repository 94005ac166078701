"""Platform leases: one holder at a time, renewed by it, taken by another once it runs out."""

from __future__ import annotations

import asyncio

from storage.base import Repository

NAME = "platform:telegram"


async def test_a_lease_has_one_holder_until_it_runs_out(repo: Repository) -> None:
    assert await repo.lease_holder(NAME) is None
    assert await repo.take_lease(NAME, "a", 0.5)
    assert not await repo.take_lease(NAME, "b", 0.5)  # a holds it
    assert await repo.take_lease(NAME, "a", 0.5)  # a renews it
    assert await repo.lease_holder(NAME) == "a"
    await asyncio.sleep(0.6)  # a stopped renewing
    assert await repo.lease_holder(NAME) is None
    assert await repo.take_lease(NAME, "b", 0.5)
    assert not await repo.take_lease(NAME, "a", 0.5)
    assert await repo.lease_holder(NAME) == "b"


async def test_racing_takers_get_one_lease_and_other_names_are_apart(repo: Repository) -> None:
    taken = await asyncio.gather(*(repo.take_lease(NAME, f"instance-{n}", 30) for n in range(10)))
    assert sum(taken) == 1
    assert await repo.take_lease("platform:wechat", "instance-0", 30)


async def test_a_dropped_lease_is_free_at_once_and_only_its_holder_drops_it(repo: Repository) -> None:
    await repo.take_lease(NAME, "a", 30)
    await repo.drop_lease(NAME, "b")  # not b's to drop
    assert await repo.lease_holder(NAME) == "a"
    await repo.drop_lease(NAME, "a")
    assert await repo.take_lease(NAME, "b", 30)
