"""One queue across platforms: a single real `linli run` serving a Telegram group and a WeChat room.

Both chats are bound to 3号楼 in the config, so a need posted in the WeChat room becomes one task
whose card shows in both places, and a Telegram volunteer can take it from the Telegram card.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.telegram_peer import BOT_TOKEN, Group, Sent, TelegramPeer, User
from tests.e2e.wechat_peer import BOT_NAME, TOKEN, LinliBot, Person, WechatGateway

pytestmark = pytest.mark.e2e

BUILDING = "3号楼"
NEED = "3号楼502王奶奶想请人明天上午帮忙买点菜"
VOLUNTEER = User(5002, "李四")
BOSS = User(5001, "张书记")


def write_config(
    directory: Path, telegram: TelegramPeer, gateway: WechatGateway, staff: Person, group: Group, room_id: str
) -> Path:
    """A config with both platforms on, and one building bound to a Telegram group and a WeChat room."""
    text = f"""[community]
name = "幸福里社区"
timezone = "Asia/Shanghai"
language = "zh-Hans"

[storage]
url = "sqlite:///{directory / "linli.db"}"

[[staff]]
name = "张书记"
telegram = "{BOSS.id}"
wechat = "{staff.id}"

[[groups]]
platform = "telegram"
chat = "{group.id}"
building = "{BUILDING}"
title = "{group.title}"

[[groups]]
platform = "wechat"
chat = "{room_id}"
building = "{BUILDING}"
title = "3号楼微信群"

[telegram]
token = "{BOT_TOKEN}"
base_url = "{telegram.base_url}"

[wechat]
endpoint = "127.0.0.1:{gateway.port}"
token = "{TOKEN}"
name = "{BOT_NAME}"
send_gap = [0.0, 0.0]
"""
    path = directory / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def both_running(
    tmp_path: Path, telegram_peer: TelegramPeer, wechat_gateway: WechatGateway, request: pytest.FixtureRequest
) -> Iterator[Callable[[Group, str, Person], LinliBot]]:
    """Starts one `linli run` on both peers; waits until both platforms answer; stops it afterwards."""
    started: list[LinliBot] = []
    failed_before = request.session.testsfailed

    def make(group: Group, room_id: str, staff: Person) -> LinliBot:
        config = write_config(tmp_path, telegram_peer, wechat_gateway, staff, group, room_id)
        bot = LinliBot(tmp_path, config)
        streams = wechat_gateway.health()["streams"]
        bot.start()
        started.append(bot)

        def guard() -> None:
            if bot.process is not None and bot.process.poll() is not None:
                raise AssertionError(f"linli exited; log:\n{bot.log_text()[-4000:]}")

        telegram_peer.guards.append(guard)
        try:
            wechat_gateway.wait_connected(streams)
        except AssertionError:
            raise AssertionError(f"linli did not connect to WeChat:\n{bot.log_text()[-3000:]}") from None
        return bot

    yield make
    telegram_peer.guards.clear()
    for bot in started:
        bot.stop()
    if request.session.testsfailed > failed_before:
        for bot in started:
            sys.stderr.write(f"\n----- linli log ({bot.log_path}) -----\n{bot.log_text()[-6000:]}\n")


def task_id(text: str) -> int:
    match = re.search(r"#(\d+)", text)
    assert match, f"no task number in {text!r}"
    return int(match.group(1))


def test_one_queue_across_telegram_and_wechat(
    telegram_peer: TelegramPeer,
    wechat_gateway: WechatGateway,
    both_running: Callable[[Group, str, Person], LinliBot],
) -> None:
    tg, gw = telegram_peer, wechat_gateway
    group = Group.fresh("3号楼互助群")
    staff, grandma = gw.person("张书记"), gw.person("王奶奶")
    room = gw.room("3号楼微信群", [staff, grandma], aliases={grandma: "502王奶奶"})
    both_running(group, room.id, staff)

    # The Telegram side is up once the volunteer's /start is answered (this also opens the private chat).
    since = tg.say(VOLUNTEER, VOLUNTEER, "/start")
    tg.say(BOSS, BOSS, "/start")
    tg.wait_message(VOLUNTEER, lambda m: True, timeout=30, after=since)
    tg.wait_message(BOSS, lambda m: True, after=since)
    # The emulator knows a group only once someone has spoken in it (the bot is a member in real life).
    tg.say(group, VOLUNTEER, "大家好")

    # A resident asks in WeChat: one task, one card in each chat of the building.
    mark = gw.mark()
    gw.say(grandma, NEED, room)
    wx_card = gw.wait_bot(room, "回复「我来 #", mark)
    n = task_id(wx_card.text)
    assert n == 1
    assert "买菜" in wx_card.text and BUILDING in wx_card.text

    def is_card(m: Sent) -> bool:
        return m.history[0].startswith("🙋") and f"#{n} " in m.history[0]

    tg_card = tg.wait_message(group, is_card)
    assert tg_card.labels == ["我来", "取消"]
    assert "买菜" in tg_card.text and BUILDING in tg_card.text

    # A Telegram volunteer presses 我来 on the Telegram card.
    callback = tg.press(group, VOLUNTEER, tg_card.message_id, tg_card.data_for("我来"))
    tg.answer_to(callback)
    claimed = tg.wait_for(
        lambda: next(
            (m for m in tg.sent(group) if m.message_id == tg_card.message_id and "已接单" in m.text), None
        ),
        what=f"the Telegram card #{n} to be edited to 已接单",
    )
    assert "李四" in claimed.text and "完成" in claimed.labels and "我来" not in claimed.labels
    wx_claimed = gw.wait_bot(room, "已接单", wx_card.seq)
    assert f"#{n}" in wx_claimed.text and "李四" in wx_claimed.text
    details = tg.wait_message(VOLUNTEER, f"谢谢你接下 #{n}", after=since)
    assert "王奶奶" in details.text and "502" in details.text
    assert not [m for m in gw.sent(mark) if "谢谢你接下" in m.text]  # the details went to Telegram only

    # Done from Telegram, confirmed from WeChat.
    tg.answer_to(tg.press(group, VOLUNTEER, claimed.message_id, claimed.data_for("完成")))
    tg.wait_for(
        lambda: next(
            (m for m in tg.sent(group) if m.message_id == tg_card.message_id and "已办好" in m.text), None
        ),
        what=f"the Telegram card #{n} to say 已办好",
    )
    wx_done = gw.wait_bot(grandma, f"确认 #{n}", wx_claimed.seq)  # WeChat can't edit: asked privately
    assert "李四" in wx_done.text and not gw.said_to(room, wx_claimed.seq)

    confirm_mark = gw.mark()
    gw.say(grandma, f"确认 #{n}", room)
    gw.wait_bot(room, f"🎉 #{n}", confirm_mark)
    confirmed = tg.wait_for(
        lambda: next(
            (m for m in tg.sent(group) if m.message_id == tg_card.message_id and "已完成" in m.text), None
        ),
        what=f"the Telegram card #{n} to say 已完成",
    )
    assert confirmed.labels == []
    assert len([m for m in tg.sent(group) if is_card(m)]) == 1  # one Telegram card, edited in place
    tg.wait_message(VOLUNTEER, "爱心存折", after=since)
