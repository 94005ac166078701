"""The group chats the bot is in."""

from __future__ import annotations

from typing import Protocol

from storage.models import Chat, ChatUpdate


class ChatStore(Protocol):
    """Group chats: their titles, languages, reachability and the building each is bound to."""

    async def upsert_chat(self, platform: str, chat_id: str, title: str | None) -> Chat:
        """Records a group chat the bot has seen (a new title replaces the old); keeps its binding."""
        ...

    async def get_chat(self, platform: str, chat_id: str) -> Chat | None:
        """Returns the chat, or None if the bot never saw it."""
        ...

    async def bind_chat(self, platform: str, chat_id: str, building: str | None) -> Chat:
        """Binds (or with None unbinds) a chat to a building, recording the chat if it is new."""
        ...

    async def update_chat(self, platform: str, chat_id: str, change: ChatUpdate) -> None:
        """Writes the fields ``change`` sets; unknown chats are ignored."""
        ...

    async def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        """Re-keys a chat and everything pointing at it (a group that became a supergroup)."""
        ...

    async def chats_for_building(self, building: str) -> list[Chat]:
        """Returns every reachable chat bound to ``building``, on every platform."""
        ...
