"""Trust, black-box against the local Telegram peer: identity by account, nothing private in groups."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.telegram_peer import Group, LinliProcess, TelegramPeer, User, write_config

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore:.*retry_after.*")]

WANG = User(1101, "王主任")  # configured from the start
IMPOSTOR = User(4001, "李主任")  # a resident who took the name of a staff member
REAL = User(1102, "李主任")  # the real 李主任, configured later
ZHAO = User(4002, "赵姐")
LI = User(4003, "李四")
SECRETS = ("1201", "糖尿病", "腿脚", "13912345678", "139****5678", "5678", "二甲双胍", "高血压")


def booted(peer: TelegramPeer, user: User) -> None:
    since = peer.say(user, user, "/start")
    peer.wait_message(user, lambda m: True, timeout=30, after=since)


def group_texts(peer: TelegramPeer, group: Group) -> list[str]:
    return [text for m in peer.sent(group) for text in m.history]


def test_an_impostor_with_a_staff_name_gets_no_alert_and_no_staff_command(
    telegram_peer: TelegramPeer, linli_factory: Callable[..., LinliProcess], tmp_path: Path
) -> None:
    group = Group.fresh("3号楼互助群")
    write_config(tmp_path, telegram_peer.base_url, {"王主任": WANG.id})
    first = linli_factory({}, directory=tmp_path)
    booted(telegram_peer, WANG)
    telegram_peer.say(group, IMPOSTOR, "大家好")
    booted(telegram_peer, IMPOSTOR)
    first.stop()
    write_config(tmp_path, telegram_peer.base_url, {"王主任": WANG.id, "李主任": REAL.id})
    linli_factory({}, directory=tmp_path)  # restarted with the real 李主任 configured
    booted(telegram_peer, REAL)
    bound = telegram_peer.say(group, WANG, "/bind 3号楼")
    telegram_peer.wait_message(group, lambda m: m.reply_to == bound)
    since = telegram_peer.say(group, ZHAO, "救命!3号楼502有人摔倒了起不来")
    telegram_peer.wait_message(REAL, "🚨", after=since)
    refused = telegram_peer.say(IMPOSTOR, IMPOSTOR, "/elders")
    answer = telegram_peer.wait_message(IMPOSTOR, lambda m: m.message_id > refused)
    assert "只有社区工作人员" in answer.text
    asked = telegram_peer.say(group, IMPOSTOR, "/bind 5号楼")
    told = telegram_peer.wait_message(group, lambda m: m.reply_to == asked)
    assert "只有社区工作人员" in told.text
    time.sleep(0.3)
    assert not [m for m in telegram_peer.sent(IMPOSTOR) if "🚨" in m.text]


def test_private_and_group_requests_leave_no_details_in_any_group(
    telegram_peer: TelegramPeer, linli_factory: Callable[..., LinliProcess]
) -> None:
    linli_factory({"王主任": WANG.id})
    group = Group.fresh("3号楼互助群")
    booted(telegram_peer, WANG)
    booted(telegram_peer, LI)
    bound = telegram_peer.say(group, WANG, "/bind 3号楼")
    telegram_peer.wait_message(group, lambda m: m.reply_to == bound)
    since = telegram_peer.say(ZHAO, ZHAO, "我住3号楼1201,我有糖尿病腿脚不便,谁能明天帮我取药?电话13912345678")
    told = telegram_peer.wait_message(ZHAO, "#1", after=since)
    assert "门牌" in told.text
    card = telegram_peer.wait_message(group, lambda m: m.text.startswith("🙋") and "#1 " in m.text)
    telegram_peer.say(group, WANG, "3号楼1201王奶奶有高血压,明天上午谁能帮忙取药 二甲双胍")
    telegram_peer.wait_message(group, lambda m: m.text.startswith("🙋") and "#2 " in m.text)
    telegram_peer.press(group, LI, card.message_id, card.data_for("我来"))
    details = telegram_peer.wait_message(LI, "谢谢你接下 #1")
    assert "1201" in details.text and "13912345678" in details.text
    telegram_peer.wait_message(group, lambda m: "已接单" in m.text)
    leaked = [text for text in group_texts(telegram_peer, group) if any(s in text for s in SECRETS)]
    assert leaked == []
