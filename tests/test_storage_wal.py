"""SQLite transactions on the event loop: another process's write lock is waited for, the WAL stays
bounded, a failed statement inside a unit is undone alone, and a task outside a transaction waits for it."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from storage.sqlite import SqliteRepository
from storage.sqlite_core import WAL_AUTOCHECKPOINT_PAGES


async def test_a_write_lock_held_by_another_process_is_waited_for_not_failed(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    other = sqlite3.connect(tmp_path / "linli.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO persons (name, role, created_at) VALUES ('别的进程', 'resident', 'x')")

    async def write() -> None:
        async with repo.transaction():
            await repo.resolve_identity("console", "wang", "王奶奶")

    waiting = asyncio.create_task(write())
    await asyncio.sleep(0.2)
    assert not waiting.done()  # BEGIN waits on a worker thread; the loop stays free meanwhile
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(waiting, 5)
    assert (await repo.find_person_by_name("别的进程")) is not None
    assert (await repo.find_person_by_name("王奶奶")) is not None


async def test_opening_waits_while_another_process_holds_the_file_then_never_waits(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")  # as another process holds it while switching a new file to WAL
    release = threading.Timer(0.3, other.rollback)
    release.start()
    repo = await SqliteRepository(str(path)).open()  # was "database is locked" at once
    release.join()
    other.close()
    assert repo.raw.execute("PRAGMA busy_timeout").fetchone()[0] == 0  # open: the event loop never waits
    assert repo.raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    await repo.close()


async def test_the_wal_is_checkpointed_and_restarted_while_the_bot_keeps_writing(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    checkpoint_pages = 300  # the mechanism at a smaller size than the bot's, so the test is quick
    assert checkpoint_pages < WAL_AUTOCHECKPOINT_PAGES
    repo.raw.execute(f"PRAGMA wal_autocheckpoint = {checkpoint_pages}")
    for n in range(1500):
        async with repo.transaction():
            await repo.resolve_identity("console", f"u{n}", "邻居" * 200)
        if n % 50 == 0:
            await asyncio.sleep(0.01)
    wal = tmp_path / "linli.db-wal"
    page_size = int(repo.raw.execute("PRAGMA page_size").fetchone()[0])
    # Restarting reuses the file from the start, so it never grows far past the checkpoint size.
    # Each of the 1,500 commits appended at least one frame: unrestarted, the WAL would be larger.
    assert wal.stat().st_size < 3 * checkpoint_pages * (page_size + 24) < 1500 * page_size


async def test_a_failed_nested_unit_is_undone_alone(repo: SqliteRepository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    nobody = wang.id + 1000  # no such person: the nested unit fails on the foreign key

    async with repo.transaction():
        await repo.create_task(text="b", requester_id=wang.id, at=at)
        with contextlib.suppress(sqlite3.IntegrityError):
            await repo.create_task(text="c", requester_id=nobody, at=at)
    assert sorted(task.text for task in await repo.list_tasks()) == ["b"]


async def test_a_task_outside_the_transaction_waits_for_it(repo: SqliteRepository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    seen: list[int] = []

    async def outsider() -> None:
        seen.append(len(await repo.list_tasks()))

    async with repo.transaction():
        await repo.create_task(text="a", requester_id=wang.id, at=at)
        waiting = asyncio.create_task(outsider(), context=contextvars.Context())  # started elsewhere
        await asyncio.sleep(0.01)
        assert not waiting.done()  # it does not read the transaction's uncommitted work
        await repo.create_task(text="b", requester_id=wang.id, at=at)
    await waiting
    assert seen == [2]
