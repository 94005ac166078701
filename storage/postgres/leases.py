"""Platform leases on PostgreSQL, timed by the server's clock (see storage/contract/leases.py)."""

from __future__ import annotations

from storage.postgres.core import PostgresCore


class LeaseQueries(PostgresCore):
    async def take_lease(self, name: str, owner: str, seconds: float) -> bool:
        # A racing insert waits for the other's commit, then finds its live lease and takes nothing.
        row = await self._fetchone(
            "INSERT INTO platform_leases AS held (name, owner, lease_until) "
            "VALUES (%(name)s, %(owner)s, statement_timestamp() + make_interval(secs => %(seconds)s)) "
            "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until "
            "WHERE held.owner = excluded.owner OR held.lease_until <= statement_timestamp() "
            "RETURNING owner",
            {"name": name, "owner": owner, "seconds": float(seconds)},
        )
        return row is not None

    async def drop_lease(self, name: str, owner: str) -> None:
        await self._execute("DELETE FROM platform_leases WHERE name = %s AND owner = %s", (name, owner))

    async def lease_holder(self, name: str) -> str | None:
        row = await self._fetchone(
            "SELECT owner FROM platform_leases WHERE name = %s AND lease_until > statement_timestamp()",
            (name,),
        )
        return None if row is None else str(row[0])
