"""Translation tests for the Telegram adapter, fed from recorded Bot API update payloads."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import Bot, Chat, Message, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.platforms.base import PlatformError, Unreachable
from bot.platforms.telegram import (
    TelegramConfig,
    TelegramPlatform,
    platform_error,
    telegram_config,
    to_incoming,
)
from storage.models import Button, ChatRef, Incoming, Reply

BOT_ID = 123
BOT_NAME = "LinliTestBot"
GROUP_ID = -1001234567890
DATE = int(datetime(2026, 11, 25, tzinfo=UTC).timestamp())
WANG = {"id": 2001, "is_bot": False, "first_name": "秀英", "last_name": "王", "username": "wang502"}
LI = {"id": 2002, "is_bot": False, "first_name": "李四", "language_code": "zh-hans"}
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Linli 邻里", "username": BOT_NAME}
GROUP = {"id": GROUP_ID, "title": "3号楼互助群", "type": "supergroup"}
GROUP_REF = ChatRef("telegram", str(GROUP_ID), False)


@pytest.fixture(scope="module")
def bot() -> Bot:
    """An offline Bot: enough for de_json, never connected (one per module: building one costs 0.1 s)."""
    return Bot("123:ABC")


def translate(bot: Bot, payload: dict[str, Any]) -> Incoming | None:
    return to_incoming(Update.de_json(payload, bot), BOT_ID, BOT_NAME)


def message(text: str | None = "3号楼502王奶奶想请人明天上午帮忙买点菜", **fields: Any) -> dict[str, Any]:
    """A recorded group message update; ``fields`` replace or extend the message."""
    body: dict[str, Any] = {"message_id": 41, "from": WANG, "chat": GROUP, "date": DATE}
    if text is not None:
        body["text"] = text
    body.update(fields)
    return {"update_id": 900001, "message": body}


# -- messages --------------------------------------------------------------------------------


def test_group_text_becomes_incoming(bot: Bot) -> None:
    assert translate(bot, message()) == Incoming(
        platform="telegram",
        chat=GROUP_REF,
        sender_id="2001",
        sender_name="秀英 王",
        text="3号楼502王奶奶想请人明天上午帮忙买点菜",
        message_id="41",
        at=datetime(2026, 11, 25, tzinfo=UTC),
        reply_to=None,
        chat_title="3号楼互助群",
        mentions_bot=False,
        kind="text",
    )


def test_plain_group_chat_is_not_private(bot: Bot) -> None:
    incoming = translate(bot, message(chat={"id": -4012345, "title": "5号楼", "type": "group"}))
    assert incoming is not None
    assert incoming.chat == ChatRef("telegram", "-4012345", False)


def test_private_chat_is_named_by_the_user(bot: Bot) -> None:
    private = {"id": 2002, "type": "private", "first_name": "李四"}
    incoming = translate(bot, message("/start", **{"from": LI, "chat": private}))
    assert incoming is not None
    assert incoming.chat == ChatRef("telegram", "2002", True)
    assert incoming.chat_title is None
    assert incoming.sender_name == "李四"
    assert incoming.text == "/start"


def test_reply_carries_the_quoted_message_id(bot: Bot) -> None:
    card = {"message_id": 40, "from": BOT_USER, "chat": GROUP, "date": DATE, "text": "#1 买菜"}
    incoming = translate(bot, message("我来", **{"from": LI, "reply_to_message": card}))
    assert incoming is not None
    assert (incoming.text, incoming.reply_to, incoming.sender_id) == ("我来", "40", "2002")


def test_date_is_timezone_aware(bot: Bot) -> None:
    incoming = translate(bot, message())
    assert incoming is not None
    assert incoming.at.tzinfo is not None
    assert incoming.at.timestamp() == DATE


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        (
            "/need@LinliTestBot 帮忙买菜",
            [{"type": "bot_command", "offset": 0, "length": 18}],
            "/need 帮忙买菜",
        ),
        ("/bind@linlitestbot 3号楼", [{"type": "bot_command", "offset": 0, "length": 18}], "/bind 3号楼"),
        ("/start@LinliTestBot", [{"type": "bot_command", "offset": 0, "length": 19}], "/start"),
        ("/need@OtherBot 帮忙", [{"type": "bot_command", "offset": 0, "length": 14}], "/need@OtherBot 帮忙"),
        ("/need 帮忙 @LinliTestBot", [], "/need 帮忙 @LinliTestBot"),
        ("请问 /need@LinliTestBot 怎么用", [], "请问 /need@LinliTestBot 怎么用"),
    ],
)
def test_commands_addressed_to_this_bot_lose_the_address(
    bot: Bot, text: str, entities: list[dict[str, Any]], expected: str
) -> None:
    incoming = translate(bot, message(text, entities=entities))
    assert incoming is not None
    assert incoming.text == expected


@pytest.mark.parametrize(
    ("text", "entities", "mentioned"),
    [
        ("@LinliTestBot 3号楼谁能帮忙修水管", [{"type": "mention", "offset": 0, "length": 13}], True),
        ("谁能帮忙 @linlitestbot", [{"type": "mention", "offset": 5, "length": 13}], True),
        ("@wang502 明天我来", [{"type": "mention", "offset": 0, "length": 8}], False),
        ("Linli 帮忙", [{"type": "text_mention", "offset": 0, "length": 5, "user": BOT_USER}], True),
        ("李四 帮忙", [{"type": "text_mention", "offset": 0, "length": 2, "user": LI}], False),
        ("@LinliTestBot 没有实体也算", None, True),
        ("@LinliTestBotX 不是我", None, False),
        ("😀@LinliTestBot", [{"type": "mention", "offset": 2, "length": 13}], True),  # UTF-16 offsets
    ],
)
def test_mentions_of_the_bot(
    bot: Bot, text: str, entities: list[dict[str, Any]] | None, mentioned: bool
) -> None:
    payload = message(text) if entities is None else message(text, entities=entities)
    incoming = translate(bot, payload)
    assert incoming is not None
    assert incoming.mentions_bot is mentioned
    assert incoming.text == text  # mentions are never stripped


def test_forwarded_message_is_plain_text(bot: Bot) -> None:
    origin = {"type": "user", "sender_user": LI, "date": DATE - 3600}
    incoming = translate(bot, message("楼下有人需要轮椅", forward_origin=origin))
    assert incoming is not None
    assert (incoming.kind, incoming.text, incoming.sender_id) == ("text", "楼下有人需要轮椅", "2001")


# -- media -----------------------------------------------------------------------------------

PHOTO = [{"file_id": "AgAD1", "file_unique_id": "u1", "width": 90, "height": 90}]


@pytest.mark.parametrize(
    ("fields", "kind", "text"),
    [
        ({"photo": PHOTO, "caption": "楼道灯坏了,谁会修"}, "image", "楼道灯坏了,谁会修"),
        ({"photo": PHOTO}, "image", ""),
        (
            {
                "sticker": {
                    "file_id": "s",
                    "file_unique_id": "s1",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                    "type": "regular",
                }
            },
            "image",
            "",
        ),
        ({"voice": {"file_id": "v", "file_unique_id": "v1", "duration": 4}}, "voice", ""),
        ({"video_note": {"file_id": "n", "file_unique_id": "n1", "length": 240, "duration": 3}}, "voice", ""),
        ({"document": {"file_id": "d", "file_unique_id": "d1", "file_name": "名单.xlsx"}}, "other", ""),
        ({"location": {"latitude": 31.2, "longitude": 121.4}}, "other", ""),
        (
            {
                "video": {"file_id": "w", "file_unique_id": "w1", "width": 1, "height": 1, "duration": 1},
                "caption": "水管漏水了",
            },
            "other",
            "水管漏水了",
        ),
    ],
)
def test_media_kinds(bot: Bot, fields: dict[str, Any], kind: str, text: str) -> None:
    incoming = translate(bot, message(None, **fields))
    assert incoming is not None
    assert (incoming.kind, incoming.text) == (kind, text)


# -- service messages ----------------------------------------------------------------------


def test_bot_added_to_group_is_a_join(bot: Bot) -> None:
    incoming = translate(bot, message(None, new_chat_members=[BOT_USER]))
    assert incoming is not None
    assert (incoming.kind, incoming.text, incoming.sender_id) == ("join", "", "2001")
    assert incoming.chat == GROUP_REF


def test_group_created_with_the_bot_is_a_join(bot: Bot) -> None:
    incoming = translate(
        bot, message(None, group_chat_created=True, chat={"id": -555, "type": "group", "title": "新群"})
    )
    assert incoming is not None
    assert incoming.kind == "join"


def test_a_neighbour_joining_is_not_for_linli(bot: Bot) -> None:
    assert translate(bot, message(None, new_chat_members=[LI])) is None


def test_bot_removed_is_a_leave(bot: Bot) -> None:
    incoming = translate(bot, message(None, left_chat_member=BOT_USER))
    assert incoming is not None
    assert incoming.kind == "leave"


def test_a_neighbour_leaving_is_not_for_linli(bot: Bot) -> None:
    assert translate(bot, message(None, left_chat_member=LI)) is None


def test_new_title_is_a_topic(bot: Bot) -> None:
    incoming = translate(bot, message(None, new_chat_title="3号楼邻里守望群"))
    assert incoming is not None
    assert (incoming.kind, incoming.text, incoming.chat_title) == (
        "topic",
        "3号楼邻里守望群",
        "3号楼邻里守望群",
    )


def test_upgrade_to_supergroup_is_a_migrate(bot: Bot) -> None:
    old_group = {"id": -4012345, "type": "group", "title": "3号楼"}
    incoming = translate(bot, message(None, chat=old_group, migrate_to_chat_id=-1009876543210))
    assert incoming is not None
    assert incoming.kind == "migrate"
    assert incoming.text == "-1009876543210"
    assert incoming.chat == ChatRef("telegram", "-4012345", False)


@pytest.mark.parametrize(
    "fields",
    [
        {"migrate_from_chat_id": -4012345},
        {"pinned_message": {"message_id": 3, "chat": GROUP, "date": 0}},
        {"new_chat_photo": PHOTO},
        {"delete_chat_photo": True},
    ],
)
def test_other_service_messages_are_ignored(bot: Bot, fields: dict[str, Any]) -> None:
    assert translate(bot, message(None, **fields)) is None


# -- ignored updates -------------------------------------------------------------------------


def test_edited_message_is_ignored(bot: Bot) -> None:
    edited = message("改一下:后天上午", edit_date=DATE + 60)
    payload = {"update_id": 900002, "edited_message": edited["message"]}
    assert translate(bot, payload) is None


@pytest.mark.parametrize("kind", ["channel_post", "edited_channel_post"])
def test_channel_posts_are_ignored(bot: Bot, kind: str) -> None:
    channel = {"id": -1003333, "type": "channel", "title": "社区公告"}
    payload = {
        "update_id": 900003,
        kind: {"message_id": 7, "chat": channel, "sender_chat": channel, "date": DATE, "text": "停水通知"},
    }
    assert translate(bot, payload) is None


def test_messages_from_bots_are_ignored(bot: Bot) -> None:
    other_bot = {"id": 777, "is_bot": True, "first_name": "Weather", "username": "WeatherBot"}
    assert translate(bot, message("今天晴", **{"from": other_bot})) is None
    assert translate(bot, message("#1 买菜", **{"from": BOT_USER})) is None


def test_anonymous_admin_posts_are_ignored(bot: Bot) -> None:
    anonymous = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
    assert translate(bot, message("通知", **{"from": anonymous, "sender_chat": GROUP})) is None


def test_other_update_kinds_are_ignored(bot: Bot) -> None:
    payload = {
        "update_id": 900004,
        "my_chat_member": {
            "chat": GROUP,
            "from": WANG,
            "date": DATE,
            "old_chat_member": {"status": "left", "user": BOT_USER},
            "new_chat_member": {"status": "member", "user": BOT_USER},
        },
    }
    assert translate(bot, payload) is None


# -- button presses --------------------------------------------------------------------------

CARD = {
    "message_id": 40,
    "from": BOT_USER,
    "chat": GROUP,
    "date": DATE,
    "text": "#12 买菜 · 3号楼",
    "reply_markup": {"inline_keyboard": [[{"text": "我来", "callback_data": "claim:12"}]]},
}


def callback(
    data: str | None = "claim:12", card: dict[str, Any] | None = CARD, **extra: Any
) -> dict[str, Any]:
    query: dict[str, Any] = {"id": "4382bfdwdsb323b2d9", "from": LI, "chat_instance": "-7000", **extra}
    if data is not None:
        query["data"] = data
    if card is not None:
        query["message"] = card
    return {"update_id": 900010, "callback_query": query}


def test_button_press_becomes_an_action(bot: Bot) -> None:
    incoming = translate(bot, callback())
    assert incoming is not None
    assert incoming.kind == "button"
    assert incoming.action == "claim:12"
    assert incoming.message_id == "cb:4382bfdwdsb323b2d9"
    assert incoming.reply_to == "40"
    assert incoming.chat == GROUP_REF
    assert (incoming.sender_id, incoming.sender_name, incoming.text) == ("2002", "李四", "")
    assert incoming.at.tzinfo is not None


def test_button_press_in_private_chat(bot: Bot) -> None:
    card = {**CARD, "chat": {"id": 2002, "type": "private", "first_name": "李四"}}
    incoming = translate(bot, callback("done:12", card))
    assert incoming is not None
    assert incoming.chat == ChatRef("telegram", "2002", True)
    assert incoming.action == "done:12"


def test_button_under_an_old_inaccessible_card_still_names_it(bot: Bot) -> None:
    old = {"message_id": 40, "chat": GROUP, "date": 0}
    incoming = translate(bot, callback(card=old))
    assert incoming is not None
    assert (incoming.reply_to, incoming.chat) == ("40", GROUP_REF)


def test_inline_mode_and_game_presses_are_ignored(bot: Bot) -> None:
    assert translate(bot, callback(card=None, inline_message_id="AAAA")) is None
    assert translate(bot, callback(data=None, game_short_name="g")) is None


# -- config ----------------------------------------------------------------------------------


def test_config_defaults() -> None:
    config = telegram_config({"token": "123456:ABC-def_9"})
    assert config == TelegramConfig(token="123456:ABC-def_9")
    assert config.listen_address == ("0.0.0.0", 8443)
    assert "ABC" not in repr(config)


def test_config_full() -> None:
    config = telegram_config(
        {
            "token": "123:ABC",
            "base_url": "http://127.0.0.1:8081/bot",
            "webhook_url": "https://linli.example.org/tg",
            "listen": "127.0.0.1:8080",
            "poll_interval": 1,
        }
    )
    assert config.base_url == "http://127.0.0.1:8081/bot"
    assert config.webhook_url == "https://linli.example.org/tg"
    assert config.listen_address == ("127.0.0.1", 8080)
    assert config.poll_interval == 1.0


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ({}, "telegram.token"),
        ({"token": "not a token"}, "telegram.token"),
        ({"token": 123}, "telegram.token"),
        ({"token": "1:A", "tokn": "x"}, "telegram.tokn"),
        ({"token": "1:A", "base_url": "127.0.0.1:8081"}, "telegram.base_url"),
        ({"token": "1:A", "webhook_url": "ftp://x/y"}, "telegram.webhook_url"),
        ({"token": "1:A", "listen": "8443"}, "telegram.listen"),
        ({"token": "1:A", "listen": "0.0.0.0:70000"}, "telegram.listen"),
        ({"token": "1:A", "poll_interval": -1}, "telegram.poll_interval"),
        ({"token": "1:A", "poll_interval": "fast"}, "telegram.poll_interval"),
        ({"token": "1:A", "poll_interval": True}, "telegram.poll_interval"),
    ],
)
def test_config_errors_name_the_key(section: dict[str, object], key: str) -> None:
    with pytest.raises(Exception) as raised:  # ConfigError or ValueError; both name the key
        telegram_config(section)
    assert key in str(raised.value)


# -- sending ---------------------------------------------------------------------------------


class Recorder:
    """Replaces Bot methods on the class, checks each call against the real signature, records it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.monkeypatch = monkeypatch
        self.next_id = 500

    def patch(self, name: str, behaviour: Callable[[dict[str, Any]], Any]) -> None:
        signature = inspect.signature(getattr(Bot, name))

        async def method(self_: Bot, *args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(self_, *args, **kwargs)
            arguments = {k: v for k, v in bound.arguments.items() if k != "self"}
            self.calls.append((name, arguments))
            return behaviour(arguments)

        self.monkeypatch.setattr(Bot, name, method)

    def sent_message(self, arguments: dict[str, Any]) -> Message:
        self.next_id += 1
        return Message(self.next_id, datetime.now(UTC), Chat(int(arguments["chat_id"]), "supergroup"))


def raising(exc: Exception) -> Callable[[dict[str, Any]], Any]:
    def behaviour(arguments: dict[str, Any]) -> Any:
        raise exc

    return behaviour


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    rec = Recorder(monkeypatch)
    rec.patch("send_message", rec.sent_message)
    rec.patch("edit_message_text", lambda a: True)
    rec.patch("answer_callback_query", lambda a: True)
    return rec


@pytest.fixture
def platform(bot: Bot) -> TelegramPlatform:
    """A platform wired to the offline bot, as if start() had connected."""
    plat = TelegramPlatform(TelegramConfig(token="123:ABC"))
    plat._app = SimpleNamespace(bot=bot)  # type: ignore[assignment]
    plat._bot_username = BOT_NAME
    plat._ready.set()
    return plat


async def test_send_posts_a_card_with_one_row_of_buttons(
    platform: TelegramPlatform, recorder: Recorder
) -> None:
    reply = Reply(
        chat=GROUP_REF,
        text="#12 买菜 · 3号楼",
        buttons=(Button("我来", "claim:12"), Button("取消", "cancel:12")),
        reply_to="41",
        card_of=12,
    )
    assert await platform.send(reply, "outbox-1") == "501"
    name, arguments = recorder.calls[0]
    assert name == "send_message"
    assert arguments["chat_id"] == GROUP_ID
    assert arguments["text"] == "#12 买菜 · 3号楼"
    assert arguments["reply_parameters"].message_id == 41
    assert arguments["reply_parameters"].allow_sending_without_reply is True
    rows = arguments["reply_markup"].inline_keyboard
    assert [[(b.text, b.callback_data) for b in row] for row in rows] == [
        [("我来", "claim:12"), ("取消", "cancel:12")]
    ]


async def test_send_plain_private_message(platform: TelegramPlatform, recorder: Recorder) -> None:
    reply = Reply(chat=ChatRef("telegram", "1001", True), text="紧急:3号楼有老人摔倒")
    assert await platform.send(reply, "outbox-2") == "501"
    arguments = recorder.calls[0][1]
    assert arguments["chat_id"] == 1001
    assert arguments.get("reply_markup") is None
    assert arguments.get("reply_parameters") is None


async def test_reply_to_a_button_press_is_not_a_quote(platform: TelegramPlatform, recorder: Recorder) -> None:
    await platform.send(Reply(chat=GROUP_REF, text="好的", reply_to="cb:4382"), "outbox-3")
    assert recorder.calls[0][1].get("reply_parameters") is None


async def test_same_idempotency_key_is_sent_once(platform: TelegramPlatform, recorder: Recorder) -> None:
    reply = Reply(chat=GROUP_REF, text="#1 已认领")
    first = await platform.send(reply, "outbox-9")
    second = await platform.send(reply, "outbox-9")
    assert first == second
    assert len(recorder.calls) == 1


async def test_toasts_are_never_sent(platform: TelegramPlatform, recorder: Recorder) -> None:
    assert await platform.send(Reply(chat=GROUP_REF, text="已认领", toast=True), "outbox-4") is None
    assert recorder.calls == []


async def test_long_text_is_split_and_buttons_go_last(platform: TelegramPlatform, recorder: Recorder) -> None:
    text = "\n".join(f"第{i}行 " + "好" * 90 for i in range(100))
    reply = Reply(chat=GROUP_REF, text=text, buttons=(Button("我来", "claim:1"),), reply_to="41")
    assert await platform.send(reply, "outbox-5") == "503"
    parts = [arguments for _, arguments in recorder.calls]
    assert len(parts) == 3
    assert "".join(p["text"] for p in parts) == text
    assert all(len(p["text"]) <= 4096 for p in parts)
    assert parts[0]["reply_parameters"] is not None and parts[1].get("reply_parameters") is None
    assert parts[-1]["reply_markup"] is not None and parts[0].get("reply_markup") is None


async def test_edit_changes_the_card_in_place(platform: TelegramPlatform, recorder: Recorder) -> None:
    reply = Reply(
        chat=GROUP_REF,
        text="#12 买菜 · 李四已认领",
        buttons=(Button("完成", "done:12"),),
        reply_to="40",
        card_of=12,
        edit=True,
    )
    assert await platform.send(reply, "outbox-6") == "40"
    name, arguments = recorder.calls[0]
    assert name == "edit_message_text"
    assert (arguments["chat_id"], arguments["message_id"], arguments["text"]) == (GROUP_ID, 40, reply.text)
    assert arguments["reply_markup"].inline_keyboard[0][0].callback_data == "done:12"


async def test_edit_without_buttons_removes_them(platform: TelegramPlatform, recorder: Recorder) -> None:
    await platform.send(Reply(chat=GROUP_REF, text="#12 已完成", reply_to="40", edit=True), "outbox-7")
    assert recorder.calls[0][1].get("reply_markup") is None


async def test_edit_not_modified_is_success(platform: TelegramPlatform, recorder: Recorder) -> None:
    recorder.patch(
        "edit_message_text",
        raising(
            BadRequest(
                "Message is not modified: specified new message content and reply markup are exactly the same"
            )
        ),
    )
    reply = Reply(chat=GROUP_REF, text="#12", reply_to="40", edit=True)
    assert await platform.send(reply, "outbox-8") == "40"
    assert [name for name, _ in recorder.calls] == ["edit_message_text"]


async def test_edit_of_a_deleted_card_posts_it_again(platform: TelegramPlatform, recorder: Recorder) -> None:
    recorder.patch("edit_message_text", raising(BadRequest("Message to edit not found")))
    reply = Reply(
        chat=GROUP_REF, text="#12 买菜", buttons=(Button("我来", "claim:12"),), reply_to="40", edit=True
    )
    assert await platform.send(reply, "outbox-10") == "501"
    assert [name for name, _ in recorder.calls] == ["edit_message_text", "send_message"]
    assert recorder.calls[1][1].get("reply_parameters") is None


@pytest.mark.filterwarnings("ignore:.*retry_after.*")  # PTB's own RetryAfter.__init__ warns
@pytest.mark.parametrize(
    ("error", "unreachable", "retry_after"),
    [
        (lambda: RetryAfter(7), False, 7.0),
        (lambda: TimedOut(), False, None),
        (lambda: NetworkError("httpx.ConnectError: connection refused"), False, None),
        (lambda: BadRequest("Bad Gateway"), False, None),
        (lambda: BadRequest("Message text is empty"), False, None),
        (lambda: Forbidden("Forbidden: bot was blocked by the user"), True, None),
        (lambda: Forbidden("Forbidden: bot was kicked from the supergroup chat"), True, None),
        (lambda: Forbidden("Forbidden: bot can't initiate conversation with a user"), True, None),
        (lambda: BadRequest("Chat not found"), True, None),
        (lambda: ChatMigrated(-1009876543210), True, None),
    ],
)
async def test_send_errors_are_mapped(
    platform: TelegramPlatform,
    recorder: Recorder,
    error: Callable[[], Exception],
    unreachable: bool,
    retry_after: float | None,
) -> None:
    recorder.patch("send_message", raising(error()))
    with pytest.raises(PlatformError) as raised:
        await platform.send(Reply(chat=GROUP_REF, text="#1"), "outbox-11")
    assert isinstance(raised.value, Unreachable) is unreachable
    assert raised.value.retry_after == retry_after


def test_platform_error_keeps_the_cause_text() -> None:
    assert "blocked" in str(platform_error(Forbidden("Forbidden: bot was blocked by the user")))


async def test_send_before_connecting_is_retryable() -> None:
    plat = TelegramPlatform(TelegramConfig(token="123:ABC"))
    with pytest.raises(PlatformError) as raised:
        await plat.send(Reply(chat=GROUP_REF, text="#1"), "outbox-12")
    assert not isinstance(raised.value, Unreachable)


# -- delivering updates to Linli -------------------------------------------------------------


async def test_button_press_is_answered_with_the_toast(
    platform: TelegramPlatform, recorder: Recorder, bot: Bot
) -> None:
    seen: list[Incoming] = []

    async def dispatch(incoming: Incoming) -> str | None:
        seen.append(incoming)
        return "已认领 #12,谢谢!"

    platform._dispatch = dispatch
    assert await platform._deliver(Update.de_json(callback(), bot), 1)
    assert seen[0].action == "claim:12"
    assert recorder.calls == [
        ("answer_callback_query", {"callback_query_id": "4382bfdwdsb323b2d9", "text": "已认领 #12,谢谢!"})
    ]


async def test_failed_dispatch_still_stops_the_spinner(
    platform: TelegramPlatform, recorder: Recorder, bot: Bot
) -> None:
    async def dispatch(incoming: Incoming) -> str | None:
        raise RuntimeError("database is locked")

    platform._dispatch = dispatch
    assert not await platform._deliver(Update.de_json(callback(), bot), 1)
    assert recorder.calls == [
        ("answer_callback_query", {"callback_query_id": "4382bfdwdsb323b2d9", "text": None})
    ]


async def test_dispatch_is_retried_before_the_update_is_confirmed(
    platform: TelegramPlatform, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[int] = []

    async def dispatch(incoming: Incoming) -> str | None:
        attempts.append(1)
        if len(attempts) < 3:
            raise RuntimeError("disk full")
        return None

    monkeypatch.setattr("bot.platforms.telegram._backoff", lambda attempt: 0.0)
    platform._dispatch = dispatch
    assert await platform._deliver(Update.de_json(message(), bot), 5)
    assert len(attempts) == 3


async def test_ignored_updates_never_reach_dispatch(platform: TelegramPlatform, bot: Bot) -> None:
    async def dispatch(incoming: Incoming) -> str | None:
        raise AssertionError("should not be called")

    platform._dispatch = dispatch
    assert await platform._deliver(
        Update.de_json({"update_id": 1, "edited_message": message()["message"]}, bot), 1
    )


async def test_webhook_checks_path_and_secret_then_dispatches(platform: TelegramPlatform) -> None:
    platform.config = TelegramConfig(token="123:ABC", webhook_url="https://linli.example.org/tg/hook")
    seen: list[Incoming] = []

    async def dispatch(incoming: Incoming) -> str | None:
        seen.append(incoming)
        return None

    platform._dispatch = dispatch
    body = json.dumps(message()).encode()
    secret = {"x-telegram-bot-api-secret-token": platform.webhook_secret}
    wrong = {"x-telegram-bot-api-secret-token": "guess"}

    async def status(method: str, target: str, headers: dict[str, str], data: bytes = body) -> int:
        return (await platform._webhook_request(method, target, "/tg/hook", headers, data))[0]

    assert await status("POST", "/other", secret) == 404
    assert await status("GET", "/tg/hook", secret) == 405
    assert await status("POST", "/tg/hook", wrong) == 403
    assert await status("POST", "/tg/hook", secret, b"{not json") == 400
    assert seen == []
    assert await status("POST", "/tg/hook?x=1", secret) == 200
    assert [m.message_id for m in seen] == ["41"]


async def test_webhook_asks_telegram_to_redeliver_when_dispatch_fails(platform: TelegramPlatform) -> None:
    platform.config = TelegramConfig(token="123:ABC", webhook_url="https://linli.example.org/tg")

    async def dispatch(incoming: Incoming) -> str | None:
        raise RuntimeError("database is locked")

    platform._dispatch = dispatch
    secret = {"x-telegram-bot-api-secret-token": platform.webhook_secret}
    status, _ = await platform._webhook_request("POST", "/tg", "/tg", secret, json.dumps(message()).encode())
    assert status == 500


async def test_stop_is_idempotent() -> None:
    plat = TelegramPlatform(TelegramConfig(token="123:ABC"))
    await plat.stop()
    await plat.stop()
    await asyncio.sleep(0)


def test_open_buttons_become_deep_links_to_the_private_chat() -> None:
    from bot.platforms.telegram import _markup
    from storage.models import Button, ChatRef, Reply

    reply = Reply(
        ChatRef("telegram", "-1"),
        "hint",
        buttons=(Button("私聊我", "open:task-7"), Button("我来", "claim:7")),
    )
    markup = _markup(reply, "linli_bot")
    assert markup is not None
    link, claim = markup.inline_keyboard[0]
    assert link.url == "https://t.me/linli_bot?start=task-7" and link.callback_data is None
    assert claim.callback_data == "claim:7"
    assert (
        _markup(Reply(ChatRef("telegram", "-1"), "x", buttons=(Button("私聊我", "open:task-7"),)), "") is None
    )


async def test_send_with_an_image_posts_the_text_then_the_picture(
    platform: TelegramPlatform, recorder: Recorder, tmp_path: Path
) -> None:
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"\x89PNG\r\n\x1a\nchart")
    recorder.patch("send_photo", recorder.sent_message)
    reply = Reply(chat=ChatRef("telegram", "1001", True), text="日报", image=str(chart))
    assert await platform.send(reply, "outbox-img") == "501"
    assert [name for name, _ in recorder.calls] == ["send_message", "send_photo"]
    assert recorder.calls[1][1]["photo"] == chart.read_bytes()
    missing = Reply(chat=ChatRef("telegram", "1001", True), text="日报", image=str(tmp_path / "gone.png"))
    assert await platform.send(missing, "outbox-img2") == "503"  # the text still goes out
