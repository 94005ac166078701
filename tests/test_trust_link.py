"""/link: 8-character codes, redeemed only on another platform, at most 5 wrong codes an hour."""

from __future__ import annotations

import itertools
from datetime import timedelta

from handlers.router import route
from storage.models import ChatRef, Incoming
from tests.conftest import STAFF, BotHarness

_IDS = itertools.count(1)


async def on_telegram(bot: BotHarness, user_id: str, text: str) -> list[str]:
    """The same bot reached from another platform: routes one private Telegram message."""
    msg = Incoming(
        platform="telegram",
        chat=ChatRef("telegram", user_id, True),
        sender_id=user_id,
        sender_name=user_id,
        text=text,
        message_id=f"tg-{next(_IDS)}",
        at=bot.clock.now(),
    )
    return [r.text for r in await route(msg, bot.app.ctx)]


async def code_for(bot: BotHarness, who: str) -> str:
    sent = await bot.say(who, "/link", private=True)
    code = sent[0].text.split("关联码:")[1][:8]
    assert len(code) == 8 and code.isalnum()
    return code


async def test_a_code_works_once_and_only_on_another_platform(bot: BotHarness) -> None:
    code = await code_for(bot, STAFF)
    sent = await bot.say("someone", f"/link {code}", private=True)  # same platform: refused
    assert "过期" in sent[0].text
    [said] = await on_telegram(bot, "424242", f"/link {code}")
    assert "张书记" in said
    linked = await bot.repo.person_by_identity("telegram", "424242")
    staff = await bot.repo.person_by_identity("console", STAFF)
    assert linked is not None and staff is not None and linked.id == staff.id
    events = await bot.repo.person_events(staff.id)
    assert [event.kind for event in events] == ["linked"]
    [again] = await on_telegram(bot, "515151", f"/link {code}")
    assert "过期" in again


async def test_five_wrong_codes_an_hour_then_a_lockout_the_bot_explains(bot: BotHarness) -> None:
    code = await code_for(bot, STAFF)
    for guess in range(5):
        [said] = await on_telegram(bot, "666", f"/link ZZZZZZ{guess:02d}")
        assert "过期" in said
    [locked] = await on_telegram(bot, "666", f"/link {code}")  # even the right code now waits
    assert "一小时" in locked
    attacker = await bot.repo.person_by_identity("telegram", "666")
    staff = await bot.repo.person_by_identity("console", STAFF)
    assert attacker is not None and staff is not None and attacker.id != staff.id
    bot.clock.advance(timedelta(minutes=61))
    code = await code_for(bot, STAFF)
    [said] = await on_telegram(bot, "666", f"/link {code}")
    assert "张书记" in said
