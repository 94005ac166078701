"""Telegram adapter: Bot API updates become Incoming values, Replies become Bot API calls.

The adapter only translates.  It long-polls ``getUpdates`` itself (or serves a
webhook) so that an update is confirmed to Telegram only after ``dispatch`` has
stored and handled it: a crash between fetching and storing means Telegram
delivers the update again, and Linli's inbox drops the duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import random
import re
import warnings
from collections import OrderedDict
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, MessageLimit
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, ExtBot

from bot.platforms.base import Dispatch, PlatformError, Unreachable
from storage.models import ChatRef, Incoming, Reply

if TYPE_CHECKING:
    from telegram import Bot

log = logging.getLogger(__name__)
T = TypeVar("T")

PLATFORM = "telegram"
ALLOWED_UPDATES = ("message", "callback_query")
POLL_TIMEOUT = 10
"""Seconds one getUpdates long poll may wait on the server."""
DISPATCH_ATTEMPTS = 8
"""A failing dispatch is retried this often (back-off up to a minute) before the update is skipped."""
STOP_GRACE = 10.0
"""Seconds stop() lets the update being handled finish before cancelling it."""
MAX_BACKOFF = 60.0
_REMEMBERED_KEYS = 2048

COMMANDS: dict[str | None, tuple[tuple[str, str], ...]] = {
    None: (
        ("need", "发布求助:/need 明天上午帮忙买菜"),
        ("passbook", "我的爱心存折"),
        ("register", "登记成为志愿者"),
        ("help", "怎么用邻里互助"),
        ("lang", "切换语言:/lang en | zh-Hant"),
        ("bind", "绑定楼栋(社区工作人员):/bind 3号楼"),
        ("assign", "改派任务(社区工作人员):/assign 3 李四"),
    ),
    "en": (
        ("need", "Ask for help: /need groceries tomorrow morning"),
        ("passbook", "My love-bank passbook"),
        ("register", "Register as a volunteer"),
        ("help", "How Linli works"),
        ("lang", "Change language: /lang zh-Hans | zh-Hant"),
        ("bind", "Bind this group to a building (staff): /bind 3号楼"),
        ("assign", "Reassign a task (staff): /assign 3 Li Si"),
    ),
}
"""The command menu, shown in Simplified Chinese by default and in English to English clients."""

_NOT_MODIFIED = "message is not modified"
_EDIT_TARGET_GONE = ("message to edit not found", "message can't be edited", "message_id_invalid")
_UNREACHABLE = (
    "chat not found",
    "peer_id_invalid",
    "group chat was deactivated",
    "user is deactivated",
    "bot was kicked",
    "bot was blocked",
    "not a member",
    "have no rights to send",
    "not enough rights to send",
    "chat_write_forbidden",
    "need administrator rights",
)


@dataclass(frozen=True)
class TelegramConfig:
    """The ``[telegram]`` section of the config file."""

    token: str
    base_url: str | None = None
    webhook_url: str | None = None
    listen: str = "0.0.0.0:8443"
    poll_interval: float = 0.0

    def __repr__(self) -> str:
        return f"TelegramConfig(token='{self.token.split(':')[0]}:***', base_url={self.base_url!r}, " + (
            f"webhook_url={self.webhook_url!r}, listen={self.listen!r}, poll_interval={self.poll_interval!r})"
        )

    @property
    def listen_address(self) -> tuple[str, int]:
        """Host and port the webhook server binds to."""
        host, _, port = self.listen.rpartition(":")
        return host.strip("[]") or "0.0.0.0", int(port)


_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_CONFIG_KEYS = ("token", "base_url", "webhook_url", "listen", "poll_interval")


def _config_error(key: str, problem: str) -> ValueError:
    """A ValueError naming the key, as ``wechat_config`` raises; bot/config.py makes it a ConfigError."""
    return ValueError(f"telegram.{key}: {problem}")


def telegram_config(section: dict[str, object]) -> TelegramConfig:
    """Validates the ``[telegram]`` section and returns it as a TelegramConfig."""
    for key in section:
        if key not in _CONFIG_KEYS:
            raise _config_error(key, f"unknown setting; expected one of {', '.join(_CONFIG_KEYS)}")
    token = section.get("token")
    if not isinstance(token, str) or not _TOKEN.match(token.strip()):
        raise _config_error("token", "must be the bot token from @BotFather, like '123456:ABC-def'")
    urls: dict[str, str | None] = {}
    for key in ("base_url", "webhook_url"):
        value = section.get(key)
        if value is None or value == "":
            urls[key] = None
            continue
        if (
            not isinstance(value, str)
            or urlsplit(value).scheme not in ("http", "https")
            or not urlsplit(value).netloc
        ):
            raise _config_error(key, "must be an http:// or https:// URL")
        urls[key] = value
    listen = section.get("listen", "0.0.0.0:8443")
    if not isinstance(listen, str) or not re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[^:\s]*):\d{1,5}", listen):
        raise _config_error("listen", "must be 'host:port', like '0.0.0.0:8443'")
    if not 0 < int(listen.rpartition(":")[2]) < 65536:
        raise _config_error("listen", "port must be between 1 and 65535")
    interval = section.get("poll_interval", 0.0)
    if isinstance(interval, bool) or not isinstance(interval, int | float) or interval < 0:
        raise _config_error("poll_interval", "must be a number of seconds, 0 or more")
    return TelegramConfig(
        token=token.strip(),
        base_url=urls["base_url"],
        webhook_url=urls["webhook_url"],
        listen=listen,
        poll_interval=float(interval),
    )


# ---------------------------------------------------------------------------------------------
# Native update -> Incoming


def to_incoming(update: Update, bot_id: int, bot_username: str) -> Incoming | None:
    """Translates one update into what Linli understands, or None when Linli should not see it."""
    if update.callback_query is not None:
        return _button(update.callback_query)
    message = update.message
    if message is None:  # edited messages, channel posts, membership updates, ...
        return None
    return _message(message, bot_id, bot_username)


def _button(query: CallbackQuery) -> Incoming | None:
    """A pressed inline button under one of the bot's messages."""
    card = query.message
    if card is None or query.data is None or query.from_user.is_bot:
        return None
    user = query.from_user
    return Incoming(
        platform=PLATFORM,
        chat=_chat_ref(card.chat.id, card.chat.type, user.id),
        sender_id=str(user.id),
        sender_name=user.full_name,
        text="",
        message_id=f"cb:{query.id}",
        at=datetime.now(UTC),
        reply_to=str(card.message_id),
        chat_title=card.chat.title,
        action=query.data,
        kind="button",
    )


def _message(message: Message, bot_id: int, bot_username: str) -> Incoming | None:
    """A message in a group or a private chat, including the service messages Linli acts on."""
    chat = message.chat
    user = message.from_user
    if chat.type == ChatType.CHANNEL or user is None or user.is_bot or message.sender_chat is not None:
        return None
    kind, text = _kind_and_text(message, bot_id)
    if kind is None:
        return None
    entities = message.parse_entities() if message.text else message.parse_caption_entities()
    mentions = _mentions(text, entities, bot_id, bot_username)
    if kind == "text":
        text = _strip_own_address(text, bot_username)
    reply_to = message.reply_to_message
    return Incoming(
        platform=PLATFORM,
        chat=_chat_ref(chat.id, chat.type, user.id),
        sender_id=str(user.id),
        sender_name=user.full_name,
        text=text,
        message_id=str(message.message_id),
        at=_aware(message.date),
        reply_to=str(reply_to.message_id) if reply_to is not None else None,
        chat_title=message.new_chat_title or chat.title,
        mentions_bot=mentions,
        kind=kind,
    )


def _kind_and_text(message: Message, bot_id: int) -> tuple[str | None, str]:
    """Names what the message is; service messages that concern nobody give (None, '')."""
    if message.new_chat_members:
        return ("join", "") if any(m.id == bot_id for m in message.new_chat_members) else (None, "")
    if message.group_chat_created or message.supergroup_chat_created:
        return "join", ""
    if message.left_chat_member is not None:
        return ("leave", "") if message.left_chat_member.id == bot_id else (None, "")
    if message.new_chat_title:
        return "topic", message.new_chat_title
    if message.migrate_to_chat_id:
        return "migrate", str(message.migrate_to_chat_id)
    if message.text is not None:
        return "text", message.text
    caption = message.caption or ""
    if message.photo or message.sticker:
        return "image", caption
    if message.voice or message.video_note:
        return "voice", caption
    if _is_service(message):
        return None, ""
    return "other", caption


def _is_service(message: Message) -> bool:
    """True for service messages (pins, photo changes, migrations from) that carry no user content."""
    return bool(
        message.migrate_from_chat_id
        or message.pinned_message
        or message.new_chat_photo
        or message.delete_chat_photo
        or message.message_auto_delete_timer_changed
        or message.forum_topic_created
        or message.forum_topic_edited
        or message.forum_topic_closed
        or message.forum_topic_reopened
        or message.video_chat_started
        or message.video_chat_ended
        or message.video_chat_scheduled
        or message.video_chat_participants_invited
    )


def _mentions(text: str, entities: dict[MessageEntity, str], bot_id: int, bot_username: str) -> bool:
    """True when the message names this bot by @username or by a text mention."""
    handle = f"@{bot_username}".casefold()
    for entity, fragment in entities.items():
        if entity.type == MessageEntity.MENTION and fragment.casefold() == handle:
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == bot_id:
            return True
    if not entities and bot_username:
        return re.search(rf"@{re.escape(bot_username)}(?![A-Za-z0-9_])", text, re.I) is not None
    return False


def _strip_own_address(text: str, bot_username: str) -> str:
    """Turns '/cmd@ThisBot rest' into '/cmd rest'; commands addressed to other bots stay as they are."""
    if not bot_username or not text.startswith("/"):
        return text
    return re.sub(rf"^(/[^\s@]+)@{re.escape(bot_username)}(?=\s|$)", r"\1", text, count=1, flags=re.I)


def _chat_ref(chat_id: int, chat_type: str, user_id: int) -> ChatRef:
    """Groups keep their chat id; a private chat is named by the user's id."""
    if chat_type == ChatType.PRIVATE:
        return ChatRef(PLATFORM, str(user_id), True)
    return ChatRef(PLATFORM, str(chat_id), False)


def _aware(moment: datetime) -> datetime:
    """Telegram dates are UTC; make sure they carry their timezone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------------------------
# Errors


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def platform_error(exc: TelegramError) -> PlatformError:
    """Maps a Bot API error to a retryable PlatformError or to Unreachable."""
    if isinstance(exc, RetryAfter):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            delay = _seconds(exc.retry_after)
        return PlatformError(f"telegram flood control: {exc.message}", retry_after=delay)
    if isinstance(exc, ChatMigrated):
        return Unreachable(f"telegram group became supergroup {exc.new_chat_id}")
    if isinstance(exc, Forbidden):
        return Unreachable(f"telegram: {exc.message}")
    if isinstance(exc, BadRequest) and any(words in exc.message.lower() for words in _UNREACHABLE):
        return Unreachable(f"telegram: {exc.message}")
    return PlatformError(f"telegram: {type(exc).__name__}: {exc.message}")


def _is_bad_request(exc: TelegramError, phrases: tuple[str, ...]) -> bool:
    return isinstance(exc, BadRequest) and any(phrase in exc.message.lower() for phrase in phrases)


# ---------------------------------------------------------------------------------------------
# Reply -> Bot API


def _markup(reply: Reply, bot_username: str = "") -> InlineKeyboardMarkup | None:
    """One row of inline buttons: callback data is the action; ``open:X`` becomes a deep link."""
    row = []
    for button in reply.buttons:
        if button.action.startswith("open:"):
            if bot_username:  # t.me/<bot>?start=X opens the private chat and sends "/start X"
                link = f"https://t.me/{bot_username}?start={button.action[5:]}"
                row.append(InlineKeyboardButton(button.label, url=link))
        else:
            row.append(InlineKeyboardButton(button.label, callback_data=button.action))
    return InlineKeyboardMarkup([row]) if row else None


def _chat_id(chat: ChatRef) -> int | str:
    try:
        return int(chat.chat_id)
    except ValueError:
        return chat.chat_id


def _message_id(value: str | None) -> int | None:
    """A Telegram message id, or None for ids that are not messages (button presses, absent)."""
    return int(value) if value is not None and value.isdigit() else None


def _chunks(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Splits text longer than one Telegram message at line breaks (or hard, when a line is too long)."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) > limit:
            parts.append(current)
            current = ""
        current += line
    if current:
        parts.append(current)
    return parts


def _backoff(attempt: int) -> float:
    """Exponential back-off with jitter, capped at a minute (errbot serve_forever style)."""
    return min(MAX_BACKOFF, 2.0 ** min(attempt, 6)) * random.uniform(0.5, 1.0)


# ---------------------------------------------------------------------------------------------
# The platform


class TelegramPlatform:
    """Linli on Telegram: long polling (or a webhook), inline buttons, editable cards."""

    name = PLATFORM
    can_edit = True

    def __init__(self, config: TelegramConfig) -> None:
        self.config = config
        self._app: Application | None = None  # type: ignore[type-arg]
        self._dispatch: Dispatch | None = None
        self._bot_id = int(config.token.split(":", 1)[0])
        self._bot_username = ""
        self._runner: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._webhook: asyncio.Server | None = None
        self._connections: dict[asyncio.Task[None], bool] = {}
        """Open webhook connections, each with whether it is handling a request right now."""
        self._sent: OrderedDict[str, str] = OrderedDict()
        self._ready = asyncio.Event()

    @property
    def bot(self) -> ExtBot[None]:
        """The Bot API client, once started."""
        if self._app is None:
            raise PlatformError("telegram platform is not started")
        return self._app.bot  # type: ignore[no-any-return]

    async def start(self, dispatch: Dispatch) -> None:
        """Connects and starts delivering updates; keeps retrying in the background while offline."""
        if self._app is not None:
            return
        self._dispatch = dispatch
        self._stopping.clear()
        builder = Application.builder().token(self.config.token).updater(None).job_queue(None)
        if self.config.base_url:
            builder = builder.base_url(self.config.base_url)
        self._app = builder.build()
        try:
            await self._connect()
        except InvalidToken:
            self._app = None
            raise
        except TelegramError as exc:
            log.warning("telegram: cannot reach the Bot API yet (%s); retrying in the background", exc)
        self._runner = asyncio.create_task(self._run(), name="telegram-updates")
        self._runner.add_done_callback(_log_crash)

    async def _connect(self) -> None:
        """Initializes the application (getMe) and publishes the command menu."""
        app = self._app
        assert app is not None
        await app.initialize()
        if not app.running:
            await app.start()
        me = app.bot.bot
        self._bot_id, self._bot_username = me.id, me.username or ""
        log.info("telegram: connected as @%s (%s)", self._bot_username, self._bot_id)
        await self._publish_commands()
        self._ready.set()

    async def _publish_commands(self) -> None:
        """Sets the command menu in Chinese (default) and English; a failure only costs the menu."""
        for language, commands in COMMANDS.items():
            try:
                await self.bot.set_my_commands(
                    [BotCommand(c, d) for c, d in commands], language_code=language
                )
            except TelegramError as exc:
                log.warning("telegram: could not set the %s command menu: %s", language or "default", exc)

    async def _run(self) -> None:
        """Finishes connecting if needed, then receives updates until stopped."""
        attempt = 0
        while not self._ready.is_set():
            attempt += 1
            await self._sleep(_backoff(attempt))
            if self._stopping.is_set():
                return
            try:
                await self._connect()
            except TelegramError as exc:
                log.warning("telegram: still cannot reach the Bot API (%s)", exc)
        if self.config.webhook_url:
            await self._serve_webhook()
        else:
            await self._poll()

    async def _sleep(self, seconds: float) -> None:
        """Sleeps, waking early when stop() is called."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    # -- polling ---------------------------------------------------------------------------

    async def _poll(self) -> None:
        """Long-polls getUpdates; an update is confirmed (offset advanced) only after dispatch resolves."""
        bot = self.bot
        try:
            await bot.delete_webhook(drop_pending_updates=False)
        except TelegramError as exc:
            log.warning("telegram: could not remove a webhook before polling: %s", exc)
        offset: int | None = None
        failures = 0
        while not self._stopping.is_set():
            try:
                updates = await self._unless_stopping(
                    bot.get_updates(offset=offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES)
                )
            except RetryAfter as exc:
                await self._sleep(platform_error(exc).retry_after or 1.0)
                continue
            except TelegramError as exc:
                failures += 1
                delay = _backoff(failures)
                log.warning("telegram: getUpdates failed (%s); retrying in %.1fs", exc, delay)
                await self._sleep(delay)
                continue
            except Exception:  # an update PTB cannot read: keep polling, never die
                failures += 1
                log.exception("telegram: getUpdates returned something unreadable")
                await self._sleep(_backoff(failures))
                continue
            if updates is None:
                break
            failures = 0
            for update in updates:
                if self._stopping.is_set():
                    break
                await self._deliver(update, DISPATCH_ATTEMPTS)
                offset = update.update_id + 1
            if self.config.poll_interval:
                await self._sleep(self.config.poll_interval)
        if offset is not None:
            with contextlib.suppress(TelegramError):  # confirm what was handled, so a restart skips it
                await bot.get_updates(offset=offset, timeout=0, limit=1, allowed_updates=ALLOWED_UPDATES)

    async def _unless_stopping(self, fetch: Coroutine[object, object, T]) -> T | None:
        """Awaits ``fetch`` but gives up (None) as soon as stop() is called."""
        task = asyncio.ensure_future(fetch)
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            stopping.cancel()
        if task.done():
            return task.result()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, TelegramError):
            await task
        return None

    async def _deliver(self, update: Update, attempts: int) -> bool:
        """Hands one update to Linli, retrying a failing dispatch, then answers a button press.

        :return: False when dispatch still failed after ``attempts`` tries.
        """
        assert self._dispatch is not None
        try:
            incoming = to_incoming(update, self._bot_id, self._bot_username)
        except Exception:  # a shape PTB parsed but nobody foresaw: skip it rather than stop polling
            log.exception("telegram: cannot translate update %s", update.update_id)
            incoming = None
        if incoming is not None:
            log.debug(
                "telegram: update %s: %s %s from %s (%s) in %s",
                update.update_id,
                incoming.kind,
                incoming.message_id,
                incoming.sender_name,
                incoming.sender_id,
                incoming.chat.chat_id,
            )
        toast: str | None = None
        handled = True
        if incoming is not None:
            for attempt in range(1, attempts + 1):
                try:
                    toast = await self._dispatch(incoming)
                    break
                except Exception:
                    if attempt == attempts:
                        log.exception(
                            "telegram: dispatch of update %s failed %s times", update.update_id, attempt
                        )
                        handled = False
                        break
                    delay = _backoff(attempt)
                    log.exception(
                        "telegram: dispatch of update %s failed; retrying in %.1fs", update.update_id, delay
                    )
                    await asyncio.sleep(delay)
        if update.callback_query is not None:
            await self._answer(update.callback_query.id, toast)
        return handled

    async def _answer(self, callback_id: str, toast: str | None) -> None:
        """Stops the button's spinner, showing the toast if there is one."""
        try:
            await self.bot.answer_callback_query(callback_id, text=(toast or "")[:200] or None)
        except TelegramError as exc:
            log.info("telegram: could not answer button press %s: %s", callback_id, exc)

    # -- webhook ---------------------------------------------------------------------------

    @property
    def webhook_secret(self) -> str:
        """The secret Telegram echoes in every webhook request, derived from the token."""
        return hashlib.sha256(f"linli-webhook:{self.config.token}".encode()).hexdigest()[:48]

    async def _serve_webhook(self) -> None:
        """Serves the webhook; Telegram gets 200 only after dispatch resolves, else it delivers again."""
        assert self.config.webhook_url is not None
        host, port = self.config.listen_address
        failures = 0
        while self._webhook is None and not self._stopping.is_set():
            try:
                self._webhook = await asyncio.start_server(self._webhook_connection, host, port)
            except OSError as exc:
                failures += 1
                log.error("telegram: cannot listen on %s:%s for the webhook: %s", host, port, exc)
                await self._sleep(_backoff(failures))
        log.info("telegram: webhook listening on %s:%s", host, port)
        failures = 0
        while not self._stopping.is_set():
            try:
                await self.bot.set_webhook(
                    self.config.webhook_url, secret_token=self.webhook_secret, allowed_updates=ALLOWED_UPDATES
                )
                break
            except TelegramError as exc:
                failures += 1
                log.warning("telegram: setWebhook failed (%s); retrying", exc)
                await self._sleep(_backoff(failures))
        await self._stopping.wait()

    async def _webhook_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Answers HTTP/1.1 requests on one keep-alive connection from Telegram."""
        path = urlsplit(self.config.webhook_url or "").path or "/"
        me = asyncio.current_task()
        assert me is not None
        self._connections[me] = False
        try:
            while not self._stopping.is_set():
                try:
                    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 75)
                except (
                    TimeoutError,
                    asyncio.IncompleteReadError,
                    asyncio.LimitOverrunError,
                    ConnectionError,
                ):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, _, rest = lines[0].partition(" ")
                target = rest.rpartition(" ")[0]
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (line.partition(":") for line in lines[1:] if line)
                }
                length = int(headers.get("content-length", "0") or 0)
                if length > 2**20:
                    await _respond(writer, 413, "too large", close=True)
                    return
                self._connections[me] = True
                body = await reader.readexactly(length) if length else b""
                status, text = await self._webhook_request(method, target, path, headers, body)
                close = headers.get("connection", "").lower() == "close" or self._stopping.is_set()
                await _respond(writer, status, text, close=close)
                self._connections[me] = False
                if close:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            self._connections.pop(me, None)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _webhook_request(
        self, method: str, target: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, str]:
        """Checks one webhook request and hands its update to Linli; 200 means 'stored and handled'."""
        if urlsplit(target).path != path:
            return 404, "not found"
        if method != "POST":
            return 405, "method not allowed"
        if headers.get("x-telegram-bot-api-secret-token") != self.webhook_secret:
            return 403, "forbidden"
        try:
            update = Update.de_json(json.loads(body), self.bot)
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("telegram: unreadable webhook update: %s", exc)
            return 400, "bad update"
        if update is None:
            return 400, "bad update"
        if not await self._deliver(update, 1):
            return 500, "not handled yet"  # Telegram delivers it again later
        return 200, "ok"

    # -- lifecycle -------------------------------------------------------------------------

    async def stop(self) -> None:
        """Lets the update in hand finish, confirms it to Telegram and disconnects; idempotent."""
        self._stopping.set()
        runner, self._runner = self._runner, None
        if runner is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):  # a crash was logged by _log_crash
                await asyncio.wait_for(runner, STOP_GRACE)
        if self._webhook is not None:
            self._webhook.close()
            await self._close_connections()
            self._webhook = None
        app, self._app = self._app, None
        self._ready.clear()
        if app is not None:
            with contextlib.suppress(Exception):
                if app.running:
                    await app.stop()
            with contextlib.suppress(Exception):
                await app.shutdown()

    async def _close_connections(self) -> None:
        """Drops idle webhook connections and gives busy ones STOP_GRACE to answer."""
        for task, busy in list(self._connections.items()):
            if not busy:
                task.cancel()
        if self._connections:
            await asyncio.wait(list(self._connections), timeout=STOP_GRACE)
        for task in list(self._connections):
            task.cancel()

    # -- sending ---------------------------------------------------------------------------

    async def send(self, reply: Reply, idempotency_key: str) -> str | None:
        """Sends or edits one message and returns its Telegram message id."""
        if reply.toast:
            log.debug("telegram: toast %r is answered with its button press, not sent", reply.text)
            return None
        remembered = self._sent.get(idempotency_key)
        if remembered is not None:
            return remembered
        if not self._ready.is_set():
            raise PlatformError("telegram: not connected to the Bot API yet")
        bot = self.bot
        try:
            message_id = await self._send(bot, reply)
        except TelegramError as exc:
            raise platform_error(exc) from exc
        self._sent[idempotency_key] = message_id
        while len(self._sent) > _REMEMBERED_KEYS:
            self._sent.popitem(last=False)
        return message_id

    async def _send(self, bot: Bot, reply: Reply) -> str:
        """Edits the card in place when asked to; posts a new message otherwise (or when the card is gone)."""
        chat_id = _chat_id(reply.chat)
        target = _message_id(reply.reply_to)
        if reply.edit and target is not None:
            text = reply.text[: MessageLimit.MAX_TEXT_LENGTH]
            try:
                await bot.edit_message_text(
                    text, chat_id=chat_id, message_id=target, reply_markup=_markup(reply, self._bot_username)
                )
                return str(target)
            except BadRequest as exc:
                if _NOT_MODIFIED in exc.message.lower():
                    return str(target)
                if not _is_bad_request(exc, _EDIT_TARGET_GONE):
                    raise
                log.info(
                    "telegram: card %s in %s cannot be edited (%s); posting it again", target, chat_id, exc
                )
            target = None
        elif reply.edit:
            log.warning("telegram: edit without a message id (%r); posting instead", reply.reply_to)
        parts = _chunks(reply.text) if reply.text else [" "]
        sent: Message | None = None
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            sent = await bot.send_message(
                chat_id,
                part,
                reply_parameters=(
                    ReplyParameters(target, allow_sending_without_reply=True)
                    if target is not None and index == 0
                    else None
                ),
                reply_markup=_markup(reply, self._bot_username) if last else None,
            )
        assert sent is not None
        if reply.image:
            await self._send_image(bot, chat_id, reply.image)
        return str(sent.message_id)

    async def _send_image(self, bot: Bot, chat_id: int | str, path: str) -> None:
        """Sends the picture after its text; a missing file costs the picture, not the message."""
        try:
            photo = await asyncio.to_thread(Path(path).read_bytes)
        except OSError as exc:
            log.warning("telegram: image %s cannot be read (%s); sent the text alone", path, exc)
            return
        await bot.send_photo(chat_id, photo=photo)


def _log_crash(task: asyncio.Task[None]) -> None:
    """Makes sure a dying update loop is seen in the log at once, not only at stop()."""
    if not task.cancelled() and task.exception() is not None:
        log.error("telegram: the update loop stopped", exc_info=task.exception())


async def _respond(writer: asyncio.StreamWriter, status: int, text: str, *, close: bool) -> None:
    """Writes a small plain-text HTTP/1.1 response."""
    body = text.encode()
    reason = {
        200: "OK",
        400: "Bad Request",
        403: "Forbidden",
        404: "Not Found",
        405: "Method Not Allowed",
        413: "Content Too Large",
        500: "Internal Server Error",
    }
    head = (
        f"HTTP/1.1 {status} {reason.get(status, 'Error')}\r\nContent-Type: text/plain\r\n"
        f"Content-Length: {len(body)}\r\nConnection: {'close' if close else 'keep-alive'}\r\n\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()
