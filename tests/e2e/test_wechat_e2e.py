"""The real `linli run` against a local WeChat: a wechaty puppet service over a mock puppet.

Every assertion reads what the bot actually said, as the gateway recorded it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import pytest

from tests.e2e.wechat_peer import BotMessage, LinliBot, Person, Room, WechatGateway

pytestmark = pytest.mark.e2e

NEED = "3号楼502王奶奶想请人明天上午帮忙买点菜"


def task_id(card: BotMessage) -> int:
    """The #N a card is about."""
    match = re.search(r"#(\d+)", card.text)
    assert match, f"no task number in {card.text!r}"
    return int(match.group(1))


def test_need_claim_done_confirm_with_binding_by_staff(
    wechat_gateway: WechatGateway, wechat_linli: Callable[..., LinliBot]
) -> None:
    gw = wechat_gateway
    staff, grandma, volunteer = gw.person("张书记"), gw.person("王奶奶"), gw.person("小李")
    room = gw.room("3号楼互助群", [staff, grandma, volunteer], aliases={grandma: "502王奶奶"})
    wechat_linli({"张书记": staff})

    since = gw.mark()
    gw.say(staff, "绑定 3号楼", room)
    gw.wait_bot(room, "本群已绑定到 3号楼", since)

    gw.send_media(grandma, "image", room)
    gw.send_media(grandma, "voice", room)
    gw.say(grandma, "好的", room)
    gw.say(grandma, NEED, room)
    card = gw.wait_bot(room, "回复「我来 #", since)
    n = task_id(card)
    assert "买菜" in card.text and "3号楼" in card.text
    said = [m.text for m in gw.said_to(room, since)]
    assert said == ["好的,本群已绑定到 3号楼。", card.text], "images, voice and 好的 must stay unanswered"

    gw.say(volunteer, f"我来 #{n}", room)
    claimed = gw.wait_bot(room, f"#{n}", card.seq)
    assert "小李" in claimed.text and "已接单" in claimed.text
    details = gw.wait_bot(volunteer, f"谢谢你接下 #{n}", since)
    assert "王奶奶" in details.text and "502" in details.text

    mark = gw.mark()
    gw.say(volunteer, f"完成 #{n}", room)
    gw.wait_bot(grandma, f"确认 #{n}", mark)  # WeChat can't edit the card: the requester is asked privately
    assert not gw.said_to(room, mark)

    mark = gw.mark()
    gw.say(grandma, f"确认 #{n}", room)
    gw.wait_bot(room, f"🎉 #{n}", mark)
    gw.wait_bot(volunteer, f"确认了 #{n}", mark)


def test_claim_and_finish_by_quoting_cards_even_after_a_bot_restart(
    wechat_gateway: WechatGateway, wechat_linli: Callable[..., LinliBot]
) -> None:
    gw = wechat_gateway
    staff, grandma, volunteer = gw.person("张书记"), gw.person("王奶奶"), gw.person("小周")
    room = gw.room("5号楼邻里群", [staff, grandma, volunteer])
    bot = wechat_linli({"张书记": staff}, {room: "5号楼"})

    since = gw.mark()
    gw.say(grandma, "5号楼301想请人帮忙取个快递", room)
    card = gw.wait_bot(room, "回复「我来 #", since)
    n = task_id(card)

    gw.say(volunteer, "我来", room, quote=card)
    claimed = gw.wait_bot(room, "已接单", card.seq)
    assert f"#{n}" in claimed.text and "小周" in claimed.text

    # A restarted bot has forgotten which message ids its texts had: the quote still carries "#N".
    bot.stop()
    wechat_linli({"张书记": staff}, {room: "5号楼"})
    mark = gw.mark()
    gw.say(volunteer, "完成", room, quote=claimed, mention=True)

    # The requester answers the bot's private nudge by quoting it (the group is not told twice).
    nudge = gw.wait_bot(grandma, f"确认 #{n}", mark)
    assert "小周" in nudge.text
    gw.say(grandma, "确认", quote=nudge)
    gw.wait_bot(room, f"🎉 #{n}", nudge.seq)


def test_two_volunteers_race_and_exactly_one_wins(
    wechat_gateway: WechatGateway, wechat_linli: Callable[..., LinliBot]
) -> None:
    gw = wechat_gateway
    staff, grandma = gw.person("张书记"), gw.person("王奶奶")
    first, second = gw.person("小陈"), gw.person("小吴")
    east = gw.room("7号楼东单元", [staff, grandma, first])
    west = gw.room("7号楼西单元", [staff, second])
    wechat_linli({"张书记": staff}, {east: "7号楼", west: "7号楼"})

    since = gw.mark()
    gw.say(grandma, "7号楼602想请人帮忙把米扛上楼", east)
    card = gw.wait_bot(east, "回复「我来 #", since)
    n = task_id(card)
    gw.wait_bot(west, f"回复「我来 #{n}", since)

    go = threading.Barrier(2)

    def claim(person: Person, room: Room) -> None:
        go.wait()
        gw.say(person, f"我来 #{n}", room)

    threads = [threading.Thread(target=claim, args=pair) for pair in ((first, east), (second, west))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    gw.wait_bot(east, "已接单", card.seq)
    gw.wait_bot(west, "已接单", card.seq)
    gw.wait_for(
        lambda: any("已由" in m.text and "接下了" in m.text for m in gw.sent(card.seq)),
        what="the volunteer who lost to be told",
    )
    winners = [p for p in (first, second) if any(f"谢谢你接下 #{n}" in m.text for m in gw.said_to(p, since))]
    assert len(winners) == 1, [m.text for m in gw.sent(since)]
    claimed = [m.text for m in gw.sent(card.seq) if "已接单" in m.text]
    assert claimed and all(winners[0].name in text for text in claimed), claimed


def test_emergency_alerts_staff_privately_and_tells_the_room_to_call_120(
    wechat_gateway: WechatGateway, wechat_linli: Callable[..., LinliBot]
) -> None:
    gw = wechat_gateway
    staff, neighbour = gw.person("张书记"), gw.person("刘阿姨")
    room = gw.room("2号楼互助群", [staff, neighbour])
    wechat_linli({"张书记": staff}, {room: "2号楼"})

    since = gw.mark()
    gw.say(neighbour, "快来人!2号楼401的赵爷爷摔倒了起不来", room)
    warning = gw.wait_bot(room, "120", since)
    assert "紧急" in warning.text
    alert = gw.wait_bot(staff, "紧急", since)
    assert "摔倒" in alert.text and "赵爷爷" in alert.text


def test_two_rooms_of_one_building_share_one_queue(
    wechat_gateway: WechatGateway, wechat_linli: Callable[..., LinliBot]
) -> None:
    gw = wechat_gateway
    staff, grandpa, volunteer = gw.person("张书记"), gw.person("孙爷爷"), gw.person("小马")
    north = gw.room("9号楼1单元", [staff, grandpa])
    south = gw.room("9号楼2单元", [staff, volunteer])
    wechat_linli({"张书记": staff})

    since = gw.mark()
    gw.say(staff, "绑定 9号楼", north)
    gw.say(staff, "绑定 9号楼", south)
    gw.wait_bot(north, "已绑定到 9号楼", since)
    gw.wait_bot(south, "已绑定到 9号楼", since)

    mark = gw.mark()
    gw.say(grandpa, "9号楼101想请人明天下午陪我去医院复查", north)
    card = gw.wait_bot(north, "回复「我来 #", mark)
    n = task_id(card)
    copy = gw.wait_bot(south, f"回复「我来 #{n}", mark)

    gw.say(volunteer, "我来", south, quote=copy)
    gw.wait_bot(south, f"#{n}", copy.seq)
    gw.wait_bot(north, "小马 已接单", card.seq)
    gw.wait_bot(volunteer, f"谢谢你接下 #{n}", mark)


def test_gateway_restart_mid_flow_loses_nothing(
    wechat_gateway: WechatGateway, wechat_linli: Callable[..., LinliBot]
) -> None:
    gw = wechat_gateway
    staff, grandma, volunteer = gw.person("张书记"), gw.person("钱奶奶"), gw.person("小郑")
    room = gw.room("4号楼互助群", [staff, grandma, volunteer])
    wechat_linli({"张书记": staff}, {room: "4号楼"})

    since = gw.mark()
    gw.say(grandma, "4号楼202想请人明天上午帮忙修一下水龙头", room)
    card = gw.wait_bot(room, "回复「我来 #", since)
    n = task_id(card)

    # The gateway dies as the bot answers the claim: nothing of that answer reached WeChat yet.
    gw.crash_on_next_send()
    gw.say(volunteer, f"我来 #{n}", room)
    assert gw.wait_crashed() == 75
    assert gw.sent_on_disk(card.seq) == []
    gw.restart()

    claimed = gw.wait_bot(room, "已接单", card.seq, timeout=30)
    gw.wait_bot(volunteer, f"谢谢你接下 #{n}", since, timeout=30)

    # Still talking after the restart, and every message went out exactly once.
    gw.say(volunteer, f"完成 #{n}", room)
    gw.wait_bot(grandma, f"确认 #{n}", claimed.seq)
    texts = [m.text for m in gw.sent(since)]
    assert len(texts) == len(set(texts)), texts
