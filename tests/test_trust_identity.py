"""Identity is the platform account, never the display name: each attack through the console."""

from __future__ import annotations

from dataclasses import replace

from bot.cli_records import run_import
from handlers.common.context import StaffMember
from storage.models import PersonUpdate, Role
from tests.checkin_support import STAFF
from tests.conftest import SETTINGS, BotHarness


async def configure_staff(bot: BotHarness, *members: StaffMember) -> None:
    """Staff added to the config later, then the restart's sync."""
    settings = replace(SETTINGS, staff=(*SETTINGS.staff, *members))
    bot.app.settings = settings
    bot.app.ctx.settings = settings
    await bot.app.sync_staff()


async def test_a_display_name_never_receives_a_configured_staff_account(bot: BotHarness) -> None:
    assert await bot.say("李主任", "大家好") == []  # the impostor, before the real staff is configured
    await configure_staff(bot, StaffMember("李主任", (("console", "li-real"),)))
    impostor = await bot.repo.person_by_identity("console", "李主任")
    real = await bot.repo.person_by_identity("console", "li-real")
    assert impostor is not None and real is not None and impostor.id != real.id
    assert impostor.role is Role.RESIDENT and real.role is Role.STAFF
    await bot.say("li-real", "你好", private=True)  # the real one opens a private chat
    bot.console.pop()
    sent = await bot.say("小陈", "快来人!5号楼302李大爷摔倒了起不来")
    alerted = {s.chat.chat_id for s in sent if s.chat.private}
    assert "li-real" in alerted and "李主任" not in alerted
    sent = await bot.say("李主任", "/elders", private=True)
    assert all("只有社区工作人员" in s.text for s in sent) and sent


async def test_assign_to_a_name_only_seen_as_a_display_name_lists_accounts(bot: BotHarness) -> None:
    await bot.say("王奶奶", "3号楼502王奶奶想请人明天上午帮忙买点菜")
    await bot.say("小李", "大家好")
    sent = await bot.say(STAFF, "/assign 1 小李")
    [refusal] = [s.text for s in sent]
    assert refusal == "「小李」对应的人不止一个,或账号还没确认。请指定一个:console:小李(小李)"
    task = await bot.repo.get_task(1)
    assert task is not None and task.claimer_id is None  # nobody got the details
    sent = await bot.say(STAFF, "/assign 1 console:小李")
    assert any(s.chat.private and s.chat.chat_id == "小李" for s in sent)
    picked = await bot.repo.person_by_identity("console", "小李")
    assert picked is not None
    events = await bot.repo.person_events(picked.id)
    assert [(e.kind, e.detail) for e in events] == [("account_picked", "console:小李")]


async def test_a_name_that_fits_two_people_is_refused_with_the_choices(bot: BotHarness) -> None:
    await bot.say("小李", "大家好")
    await bot.say("li-2", "大家好")
    await bot.prove("小李", "li-2")
    other = await bot.repo.person_by_identity("console", "li-2")
    assert other is not None
    await bot.repo.update_person(other.id, PersonUpdate(name="小李", building="5号楼"))
    sent = await bot.say(STAFF, "/passbook 小李", private=True)
    [text] = [s.text for s in sent]
    assert text.startswith("「小李」对应的人不止一个") and "5号楼" in text and text.count("#") == 2


async def test_pairing_by_a_display_name_is_refused_and_the_impostor_gets_nothing(bot: BotHarness) -> None:
    await bot.say("小李", "大家好")  # whoever first used the name 小李
    sent = await bot.say(STAFF, "/elder 王奶奶 3号楼502 09:30 结对 小李", private=True)
    assert [s.chat.chat_id for s in sent] == [STAFF] and "console:小李" in sent[0].text
    assert await bot.repo.list_elders() == []


async def test_an_elder_registered_by_name_is_pending_not_someone_elses_account(bot: BotHarness) -> None:
    sent = await bot.say(STAFF, "/elder 王奶奶 3号楼502 09:30", private=True)
    assert "已登记" in sent[0].text
    await bot.say("王奶奶", "大家好")  # someone later shows up under that name
    registered = [p for p in await bot.repo.people_named("王奶奶") if p.role is Role.ELDER]
    assert len(registered) == 1 and await bot.repo.identities_of(registered[0].id) == []
    speaker = await bot.repo.person_by_identity("console", "王奶奶")
    assert speaker is not None and speaker.id != registered[0].id


async def test_a_group_speaker_cannot_be_resolved_by_staff_for_notes(bot: BotHarness) -> None:
    await bot.say("王奶奶", "你好", private=True)
    sent = await bot.say(STAFF, "/note 王奶奶 耳背", private=True)
    assert "console:王奶奶" in sent[0].text
    speaker = await bot.repo.person_by_identity("console", "王奶奶")
    assert speaker is not None and await bot.repo.care_notes_of(speaker.id) == []


async def test_a_pending_elder_proves_the_account_with_an_invitation(bot: BotHarness) -> None:
    sent = await bot.say(STAFF, "/elder 孙奶奶 3号楼301 09:00", private=True)
    assert "已登记" in sent[0].text
    await bot.say("孙奶奶", "大家好")  # someone shows up under that name: not attached
    await bot.say("sun-phone", "你好", private=True)  # the real 孙奶奶's account
    bot.console.pop()
    sent = await bot.say(STAFF, "/invite 孙奶奶", private=True)
    [text] = [s.text for s in sent]
    code = text.split("邀请码:")[1][:8]
    assert len(code) == 8
    sent = await bot.say("sun-phone", f"/link {code}", private=True)
    assert "孙奶奶" in sent[0].text
    elder = [p for p in await bot.repo.people_named("孙奶奶") if p.role is Role.ELDER]
    [identity] = await bot.repo.identities_of(elder[0].id)
    assert (identity.user_id, identity.verified) == ("sun-phone", True)
    impostor = await bot.repo.person_by_identity("console", "孙奶奶")
    assert impostor is not None and impostor.id != elder[0].id
    kinds = [event.kind for event in await bot.repo.person_events(elder[0].id)]
    assert kinds == ["invited", "linked"]


async def test_a_code_said_in_a_group_is_burnt(bot: BotHarness) -> None:
    await bot.say(STAFF, "/elder 孙奶奶 3号楼301 09:00", private=True)
    sent = await bot.say(STAFF, "/invite 孙奶奶", private=True)
    code = sent[0].text.split("邀请码:")[1][:8]
    sent = await bot.say("孙奶奶", f"/link {code}")
    assert "私聊" in sent[0].text
    sent = await bot.say("孙奶奶", f"/link {code}", private=True)
    assert "过期" in sent[0].text


async def test_only_staff_invite(bot: BotHarness) -> None:
    sent = await bot.say("小李", "/invite 孙奶奶", private=True)
    assert "只有社区工作人员" in sent[0].text


async def test_an_import_by_name_never_lands_on_a_display_name(bot: BotHarness) -> None:
    await bot.say("王奶奶", "大家好")  # whoever first used the name
    rows = [["姓名", "楼栋", "房号"], ["王奶奶", "3号楼", "502"]]
    report = await run_import(bot.repo, SETTINGS, "elders", rows, encoding="utf-8")
    assert report.ok
    speaker = await bot.repo.person_by_identity("console", "王奶奶")
    assert speaker is not None and speaker.role is Role.RESIDENT and speaker.room is None
    [elder] = [p for p in await bot.repo.people_named("王奶奶") if p.role is Role.ELDER]
    assert elder.id != speaker.id and await bot.repo.identities_of(elder.id) == []


async def test_staff_pick_a_pending_record_by_its_number(bot: BotHarness) -> None:
    sent = await bot.say(STAFF, "/vol add 小李 3号楼", private=True)
    [pending] = await bot.repo.people_named("小李")
    await bot.say("小李", "大家好")  # an account now shows the same name
    sent = await bot.say(STAFF, "/passbook 小李", private=True)
    assert f"#{pending.id} 小李" in sent[0].text and "console:小李" in sent[0].text
    sent = await bot.say(STAFF, f"/passbook #{pending.id}", private=True)
    assert "小李 的爱心存折" in sent[0].text
    sent = await bot.say("小王", f"/passbook #{pending.id}", private=True)  # not for residents
    assert "小李 的爱心存折" not in sent[0].text
