"""The read cache for people, accounts, chats, elders and love-bank records: fast, and never stale."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.lovebank_models import RecordKind
from storage.models import Role
from storage.sqlite import SqliteRepository
from storage.sqlite_cache import Effect, effect


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT id, name FROM persons WHERE id = ?", Effect.CACHEABLE),
        ("SELECT p.id FROM identities JOIN persons p ON p.id = identities.person_id", Effect.CACHEABLE),
        ("SELECT * FROM checkins WHERE elder_id = (SELECT id FROM elders WHERE person_id = ?)", Effect.NONE),
        ("SELECT id FROM tasks WHERE state = 'open'", Effect.NONE),
        ("UPDATE persons SET role = ? WHERE id = ?", Effect.FORGETS),
        ("UPDATE OR IGNORE chats SET chat_id = ?", Effect.FORGETS),
        ("INSERT OR IGNORE INTO identities (platform) VALUES (?)", Effect.FORGETS),
        ("DELETE FROM elders WHERE id = ?", Effect.FORGETS),
        ("UPDATE tasks SET updated_at = ? WHERE id = ?", Effect.NONE),
        ("INSERT INTO outbox (platform) VALUES (?)", Effect.NONE),
        ("CREATE INDEX x ON tasks(state)", Effect.FORGETS),
        ("SAVEPOINT sp1", Effect.NONE),
        ("SELECT coalesce(sum(hours), 0) FROM service_records WHERE person_id = ?", Effect.CACHEABLE),
        ("INSERT INTO service_records (kind) VALUES (?)", Effect.FORGETS),
    ],
)
def test_statements_are_classified_by_the_tables_they_touch(sql: str, expected: Effect) -> None:
    assert effect(sql) is expected


async def test_reads_in_a_transaction_are_served_from_the_cache(repo: SqliteRepository) -> None:
    person = await repo.upsert_person("王奶奶", Role.RESIDENT, [("console", "wang")])
    statements: list[str] = []
    repo.raw.set_trace_callback(statements.append)
    async with repo.transaction():
        for _ in range(5):
            assert (await repo.get_person(person.id)) == person
    repo.raw.set_trace_callback(None)
    assert sum("FROM persons" in s for s in statements) <= 1  # none if still cached from upsert_person


async def test_own_writes_and_rollbacks_are_never_served_stale(repo: SqliteRepository) -> None:
    person = await repo.upsert_person("王奶奶", Role.RESIDENT, [("console", "wang")])
    async with repo.transaction():
        assert (await repo.get_person(person.id)).role is Role.RESIDENT  # type: ignore[union-attr]
        await repo.set_person_fields(person.id, role="volunteer")
        assert (await repo.get_person(person.id)).role is Role.VOLUNTEER  # type: ignore[union-attr]
    with pytest.raises(RuntimeError):
        async with repo.transaction():
            await repo.set_person_fields(person.id, role="staff")
            assert (await repo.get_person(person.id)).role is Role.STAFF  # type: ignore[union-attr]
            raise RuntimeError("rolled back")
    async with repo.transaction():
        assert (await repo.get_person(person.id)).role is Role.VOLUNTEER  # type: ignore[union-attr]
    chat = await repo.upsert_chat("console", "g1", "3号楼群")
    async with repo.transaction():
        assert (await repo.upsert_chat("console", "g1", None)).title == "3号楼群"
        assert (await repo.upsert_chat("console", "g1", "3号楼互助群")).title == "3号楼互助群"
        assert (await repo.get_chat("console", "g1")).title == "3号楼互助群"  # type: ignore[union-attr]
    assert chat.title == "3号楼群"


async def test_another_process_changing_a_person_is_seen_at_the_next_transaction(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    person = await repo.upsert_person("王奶奶", Role.RESIDENT, [("console", "wang")])
    async with repo.transaction():
        assert (await repo.resolve_identity("console", "wang", "")).name == "王奶奶"
    with sqlite3.connect(tmp_path / "linli.db") as other:  # e.g. `linli import` while the bot runs
        other.execute("UPDATE persons SET name = '王秀英', role = 'volunteer' WHERE id = ?", (person.id,))
    async with repo.transaction():
        seen = await repo.resolve_identity("console", "wang", "")
    assert (seen.name, seen.role) == ("王秀英", Role.VOLUNTEER)


async def test_a_balance_read_in_a_transaction_follows_new_records(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    person = await repo.upsert_person("小李", Role.VOLUNTEER, [("console", "li")])
    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    async with repo.transaction():
        assert await repo.balance(person.id) == 0
        await repo.add_record(kind=RecordKind.SERVICE, person_id=person.id, hours=1.5, served_at=at, at=at)
        assert await repo.balance(person.id) == 1.5
    with sqlite3.connect(tmp_path / "linli.db") as other:  # a staff correction from another process
        other.execute("UPDATE service_records SET hours = 2 WHERE person_id = ?", (person.id,))
    async with repo.transaction():
        assert await repo.balance(person.id) == 2
        assert await repo.balance(person.id) == (await repo.ledger(person.id, at, at)).balance
