"""The authorization matrix: who (role, relationship) × action → allowed, or refused with a clear reason.

The table below is written out by hand, independently of ``handlers/common/auth.py``;
the first test walks every cell of it, the second drives every command and
task action through the chat for each role and reads what the person is told.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import handlers
from handlers.common.auth import RULES, Permission, Relation, allowed, refusal_reason
from handlers.common.texts import t
from handlers.router import COMMANDS, route
from storage.lovebank_models import RecordKind
from storage.models import ChatRef, Incoming, PersonUpdate, Role
from tests.conftest import GROUP, STAFF, BotHarness

ROLES = (Role.RESIDENT, Role.VOLUNTEER, Role.ELDER, Role.STAFF, Role.ADMIN)
RELATIONS = (None, *Relation)

# One line per action, one mark per role in ROLES order: Y allowed, - refused.
# A (action, relation) line overrides the action's line for someone standing in that relation.
EXPECTED: dict[tuple[str, str | None], str] = {
    ("claim", None): "Y Y Y Y Y",
    ("claim", "requester"): "- - - Y Y",
    ("done", None): "- - - Y Y",
    ("done", "claimer"): "Y Y Y Y Y",
    ("release", None): "- - - Y Y",
    ("release", "claimer"): "Y Y Y Y Y",
    ("confirm", None): "- - - Y Y",
    ("confirm", "requester"): "Y Y Y Y Y",
    ("cancel", None): "- - - Y Y",
    ("cancel", "requester"): "Y Y Y Y Y",
    ("assign", None): "- - - Y Y",
    ("help", None): "Y Y Y Y Y",
    ("language", None): "Y Y Y Y Y",
    ("register", None): "Y Y Y Y Y",
    ("passbook", None): "Y Y Y Y Y",
    ("passbook_other", None): "- - - Y Y",
    ("passbook_other", "self"): "Y Y Y Y Y",
    ("report_hours", None): "- - - Y Y",
    ("report_hours", "claimer"): "Y Y Y Y Y",
    ("record_service", None): "- - - Y Y",
    ("correct_record", None): "- - - Y Y",
    ("summary", None): "- - - Y Y",
    ("bind", None): "- - - Y Y",
    ("manage_volunteers", None): "- - - Y Y",
    ("set_role", None): "- - - Y Y",
    ("grant_staff", None): "- - - - Y",
    ("add_note", None): "- - - Y Y",
    ("add_note", "past_volunteer"): "Y Y Y Y Y",
    ("add_note", "claimer"): "Y Y Y Y Y",
    ("add_note", "ladder"): "Y Y Y Y Y",
    ("read_notes", None): "- - - Y Y",
    ("read_notes", "claimer"): "Y Y Y Y Y",
    ("read_notes", "ladder"): "Y Y Y Y Y",
    ("remove_note", None): "- - - Y Y",
    ("personal_data", None): "- - - Y Y",
    ("personal_data", "claimer"): "Y Y Y Y Y",
    ("personal_data", "ladder"): "Y Y Y Y Y",
}


def expected(permission: Permission, relation: Relation | None, role: Role) -> bool:
    line = EXPECTED.get((permission.value, relation.value if relation else None))
    if line is None:
        line = EXPECTED[(permission.value, None)]
    return line.split()[ROLES.index(role)] == "Y"


CELLS = [(p, rel, role) for p in Permission for rel in RELATIONS for role in ROLES]


def test_every_action_has_a_rule_and_a_line_in_the_expected_table() -> None:
    assert set(RULES) == set(Permission)
    assert {p for p, _ in EXPECTED} == {p.value for p in Permission}


@pytest.mark.parametrize(("permission", "relation", "role"), CELLS, ids=lambda v: str(v))
def test_matrix_cell(permission: Permission, relation: Relation | None, role: Role) -> None:
    relations = frozenset({relation}) if relation else frozenset()
    assert allowed(permission, role, relations) is expected(permission, relation, role)
    reason = refusal_reason(permission, role, relations)
    if reason is not None:  # every refusal can be told in every language
        for language in ("zh-Hans", "zh-Hant", "en"):
            assert t(language, reason) != reason


def refused(reason: str) -> str:
    return t("zh-Hans", "error.not_allowed", reason=t("zh-Hans", reason))


# (what is said, where, who may: roles in ROLES order, the reason others are told)
CHAT: list[tuple[str, str, str, str]] = [
    ("/passbook", "private", "Y Y Y Y Y", ""),
    ("/passbook 小李", "private", "- - - Y Y", "reason.only_staff"),
    ("/hours #2 2", "private", "- - - Y Y", "reason.only_claimer"),
    ("/record 小李 2 社区义诊", "private", "- - - Y Y", "reason.only_staff"),
    ("/correct 1 1 记错了", "private", "- - - Y Y", "reason.only_staff"),
    ("/summary", "private", "- - - Y Y", "reason.only_staff"),
    ("/vol list", "private", "- - - Y Y", "reason.only_staff"),
    ("/role 小王 老人", "private", "- - - Y Y", "reason.only_staff"),
    ("/role 小王 工作人员", "private", "- - - - Y", "reason.only_admin"),
    ("/note 王奶奶 耳背,敲门要用力", "private", "- - - Y Y", "reason.only_helpers"),
    ("/notes 王奶奶", "private", "- - - Y Y", "reason.only_helpers"),
    ("/delnote 1", "private", "- - - Y Y", "reason.only_staff"),
    ("注册", "private", "Y Y Y Y Y", ""),
    ("/lang zh-Hans", "private", "Y Y Y Y Y", ""),
    ("/help", "private", "Y Y Y Y Y", ""),
    ("/bind 3号楼", "group", "- - - Y Y", "reason.only_staff"),
    ("我来 #1", "group", "Y Y Y Y Y", ""),
    ("完成 #2", "group", "- - - Y Y", "reason.only_claimer"),
    ("放弃 #2", "group", "- - - Y Y", "reason.only_claimer"),
    ("确认 #3", "group", "- - - Y Y", "reason.only_requester"),
    ("取消 #1", "group", "- - - Y Y", "reason.only_requester"),
    ("/assign 1 小王", "group", "- - - Y Y", "reason.only_staff"),
    ("我来 #4", "group", "- - - Y Y", "reason.own_task"),
]


async def setup_community(bot: BotHarness, actor: str, role: Role) -> None:
    """Task #1 open, #2 claimed by 小李, #3 done by 小李, #4 the actor's own; one record; one note."""
    await bot.say("小王", "你好", private=True)
    await bot.say(actor, "你好", private=True)
    await bot.say("王奶奶", "3号楼502王奶奶想请人明天上午帮忙买点菜")
    await bot.say("王奶奶", "3号楼王奶奶家的灯泡坏了,谁能帮忙换一下")
    await bot.reply("小李", 2, "我来")
    await bot.say("孙大爷", "3号楼孙大爷想找人明天下午陪他聊聊天")
    await bot.reply("小李", 3, "我来")
    await bot.reply("小李", 3, "完成")
    await bot.say(actor, "谁能帮我明天取个快递?我住3号楼")
    await bot.prove("小李", "小王", "王奶奶")  # accounts staff know (names resolve to proven accounts)
    person = await bot.repo.find_person_by_name(actor)
    volunteer = await bot.repo.find_person_by_name("小李")
    grandma = await bot.repo.find_person_by_name("王奶奶")
    assert person is not None and volunteer is not None and grandma is not None
    await bot.repo.update_person(person.id, PersonUpdate(role=role))
    now = bot.clock.now()
    await bot.repo.add_record(kind=RecordKind.SERVICE, person_id=volunteer.id, hours=2, served_at=now, at=now)
    await bot.repo.add_care_note(grandma.id, "家里有狗", None, now)


@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize(("text", "where", "who", "reason"), CHAT, ids=[c[0] for c in CHAT])
async def test_chat_matrix(bot: BotHarness, role: Role, text: str, where: str, who: str, reason: str) -> None:
    actor = "甲"
    await setup_community(bot, actor, role)
    sent = await bot.say(actor, text, private=where == "private")
    said = [s.text for s in sent]
    may = who.split()[ROLES.index(role)] == "Y"
    if may:
        assert said, f"{role} got no answer to {text}"
        assert not any(s.startswith("抱歉,") for s in said), (role, text, said)
    else:
        assert said == [refused(reason)], (role, text, said)
        assert all(s.chat.chat_id == (actor if where == "private" else GROUP) for s in sent)


async def test_personal_data_goes_only_privately_to_staff_and_the_claimer(bot: BotHarness) -> None:
    await bot.say("王奶奶", "你好", private=True)
    grandma = await bot.repo.find_person_by_name("王奶奶")
    assert grandma is not None
    await bot.repo.update_person(grandma.id, PersonUpdate(phone="13812345678", room="502", building="3号楼"))
    await bot.prove("王奶奶", "小李")
    sent = list(await bot.say("张书记", "/note 王奶奶 耳背,敲门要用力", private=True))
    sent += await bot.say("王奶奶", "王奶奶想请人明天上午帮忙买点菜")
    for who, text in [("小李", "我来"), ("小李", "完成"), ("王奶奶", "确认")]:
        sent += await bot.reply(who, 1, text)
    sent += await bot.say("小李", "存折")
    sent += await bot.say("小王", "/notes 王奶奶")
    sent += await bot.say("小王", "/passbook 小李")
    sent += await bot.say("张书记", "/notes 王奶奶")
    sent += await bot.say("张书记", "/passbook 小李")
    personal = [s for s in sent if any(secret in s.text for secret in ("13812345678", "耳背", "502"))]
    assert {s.chat.chat_id for s in personal} == {"小李", "张书记"}
    assert all(s.chat.private for s in personal)


# -- every command of the router × who is asking ----------------------------------------------

# A sample line per command in handlers.router.COMMANDS (the test below fails if one is missing).
SAMPLES: dict[str, tuple[str, str]] = {
    "/start": ("/start", "private"),
    "/help": ("/help", "private"),
    "/lang": ("/lang zh-Hans", "private"),
    "/link": ("/link", "private"),
    "/register": ("/register", "private"),
    "/passbook": ("/passbook", "private"),
    "/hours": ("/hours #2 2", "private"),
    "/note": ("/note 王奶奶 耳背,敲门要用力", "private"),
    "/notes": ("/notes 王奶奶", "private"),
    "/bind": ("/bind 3号楼", "group"),
    "/assign": ("/assign 1 小王", "group"),
    "/elder": ("/elder 孙奶奶 3号楼301 09:00", "private"),
    "/elders": ("/elders", "private"),
    "/away": ("/away 王奶奶 3", "private"),
    "/back": ("/back 王奶奶", "private"),
    "/record": ("/record 小李 2 社区义诊", "private"),
    "/correct": ("/correct 1 1 记错了", "private"),
    "/summary": ("/summary", "private"),
    "/vol": ("/vol list", "private"),
    "/role": ("/role 小王 老人", "private"),
    "/delnote": ("/delnote 1", "private"),
    "/invite": ("/invite 孙奶奶", "private"),
    "/digest": ("/digest", "private"),
    "/incidents": ("/incidents", "private"),
    "/tasks": ("/tasks", "private"),
}
WHO = ("resident", "volunteer", "requester", "claimer", "staff", "impostor")
MAY = {
    "anyone": set(WHO),
    "claimer": {"claimer", "staff"},
    "helpers": {"claimer", "staff"},
    "staff": {"staff"},
}


def test_every_command_of_the_router_is_in_the_matrix() -> None:
    """Scans the handlers for slash commands: each must be listed in COMMANDS, and sampled here."""
    aliases = {"/language", "/volunteer", "/cancel"}  # /lang, /vol, and leaving a registration
    found = set()
    for source in Path(handlers.__file__).parent.rglob("*.py"):
        found |= set(re.findall(r"(?:\(\?:|\"|\|)(/[a-z]{3,})", source.read_text(encoding="utf-8")))
    assert found - aliases <= set(COMMANDS), sorted(found - aliases - set(COMMANDS))
    assert set(SAMPLES) == set(COMMANDS)


async def as_who(bot: BotHarness, who: str, text: str, private: bool) -> list[str]:
    """Says ``text`` as ``who``: the impostor is another account whose display name is the staff's."""
    if who == "staff":
        return [s.text for s in await bot.say(STAFF, text, private=private)]
    if who != "impostor":
        return [s.text for s in await bot.say("甲", text, private=private)]
    chat = ChatRef("telegram", "9999", True) if private else ChatRef("telegram", "-100", False)
    msg = Incoming("telegram", chat, "9999", STAFF, text, f"t{len(text)}", bot.clock.now(), chat_title=GROUP)
    return [r.text for r in await route(msg, bot.app.ctx)]


async def setup_roles(bot: BotHarness, who: str) -> None:
    """#1 open; #2 (王奶奶's) claimed by 甲 when the claimer, else by 小李; a record; a note."""
    await bot.say("小王", "你好", private=True)
    await bot.say("甲", "你好", private=True)
    await bot.say("王奶奶", "3号楼502王奶奶想请人明天上午帮忙买点菜")
    await bot.say("王奶奶", "3号楼王奶奶家的灯泡坏了,谁能帮忙换一下")
    await bot.reply("甲" if who == "claimer" else "小李", 2, "我来")
    if who == "requester":
        await bot.say("甲", "谁能帮我明天取个快递?我住3号楼")
    await bot.prove("小李", "小王", "王奶奶")
    actor = await bot.repo.person_by_identity("console", "甲")
    volunteer = await bot.repo.person_by_identity("console", "小李")
    grandma = await bot.repo.person_by_identity("console", "王奶奶")
    assert actor is not None and grandma is not None
    if who == "volunteer":
        await bot.repo.update_person(actor.id, PersonUpdate(role=Role.VOLUNTEER))
    now = bot.clock.now()
    holder = volunteer or actor
    await bot.repo.add_record(kind=RecordKind.SERVICE, person_id=holder.id, hours=2, served_at=now, at=now)
    await bot.repo.add_care_note(grandma.id, "家里有狗", None, now)
    bot.console.pop()


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("command", sorted(SAMPLES))
async def test_every_command_for_everyone(bot: BotHarness, command: str, who: str) -> None:
    await setup_roles(bot, who)
    text, where = SAMPLES[command]
    said = await as_who(bot, who, text, where == "private")
    bot.console.pop()
    assert said, f"{who} got no answer to {text}"
    refusals = [s for s in said if s.startswith("抱歉,")]
    if who in MAY[COMMANDS[command]]:
        assert not refusals, (who, text, said)
    else:
        assert refusals, (who, text, said)
