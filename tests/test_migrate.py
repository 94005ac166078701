"""`linli migrate --from sqlite:///… --to postgresql://…`: the demo's database moves whole."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import connect_repository
from storage.models import ChatRef, Reply
from tests.ops_support import KINDS, fill_with_demo, holdings, linli


async def _next_outbox_id(url: str) -> int:
    repo = await connect_repository(url)
    try:
        return await repo.enqueue(Reply(ChatRef("console", "3号楼互助群"), "新消息"), datetime.now(UTC))
    finally:
        await repo.close()


async def test_the_demo_database_moves_to_postgres_whole(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = f"sqlite:///{tmp_path}/linli.db"
    await fill_with_demo(source)
    before = holdings(source)
    assert all(before.counts[kind] > 0 for kind in KINDS), before.counts

    assert await linli(["migrate", "--from", source, "--to", postgres_url]) == 0
    out = capsys.readouterr().out
    assert "counts and ledger totals match" in out
    assert str(before.ledger) in out
    after = holdings(postgres_url)
    assert after.ledger == before.ledger
    assert {table: after.counts[table] for table in before.counts} == before.counts

    # Ids and sequences carry over: the next outbox message gets a new id on both sides alike.
    assert await _next_outbox_id(postgres_url) == await _next_outbox_id(source)
    # A second move into the same database is refused: it is no longer empty.
    assert await linli(["migrate", "--from", source, "--to", postgres_url]) == 2
    assert "not empty" in capsys.readouterr().err


async def test_migrate_names_what_it_needs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert await linli(["migrate", "--from", "postgresql://a/b", "--to", "postgresql://c/d"]) == 2
    assert await linli(["migrate", "--from", f"sqlite:///{tmp_path}/x.db", "--to", "sqlite:///y.db"]) == 2
    assert await linli(["migrate", "--from", f"sqlite:///{tmp_path}/x.db", "--to", "postgresql://c/d"]) == 2
    err = capsys.readouterr().err
    assert "must name a SQLite file" in err
    assert "must be a postgresql:// URL" in err
    assert "does not exist" in err
