"""PostgreSQL storage: the same repository Protocols as SQLite, for a database server that several
processes share (see ``repository.py``); migrations in ``migrations/`` mirror SQLite's, number by number."""

from __future__ import annotations

from storage.postgres.repository import PostgresRepository

__all__ = ["PostgresRepository"]
