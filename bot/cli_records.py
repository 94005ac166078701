"""`linli import` and `linli export`: staff spreadsheets in (UTF-8 or GBK CSV, XLSX), records out (CSV, XLSX).

Imports check every row first, then apply the good ones in one transaction (or
none with ``--strict``); importing the same file again changes nothing.
Exports carry Chinese headers and sensible column widths, ready for the street office.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import logging
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from bot.config import Config, ConfigError, load_config, parse_config
from handlers.common.context import Ctx, Settings, SystemClock
from handlers.common.texts import t
from handlers.lovebank.timebank import stars_for, year_span
from handlers.registry.roster import (
    ALLOWED,
    COLUMNS,
    KINDS,
    REQUIRED,
    Problem,
    Row,
    RowError,
    apply_row,
    check_row,
    header_columns,
    label,
)
from storage import connect_repository
from storage.base import Repository
from storage.lovebank_models import RecordKind

log = logging.getLogger(__name__)

PROGRESS_MIN_ROWS = 200
"""Files with at least this many rows show a progress bar (on a terminal)."""

EXPORT_KINDS = ("tasks", "records", "passbooks", "checkins", "audit")
_MIN_WIDTH, _MAX_WIDTH = 6, 60


# -- reading spreadsheets --------------------------------------------------------------------------


class UnreadableFile(ValueError):
    """Bytes that are not a text table in any encoding we read (random bytes, a renamed picture …)."""


BROKEN_ROW = "\x00broken-quote"
"""The single cell of a row whose quotes do not balance: reported as that row's problem."""


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decodes a CSV: UTF-8 (BOM or not), else Big5 or GB18030 as charset-normalizer judges it."""
    if encoding:
        return data.decode(encoding), encoding
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # here: only a CSV that is not UTF-8 needs it

    best = from_bytes(data, cp_isolation=["big5", "gb18030", "cp950"]).best()
    if best is None or "\x00" in str(best):
        raise UnreadableFile("not a text table in UTF-8, GB18030/GBK or Big5")
    used = "big5" if best.encoding in ("big5", "cp950") else "gb18030"
    try:
        return data.decode("cp950" if used == "big5" else used), used
    except UnicodeDecodeError:
        raise UnreadableFile("not a text table in UTF-8, GB18030/GBK or Big5") from None


def read_table(path: Path, encoding: str | None = None) -> tuple[list[list[str]], str]:
    """Returns the rows of a CSV or XLSX file as text cells, and the encoding it was read in.

    CSV is read strictly, one line per row: a line whose quotes do not balance becomes a row
    holding only :data:`BROKEN_ROW` (reported as that row's problem), never the rest of the file.
    """
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook  # here: only spreadsheets need it, and it is slow to load

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)], "xlsx"
    text, used = decode(path.read_bytes(), encoding)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t，")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[str]] = []
    for line in text.splitlines():
        if line.count('"') % 2:
            rows.append([BROKEN_ROW])
            continue
        try:
            rows.extend(csv.reader([line], dialect, strict=True))
        except csv.Error:
            rows.append([BROKEN_ROW])
    return rows, used


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | time):
        return value.strftime("%H:%M") if isinstance(value, time) else value.isoformat(sep=" ")
    return str(value)


# -- import ----------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did, for the summary and the exit code."""

    kind: str
    encoding: str
    rows: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    applied: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems


class _StrictAbort(Exception):
    """A row failed against the database under --strict: roll everything back."""


async def run_import(
    repo: Repository,
    settings: Settings,
    kind: str,
    table: list[list[str]],
    *,
    encoding: str = "utf-8",
    strict: bool = False,
    console: Console | None = None,
) -> ImportReport:
    """Checks every row, then applies the good ones in one transaction; ``strict``: none if any is bad."""
    language = settings.language
    report = ImportReport(kind, encoding)
    if not table:
        report.problems.append(Problem(1, None, t(language, "import.empty")))
        return report
    columns, header_problems = header_columns(kind, table[0], language)
    missing = [p for p in header_problems if p.fatal]
    report.warnings += [p for p in header_problems if p not in missing]
    if missing:
        report.problems += missing
        report.applied = False
        return report
    if strict and report.warnings:
        report.problems += report.warnings
        report.warnings = []
    checked: list[Row] = []
    seen: dict[tuple[str, ...], int] = {}
    in_file = {label(col): table[0][i].strip().lstrip("\ufeff") for i, col in enumerate(columns) if col}
    for line, cells in enumerate(table[1:], start=2):
        if cells == [BROKEN_ROW]:
            report.rows += 1
            report.problems.append(Problem(line, None, t(language, "import.bad_quote")))
            continue
        if not any(c.strip() for c in cells):
            continue
        report.rows += 1
        values = {col: cells[i] for i, col in enumerate(columns) if col and i < len(cells)}
        result = check_row(kind, line, values, language)
        if isinstance(result, list):
            report.problems += [_as_in_file(problem, in_file) for problem in result]
            continue
        key = _row_key(kind, result)
        if key in seen:
            report.problems.append(Problem(line, None, t(language, "import.duplicate", line=seen[key])))
            continue
        seen[key] = line
        checked.append(result)
    if strict and report.problems:
        report.applied = False
        return report
    ctx = Ctx(repo=repo, clock=SystemClock(settings.tz), settings=settings)
    try:
        async with repo.transaction():
            with _progress(len(checked), console, t(language, "import.progress", kind=kind)) as advance:
                for row in checked:
                    try:
                        async with repo.transaction():
                            report.counts[await apply_row(ctx, kind, row, language)] += 1
                    except RowError as error:
                        report.problems.append(Problem(row.line, label(error.column), error.text))
                        if strict:
                            raise _StrictAbort from error
                    advance()
    except _StrictAbort:
        report.applied = False
        report.counts.clear()
    report.problems.sort(key=lambda p: p.line)
    return report


def _row_key(kind: str, row: Row) -> tuple[str, ...]:
    if kind == "pairings":
        return (row.get("elder") or "", row.get("volunteer") or "", row.get("elder_building") or "")
    return (row.get("name") or "", row.get("building") or "", row.get("room") or "")


class _progress:
    """A rich progress bar for large files; a no-op for small ones or when nobody watches."""

    def __init__(self, total: int, console: Console | None, label: str) -> None:
        self.console = console or Console(stderr=True)
        self.enabled = total >= PROGRESS_MIN_ROWS and self.console.is_terminal
        self.total = total
        self.label = label
        self.bar: Progress | None = None

    def __enter__(self) -> Callable[[], None]:
        if not self.enabled:
            return lambda: None
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self.console,
        )
        self.bar.start()
        task = self.bar.add_task(self.label, total=self.total)
        bar = self.bar
        return lambda: bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def print_report(report: ImportReport, language: str, out: Any = None) -> None:
    """Prints the row-numbered problems, then one summary line."""
    out = out or sys.stdout
    for problem in report.warnings:
        print(t(language, "import.warning", line=problem.line, text=problem.text), file=out)
    for problem in report.problems:
        column = f"[{problem.column}] " if problem.column else ""
        print(t(language, "import.problem", line=problem.line, column=column, text=problem.text), file=out)
    if report.applied:
        print(
            t(
                language,
                "import.summary",
                kind=t(language, f"import.kind.{report.kind}"),
                rows=report.rows,
                created=report.counts["created"],
                updated=report.counts["updated"],
                unchanged=report.counts["unchanged"],
                failed=len({p.line for p in report.problems if p.line > 1}),
                encoding=report.encoding,
            ),
            file=out,
        )
    else:
        print(t(language, "import.nothing", count=len(report.problems)), file=out)


def _as_in_file(problem: Problem, in_file: dict[str | None, str]) -> Problem:
    """Names a column as the file's header does (问候时间, not the canonical 签到时间)."""
    header = in_file.get(problem.column)
    if problem.column is None or not header or header == problem.column:
        return problem
    return replace(problem, column=header, text=problem.text.replace(problem.column, header))


def cmd_import(args: argparse.Namespace) -> int:
    """Imports residents, elders, volunteers or pairings from a CSV (UTF-8/GBK) or XLSX file."""
    if args.template:
        return write_template(args.kind, args.file)
    if args.file is None:
        raise ConfigError("import", "name the file to import (or --template to write an example sheet)")
    config = _config(args)
    path = Path(args.file)
    if not path.is_file():
        raise ConfigError(str(path), "file not found")
    try:
        table, encoding = read_table(path, args.encoding)
    except UnreadableFile as exc:
        raise ConfigError(str(path), f"cannot read the file: {exc}") from None
    except (UnicodeDecodeError, LookupError):
        raise ConfigError(str(path), f"cannot read the file in the encoding {args.encoding!r}") from None

    async def main() -> ImportReport:
        repo = await connect_repository(config.storage_url)
        try:
            return await run_import(
                repo, config.settings, args.kind, table, encoding=encoding, strict=args.strict
            )
        finally:
            await repo.close()

    report = asyncio.run(main())
    print_report(report, config.settings.language)
    return 0 if report.ok else 1


TEMPLATES: dict[str, list[list[str]]] = {
    "residents": [
        ["姓名", "楼栋", "房号", "电话", "语言", "微信", "备注"],
        ["赵阿姨", "3号楼", "401", "13800000001", "简体", "", ""],
    ],
    "volunteers": [
        ["姓名", "楼栋", "房号", "电话", "技能", "空闲时间"],
        ["小李", "3号楼", "502", "13800000002", "买菜购物、维修", "周末上午"],
    ],
    "elders": [
        [
            "姓名",
            "楼栋",
            "房号",
            "电话",
            "签到时间",
            "等待分钟",
            "紧急联系人",
            "紧急电话",
            "结对志愿者",
            "备注",
        ],
        ["王奶奶", "3号楼", "502", "13800000003", "08:30", "120", "王小红", "13700000001", "小李", "耳背"],
    ],
    "pairings": [["老人", "结对志愿者", "老人楼栋", "志愿者楼栋"], ["王奶奶", "小李", "3号楼", "3号楼"]],
}
"""An example sheet per kind: the headers staff write and one filled row."""


def write_template(kind: str, file: str | None) -> int:
    """Writes ``KIND-template.csv`` (UTF-8 with the BOM Excel wants) and says where."""
    path = Path(file or f"{kind}-template.csv")
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(TEMPLATES[kind])
    print(f"{path}: {', '.join(TEMPLATES[kind][0])}")
    return 0


def columns_help() -> str:
    """The columns each kind reads (the first name of each; the others in brackets), for --help."""
    lines = ["columns (a header may use any of the names; * = required):"]
    for kind in KINDS:
        required = ("elder", "volunteer") if kind == "pairings" else REQUIRED[kind]
        names = []
        for column in ALLOWED[kind]:
            first, *others = COLUMNS["volunteers" if column == "volunteer" else column]
            star = "*" if column in required else ""
            names.append(f"{first}{star}" + (f" ({'/'.join(others)})" if others else ""))
        lines.append(f"  {kind}: " + ", ".join(names))
    lines.append("example sheets: linli import --template KIND")
    return "\n".join(lines)


# -- export ----------------------------------------------------------------------------------------


@dataclass
class Sheet:
    """One table of an export: a title, header keys (texts ``export.col.*``) and rows of cells."""

    title: str
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)


async def build_export(
    repo: Repository, settings: Settings, kind: str, first: date, last: date
) -> list[Sheet]:
    """The sheets of an export between two local dates, inclusive."""
    ctx = Ctx(repo=repo, clock=SystemClock(settings.tz), settings=settings)
    tz = settings.tz
    start = datetime.combine(first, time(0, 0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0, 0), tzinfo=tz)
    names = _Names(repo)
    if kind == "tasks":
        return [await _tasks(ctx, names, start, end)]
    if kind == "records":
        return [await _records(ctx, names, start, end)]
    if kind == "passbooks":
        return [await _passbooks(ctx, names, start, end, last)]
    if kind == "checkins":
        return [await _checkins(ctx, names, first, last)]
    records = await _records(ctx, names, start, end)
    return [
        records,
        await _passbooks(ctx, names, start, end, last),
        *await _breakdowns(ctx, start, end),
        await _tasks(ctx, names, start, end),
    ]


class _Names:
    """Person id → name, looked up once per export."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.cache: dict[int, str] = {}

    async def __call__(self, person_id: int | None) -> str:
        if person_id is None:
            return ""
        if person_id not in self.cache:
            person = await self.repo.get_person(person_id)
            self.cache[person_id] = person.name if person else f"#{person_id}"
        return self.cache[person_id]


def _local(moment: datetime | None, settings: Settings) -> datetime | None:
    return None if moment is None else moment.astimezone(settings.tz).replace(tzinfo=None)


async def _tasks(ctx: Ctx, names: _Names, start: datetime, end: datetime) -> Sheet:
    language = ctx.settings.language
    sheet = Sheet(
        t(language, "export.sheet.tasks"),
        [
            "task",
            "created",
            "state",
            "category",
            "urgency",
            "emergency",
            "priority",
            "building",
            "room",
            "requester",
            "claimer",
            "hours",
            "text",
            "updated",
        ],
    )
    for task in await ctx.repo.tasks_between(start, end):
        sheet.rows.append(
            [
                task.id,
                _local(task.created_at, ctx.settings),
                t(language, f"state.{task.state}"),
                t(language, f"category.{task.category or 'other'}"),
                t(language, "urgent").strip("【】[]") if task.urgency == "urgent" else "",
                t(language, "export.yes") if task.emergency else "",
                "⭐" if task.priority > 0 else "",
                task.building or "",
                task.room or "",
                await names(task.requester_id),
                await names(task.claimer_id),
                task.duration_hours,
                task.text,
                _local(task.updated_at, ctx.settings),
            ]
        )
    return sheet


async def _records(ctx: Ctx, names: _Names, start: datetime, end: datetime) -> Sheet:
    language = ctx.settings.language
    sheet = Sheet(
        t(language, "export.sheet.records"),
        [
            "record",
            "date",
            "kind",
            "volunteer",
            "served",
            "building",
            "room",
            "category",
            "content",
            "hours",
            "total",
            "balance",
            "witness",
            "task",
            "corrects",
            "reason",
        ],
    )
    for record in await ctx.repo.records_between(start, end):
        withdrawal = record.kind is RecordKind.WITHDRAWAL
        sheet.rows.append(
            [
                record.id,
                _local(record.served_at, ctx.settings),
                t(language, f"export.kind.{record.kind}"),
                await names(record.counterpart_id if withdrawal else record.person_id),
                await names(record.person_id if withdrawal else record.counterpart_id),
                record.building or "",
                record.room or "",
                t(language, f"category.{record.category or 'other'}"),
                record.description,
                record.hours,
                record.total_after,
                record.balance_after,
                await names(record.witness_id),
                record.task_id,
                record.corrects_id,
                record.reason or "",
            ]
        )
    return sheet


async def _passbooks(ctx: Ctx, names: _Names, start: datetime, end: datetime, last: date) -> Sheet:
    """One line per holder: hours in the period, this year (stars), in all, and banked."""
    language = ctx.settings.language
    sheet = Sheet(
        t(language, "export.sheet.passbooks"),
        [
            "name",
            "building",
            "phone",
            "skills",
            "active",
            "count",
            "period_hours",
            "year_hours",
            "stars",
            "total",
            "balance",
        ],
    )
    period = {ledger.person_id: ledger for ledger in await ctx.repo.ledgers(start, end)}
    year = {ledger.person_id: ledger for ledger in await ctx.repo.ledgers(*year_span(ctx, last.year))}
    services: Counter[int] = Counter(
        r.person_id for r in await ctx.repo.records_between(start, end) if r.kind is RecordKind.SERVICE
    )
    holders = list(period)
    for registered in await ctx.repo.list_volunteers(active=None):
        if registered.person_id not in period:
            holders.append(registered.person_id)
    for person_id in holders:
        person = await ctx.repo.get_person(person_id)
        if person is None:
            continue
        profile = await ctx.repo.get_volunteer(person_id)
        ledger = period.get(person_id)
        year_hours = year[person_id].period_hours if person_id in year else 0.0
        stars = stars_for(year_hours, ctx.settings.star_thresholds)
        sheet.rows.append(
            [
                person.name,
                " ".join(p for p in (person.building, person.room) if p),
                person.phone or "",
                "、".join(t(language, f"category.{s}") for s in profile.skills) if profile else "",
                t(language, "export.yes" if profile and profile.active else "export.no"),
                services[person_id],
                ledger.period_hours if ledger else 0.0,
                year_hours,
                "⭐" * stars,
                ledger.total_hours if ledger else 0.0,
                ledger.balance if ledger else 0.0,
            ]
        )
    sheet.rows.sort(key=lambda row: (-float(row[6] or 0), str(row[0])))  # type: ignore[arg-type]
    return sheet


async def _breakdowns(ctx: Ctx, start: datetime, end: datetime) -> list[Sheet]:
    """Hours and services by category and by building, for the quarterly audit."""
    language = ctx.settings.language
    by_category: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    by_building: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for record in await ctx.repo.records_between(start, end):
        if not record.served:
            continue
        for table, key in (
            (by_category, t(language, f"category.{record.category or 'other'}")),
            (by_building, record.building or t(language, "summary.no_building")),
        ):
            table[key][0] += 1 if record.kind is RecordKind.SERVICE else 0
            table[key][1] += record.hours
    sheets = []
    for title, column, table in (
        ("export.sheet.by_category", "category", by_category),
        ("export.sheet.by_building", "building", by_building),
    ):
        rows: list[list[object]] = [
            [key, int(count), round(hours, 2)]
            for key, (count, hours) in sorted(table.items(), key=lambda i: -i[1][1])
        ]
        sheets.append(Sheet(t(language, title), [column, "count", "hours"], rows))
    return sheets


async def _checkins(ctx: Ctx, names: _Names, first: date, last: date) -> Sheet:
    language = ctx.settings.language
    sheet = Sheet(
        t(language, "export.sheet.checkins"),
        [
            "date",
            "elder",
            "building",
            "room",
            "greeted",
            "answered",
            "in_window",
            "wellbeing",
            "outcome",
            "step",
            "closed_by",
            "task",
        ],
    )
    elders: dict[int, Any] = {}
    for checkin in await ctx.repo.checkins_between(first, last):
        if checkin.elder_id not in elders:
            elders[checkin.elder_id] = await ctx.repo.get_elder(checkin.elder_id)
        elder = elders[checkin.elder_id]
        sheet.rows.append(
            [
                checkin.day,
                elder.name if elder else f"#{checkin.elder_id}",
                (elder.building if elder else "") or "",
                (elder.room if elder else "") or "",
                _local(checkin.greeted_at, ctx.settings),
                _local(checkin.answered_at, ctx.settings),
                t(language, "export.yes" if checkin.answered_in_window else "export.no"),
                t(language, f"export.wellbeing.{checkin.wellbeing}") if checkin.wellbeing else "",
                t(language, f"export.outcome.{checkin.outcome}")
                if checkin.outcome
                else t(language, "export.open"),
                t(language, f"export.step.{checkin.step}"),
                await names(checkin.closed_by),
                checkin.task_id,
            ]
        )
    return sheet


def _width(value: object) -> int:
    """Display width: a Chinese character takes two columns in Excel."""
    text = _display(value)
    longest = max((line for line in text.splitlines()), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in longest)


def _display(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{round(value, 2):g}"
    return str(value)


def write_xlsx(sheets: Sequence[Sheet], path: Path | io.BytesIO, language: str) -> None:
    """Writes the sheets with translated headers, frozen header row, filters and fitted column widths."""
    from openpyxl import Workbook  # here: only spreadsheets need it, and it is slow to load
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(sheet.title[:31])
        headers = [t(language, f"export.col.{c}") for c in sheet.columns]
        page.append(headers)
        for row in sheet.rows:
            page.append(list(row))
        bold = Font(bold=True)
        fill = PatternFill("solid", fgColor="FFF2CC")
        for cell in page[1]:
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(vertical="center")
        for index, header in enumerate(headers, start=1):
            letter = get_column_letter(index)
            widths = [_width(header)] + [_width(row[index - 1]) for row in sheet.rows[:2000]]
            page.column_dimensions[letter].width = min(_MAX_WIDTH, max(_MIN_WIDTH, max(widths) + 2))
            for cell in page[letter][1:]:
                if isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, float):
                    cell.number_format = "0.##"
                if header == t(language, "export.col.content") or header == t(language, "export.col.text"):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        page.freeze_panes = "A2"
        if sheet.rows:
            page.auto_filter.ref = page.dimensions
    book.save(path)


def write_csv(sheets: Sequence[Sheet], out: io.TextIOBase | Any, language: str) -> None:
    """Writes the first sheet as CSV (the caller picks the encoding; UTF-8 with BOM opens in Excel)."""
    writer = csv.writer(out)
    for number, sheet in enumerate(sheets):
        if number:
            writer.writerow([])
            writer.writerow([sheet.title])
        writer.writerow([t(language, f"export.col.{c}") for c in sheet.columns])
        for row in sheet.rows:
            writer.writerow([_display(value) for value in row])


def parse_range(args: argparse.Namespace, today: date) -> tuple[date, date]:
    """--from/--to (inclusive), or --quarter 2026Q4; by default this month so far."""
    if args.quarter:
        text = args.quarter.upper().replace("-", "")
        try:
            year, quarter = int(text[:4]), int(text.split("Q")[1])
        except (ValueError, IndexError):
            raise ConfigError("--quarter", f"{args.quarter!r} is not like 2026Q4") from None
        if not 1 <= quarter <= 4:
            raise ConfigError("--quarter", "the quarter is 1 to 4")
        first = date(year, 3 * quarter - 2, 1)
        after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return first, after - timedelta(days=1)
    try:
        first = date.fromisoformat(args.start) if args.start else today.replace(day=1)
        last = date.fromisoformat(args.end) if args.end else today
    except ValueError as exc:
        raise ConfigError("--from/--to", f"dates are written 2026-11-01 ({exc})") from None
    if last < first:
        raise ConfigError("--from/--to", "--to is before --from")
    return first, last


def cmd_export(args: argparse.Namespace) -> int:
    """Exports tasks, service records, passbooks, check-ins or the quarterly audit as CSV or XLSX."""
    config = _config(args)
    settings = config.settings
    if args.language:
        settings = replace(settings, language=args.language)
    first, last = parse_range(args, datetime.now(settings.tz).date())
    fmt = args.format or ("csv" if args.output and args.output.lower().endswith(".csv") else "xlsx")
    if fmt == "csv" and args.kind == "audit":
        raise ConfigError("--format", "the audit has several sheets: use xlsx")
    output = args.output or f"linli-{args.kind}-{first}-{last}.{fmt}"

    async def main() -> list[Sheet]:
        repo = await connect_repository(config.storage_url)
        try:
            return await build_export(repo, settings, args.kind, first, last)
        finally:
            await repo.close()

    sheets = asyncio.run(main())
    if fmt == "xlsx":
        if output == "-":
            raise ConfigError("--output", "xlsx cannot go to standard output; name a file")
        write_xlsx(sheets, Path(output), settings.language)
    elif output == "-":
        write_csv(sheets, sys.stdout, settings.language)
    else:
        with open(output, "w", encoding=args.encoding or "utf-8-sig", newline="") as handle:
            write_csv(sheets, handle, settings.language)
    if output != "-":
        rows = sum(len(s.rows) for s in sheets)
        print(t(settings.language, "export.written", path=output, rows=rows, first=first, last=last))
    return 0


# -- wiring ----------------------------------------------------------------------------------------


def _config(args: argparse.Namespace) -> Config:
    """The config file, with --db overriding its storage."""
    if args.config is None and args.db:
        config = parse_config({})
    else:
        config = load_config(args.config or "config.toml")
    if args.db:
        url = args.db if "://" in args.db else f"sqlite:///{Path(args.db).resolve()}"
        config = replace(config, storage_url=url)
    return config


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds `linli import` and `linli export`."""
    imp = commands.add_parser(
        "import",
        help="import residents, elders, volunteers or pairings from CSV (UTF-8/GBK/Big5) or XLSX",
        epilog=columns_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("kind", choices=KINDS)
    imp.add_argument(
        "file", nargs="?", help="a .csv (UTF-8, GBK/GB18030 or Big5, as Excel saves it) or .xlsx file"
    )
    imp.add_argument(
        "--template",
        action="store_true",
        help="write an example sheet for KIND (to FILE, or KIND-template.csv)",
    )
    imp.add_argument("--config", help="config.toml (default: ./config.toml)")
    imp.add_argument("--db", help="storage URL or SQLite file, instead of the config's")
    imp.add_argument("--strict", action="store_true", help="import nothing if any row has a problem")
    imp.add_argument("--encoding", help="force the CSV encoding (default: detect UTF-8, else GB18030)")
    imp.set_defaults(func=cmd_import)

    exp = commands.add_parser("export", help="export tasks, records, passbooks, check-ins or the audit")
    exp.add_argument("kind", choices=EXPORT_KINDS)
    exp.add_argument("--from", dest="start", help="first day, 2026-11-01 (default: start of this month)")
    exp.add_argument("--to", dest="end", help="last day, inclusive (default: today)")
    exp.add_argument("--quarter", help="a quarter instead of --from/--to, e.g. 2026Q4")
    exp.add_argument("--format", choices=("csv", "xlsx"), help="default: from --output, else xlsx")
    exp.add_argument("--output", "-o", help="file to write ('-' for CSV on standard output)")
    exp.add_argument("--encoding", help="CSV encoding (default utf-8-sig, which Excel opens; or gbk)")
    exp.add_argument("--language", choices=("zh-Hans", "zh-Hant", "en"), help="headers' language")
    exp.add_argument("--config", help="config.toml (default: ./config.toml)")
    exp.add_argument("--db", help="storage URL or SQLite file, instead of the config's")
    exp.set_defaults(func=cmd_export)
