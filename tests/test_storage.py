"""What only the SQLite backend has: migrations, URLs and files, claims across processes, stored times.

What every backend must do is in tests/storage_contract.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from storage import connect_repository, open_repository
from storage.base import SchemaTooNew, StorageError
from storage.models import TaskState
from storage.sqlite import SqliteRepository
from storage.sqlite_core import migrations, split_sql, ts
from tests.conftest import START


async def test_fresh_database_is_migrated_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    async with open_repository(f"sqlite:///{tmp_path}/a.db") as repo:
        assert await repo.schema_version() == migrations()[-1][0]
        assert repo.raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert repo.raw.execute("PRAGMA foreign_keys").fetchone()[0] == 1


async def test_old_database_is_upgraded_and_newer_one_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    repo = await SqliteRepository(str(path)).open()
    assert await repo.schema_version() == migrations()[-1][0]
    await repo.close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO schema_version VALUES (999, 'future')")
    with pytest.raises(SchemaTooNew, match="999"):
        await SqliteRepository(str(path)).open()


async def test_bad_urls_and_files_give_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="scheme"):
        await connect_repository("linli.db")
    with pytest.raises(StorageError, match="unknown storage scheme"):
        await connect_repository("mysql://x")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="cannot open"):
        await connect_repository(f"sqlite:///{junk}")


CLAIMER = """
import asyncio, sys
from storage.sqlite import SqliteRepository
from storage.models import TaskState
from datetime import datetime, timezone

async def main(path, offset):
    repo = await SqliteRepository(path).open()
    start = datetime(2026, 11, 24, tzinfo=timezone.utc)
    wins = 0
    for task_id in range(1, 51):
        for v in range(10):
            wins += await repo.transition_task(task_id, action="claim", expect=TaskState.OPEN,
                to=TaskState.CLAIMED, actor_id=None, at=start, claimer_id=offset + v)
    await repo.close()
    print(wins)

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


@pytest.mark.slow
async def test_claims_across_two_processes_one_winner(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.db")
    repo = await SqliteRepository(path).open()
    requester = await repo.resolve_identity("console", "r", "R")
    for i in range(1, 21):
        await repo.resolve_identity("console", f"v{i}", f"V{i}")
    for i in range(50):
        await repo.create_task(text=f"t{i}", requester_id=requester.id, at=START)
    await repo.close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, path, str(offset)], stdout=subprocess.PIPE, text=True
        )
        for offset in (2, 12)
    ]
    wins = [int(p.communicate(timeout=120)[0].strip()) for p in procs]
    assert sum(wins) == 50  # 1,000 attempts in all, exactly one winner per task
    repo = await SqliteRepository(path).open()
    for task in await repo.list_tasks():
        assert task.state is TaskState.CLAIMED
        assert len([e for e in await repo.task_events(task.id) if e.action == "claim"]) == 1
    await repo.close()


THEN = "2026-11-24T01:00:00.000000+00:00"


async def test_migration_backfills_offer_skills(tmp_path: Path) -> None:
    """A database from before 006 keeps finding its offers by skill."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        for number, script in migrations():
            if number >= 6:
                break
            for statement in split_sql(script):
                db.execute(statement)
            db.execute("INSERT INTO schema_version VALUES (?, 'then')", (number,))
        db.execute("INSERT INTO persons (id, name, created_at) VALUES (1, '小李', ?)", (THEN,))
        db.execute(
            "INSERT INTO offers (person_id, text, skills, created_at) VALUES (1, 'a', 'health,repair', ?)",
            (THEN,),
        )
        db.execute("INSERT INTO offers (person_id, text, skills, created_at) VALUES (1, 'b', '', ?)", (THEN,))
    repo = await SqliteRepository(str(path)).open()
    assert [o.text for o in await repo.active_offers(START, "repair")] == ["b", "a"]
    assert [o.text for o in await repo.active_offers(START, "meals")] == ["b"]
    await repo.close()


def test_stored_moments_are_utc_text_whatever_was_formatted_before() -> None:
    """ts keeps the last moment's text; another moment, or the same instant elsewhere, is not fooled."""
    shanghai = START
    same_instant_utc = START.astimezone(ZoneInfo("UTC"))
    later = START + timedelta(microseconds=1)
    texts = [ts(moment) for moment in (shanghai, shanghai, later, same_instant_utc, shanghai, later)]
    assert texts[0] == texts[1] == texts[3] == texts[4] == same_instant_utc.isoformat(timespec="microseconds")
    assert texts[2] == texts[5] == later.astimezone(ZoneInfo("UTC")).isoformat(timespec="microseconds")
    with pytest.raises(ValueError):
        ts(datetime(2026, 1, 1))  # naive: refused, never guessed
