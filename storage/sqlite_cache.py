"""A read cache for the tables nearly every message looks up: people, accounts, chats, elders,
and the love bank's records (a requester's balance decides the ⭐).

Exact, not time-based: it is used only inside a transaction, where BEGIN IMMEDIATE
holds the write lock, so no other connection can change anything until COMMIT.
Each BEGIN compares ``PRAGMA data_version`` (which moves when another connection
or process has committed) and starts empty if it moved; our own writes to these
tables, and every rollback, empty it too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from enum import Enum
from functools import lru_cache
from typing import Any

REFERENCE_TABLES = frozenset({"persons", "identities", "chats", "elders", "service_records"})
MAX_ENTRIES = 4096
MAX_ROWS_PER_ENTRY = 256  # a passbook of thousands of lines is read once, not kept

_TABLES = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE(?:\s+OR\s+\w+)?)\s+([A-Za-z_]\w*)", re.I)
_NO_DATA = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "ANALYZE")
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "WITH")


class Effect(Enum):
    """What a statement means for the cache."""

    CACHEABLE = "a read of reference tables only"
    FORGETS = "may change a reference table"
    NONE = "touches other tables only"


@lru_cache(maxsize=2048)
def effect(sql: str) -> Effect:
    """Classifies one SQL text (memoized: the repository's statements are a fixed set)."""
    head = sql.lstrip()[:10].upper()
    tables = {name.lower() for name in _TABLES.findall(sql)}
    if head.startswith("SELECT"):
        return Effect.CACHEABLE if tables and tables <= REFERENCE_TABLES else Effect.NONE
    if head.startswith(_NO_DATA):
        return Effect.NONE
    if head.startswith(_WRITES):
        return Effect.FORGETS if tables & REFERENCE_TABLES else Effect.NONE
    return Effect.FORGETS  # schema changes and anything unforeseen


class ReadCache:
    """Rows of reference-table reads keyed by SQL text and parameters, and the (immutable)
    domain objects built from them, keyed by the builder too."""

    __slots__ = ("_rows", "objects", "version")

    def __init__(self) -> None:
        self._rows: dict[tuple[str, tuple[Any, ...]], tuple[Any, ...]] = {}
        self.objects: dict[tuple[str, tuple[Any, ...], Callable[[list[Any]], Any]], Any] = {}
        self.version: int | None = None

    def get(self, sql: str, params: Sequence[Any]) -> list[Any] | None:
        found = self._rows.get((sql, tuple(params)))
        return None if found is None else list(found)

    def put(self, sql: str, params: Sequence[Any], rows: list[Any]) -> None:
        if len(rows) > MAX_ROWS_PER_ENTRY:
            return
        if len(self._rows) >= MAX_ENTRIES or len(self.objects) >= MAX_ENTRIES:
            self.clear()
        self._rows[(sql, tuple(params))] = tuple(rows)

    def begin(self, version: int) -> None:
        """At BEGIN: keeps the rows only if no other connection committed since they were read."""
        if version != self.version:
            self.clear()
            self.version = version

    def clear(self) -> None:
        self._rows.clear()
        self.objects.clear()

    def __len__(self) -> int:
        return len(self._rows)
