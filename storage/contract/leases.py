"""Platform leases: which instance may use a connection that allows one consumer at a time."""

from __future__ import annotations

from typing import Protocol


class LeaseStore(Protocol):
    """Leases that run out unless renewed, timed by the database's clock (instances on several
    machines never compare their own clocks)."""

    async def take_lease(self, name: str, owner: str, seconds: float) -> bool:
        """Takes the lease ``name`` for ``owner`` for ``seconds`` from now, or renews it if ``owner``
        holds it; False while another owner holds it and it has not run out."""
        ...

    async def drop_lease(self, name: str, owner: str) -> None:
        """Ends ``owner``'s lease at once (a clean stop), so another instance need not wait it out."""
        ...

    async def lease_holder(self, name: str) -> str | None:
        """Returns who holds the lease ``name`` now, or None when nobody does."""
        ...
