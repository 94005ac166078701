"""Import: strict CSV rows, encodings detected, columns named as in the file, templates and --help."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli_records import decode, read_table, run_import
from storage.sqlite import SqliteRepository
from tests.conftest import SETTINGS


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


async def test_an_unbalanced_quote_is_a_row_error_not_a_person(
    repo: SqliteRepository, tmp_path: Path
) -> None:
    path = write(tmp_path, "r.csv", '姓名,楼栋,房号\n"刘奶奶,5号楼,201\n马大爷,5号楼,202\n')
    rows, _ = read_table(path)
    report = await run_import(repo, SETTINGS, "residents", rows)
    assert [(p.line, "引号" in p.text) for p in report.problems] == [(2, True)]
    assert report.counts["created"] == 1
    assert await repo.people_named("马大爷") and not await repo.people_named("刘奶奶")


async def test_problems_name_the_column_as_the_file_does(repo: SqliteRepository, tmp_path: Path) -> None:
    path = write(tmp_path, "e.csv", "姓名,楼栋,房号,问候时间\n王奶奶,3号楼,502,25:00\n")
    rows, _ = read_table(path)
    report = await run_import(repo, SETTINGS, "elders", rows)
    assert report.problems and report.problems[0].column == "问候时间"
    assert "签到时间" not in report.problems[0].text


def test_big5_is_read_as_big5_and_gb18030_as_gb18030() -> None:
    big5 = "姓名,樓棟,房號\n陳伯伯,3號樓,502\n林阿姨,5號樓,301\n".encode("big5")
    text, used = decode(big5)
    assert used == "big5" and "陳伯伯" in text
    gbk = "姓名,楼栋,房号\n王奶奶,3号楼,502\n刘师傅,5号楼,301\n".encode("gb18030")
    text, used = decode(gbk)
    assert used == "gb18030" and "刘师傅" in text


def test_random_bytes_are_refused_in_plain_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(bytes(range(256)) * 4 + os.urandom(64))
    assert main(["import", "residents", str(path), "--db", str(tmp_path / "l.db")]) == 2
    err = capsys.readouterr().err
    assert "cannot read the file" in err and "codec" not in err


def test_template_and_help(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "elders.csv"
    assert main(["import", "--template", "elders", str(target)]) == 0
    rows, _ = read_table(target)
    assert rows[0][:2] == ["姓名", "楼栋"] and rows[1][0] == "王奶奶"
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    assert "elders:" in out and "签到时间" in out and "问候时间" in out and "--template" in out
