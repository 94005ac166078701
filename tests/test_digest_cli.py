"""`linli digest --date … --format text|markdown|png --config … --output …`."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bot import cli
from handlers.common.context import Ctx, FakeClock
from storage.checkin_models import ElderSpec
from storage.lovebank_models import RecordKind
from storage.models import PersonUpdate, Role, TaskState
from storage.sqlite import SqliteRepository
from tests.conftest import START


async def _fill(path: Path) -> None:
    repo = await SqliteRepository(str(path)).open()
    try:
        requester = await repo.upsert_person("王奶奶", Role.ELDER, [("console", "王奶奶")])
        await repo.update_person(requester.id, PersonUpdate(building="3号楼"))
        volunteer = await repo.upsert_person("小李", Role.VOLUNTEER, [("console", "小李")])
        ctx = Ctx(repo=repo, clock=FakeClock(START))
        for n in range(3):
            task = await repo.create_task(
                text=f"买菜 {n}", requester_id=requester.id, at=START, category="shopping"
            )
            if n == 0:
                later = START + timedelta(hours=1)
                moves = [
                    ("claim", TaskState.OPEN, TaskState.CLAIMED, volunteer.id),
                    ("done", TaskState.CLAIMED, TaskState.DONE, volunteer.id),
                    ("confirm", TaskState.DONE, TaskState.CONFIRMED, requester.id),
                ]
                for action, expect, to, actor in moves:
                    await repo.transition_task(
                        task.id,
                        action=action,
                        expect=expect,
                        to=to,
                        actor_id=actor,
                        at=later,
                        claimer_id=volunteer.id if action == "claim" else None,
                        duration_hours=2.0 if action == "confirm" else None,
                    )
                await repo.add_record(  # what the confirm handler writes to the love bank
                    kind=RecordKind.SERVICE,
                    person_id=volunteer.id,
                    hours=2.0,
                    served_at=later,
                    at=later,
                    counterpart_id=requester.id,
                    task_id=task.id,
                    building="3号楼",
                    category="shopping",
                    witness_id=requester.id,
                )
        await repo.save_elder(
            ElderSpec(person_id=requester.id, building="3号楼"), at=ctx.now(), next_due_at=None
        )
    finally:
        await repo.close()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    asyncio.run(_fill(tmp_path / "linli.db"))
    path = tmp_path / "config.toml"
    path.write_text(
        '[community]\nname = "幸福里社区"\n[storage]\nurl = "sqlite:///linli.db"\n[digest]\nchart = false\n',
        encoding="utf-8",
    )
    return path


def test_text_to_stdout(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["digest", "--date", "2026-11-24", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "幸福里社区 11-24(周二)日报" in out
    assert "新求助 3 · 接单 1 · 完成 1 · 未完成 2" in out and "1. 小李 2 小时" in out


def test_markdown_and_english_to_a_file(config: Path, tmp_path: Path) -> None:
    target = tmp_path / "digest.md"
    argv = [
        "digest",
        "--date",
        "2026-11-24",
        "--format",
        "markdown",
        "--language",
        "en",
        "--output",
        str(target),
    ]
    assert cli.main([*argv, "--config", str(config)]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# 幸福里社区 daily digest") and "**🙋 Still open (oldest first)**" in text


def test_png(config: Path, tmp_path: Path) -> None:
    target = tmp_path / "chart.png"
    argv = [
        "digest",
        "--date",
        "2026-11-24",
        "--format",
        "png",
        "--config",
        str(config),
        "--output",
        str(target),
    ]
    assert cli.main(argv) == 0
    assert target.read_bytes().startswith(b"\x89PNG")


def test_a_missing_config_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["digest", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "file not found" in capsys.readouterr().err
