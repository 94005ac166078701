"""The registry: volunteers register themselves in private chat; staff manage people, roles and care notes.

One person, one registration (a second one updates the first).  Care notes
(耳背,敲门要用力) are only ever shown privately, to staff and to whoever is at
the person's door.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta

from handlers.common.auth import Permission, Relation, allowed, authorize
from handlers.common.categories import CATEGORIES, category_name, match_skills
from handlers.common.context import Ctx
from handlers.common.errors import LinliError, refusal
from handlers.common.notify import privately
from handlers.common.people import person_named
from handlers.common.texts import t
from handlers.common.turn import Turn, command_language
from handlers.understanding.places import BUILDING, normalize_building
from storage.models import Incoming, Person, PersonUpdate, Reply, Role, TaskState

log = logging.getLogger(__name__)

DRAFT_TTL = timedelta(hours=2)
"""A registration left half-way this long is forgotten, so later chat is not taken for answers."""

STEP_NAME, STEP_BUILDING, STEP_SKILLS, STEP_FREE = "name", "building", "skills", "free"
NEXT_STEP = {STEP_NAME: STEP_BUILDING, STEP_BUILDING: STEP_SKILLS, STEP_SKILLS: STEP_FREE}
"""The registration conversation as a table: each answered step leads to the next; free time ends it."""

MAX_NAME = 12
MAX_NOTE = 200
MAX_FREE = 60

_REGISTER = re.compile(
    r"^\s*(?:/register|/注册|/註冊|/登记|/登記|注册|註冊|登记|登記|我要注册|我要註冊|注册志愿者|註冊志願者|"
    r"志愿者注册|志願者註冊|我要当志愿者|我要當志願者|报名志愿者|報名志願者|登记志愿者|登記志願者|"
    r"我想当志愿者|我想當志願者|register)(?:@\S+)?\s*[!！。.]?\s*$",
    re.I,
)
_CANCEL = frozenset({"取消", "算了", "退出", "不注册了", "不登记了", "cancel", "/cancel", "quit", "stop"})
_SKIP = frozenset({"跳过", "跳過", "略过", "不填", "没有", "沒有", "无", "無", "skip", "-", "no", "none"})
_KEEP = frozenset({"好", "好的", "对", "對", "是", "是的", "可以", "嗯", "ok", "yes", "行"})
_VOLUNTEER = re.compile(r"^\s*(?:/vol|/volunteer|/志愿者|/志願者)(?:@\S+)?\s*(.*?)\s*$", re.I | re.S)
_ROLE = re.compile(r"^\s*(?:/role|/角色)(?:@\S+)?\s+(\S+)\s+(\S+)\s*$", re.I)
_NOTE = re.compile(r"^\s*(?:/note|/备注|/備註)(?:@\S+)?\s+(\S+)\s+(.+?)\s*$", re.I | re.S)
_NOTES = re.compile(r"^\s*(?:/notes|/查看备注|/查看備註)(?:@\S+)?\s+(\S+)\s*$", re.I)
_DELNOTE = re.compile(r"^\s*(?:/delnote|/删除备注|/刪除備註)(?:@\S+)?\s+[#＃]?(\d+)\s*$", re.I)
_PHONE = re.compile(r"^(?:\+?86[- ]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")

ROLE_WORDS: dict[str, Role] = {
    "resident": Role.RESIDENT,
    "居民": Role.RESIDENT,
    "volunteer": Role.VOLUNTEER,
    "志愿者": Role.VOLUNTEER,
    "志願者": Role.VOLUNTEER,
    "elder": Role.ELDER,
    "老人": Role.ELDER,
    "长者": Role.ELDER,
    "長者": Role.ELDER,
    "staff": Role.STAFF,
    "工作人员": Role.STAFF,
    "工作人員": Role.STAFF,
    "社工": Role.STAFF,
    "网格员": Role.STAFF,
    "楼长": Role.STAFF,
    "admin": Role.ADMIN,
    "管理员": Role.ADMIN,
    "管理員": Role.ADMIN,
}
FIELD_WORDS: dict[str, str] = {
    "name": "name",
    "姓名": "name",
    "名字": "name",
    "building": "building",
    "楼栋": "building",
    "樓棟": "building",
    "楼": "building",
    "room": "room",
    "房号": "room",
    "房號": "room",
    "skills": "skills",
    "技能": "skills",
    "特长": "skills",
    "free": "free",
    "availability": "free",
    "空闲": "free",
    "有空": "free",
    "phone": "phone",
    "电话": "phone",
    "電話": "phone",
    "手机": "phone",
}


# -- parsing helpers (also used by the CSV import) -------------------------------------------------------


def normalize_phone(text: str) -> str | None:
    """A mainland mobile or landline number without spaces, or None when it is not one."""
    compact = re.sub(r"[\s()（）]", "", text)
    found = _PHONE.match(compact)
    return found.group(1) if found else None


def skills_text(skills: Sequence[str], language: str | None) -> str:
    """'买菜购物、维修' or '未填'."""
    return "、".join(category_name(s, language) for s in skills) or t(language, "reg.none")


def skills_menu(language: str | None) -> str:
    """The numbered menu of skills, four to a line."""
    items = [f"{i} {category_name(c, language)}" for i, c in enumerate(CATEGORIES, 1)]
    return "\n".join("  ".join(items[i : i + 4]) for i in range(0, len(items), 4))


# -- self-registration in private chat ------------------------------------------------------------------


async def on_register(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """注册 / /register: starts the registration conversation, privately."""
    try:
        return await _on_register(msg, ctx, turn)
    except LinliError as error:
        log.info("refused %s from %s: %s", msg.text[:40], turn.person.name, error)
        return refusal(msg, error, command_language(ctx, turn))


async def _on_register(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    if msg.action is not None or not _REGISTER.match(msg.text or ""):
        return None
    language = command_language(ctx, turn)
    authorize(Permission.REGISTER, turn.person, language=language)
    await ctx.repo.save_draft(turn.person.id, STEP_NAME, {"language": language}, ctx.now())
    existing = await ctx.repo.get_volunteer(turn.person.id)
    text = t(language, "reg.start", name=turn.person.name)
    if existing is not None:
        text = t(language, "reg.update") + "\n" + text
    return await privately(msg, ctx, turn, text)


async def on_registration_answer(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """The next answer in a registration conversation; asks the next question or saves the registration."""
    if not msg.chat.private or msg.action is not None or not msg.text.strip():
        return None
    draft = await ctx.repo.get_draft(turn.person.id)
    if draft is None:
        return None
    if ctx.now() - draft.updated_at > DRAFT_TTL:
        await ctx.repo.drop_draft(turn.person.id)
        return None
    language = draft.data.get("language") or command_language(ctx, turn)
    answer = msg.text.strip()
    word = answer.lower().strip("。.!！ ")
    if word in _CANCEL:
        await ctx.repo.drop_draft(turn.person.id)
        return [Reply(chat=msg.chat, text=t(language, "reg.cancelled"))]
    data = dict(draft.data)
    skip = word in _SKIP
    if draft.step == STEP_NAME:
        name = turn.person.name if (word in _KEEP or skip) else answer
        if len(name) > MAX_NAME or "\n" in name:
            return [Reply(chat=msg.chat, text=t(language, "reg.name_bad", limit=MAX_NAME))]
        data["name"] = name
    elif draft.step == STEP_BUILDING:
        building, room = (None, None) if skip else normalize_building(answer)
        data["building"] = building or ""
        data["room"] = room or ""
    elif draft.step == STEP_SKILLS:
        skills = () if skip else match_skills(answer)
        if not skills and not skip:
            return [Reply(chat=msg.chat, text=t(language, "reg.skills_unknown"))]
        data["skills"] = ",".join(skills)
    elif draft.step == STEP_FREE:
        data["free"] = "" if skip else answer[:MAX_FREE]
        await ctx.repo.drop_draft(turn.person.id)
        return await _finish_registration(msg, ctx, turn, data, language)
    step = NEXT_STEP.get(draft.step, STEP_NAME)
    await ctx.repo.save_draft(turn.person.id, step, data, ctx.now())
    return [Reply(chat=msg.chat, text=_question(step, language))]


def _question(step: str, language: str | None) -> str:
    if step == STEP_SKILLS:
        return t(language, "reg.ask_skills", menu=skills_menu(language))
    return t(language, f"reg.ask_{step}")


async def _finish_registration(
    msg: Incoming, ctx: Ctx, turn: Turn, data: dict[str, str], language: str | None
) -> list[Reply]:
    person = turn.person
    skills = tuple(s for s in data.get("skills", "").split(",") if s)
    change = PersonUpdate(
        name=data.get("name") or person.name,
        building=data.get("building") or None,
        room=data.get("room") or None,
        role=Role.VOLUNTEER if person.role is Role.RESIDENT else None,
    )
    person = await ctx.repo.update_person(person.id, change)
    _, fresh = await ctx.repo.upsert_volunteer(
        person.id, skills=skills, availability=data.get("free") or None, source="chat", at=ctx.now()
    )
    log.info("%s volunteer registration for person %s", "new" if fresh else "updated", person.id)
    return [
        Reply(
            chat=msg.chat,
            text=t(
                language,
                "reg.done",
                name=person.name,
                building=" ".join(p for p in (person.building, person.room) if p) or t(language, "reg.none"),
                skills=skills_text(skills, language),
                free=data.get("free") or t(language, "reg.none"),
            ),
        )
    ]


# -- staff: volunteers and roles --------------------------------------------------------------------------


async def on_registry_command(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    """/vol (add, edit, off, on, list), /role, /note, /notes, /delnote."""
    try:
        return await _on_registry_command(msg, ctx, turn)
    except LinliError as error:
        log.info("refused %s from %s: %s", msg.text[:40], turn.person.name, error)
        return refusal(msg, error, command_language(ctx, turn))


async def _on_registry_command(msg: Incoming, ctx: Ctx, turn: Turn) -> list[Reply] | None:
    if msg.action is not None or not msg.text:
        return None
    text = msg.text.strip()
    if not text.startswith("/"):
        return None
    language = command_language(ctx, turn)
    if found := _VOLUNTEER.match(text):
        authorize(Permission.MANAGE_VOLUNTEERS, turn.person, language=language)
        return await privately(
            msg, ctx, turn, await manage_volunteers(ctx, turn.person, found.group(1), language)
        )
    if found := _ROLE.match(text):
        return await _set_role(msg, ctx, turn, found.group(1), found.group(2), language)
    if found := _NOTE.match(text):
        return await _add_note(msg, ctx, turn, found.group(1), found.group(2), language)
    if found := _NOTES.match(text):
        return await _read_notes(msg, ctx, turn, found.group(1), language)
    if found := _DELNOTE.match(text):
        authorize(Permission.REMOVE_NOTE, turn.person, language=language)
        note = await ctx.repo.remove_care_note(int(found.group(1)))
        key = "note.removed" if note else "note.unknown"
        return await privately(msg, ctx, turn, t(language, key, no=found.group(1)))
    return None


async def manage_volunteers(ctx: Ctx, staff: Person, command: str, language: str | None) -> str:
    """Carries out one /vol command and returns what to tell the staff member."""
    verb, _, rest = command.partition(" ")
    verb = verb.lower()
    rest = rest.strip()
    if verb in ("list", "名单", "名單", "列表", ""):
        return await volunteer_list(ctx, rest or None, language) if verb else t(language, "vol.usage")
    name, _, args = rest.partition(" ")
    if not name:
        return t(language, "vol.usage")
    if verb in ("add", "添加", "新增", "登记", "登記"):
        fields, skills, free = _free_args(args.split())
        added = await register_volunteer(ctx, name, fields, skills, free, source="staff", actor=staff)
        return t(
            language, "vol.added", name=added.name, details=await describe_volunteer(ctx, added, language)
        )
    person = await person_named(ctx, name, staff)
    if person is None:
        return t(language, "person.unknown", name=name)
    if verb in ("edit", "修改", "更新"):
        return await _edit_volunteer(ctx, person, args, language)
    if verb in ("off", "停用", "注销", "註銷", "deactivate"):
        if not await ctx.repo.set_volunteer_active(person.id, False, ctx.now()):
            return t(language, "vol.not_registered", name=person.name)
        if person.role is Role.VOLUNTEER:
            await ctx.repo.update_person(person.id, PersonUpdate(role=Role.RESIDENT))
        return t(language, "vol.off", name=person.name)
    if verb in ("on", "启用", "啟用", "activate"):
        if not await ctx.repo.set_volunteer_active(person.id, True, ctx.now()):
            return t(language, "vol.not_registered", name=person.name)
        if person.role is Role.RESIDENT:
            await ctx.repo.update_person(person.id, PersonUpdate(role=Role.VOLUNTEER))
        return t(language, "vol.on", name=person.name)
    return t(language, "vol.usage")


def _free_args(words: Sequence[str]) -> tuple[dict[str, str], tuple[str, ...], str | None]:
    """Sorts '3号楼 138… 买菜,维修 周末' into person fields, skills and free time."""
    fields: dict[str, str] = {}
    skills: list[str] = []
    rest: list[str] = []
    for word in words:
        phone = normalize_phone(word)
        building, room = normalize_building(word) if BUILDING.match(word) or "楼" in word else (None, None)
        matched = match_skills(word) if not phone and not building else ()
        if phone:
            fields["phone"] = phone
        elif building:
            fields["building"] = building
            if room:
                fields["room"] = room
        elif matched:
            skills.extend(matched)
        else:
            rest.append(word)
    return fields, tuple(dict.fromkeys(skills)), " ".join(rest)[:MAX_FREE] or None


def _person_change(fields: Mapping[str, str | None]) -> PersonUpdate:
    """The person fields a /vol command gave (name, building, room, phone); the others stay."""
    return PersonUpdate(
        name=fields.get("name"),
        building=fields.get("building"),
        room=fields.get("room"),
        phone=fields.get("phone"),
    )


async def register_volunteer(
    ctx: Ctx,
    name: str,
    fields: dict[str, str],
    skills: Sequence[str],
    free: str | None,
    *,
    source: str,
    person: Person | None = None,
    actor: Person | None = None,
) -> Person:
    """Creates or updates the person and their one registration; residents become volunteers."""
    person = person or await person_named(ctx, name, actor)
    if person is None:
        person = await ctx.repo.upsert_person(name, Role.VOLUNTEER)
    role = Role.VOLUNTEER if person.role is Role.RESIDENT else person.role
    person = await ctx.repo.update_person(person.id, replace(_person_change(fields), name=name, role=role))
    await ctx.repo.upsert_volunteer(person.id, skills=skills, availability=free, source=source, at=ctx.now())
    return person


async def _edit_volunteer(ctx: Ctx, person: Person, args: str, language: str | None) -> str:
    profile = await ctx.repo.get_volunteer(person.id)
    if profile is None:
        return t(language, "vol.not_registered", name=person.name)
    fields: dict[str, str | None] = {}
    skills = profile.skills
    free = profile.availability
    for pair in re.findall(r"(\S+?)[=＝:：](\S+)", args):
        key = FIELD_WORDS.get(pair[0].lower())
        value = pair[1]
        if key == "skills":
            skills = match_skills(value)
        elif key == "free":
            free = value[:MAX_FREE]
        elif key == "building":
            building, room = normalize_building(value)
            fields["building"] = building
            if room:
                fields["room"] = room
        elif key == "phone":
            phone = normalize_phone(value)
            if phone is None:
                return t(language, "vol.bad_phone", phone=value)
            fields["phone"] = phone
        elif key in ("name", "room"):
            fields[key] = value[:MAX_NAME] if key == "name" else value
        else:
            return t(language, "vol.usage")
    if fields:
        person = await ctx.repo.update_person(person.id, _person_change(fields))
    await ctx.repo.upsert_volunteer(
        person.id, skills=skills, availability=free, source=profile.source, at=ctx.now()
    )
    return t(
        language, "vol.edited", name=person.name, details=await describe_volunteer(ctx, person, language)
    )


async def describe_volunteer(ctx: Ctx, person: Person, language: str | None) -> str:
    """'3号楼502 · 买菜购物、维修 · 周末 · ☎ 138…' for staff."""
    profile = await ctx.repo.get_volunteer(person.id)
    parts = [" ".join(p for p in (person.building, person.room) if p) or t(language, "reg.none")]
    if profile is not None:
        parts.append(skills_text(profile.skills, language))
        parts.append(profile.availability or t(language, "reg.none"))
    if person.phone:
        parts.append(f"☎ {person.phone}")
    return " · ".join(parts)


async def volunteer_list(ctx: Ctx, building: str | None, language: str | None) -> str:
    """Active volunteers (of one building if given), for staff."""
    wanted = normalize_building(building)[0] if building else None
    lines = []
    for profile in await ctx.repo.list_volunteers(active=True):
        person = await ctx.repo.get_person(profile.person_id)
        if person is None or (wanted and person.building != wanted):
            continue
        lines.append(f"· {person.name} {await describe_volunteer(ctx, person, language)}")
    if not lines:
        return t(language, "vol.none")
    return t(language, "vol.list", count=len(lines), lines="\n".join(lines))


async def _set_role(msg: Incoming, ctx: Ctx, turn: Turn, name: str, word: str, language: str) -> list[Reply]:
    role = ROLE_WORDS.get(word.lower())
    if role is None:
        return [Reply(chat=msg.chat, text=t(language, "role.usage"), reply_to=msg.message_id)]
    managing = (Role.STAFF, Role.ADMIN)
    authorize(
        Permission.GRANT_STAFF if role in managing else Permission.SET_ROLE, turn.person, language=language
    )
    person = await person_named(ctx, name, turn.person)
    if person is None:
        return [Reply(chat=msg.chat, text=t(language, "person.unknown", name=name), reply_to=msg.message_id)]
    if person.role in managing:  # taking a role away from staff is an admin's call too
        authorize(Permission.GRANT_STAFF, turn.person, language=language)
    await ctx.repo.update_person(person.id, PersonUpdate(role=role))
    log.info("%s set %s's role to %s", turn.person.name, person.name, role)
    return await privately(
        msg, ctx, turn, t(language, "role.done", name=person.name, role=t(language, f"role.{role}"))
    )


# -- care notes -------------------------------------------------------------------------------------------


async def person_relations(ctx: Ctx, actor: Person, subject: Person) -> frozenset[Relation]:
    """How ``actor`` stands to ``subject``: helping them now, helped them before, or on their ladder."""
    found: set[Relation] = set()
    if actor.id == subject.id:
        found.add(Relation.SELF)
    for task in await ctx.repo.list_tasks(
        states=[TaskState.CLAIMED, TaskState.DONE, TaskState.CONFIRMED], limit=10_000
    ):
        if task.requester_id == subject.id and task.claimer_id == actor.id:
            found.add(Relation.PAST_VOLUNTEER if task.state is TaskState.CONFIRMED else Relation.CLAIMER)
    if Relation.PAST_VOLUNTEER not in found and await ctx.repo.served_before(actor.id, subject.id):
        found.add(Relation.PAST_VOLUNTEER)
    if await on_ladder(ctx, actor, subject):
        found.add(Relation.LADDER)
    return frozenset(found)


async def on_ladder(ctx: Ctx, actor: Person, subject: Person) -> bool:
    """True when ``actor`` is on ``subject``'s check-in ladder: a paired volunteer or the contact."""
    elder = await ctx.repo.elder_of_person(subject.id)
    if elder is None:
        return False
    return actor.id in elder.volunteer_ids or elder.contact_person_id == actor.id


async def _add_note(msg: Incoming, ctx: Ctx, turn: Turn, name: str, text: str, language: str) -> list[Reply]:
    if not msg.chat.private:
        return [Reply(chat=msg.chat, text=t(language, "note.private_only"), reply_to=msg.message_id)]
    subject = await person_named(ctx, name, turn.person)
    if subject is None:
        return [Reply(chat=msg.chat, text=t(language, "person.unknown", name=name))]
    authorize(Permission.ADD_NOTE, turn.person, await person_relations(ctx, turn.person, subject), language)
    note = await ctx.repo.add_care_note(subject.id, text[:MAX_NOTE], turn.person.id, ctx.now())
    log.info("care note %s on person %s by %s", note.id, subject.id, turn.person.id)
    return [Reply(chat=msg.chat, text=t(language, "note.added", name=subject.name, no=note.id))]


async def _read_notes(msg: Incoming, ctx: Ctx, turn: Turn, name: str, language: str) -> list[Reply]:
    subject = await person_named(ctx, name, turn.person)
    if subject is None:
        return [Reply(chat=msg.chat, text=t(language, "person.unknown", name=name), reply_to=msg.message_id)]
    authorize(Permission.READ_NOTES, turn.person, await person_relations(ctx, turn.person, subject), language)
    notes = await ctx.repo.care_notes_of(subject.id, limit=20)
    if not notes:
        return await privately(msg, ctx, turn, t(language, "note.none", name=subject.name))
    lines = "\n".join(f"[{n.id}] {n.created_at.astimezone(ctx.settings.tz):%m-%d} {n.text}" for n in notes)
    return await privately(msg, ctx, turn, t(language, "note.list", name=subject.name, lines=lines))


def may_see_personal_data(person: Person, relations: frozenset[Relation]) -> bool:
    """Phones, addresses and health notes: staff, the claimer, the elder's ladder; only privately."""
    return allowed(Permission.PERSONAL_DATA, person.role, relations)
