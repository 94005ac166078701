"""Connection lifetime and transactions."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol


class CoreStore(Protocol):
    """Connection lifetime and transactions.

    All times passed in and returned are timezone-aware; methods that read return frozen
    copies. Any method may be called inside ``async with repo.transaction():``; outside one,
    each call is its own transaction.
    """

    def transaction(self) -> AbstractAsyncContextManager[None]:
        """Groups the calls inside into one atomic unit; units nest.

        An error leaving a unit undoes that unit's work alone. Tasks started inside a unit
        (``asyncio.gather``) run their calls in it.
        """
        ...

    async def close(self) -> None:
        """Commits nothing further and closes the connection; idempotent."""
        ...
