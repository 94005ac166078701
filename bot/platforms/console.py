"""The console platform: simulated people in simulated groups, on the same code path as real chats.

People use it through ``linli console`` and ``linli demo``; code uses it as the
test backend (``say``/``press`` in, ``sent``/``pop`` out), like errbot's test backend.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.platforms.base import Dispatch, PlatformError
from handlers.common.context import Clock
from storage.models import Button, ChatRef, Incoming, Reply

log = logging.getLogger(__name__)

PLATFORM = "console"


@dataclass(frozen=True, slots=True)
class Sent:
    """One message the bot delivered on the console."""

    number: int
    message_id: str
    chat: ChatRef
    text: str
    buttons: tuple[Button, ...] = ()
    reply_to: str | None = None
    edit_of: str | None = None
    key: str = ""
    card_of: int | None = None
    image: str | None = None


@dataclass(slots=True)
class _Said:
    """One message a simulated person said, for rendering quotes."""

    sender: str
    text: str


@dataclass
class ConsolePlatform:
    """Implements ``Platform`` over in-process calls; ``out`` prints a readable transcript."""

    clock: Clock | None = None
    out: Callable[[str], None] | None = None
    transcript: Path | None = None
    bot_name: str = "Linli"
    jsonl: bool = False
    name: str = PLATFORM
    can_edit: bool = True
    sent: list[Sent] = field(default_factory=list)
    failing: bool = False
    _dispatch: Dispatch | None = None
    _counter: int = 0  # people's message ids
    _numbered: int = 0  # the bot's messages, numbered [1], [2]… for /reply and /press
    _session: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    _delivered: set[str] = field(default_factory=set)
    _messages: dict[str, _Said] = field(default_factory=dict)
    _read: int = 0

    async def start(self, dispatch: Dispatch) -> None:
        self._dispatch = dispatch
        if self.transcript is not None and self.transcript.exists():
            for line in self.transcript.read_text(encoding="utf-8").splitlines():
                try:
                    self._delivered.add(json.loads(line)["key"])
                except (ValueError, KeyError, TypeError):
                    continue  # a line torn by a crash mid-write: that send never completed

    async def stop(self) -> None:
        self._dispatch = None

    async def send(self, reply: Reply, idempotency_key: str) -> str | None:
        if self.failing:
            raise PlatformError("console is simulating an outage")
        if idempotency_key in self._delivered:
            log.info("console: %s was delivered before the restart; not again", idempotency_key)
            return None
        self._numbered += 1
        message_id = reply.reply_to if reply.edit and reply.reply_to else f"b{self._numbered}-{self._session}"
        sent = Sent(
            number=self._numbered,
            message_id=message_id,
            chat=reply.chat,
            text=reply.text,
            buttons=reply.buttons,
            reply_to=None if reply.edit else reply.reply_to,
            edit_of=reply.reply_to if reply.edit else None,
            key=idempotency_key,
            card_of=reply.card_of,
            image=reply.image,
        )
        if self.transcript is not None:
            record = {
                "key": idempotency_key,
                "chat": reply.chat.chat_id,
                "private": reply.chat.private,
                "text": reply.text,
                "message_id": message_id,
            }
            with self.transcript.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        self._delivered.add(idempotency_key)
        self.sent.append(sent)
        self._messages[message_id] = _Said(self.bot_name, reply.text)
        if self.out is not None:
            self.out(self.render(sent))
        return message_id

    # -- what people do ------------------------------------------------------

    def _now(self) -> datetime:
        if self.clock is not None:
            return self.clock.now()
        return datetime.now().astimezone()

    def new_message_id(self) -> str:
        self._counter += 1
        return f"m{self._counter}-{self._session}"

    async def say(
        self,
        sender: str,
        text: str,
        chat: str = "3号楼互助群",
        *,
        private: bool = False,
        reply_to: str | None = None,
        message_id: str | None = None,
        kind: str = "text",
    ) -> str | None:
        """Posts ``text`` as ``sender`` in a group (or privately to the bot); returns the toast if any."""
        if self._dispatch is None:
            raise RuntimeError("console platform is not started")
        ref = ChatRef(PLATFORM, sender if private else chat, private)
        msg = Incoming(
            platform=PLATFORM,
            chat=ref,
            sender_id=sender,
            sender_name=sender,
            text=text,
            message_id=message_id or self.new_message_id(),
            at=self._now(),
            reply_to=reply_to,
            chat_title=None if private else chat,
            kind=kind,
        )
        self._messages[msg.message_id] = _Said(sender, text)
        if self.out is not None:
            self.out(self.render_incoming(msg))
        return await self._dispatch(msg)

    async def press(self, sender: str, sent: Sent, label: str) -> str | None:
        """Presses the button labelled ``label`` under a sent message, as ``sender``."""
        if self._dispatch is None:
            raise RuntimeError("console platform is not started")
        button = next((b for b in sent.buttons if b.label == label or b.action.startswith(label)), None)
        if button is None:
            raise ValueError(f"no button {label!r} under message [{sent.number}]")
        msg = Incoming(
            platform=PLATFORM,
            chat=sent.chat,
            sender_id=sender,
            sender_name=sender,
            text="",
            message_id=f"cb{self.new_message_id()}",
            at=self._now(),
            reply_to=sent.message_id,
            action=button.action,
            kind="button",
        )
        if self.out is not None:
            self.out(f"[{self._chat_label(sent.chat)}] {sender} 按了 [{button.label}]")
        toast = await self._dispatch(msg)
        if toast and self.out is not None:
            self.out(f"    💬 (只有 {sender} 看到) {toast}")
        return toast

    # -- what the bot said ---------------------------------------------------

    def pop(self) -> list[Sent]:
        """Returns what the bot sent since the last pop."""
        fresh = self.sent[self._read :]
        self._read = len(self.sent)
        return fresh

    def unread(self) -> list[Sent]:
        return self.sent[self._read :]

    def by_number(self, number: int) -> Sent:
        """The bot's message [number], as it stands now (after any edits)."""
        first = next((sent for sent in self.sent if sent.number == number), None)
        if first is None:
            raise KeyError(number)
        # an edited message keeps its id: [1] means its latest version, with today's buttons
        return next(sent for sent in reversed(self.sent) if sent.message_id == first.message_id)

    def last_card(self, task_id: int, chat: str | None = None) -> Sent | None:
        """The latest version of task #N's card (in ``chat`` if given)."""
        for sent in reversed(self.sent):
            if sent.card_of == task_id and (chat is None or sent.chat.chat_id == chat):
                return sent
        return None

    # -- rendering ---------------------------------------------------------------

    def _chat_label(self, chat: ChatRef) -> str:
        return f"私聊 {chat.chat_id}" if chat.private else chat.chat_id

    def render_incoming(self, msg: Incoming) -> str:
        if self.jsonl:
            return json.dumps(
                {"in": msg.message_id, "chat": msg.chat.chat_id, "from": msg.sender_name, "text": msg.text},
                ensure_ascii=False,
            )
        quote = ""
        if msg.reply_to and msg.reply_to in self._messages:
            said = self._messages[msg.reply_to]
            quote = f" ↩「{said.sender}: {said.text.splitlines()[0][:24]}」"
        return f"[{self._chat_label(msg.chat)}] {msg.sender_name}{quote}: {msg.text}"

    def render(self, sent: Sent) -> str:
        if self.jsonl:
            return json.dumps(
                {
                    "out": sent.key,
                    "number": sent.number,
                    "chat": sent.chat.chat_id,
                    "private": sent.chat.private,
                    "text": sent.text,
                    "buttons": [b.label for b in sent.buttons],
                },
                ensure_ascii=False,
            )
        head = f"[{self._chat_label(sent.chat)}] 🤖 {self.bot_name} [{sent.number}]"
        if sent.edit_of:
            original = next((s.number for s in self.sent if s.message_id == sent.edit_of), "?")
            head += f" ✎ 更新了 [{original}]"
        elif sent.reply_to and sent.reply_to in self._messages:
            head += f" ↩ {self._messages[sent.reply_to].sender}"
        body = sent.text.replace("\n", "\n    ")
        buttons = "  ".join(f"[{b.label}]" for b in sent.buttons)
        picture = f"\n    🖼 {sent.image}" if sent.image else ""
        return f"{head}:\n    {body}" + (f"\n    {buttons}" if buttons else "") + picture


class ConsoleSession:
    """Reads lines as typed by a person (or a program) and speaks as the simulated people.

    ``@王奶奶 text`` speaks as 王奶奶; ``/as 小李`` switches speaker; ``/in 5号楼群``
    switches group; ``/private`` and ``/group`` switch between the private chat
    with the bot and the group; ``/reply N text`` quotes bot message [N];
    ``/press N 我来`` presses a button.  A line that is a JSON object
    (``{"from": .., "chat": .., "text": .., "id": .., "private": ..}``) is taken as is.
    Other slash commands (``/need``, ``/start``…) go to the bot unchanged.
    """

    def __init__(
        self, platform: ConsolePlatform, speaker: str = "王奶奶", group: str = "3号楼互助群"
    ) -> None:
        self.platform = platform
        self.speaker = speaker
        self.group = group
        self.private = False

    async def handle_line(self, line: str) -> bool:
        """Acts on one line; returns False when the person asked to quit."""
        line = line.strip()
        if not line:
            return True
        if line.startswith("{"):
            return await self._json_line(line)
        command, _, rest = line.partition(" ")
        rest = rest.strip()
        if command in ("/quit", "/exit", "/退出"):
            return False
        if command == "/as" and rest:
            self.speaker = rest
        elif command == "/in" and rest:
            self.group, self.private = rest, False
        elif command in ("/private", "/私聊"):
            self.private = True
        elif command in ("/group", "/群"):
            self.private = False
        elif command == "/reply":
            number, _, text = rest.partition(" ")
            target = self._sent(number)
            if target is not None:
                await self.platform.say(
                    self.speaker,
                    text.strip(),
                    target.chat.chat_id,
                    private=target.chat.private,
                    reply_to=target.message_id,
                )
        elif command == "/press":
            number, _, label = rest.partition(" ")
            target = self._sent(number)
            if target is not None:
                try:
                    await self.platform.press(self.speaker, target, label.strip())
                except ValueError as exc:
                    self._say_console(str(exc))
        else:
            if line.startswith("@"):
                name, _, text = line[1:].partition(" ")
                self.speaker, line = name, text.strip()
            if line:
                await self.platform.say(self.speaker, line, self.group, private=self.private)
        return True

    async def _json_line(self, line: str) -> bool:
        try:
            data = json.loads(line)
            sender = str(data.get("from") or self.speaker)
            text = str(data.get("text", ""))
            chat = str(data.get("chat") or self.group)
            private = bool(data.get("private", False))
            message_id = str(data["id"]) if data.get("id") is not None else None
            reply_to = str(data["reply_to"]) if data.get("reply_to") is not None else None
        except (ValueError, TypeError, AttributeError) as exc:
            self._say_console(f"unreadable line skipped: {exc}")
            return True
        await self.platform.say(sender, text, chat, private=private, message_id=message_id, reply_to=reply_to)
        if self.platform.jsonl and self.platform.out and message_id is not None:
            self.platform.out(json.dumps({"ack": message_id}))
        return True

    def _sent(self, number: str) -> Sent | None:
        try:
            return self.platform.by_number(int(number.strip("[]")))
        except (KeyError, ValueError):
            self._say_console(f"no bot message [{number}]")
            return None

    def _say_console(self, text: str) -> None:
        if self.platform.out is not None:
            self.platform.out(f"(console) {text}")
