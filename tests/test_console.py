"""The console platform as people use it: speakers, groups, /reply and /press by message number."""

from __future__ import annotations

import json

from bot.platforms.console import ConsoleSession
from storage.models import TaskState
from tests.conftest import BotHarness


async def play(bot: BotHarness, *lines: str) -> list[str]:
    session = ConsoleSession(bot.console)
    for line in lines:
        assert await session.handle_line(line)
        await bot.app.wait_idle()
    return [s.text for s in bot.console.pop()]


async def test_a_whole_flow_typed_at_the_console(bot: BotHarness) -> None:
    said = await play(
        bot,
        "@王奶奶 明天上午谁能帮我买点菜",
        "/as 小李",
        "/reply 1 我来",  # [1] is the bot's first message, whatever people said before it
        "/press 1 完成",  # [1] now shows the edited card's buttons
        "/as 王奶奶",
        "/press 1 确认",
    )
    assert any("#1" in text for text in said)
    assert (await bot.repo.get_task(1)).state is TaskState.CONFIRMED  # type: ignore[union-attr]


async def test_switches_and_private_chat(bot: BotHarness) -> None:
    session = ConsoleSession(bot.console)
    await session.handle_line("/in 5号楼互助群")
    await session.handle_line("@吴奶奶 谁能帮我量一下血压")
    await session.handle_line("/private")
    await session.handle_line("/start")
    await bot.app.wait_idle()
    sent = bot.console.pop()
    assert sent[0].chat.chat_id == "5号楼互助群" and "#1" in sent[0].text
    assert sent[1].chat.private and sent[1].chat.chat_id == "吴奶奶"
    assert not await session.handle_line("/quit")


async def test_json_lines_are_acknowledged_and_bad_lines_skipped(bot: BotHarness) -> None:
    lines: list[str] = []
    bot.console.out = lines.append
    bot.console.jsonl = True
    session = ConsoleSession(bot.console)
    await session.handle_line(json.dumps({"id": "x1", "from": "王奶奶", "text": "谢谢大家"}))
    await session.handle_line("{not json")
    await session.handle_line("/reply 99 我来")
    assert any(json.loads(line).get("ack") == "x1" for line in lines if line.startswith("{"))
    assert any("unreadable line" in line for line in lines)
    assert any("no bot message [99]" in line for line in lines)
    await bot.app.wait_idle()
    assert bot.console.pop() == []
