"""SIGKILL at random points loses nothing and doubles nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import durability


@pytest.mark.slow
def test_killed_bot_loses_and_doubles_nothing(tmp_path: Path) -> None:
    outcome = durability.run(tmp_path, messages=150, kills=20)
    assert outcome.kills == 20
    assert len(outcome.acked) == 150, "every message is accepted in the end"
    assert outcome.inbox == 150, "each message is stored once, however often it was delivered"
    assert outcome.tasks == 150 and outcome.tasks_per_inbox_max == 1 and outcome.inbox_without_task == 0
    assert outcome.outbox_unsent == 0
    assert outcome.duplicate_deliveries == 0
    assert outcome.deliveries == outcome.outbox_rows
