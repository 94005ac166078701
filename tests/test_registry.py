"""Flow 11, the registry: self-registration in private chat, staff management, roles, care notes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.common.categories import match_skills
from handlers.registry.registry import normalize_phone
from handlers.understanding.places import normalize_building
from storage.models import PersonUpdate, Role
from tests.conftest import GROUP, STAFF, BotHarness

NEED = "3号楼502王奶奶想请人明天上午帮忙买点菜"


def private_to(sent: list, who: str) -> list[str]:
    return [s.text for s in sent if s.chat.private and s.chat.chat_id == who]


def in_group(sent: list, chat: str = GROUP) -> list[str]:
    return [s.text for s in sent if not s.chat.private and s.chat.chat_id == chat]


async def person(bot: BotHarness, name: str):  # type: ignore[no-untyped-def]
    found = await bot.repo.find_person_by_name(name)
    assert found is not None, name
    return found


async def register(bot: BotHarness, who: str, *answers: str, start: str = "注册") -> list[str]:
    """Says 注册 privately, then each answer; returns the bot's private answers in order."""
    said = private_to(await bot.say(who, start, private=True), who)
    for answer in answers:
        said += private_to(await bot.say(who, answer, private=True), who)
    return said


async def test_a_volunteer_registers_in_four_short_steps(bot: BotHarness) -> None:
    said = await register(bot, "小李", "好", "3号楼502", "1 6", "周末上午")
    assert "1/4 怎么称呼你?回复「好」就用「小李」" in said[0]
    assert said[1].startswith("2/4 你住几号楼")
    assert said[2].startswith("3/4 你能帮哪些忙") and "1 买菜购物" in said[2] and "6 维修" in said[2]
    assert said[3].startswith("4/4 你一般什么时候有空")
    assert said[4] == (
        "✅ 登记好了,谢谢你!\n姓名:小李\n楼栋:3号楼 502\n能帮:买菜购物、维修\n有空:周末上午\n"
        "想修改就再说一次「注册」;看服务记录说「存折」。"
    )
    volunteer = await person(bot, "小李")
    assert (volunteer.role, volunteer.building, volunteer.room) == (Role.VOLUNTEER, "3号楼", "502")
    profile = await bot.repo.get_volunteer(volunteer.id)
    assert (
        profile is not None
        and profile.skills == ("shopping", "repair")
        and profile.availability == "周末上午"
    )
    assert await bot.repo.get_draft(volunteer.id) is None


async def test_registering_again_updates_the_one_registration(bot: BotHarness) -> None:
    await register(bot, "小李", "好", "3号楼", "买菜", "晚上")
    said = await register(bot, "小李", "李明", "5栋301", "修电器 量血压", "跳过")
    assert said[0].startswith("你已经登记过了,这次会更新原来的登记。")
    assert "姓名:李明\n楼栋:5号楼 301\n能帮:健康护理、维修\n有空:未填" in said[-1]
    assert len(await bot.repo.list_volunteers()) == 1
    renamed = await bot.repo.find_person_by_name("李明")
    assert renamed is not None and renamed.building == "5号楼"


async def test_registration_started_in_a_group_continues_privately(bot: BotHarness) -> None:
    sent = await bot.say("小王", "我要当志愿者")
    assert in_group(sent) == ["小王,已私信发给您 📩"]
    assert private_to(sent, "小王")[0].startswith("欢迎加入志愿者队伍")
    sent = await bot.say("小王", "好的")  # said in the group: not an answer, and no card
    assert sent == []
    said = private_to(await bot.say("小王", "好", private=True), "小王")
    assert said[0].startswith("2/4")


async def test_cancel_skip_unknown_skills_and_stale_conversations(bot: BotHarness) -> None:
    said = await register(bot, "小李", "好", "跳过", "养蜂")
    assert said[-1] == "没认出来 🙏 请回复编号,如「1 4」,或回复「跳过」。"
    said = private_to(await bot.say("小李", "取消", private=True), "小李")
    assert said == ["好的,已取消登记。想登记时再说「注册」。"]
    assert await bot.repo.get_volunteer((await person(bot, "小李")).id) is None
    await register(bot, "小李")
    bot.clock.advance(timedelta(hours=3))
    sent = await bot.say("小李", "明天谁能帮我取个快递", private=True)  # not taken for a name
    assert not any("2/4" in text for text in private_to(sent, "小李"))
    assert sent and sent[0].card_of == 1


async def test_an_emergency_during_registration_is_still_an_emergency(bot: BotHarness) -> None:
    await register(bot, "小李")
    sent = await bot.say("小李", "快来人!我妈在家里摔倒了起不来", private=True)
    assert private_to(sent, STAFF) and "紧急" in private_to(sent, STAFF)[0]
    draft = await bot.repo.get_draft((await person(bot, "小李")).id)
    assert draft is not None and draft.step == "name"


async def test_traditional_chinese_registration(bot: BotHarness) -> None:
    said = await register(bot, "陳伯伯", "好", "七號樓", "跳過", "週末", start="我要當志願者")
    assert said[0].startswith("歡迎加入志願者隊伍")
    assert "樓棟:7号楼" in said[-1] and "能幫:未填" in said[-1]


async def test_staff_add_edit_deactivate_and_list_volunteers(bot: BotHarness) -> None:
    sent = await bot.say("小李", "/vol add 小王 3号楼", private=True)
    assert "只有社区工作人员" in private_to(sent, "小李")[0]
    sent = await bot.say(STAFF, "/vol add 刘师傅 5号楼 维修,理发 13812345678 周末", private=True)
    assert private_to(sent, STAFF) == ["已登记志愿者 刘师傅:5号楼 · 维修、理发 · 周末 · ☎ 13812345678"]
    sent = await bot.say(STAFF, "/vol edit 刘师傅 楼栋=3号楼402 技能=6 空闲=工作日晚上", private=True)
    assert private_to(sent, STAFF) == ["已更新 刘师傅:3号楼 402 · 维修 · 工作日晚上 · ☎ 13812345678"]
    sent = await bot.say(STAFF, "/vol edit 刘师傅 电话=12345", private=True)
    assert "不像电话号码" in private_to(sent, STAFF)[0]
    sent = await bot.say(STAFF, "/志愿者 名单 3号楼", private=True)
    assert "志愿者 1 人" in private_to(sent, STAFF)[0] and "刘师傅" in private_to(sent, STAFF)[0]
    sent = await bot.say(STAFF, "/vol off 刘师傅", private=True)
    assert "已停用志愿者 刘师傅" in private_to(sent, STAFF)[0]
    assert (await person(bot, "刘师傅")).role is Role.RESIDENT
    assert await bot.repo.list_volunteers() == []
    sent = await bot.say(STAFF, "/vol on 刘师傅", private=True)
    assert (await person(bot, "刘师傅")).role is Role.VOLUNTEER
    sent = await bot.say(STAFF, "/vol off 没这人", private=True)
    assert "没有找到「没这人」" in private_to(sent, STAFF)[0]
    sent = await bot.say(STAFF, "/vol list")  # asked in the group: the list goes privately
    assert in_group(sent) == ["张书记,已私信发给您 📩"] and "刘师傅" in private_to(sent, STAFF)[0]


async def test_roles_staff_set_community_roles_only_admins_make_staff(bot: BotHarness) -> None:
    await bot.say("王奶奶", "你好", private=True)
    sent = await bot.say("小李", "/role 王奶奶 老人", private=True)
    assert "只有社区工作人员" in private_to(sent, "小李")[0]
    await bot.prove("王奶奶", "小李")
    sent = await bot.say(STAFF, "/role 王奶奶 老人", private=True)
    assert private_to(sent, STAFF) == ["王奶奶 现在是老人。"]
    sent = await bot.say(STAFF, "/role 小李 工作人员", private=True)
    assert "只有社区管理员" in private_to(sent, STAFF)[0]
    admin = await person(bot, STAFF)
    await bot.repo.update_person(admin.id, PersonUpdate(role=Role.ADMIN))
    sent = await bot.say(STAFF, "/role 小李 staff", private=True)
    assert private_to(sent, STAFF) == ["小李 现在是社区工作人员。"]
    sent = await bot.say(STAFF, "/role 小李 国王", private=True)
    assert "用法" in private_to(sent, STAFF)[0]


async def test_care_notes_go_only_privately_to_whoever_goes_to_the_door(bot: BotHarness) -> None:
    await bot.say("王奶奶", "你好", private=True)
    await bot.prove("王奶奶")
    sent = await bot.say(STAFF, "/note 王奶奶 耳背,敲门要用力")  # in the group: refused, not stored
    assert in_group(sent) == ["备注请私聊我发送哦,群里大家都能看到。"]
    assert await bot.repo.care_notes_of((await person(bot, "王奶奶")).id) == []
    sent = await bot.say(STAFF, "/备注 王奶奶 耳背,敲门要用力", private=True)
    assert private_to(sent, STAFF) == ["已为 王奶奶 记下备注 No.1,接单的志愿者会私下看到。谢谢!"]
    sent = await bot.say("小王", "/note 王奶奶 家里有狗", private=True)
    assert "只有社区工作人员和正在帮这位邻居的志愿者" in private_to(sent, "小王")[0]
    sent = await bot.say("王奶奶", NEED)
    sent = await bot.reply("小李", 1, "我来")
    assert "📝 备注:耳背,敲门要用力" in private_to(sent, "小李")[0]
    assert all("耳背" not in text for text in in_group(sent))
    sent = await bot.say("小李", "/notes 王奶奶", private=True)  # the claimer may read them
    assert "[1]" in private_to(sent, "小李")[0] and "耳背" in private_to(sent, "小李")[0]
    sent = await bot.say("小王", "/notes 王奶奶", private=True)
    assert "只有社区工作人员和正在帮" in private_to(sent, "小王")[0]
    await bot.reply("小李", 1, "完成")
    await bot.reply("王奶奶", 1, "确认")
    sent = await bot.say("小李", "/note 王奶奶 家里有狗,午睡到两点", private=True)  # a past volunteer
    assert "No.2" in private_to(sent, "小李")[0]
    sent = await bot.say("小李", "/notes 王奶奶", private=True)  # …who is no longer at the door
    assert "只有社区工作人员和正在帮" in private_to(sent, "小李")[0]
    sent = await bot.say(STAFF, "/delnote 1", private=True)
    assert private_to(sent, STAFF) == ["备注 No.1 已删除。"]
    await bot.say("王奶奶", "3号楼王奶奶想请人后天帮忙打扫一下卫生")
    sent = await bot.reply("小王", 2, "我来")
    details = private_to(sent, "小王")[0]
    assert "家里有狗,午睡到两点" in details and "耳背" not in details


@pytest.mark.parametrize(
    ("text", "building", "room"),
    [
        ("3", "3号楼", None),
        ("3号楼", "3号楼", None),
        ("3号楼502", "3号楼", "502"),
        ("3栋 502", "3号楼", "502"),
        ("三号楼", "3号楼", None),
        ("5栋2单元301", "5号楼", "301"),
        ("幸福里东区", "幸福里东区", None),
    ],
)
def test_buildings_are_read_as_residents_write_them(text: str, building: str, room: str | None) -> None:
    assert normalize_building(text) == (building, room)


@pytest.mark.parametrize(
    ("text", "skills"),
    [
        ("1 6", ("shopping", "repair")),
        ("买菜、维修", ("shopping", "repair")),
        ("修电器,量血压", ("health", "repair")),
        ("repair tech_help", ("repair", "tech_help")),
        ("手機電腦", ("tech_help",)),
        ("99", ()),
        ("养蜂", ()),
        ("周末", ()),  # free time, not a skill, whatever the model guesses
        ("陪老人聊天", ("companionship",)),
    ],
)
def test_skills_are_read_from_numbers_labels_and_words(text: str, skills: tuple[str, ...]) -> None:
    assert match_skills(text) == skills


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("021-62345678", "021-62345678"),
        ("12345", None),
        ("23812345678", None),
    ],
)
def test_phones_are_checked(text: str, phone: str | None) -> None:
    assert normalize_phone(text) == phone
