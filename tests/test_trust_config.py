"""Start-up refuses risky configuration, naming the key."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.config import ConfigError, check_runnable, parse_config
from handlers.understanding.actions import MAX_ACTION_CHARS, _parse_short, parse_action
from storage.sqlite import SqliteRepository


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"staff": [{"name": "张", "telegram": "@zhang"}]}, "staff[0].telegram"),
        ({"staff": [{"name": "张", "telegram": "张书记"}]}, "staff[0].telegram"),
        ({"staff": [{"name": "张", "wechat": "张书记"}]}, "staff[0].wechat"),
        ({"staff": [{"name": "张", "wechat": "@zhang"}]}, "staff[0].wechat"),
        ({"community": {"nmae": "幸福里"}}, "community.nmae"),
        ({"storage": {"path": "x.db"}}, "storage.path"),
        ({"console": {"enable": True}}, "console.enable"),
    ],
)
def test_risky_config_is_refused_naming_the_key(data: dict, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    assert caught.value.key == key


def test_no_staff_refuses_to_run() -> None:
    with pytest.raises(ConfigError) as caught:
        check_runnable(parse_config({}))
    assert caught.value.key == "staff"
    check_runnable(parse_config({"staff": [{"name": "张", "telegram": "123456789", "wechat": "wxid_zh1"}]}))


async def test_the_database_is_private_to_its_owner(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    repo = await SqliteRepository(str(folder / "linli.db")).open()
    try:
        await repo.resolve_identity("console", "王奶奶", "王奶奶")
    finally:
        await repo.close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        if path.name.startswith("linli.db"):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_action_memo_holds_only_short_texts() -> None:
    long = "完成 " + "很长的一段话" * 1000
    before = _parse_short.cache_info().currsize
    assert parse_action(long) is None
    assert _parse_short.cache_info().currsize == before
    assert MAX_ACTION_CHARS * (_parse_short.cache_info().maxsize or 0) <= 1_000_000
