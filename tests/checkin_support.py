"""Helpers shared by the check-in, reminder, digest and scheduler tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from bot.scheduler import run_job
from handlers.checkin.checkin import run_checkins
from handlers.common.context import Ctx
from storage.models import Reply

ELDER = "王奶奶"
PAIRS = ("小李", "小王")
STAFF = "张书记"
REGISTER = f"/elder {ELDER} 3号楼502 09:30 结对 小李、小王 联系人 王小明 13800138000 备注 高血压"


async def tick(bot: Any, job: Callable[[Ctx], Awaitable[list[Reply]]] = run_checkins) -> list[Any]:
    """Runs a job as the scheduler does (one transaction with the outbox), delivers, returns what went out."""
    await run_job(bot.app, job)
    await bot.app.wait_idle()
    return bot.console.pop()


async def meet(bot: Any, *names: str) -> None:
    """People say hello in the group, so the bot knows their accounts (and says nothing back)."""
    for name in names:
        assert await bot.say(name, "大家好") == []
    await bot.prove(*names)  # staff know these accounts (common/people.py: names resolve to proven ones)


async def register(bot: Any, line: str = REGISTER, people: Iterable[str] = (ELDER, *PAIRS)) -> list[Any]:
    """Staff register an elder privately after the elder and the volunteers have spoken once."""
    await meet(bot, *people)
    sent = await bot.say(STAFF, line, private=True)
    assert sent and "已登记" in sent[0].text, [s.text for s in sent]
    return sent


def to(sent: Iterable[Any], who: str) -> list[Any]:
    """The messages among ``sent`` that went to ``who`` privately."""
    return [s for s in sent if s.chat.private and s.chat.chat_id == who]


def in_groups(sent: Iterable[Any]) -> list[Any]:
    return [s for s in sent if not s.chat.private]


def recipients(sent: Iterable[Any]) -> list[str]:
    return sorted(s.chat.chat_id for s in sent)
