"""The suite itself: every backend is run, and one that cannot run here fails instead of skipping."""

from __future__ import annotations

import pytest

from storage.base import Repository
from tests.storage_contract import backends
from tests.storage_contract.backends import BACKENDS, Backend
from tests.storage_contract.conftest import usable


def test_sqlite_is_always_among_the_backends() -> None:
    assert sorted(BACKENDS) == ["postgresql", "sqlite"]
    assert BACKENDS["sqlite"].missing() is None


def test_a_backend_this_machine_cannot_run_fails_with_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def never(*_: object) -> Repository:
        raise AssertionError("not opened when something is missing")

    async def nothing(*_: object) -> None:
        raise AssertionError("not used")

    def no_server() -> str:
        return "no PostgreSQL server (set LINLI_TEST_POSTGRES_URL)"

    monkeypatch.setitem(backends.BACKENDS, "postgresql", Backend(no_server, never, nothing))
    with pytest.raises(
        pytest.fail.Exception, match=r"postgresql storage backend cannot run.*LINLI_TEST_POSTGRES_URL"
    ):
        usable("postgresql")
