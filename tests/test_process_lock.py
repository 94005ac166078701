"""One process per SQLite file: a second `linli run` on the same database exits at once, naming the first."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage.lockfile import DatabaseInUse, ProcessLock
from tests.durability import ROOT, write_config


def test_the_lock_names_its_holder_and_is_free_again_once_released(tmp_path: Path) -> None:
    database = tmp_path / "linli.db"
    with (
        ProcessLock(database),
        pytest.raises(DatabaseInUse, match=r"linli\.db is already in use by pid \d+ on "),
    ):
        ProcessLock(database).acquire()
    with ProcessLock(database):
        pass


@pytest.mark.slow
def test_a_second_linli_run_on_the_same_file_exits_at_once_naming_the_first(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    command = [sys.executable, "-m", "bot.cli", "run", "--config", str(config)]
    first = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        lock = tmp_path / "linli.db.lock"
        deadline = time.monotonic() + 30
        while f"pid {first.pid} " not in (lock.read_text() if lock.exists() else ""):
            assert first.poll() is None and time.monotonic() < deadline, "the first process did not start"
            time.sleep(0.05)
        began = time.monotonic()
        second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=30)
        assert second.returncode == 2
        assert f"is already in use by pid {first.pid} on " in second.stderr
        assert time.monotonic() - began < 10  # at once: no waiting for the lock
        assert first.poll() is None  # the first one is untouched
    finally:
        first.terminate()
        first.wait(timeout=30)
