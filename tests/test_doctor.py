"""`linli doctor`: what is wrong, said plainly, with a non-zero exit when anything is."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from storage import connect_repository
from tests.ops_support import linli, write_config


def _closed_port() -> int:
    """A local port nothing listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_console_only_config_is_healthy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, f"sqlite:///{tmp_path}/linli.db")
    assert await linli(["doctor", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "does not exist yet; the first start creates it" in out
    await (await connect_repository(f"sqlite:///{tmp_path}/linli.db")).close()
    assert await linli(["doctor", "--config", str(config)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["ok", "config:"],
        ["ok", "storage:"],
        ["ok", "console:"],
        ["ok", "staff:"],
    ]
    assert "(current)" in lines[1]
    assert "张书记: console 张书记" in lines[3]


async def test_postgres_storage_is_checked_without_migrating(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, postgres_url)
    assert await linli(["doctor", "--config", str(config)]) == 0
    assert "(current)" in capsys.readouterr().out


async def test_a_bad_config_names_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[storage]\nurl = "mysql://db"\n', encoding="utf-8")
    assert await linli(["doctor", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAIL  config:") and "storage.url" in out
    assert await linli(["doctor", "--config", str(tmp_path / "missing.toml")]) == 1
    assert "FAIL  config:" in capsys.readouterr().out


async def test_unreachable_platforms_and_unreachable_staff_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _closed_port()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{tmp_path}/linli.db"\n\n'
        f'[telegram]\ntoken = "123:ABC"\nbase_url = "http://127.0.0.1:{port}/bot"\n\n'
        f'[wechat]\nendpoint = "127.0.0.1:{port}"\ntoken = "insecure_0a1b2c3d"\n\n'
        '[[staff]]\nname = "张书记"\nconsole = "张书记"\n',
        encoding="utf-8",
    )
    assert await linli(["doctor", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  telegram: cannot reach the Bot API" in out
    assert f"FAIL  wechat: nothing answers at 127.0.0.1:{port} (wechat.endpoint)" in out
    assert "FAIL  staff: 张书记 has ids only on console, which is not configured" in out


async def test_a_newer_database_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/linli.db"
    await (await connect_repository(url)).close()
    with sqlite3.connect(tmp_path / "linli.db") as conn:
        conn.execute("INSERT INTO schema_version VALUES (999, '2030-01-01T00:00:00+00:00')")
    assert await linli(["doctor", "--config", str(write_config(tmp_path, url))]) == 1
    assert "schema version 999, but this Linli knows only up to" in capsys.readouterr().out


def test_a_healthy_start_says_what_it_runs_on(tmp_path: Path) -> None:
    """What docs/operations.md shows: the platforms and storage at start, and a line at stop."""
    config = write_config(tmp_path, f"sqlite:///{tmp_path}/linli.db")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--config", str(config)],
        stdin=subprocess.DEVNULL,  # the console platform stops when its input ends
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f"linli is running: platforms console; storage sqlite:///{tmp_path}/linli.db" in result.stderr
    assert result.stderr.rstrip().endswith("linli stopped")


def test_an_upgrade_logs_each_migration_it_applies(tmp_path: Path) -> None:
    database = tmp_path / "linli.db"
    with sqlite3.connect(database) as conn:  # a database no migration has touched yet
        conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    config = write_config(tmp_path, f"sqlite:///{database}")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--config", str(config)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f"applying migration 001 to {database}" in result.stderr
