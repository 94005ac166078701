"""Platform leases on SQLite: one process per file, so these only keep the contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.sqlite_core import SqliteCore, ts


class LeaseQueries(SqliteCore):
    async def take_lease(self, name: str, owner: str, seconds: float) -> bool:
        now = datetime.now(UTC)
        _, taken = await self._execute(
            "INSERT INTO platform_leases (name, owner, lease_until) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until "
            "WHERE platform_leases.owner = excluded.owner OR platform_leases.lease_until <= ?",
            (name, owner, ts(now + timedelta(seconds=seconds)), ts(now)),
        )
        return taken > 0

    async def drop_lease(self, name: str, owner: str) -> None:
        await self._execute("DELETE FROM platform_leases WHERE name = ? AND owner = ?", (name, owner))

    async def lease_holder(self, name: str) -> str | None:
        row = await self._fetchone(
            "SELECT owner FROM platform_leases WHERE name = ? AND lease_until > ?",
            (name, ts(datetime.now(UTC))),
        )
        return None if row is None else str(row[0])
