"""WeChat through python-wechaty and a wechaty puppet service: rooms, private chats, quotes, mentions.

The adapter only translates.  A room message becomes an :class:`Incoming` for the
room's chat, a private message one for the person's chat; a 引用 (quoted) reply is
split into the new text and a ``reply_to`` pointing at the bot message it quotes.
Replies go out as plain text: WeChat bots have no buttons and cannot edit, so
button labels become a "（回复：我来 #12 / 取消 #12）" hint line.

Connecting, re-connecting with back-off and the python-wechaty compatibility
shims all live here.  python-wechaty's own ``Wechaty.start()`` is not used: it
blocks for the life of the event stream, sleeps a fixed 60 s after a network
error and swallows other errors; this module drives python-wechaty's
``PuppetService`` (the gRPC client of a puppet service) itself instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from bot.platforms.base import Dispatch, PlatformError, Unreachable
from storage.models import ChatRef, Incoming, Reply

log = logging.getLogger(__name__)

PLATFORM = "wechat"

RECONNECT_BASE_SECONDS = 0.5
RECONNECT_MAX_SECONDS = 60.0
CONNECT_TIMEOUT_SECONDS = 5.0
RPC_TIMEOUT_SECONDS = 20.0
SEND_TIMEOUT_SECONDS = 20.0
WATCHDOG_SECONDS = 30.0
START_WAIT_SECONDS = 5.0
"""How long start() waits for the first login before returning anyway (a QR scan can take minutes)."""

# ---------------------------------------------------------------------------------------------
# python-wechaty 0.10.7 on Python 3.11: every shim in one place.
#
# * ``wechaty.WechatyOptions`` uses a ``PuppetOptions()`` instance as a dataclass field default.
#   Python 3.11 refuses unhashable dataclass defaults ("mutable default ... use default_factory"),
#   and PuppetOptions is an eq=True dataclass, hence unhashable, so ``import wechaty`` fails.
#   Giving PuppetOptions identity hashing first lets it load; nothing hashes it.  The adapter
#   does not use ``wechaty`` itself, but wechaty_puppet imports it when it reports payload
#   fields it does not know (see the next point), so the shim is needed all the same.
# * wechaty-puppet-service 1.x sends error events as ``{"gerror": …}``; python-wechaty builds
#   ``EventErrorPayload(**payload)``, which requires ``data`` and raises inside the event loop,
#   ending the event stream: every puppet error would cost a reconnect and a puppet restart.
#   The puppet service module gets a tolerant factory instead.
# * pyee 9+ and urllib3 2 break wechaty 0.10.7 at import; pyproject pins pyee<9 and urllib3<2.
# * Its loggers print every message text at INFO through their own handlers (and the puppet
#   service logs the token): they are quietened and sent through the application's logging.
# * Importing wechaty_puppet creates a ./.wechaty directory in the working directory; that cannot
#   be switched off.
# * ``Wechaty.start()`` and the ``Contact``/``Room`` classes are not used (see WechatPlatform);
#   the adapter drives ``wechaty_puppet_service.PuppetService`` itself.

_WECHATY_LOGGERS = (
    "Wechaty",
    "WechatyPuppet",
    "PuppetService",
    "WechatyPuppetServiceConfig",
    "Accessory",
    "Config",
    "Contact",
    "ContactSelf",
    "Favorite",
    "FileBox",
    "FriendShip",
    "Image",
    "Message",
    "MiniProgram",
    "Room",
    "RoomInvitation",
    "Tag",
    "UrlLink",
)
_shims_installed = False


def _install_wechaty_shims() -> None:
    """Makes python-wechaty importable and quiet on Python 3.11; safe to call twice."""
    global _shims_installed
    if _shims_installed:
        return
    from wechaty_puppet.schemas.puppet import PuppetOptions

    if PuppetOptions.__hash__ is None:
        PuppetOptions.__hash__ = object.__hash__
    import wechaty_puppet_service.puppet as service
    from wechaty_puppet import EventErrorPayload

    def error_payload(**fields: object) -> Any:
        """Builds the error event from a 1.x ('gerror') or 0.x ('data') payload."""
        detail = fields.get("data") or fields.get("gerror") or fields
        return EventErrorPayload(data=str(detail))

    service.EventErrorPayload = error_payload  # type: ignore[attr-defined]

    for name in _WECHATY_LOGGERS:
        quiet = logging.getLogger(name)
        quiet.handlers = []
        quiet.propagate = True
        quiet.setLevel(logging.ERROR)
    _shims_installed = True


# ---------------------------------------------------------------------------------------------
# Config


@dataclass(frozen=True)
class WechatConfig:
    """Where the wechaty puppet service listens and the token it expects."""

    endpoint: str
    token: str
    name: str = "Linli"
    send_gap: tuple[float, float] = (1.0, 3.0)
    """Seconds between two messages the bot sends, drawn at random from [low, high] (bursts get
    personal accounts banned)."""


_CONFIG_KEYS = ("endpoint", "token", "name", "send_gap")
_ENDPOINT = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-_]+):(\d{1,5})")


def wechat_config(section: dict[str, object]) -> WechatConfig:
    """Validates a ``[wechat]`` config section; raises ValueError('wechat.<key>: <problem>')."""
    for key in section:
        if key not in _CONFIG_KEYS:
            raise ValueError(f"wechat.{key}: unknown key; use {', '.join(_CONFIG_KEYS)}")
    endpoint = section.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint.strip():
        raise ValueError("wechat.endpoint: must be the puppet service's 'host:port', like '127.0.0.1:8788'")
    endpoint = endpoint.strip()
    match = _ENDPOINT.fullmatch(endpoint)
    if match is None:
        raise ValueError(f"wechat.endpoint: {endpoint!r} is not 'host:port' (no scheme, no path)")
    if not 0 < int(match.group(2)) < 65536:
        raise ValueError("wechat.endpoint: port must be between 1 and 65535")
    token = section.get("token")
    if not isinstance(token, str) or not token.strip():
        raise ValueError("wechat.token: must be the puppet service token, e.g. 'insecure_<uuid>'")
    if any(c.isspace() for c in token.strip()):
        raise ValueError("wechat.token: must not contain spaces")
    name = section.get("name", "Linli")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("wechat.name: must be the bot account's WeChat name (used to strip @mentions)")
    gap = section.get("send_gap", [1.0, 3.0])
    if (
        not isinstance(gap, list)
        or len(gap) != 2
        or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in gap)
        or not 0 <= gap[0] <= gap[1]
    ):
        raise ValueError("wechat.send_gap: must be [low, high] seconds between messages, e.g. [1.0, 3.0]")
    return WechatConfig(
        endpoint=endpoint, token=token.strip(), name=name.strip(), send_gap=(float(gap[0]), float(gap[1]))
    )


# ---------------------------------------------------------------------------------------------
# Translation: pure functions over what was read from python-wechaty, tested with recorded payloads.


class WxType(IntEnum):
    """python-wechaty's message types (wechaty-grpc numbering, after its own re-mapping)."""

    UNSPECIFIED = 0
    ATTACHMENT = 1
    AUDIO = 2
    CONTACT = 3
    EMOTICON = 4
    IMAGE = 5
    TEXT = 6
    VIDEO = 7
    CHAT_HISTORY = 8
    LOCATION = 9
    MINI_PROGRAM = 10
    TRANSFER = 11
    RED_ENVELOPE = 12
    RECALLED = 13
    URL = 14


_KINDS: dict[int, str] = {
    WxType.TEXT: "text",
    WxType.IMAGE: "image",
    WxType.AUDIO: "voice",
    WxType.RECALLED: "recall",
    WxType.ATTACHMENT: "other",
    WxType.CONTACT: "other",
    WxType.EMOTICON: "other",
    WxType.VIDEO: "other",
    WxType.CHAT_HISTORY: "other",
    WxType.LOCATION: "other",
    WxType.MINI_PROGRAM: "other",
    WxType.TRANSFER: "other",
    WxType.RED_ENVELOPE: "other",
    WxType.URL: "other",
}
"""Unknown (0) is what puppets give system notices ("xx 加入了群聊", pats, tips): never shown to Linli."""

_SYSTEM_TALKERS = frozenset({"weixin", "fmessage", "newsapp", "filehelper", "notifymessage", "medianote"})

_MENTION_GAP = "\u2005"
"""WeChat puts a four-per-em space after an @name."""

_QUOTE = re.compile(
    r"""\A\s*
        [「"“]                              # the quoted block opens
        (?P<name>[^：:\n]{0,80}?)\s*[：:]     # who said it, then a full- or half-width colon
        (?P<quoted>.*?)                     # what was quoted (may span lines)
        [」"”]\s*\n                          # the block closes at the end of a line
        [ \t]*(?:-[ \t]*){3,}\n?            # the separator line: "- - - - - - - - - - - - - - -"
        (?P<text>.*)\Z""",
    re.S | re.X,
)


@dataclass(frozen=True, slots=True)
class Quote:
    """A 引用 reply as WeChat delivers it in the text: who was quoted, what, and the new words."""

    name: str
    quoted: str
    text: str


def parse_quote(text: str) -> Quote | None:
    """Splits '「张三：原文」\\n- - - - - - - - - - - - - - -\\n我来' into its parts; None if not a quote.

    This is the text padlocal and wechat4u put into a quote message (appmsg type 57).
    """
    match = _QUOTE.match(text.replace("\r\n", "\n"))
    if match is None:
        return None
    return Quote(
        name=match.group("name").strip(),
        quoted=match.group("quoted").strip(),
        text=match.group("text").strip(),
    )


def strip_mentions(text: str, names: Iterable[str]) -> str:
    """Removes '@BotName' (followed by WeChat's mention gap, a space or the end) wherever it appears."""
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = re.sub(rf"(?:(?<=\s)|\A)@{re.escape(name)}(?:{_MENTION_GAP}|[ \t]|\Z)", "", text)
    return text.replace(_MENTION_GAP, " ").strip()


def mentions_name(text: str, names: Iterable[str]) -> bool:
    """True when the text addresses one of the names with '@'."""
    return any(re.search(rf"(?:(?<=\s)|\A)@{re.escape(n)}(?:{_MENTION_GAP}|\s|\Z)", text) for n in names if n)


def _normalize(text: str) -> str:
    """Collapses whitespace so a quoted text compares equal to what the bot sent."""
    return " ".join(text.replace(_MENTION_GAP, " ").split())


class QuoteIndex:
    """Remembers the task cards the bot posted lately in each chat, so a quote can be traced to its card.

    Only cards are kept: a card's message id is what Linli looks tasks up by, while a quote of
    any other bot message (a private "请回复「确认 #12」", say) is more useful as
    ``reply_to='quote:<text>'``, whose ``#12`` Linli reads.  Bounded (``per_chat`` messages in
    each of ``chats`` chats); empty after a restart until :meth:`remember` is fed recent cards.
    """

    def __init__(self, per_chat: int = 200, chats: int = 5000) -> None:
        self._per_chat = per_chat
        self._chats = chats
        self._by_chat: OrderedDict[str, deque[tuple[str, str]]] = OrderedDict()

    def remember(self, chat_id: str, text: str, message_id: str) -> None:
        """Records one message the bot sent in a chat."""
        normalized = _normalize(text)
        if not normalized:
            return
        sent = self._by_chat.get(chat_id)
        if sent is None:
            sent = self._by_chat[chat_id] = deque(maxlen=self._per_chat)
            while len(self._by_chat) > self._chats:
                self._by_chat.popitem(last=False)
        else:
            self._by_chat.move_to_end(chat_id)
        sent.append((normalized, message_id))

    def find(self, chat_id: str, quoted: str) -> str | None:
        """The id of the latest bot message in the chat with this text (or starting with it, if cut)."""
        wanted = _normalize(quoted)
        sent = self._by_chat.get(chat_id)
        if not wanted or not sent:
            return None
        for text, message_id in reversed(sent):
            if text == wanted:
                return message_id
        cut = wanted.rstrip("…．. ")
        if len(cut) >= 6:
            for text, message_id in reversed(sent):
                if text.startswith(cut):
                    return message_id
        return None


@dataclass(frozen=True, slots=True)
class MessageFacts:
    """What the adapter reads from one python-wechaty message; tests build these from recorded payloads."""

    message_id: str
    type: int
    text: str
    talker_id: str
    talker_name: str
    room_id: str = ""
    room_topic: str | None = None
    timestamp: float = 0.0
    mentions_self: bool = False
    from_self: bool = False


def message_time(timestamp: float) -> datetime:
    """Puppets give seconds or milliseconds since the epoch; 0 means 'now'."""
    if timestamp <= 0:
        return datetime.now(UTC)
    if timestamp > 10_000_000_000:
        timestamp /= 1000
    return datetime.fromtimestamp(timestamp, UTC)


def translate_message(facts: MessageFacts, bot_names: Iterable[str], quotes: QuoteIndex) -> Incoming | None:
    """Turns one WeChat message into an Incoming, or None for the bot's own and system messages."""
    if facts.from_self or not facts.talker_id or facts.talker_id in _SYSTEM_TALKERS:
        return None
    if facts.talker_id == facts.room_id or facts.talker_id.endswith("@chatroom"):
        return None
    kind = _KINDS.get(facts.type)
    if kind is None:
        return None
    chat = (
        ChatRef(PLATFORM, facts.room_id, False) if facts.room_id else ChatRef(PLATFORM, facts.talker_id, True)
    )
    names = list(bot_names)
    text = facts.text if kind in ("text", "recall") else ""
    reply_to = None
    mentions = facts.mentions_self
    if kind == "text":
        quote = parse_quote(text)
        if quote is not None:
            text = quote.text
            found = quotes.find(chat.chat_id, quote.quoted)
            reply_to = found if found is not None else f"quote:{quote.quoted}"
        mentions = mentions or (not chat.private and mentions_name(text, names))
        text = strip_mentions(text, names)
    return Incoming(
        platform=PLATFORM,
        chat=chat,
        sender_id=facts.talker_id,
        sender_name=facts.talker_name or facts.talker_id,
        text=text,
        message_id=facts.message_id,
        at=message_time(facts.timestamp),
        reply_to=reply_to,
        chat_title=facts.room_topic if facts.room_id else None,
        mentions_bot=mentions,
        kind=kind,
    )


@dataclass(frozen=True, slots=True)
class Member:
    """A person named in a room event."""

    id: str
    name: str


def translate_join(
    room_id: str,
    topic: str | None,
    invitees: list[Member],
    inviter: Member | None,
    self_id: str,
    timestamp: float,
) -> list[Incoming]:
    """One 'join' per newcomer; when the bot itself was added, one 'join' from whoever added it."""
    at = message_time(timestamp)
    chat = ChatRef(PLATFORM, room_id, False)
    events: list[Incoming] = []
    for invitee in invitees:
        bot_joined = invitee.id == self_id
        sender = inviter if bot_joined and inviter is not None else invitee
        events.append(
            Incoming(
                platform=PLATFORM,
                chat=chat,
                sender_id=sender.id,
                sender_name=sender.name or sender.id,
                text="",
                message_id=f"join:{room_id}:{invitee.id}:{int(timestamp)}",
                at=at,
                chat_title=topic,
                mentions_bot=bot_joined,
                kind="join",
            )
        )
    return events


def translate_leave(
    room_id: str, topic: str | None, leavers: list[Member], self_id: str, timestamp: float
) -> list[Incoming]:
    """One 'leave' per person who left or was removed (mentions_bot when it is the bot)."""
    return [
        Incoming(
            platform=PLATFORM,
            chat=ChatRef(PLATFORM, room_id, False),
            sender_id=leaver.id,
            sender_name=leaver.name or leaver.id,
            text="",
            message_id=f"leave:{room_id}:{leaver.id}:{int(timestamp)}",
            at=message_time(timestamp),
            chat_title=topic,
            mentions_bot=leaver.id == self_id,
            kind="leave",
        )
        for leaver in leavers
    ]


def translate_topic(room_id: str, new_topic: str, changer: Member, timestamp: float) -> Incoming:
    """A room renamed: kind 'topic' with the new name as text."""
    return Incoming(
        platform=PLATFORM,
        chat=ChatRef(PLATFORM, room_id, False),
        sender_id=changer.id,
        sender_name=changer.name or changer.id,
        text=new_topic,
        message_id=f"topic:{room_id}:{int(timestamp)}",
        at=message_time(timestamp),
        chat_title=new_topic,
        kind="topic",
    )


_TASK_REF = re.compile(r":(\d+)\Z")


def render_text(reply: Reply) -> str:
    """The reply as WeChat text: buttons become one '（回复：我来 #12 / 取消 #12）' hint line."""
    text = reply.text.rstrip()
    forms: list[str] = []
    for button in reply.buttons:
        if button.action.startswith("open:"):
            continue  # WeChat has no deep links; the hint's words say what to do
        form = button.label.strip()
        ref = _TASK_REF.search(button.action)
        if ref is not None and not re.search(r"[#＃]\s*\d", form):
            form = f"{form} #{ref.group(1)}"
        if form and form not in text and form not in forms:
            forms.append(form)
    if forms:
        hint = f"（回复：{' / '.join(forms)}）"
        text = f"{text}\n{hint}" if text else hint
    return text


# ---------------------------------------------------------------------------------------------
# The platform


class _Offline(Exception):
    """The puppet service is not connected (or the account is logged out) right now."""


class _Fresh:
    """A small time-limited cache of contact and room details, dropped on room events and reconnects."""

    def __init__(self, ttl: float = 60.0) -> None:
        self._ttl = ttl
        self._items: dict[tuple[str, ...], tuple[float, Any]] = {}

    def get(self, key: tuple[str, ...]) -> Any:
        item = self._items.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        return item[1]

    def put(self, key: tuple[str, ...], value: Any) -> None:
        if len(self._items) > 20_000:
            self._items.clear()
        self._items[key] = (time.monotonic() + self._ttl, value)

    def forget_room(self, room_id: str) -> None:
        for key in [k for k in self._items if room_id in k]:
            del self._items[key]

    def clear(self) -> None:
        self._items.clear()


class WechatPlatform:
    """WeChat rooms and private chats through a wechaty puppet service (gRPC).

    It talks to the service with python-wechaty's ``PuppetService`` directly.  The ``Wechaty``
    user classes (``Contact``, ``Room``) keep process-wide pools bound to the first connection:
    after a reconnect they would call a closed channel, and room topics and names never refresh.
    """

    name = PLATFORM
    can_edit = False

    def __init__(self, config: WechatConfig) -> None:
        self._config = config
        self._dispatch: Dispatch | None = None
        self._puppet: Any = None
        self._runner: asyncio.Task[None] | None = None
        self._reader: asyncio.Task[None] | None = None
        self._events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        self._online = asyncio.Event()
        self._self_id: str | None = None
        self._self_name: str | None = None
        self._attempt = 0
        self._next_attempt_at = 0.0
        self._stopping = False
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._delivered: OrderedDict[str, str] = OrderedDict()
        self._lanes: dict[str, asyncio.Task[None]] = {}
        self._cache = _Fresh()
        self.quotes = QuoteIndex()

    # -- lifetime -----------------------------------------------------------------------

    async def start(self, dispatch: Dispatch) -> None:
        """Connects to the puppet service in the background; returns once logged in (or after a wait)."""
        if self._runner is not None:
            return
        _install_wechaty_shims()
        self._dispatch = dispatch
        self._stopping = False
        self._reader = asyncio.create_task(self._read_events(), name="wechat-events")
        self._runner = asyncio.create_task(self._serve_forever(), name="wechat-connection")
        try:
            await asyncio.wait_for(self._online.wait(), START_WAIT_SECONDS)
        except TimeoutError:
            log.warning(
                "wechat: not logged in yet at %s; still trying in the background", self._config.endpoint
            )

    async def stop(self) -> None:
        """Stops reconnecting, lets messages already read finish dispatching, closes the connection."""
        self._stopping = True
        self._online.clear()
        for task in (self._runner, self._reader):
            if task is not None:
                task.cancel()
        for task in (self._runner, self._reader):
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        self._runner = self._reader = None
        lanes = list(self._lanes.values())
        if lanes:
            await asyncio.wait(lanes, timeout=10)
        self._close_channel()

    # -- sending --------------------------------------------------------------------------

    async def send(self, reply: Reply, idempotency_key: str) -> str | None:
        """Says the reply in the room or private chat; raises PlatformError while disconnected."""
        done = self._delivered.get(idempotency_key)
        if done is not None:
            return done
        text = render_text(reply)
        if not text:
            log.warning("wechat: nothing to say to %s; skipped", reply.chat.chat_id)
            return None
        puppet = self._puppet_if_online()
        from grpclib.const import Status
        from grpclib.exceptions import GRPCError, StreamTerminatedError

        try:
            sent_id = await asyncio.wait_for(
                puppet.message_send_text(conversation_id=reply.chat.chat_id, message=text),
                SEND_TIMEOUT_SECONDS,
            )
        except TimeoutError:
            raise PlatformError(
                "wechat: the puppet service did not answer in time", retry_after=5.0
            ) from None
        except GRPCError as exc:
            detail = f"{exc.status.name}: {exc.message or ''}"
            permanent = exc.status in (Status.NOT_FOUND, Status.PERMISSION_DENIED, Status.INVALID_ARGUMENT)
            if permanent or re.search(r"not exist|not found|no payload", exc.message or "", re.I):
                raise Unreachable(f"wechat: cannot send to {reply.chat.chat_id}: {detail}") from exc
            raise PlatformError(f"wechat: send failed: {detail}", retry_after=self._retry_after()) from exc
        except (StreamTerminatedError, ConnectionError, OSError) as exc:
            raise PlatformError(f"wechat: connection lost while sending: {exc}", self._retry_after()) from exc
        message_id = str(sent_id) if sent_id else f"wx-{uuid.uuid4().hex}"
        if reply.image:
            await self._send_image(puppet, reply.chat.chat_id, reply.image)
        if reply.card_of is not None:
            self.quotes.remember(reply.chat.chat_id, text, message_id)
        self._delivered[idempotency_key] = message_id
        while len(self._delivered) > 10_000:
            self._delivered.popitem(last=False)
        return message_id

    async def _send_image(self, puppet: Any, conversation_id: str, path: str) -> None:
        """Sends the picture after its text; if the puppet cannot, the text has still gone out."""
        from wechaty_puppet import FileBox

        try:
            await asyncio.wait_for(
                puppet.message_send_file(conversation_id=conversation_id, file=FileBox.from_file(path)),
                SEND_TIMEOUT_SECONDS,
            )
        except Exception as exc:  # a picture is a bonus: never fail (and so repeat) the text for it
            log.warning("wechat: image %s not sent to %s: %s", path, conversation_id, exc)

    def remember(self, chat: ChatRef, text: str, message_id: str) -> None:
        """Teaches the quote index a card sent before a restart, so quotes of it resolve to its id."""
        self.quotes.remember(chat.chat_id, text, message_id)

    def _puppet_if_online(self) -> Any:
        """The connected puppet, or PlatformError so the outbox retries after the reconnect."""
        if self._puppet is None or not self._online.is_set():
            raise PlatformError(
                "wechat: not connected to the puppet service", retry_after=self._retry_after()
            )
        return self._puppet

    def _retry_after(self) -> float:
        """Seconds until it is worth trying again: just after the next reconnect attempt."""
        return min(30.0, max(1.0, self._next_attempt_at - time.monotonic() + 1.0))

    # -- connection -------------------------------------------------------------------------

    async def _serve_forever(self) -> None:
        """Connects, serves until the stream breaks, waits with exponential back-off and jitter, repeats."""
        while not self._stopping:
            try:
                await self._serve_once()
                log.warning("wechat: the puppet service closed the event stream")
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                level = logging.WARNING if self._attempt < 2 or self._attempt % 10 == 0 else logging.INFO
                log.log(level, "wechat: connection to %s failed: %s", self._config.endpoint, _describe(exc))
            finally:
                self._online.clear()
                self._close_channel()
            if self._stopping:
                break
            self._attempt += 1
            delay = min(RECONNECT_MAX_SECONDS, RECONNECT_BASE_SECONDS * 2 ** (self._attempt - 1))
            delay = random.uniform(delay / 2, delay)
            self._next_attempt_at = time.monotonic() + delay
            log.info("wechat: reconnecting in %.1fs (attempt %d)", delay, self._attempt)
            await asyncio.sleep(delay)

    async def _serve_once(self) -> None:
        """One connection: probe, start the puppet, then pump its event stream until it ends."""
        from wechaty_puppet import PuppetOptions
        from wechaty_puppet_service import PuppetService

        host, _, port = self._config.endpoint.rpartition(":")
        # PuppetService probes the endpoint with a blocking telnetlib call; probe without blocking first.
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(host.strip("[]"), int(port)), CONNECT_TIMEOUT_SECONDS
        )
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
        self._cache.clear()
        puppet = PuppetService(PuppetOptions(end_point=self._config.endpoint, token=self._config.token))
        self._puppet = puppet
        self._listen(puppet)
        # start() asks the service to restart the puppet, then reads the event stream until it ends.
        stream = asyncio.create_task(puppet.start(), name="wechat-stream")
        watchdog = asyncio.create_task(self._watchdog(puppet, stream), name="wechat-watchdog")
        try:
            await stream
        finally:
            watchdog.cancel()
            stream.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await stream

    def _listen(self, puppet: Any) -> None:
        """Queues the puppet's events in arrival order; one reader handles them."""
        for event in ("message", "login", "logout", "room-join", "room-leave", "room-topic"):
            puppet.on(event, lambda payload, event=event: self._events.put_nowait((event, payload)))
        puppet.on("scan", self._on_scan)
        puppet.on(
            "error",
            lambda payload: log.warning("wechat: puppet error: %s", getattr(payload, "data", payload)),
        )

    async def _watchdog(self, puppet: Any, stream: asyncio.Task[None]) -> None:
        """Pings the service now and then; a dead connection that never reset gets torn down."""
        while True:
            await asyncio.sleep(WATCHDOG_SECONDS)
            try:
                await asyncio.wait_for(puppet.ding("linli"), RPC_TIMEOUT_SECONDS)
            except Exception as exc:
                log.warning("wechat: the puppet service stopped answering (%s); reconnecting", _describe(exc))
                stream.cancel()
                return

    def _close_channel(self) -> None:
        """Drops the gRPC channel without asking the service to stop the puppet."""
        puppet, self._puppet = self._puppet, None
        channel = getattr(puppet, "channel", None)
        if puppet is not None and channel is not None:
            with contextlib.suppress(Exception):
                channel.close()
            puppet.channel = None

    def _on_scan(self, payload: Any) -> None:
        """A real account needs its QR code scanned in WeChat; show where to find it."""
        qrcode = getattr(payload, "qrcode", None) or ""
        if qrcode:
            from urllib.parse import quote

            log.warning("wechat: scan to log in: https://wechaty.js.org/qrcode/%s", quote(qrcode, safe=""))
        else:
            log.info("wechat: scan status %s", getattr(payload, "status", "?"))

    # -- incoming -------------------------------------------------------------------------------

    async def _read_events(self) -> None:
        """Handles queued puppet events one by one, so messages keep their order."""
        while True:
            event, payload = await self._events.get()
            try:
                await self._handle_event(event, payload)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("wechat: could not read a %s event", event)

    async def _handle_event(self, event: str, payload: Any) -> None:
        """Reads one puppet event and hands what it means to Linli."""
        if event == "login":
            await self._on_login(payload.contact_id)
        elif event == "logout":
            self._online.clear()
            log.warning("wechat: the account %s was logged out; waiting for a new login", payload.contact_id)
        elif event == "message":
            await self._with_retries(self._on_message, payload.message_id)
        elif event == "room-join":
            await self._with_retries(self._on_room_join, payload)
        elif event == "room-leave":
            await self._with_retries(self._on_room_leave, payload)
        elif event == "room-topic":
            await self._with_retries(self._on_room_topic, payload)

    async def _with_retries(self, read: Any, payload: Any) -> None:
        """Reads an event's details, waiting for a reconnect if the connection drops meanwhile."""
        from grpclib.exceptions import StreamTerminatedError

        for attempt in range(3):
            try:
                await asyncio.wait_for(read(payload), RPC_TIMEOUT_SECONDS)
                return
            except (_Offline, StreamTerminatedError, ConnectionError, OSError, TimeoutError) as exc:
                log.info("wechat: reading an event failed (%s); retrying after reconnect", _describe(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._online.wait(), 60 * (attempt + 1))
        log.error("wechat: gave up reading an event after 3 attempts: %r", payload)

    def _puppet_for_reading(self) -> Any:
        if self._puppet is None or not self._online.is_set():
            raise _Offline
        return self._puppet

    async def _on_login(self, contact_id: str) -> None:
        """The account is usable: remember who the bot is, reset the back-off, let sends through."""
        again = self._online.is_set() and self._self_id == contact_id
        self._self_id = contact_id
        if self._puppet is not None:
            contact = await asyncio.wait_for(self._puppet.contact_payload(contact_id), RPC_TIMEOUT_SECONDS)
            self._self_name = contact.name or None
        self._attempt = 0
        self._online.set()
        if not again:
            log.info("wechat: logged in as %s (%s)", self._self_name, contact_id)

    def _bot_names(self) -> list[str]:
        return [n for n in (self._config.name, self._self_name) if n]

    def _fresh(self, key: str) -> bool:
        """False for an event already seen (puppets sometimes deliver one message two or three times)."""
        if key in self._seen:
            return False
        self._seen[key] = None
        while len(self._seen) > 20_000:
            self._seen.popitem(last=False)
        return True

    async def _on_message(self, message_id: str) -> None:
        if message_id in self._seen:
            return
        puppet = self._puppet_for_reading()
        payload = await puppet.message_payload(message_id)
        facts = await self._read_facts(payload)
        if not self._fresh(message_id):
            return
        names = self._bot_names()
        if facts.room_id and "@" in facts.text:
            alias = await self._room_alias(facts.room_id, self._self_id)
            if alias:
                names.append(alias)
        incoming = translate_message(facts, names, self.quotes)
        if incoming is not None:
            self._deliver(incoming)

    async def _read_facts(self, payload: Any) -> MessageFacts:
        """Collects the few things translation needs about a message payload from the puppet."""
        talker_id = payload.from_id or ""
        room_id = payload.room_id or ""
        from_self = bool(self._self_id) and talker_id == self._self_id
        talker_name = ""
        topic = None
        if talker_id and not from_self:
            talker_name = (await self._member(talker_id)).name
        if room_id:
            topic = await self._room_topic(room_id)
            if talker_id and not from_self:
                talker_name = await self._room_alias(room_id, talker_id) or talker_name
        return MessageFacts(
            message_id=payload.id,
            type=int(payload.type),
            text=payload.text or "",
            talker_id=talker_id,
            talker_name=talker_name,
            room_id=room_id,
            room_topic=topic,
            timestamp=float(payload.timestamp or 0),
            mentions_self=bool(self._self_id) and self._self_id in (payload.mention_ids or []),
            from_self=from_self,
        )

    async def _member(self, contact_id: str) -> Member:
        """A contact's id and WeChat name (the id when the puppet does not know them)."""
        cached = self._cache.get(("contact", contact_id))
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        try:
            payload = await self._puppet_for_reading().contact_payload(contact_id)
            member = Member(contact_id, payload.name or contact_id)
        except _Offline:
            raise
        except Exception as exc:
            log.debug("wechat: no contact details for %s: %s", contact_id, _describe(exc))
            return Member(contact_id, contact_id)
        self._cache.put(("contact", contact_id), member)
        return member

    async def _room_topic(self, room_id: str) -> str | None:
        """The room's current name (群名)."""
        cached = self._cache.get(("room", room_id))
        if cached is not None:
            return cached or None
        payload = await self._puppet_for_reading().room_payload(room_id)
        topic = payload.topic or ""
        self._cache.put(("room", room_id), topic)
        return topic or None

    async def _room_alias(self, room_id: str, contact_id: str | None) -> str | None:
        """Someone's 群昵称 in a room, if they set one."""
        if not contact_id:
            return None
        cached = self._cache.get(("alias", room_id, contact_id))
        if cached is not None:
            return cached or None
        try:
            member = await self._puppet_for_reading().room_member_payload(
                room_id=room_id, contact_id=contact_id
            )
        except _Offline:
            raise
        except Exception as exc:
            log.debug("wechat: no room alias for %s in %s: %s", contact_id, room_id, _describe(exc))
            return None
        alias = (getattr(member, "room_alias", "") or "").strip()
        self._cache.put(("alias", room_id, contact_id), alias)
        return alias or None

    async def _on_room_join(self, payload: Any) -> None:
        self._puppet_for_reading()
        if not self._fresh(f"join:{payload.room_id}:{','.join(payload.invited_ids)}:{payload.timestamp}"):
            return
        self._cache.forget_room(payload.room_id)
        topic = await self._room_topic(payload.room_id)
        invitees = [await self._member(i) for i in payload.invited_ids]
        inviter = await self._member(payload.inviter_id) if payload.inviter_id else None
        for incoming in translate_join(
            payload.room_id, topic, invitees, inviter, self._self_id or "", float(payload.timestamp or 0)
        ):
            self._deliver(incoming)

    async def _on_room_leave(self, payload: Any) -> None:
        self._puppet_for_reading()
        if not self._fresh(f"leave:{payload.room_id}:{','.join(payload.removed_ids)}:{payload.timestamp}"):
            return
        self._cache.forget_room(payload.room_id)
        topic = None
        with contextlib.suppress(Exception):
            topic = await self._room_topic(payload.room_id)
        leavers = [await self._member(i) for i in payload.removed_ids]
        for incoming in translate_leave(
            payload.room_id, topic, leavers, self._self_id or "", float(payload.timestamp or 0)
        ):
            self._deliver(incoming)

    async def _on_room_topic(self, payload: Any) -> None:
        self._puppet_for_reading()
        if not self._fresh(f"topic:{payload.room_id}:{payload.timestamp}"):
            return
        self._cache.forget_room(payload.room_id)
        self._cache.put(("room", payload.room_id), payload.new_topic or "")
        changer = await self._member(payload.changer_id)
        self._deliver(
            translate_topic(payload.room_id, payload.new_topic, changer, float(payload.timestamp or 0))
        )

    def _deliver(self, incoming: Incoming) -> None:
        """Dispatches in order within a chat; different chats are handled side by side."""
        key = incoming.chat.chat_id
        log.debug(
            "wechat: %s from %s (%s) in %s (%s)",
            incoming.kind,
            incoming.sender_name,
            incoming.sender_id,
            "private chat" if incoming.chat.private else incoming.chat_title,
            key,
        )
        previous = self._lanes.get(key)
        task = asyncio.create_task(self._dispatch_after(previous, incoming), name=f"wechat-dispatch-{key}")
        self._lanes[key] = task

        def forget(done: asyncio.Task[None]) -> None:
            if self._lanes.get(key) is done:
                del self._lanes[key]

        task.add_done_callback(forget)

    async def _dispatch_after(self, previous: asyncio.Task[None] | None, incoming: Incoming) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        assert self._dispatch is not None
        try:
            await self._dispatch(incoming)
        except Exception:
            log.exception("wechat: dispatching %s/%s failed", incoming.chat.chat_id, incoming.message_id)


def _describe(exc: BaseException) -> str:
    """A one-line description of an exception for logs."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


__all__ = [
    "Member",
    "MessageFacts",
    "Quote",
    "QuoteIndex",
    "WechatConfig",
    "WechatPlatform",
    "WxType",
    "mentions_name",
    "parse_quote",
    "render_text",
    "strip_mentions",
    "translate_join",
    "translate_leave",
    "translate_message",
    "translate_topic",
    "wechat_config",
]
