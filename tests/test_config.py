"""Config files: the example loads; every mistake names its key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config, parse_config

ROOT = Path(__file__).resolve().parent.parent


def test_example_config_loads() -> None:
    config = load_config(ROOT / "config.example.toml")
    assert config.settings.community == "幸福里社区"
    assert config.settings.timezone == "Asia/Shanghai"
    assert config.storage_url == f"sqlite:///{ROOT}/data/linli.db"
    assert config.settings.staff[0].identities == (("console", "张书记"),)
    assert config.telegram is None and config.wechat is None


def test_incident_ack_minutes_default_and_set() -> None:
    assert parse_config({}).settings.incident_ack_minutes == 5
    assert parse_config({"incidents": {"ack_minutes": 3}}).settings.incident_ack_minutes == 3


@pytest.mark.parametrize(
    ("data", "key", "problem"),
    [
        ({"community": {"timezone": "Mars/Olympus"}}, "community.timezone", "unknown timezone"),
        ({"community": {"language": "fr"}}, "community.language", "not one of"),
        ({"community": "x"}, "community", "must be a table"),
        ({"storage": {"url": "mysql://db"}}, "storage.url", "sqlite://"),
        ({"staff": [{"telegram": "1"}]}, "staff[0].name", "needs a name"),
        ({"staff": [{"name": "张"}]}, "staff[0]", "at least one"),
        ({"staff": [{"name": "张", "console": "z", "phone": "1"}]}, "staff[0].phone", "unknown key"),
        ({"staff": {"name": "张"}}, "staff", "[[staff]]"),
        ({"groups": [{"platform": "qq", "chat": "1", "building": "3号楼"}]}, "groups[0].platform", "one of"),
        ({"groups": [{"platform": "console", "chat": "g"}]}, "groups[0].building", "building"),
        ({"hours": {"shopping": -1}}, "hours.shopping", "between 0 and 24"),
        ({"hours": {"juggling": 1}}, "hours.juggling", "unknown category"),
        ({"telegarm": {}}, "telegarm", "unknown section"),
        ({"community": {"name": 3.5}}, "community.name", "must be a string"),
        ({"incidents": {"ack_minutes": 0}}, "incidents.ack_minutes", "from 1 to 60"),
        ({"incidents": {"ack": 5}}, "incidents.ack", "unknown key"),
    ],
)
def test_mistakes_name_the_key(data: dict, key: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    assert caught.value.key == key
    assert problem in caught.value.problem


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[community\nname = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(broken)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(binary)


def test_cli_reports_bad_config_and_exits_nonzero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[community]\ntimezone = "Nowhere/Land"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--config", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "community.timezone" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_refuses_a_config_with_no_platform(tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.toml"
    quiet.write_text('[storage]\nurl = "sqlite:///x.db"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--config", str(quiet)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no platform is configured" in result.stderr


def test_help_reads_well() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for command in ("demo", "console", "run", "parse"):
        assert command in result.stdout


def test_parse_answers_every_line_even_blank_and_undecodable() -> None:
    feed = '{"text": "好的", "now": "2026-11-24T09:00:00+08:00"}\n\n'.encode() + b"\xff\xfe junk\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "parse"], input=feed, capture_output=True, timeout=60
    )
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 3
    assert '"intent": "other"' in lines[0] and "error" in lines[1] and "error" in lines[2]
