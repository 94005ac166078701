"""One incoming message as the handlers see it: who spoke, where, and the language to answer in."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from handlers.common.context import Ctx
from handlers.understanding.understand import Understanding, understand
from storage.checkin_models import Elder
from storage.models import Chat, Incoming, Person, Reply


class _Unknown:
    """Not looked up yet (None is an answer: most people are not registered elders)."""


_UNKNOWN = _Unknown()


@dataclass(slots=True)
class Turn:
    """What the dispatcher knows about one incoming message, shared by all handlers."""

    msg: Incoming
    person: Person
    chat: Chat | None
    inbox_id: int | None
    _understood: Understanding | None = field(default=None, repr=False)
    _elder: Elder | _Unknown | None = field(default=_UNKNOWN, repr=False)
    _elders_named: list[Elder] | None = field(default=None, repr=False)

    async def elder(self, ctx: Ctx) -> Elder | None:
        """The speaker's check-in registration, looked up once (the observer and a handler both ask)."""
        if isinstance(self._elder, _Unknown):
            self._elder = await ctx.repo.elder_of_person(self.person.id)
        return self._elder

    async def elders_named(self, ctx: Ctx) -> list[Elder]:
        """The active registered elders the text names, looked up once (an emergency's pair alert and
        its incident both ask)."""
        if self._elders_named is None:
            self._elders_named = await ctx.repo.elders_named_in(self.msg.text)
        return self._elders_named

    def understood(self, ctx: Ctx) -> Understanding:
        """Understands the text once, lazily (buttons and commands never need it)."""
        if self._understood is None:
            self._understood = understand(self.msg.text, self.msg.at.astimezone(ctx.settings.tz))
        return self._understood

    def language(self, ctx: Ctx) -> str:
        """The language to answer this person in."""
        if self.person.language:
            return self.person.language
        if self.chat is not None and self.chat.language:
            return self.chat.language
        if _COMMAND_ONLY.match(self.msg.text) or not self.msg.text.strip():
            return ctx.settings.language  # "/start" says nothing about the reader's language
        return self.understood(ctx).language


_COMMAND_ONLY = re.compile(r"^\s*/[A-Za-z_]+(?:@\S+)?\s*\S{0,40}$")
_CJK = re.compile(r"[\u3400-\u9fff]")

Handler = Callable[[Incoming, Ctx, Turn], Awaitable[list[Reply] | None]]
"""Returns replies when it handled the message, None to let the next handler try."""


def command_language(ctx: Ctx, turn: Turn) -> str:
    """The language to answer a command in: '/hours 2' says nothing about the speaker, '/存摺' does."""
    if turn.person.language or (turn.chat is not None and turn.chat.language):
        return turn.language(ctx)
    head, _, rest = turn.msg.text.strip().partition(" ")
    if head.isascii():
        if not _CJK.search(rest):
            return ctx.settings.language
        return understand(rest, ctx.now()).language
    return turn.language(ctx)
