"""The ``repo`` fixture of the contract suite: every test runs once per backend in BACKENDS.

A backend this machine cannot run fails its tests with what is missing; it is never skipped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from storage.base import Repository
from storage.models import TaskState
from tests.storage_contract.backends import BACKENDS, Backend

START = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def usable(name: str) -> Backend:
    """The backend of that name; the test fails, saying what is missing, when it cannot run here."""
    backend = BACKENDS[name]
    missing = backend.missing()
    if missing is not None:
        pytest.fail(f"the {name} storage backend cannot run on this machine: {missing}", pytrace=False)
    return backend


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> Backend:
    return usable(request.param)


@pytest.fixture
async def repo(backend: Backend, tmp_path: Path) -> AsyncIterator[Repository]:
    repository = await backend.open(tmp_path)
    yield repository
    await repository.close()


async def claim(repo: Repository, task_id: int, volunteer_id: int) -> bool:
    """What 我来 does: open → claimed, held by the volunteer."""
    return await repo.transition_task(
        task_id,
        action="claim",
        expect=TaskState.OPEN,
        to=TaskState.CLAIMED,
        actor_id=volunteer_id,
        at=START,
        claimer_id=volunteer_id,
    )
