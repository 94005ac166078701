"""Two `linli run` processes on one PostgreSQL against the Telegram emulator: one polls the bot
token, the other waits; SIGKILL the poller and the other takes over within 15 s, and every
request, including those posted while nobody polled, gets exactly one card."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.telegram_peer import Group, LinliProcess, TelegramPeer, User

pytestmark = [pytest.mark.e2e]

BOSS = User(1001, "张书记")
STAFF_IDS = {"张书记": BOSS.id}
NEIGHBOURS = [User(5001 + n, f"邻居{n}") for n in range(6)]
HOLDS = "linli is running: platforms telegram;"
WAITS = "telegram (waiting for its lease"
TAKEN = "telegram: this instance holds the lease"
TAKEOVER_LIMIT = 15.0


def wait_for_log(bot: LinliProcess, words: str, timeout: float) -> float:
    """Waits until the process's log says ``words``; returns when it was seen (monotonic)."""
    deadline = time.monotonic() + timeout
    while words not in bot.log_text():
        bot.guard()
        if time.monotonic() > deadline:
            raise AssertionError(f"{bot.log_path} never said {words!r}:\n{bot.log_text()[-3000:]}")
        time.sleep(0.05)
    return time.monotonic()


def request(n: int) -> str:
    return f"3号楼50{n}室想请人明天上午帮忙买点菜"


def test_killing_the_token_holder_moves_polling_to_the_other_instance(
    telegram_peer: TelegramPeer,
    linli_factory: Callable[..., LinliProcess],
    postgres_url: str,
    tmp_path: Path,
) -> None:
    first = linli_factory(STAFF_IDS, directory=tmp_path / "first", storage_url=postgres_url)
    wait_for_log(first, HOLDS, 30)
    second = linli_factory(STAFF_IDS, directory=tmp_path / "second", storage_url=postgres_url)
    wait_for_log(second, WAITS, 30)
    assert "storage postgresql://" in second.log_text() and "password" not in second.log_text()

    group = Group.fresh("3号楼互助群")
    since = telegram_peer.say(BOSS, BOSS, "/start")
    telegram_peer.wait_message(BOSS, lambda m: True, timeout=30, after=since)
    bound = telegram_peer.say(group, BOSS, "/bind 3号楼")
    telegram_peer.wait_message(group, lambda m: m.reply_to == bound)

    def card_for(asked: int, timeout: float = 15.0) -> None:
        telegram_peer.wait_message(group, lambda m: m.reply_to == asked and m.text.startswith("🙋"), timeout)

    before = [telegram_peer.say(group, user, request(n)) for n, user in enumerate(NEIGHBOURS[:3])]
    for asked in before:
        card_for(asked)
    time.sleep(1.0)  # the delivery marks are written (within 0.2 s)

    telegram_peer.guards.remove(first.guard)
    first.crash()  # SIGKILL: no lease handed back, nothing flushed
    killed = time.monotonic()
    during = []
    for n, user in enumerate(NEIGHBOURS[3:], start=3):  # posted while nobody polls
        during.append(telegram_peer.say(group, user, request(n)))
        time.sleep(1.0)
    took_over = wait_for_log(second, TAKEN, TAKEOVER_LIMIT + 5) - killed
    for asked in during:
        card_for(asked, timeout=TAKEOVER_LIMIT + 10)
    answered = time.monotonic() - killed
    print(f"takeover after {took_over:.1f}s; cards for the requests of the switch after {answered:.1f}s")
    assert took_over <= TAKEOVER_LIMIT

    time.sleep(2.0)  # a second card would come now
    for asked in before + during:
        cards = [m for m in telegram_peer.sent(group) if m.reply_to == asked and m.text.startswith("🙋")]
        assert len(cards) == 1, f"request {asked} got {len(cards)} cards"
