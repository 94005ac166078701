"""SIGKILL at random points loses nothing; a reply is repeated only for a kill between its send and
its mark, and deliveries are counted where they arrive (the bot keeps no transcript)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import durability


@pytest.mark.slow
def test_killed_bot_loses_nothing_and_repeats_little(tmp_path: Path) -> None:
    outcome = durability.run(tmp_path, messages=200, kills=50)
    assert outcome.kills == 50
    assert len(outcome.acked) == 200, "every message is accepted in the end"
    assert outcome.inbox == 200, "each message is stored once, however often it was delivered"
    assert outcome.tasks == 200 and outcome.tasks_per_inbox_max == 1 and outcome.inbox_without_task == 0
    assert outcome.outbox_unsent == 0
    assert outcome.lost_replies == 0 and outcome.phantom_replies == 0
    assert outcome.repeated <= outcome.kills, (outcome.repeated, outcome.repeated_max_per_kill)
    assert outcome.deliveries == outcome.outbox_rows + outcome.repeated
