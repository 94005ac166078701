"""Two `linli run` processes on one PostgreSQL against the Telegram emulator: one polls the bot
token, the other waits; SIGKILL the poller and the other takes over within 15 s, and every
request, including those posted while nobody polled, gets exactly one card."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.failover_harness import ANSWER_SECONDS, HOLDS, STAFF_IDS, TAKEOVER_LIMIT, Failover
from tests.e2e.telegram_peer import LinliProcess, TelegramPeer

pytestmark = [pytest.mark.e2e]


def test_killing_the_token_holder_moves_polling_to_the_other_instance(
    telegram_peer: TelegramPeer,
    linli_factory: Callable[..., LinliProcess],
    postgres_url: str,
    tmp_path: Path,
) -> None:
    failover = Failover(
        telegram_peer,
        lambda name: linli_factory(STAFF_IDS, directory=tmp_path / name, storage_url=postgres_url),
    )
    first = failover.start("first", HOLDS)
    second = failover.start("second")
    assert "storage postgresql://" in second.log_text() and "password" not in second.log_text()

    failover.bind()
    before = [failover.ask() for _ in range(3)]
    failover.answer_all(before, ANSWER_SECONDS)

    switch = failover.kill(first, second)
    print(f"takeover after {switch.took_over:.1f}s; its requests answered after {switch.answered:.1f}s")
    assert switch.took_over <= TAKEOVER_LIMIT

    cards = failover.card_counts()
    assert len(cards) == 6 and all(count == 1 for count in cards.values()), f"cards per request: {cards}"
