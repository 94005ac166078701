"""What only the PostgreSQL backend has: its migrations beside SQLite's, URLs, and several processes
(here: several repositories, each with its own pool) racing on one database.

What every backend must do is in tests/storage_contract, which runs on PostgreSQL too.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

import psycopg
import pytest

from bot.config import ConfigError, parse_config
from storage import connect_repository, open_repository
from storage.base import SchemaTooNew, StorageError
from storage.lovebank_models import RecordKind
from storage.models import ChatRef, Incoming, Reply, TaskState
from storage.postgres import PostgresRepository
from storage.postgres.core import migrations
from storage.sqlite import SqliteRepository
from tests.postgres_server import SERVER
from tests.storage_contract.conftest import START, claim

LEASE = timedelta(seconds=60)


async def two_repositories(url: str) -> tuple[PostgresRepository, PostgresRepository]:
    """Two repositories on one database, as two processes would have: no connection shared."""
    return await PostgresRepository(url).open(), await PostgresRepository(url).open()


# -- migrations ------------------------------------------------------------------------------------


def test_both_dialects_have_the_same_numbered_migrations() -> None:
    def numbered(package: str) -> list[str]:
        names = (entry.name for entry in resources.files(package).iterdir())
        return sorted(name for name in names if name.endswith(".sql") and name[:3].isdigit())

    sqlite, postgres = numbered("storage.migrations"), numbered("storage.postgres.migrations")
    assert sqlite, "no SQLite migrations found"
    missing = sorted(set(sqlite) ^ set(postgres))
    assert not missing, f"write each migration for both dialects (storage/postgres/migrations/): {missing}"


async def test_both_dialects_end_with_the_same_tables_columns_and_indexes(
    postgres_url: str, tmp_path: Path
) -> None:
    lite = await SqliteRepository(str(tmp_path / "linli.db")).open()
    await lite.close()
    with sqlite3.connect(tmp_path / "linli.db") as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        sqlite_columns = {
            (table, name): (kind, bool(notnull or pk))
            for table in tables
            if not table.startswith("sqlite_")
            for _, name, kind, notnull, _, pk in db.execute(f"PRAGMA table_info({table})")
        }
        sqlite_indexes = {
            name
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql NOT NULL")
        }
    with psycopg.connect(postgres_url) as conn:
        postgres_columns = {
            (table, name): (kind, nullable == "NO")
            for table, name, kind, nullable in conn.execute(
                "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                "WHERE table_schema = current_schema()"
            )
        }
        postgres_indexes = {
            name
            for (name,) in conn.execute(  # those made by CREATE INDEX, not by a key
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            )
        }
    # SQLite numbers every row implicitly; PostgreSQL spells out the rowid where order matters.
    spelled_out = {key for key in postgres_columns if key[1] == "rowid"}
    assert sorted(set(postgres_columns) - spelled_out) == sorted(sqlite_columns)
    assert postgres_indexes == sqlite_indexes
    twins = {
        "INTEGER": {"bigint", "integer", "boolean"},
        "TEXT": {"text", "timestamp with time zone", "date", "time without time zone"},
        "REAL": {"double precision"},
    }
    for key, (kind, required) in sqlite_columns.items():
        twin, twin_required = postgres_columns[key]
        assert twin in twins[kind], f"{key}: SQLite {kind}, PostgreSQL {twin}"
        assert twin_required == required, f"{key}: NOT NULL in one dialect only"
        if key[1] == "at" or key[1].endswith(("_at", "_until", "_start", "_end")):
            assert twin == "timestamp with time zone", f"{key} is a moment: timestamptz"


async def test_a_new_database_is_migrated_once_however_many_processes_start_at_once() -> None:
    url = await SERVER.fresh_url(migrated=False)
    repos = await asyncio.gather(*(PostgresRepository(url).open() for _ in range(3)))
    versions = await repos[0]._fetchall("SELECT version FROM schema_version ORDER BY version")
    assert [v for (v,) in versions] == [number for number, _, _ in migrations()]
    assert {await repo.schema_version() for repo in repos} == {migrations()[-1][0]}
    for repo in repos:
        await repo.close()


async def test_a_database_from_a_newer_linli_is_refused_naming_its_version(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_version VALUES (999, now())")
    with pytest.raises(SchemaTooNew, match=r"schema version 999.*knows only up to \d+: upgrade Linli"):
        await PostgresRepository(postgres_url).open()


async def test_a_database_from_before_006_keeps_finding_its_offers_by_skill() -> None:
    url = await SERVER.fresh_url(migrated=False)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)"
        )
        for number, _, script in migrations()[:5]:
            conn.execute(script)
            conn.execute("INSERT INTO schema_version VALUES (%s, now())", (number,))
        conn.execute("INSERT INTO persons (id, name, created_at) VALUES (1, '小李', %s)", (START,))
        for text, skills in (("a", "health,repair"), ("b", "")):
            conn.execute(
                "INSERT INTO offers (person_id, text, skills, created_at) VALUES (1, %s, %s, %s)",
                (text, skills, START),
            )
    async with open_repository(url) as repo:
        assert [o.text for o in await repo.active_offers(START, "repair")] == ["b", "a"]
        assert [o.text for o in await repo.active_offers(START, "meals")] == ["b"]


# -- URLs ---------------------------------------------------------------------------------------------


async def test_the_url_picks_the_backend_and_a_socket_folder_is_accepted(postgres_url: str) -> None:
    assert "?host=/" in postgres_url  # the throwaway server listens on a socket only
    async with open_repository(postgres_url) as repo:
        assert isinstance(repo, PostgresRepository)
        person = await repo.resolve_identity("console", "u1", "王奶奶")
        assert await repo.get_person(person.id) == person


async def test_an_unreachable_server_is_named_without_its_password(tmp_path: Path) -> None:
    url = f"postgresql://linli:s3cret@/linli?host={tmp_path}&connect_timeout=2"
    with pytest.raises(
        StorageError, match=r"cannot connect to postgresql://linli@/linli.*storage\.url"
    ) as caught:
        await connect_repository(url)
    assert "s3cret" not in str(caught.value)


def test_the_config_accepts_postgresql_urls_and_names_the_key_of_a_bad_one() -> None:
    for url in ("postgresql://linli:pass@db.example:5432/linli", "postgresql:///linli?host=/run/postgresql"):
        assert parse_config({"storage": {"url": url}}).storage_url == url
    with pytest.raises(ConfigError, match=r"storage\.url") as caught:
        parse_config({"storage": {"url": "postgresql://db/linli?colour=blue"}})
    assert "libpq" in caught.value.problem


async def test_a_naive_datetime_is_refused_never_guessed(postgres_url: str) -> None:
    async with open_repository(postgres_url) as repo:
        person = await repo.resolve_identity("console", "u1", "王奶奶")
        with pytest.raises(ValueError, match="naive"):
            await repo.create_task(text="x", requester_id=person.id, at=datetime(2026, 11, 24, 9))


# -- several processes on one database --------------------------------------------------------------


async def test_claims_from_two_processes_have_one_winner_per_task(postgres_url: str) -> None:
    first, second = await two_repositories(postgres_url)
    requester = await first.resolve_identity("console", "r", "R")
    volunteers = [await first.resolve_identity("console", f"v{i}", f"V{i}") for i in range(20)]
    tasks = [await first.create_task(text=f"t{i}", requester_id=requester.id, at=START) for i in range(30)]
    attempts = [
        claim(first if n % 2 else second, task.id, volunteer.id)
        for task in tasks
        for n, volunteer in enumerate(volunteers)
    ]
    results = await asyncio.gather(*attempts)  # 600 attempts, half through each process
    assert sum(results) == len(tasks)
    for task in tasks:
        claims = [e for e in await second.task_events(task.id) if e.action == "claim"]
        claimed = await first.get_task(task.id)
        assert len(claims) == 1 and claimed is not None
        assert (claimed.state, claimed.claimer_id) == (TaskState.CLAIMED, claims[0].actor_id)
    await first.close()
    await second.close()


async def test_a_message_two_instances_receive_is_stored_and_handled_once(postgres_url: str) -> None:
    first, second = await two_repositories(postgres_url)
    msg = Incoming("telegram", ChatRef("telegram", "g1"), "u1", "王奶奶", "帮忙买菜", "m1", START)

    async def receive(repo: PostgresRepository) -> bool:
        async with repo.transaction():  # as the bot stores and handles a message
            _, fresh = await repo.store_incoming(msg, handled=True)
            await asyncio.sleep(0.1)  # still handling it when the other instance gets it
        return fresh

    # The second insert waits for the first one's commit, then finds the row: a duplicate to ignore.
    assert sorted(await asyncio.gather(receive(first), receive(second))) == [False, True]
    assert await first.count_incoming() == 1
    await first.close()
    await second.close()


async def test_senders_in_two_processes_never_lease_the_same_message(postgres_url: str) -> None:
    first, second = await two_repositories(postgres_url)
    chat = ChatRef("console", "g1")
    for n in range(100):
        await first.enqueue(Reply(chat, str(n)), START)
    batches = await asyncio.gather(
        *(
            repo.lease_outgoing(f"sender-{n}", START, START + LEASE, limit=7)
            for n in range(10)
            for repo in (first, second)
        )
    )
    taken = [item.id for batch in batches for item in batch]
    assert len(taken) == len(set(taken)) == 100
    # The senders died: their leases run out, and the survivors take each message once more.
    later = START + LEASE
    again = await asyncio.gather(
        *(repo.lease_outgoing("survivor", later, later + LEASE) for repo in (first, second))
    )
    retaken = [item.id for batch in again for item in batch]
    assert len(retaken) == len(set(retaken)) == 100
    await first.close()
    await second.close()


async def test_passbook_lines_from_two_processes_keep_the_running_totals_right(postgres_url: str) -> None:
    first, second = await two_repositories(postgres_url)
    li = await first.resolve_identity("console", "li", "小李")
    await asyncio.gather(
        *(
            repo.add_record(kind=RecordKind.SERVICE, person_id=li.id, hours=0.5, served_at=START, at=START)
            for _ in range(10)
            for repo in (first, second)
        )
    )
    lines = await second.records_of(li.id, limit=50)
    assert sorted(line.total_after for line in lines) == [0.5 * n for n in range(1, 21)]
    assert await first.balance(li.id) == 10.0
    await first.close()
    await second.close()


async def test_an_account_seen_by_two_processes_at_once_makes_one_person(postgres_url: str) -> None:
    first, second = await two_repositories(postgres_url)
    people = await asyncio.gather(
        *(repo.resolve_identity("telegram", "7", "小李") for _ in range(5) for repo in (first, second))
    )
    assert len({person.id for person in people}) == 1
    assert [p.id for p in await first.people_named("小李")] == [people[0].id]  # no orphan left behind
    await first.close()
    await second.close()
