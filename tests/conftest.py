"""Shared fixtures: a fake clock, a fresh migrated repository, and a bot on the console platform."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from handlers.common.context import FakeClock, Settings, StaffMember
from storage.sqlite import SqliteRepository
from tests.postgres_server import SERVER

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)
GROUP = "3号楼互助群"
STAFF = "张书记"
SETTINGS = Settings(community="幸福里社区", staff=(StaffMember(STAFF, (("console", STAFF),)),))


@pytest.fixture(scope="session", autouse=True)
def postgres_server() -> Iterator[None]:
    """The session's PostgreSQL server (tests/postgres_server.py): started by the first test that
    needs one, stopped (and a throwaway one deleted) when the session ends."""
    yield
    SERVER.stop()


@pytest.fixture
async def postgres_url() -> str:
    """A fresh, migrated, empty PostgreSQL database; the test fails (never skips) without a server."""
    return await SERVER.fresh_url()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def repo(tmp_path: Path) -> AsyncIterator[SqliteRepository]:
    repository = await SqliteRepository(str(tmp_path / "linli.db")).open()
    yield repository
    await repository.close()


class BotHarness:
    """The full stack on the console platform: push messages as people, read what the bot said."""

    def __init__(self, app: Any, console: Any, repo: SqliteRepository, clock: FakeClock) -> None:
        self.app = app
        self.console = console
        self.repo = repo
        self.clock = clock

    async def say(self, who: str, text: str, chat: str = GROUP, **kw: object) -> list:
        """Says something, lets the bot answer, and returns what it sent."""
        await self.console.say(who, text, chat, **kw)  # type: ignore[arg-type]
        await self.app.wait_idle()
        return self.console.pop()

    async def reply(self, who: str, task_id: int, text: str, chat: str = GROUP) -> list:
        card = self.console.last_card(task_id, chat)
        assert card is not None, f"no card for #{task_id} in {chat}"
        return await self.say(who, text, chat, reply_to=card.message_id)

    async def press(self, who: str, task_id: int, label: str, chat: str = GROUP) -> str | None:
        card = self.console.last_card(task_id, chat)
        assert card is not None
        toast = await self.console.press(who, card, label)
        await self.app.wait_idle()
        return toast

    def texts(self, sent: list) -> list[str]:
        return [s.text for s in sent]

    def block_private(self, monkeypatch: pytest.MonkeyPatch, account: str, why: str) -> None:
        """Makes private messages to this console account fail as the platform would refuse them."""
        from bot.platforms.base import Unreachable
        from storage.models import ChatRef

        original = self.console.send
        blocked_chat = ChatRef("console", account, True)

        async def send(reply: Any, key: str) -> Any:
            if reply.chat == blocked_chat:
                raise Unreachable(why)
            return await original(reply, key)

        monkeypatch.setattr(self.console, "send", send)

    async def prove(self, *names: str) -> None:
        """Marks these console accounts as proven, as staff picking them (or an invitation) would."""
        for name in names:
            await self.repo.verify_identity("console", name)


@pytest.fixture
async def bot(repo: SqliteRepository, clock: FakeClock) -> AsyncIterator[BotHarness]:
    from bot.app import Linli
    from bot.platforms.console import ConsolePlatform

    console = ConsolePlatform(clock=clock)
    app = Linli(repo, SETTINGS, clock, [console])
    await repo.bind_chat("console", GROUP, "3号楼")
    await repo.bind_chat("console", "5号楼互助群", "5号楼")
    await app.start(sender=False)
    harness = BotHarness(app, console, repo, clock)
    yield harness
    await app.stop()
    leftovers = console.unread()
    assert not leftovers, f"unread bot messages: {[s.text for s in leftovers]}"
