"""Moving a community from SQLite to PostgreSQL, table by table, ids and all.

Both databases are first brought to the same schema version (opening a repository migrates it);
then every SQLite table is copied into its PostgreSQL twin in one transaction, parents before the
tables that refer to them. Ids are kept, and each identity sequence starts after the highest id
ever given (for the outbox, SQLite's AUTOINCREMENT counter), so that no outbox id is given twice:
adapters de-duplicate on them. The copy is then checked: rows per table, and the ledger's totals.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from graphlib import TopologicalSorter
from typing import Any

import psycopg
from psycopg import sql

from storage.base import StorageError
from storage.tables import (
    Ledger,
    PgConnection,
    postgres_counts,
    postgres_ledger,
    sqlite_counts,
    sqlite_ledger,
    sqlite_tables,
)

Convert = Callable[[Any], Any]

_CONVERSIONS: dict[str, Convert] = {
    "timestamp with time zone": datetime.fromisoformat,  # SQLite keeps UTC ISO text (sqlite_core.ts)
    "date": date.fromisoformat,
    "boolean": bool,  # SQLite keeps 0 and 1
}
"""How a SQLite value becomes the PostgreSQL column's type; other types go across as they are."""


@dataclass(frozen=True)
class Column:
    name: str
    convert: Convert | None
    identity: bool


@dataclass(frozen=True)
class Report:
    """What the copy found on each side: equal, or the move failed."""

    source_counts: dict[str, int]
    target_counts: dict[str, int]
    source_ledger: Ledger
    target_ledger: Ledger

    @property
    def matches(self) -> bool:
        return self.source_ledger == self.target_ledger and all(
            self.target_counts.get(table) == rows for table, rows in self.source_counts.items()
        )


def _columns(target: PgConnection, table: str) -> list[Column]:
    rows = target.execute(
        "SELECT column_name, data_type, is_identity FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [Column(name, _CONVERSIONS.get(kind), identity == "YES") for name, kind, identity in rows]


def _parents_first(target: PgConnection, tables: list[str]) -> list[str]:
    """The tables in an order where every table a foreign key points at comes before the pointer."""
    rows = target.execute(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
        "WHERE contype = 'f' AND connamespace = current_schema()::regnamespace"
    ).fetchall()
    graph: dict[str, set[str]] = {table: set() for table in tables}
    for child, parent in rows:
        if child in graph and parent != child:  # a table pointing at itself: rows go in id order
            graph[child].add(parent)
    return list(TopologicalSorter(graph).static_order())


def _sqlite_columns(source: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in source.execute(f'PRAGMA table_info("{table}")')}


def _high_water(source: sqlite3.Connection, table: str) -> int:
    """The highest id AUTOINCREMENT ever gave in the table (0 when it does not use it)."""
    known = source.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone()
    if known is None:
        return 0
    row = source.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    return int(row[0]) if row else 0


def _copy_table(source: sqlite3.Connection, target: PgConnection, table: str) -> None:
    present = _sqlite_columns(source, table)
    columns = _columns(target, table)
    # SQLite's implicit rowid is spelled out as a column in PostgreSQL: it carries the row order.
    copied = [c for c in columns if c.name in present or c.name == "rowid"]
    missing = present - {c.name for c in columns}
    if missing:
        raise StorageError(
            f"PostgreSQL's {table} has no column {', '.join(sorted(missing))}: nothing was copied"
        )
    names = ", ".join(f'"{c.name}"' for c in copied)
    # ORDER BY the first column (the id where there is one): a correction comes after what it corrects.
    rows = [
        [
            value if c.convert is None or value is None else c.convert(value)
            for c, value in zip(copied, row, strict=True)
        ]
        for row in source.execute(f'SELECT {names} FROM "{table}" ORDER BY 1')
    ]
    insert = sql.SQL("INSERT INTO {} ({}) OVERRIDING SYSTEM VALUE VALUES ({})").format(
        sql.Identifier(table),
        sql.SQL(", ").join(sql.Identifier(c.name) for c in copied),
        sql.SQL(", ").join(sql.Placeholder() for _ in copied),
    )
    with target.cursor() as cursor:
        cursor.executemany(insert, rows)
    for column in (c for c in columns if c.identity):
        start = max(_high_water(source, table), _max(target, table, column.name))
        if start:
            target.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s)", (table, column.name, start))


def _max(target: PgConnection, table: str, column: str) -> int:
    row = target.execute(
        sql.SQL("SELECT coalesce(max({}), 0) FROM {}").format(sql.Identifier(column), sql.Identifier(table))
    ).fetchone()
    return int(row[0]) if row else 0


def copy_sqlite_to_postgres(path: str, url: str) -> Report:
    """Copies every table of the SQLite file into the (empty, migrated) PostgreSQL database, in one
    transaction; refuses a target that holds any row. Both must be at the same schema version."""
    with contextlib.closing(sqlite3.connect(path)) as source, psycopg.connect(url) as target:
        held = {table: rows for table, rows in postgres_counts(target).items() if rows}
        if held:
            tables = ", ".join(f"{table} ({rows})" for table, rows in held.items())
            raise StorageError(f"the PostgreSQL database is not empty: {tables}; move into an empty one")
        with target.transaction():
            for table in _parents_first(target, sqlite_tables(source)):
                _copy_table(source, target, table)
        return Report(
            sqlite_counts(source), postgres_counts(target), sqlite_ledger(source), postgres_ledger(target)
        )
