"""The SQLite repository: migrations, dedupe, atomic claims, the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from storage.base import SchemaTooNew, StorageError
from storage.models import ChatRef, Incoming, Reply, Role, TaskState
from storage.sqlite import SqliteRepository, connect_repository, open_repository
from storage.sqlite_core import migrations, split_sql, ts
from tests.conftest import START


def message(n: int, text: str = "帮忙买菜", chat: str = "g1") -> Incoming:
    return Incoming("console", ChatRef("console", chat), "u1", "王奶奶", text, f"m{n}", START)


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


async def test_same_message_is_stored_once(repo: SqliteRepository) -> None:
    first, fresh = await repo.store_incoming(message(1))
    again, fresh_again = await repo.store_incoming(message(1))
    assert fresh and not fresh_again
    assert first.id == again.id
    assert await repo.count_incoming() == 1
    assert (await repo.pending_incoming())[0].message == message(1)


async def test_transaction_rolls_back_everything_on_error(repo: SqliteRepository) -> None:
    person = await repo.resolve_identity("console", "u1", "王奶奶")
    with pytest.raises(RuntimeError):
        async with repo.transaction():
            await repo.create_task(text="x", requester_id=person.id, at=START)
            raise RuntimeError("boom")
    assert await repo.list_tasks() == []


async def test_nested_transaction_is_a_savepoint(repo: SqliteRepository) -> None:
    person = await repo.resolve_identity("console", "u1", "王奶奶")
    async with repo.transaction():
        await repo.create_task(text="kept", requester_id=person.id, at=START)
        with pytest.raises(ValueError):
            async with repo.transaction():
                await repo.create_task(text="dropped", requester_id=person.id, at=START)
                raise ValueError
    assert [t.text for t in await repo.list_tasks()] == ["kept"]


async def test_identities_and_staff(repo: SqliteRepository) -> None:
    staff = await repo.upsert_person("张书记", Role.STAFF, [("console", "zs"), ("telegram", "1001")])
    again = await repo.upsert_person("张书记", Role.STAFF, [("telegram", "1001")])
    assert staff.id == again.id
    assert (await repo.resolve_identity("telegram", "1001", "Zhang")).role is Role.STAFF
    assert {i.platform for i in await repo.identities_of(staff.id)} == {"console", "telegram"}
    assert await repo.set_identity_reachable("telegram", "1001", False)
    assert not await repo.set_identity_reachable("telegram", "1001", False)
    with pytest.raises(KeyError):
        await repo.set_person_fields(staff.id, favourite_colour="red")


async def test_chat_binding_and_supergroup_move(repo: SqliteRepository) -> None:
    await repo.upsert_chat("telegram", "-1", "3号楼")
    await repo.bind_chat("telegram", "-1", "3号楼")
    person = await repo.resolve_identity("telegram", "7", "Li")
    task = await repo.create_task(
        text="x",
        requester_id=person.id,
        at=START,
        building="3号楼",
        origin=ChatRef("telegram", "-1"),
        origin_message_id="5",
    )
    await repo.record_card(task.id, ChatRef("telegram", "-1"), "6")
    await repo.move_chat("telegram", "-1", "-1009")
    assert [c.chat_id for c in await repo.chats_for_building("3号楼")] == ["-1009"]
    assert (await repo.task_for_message(ChatRef("telegram", "-1009"), "6")) == await repo.get_task(task.id)
    assert (await repo.get_task(task.id)).origin == ChatRef("telegram", "-1009")  # type: ignore[union-attr]


async def test_transition_is_conditional_and_recorded(repo: SqliteRepository) -> None:
    person = await repo.resolve_identity("console", "u1", "王奶奶")
    volunteer = await repo.resolve_identity("console", "u2", "小李")
    task = await repo.create_task(text="买菜", requester_id=person.id, at=START)
    common = dict(action="claim", expect=TaskState.OPEN, to=TaskState.CLAIMED, at=START)
    assert await repo.transition_task(task.id, actor_id=volunteer.id, claimer_id=volunteer.id, **common)
    assert not await repo.transition_task(task.id, actor_id=person.id, claimer_id=person.id, **common)
    assert not await repo.transition_task(999, actor_id=person.id, **common)
    events = await repo.task_events(task.id)
    assert [(e.action, e.to_state) for e in events] == [
        ("create", TaskState.OPEN),
        ("claim", TaskState.CLAIMED),
    ]
    assert (await repo.get_task(task.id)).claimer_id == volunteer.id  # type: ignore[union-attr]


async def test_thousand_concurrent_claims_one_winner_per_task(repo: SqliteRepository) -> None:
    requester = await repo.resolve_identity("console", "r", "R")
    volunteers = [await repo.resolve_identity("console", f"v{i}", f"V{i}") for i in range(50)]
    tasks = [await repo.create_task(text=f"t{i}", requester_id=requester.id, at=START) for i in range(20)]

    async def claim(task_id: int, volunteer_id: int) -> bool:
        return await repo.transition_task(
            task_id,
            action="claim",
            expect=TaskState.OPEN,
            to=TaskState.CLAIMED,
            actor_id=volunteer_id,
            at=START,
            claimer_id=volunteer_id,
        )

    attempts = [claim(t.id, v.id) for t in tasks for v in volunteers]  # 1,000 attempts
    results = await asyncio.gather(*attempts)
    assert len(results) == 1000
    assert sum(results) == len(tasks)
    for task in tasks:
        claims = [e for e in await repo.task_events(task.id) if e.action == "claim"]
        assert len(claims) == 1


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


async def test_outbox_order_retry_and_cards(repo: SqliteRepository) -> None:
    chat = ChatRef("console", "g1")
    first = await repo.enqueue(Reply(chat, "one", card_of=None), START)
    second = await repo.enqueue(Reply(chat, "two"), START)
    due = await repo.due_outgoing(START)
    assert [d.id for d in due] == [first, second]
    await repo.mark_retry(first, "network", START + timedelta(seconds=30))
    assert [d.id for d in await repo.due_outgoing(START)] == [second]
    assert await repo.next_due_at() == START
    await repo.mark_sent(second, START, "b2")
    assert await repo.next_due_at() == START + timedelta(seconds=30)
    with pytest.raises(ValueError):
        await repo.enqueue(Reply(chat, "toast", toast=True), START)


async def test_leased_rows_are_taken_once_and_again_only_when_the_lease_runs_out(
    repo: SqliteRepository,
) -> None:
    chat = ChatRef("console", "g1")
    ids = [await repo.enqueue(Reply(chat, str(n)), START) for n in range(3)]
    until = START + timedelta(seconds=60)
    first = await repo.lease_outgoing("a", START, until, limit=2)
    assert [item.id for item in first] == ids[:2]
    assert [item.reply.text for item in first] == ["0", "1"]
    assert [item.id for item in await repo.lease_outgoing("b", START, until)] == ids[2:]
    assert await repo.lease_outgoing("b", START, until) == []  # all leased
    await repo.mark_sent(ids[0], START, "m0")
    await repo.mark_sent(ids[2], START, "m2")
    assert await repo.next_due_at() == until  # the lease of ids[1] runs out then
    later = await repo.lease_outgoing("b", until, until + timedelta(seconds=60))
    assert [item.id for item in later] == [ids[1]]  # its sender died between send and mark
    assert await repo.release_leases() == 1  # at start: what a stopped process held
    assert [item.id for item in await repo.due_outgoing(START)] == [ids[1]]


async def test_outbox_ids_are_never_given_twice(repo: SqliteRepository) -> None:
    chat = ChatRef("console", "g1")
    kept = await repo.enqueue(Reply(chat, "kept"), START)
    with contextlib.suppress(RuntimeError):
        async with repo.transaction():
            await repo.enqueue(Reply(chat, "rolled back"), START)
            raise RuntimeError
    repo.raw.execute("DELETE FROM outbox WHERE id = ?", (kept,))
    assert await repo.enqueue(Reply(chat, "next"), START) > kept


async def test_sent_card_is_remembered(repo: SqliteRepository) -> None:
    person = await repo.resolve_identity("console", "u1", "王奶奶")
    task = await repo.create_task(text="x", requester_id=person.id, at=START)
    outbox_id = await repo.enqueue(Reply(ChatRef("console", "g1"), "card", card_of=task.id), START)
    await repo.mark_sent(outbox_id, START, "b7")
    assert [c.message_id for c in await repo.cards_of(task.id)] == ["b7"]
    assert (await repo.task_for_message(ChatRef("console", "g1"), "b7")).id == task.id  # type: ignore[union-attr]


async def test_offers_are_found_by_skill_or_general_time(repo: SqliteRepository) -> None:
    person = await repo.resolve_identity("console", "v", "小李")
    nurse = await repo.create_offer(person_id=person.id, text="量血压", skills=["health"], at=START)
    anyone = await repo.create_offer(person_id=person.id, text="有空", skills=[], at=START)
    fixer = await repo.create_offer(
        person_id=person.id, text="修电器", skills=["repair", "tech_help"], at=START
    )
    assert [o.id for o in await repo.active_offers(START, "health")] == [anyone.id, nurse.id]
    assert [o.id for o in await repo.active_offers(START, "tech_help")] == [fixer.id, anyone.id]
    assert [o.id for o in await repo.active_offers(START)] == [fixer.id, anyone.id, nurse.id]
    assert (await repo.active_offers(START, "repair"))[0].skills == ("repair", "tech_help")


async def test_suggested_names_are_narrowed_to_a_window_and_to_other_people(repo: SqliteRepository) -> None:
    li = await repo.resolve_identity("console", "li", "小李")
    zhao = await repo.resolve_identity("console", "zhao", "小赵")
    chen = await repo.resolve_identity("console", "chen", "老陈")
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    hour = timedelta(hours=1)
    await repo.create_offer(
        person_id=li.id, text="上午", skills=["shopping"], at=START, window=(START, START + 3 * hour)
    )
    await repo.create_offer(
        person_id=zhao.id, text="晚上", skills=[], at=START, window=(START + 9 * hour, START + 11 * hour)
    )
    await repo.create_offer(person_id=chen.id, text="随时", skills=[], at=START)
    await repo.create_offer(person_id=wang.id, text="我也能", skills=["shopping"], at=START)

    async def names(window: tuple[datetime, datetime] | None, excluding: int, limit: int = 9) -> list[str]:
        return await repo.names_offering(START, "shopping", window, excluding, limit)

    assert await names(None, wang.id) == ["老陈", "小赵", "小李"]
    assert await names((START + 2 * hour, START + 4 * hour), wang.id) == ["老陈", "小李"]
    assert await names((START + 3 * hour, START + 9 * hour), li.id) == ["王奶奶", "老陈"]
    assert await names(None, li.id, limit=1) == ["王奶奶"]


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


async def test_an_offer_finds_the_most_pressing_request_it_fits(repo: SqliteRepository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    li = await repo.resolve_identity("console", "li", "小李")
    hour = timedelta(hours=1)
    morning = (START, START + 3 * hour)

    async def request(category: str, building: str | None, **fields: object) -> int:
        task = await repo.create_task(
            text=category,
            requester_id=wang.id,
            at=START,
            category=category,
            building=building,
            **fields,  # type: ignore[arg-type]
        )
        return task.id

    for _ in range(12):  # more misfits than the old first-ten scan looked at
        await request("shopping", "9号楼", priority=1)
    evening = await request("shopping", "3号楼", window=(START + 9 * hour, START + 11 * hour))
    fits = await request("shopping", "3号楼", window=(START + hour, START + 2 * hour))
    anywhere = await request("shopping", None)
    repair = await request("repair", "3号楼")
    pressing_repair = await request("repair", "3号楼", priority=1, window=morning)

    async def best(**overrides: object) -> int | None:
        arguments: dict[str, object] = {
            "categories": ["shopping"],
            "window": morning,
            "building": "3号楼",
            "excluding_requester": li.id,
        }
        found = await repo.open_task_for_offer(**{**arguments, **overrides})  # type: ignore[arg-type]
        return None if found is None else found.id

    assert await best() == fits
    assert await best(window=None) == evening
    assert await best(excluding_requester=wang.id) is None
    assert await best(categories=["meals"]) is None
    assert await best(building="5号楼", window=None) == anywhere
    assert evening < fits < anywhere < repair < pressing_repair
    # Across categories: priority first, then the oldest.
    assert await best(categories=["meals", "shopping", "repair"]) == pressing_repair
    assert (
        await best(categories=["repair", "shopping"], window=(START + 12 * hour, START + 13 * hour))
        == anywhere
    )
    assert await best(categories=["repair", "shopping"], window=None, excluding_requester=wang.id) is None
    assert await best(categories=[], window=None) == pressing_repair


async def test_names_offering_are_the_newest_fitting_volunteers_each_once(repo: SqliteRepository) -> None:
    wang = await repo.resolve_identity("console", "wang", "王奶奶")
    li = await repo.resolve_identity("console", "li", "小李")
    zhao = await repo.resolve_identity("console", "zhao", "小赵")
    chen = await repo.resolve_identity("console", "chen", "老陈")
    hour = timedelta(hours=1)
    await repo.create_offer(person_id=chen.id, text="修", skills=["repair"], at=START)
    await repo.create_offer(person_id=zhao.id, text="买菜", skills=["shopping"], at=START)
    await repo.create_offer(person_id=li.id, text="有空", skills=[], at=START)
    await repo.create_offer(person_id=li.id, text="还有空", skills=[], at=START)
    await repo.create_offer(person_id=wang.id, text="我也行", skills=["shopping"], at=START)
    morning = (START, START + 3 * hour)
    assert await repo.names_offering(START, "shopping", morning, wang.id, 3) == ["小李", "小赵"]
    assert await repo.names_offering(START, "shopping", morning, wang.id, 1) == ["小李"]
    assert await repo.names_offering(START, "repair", None, li.id, 3) == ["老陈"]
    assert await repo.names_offering(START, None, None, wang.id, 2) == ["小李", "小赵"]


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
