"""Send pacing per platform and chat, so the bot stays inside what each platform tolerates."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from storage.models import Reply


class Pacer:
    """Waits before each send as long as the platform's limits require (none by default)."""

    @contextlib.asynccontextmanager
    async def turn(self, reply: Reply) -> AsyncIterator[None]:
        """Holds a send until the limits of its platform and chat allow it."""
        yield
