"""`linli import` (UTF-8 / GBK / GB18030 CSV and XLSX, row-numbered problems, --strict, idempotent) and
`linli export` (CSV and XLSX with Chinese headers, read back with openpyxl)."""

from __future__ import annotations

import io
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from rich.console import Console

from bot.cli import main
from bot.cli_records import build_export, decode, read_table, run_import, write_csv, write_xlsx
from handlers.common.context import Settings
from handlers.registry.roster import check_row, parse_clock
from storage.models import Role
from storage.sqlite import SqliteRepository
from tests.conftest import SETTINGS, TZ, BotHarness

DATA = Path(__file__).parent / "data"


def table(name: str) -> tuple[list[list[str]], str]:
    return read_table(DATA / name)


async def load(repo: SqliteRepository, kind: str, name: str, strict: bool = False):  # type: ignore[no-untyped-def]
    rows, encoding = table(name)
    return await run_import(repo, SETTINGS, kind, rows, encoding=encoding, strict=strict)


def lines(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{p.line} {p.column} {p.text}" for p in report.problems]


def test_gbk_and_utf8_files_are_recognised() -> None:
    raw = (DATA / "residents_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text, encoding = decode(raw)
    assert encoding == "gb18030" and text.startswith("姓名,楼栋")
    assert decode("\ufeff姓名".encode())[0] == "姓名"  # the BOM Excel writes is dropped
    rows, encoding = table("volunteers_utf8.csv")
    assert encoding == "utf-8" and rows[0][0] == "姓名" and rows[1][3] == "买菜、维修"


async def test_residents_import_reports_row_numbers_and_keeps_the_good_rows(repo: SqliteRepository) -> None:
    report = await load(repo, "residents", "residents_gbk.csv")
    assert lines(report) == [
        "5 姓名 必填,不能为空",
        "6 房号 「6楼」不像房号(如 502)",
        "6 电话 「1380000」不是有效的手机号或座机号",
    ]
    assert report.rows == 6 and report.counts["created"] == 4 and not report.ok
    grandmas = await repo.people_named("王奶奶")
    assert [(p.building, p.room, p.phone) for p in grandmas] == [
        ("3号楼", "502", "13812345678"),
        ("5号楼", "203", "13987654321"),
    ]
    sun = (await repo.people_named("孙大爷"))[0]
    assert (sun.building, sun.phone, sun.role) == ("3号楼", "021-62345678", Role.RESIDENT)
    assert [n.text for n in await repo.care_notes_of(grandmas[0].id)] == ["耳背,敲门要用力"]
    assert await repo.people_named("赵阿姨") == []


async def test_importing_the_same_file_again_changes_nothing(repo: SqliteRepository) -> None:
    await load(repo, "residents", "residents_gbk.csv")
    before = await repo.persons_with_role(Role.RESIDENT)
    again = await load(repo, "residents", "residents_gbk.csv")
    assert (again.counts["created"], again.counts["updated"], again.counts["unchanged"]) == (0, 0, 4)
    assert await repo.persons_with_role(Role.RESIDENT) == before
    grandma = (await repo.people_named("王奶奶"))[0]
    assert len(await repo.care_notes_of(grandma.id)) == 1


async def test_strict_imports_nothing_when_any_row_is_bad(repo: SqliteRepository) -> None:
    report = await load(repo, "residents", "residents_gbk.csv", strict=True)
    assert not report.applied and len(report.problems) == 3
    assert await repo.people_named("王奶奶") == []
    good, encoding = table("residents_gbk.csv")
    report = await run_import(repo, SETTINGS, "residents", good[:4], encoding=encoding, strict=True)
    assert report.ok and report.counts["created"] == 3


async def test_strict_rolls_back_when_a_row_fails_against_the_database(repo: SqliteRepository) -> None:
    await load(repo, "residents", "residents_gbk.csv")
    await load(repo, "volunteers", "volunteers_utf8.csv")
    await load(repo, "elders", "elders_gb18030.csv")
    report = await load(repo, "pairings", "pairings.csv", strict=True)
    assert not report.applied and "「李大爷」还不是登记的老人" in lines(report)[0]
    grandma = await repo.elder_of_person((await repo.people_named("王奶奶"))[0].id)
    assert grandma is not None and len(grandma.volunteer_ids) == 1  # 刘师傅 (row 2) was rolled back


async def test_volunteers_elders_and_pairings(repo: SqliteRepository) -> None:
    await load(repo, "residents", "residents_gbk.csv")
    report = await load(repo, "volunteers", "volunteers_utf8.csv")
    assert lines(report) == [
        "5 技能 不认识的技能「养蜂」;可选:买菜购物、买药取药、送餐做饭、陪同就医、健康护理、维修、"
        "打扫卫生、陪伴聊天、照看孩子、辅导功课、理发、手机电脑、跑腿代办、办事咨询"
    ]
    li = (await repo.people_named("小李"))[0]
    assert (li.role, li.building, li.room) == (Role.VOLUNTEER, "3号楼", "502")
    profile = await repo.get_volunteer(li.id)
    assert profile is not None and profile.skills == ("shopping", "repair") and profile.source == "import"

    report = await load(repo, "elders", "elders_gb18030.csv")
    assert lines(report) == [
        "4 签到时间 「25:00」不是时间(如 09:00)",
        "4 等待分钟 「5」应为 10 到 720 之间的分钟数",
    ]
    grandma = (await repo.people_named("王奶奶"))[0]
    elder = await repo.elder_of_person(grandma.id)
    assert (
        elder is not None and elder.checkin_time.strftime("%H:%M") == "08:30" and elder.window_minutes == 120
    )
    assert (elder.contact_name, elder.contact_phone, elder.volunteer_ids) == (
        "王小红",
        "13700001111",
        (li.id,),
    )
    now_elder = await repo.get_person(grandma.id)
    assert now_elder is not None and now_elder.role is Role.ELDER
    sun = await repo.elder_of_person((await repo.people_named("孙大爷"))[0].id)
    assert sun is not None and sun.checkin_time.strftime("%H:%M") == "09:00" and len(sun.volunteer_ids) == 2
    assert (await load(repo, "elders", "elders_gb18030.csv")).counts["unchanged"] == 2

    report = await load(repo, "pairings", "pairings.csv")
    assert lines(report) == [
        "4 老人 「李大爷」还不是登记的老人,请先导入老人名单",
        "5 老人 有不止一位「王奶奶」,请填上楼栋和房号来区分",
    ]
    assert (report.counts["created"], report.counts["unchanged"]) == (1, 1)
    elder = await repo.elder_of_person(grandma.id)
    liu = (await repo.people_named("刘师傅"))[0]
    assert elder is not None and elder.volunteer_ids == (li.id, liu.id)
    again = await load(repo, "pairings", "pairings.csv")
    assert again.counts["created"] == 0 and again.counts["unchanged"] == 2


async def test_header_problems(repo: SqliteRepository) -> None:
    report = await run_import(repo, SETTINGS, "residents", [["楼栋", "血型"], ["3号楼", "A"]])
    assert not report.applied and lines(report) == ["1 姓名 缺少必填的列「姓名」"]
    report = await run_import(repo, SETTINGS, "residents", [["姓名", "血型"], ["王奶奶", "A"]])
    assert report.ok and report.counts["created"] == 1
    assert "不认识的列「血型」" in report.warnings[0].text
    report = await run_import(repo, SETTINGS, "residents", [["姓名", "血型"], ["王奶奶", "A"]], strict=True)
    assert not report.applied
    report = await run_import(
        repo, SETTINGS, "residents", [["name", "building"], ["Anna", "3"], ["Anna", "3号楼"]]
    )
    assert lines(report) == ["3 None 与第 2 行重复"]


async def test_a_large_file_shows_a_progress_bar(repo: SqliteRepository) -> None:
    rows = [["姓名", "楼栋", "房号"]] + [[f"居民{i}", f"{i % 9 + 1}号楼", f"{100 + i}"] for i in range(250)]
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    report = await run_import(repo, SETTINGS, "residents", rows, console=console)
    assert report.counts["created"] == 250
    assert "250/250" in out.getvalue() and "━" in out.getvalue()
    small = io.StringIO()
    await run_import(repo, SETTINGS, "residents", rows[:10], console=Console(file=small, force_terminal=True))
    assert small.getvalue() == ""


async def test_an_xlsx_file_imports_like_a_csv(repo: SqliteRepository, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "楼栋", "房号", "电话"])
    sheet.append(["王奶奶", 3, 502, 13812345678])
    book.save(tmp_path / "residents.xlsx")
    rows, encoding = read_table(tmp_path / "residents.xlsx")
    assert encoding == "xlsx" and rows[1] == ["王奶奶", "3", "502", "13812345678"]
    report = await run_import(repo, SETTINGS, "residents", rows)
    assert report.ok and (await repo.people_named("王奶奶"))[0].phone == "13812345678"


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ({"name": "王奶奶", "language": "fr"}, "不是支持的语言"),
        ({"name": "王奶奶", "telegram": "@wang"}, "不是 Telegram 数字账号"),
        ({"name": "王" * 21}, "太长了"),
        ({"name": "王奶奶", "language": "繁体", "telegram": "12345678"}, None),
    ],
)
def test_row_checks(cells: dict[str, str], problem: str | None) -> None:
    result = check_row("residents", 2, cells, "zh-Hans")
    if problem is None:
        assert not isinstance(result, list) and result.get("language") == "zh-Hant"
    else:
        assert isinstance(result, list) and problem in result[0].text


@pytest.mark.parametrize(
    ("text", "clock"), [("9:00", "09:00"), ("8点半", "08:30"), ("18点", "18:00"), ("25:00", None)]
)
def test_check_in_times(text: str, clock: str | None) -> None:
    parsed = parse_clock(text)
    assert (parsed.strftime("%H:%M") if parsed else None) == clock


def test_the_command_line_imports_and_exports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "linli.db"
    csv_file = tmp_path / "居民.csv"
    shutil.copy(DATA / "residents_gbk.csv", csv_file)
    assert main(["import", "residents", str(csv_file), "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "第 5 行 [姓名] 必填,不能为空" in out and "居民:共 6 行,新增 4" in out and "gb18030" in out
    assert main(["import", "residents", str(csv_file), "--db", str(db), "--strict"]) == 1
    assert "没有导入任何一行" in capsys.readouterr().out
    assert main(["import", "volunteers", str(tmp_path / "none.csv"), "--db", str(db)]) == 2
    output = tmp_path / "passbooks.csv"
    assert main(["export", "passbooks", "--db", str(db), "-o", str(output), "--from", "2026-01-01"]) == 0
    assert "已导出" in capsys.readouterr().out
    assert output.read_bytes().startswith(b"\xef\xbb\xbf\xe5\xa7\x93\xe5\x90\x8d")  # BOM + 姓名, for Excel
    gbk = tmp_path / "tasks.csv"
    assert main(["export", "tasks", "--db", str(db), "-o", str(gbk), "--encoding", "gbk"]) == 0
    assert gbk.read_bytes().decode("gbk").startswith("任务号,发布时间")
    assert main(["export", "audit", "--db", str(db), "--quarter", "2026Q5"]) == 2
    assert main(["export", "audit", "--db", str(db), "--quarter", "2026Q4", "--format", "csv"]) == 2


# -- exports ------------------------------------------------------------------------------------------


async def community_with_history(bot: BotHarness) -> None:
    await bot.say("王奶奶", "3号楼502王奶奶想请人明天上午帮忙买点菜")
    await bot.reply("小李", 1, "我来")
    await bot.reply("小李", 1, "完成,用了两个小时")
    await bot.reply("王奶奶", 1, "确认")
    await bot.say("孙大爷", "3号楼孙大爷家的灯泡坏了,谁能帮忙换一下")
    await bot.reply("刘师傅", 2, "我来")
    await bot.reply("刘师傅", 2, "完成")
    await bot.reply("孙大爷", 2, "确认")
    await bot.prove("小李")
    await bot.say("张书记", "/record 小李 8.5 11月16日社区义诊活动", private=True)
    await bot.say("张书记", "/correct 1 1.5 实际一个半小时", private=True)
    await bot.say("小李", "我家水管漏水了,谁能帮忙修一下?")
    bot.console.pop()


async def test_records_xlsx_round_trip_with_chinese_headers(bot: BotHarness, tmp_path: Path) -> None:
    await community_with_history(bot)
    sheets = await build_export(bot.repo, SETTINGS, "records", date(2026, 11, 1), date(2026, 11, 30))
    path = tmp_path / "records.xlsx"
    write_xlsx(sheets, path, "zh-Hans")
    book = load_workbook(path)
    assert book.sheetnames == ["服务记录"]
    sheet = book["服务记录"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "记录号", "日期", "类型", "志愿者", "服务对象", "楼栋", "房号", "服务类别", "服务内容",
        "时长(小时)", "累计时长", "可用时长", "见证人", "任务号", "更正记录号", "更正原因",
    )  # fmt: skip
    first = rows[1]
    assert first[0] == 1 and first[2] == "服务" and first[3] == "小李" and first[4] == "王奶奶"
    assert (first[5], first[6], first[7], first[9], first[10], first[12], first[13]) == (
        "3号楼", "502", "买菜购物", 2, 2, "王奶奶", 1,
    )  # fmt: skip
    assert isinstance(first[1], datetime) and first[1].date() == date(2026, 11, 24)
    kinds = [row[2] for row in rows[1:]]
    assert kinds == ["服务", "服务", "服务", "更正"]
    correction = rows[4]
    assert (correction[9], correction[10], correction[14], correction[15]) == (-0.5, 10, 1, "实际一个半小时")
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    widths = {
        sheet.cell(1, c).value: sheet.column_dimensions[sheet.cell(1, c).column_letter].width
        for c in range(1, 17)
    }
    assert widths["服务内容"] > widths["记录号"] >= 6  # text columns are wide, numbers narrow
    assert all(6 <= w <= 60 for w in widths.values())


async def test_audit_has_records_passbooks_breakdowns_and_tasks(bot: BotHarness, tmp_path: Path) -> None:
    await community_with_history(bot)
    sheets = await build_export(bot.repo, SETTINGS, "audit", date(2026, 10, 1), date(2026, 12, 31))
    path = tmp_path / "audit.xlsx"
    write_xlsx(sheets, path, "zh-Hans")
    book = load_workbook(path)
    assert book.sheetnames == ["服务记录", "存折汇总", "按类别", "按楼栋", "求助任务"]
    passbooks = list(book["存折汇总"].iter_rows(values_only=True))
    assert passbooks[0][:3] == ("姓名", "楼栋", "电话")
    li = next(row for row in passbooks if row[0] == "小李")
    assert (li[5], li[6], li[7], li[8], li[9]) == (2, 10, 10, "⭐", 10)
    by_building = {row[0]: row[2] for row in book["按楼栋"].iter_rows(min_row=2, values_only=True)}
    assert by_building["3号楼"] == 2.5
    tasks = list(book["求助任务"].iter_rows(values_only=True))
    assert tasks[0][:4] == ("任务号", "发布时间", "状态", "服务类别")
    assert [row[2] for row in tasks[1:]] == ["已完成", "已完成", "待接单"]
    assert tasks[3][6] == "⭐"  # the volunteer's own request had priority


async def test_csv_and_english_exports(bot: BotHarness) -> None:
    await community_with_history(bot)
    english = Settings(language="en", community=SETTINGS.community, staff=SETTINGS.staff)
    sheets = await build_export(bot.repo, english, "tasks", date(2026, 11, 1), date(2026, 11, 30))
    out = io.StringIO()
    write_csv(sheets, out, "en")
    head, first = out.getvalue().splitlines()[:2]
    assert head.startswith("Task,Posted,State,Category")
    assert first.startswith("1,2026-11-24 09:00,complete,shopping,")


async def test_checkins_export(bot: BotHarness) -> None:
    from handlers.checkin.checkin import run_checkins
    from handlers.common.elders import register_elder
    from storage.checkin_models import ElderSpec

    await bot.say("王奶奶", "你好", private=True)
    grandma = await bot.repo.find_person_by_name("王奶奶")
    assert grandma is not None
    await register_elder(bot.app.ctx, ElderSpec(person_id=grandma.id, building="3号楼", room="502"))
    bot.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=TZ))
    await bot.app.enqueue(await run_checkins(bot.app.ctx))
    await bot.app.wait_idle()
    await bot.say("王奶奶", "好着呢", private=True)
    bot.console.pop()
    sheets = await build_export(bot.repo, SETTINGS, "checkins", date(2026, 11, 20), date(2026, 11, 30))
    [sheet] = sheets
    assert sheet.title == "签到记录" and len(sheet.rows) == 1
    row = sheet.rows[0]
    assert isinstance(row[0], date) and row[1] == "王奶奶" and row[2] == "3号楼" and row[3] == "502"
    assert isinstance(row[5], datetime)  # answered


def test_export_defaults_to_an_xlsx_file_named_after_the_range(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["export", "records", "--db", "linli.db", "--from", "2026-11-01", "--to", "2026-11-30"]) == 0
    written = tmp_path / "linli-records-2026-11-01-2026-11-30.xlsx"
    assert written.is_file() and load_workbook(written).sheetnames == ["服务记录"]
    assert str(written.name) in capsys.readouterr().out
