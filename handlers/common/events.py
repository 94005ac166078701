"""What one feature asks of another, wired in handlers/router.py: features never import each other.

The queue asks the love bank how much priority a requester has earned and tells it of every
confirmed task; the check-in feature hands an elder's private request to the queue.  A hook has
one answerer, connected once when handlers/router.py is imported; a hook nobody connected is a
bug, and says so at once instead of doing nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, ParamSpec, TypeVar

from handlers.common.context import Ctx
from handlers.understanding.understand import Understanding
from storage.models import Chat, Incoming, Person, Reply, Task

P = ParamSpec("P")
R = TypeVar("R")


class Hook(Generic[P, R]):
    """One call from a feature, answered by a function of another feature."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._answer: Callable[P, Awaitable[R]] | None = None

    def connect(self, answer: Callable[P, Awaitable[R]]) -> None:
        """Makes ``answer`` the one function that answers this hook (handlers/router.py does this)."""
        self._answer = answer

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._answer is None:
            raise RuntimeError(f"nothing answers the hook {self.name}: handlers/router.py connects it")
        return await self._answer(*args, **kwargs)


request_priority: Hook[[Ctx, Person], int] = Hook("request_priority")
"""A new request's priority (1 ⭐ or 0) by what its requester has banked: the love bank answers."""

task_confirmed: Hook[[Ctx, Task, Person, str | None, float], list[Reply]] = Hook("task_confirmed")
"""A task was confirmed (task, witness, platform, hours): the love bank writes the passbook line."""

new_request: Hook[[Incoming, Ctx, Understanding, Person, int | None, Chat | None], list[Reply]] = Hook(
    "new_request"
)
"""A request to post as a card (message, understanding, requester, inbox id, group): the queue answers."""
