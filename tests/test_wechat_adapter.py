"""WeChat adapter: recorded puppet-service payloads in, Incoming out; Reply in, WeChat text out."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.platforms.base import PlatformError, Unreachable
from bot.platforms.wechat import (
    Member,
    MessageFacts,
    QuoteIndex,
    WechatConfig,
    WechatPlatform,
    WxType,
    parse_quote,
    render_text,
    strip_mentions,
    translate_join,
    translate_leave,
    translate_message,
    translate_topic,
    wechat_config,
)
from storage.models import Button, ChatRef, Incoming, Reply

# Importing wechaty_puppet creates ./.wechaty; keep that out of the repository.
with contextlib.chdir(tempfile.mkdtemp(prefix="linli-wechaty-")):
    from bot.platforms.wechat import _install_wechaty_shims

    _install_wechaty_shims()
    from grpclib.const import Status
    from grpclib.exceptions import GRPCError, StreamTerminatedError
    from wechaty_puppet import ContactPayload, MessagePayload, RoomMemberPayload, RoomPayload
    from wechaty_puppet.schemas.event import (
        EventLoginPayload,
        EventMessagePayload,
        EventRoomJoinPayload,
        EventRoomTopicPayload,
    )

BOT = "linli_bot"
ROOM = "b3@chatroom"
NAMES = ["Linli"]
CARD = "🙋 #1 买菜购物\n3号楼502王奶奶想请人明天上午帮忙买点菜\n回复「我来 #1」接单\n（回复：取消 #1）"

# Payloads as python-wechaty's PuppetService.message_payload() returned them from the test gateway
# (wechaty-puppet-service 1.19.9 over wechaty-puppet-mock); types are already in python-wechaty numbering.
RECORDED: dict[str, dict[str, Any]] = {
    "room_text_mention": {
        "id": "cmwx6vcjw000ur07dbpe041mf",
        "text": "@Linli\u2005帮帮忙",
        "timestamp": 1795675568973,
        "type": 6,
        "from_id": "wxid_wang",
        "room_id": ROOM,
        "mention_ids": [BOT],
    },
    "room_quote": {
        "id": "cmwx6vcjy000vr07d3b8l4q38",
        "text": f"「Linli：{CARD}」\n- - - - - - - - - - - - - - -\n我来",
        "timestamp": 1795675568974,
        "type": 6,
        "from_id": "wxid_vol",
        "room_id": ROOM,
    },
    "room_image": {
        "id": "cmwx6vcjz000wr07dai0a7eg6",
        "timestamp": 1795675568975,
        "type": 5,
        "from_id": "wxid_wang",
        "room_id": ROOM,
    },
    "room_voice": {
        "id": "raw_9d1c0b7e",
        "timestamp": 1795675568976,
        "type": 2,
        "from_id": "wxid_wang",
        "room_id": ROOM,
    },
    "room_system": {
        "id": "raw_0c55e1aa",
        "text": "“王奶奶”邀请“小李”加入了群聊",
        "timestamp": 1795675568976,
        "type": 0,
        "from_id": "wxid_wang",
        "room_id": ROOM,
    },
    "private_text": {
        "id": "cmwx6vck1000yr07dcfq6euju",
        "text": "我明天下午有空",
        "timestamp": 1795675568977,
        "type": 6,
        "from_id": "wxid_wang",
        "to_id": BOT,
    },
    "room_recall": {
        "id": "recall_39597c4b07fa",
        "text": "cmwx6ur8l000pr07dd5e50h32",
        "timestamp": 1795675568978,
        "type": 13,
        "from_id": "wxid_wang",
        "room_id": ROOM,
    },
    "bot_own": {
        "id": "cmwx6vck9000zr07d0000aaaa",
        "text": "好的,本群已绑定到 3号楼。",
        "timestamp": 1795675568979,
        "type": 6,
        "from_id": BOT,
        "room_id": ROOM,
    },
}
CONTACTS = {"wxid_wang": "王奶奶", "wxid_vol": "小李", "wxid_staff": "张书记", BOT: "Linli"}
ALIASES = {("b3@chatroom", "wxid_wang"): "502王奶奶"}


def facts(name: str, **changes: Any) -> MessageFacts:
    """MessageFacts for a recorded payload, with the names the puppet would report."""
    payload = {**RECORDED[name], **changes}
    room_id = payload.get("room_id", "")
    talker = payload["from_id"]
    return MessageFacts(
        message_id=payload["id"],
        type=payload["type"],
        text=payload.get("text", ""),
        talker_id=talker,
        talker_name=ALIASES.get((room_id, talker)) or CONTACTS.get(talker, ""),
        room_id=room_id,
        room_topic="3号楼互助群" if room_id else None,
        timestamp=payload["timestamp"],
        mentions_self=BOT in payload.get("mention_ids", []),
        from_self=talker == BOT,
    )


# -- config ----------------------------------------------------------------------------------------


def test_config_accepts_endpoint_and_token() -> None:
    config = wechat_config({"endpoint": " 127.0.0.1:8788 ", "token": "insecure_linli"})
    assert config == WechatConfig(endpoint="127.0.0.1:8788", token="insecure_linli", name="Linli")
    assert (
        wechat_config({"endpoint": "gw.example.org:443", "token": "t", "name": "邻里小助手"}).name
        == "邻里小助手"
    )


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ({"token": "t"}, "wechat.endpoint"),
        ({"endpoint": "http://127.0.0.1:8788", "token": "t"}, "wechat.endpoint"),
        ({"endpoint": "127.0.0.1", "token": "t"}, "wechat.endpoint"),
        ({"endpoint": "127.0.0.1:70000", "token": "t"}, "wechat.endpoint"),
        ({"endpoint": "127.0.0.1:8788"}, "wechat.token"),
        ({"endpoint": "127.0.0.1:8788", "token": "  "}, "wechat.token"),
        ({"endpoint": "127.0.0.1:8788", "token": 12}, "wechat.token"),
        ({"endpoint": "127.0.0.1:8788", "token": "t", "name": ""}, "wechat.name"),
        ({"endpoint": "127.0.0.1:8788", "token": "t", "tokn": "x"}, "wechat.tokn"),
    ],
)
def test_config_names_the_bad_key(section: dict[str, object], key: str) -> None:
    with pytest.raises(ValueError, match=rf"^{key}: "):
        wechat_config(section)


# -- quotes and mentions ----------------------------------------------------------------------------


def test_parse_quote_padlocal_format() -> None:
    quote = parse_quote(RECORDED["room_quote"]["text"])
    assert quote is not None
    assert (quote.name, quote.quoted, quote.text) == ("Linli", CARD, "我来")


@pytest.mark.parametrize(
    ("text", "name", "quoted", "new"),
    [
        ("「张三: 原文」\n- - - - - - - - - - - - - - -\n我来", "张三", "原文", "我来"),
        ("「张三：原文」\r\n- - - - - - - - - - - - - - -\r\n我来 #3", "张三", "原文", "我来 #3"),
        ("「张三：第一行\n第二行」\n------\n好的", "张三", "第一行\n第二行", "好的"),
        (
            "「Linli：回复「我来 #2」接单」\n- - - - - - - - - - - - - - -\n@Linli\u2005我来",
            "Linli",
            "回复「我来 #2」接单",
            "@Linli\u2005我来",
        ),
    ],
)
def test_parse_quote_variants(text: str, name: str, quoted: str, new: str) -> None:
    quote = parse_quote(text)
    assert quote is not None
    assert (quote.name, quote.quoted, quote.text) == (name, quoted, new)


@pytest.mark.parametrize("text", ["我来", "「重要」通知：明天停水", "「张三：原文」我来", ""])
def test_parse_quote_leaves_plain_text_alone(text: str) -> None:
    assert parse_quote(text) is None


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("@Linli\u2005我来", "我来"),
        ("@Linli 我来 #3", "我来 #3"),
        ("我来 @Linli", "我来"),
        ("@Linli", ""),
        ("@Linlixx 你好", "@Linlixx 你好"),
        ("mail@Linli 你好", "mail@Linli 你好"),
        ("@张三\u2005@Linli\u2005一起去", "@张三 一起去"),
    ],
)
def test_strip_mentions(text: str, stripped: str) -> None:
    assert strip_mentions(text, NAMES) == stripped


# -- messages ---------------------------------------------------------------------------------------


def test_room_text_with_mention() -> None:
    incoming = translate_message(facts("room_text_mention"), NAMES, QuoteIndex())
    assert incoming == Incoming(
        platform="wechat",
        chat=ChatRef("wechat", ROOM, False),
        sender_id="wxid_wang",
        sender_name="502王奶奶",
        text="帮帮忙",
        message_id="cmwx6vcjw000ur07dbpe041mf",
        at=datetime.fromtimestamp(1795675568.973, UTC),
        chat_title="3号楼互助群",
        mentions_bot=True,
        kind="text",
    )


def test_mention_by_name_without_mention_list() -> None:
    incoming = translate_message(facts("room_text_mention", mention_ids=[]), NAMES, QuoteIndex())
    assert incoming is not None and incoming.mentions_bot and incoming.text == "帮帮忙"


def test_private_text() -> None:
    incoming = translate_message(facts("private_text"), NAMES, QuoteIndex())
    assert incoming is not None
    assert incoming.chat == ChatRef("wechat", "wxid_wang", True)
    assert (incoming.sender_name, incoming.text, incoming.chat_title, incoming.kind) == (
        "王奶奶",
        "我明天下午有空",
        None,
        "text",
    )


def test_quote_of_a_remembered_bot_message_points_at_it() -> None:
    quotes = QuoteIndex()
    quotes.remember(ROOM, CARD, "wx-card-1")
    incoming = translate_message(facts("room_quote"), NAMES, quotes)
    assert incoming is not None
    assert (incoming.text, incoming.reply_to) == ("我来", "wx-card-1")


def test_quote_of_an_unknown_message_carries_the_quoted_text() -> None:
    incoming = translate_message(facts("room_quote"), NAMES, QuoteIndex())
    assert incoming is not None
    assert incoming.text == "我来"
    assert incoming.reply_to == f"quote:{CARD}"


def test_quote_in_another_room_does_not_match() -> None:
    quotes = QuoteIndex()
    quotes.remember("other@chatroom", CARD, "wx-card-elsewhere")
    incoming = translate_message(facts("room_quote"), NAMES, quotes)
    assert incoming is not None and incoming.reply_to == f"quote:{CARD}"


@pytest.mark.parametrize(
    ("name", "kind", "text"),
    [
        ("room_image", "image", ""),
        ("room_voice", "voice", ""),
        ("room_recall", "recall", "cmwx6ur8l000pr07dd5e50h32"),
    ],
)
def test_media_and_recalls(name: str, kind: str, text: str) -> None:
    incoming = translate_message(facts(name), NAMES, QuoteIndex())
    assert incoming is not None
    assert (incoming.kind, incoming.text, incoming.chat.chat_id) == (kind, text, ROOM)


@pytest.mark.parametrize(
    "wx_type", [WxType.VIDEO, WxType.EMOTICON, WxType.ATTACHMENT, WxType.LOCATION, WxType.URL]
)
def test_other_content_is_kind_other_without_text(wx_type: WxType) -> None:
    incoming = translate_message(facts("room_image", type=int(wx_type), text="<xml/>"), NAMES, QuoteIndex())
    assert incoming is not None and (incoming.kind, incoming.text) == ("other", "")


@pytest.mark.parametrize(
    "changes",
    [
        {},  # the bot's own message
        {"from_id": "weixin"},
        {"from_id": ""},
        {"from_id": ROOM},
    ],
)
def test_own_and_system_messages_are_ignored(changes: dict[str, Any]) -> None:
    assert translate_message(facts("bot_own", **changes), NAMES, QuoteIndex()) is None


def test_system_notices_are_ignored() -> None:
    assert translate_message(facts("room_system"), NAMES, QuoteIndex()) is None


@pytest.mark.parametrize(
    ("timestamp", "expected"), [(1795675568, 1795675568.0), (1795675568973, 1795675568.973)]
)
def test_seconds_and_milliseconds(timestamp: int, expected: float) -> None:
    incoming = translate_message(facts("private_text", timestamp=timestamp), NAMES, QuoteIndex())
    assert incoming is not None and incoming.at == datetime.fromtimestamp(expected, UTC)


def test_quote_index_matches_normalized_and_cut_quotes() -> None:
    quotes = QuoteIndex(per_chat=3)
    quotes.remember(ROOM, "🙋 #1 买菜\n回复「我来 #1」接单", "m1")
    quotes.remember(ROOM, "🙋 #2 取快递\n回复「我来 #2」接单", "m2")
    assert quotes.find(ROOM, "🙋 #1 买菜  回复「我来 #1」接单") == "m1"
    assert quotes.find(ROOM, "🙋 #2 取快递\n回复「我来…") == "m2"
    assert quotes.find(ROOM, "别的话") is None
    for n in range(3):
        quotes.remember(ROOM, f"later {n}", f"x{n}")
    assert quotes.find(ROOM, "🙋 #1 买菜\n回复「我来 #1」接单") is None


# -- room events ----------------------------------------------------------------------------------


def test_bot_added_to_a_room_is_a_join_from_the_inviter() -> None:
    [event] = translate_join(
        ROOM, "3号楼互助群", [Member(BOT, "Linli")], Member("wxid_staff", "张书记"), BOT, 1795675568
    )
    assert (event.kind, event.sender_id, event.sender_name, event.mentions_bot) == (
        "join",
        "wxid_staff",
        "张书记",
        True,
    )
    assert event.chat == ChatRef("wechat", ROOM, False) and event.chat_title == "3号楼互助群"


def test_people_joining_give_one_join_each() -> None:
    events = translate_join(
        ROOM,
        "3号楼互助群",
        [Member("wxid_a", "甲"), Member("wxid_b", "乙")],
        Member("wxid_staff", "张书记"),
        BOT,
        1,
    )
    assert [(e.kind, e.sender_id, e.mentions_bot) for e in events] == [
        ("join", "wxid_a", False),
        ("join", "wxid_b", False),
    ]
    assert len({e.message_id for e in events}) == 2


def test_leave_and_topic() -> None:
    [left] = translate_leave(ROOM, "3号楼互助群", [Member("wxid_a", "甲")], BOT, 5)
    assert (left.kind, left.sender_id, left.text, left.mentions_bot) == ("leave", "wxid_a", "", False)
    [kicked] = translate_leave(ROOM, None, [Member(BOT, "Linli")], BOT, 6)
    assert kicked.mentions_bot
    topic = translate_topic(ROOM, "3号楼新群", Member("wxid_staff", "张书记"), 7)
    assert (topic.kind, topic.text, topic.chat_title, topic.sender_id) == (
        "topic",
        "3号楼新群",
        "3号楼新群",
        "wxid_staff",
    )


# -- replies ----------------------------------------------------------------------------------------


def test_buttons_become_a_hint_line() -> None:
    reply = Reply(
        chat=ChatRef("wechat", ROOM),
        text="🙋 #12 买菜",
        buttons=(Button("我来", "claim:12"), Button("取消", "cancel:12")),
    )
    assert render_text(reply) == "🙋 #12 买菜\n（回复：我来 #12 / 取消 #12）"


def test_hint_skips_forms_the_text_already_shows() -> None:
    reply = Reply(
        chat=ChatRef("wechat", ROOM),
        text="🙋 #1 买菜\n回复「我来 #1」接单",
        buttons=(Button("我来", "claim:1"), Button("取消 #1", "cancel:1")),
    )
    assert render_text(reply) == "🙋 #1 买菜\n回复「我来 #1」接单\n（回复：取消 #1）"
    only = Reply(
        chat=ChatRef("wechat", ROOM), text="回复「我来 #1」接单", buttons=(Button("我来", "claim:1"),)
    )
    assert render_text(only) == "回复「我来 #1」接单"
    assert render_text(Reply(chat=ChatRef("wechat", ROOM), text="好的")) == "好的"


# -- the platform over a stub puppet (python-wechaty's PuppetService API) ---------------------------------


class StubPuppet:
    """Answers like PuppetService does, from the recorded payloads; records what was sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail_with: BaseException | None = None
        self.send_ids: list[str | None] = []
        self.topic = "3号楼互助群"
        self.channel = None

    async def message_payload(self, message_id: str) -> Any:
        for payload in RECORDED.values():
            if payload["id"] == message_id:
                return MessagePayload(**payload)
        raise GRPCError(Status.UNKNOWN, f"no payload found for id {message_id}")

    async def contact_payload(self, contact_id: str) -> Any:
        return ContactPayload(id=contact_id, name=CONTACTS.get(contact_id, ""))

    async def room_payload(self, room_id: str) -> Any:
        return RoomPayload(id=room_id, topic=self.topic, member_ids=[BOT, *CONTACTS])

    async def room_member_payload(self, room_id: str, contact_id: str) -> Any:
        return RoomMemberPayload(
            id=contact_id,
            name=CONTACTS.get(contact_id, ""),
            room_alias=ALIASES.get((room_id, contact_id), ""),
        )

    async def message_send_text(self, conversation_id: str, message: str) -> str | None:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append((conversation_id, message))
        return self.send_ids.pop(0) if self.send_ids else None


@pytest.fixture
async def platform() -> Any:
    """A WechatPlatform 'connected' to a stub puppet, collecting what it dispatches."""
    wechat = WechatPlatform(WechatConfig(endpoint="127.0.0.1:1", token="insecure_test"))
    puppet = StubPuppet()
    wechat._puppet = puppet
    received: list[Incoming] = []

    async def dispatch(incoming: Incoming) -> str | None:
        received.append(incoming)
        return None

    wechat._dispatch = dispatch
    await wechat._handle_event("login", EventLoginPayload(contact_id=BOT))
    wechat.received = received  # type: ignore[attr-defined]
    wechat.stub = puppet  # type: ignore[attr-defined]
    return wechat


async def settle(wechat: WechatPlatform) -> None:
    """Waits for every queued dispatch."""
    while wechat._lanes:
        await asyncio.wait(list(wechat._lanes.values()))


async def test_message_events_become_incoming_once(platform: Any) -> None:
    event = EventMessagePayload(message_id=RECORDED["room_text_mention"]["id"])
    await platform._handle_event("message", event)
    await platform._handle_event("message", event)  # puppets sometimes deliver twice
    await platform._handle_event("message", EventMessagePayload(message_id=RECORDED["bot_own"]["id"]))
    await settle(platform)
    assert [(i.sender_name, i.text, i.mentions_bot, i.chat_title) for i in platform.received] == [
        ("502王奶奶", "帮帮忙", True, "3号楼互助群")
    ]


async def test_sent_cards_are_found_again_when_quoted(platform: Any) -> None:
    platform.stub.send_ids = ["puppet-msg-7"]
    reply = Reply(chat=ChatRef("wechat", ROOM), text=CARD, card_of=1)
    assert await platform.send(reply, "outbox-1") == "puppet-msg-7"
    await platform._handle_event("message", EventMessagePayload(message_id=RECORDED["room_quote"]["id"]))
    await settle(platform)
    [claim] = platform.received
    assert (claim.text, claim.reply_to, claim.sender_name) == ("我来", "puppet-msg-7", "小李")


async def test_quotes_of_other_bot_messages_carry_their_text(platform: Any) -> None:
    platform.stub.send_ids = ["puppet-msg-8"]
    await platform.send(Reply(chat=ChatRef("wechat", ROOM), text=CARD), "outbox-5")  # not a card
    await platform._handle_event("message", EventMessagePayload(message_id=RECORDED["room_quote"]["id"]))
    await settle(platform)
    [claim] = platform.received
    assert claim.reply_to == f"quote:{CARD}"


async def test_send_without_a_puppet_id_makes_one_and_is_idempotent(platform: Any) -> None:
    reply = Reply(chat=ChatRef("wechat", "wxid_wang", True), text="谢谢你接下 #1!")
    first = await platform.send(reply, "outbox-2")
    assert first is not None and first.startswith("wx-")
    assert await platform.send(reply, "outbox-2") == first
    assert platform.stub.sent == [("wxid_wang", "谢谢你接下 #1!")]


async def test_send_while_disconnected_is_retryable(platform: Any) -> None:
    platform._online.clear()
    with pytest.raises(PlatformError) as error:
        await platform.send(Reply(chat=ChatRef("wechat", ROOM), text="hi"), "outbox-3")
    assert not isinstance(error.value, Unreachable)
    assert error.value.retry_after is not None and 1.0 <= error.value.retry_after <= 30.0
    assert platform.stub.sent == []


@pytest.mark.parametrize(
    ("failure", "unreachable"),
    [
        (GRPCError(Status.UNAVAILABLE, "connection refused"), False),
        (GRPCError(Status.UNKNOWN, "not logged in"), False),
        (StreamTerminatedError("Connection lost"), False),
        (GRPCError(Status.UNKNOWN, "MockRoom.load(): gone@chatroom not exist."), True),
        (GRPCError(Status.NOT_FOUND, "no such room"), True),
    ],
)
async def test_send_failures_are_classified(platform: Any, failure: BaseException, unreachable: bool) -> None:
    platform.stub.fail_with = failure
    with pytest.raises(PlatformError) as error:
        await platform.send(Reply(chat=ChatRef("wechat", ROOM), text="hi"), "outbox-4")
    assert isinstance(error.value, Unreachable) is unreachable


async def test_topic_change_refreshes_the_chat_title(platform: Any) -> None:
    await platform._handle_event("message", EventMessagePayload(message_id=RECORDED["room_image"]["id"]))
    platform.stub.topic = "3号楼新群"
    await platform._handle_event(
        "room-topic",
        EventRoomTopicPayload(
            changer_id="wxid_staff", new_topic="3号楼新群", old_topic="3号楼互助群", room_id=ROOM, timestamp=9
        ),
    )
    await platform._handle_event("message", EventMessagePayload(message_id=RECORDED["room_voice"]["id"]))
    await settle(platform)
    assert [(i.kind, i.chat_title) for i in platform.received] == [
        ("image", "3号楼互助群"),
        ("topic", "3号楼新群"),
        ("voice", "3号楼新群"),
    ]


async def test_room_join_of_the_bot(platform: Any) -> None:
    payload = EventRoomJoinPayload(
        invited_ids=[BOT], inviter_id="wxid_staff", room_id=ROOM, timestamp=1795675568
    )
    await platform._handle_event("room-join", payload)
    await settle(platform)
    [joined] = platform.received
    assert (joined.kind, joined.sender_name, joined.mentions_bot) == ("join", "张书记", True)


async def test_one_chat_is_dispatched_in_order(platform: Any) -> None:
    order: list[str] = []
    gate = asyncio.Event()

    async def slow_dispatch(incoming: Incoming) -> str | None:
        if incoming.kind == "image":
            await gate.wait()
        order.append(incoming.kind)
        return None

    platform._dispatch = slow_dispatch
    for name in ("room_image", "room_voice", "private_text"):
        await platform._handle_event("message", EventMessagePayload(message_id=RECORDED[name]["id"]))
    await asyncio.sleep(0.01)
    assert order == ["text"]  # the private chat does not wait for the room
    gate.set()
    await settle(platform)
    assert order == ["text", "image", "voice"]


# -- the python-wechaty shims -----------------------------------------------------------------------


async def test_puppet_error_events_do_not_end_the_event_stream() -> None:
    from wechaty_grpc.wechaty.puppet import EventResponse, EventType
    from wechaty_puppet import PuppetOptions
    from wechaty_puppet_service import PuppetService

    class Stub:
        async def event(self) -> Any:
            yield EventResponse(type=EventType.EVENT_TYPE_ERROR, payload='{"gerror": "boom"}')
            yield EventResponse(type=EventType.EVENT_TYPE_MESSAGE, payload='{"messageId": "m1"}')

    service = PuppetService(PuppetOptions(end_point="127.0.0.1:1", token="insecure_test"))
    service._puppet_stub = Stub()
    seen: list[tuple[str, str]] = []
    service.on("error", lambda payload: seen.append(("error", payload.data)))
    service.on("message", lambda payload: seen.append(("message", payload.message_id)))
    await service._listen_for_event()
    assert seen == [("error", "boom"), ("message", "m1")]


def test_wechaty_imports_on_this_python() -> None:
    with contextlib.chdir(tempfile.mkdtemp(prefix="linli-wechaty-")):
        import wechaty

    assert wechaty.WechatyOptions().puppet_options is not None
