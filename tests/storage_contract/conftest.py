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
from tests.storage_contract.backends import BACKENDS, Backend

START = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest) -> Backend:
    name: str = request.param
    found = BACKENDS[name]
    missing = found.missing()
    if missing is not None:
        pytest.fail(f"the {name} storage backend cannot run on this machine: {missing}", pytrace=False)
    return found


@pytest.fixture
async def repo(backend: Backend, tmp_path: Path) -> AsyncIterator[Repository]:
    repository = await backend.open(tmp_path)
    yield repository
    await repository.close()
