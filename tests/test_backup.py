"""`linli backup` / `linli restore` on SQLite and PostgreSQL: a restored backup finds every record."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from storage import connect_repository
from storage.lockfile import ProcessLock
from tests.ops_support import KINDS, PG_BIN, fill_with_demo, holdings, linli, write_config
from tests.postgres_server import SERVER


async def _tasks_and_people(url: str) -> tuple[list[object], list[object]]:
    """Every task and every person, through the repository (what the bot would read)."""
    repo = await connect_repository(url)
    try:
        tasks = await repo.list_tasks(limit=10_000)
        people = [await repo.get_person(person_id) for person_id in range(1, 200)]
        return list(tasks), [p for p in people if p is not None]
    finally:
        await repo.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def _round_trip(tmp_path: Path, source: str, target: str, tools: list[str]) -> None:
    await fill_with_demo(source)
    before = holdings(source)
    assert all(before.counts[kind] > 0 for kind in KINDS), before.counts
    assert before.ledger.rows > 0
    config = write_config(tmp_path, source)
    assert await linli(["backup", "--config", str(config), "--to", f"{tmp_path}/backups/", *tools[:2]]) == 0
    [backup] = (tmp_path / "backups").iterdir()
    assert _mode(backup) == 0o600
    assert _mode(backup.parent) == 0o700

    restored = write_config(tmp_path, target, "restored.toml")
    assert await linli(["restore", str(backup), "--config", str(restored), *tools[2:]]) == 0
    assert holdings(target) == before
    assert await _tasks_and_people(target) == await _tasks_and_people(source)


async def test_sqlite_backup_restores_every_record(tmp_path: Path) -> None:
    await _round_trip(tmp_path, f"sqlite:///{tmp_path}/linli.db", f"sqlite:///{tmp_path}/new/linli.db", [])


async def test_postgres_backup_restores_every_record(tmp_path: Path, postgres_url: str) -> None:
    target = await SERVER.fresh_url(migrated=False)
    tools = ["--pg-dump", str(PG_BIN / "pg_dump"), "--pg-restore", str(PG_BIN / "pg_restore")]
    await _round_trip(tmp_path, postgres_url, target, tools)


async def test_restore_refuses_a_database_with_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/linli.db"
    await fill_with_demo(url)
    config = write_config(tmp_path, url)
    assert await linli(["backup", "--config", str(config), "--to", str(tmp_path / "b.db")]) == 0
    before = holdings(url)
    assert await linli(["restore", str(tmp_path / "b.db"), "--config", str(config)]) == 2
    assert "add --force" in capsys.readouterr().err
    assert await linli(["restore", str(tmp_path / "b.db"), "--config", str(config), "--force"]) == 0
    assert holdings(url) == before


async def test_restore_refuses_while_a_bot_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/linli.db"
    await fill_with_demo(url)
    config = write_config(tmp_path, url)
    assert await linli(["backup", "--config", str(config), "--to", str(tmp_path / "b.db")]) == 0
    with ProcessLock(tmp_path / "linli.db"):
        assert await linli(["restore", str(tmp_path / "b.db"), "--config", str(config), "--force"]) == 2
    assert "already in use by pid" in capsys.readouterr().err


async def test_backup_never_overwrites_and_names_a_missing_pg_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sqlite_config = write_config(tmp_path, f"sqlite:///{tmp_path}/linli.db")
    await (await connect_repository(f"sqlite:///{tmp_path}/linli.db")).close()
    (tmp_path / "old.db").write_bytes(b"an older backup")
    assert await linli(["backup", "--config", str(sqlite_config), "--to", str(tmp_path / "old.db")]) == 2
    assert (tmp_path / "old.db").read_bytes() == b"an older backup"
    pg_config = write_config(tmp_path, "postgresql://linli@localhost/linli", "pg.toml")
    missing = str(tmp_path / "no-such-pg_dump")
    assert await linli(["backup", "--config", str(pg_config), "--pg-dump", missing]) == 2
    err = capsys.readouterr().err
    assert "already exists" in err
    assert "postgresql-client" in err and "--pg-dump" in err


async def test_restore_refuses_a_newer_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/linli.db"
    await fill_with_demo(url)
    config = write_config(tmp_path, url)
    assert await linli(["backup", "--config", str(config), "--to", str(tmp_path / "b.db")]) == 0
    with sqlite3.connect(tmp_path / "b.db") as conn:
        conn.execute("INSERT INTO schema_version VALUES (999, '2030-01-01T00:00:00+00:00')")
    fresh = write_config(tmp_path, f"sqlite:///{tmp_path}/fresh.db", "fresh.toml")
    assert await linli(["restore", str(tmp_path / "b.db"), "--config", str(fresh)]) == 2
    assert "schema version 999" in capsys.readouterr().err
