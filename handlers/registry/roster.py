"""Rows from staff spreadsheets (residents, elders, volunteers, pairings): checked, then applied idempotently.

The CLI (``bot/cli_records.py``) reads the file; this module decides what a row
means.  Every problem names its row (as Excel numbers it: the header is row 1)
and its column, in the staff's language.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import time

from handlers.common.categories import CATEGORIES, match_skills
from handlers.common.context import Ctx
from handlers.common.elders import register_elder
from handlers.common.texts import normalize_language, t
from handlers.registry.registry import MAX_FREE, MAX_NOTE, normalize_phone
from handlers.understanding.places import normalize_building
from storage.checkin_models import ElderSpec
from storage.models import Person, PersonUpdate, Role

log = logging.getLogger(__name__)

KINDS = ("residents", "elders", "volunteers", "pairings")

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "name"),
    "building": ("楼栋", "楼号", "樓棟", "樓號", "楼", "building"),
    "room": ("房号", "房號", "门牌", "門牌", "房间", "room"),
    "phone": ("电话", "電話", "手机", "手機", "联系电话", "聯繫電話", "phone", "mobile"),
    "language": ("语言", "語言", "language"),
    "telegram": ("telegram", "tg", "电报"),
    "wechat": ("微信", "微信号", "微信號", "wechat"),
    "note": ("备注", "備註", "注意事项", "注意事項", "note", "notes"),
    "skills": ("技能", "特长", "特長", "服务意向", "服務意向", "skills"),
    "free": ("空闲时间", "空閒時間", "有空时间", "有空時間", "服务时间", "服務時間", "availability", "free"),
    "checkin_time": ("签到时间", "簽到時間", "问候时间", "問候時間", "checkin_time", "check-in time"),
    "window": ("等待分钟", "等待分鐘", "窗口", "window", "window_minutes"),
    "contact_name": ("紧急联系人", "緊急聯繫人", "contact", "contact_name", "emergency_contact"),
    "contact_phone": ("紧急电话", "緊急電話", "联系人电话", "聯繫人電話", "contact_phone", "emergency_phone"),
    "volunteers": ("结对志愿者", "結對志願者", "志愿者", "志願者", "volunteers", "volunteer"),
    "elder": ("老人", "老人姓名", "长者", "長者", "elder"),
    "elder_building": ("老人楼栋", "老人樓棟", "elder_building"),
    "volunteer_building": ("志愿者楼栋", "志願者樓棟", "volunteer_building"),
}
"""Canonical column → the headers staff write (Chinese first; English works too)."""

ALLOWED: dict[str, tuple[str, ...]] = {
    "residents": ("name", "building", "room", "phone", "language", "telegram", "wechat", "note"),
    "volunteers": ("name", "building", "room", "phone", "language", "telegram", "wechat", "skills", "free"),
    "elders": (
        "name",
        "building",
        "room",
        "phone",
        "language",
        "telegram",
        "wechat",
        "note",
        "checkin_time",
        "window",
        "contact_name",
        "contact_phone",
        "volunteers",
    ),
    "pairings": ("elder", "volunteer", "elder_building", "volunteer_building"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "residents": ("name",),
    "volunteers": ("name",),
    "elders": ("name",),
    "pairings": ("elder", "volunteers"),
}
ROLE_OF = {"residents": Role.RESIDENT, "volunteers": Role.VOLUNTEER, "elders": Role.ELDER}
KEEP_ROLES = {
    Role.RESIDENT: (Role.VOLUNTEER, Role.ELDER, Role.STAFF, Role.ADMIN),
    Role.VOLUNTEER: (Role.ELDER, Role.STAFF, Role.ADMIN),
    Role.ELDER: (Role.STAFF, Role.ADMIN),
}
"""A row never demotes: importing a staff member as a resident keeps them staff."""

MAX_NAME = 20
_CLOCK = re.compile(r"^(\d{1,2})(?:[:：点點时時](\d{1,2})?(?:分)?)?$")
_ROOM = re.compile(r"^[0-9A-Za-z\-]{1,10}$")
_TELEGRAM = re.compile(r"^-?\d{3,20}$")
_NAMES = re.compile(r"[,，、;；/\s]+")


class RowError(Exception):
    """A row that cannot be applied (found out only against the database, e.g. an unknown volunteer)."""

    def __init__(self, column: str | None, text: str) -> None:
        super().__init__(text)
        self.column = column
        self.text = text


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with one row (or the header, line 1)."""

    line: int
    column: str | None
    text: str
    fatal: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    """One checked row: canonical column → cleaned value (empty values left out)."""

    line: int
    values: Mapping[str, str] = field(default_factory=dict)

    def get(self, column: str) -> str | None:
        return self.values.get(column) or None


def header_columns(
    kind: str, header: Sequence[str], language: str | None
) -> tuple[list[str | None], list[Problem]]:
    """Maps each header cell to a canonical column; unknown or missing columns are problems of line 1."""
    aliases = {alias.lower(): column for column, names in COLUMNS.items() for alias in names}
    mapped: list[str | None] = []
    problems: list[Problem] = []
    for cell in header:
        name = cell.strip().lstrip("\ufeff").lower()
        column = aliases.get(name)
        if kind == "pairings" and column == "volunteers":
            column = "volunteer"
        if not name:
            mapped.append(None)
        elif column is None or column not in ALLOWED[kind]:
            mapped.append(None)
            problems.append(
                Problem(1, cell, t(language, "import.unknown_column", column=cell, known=_known(kind)))
            )
        else:
            mapped.append(column)
    required = ("elder", "volunteer") if kind == "pairings" else REQUIRED[kind]
    for column in required:
        if column not in mapped:
            header = COLUMNS[_col(column)][0]
            problems.append(
                Problem(1, header, t(language, "import.missing_column", column=header), fatal=True)
            )
    return mapped, problems


def _col(column: str) -> str:
    return "volunteers" if column == "volunteer" else column


def label(column: str | None) -> str | None:
    """The header staff write for a canonical column ('name' → '姓名')."""
    return COLUMNS[_col(column)][0] if column is not None and _col(column) in COLUMNS else column


def _known(kind: str) -> str:
    return "、".join(COLUMNS[_col(c)][0] for c in ALLOWED[kind])


def check_row(kind: str, line: int, cells: Mapping[str, str], language: str | None) -> Row | list[Problem]:
    """Validates and cleans one row; returns every problem in it at once, not just the first."""
    problems: list[Problem] = []
    values: dict[str, str] = {}

    def bad(column: str, key: str, **params: object) -> None:
        problems.append(Problem(line, COLUMNS[_col(column)][0], t(language, key, **params)))

    raw = {k: " ".join(v.split()) for k, v in cells.items() if v and v.strip()}
    if kind == "pairings":
        for column in ("elder", "volunteer"):
            if not raw.get(column):
                bad(column, "import.required")
            elif len(raw[column]) > MAX_NAME:
                bad(column, "import.too_long", limit=MAX_NAME)
            else:
                values[column] = raw[column]
        for column in ("elder_building", "volunteer_building"):
            if raw.get(column):
                values[column] = normalize_building(raw[column])[0] or ""
        return problems or Row(line, values)
    name = raw.get("name", "")
    if not name:
        bad("name", "import.required")
    elif len(name) > MAX_NAME:
        bad("name", "import.too_long", limit=MAX_NAME)
    else:
        values["name"] = name
    if raw.get("building"):
        building, room = normalize_building(raw["building"])
        values["building"] = building or ""
        if room and not raw.get("room"):
            values["room"] = room
    if raw.get("room"):
        if _ROOM.match(raw["room"]):
            values["room"] = raw["room"]
        else:
            bad("room", "import.bad_room", value=raw["room"])
    for column in ("phone", "contact_phone"):
        if raw.get(column):
            phone = normalize_phone(raw[column])
            if phone is None:
                bad(column, "import.bad_phone", value=raw[column])
            else:
                values[column] = phone
    if raw.get("language"):
        language_tag = _language(raw["language"])
        if language_tag is None:
            bad("language", "import.bad_language", value=raw["language"])
        else:
            values["language"] = language_tag
    if raw.get("telegram"):
        if _TELEGRAM.match(raw["telegram"]):
            values["telegram"] = raw["telegram"]
        else:
            bad("telegram", "import.bad_telegram", value=raw["telegram"])
    if raw.get("wechat"):
        values["wechat"] = raw["wechat"]
    if raw.get("note"):
        if len(raw["note"]) > MAX_NOTE:
            bad("note", "import.too_long", limit=MAX_NOTE)
        else:
            values["note"] = raw["note"]
    if raw.get("skills"):
        skills, unknown = _skills(raw["skills"])
        if unknown:
            bad("skills", "import.bad_skills", value="、".join(unknown), known=_skill_names(language))
        else:
            values["skills"] = ",".join(skills)
    if raw.get("free"):
        if len(raw["free"]) > MAX_FREE:
            bad("free", "import.too_long", limit=MAX_FREE)
        else:
            values["free"] = raw["free"]
    if raw.get("checkin_time"):
        clock = parse_clock(raw["checkin_time"])
        if clock is None:
            bad("checkin_time", "import.bad_time", value=raw["checkin_time"])
        else:
            values["checkin_time"] = clock.strftime("%H:%M")
    if raw.get("window"):
        minutes = raw["window"].removesuffix("分钟").removesuffix("分鐘").strip()
        if minutes.isdigit() and 10 <= int(minutes) <= 720:
            values["window"] = str(int(minutes))
        else:
            bad("window", "import.bad_window", value=raw["window"])
    if raw.get("contact_name"):
        values["contact_name"] = raw["contact_name"][:MAX_NAME]
    if raw.get("volunteers"):
        values["volunteers"] = ",".join(n for n in _NAMES.split(raw["volunteers"]) if n)
    return problems or Row(line, values)


def parse_clock(text: str) -> time | None:
    """'9:00', '09:30', '9点', '9点半' → a time of day."""
    text = text.strip().replace("半", ":30").replace("点:", ":").replace("點:", ":")
    found = _CLOCK.match(text)
    if found is None:
        return None
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _language(text: str) -> str | None:
    words = {"简体": "zh-Hans", "简体中文": "zh-Hans", "繁体": "zh-Hant", "繁體": "zh-Hant", "英文": "en"}
    if text in words:
        return words[text]
    tag = text.replace("_", "-").lower()
    if tag.startswith(("zh", "en")):
        return normalize_language(text)
    return None


def _skills(text: str) -> tuple[tuple[str, ...], list[str]]:
    found: list[str] = []
    unknown: list[str] = []
    for token in _NAMES.split(text):
        if not token:
            continue
        matched = match_skills(token)
        if matched:
            found.extend(matched)
        else:
            unknown.append(token)
    return tuple(c for c in CATEGORIES if c in found), unknown


def _skill_names(language: str | None) -> str:
    return "、".join(t(language, f"category.{c}") for c in CATEGORIES)


# -- applying rows ---------------------------------------------------------------------------------------


async def apply_row(ctx: Ctx, kind: str, row: Row, language: str | None) -> str:
    """Creates or updates what the row describes; returns 'created', 'updated' or 'unchanged'.

    Raises RowError when the row contradicts the database (an unknown elder, an ambiguous name).
    """
    if kind == "pairings":
        return await _apply_pairing(ctx, row, language)
    person, created = await _person_for(ctx, kind, row, language)
    before = await _snapshot(ctx, person.id)
    role = ROLE_OF[kind]
    change = PersonUpdate(
        building=row.get("building"),
        room=row.get("room"),
        phone=row.get("phone"),
        language=row.get("language"),
        role=None if person.role in KEEP_ROLES[role] else role,
        active=True,  # an import brings a stopped person back
    )
    person = await ctx.repo.update_person(person.id, change)
    for platform in ("telegram", "wechat"):
        user_id = row.get(platform)
        if user_id is not None:
            await ctx.repo.attach_identity(person.id, platform, user_id, person.name)
    if row.get("note"):
        notes = await ctx.repo.care_notes_of(person.id, limit=100)
        if all(n.text != row.get("note") for n in notes):
            await ctx.repo.add_care_note(person.id, str(row.get("note")), None, ctx.now())
    if kind == "volunteers":
        profile = await ctx.repo.get_volunteer(person.id)
        skills = tuple(s for s in (row.get("skills") or "").split(",") if s)
        if row.get("skills") is None and profile is not None:
            skills = profile.skills
        free = row.get("free") or (profile.availability if profile else None)
        await ctx.repo.upsert_volunteer(
            person.id, skills=skills, availability=free, source="import", at=ctx.now()
        )
    if kind == "elders":
        await _apply_elder(ctx, person, row, language)
    if created:
        return "created"
    return "unchanged" if await _snapshot(ctx, person.id) == before else "updated"


async def _snapshot(ctx: Ctx, person_id: int) -> tuple[object, ...]:
    """Everything an import can change about a person, to tell 'updated' from 'unchanged'."""
    person = await ctx.repo.get_person(person_id)
    profile = await ctx.repo.get_volunteer(person_id)
    elder = await ctx.repo.elder_of_person(person_id)
    notes = await ctx.repo.care_notes_of(person_id, limit=100)
    identities = await ctx.repo.identities_of(person_id)
    return (
        person,
        (profile.skills, profile.availability, profile.active) if profile else None,
        replace(elder, next_due_at=None) if elder else None,
        tuple(n.text for n in notes),
        tuple(sorted((i.platform, i.user_id) for i in identities)),
    )


async def _person_for(ctx: Ctx, kind: str, row: Row, language: str | None) -> tuple[Person, bool]:
    """The person a row is about: by platform account, else by name and building; else a new one."""
    name = str(row.get("name"))
    for platform in ("telegram", "wechat"):
        user_id = row.get(platform)
        if user_id is not None:
            owner = await ctx.repo.person_by_identity(platform, user_id)
            if owner is not None:
                if owner.name != name:
                    owner = await ctx.repo.update_person(owner.id, PersonUpdate(name=name))
                return owner, False
    found = await find_person(ctx, name, row.get("building"), row.get("room"), language)
    if found is not None:
        return found, False
    return await ctx.repo.add_person(name, ROLE_OF[kind], ctx.now()), True


async def find_person(
    ctx: Ctx, name: str, building: str | None, room: str | None, language: str | None, column: str = "name"
) -> Person | None:
    """The one person with this name (in this building, in this room); RowError when several fit.

    An account only seen under this display name is never taken for the person on the sheet
    (handlers.common.people): a row matches a record with a proven account, or one with none yet.
    """
    people = []
    for person in await ctx.repo.people_named(name):
        identities = await ctx.repo.identities_of(person.id)
        if not identities or any(i.verified for i in identities):
            people.append(person)
    if building:
        people = [p for p in people if p.building in (building, None)]
        exact = [p for p in people if p.building == building]
        people = exact or people
    if room and len(people) > 1:
        people = [p for p in people if p.room in (room, None)] or people
    if len(people) > 1:
        raise RowError(column, t(language, "import.ambiguous", name=name))
    return people[0] if people else None


async def _apply_elder(ctx: Ctx, person: Person, row: Row, language: str | None) -> None:
    volunteer_ids: tuple[int, ...] | None = None
    if row.get("volunteers"):
        ids = []
        for name in str(row.get("volunteers")).split(","):
            volunteer = await find_person(ctx, name, None, None, language, column="volunteers")
            if volunteer is None:
                raise RowError("volunteers", t(language, "import.unknown_person", name=name))
            ids.append(volunteer.id)
        current = await ctx.repo.elder_of_person(person.id)
        volunteer_ids = tuple(dict.fromkeys((*(current.volunteer_ids if current else ()), *ids)))
    clock = row.get("checkin_time")
    window = row.get("window")
    spec = ElderSpec(
        person_id=person.id,
        building=row.get("building"),
        room=row.get("room"),
        checkin_time=time.fromisoformat(clock) if clock else None,
        window_minutes=int(window) if window else None,
        language=row.get("language"),
        contact_name=row.get("contact_name"),
        contact_phone=row.get("contact_phone"),
        volunteer_ids=volunteer_ids,
        active=True,  # an import brings a stopped person back
    )
    await register_elder(ctx, spec)


async def _apply_pairing(ctx: Ctx, row: Row, language: str | None) -> str:
    elder_person = await find_person(
        ctx, str(row.get("elder")), row.get("elder_building"), None, language, column="elder"
    )
    elder = await ctx.repo.elder_of_person(elder_person.id) if elder_person else None
    if elder is None:
        raise RowError("elder", t(language, "import.unknown_elder", name=row.get("elder")))
    volunteer = await find_person(
        ctx, str(row.get("volunteer")), row.get("volunteer_building"), None, language, column="volunteer"
    )
    if volunteer is None:
        raise RowError("volunteer", t(language, "import.unknown_person", name=row.get("volunteer")))
    if volunteer.id in elder.volunteer_ids:
        return "unchanged"
    await register_elder(
        ctx, ElderSpec(person_id=elder.person_id, volunteer_ids=(*elder.volunteer_ids, volunteer.id))
    )
    if volunteer.role is Role.RESIDENT:
        await ctx.repo.update_person(volunteer.id, PersonUpdate(role=Role.VOLUNTEER))
    log.info("paired volunteer %s with elder %s", volunteer.id, elder.id)
    return "created"
