"""Telegram end to end: the adapter and the real `linli run` process against a local Bot API emulator."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

import pytest

from bot.platforms.base import PlatformError, Unreachable
from bot.platforms.telegram import TelegramConfig, TelegramPlatform
from storage.models import Button, ChatRef, Incoming, Reply
from tests.e2e.telegram_peer import BOT_USERNAME, Group, LinliProcess, Sent, TelegramPeer, User

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore:.*retry_after.*")]
T = TypeVar("T")

STAFF = User(1001, "书记", "张")
WANG = User(2001, "秀英", "王")
LI = User(2002, "四", "李")
ZHAO = User(2003, "六", "赵")
STAFF_IDS = {"张书记": STAFF.id}
NEED = "3号楼502王奶奶想请人明天上午帮忙买点菜"


async def eventually(probe: Callable[[], T | Awaitable[T | None] | None], within: float = 10.0) -> T:
    """Polls ``probe`` (sync or async) without blocking the loop the adapter runs on."""
    deadline = time.monotonic() + within
    while True:
        value = probe()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value  # type: ignore[return-value]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within}s")
        await asyncio.sleep(0.02)


class Recording:
    """A dispatch that records what arrives and can be told to fail or hang."""

    def __init__(self) -> None:
        self.seen: list[Incoming] = []
        self.fail_next = 0
        self.gate: asyncio.Event | None = None
        self.toast: str | None = "收到"

    async def __call__(self, incoming: Incoming) -> str | None:
        if self.gate is not None:
            await self.gate.wait()
        if self.fail_next:
            self.fail_next -= 1
            raise RuntimeError("storage is down")
        self.seen.append(incoming)
        return self.toast if incoming.action else None

    def texts(self) -> list[str]:
        return [m.text for m in self.seen]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.platforms.telegram._backoff", lambda attempt: 0.05)


@pytest.fixture
async def adapter(telegram_peer: TelegramPeer) -> AsyncIterator[tuple[TelegramPlatform, Recording]]:
    """The adapter alone, polling the emulator, with a recording dispatch."""
    platform = TelegramPlatform(TelegramConfig(token="123:ABC", base_url=telegram_peer.base_url))
    recording = Recording()
    await platform.start(recording)
    yield platform, recording
    await platform.stop()


async def say(peer: TelegramPeer, chat: Group | User, user: User, text: str | None, **kw: object) -> int:
    return await asyncio.to_thread(peer.say, chat, user, text, **kw)  # type: ignore[arg-type]


# -- the adapter against the emulator ------------------------------------------------------


async def test_adapter_round_trip(
    telegram_peer: TelegramPeer, adapter: tuple[TelegramPlatform, Recording]
) -> None:
    platform, recording = adapter
    group = Group.fresh("3号楼互助群")
    asked = await say(telegram_peer, group, WANG, f"/need@{BOT_USERNAME} 帮忙买菜 @{BOT_USERNAME}")
    incoming = await eventually(lambda: recording.seen and recording.seen[-1])
    assert incoming.text == f"/need 帮忙买菜 @{BOT_USERNAME}"
    assert incoming.mentions_bot
    assert incoming.chat == ChatRef("telegram", str(group.id), False)
    assert (incoming.message_id, incoming.chat_title, incoming.sender_name) == (
        str(asked),
        group.title,
        "秀英 王",
    )

    card = Reply(
        incoming.chat, "#1 买菜", (Button("我来", "claim:1"), Button("取消", "cancel:1")), str(asked)
    )
    card_id = await platform.send(card, "k-card")
    [sent] = telegram_peer.sent(group)
    assert (str(sent.message_id), sent.reply_to, sent.labels) == (card_id, asked, ["我来", "取消"])

    reply_id = await say(telegram_peer, group, LI, "我来", reply_to=sent.message_id)
    reply = await eventually(lambda: recording.seen[-1] if recording.seen[-1].text == "我来" else None)
    assert (reply.reply_to, reply.message_id) == (card_id, str(reply_id))

    callback = await asyncio.to_thread(telegram_peer.press, group, ZHAO, sent.message_id, "claim:1")
    press = await eventually(lambda: recording.seen[-1] if recording.seen[-1].action else None)
    assert (press.kind, press.action, press.reply_to, press.message_id) == (
        "button",
        "claim:1",
        card_id,
        f"cb:{callback}",
    )
    assert await eventually(
        lambda: [a for a in telegram_peer.answers() if a["callback_query_id"] == callback]
    )
    assert next(a for a in telegram_peer.answers() if a["callback_query_id"] == callback)["text"] == "收到"

    edited = Reply(
        incoming.chat, "#1 买菜 · 赵六已接单", (Button("完成", "done:1"),), card_id, card_of=1, edit=True
    )
    assert await platform.send(edited, "k-edit") == card_id
    assert await platform.send(edited, "k-edit-again") == card_id  # "message is not modified" is success
    [now] = telegram_peer.sent(group)
    assert (now.text, now.labels, now.edits) == ("#1 买菜 · 赵六已接单", ["完成"], 1)

    commands = telegram_peer.state()["commands"]
    assert {c["command"] for c in commands[""]} >= {"need", "help", "bind"}
    assert "求助" in commands[""][0]["description"] and "help" in commands["en"][0]["description"].lower()


async def test_private_chats_and_service_messages(
    telegram_peer: TelegramPeer, adapter: tuple[TelegramPlatform, Recording]
) -> None:
    _, recording = adapter
    group = Group.fresh("5号楼")
    bot_user = User(123, "Linli 邻里", username=BOT_USERNAME, is_bot=True)
    await say(telegram_peer, LI, LI, "/start")
    await say(telegram_peer, group, STAFF, None, new_chat_members=[bot_user.as_json()])
    await say(telegram_peer, group, WANG, None, new_chat_members=[WANG.as_json()])  # not for Linli
    await say(
        telegram_peer,
        group,
        WANG,
        None,
        photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}],
        caption="楼道灯坏了",
    )
    await say(telegram_peer, group, WANG, "转发的求助", forward=ZHAO)
    await say(telegram_peer, group, User(777, "Other", username="OtherBot", is_bot=True), "我是别的机器人")
    await say(telegram_peer, group, STAFF, None, new_chat_title="5号楼邻里守望")
    await asyncio.to_thread(
        telegram_peer.update,
        "edited_message",
        {"chat": group.as_json(), "from": WANG.as_json(), "text": "改过的"},
    )
    await say(telegram_peer, group, WANG, "最后一条")
    await eventually(lambda: "最后一条" in recording.texts())
    kinds = [(m.kind, m.text, m.chat.private) for m in recording.seen]
    assert kinds == [
        ("text", "/start", True),
        ("join", "", False),
        ("image", "楼道灯坏了", False),
        ("text", "转发的求助", False),
        ("topic", "5号楼邻里守望", False),
        ("text", "最后一条", False),
    ]
    assert recording.seen[0].chat == ChatRef("telegram", str(LI.id), True)


async def test_update_is_confirmed_only_after_dispatch(telegram_peer: TelegramPeer) -> None:
    group = Group.fresh("7号楼")
    config = TelegramConfig(token="123:ABC", base_url=telegram_peer.base_url)
    first, hung = TelegramPlatform(config), Recording()
    hung.gate = asyncio.Event()  # dispatch never resolves: the process "dies" while handling
    await first.start(hung)
    await say(telegram_peer, group, WANG, "停电了,谁家有应急灯")
    await eventually(lambda: telegram_peer.state()["unconfirmed"] == 1)
    await asyncio.sleep(0.3)
    assert telegram_peer.state()["unconfirmed"] == 1
    assert first._runner is not None
    first._runner.cancel()  # a crash: no clean stop, nothing confirmed
    await first.stop()

    second, recording = TelegramPlatform(config), Recording()
    await second.start(recording)
    try:
        await eventually(lambda: recording.texts() == ["停电了,谁家有应急灯"])
        await eventually(lambda: telegram_peer.state()["unconfirmed"] == 0)
    finally:
        await second.stop()

    third, again = TelegramPlatform(config), Recording()  # a clean restart gets nothing twice
    await third.start(again)
    await say(telegram_peer, group, WANG, "来电了")
    await eventually(lambda: again.texts())
    await third.stop()
    assert again.texts() == ["来电了"]


@pytest.mark.usefixtures("fast_backoff")
async def test_polling_survives_outages_and_failing_dispatch(telegram_peer: TelegramPeer) -> None:
    group = Group.fresh("9号楼")
    peer = TelegramPeer(telegram_peer.api_url, token="789:OUTAGE")
    peer.fail("getUpdates", count=3, status=502)  # the Bot API is down when the bot starts polling
    peer.fail("getUpdates", count=1, status=429, retry_after=1)
    platform = TelegramPlatform(TelegramConfig("789:OUTAGE", base_url=telegram_peer.base_url))
    recording = Recording()
    recording.fail_next = 2  # then a storage hiccup: the update waits, unconfirmed, until dispatch succeeds
    await platform.start(recording)
    try:
        await say(peer, group, WANG, "第一条")
        await eventually(lambda: recording.texts() == ["第一条"], within=15)
        assert peer.state()["failures"] == 0
        await say(peer, group, WANG, "第二条")
        await eventually(lambda: recording.texts() == ["第一条", "第二条"])
        await platform.stop()
        assert peer.state()["unconfirmed"] == 0  # the clean stop confirmed what was handled
    finally:
        await platform.stop()
        peer.http.close()


async def test_send_errors_from_the_bot_api(
    telegram_peer: TelegramPeer, adapter: tuple[TelegramPlatform, Recording]
) -> None:
    platform, recording = adapter
    group = Group.fresh("11号楼")
    stranger = User(2999, "陌生人")
    await say(telegram_peer, group, WANG, "hi")
    await say(telegram_peer, ZHAO, ZHAO, "/start")
    await eventually(lambda: len(recording.seen) == 2)

    with pytest.raises(Unreachable):  # never opened a private chat with the bot
        await platform.send(Reply(ChatRef("telegram", str(stranger.id), True), "详情"), "e1")
    telegram_peer.block(ZHAO)
    with pytest.raises(Unreachable):
        await platform.send(Reply(ChatRef("telegram", str(ZHAO.id), True), "详情"), "e2")
    telegram_peer.block(ZHAO, blocked=False)
    assert await platform.send(Reply(ChatRef("telegram", str(ZHAO.id), True), "详情"), "e3")
    with pytest.raises(Unreachable):
        await platform.send(Reply(ChatRef("telegram", "-100999", False), "#1"), "e4")

    telegram_peer.fail("sendMessage", status=429, retry_after=5)
    with pytest.raises(PlatformError) as flood:
        await platform.send(Reply(ChatRef("telegram", str(group.id), False), "#1"), "e5")
    assert flood.value.retry_after == 5 and not isinstance(flood.value, Unreachable)
    telegram_peer.fail("sendMessage", status=502)
    with pytest.raises(PlatformError) as down:
        await platform.send(Reply(ChatRef("telegram", str(group.id), False), "#1"), "e6")
    assert not isinstance(down.value, Unreachable)
    assert await platform.send(Reply(ChatRef("telegram", str(group.id), False), "#1"), "e6")


@pytest.mark.usefixtures("fast_backoff")
async def test_starts_while_the_bot_api_is_unreachable() -> None:
    port = free_port()
    config = TelegramConfig(token="123:ABC", base_url=f"http://127.0.0.1:{port}/bot")
    platform, recording = TelegramPlatform(config), Recording()
    await platform.start(recording)  # returns although nothing listens yet
    group = Group.fresh("15号楼")
    with pytest.raises(PlatformError) as early:
        await platform.send(Reply(ChatRef("telegram", str(group.id), False), "#1"), "u1")
    assert not isinstance(early.value, Unreachable)
    peer = await asyncio.to_thread(TelegramPeer.start, port=port)
    try:
        await say(peer, group, WANG, "终于连上了")
        await eventually(lambda: recording.texts() == ["终于连上了"], within=15)
        assert await platform.send(Reply(recording.seen[0].chat, "#1"), "u2")
    finally:
        await platform.stop()
        peer.stop()


async def test_webhook_mode(telegram_peer: TelegramPeer) -> None:
    port = free_port()
    config = TelegramConfig(
        token="456:WEBHOOK",
        base_url=telegram_peer.base_url,
        webhook_url=f"http://127.0.0.1:{port}/tg/hook",
        listen=f"127.0.0.1:{port}",
    )
    hooked = TelegramPeer(telegram_peer.api_url, token="456:WEBHOOK")
    group = Group.fresh("13号楼")
    platform, recording = TelegramPlatform(config), Recording()
    await platform.start(recording)
    try:
        await eventually(lambda: hooked.state()["webhook"])
        assert hooked.state()["webhook"]["secret_token"] == platform.webhook_secret
        await say(hooked, group, WANG, "网页钩子来的消息")
        await eventually(lambda: recording.texts() == ["网页钩子来的消息"])
        recording.fail_next = 1  # answered 500: Telegram posts it again
        await say(hooked, group, WANG, "第二条")
        await eventually(lambda: recording.texts() == ["网页钩子来的消息", "第二条"])
        card = await platform.send(Reply(recording.seen[0].chat, "#1", (Button("我来", "claim:1"),)), "w1")
        assert card is not None
        callback = await asyncio.to_thread(hooked.press, group, LI, int(card), "claim:1")
        await eventually(lambda: [a for a in hooked.answers() if a["callback_query_id"] == callback])
        assert recording.seen[-1].action == "claim:1"
    finally:
        await platform.stop()
        hooked.http.close()


# -- the real `linli run` process against the emulator ------------------------------------

WANG2 = User(3001, "王秀英")
LI4 = User(3002, "李四")
ZHAO6 = User(3003, "赵六")
BOSS = User(1001, "张书记")


class Scene:
    """One running bot, one building group, and the people in it."""

    def __init__(self, peer: TelegramPeer, bot: LinliProcess, group: Group) -> None:
        self.peer = peer
        self.bot = bot
        self.group = group
        self.since = peer.say(group, BOSS, "大家好")
        """Message ids only grow: private chats outlive tests, so only later bot messages count."""

    def say(self, user: User, text: str, reply_to: int | None = None) -> int:
        return self.peer.say(self.group, user, text, reply_to=reply_to)

    def private(self, user: User, text: str) -> int:
        return self.peer.say(user, user, text)

    def card(self, task_id: int, timeout: float = 15.0) -> Sent:
        """The task's card in the group, as it stands now."""
        return self.peer.wait_message(
            self.group,
            lambda m: m.history[0].startswith("🙋") and f"#{task_id}\u0020" in m.history[0],
            timeout,
        )

    def cards(self, task_id: int) -> list[Sent]:
        return [
            m
            for m in self.peer.sent(self.group)
            if m.history[0].startswith("🙋") and f"#{task_id} " in m.history[0]
        ]

    def card_becomes(self, task_id: int, words: str, timeout: float = 15.0) -> Sent:
        """Waits until the card has been edited to say ``words``."""
        first = self.card(task_id, timeout)
        return self.peer.wait_for(
            lambda: next(
                (
                    m
                    for m in self.peer.sent(self.group)
                    if m.message_id == first.message_id and words in m.text
                ),
                None,
            ),
            timeout,
            f"card #{task_id} to say {words!r}",
        )

    def press(self, user: User, card: Sent, label: str) -> str:
        """Presses a button under the card and returns the toast shown to ``user``."""
        callback = self.peer.press(self.group, user, card.message_id, card.data_for(label))
        return self.peer.answer_to(callback)

    def private_to(self, user: User, words: str, timeout: float = 15.0) -> Sent:
        """Waits for a private message to ``user`` (sent during this test) containing ``words``."""
        return self.peer.wait_message(user, words, timeout, after=self.since)

    def privately(self, user: User) -> list[Sent]:
        """What the bot told ``user`` privately during this test."""
        return [m for m in self.peer.sent(user) if m.message_id > self.since]


@pytest.fixture
def scene(telegram_peer: TelegramPeer, linli_factory: Callable[..., LinliProcess]) -> Scene:
    """A fresh bot and database; staff and two volunteers have opened private chats; 3号楼 is bound."""
    bot = linli_factory(STAFF_IDS)
    world = Scene(telegram_peer, bot, Group.fresh("3号楼互助群"))
    for user in (BOSS, LI4, ZHAO6):
        world.private(user, "/start")
    for user in (BOSS, LI4, ZHAO6):  # the first wait is for the bot to boot
        telegram_peer.wait_message(user, lambda m: True, timeout=30, after=world.since)
    asked = world.say(BOSS, "/bind 3号楼")
    telegram_peer.wait_message(world.group, lambda m: m.reply_to == asked)
    return world


def test_need_card_race_claim_done_confirm(scene: Scene) -> None:
    asked = scene.say(WANG2, NEED)
    card = scene.card(1)
    assert card.reply_to == asked
    assert card.labels == ["我来", "取消"]
    assert "买菜" in card.text and "3号楼" in card.text

    peer, group = scene.peer, scene.group
    presses = {
        user.id: peer.press(group, user, card.message_id, card.data_for("我来")) for user in (LI4, ZHAO6)
    }
    toasts = {uid: peer.answer_to(cb) for uid, cb in presses.items()}
    claimed = scene.card_becomes(1, "已接单")
    winner, loser = (LI4, ZHAO6) if "李四" in claimed.text else (ZHAO6, LI4)
    assert winner.first_name in claimed.text and loser.first_name not in claimed.text
    assert "已由" in toasts[loser.id] and winner.first_name in toasts[loser.id]
    assert "完成" in claimed.labels and "我来" not in claimed.labels
    details = scene.private_to(winner, "#1")
    assert "谢谢你接下 #1" in details.text
    assert not [m for m in scene.privately(loser) if "#1" in m.text]

    scene.press(winner, claimed, "完成")
    done = scene.card_becomes(1, "已办好")
    assert "确认" in done.labels
    scene.press(WANG2, done, "确认")
    confirmed = scene.card_becomes(1, "已完成")
    assert confirmed.labels == []
    assert len(scene.cards(1)) == 1  # one card, edited in place
    assert scene.private_to(winner, "爱心存折")


def test_claim_by_replying_to_the_card(scene: Scene) -> None:
    scene.say(WANG2, NEED)
    card = scene.card(1)
    scene.say(LI4, "我来", reply_to=card.message_id)
    claimed = scene.card_becomes(1, "已接单")
    assert "李四" in claimed.text
    late = scene.say(ZHAO6, "我来吧", reply_to=card.message_id)
    told = scene.peer.wait_message(scene.group, lambda m: m.reply_to == late)
    assert "李四" in told.text and "赵六" in told.text
    scene.say(LI4, "完成了,用了一个半小时", reply_to=card.message_id)
    scene.card_becomes(1, "已办好")
    scene.say(WANG2, "确认", reply_to=card.message_id)
    scene.card_becomes(1, "已完成")


def test_requester_cancels(scene: Scene) -> None:
    scene.say(WANG2, NEED)
    card = scene.card(1)
    scene.say(WANG2, "不用了,我女儿回来了", reply_to=card.message_id)
    cancelled = scene.card_becomes(1, "已取消")
    assert cancelled.labels == []
    scene.say(WANG2, "#求助 明天下午谁能帮我取个快递")
    second = scene.card(2)
    toast = scene.press(WANG2, second, "取消")
    assert toast
    scene.card_becomes(2, "已取消")


def test_emergency_alerts_staff_and_tells_group_to_call(scene: Scene) -> None:
    scene.say(WANG2, "救命!我妈在3号楼502摔倒了起不来")
    told = scene.peer.wait_message(scene.group, "120")
    assert "紧急" in told.text
    alert = scene.private_to(BOSS, "🚨")
    assert "摔倒" in alert.text and "3号楼" in alert.text
    assert not [m for m in scene.peer.sent(scene.group) if "我来" in m.labels]  # nobody has to claim it


def test_bind_is_for_staff_only(
    telegram_peer: TelegramPeer, linli_factory: Callable[..., LinliProcess]
) -> None:
    linli_factory(STAFF_IDS)
    group = Group.fresh("5号楼互助群")
    since = telegram_peer.say(BOSS, BOSS, "/start")
    telegram_peer.wait_message(BOSS, lambda m: True, timeout=30, after=since)
    refused = telegram_peer.say(group, LI4, "/bind 5号楼")
    answer = telegram_peer.wait_message(group, lambda m: m.reply_to == refused or "工作人员" in m.text)
    assert "只有社区工作人员" in answer.text
    bound = telegram_peer.say(group, BOSS, f"/bind@{BOT_USERNAME} 5号楼")
    done = telegram_peer.wait_message(group, lambda m: m.reply_to == bound)
    assert "已绑定到 5号楼" in done.text
    telegram_peer.say(group, WANG2, "5号楼301想请人帮忙修一下水龙头,明天下午")
    card = telegram_peer.wait_message(group, lambda m: m.text.startswith("🙋"))
    assert "5号楼" in card.text


def test_group_upgrade_keeps_the_binding(
    telegram_peer: TelegramPeer, linli_factory: Callable[..., LinliProcess]
) -> None:
    linli_factory(STAFF_IDS)
    old = Group(-4_000_000 - Group.fresh("x").id % 100_000, "幸福里六号", type="group")
    new = Group(Group.fresh("x").id, "幸福里六号")
    since = telegram_peer.say(old, BOSS, "/bind 6号楼")
    telegram_peer.wait_message(old, "6号楼", timeout=30, after=since)
    telegram_peer.say(old, BOSS, None, migrate_to_chat_id=new.id)
    telegram_peer.say(new, BOSS, None, migrate_from_chat_id=old.id)
    telegram_peer.say(new, WANG2, "明天上午谁能帮我买点菜")
    card = telegram_peer.wait_message(new, lambda m: m.text.startswith("🙋"))
    assert "6号楼" in card.text


def test_only_the_claimer_may_press_done(scene: Scene) -> None:
    scene.say(WANG2, NEED)
    card = scene.card(1)
    scene.press(LI4, card, "我来")
    claimed = scene.card_becomes(1, "已接单")
    assert "只有接单人" in scene.press(ZHAO6, claimed, "完成")
    assert "只有接单人" in scene.press(ZHAO6, claimed, "放弃")
    time.sleep(0.3)  # give a wrongly accepted press the chance to show
    [now] = scene.cards(1)
    assert now.text == claimed.text and now.edits == claimed.edits
    own = scene.press(WANG2, now, "完成")
    assert "只有接单人" in own


def test_duplicate_update_makes_one_task(scene: Scene) -> None:
    scene.say(WANG2, NEED)
    first_update = scene.peer.last_update_id
    scene.card(1)
    scene.peer.redeliver(first_update)  # Telegram delivers the same message again
    scene.say(WANG2, "#求助 后天上午谁能陪我去社区医院")
    scene.card(2)
    assert len(scene.cards(1)) == 1
    assert not [m for m in scene.peer.sent(scene.group) if "#3" in m.text]
    card = scene.card(1)
    callback = scene.peer.press(scene.group, LI4, card.message_id, "claim:1")
    scene.peer.answer_to(callback)
    scene.peer.redeliver(scene.peer.last_update_id)  # the same button press, twice
    claimed = scene.card_becomes(1, "已接单")
    time.sleep(0.3)
    assert [m for m in scene.cards(1)][0].edits == claimed.edits
    assert len([m for m in scene.privately(LI4) if "谢谢你接下 #1" in m.text]) == 1


def test_restart_mid_flow_loses_nothing(scene: Scene) -> None:
    scene.say(WANG2, NEED)
    card = scene.card(1)
    scene.press(LI4, card, "我来")
    scene.card_becomes(1, "已接单")

    scene.bot.crash()  # power cut while the task is claimed
    scene.say(LI4, "完成", reply_to=card.message_id)  # said while the bot is down
    scene.say(WANG2, "#求助 明天谁能帮我换个灯泡")
    scene.bot.start()
    scene.card_becomes(1, "已办好", timeout=30)
    scene.card(2)

    scene.bot.stop()  # a clean restart, too
    scene.say(WANG2, "确认", reply_to=card.message_id)
    scene.bot.start()
    scene.card_becomes(1, "已完成", timeout=30)
    assert len(scene.cards(1)) == 1 and len(scene.cards(2)) == 1


def test_outbox_waits_while_telegram_is_down(scene: Scene) -> None:
    scene.peer.fail("sendMessage", count=1, status=502)
    scene.say(WANG2, NEED)
    card = scene.card(1, timeout=20)
    assert card.labels == ["我来", "取消"]
    assert scene.peer.state()["failures"] == 0
