"""What a database holds, table by table, on either backend: for backups, restores and moves to
check that nothing was lost (row counts, and the love bank's ledger totals)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

LEDGER_TOTALS = (
    "SELECT count(*), coalesce(sum(hours), 0), coalesce(sum(CASE WHEN served THEN hours ELSE 0 END), 0) "
    "FROM service_records"
)
"""The ledger's rows, balance (every row) and hours served (what stars count), on both dialects."""

PgConnection = psycopg.Connection[Any]


@dataclass(frozen=True)
class Ledger:
    """The love bank's ledger summed up: equal on both sides of a copy, or something was lost."""

    rows: int
    balance: float
    served: float

    def __str__(self) -> str:
        return f"{self.rows} ledger rows, balance {self.balance:g} h, served {self.served:g} h"


def _ledger(row: Any) -> Ledger:
    rows, balance, served = row
    return Ledger(int(rows), round(float(balance), 4), round(float(served), 4))


def sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    """The data tables of a SQLite database (not its schema_version), by name."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' AND name != 'schema_version' ORDER BY name"
    ).fetchall()
    return [str(name) for (name,) in rows]


def postgres_tables(conn: PgConnection) -> list[str]:
    """The data tables of a PostgreSQL database (not its schema_version), by name."""
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' AND table_name != 'schema_version' ORDER BY table_name"
    ).fetchall()
    return [str(name) for (name,) in rows]


def sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per data table."""
    return {
        table: int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        for table in sqlite_tables(conn)
    }


def postgres_counts(conn: PgConnection) -> dict[str, int]:
    """Rows per data table."""
    counts = {}
    for table in postgres_tables(conn):
        row: Any = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()
        counts[table] = int(row[0])
    return counts


def sqlite_ledger(conn: sqlite3.Connection) -> Ledger:
    return _ledger(conn.execute(LEDGER_TOTALS).fetchone())


def postgres_ledger(conn: PgConnection) -> Ledger:
    return _ledger(conn.execute(LEDGER_TOTALS).fetchone())


def sqlite_version(conn: sqlite3.Connection) -> int:
    """The schema version of a SQLite file (0 when it has none)."""
    known = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if known is None:
        return 0
    return int(conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0])


def postgres_version(conn: PgConnection) -> int:
    """The schema version of a PostgreSQL database (0 when it has none)."""
    known: Any = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not known[0]:
        return 0
    row: Any = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0])


def count_lines(counts: dict[str, int]) -> list[str]:
    """One ``table  rows`` line per table that has rows, for the commands to print."""
    width = max((len(table) for table in counts), default=0)
    return [f"  {table:<{width}}  {rows}" for table, rows in counts.items() if rows]
