"""SIGKILL at random points loses nothing; a reply is repeated only for a kill between its send and
its mark, and deliveries are counted where they arrive (the bot keeps no transcript). On SQLite and
on PostgreSQL (fewer kills there: each restart waits for the server's connections)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import durability


def check(outcome: durability.Outcome, messages: int, kills: int) -> None:
    assert outcome.kills == kills
    assert len(outcome.acked) == messages, "every message is accepted in the end"
    assert outcome.inbox == messages, "each message is stored once, however often it was delivered"
    assert outcome.tasks == messages and outcome.tasks_per_inbox_max == 1 and outcome.inbox_without_task == 0
    assert outcome.outbox_unsent == 0
    assert outcome.lost_replies == 0 and outcome.phantom_replies == 0
    assert outcome.repeated <= outcome.kills, (outcome.repeated, outcome.repeated_max_per_kill)
    assert outcome.deliveries == outcome.outbox_rows + outcome.repeated


@pytest.mark.slow
def test_killed_bot_loses_nothing_and_repeats_little(tmp_path: Path) -> None:
    check(durability.run(tmp_path, messages=200, kills=50), messages=200, kills=50)


@pytest.mark.slow
def test_killed_bot_loses_nothing_on_postgres(tmp_path: Path, postgres_url: str) -> None:
    check(durability.run(tmp_path, messages=100, kills=20, storage_url=postgres_url), messages=100, kills=20)
