"""Drives the local Telegram Bot API (telegram-test-api plus harness) and the real `linli run` process.

Fixtures live here; ``tests/e2e/conftest.py`` only lists this module in ``pytest_plugins``.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

log = logging.getLogger(__name__)
T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]
SERVER_JS = Path(__file__).resolve().parent / "peers" / "telegram_server.js"
LINLI = ROOT / ".venv" / "bin" / "linli"
BOT_TOKEN = "123:ABC"
BOT_USERNAME = "LinliTestBot"
_chat_ids = itertools.count(1)


@dataclass(frozen=True)
class User:
    """A Telegram account played by a test."""

    id: int
    first_name: str
    last_name: str = ""
    username: str | None = None
    is_bot: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "first_name": self.first_name, "is_bot": self.is_bot}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data


@dataclass(frozen=True)
class Group:
    """A group chat on the emulator; ids are negative like Telegram's."""

    id: int
    title: str
    type: str = "supergroup"

    @classmethod
    def fresh(cls, title: str) -> Group:
        """A group no other test has used, so rate limits and histories never mix."""
        return cls(-1_001_000_000_000 - next(_chat_ids) - os.getpid() % 1000 * 1000, title)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "title": self.title}


Chat = Group | User


@dataclass
class Sent:
    """One message the bot sent, as it stands now (after edits)."""

    chat_id: int
    message_id: int
    text: str
    buttons: list[dict[str, str]]
    reply_to: int | None
    edits: int
    history: list[str] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [b["text"] for b in self.buttons]

    def data_for(self, label: str) -> str:
        """The callback data of the button showing ``label``."""
        for button in self.buttons:
            if label in button["text"]:
                return button["callback_data"]
        raise AssertionError(f"message {self.message_id} has no button {label!r}: {self.labels}")


def emulator_missing() -> str | None:
    """What to install before the emulator can run (None when it can)."""
    if shutil.which("node") is None or not (ROOT / "node_modules" / "telegram-test-api").is_dir():
        return "the Telegram emulator needs node (Node.js 18+) and `make node` (npm ci: telegram-test-api)"
    return None


class TelegramPeer:
    """A Python client for the harness: act as users, read what the bot said."""

    def __init__(
        self, api_url: str, token: str = BOT_TOKEN, process: subprocess.Popen[str] | None = None
    ) -> None:
        self.api_url = api_url
        self.token = token
        self.process = process
        self.http = httpx.Client(base_url=api_url, timeout=10.0)
        self.guards: list[Callable[[], None]] = []
        """Checks run while waiting; one raises when the bot process died, so tests fail fast."""

    @classmethod
    def start(
        cls, token: str = BOT_TOKEN, username: str = BOT_USERNAME, timeout: float = 20.0, port: int = 0
    ) -> TelegramPeer:
        """Starts the node server (on a free port unless given one) and waits for its READY line."""
        problem = emulator_missing()
        if problem is not None:
            pytest.fail(problem)  # never a silent skip: say what to install
        process = subprocess.Popen(
            ["node", str(SERVER_JS), "--host", "127.0.0.1", "--username", username, "--port", str(port)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=sys.stderr,
            text=True,
        )
        deadline = time.monotonic() + timeout
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if line.startswith("READY "):
                info = json.loads(line[len("READY ") :])
                return cls(info["apiURL"], token, process)
            if not line and process.poll() is not None:
                break
        process.kill()
        raise RuntimeError("the Telegram emulator did not start")

    def stop(self) -> None:
        """Stops the node server (only the one this peer started)."""
        self.http.close()
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    @property
    def base_url(self) -> str:
        """What goes into ``[telegram] base_url``."""
        return f"{self.api_url}/bot"

    def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post(path, json={"token": self.token, **payload})
        if response.status_code != 200:
            raise AssertionError(f"{path} failed: {response.status_code} {response.text}")
        return response.json()  # type: ignore[no-any-return]

    # -- acting as users -------------------------------------------------------------------

    def say(self, chat: Chat, user: User, text: str | None, reply_to: int | None = None, **extra: Any) -> int:
        """Posts a message as ``user`` in ``chat`` (a group, or the user's private chat); returns its id."""
        payload: dict[str, Any] = {
            "chat": chat.as_json() if isinstance(chat, Group) else {"id": user.id},
            "from": user.as_json(),
            "text": text,
            "reply_to": reply_to,
        }
        forward = extra.pop("forward", None)
        if forward is not None:
            payload["forward"] = forward.as_json()
        if extra:
            payload["extra"] = extra
        result = self._post("/e2e/message", payload)
        self.last_update_id = int(result["update_id"])
        return int(result["message_id"])

    def update(self, kind: str, message: dict[str, Any]) -> int:
        """Delivers a raw update of another kind (edited_message, channel_post, ...)."""
        return int(self._post("/e2e/update", {"type": kind, "message": message})["update_id"])

    def press(self, chat: Chat, user: User, message_id: int, data: str, *, force: bool = False) -> str:
        """Presses the inline button with ``data`` under the bot's message; returns the callback id."""
        chat_id = chat.id
        result = self._post(
            "/e2e/callback",
            {
                "chat_id": chat_id,
                "message_id": message_id,
                "from": user.as_json(),
                "data": data,
                "force": force,
            },
        )
        self.last_update_id = int(result["update_id"])
        return str(result["callback_id"])

    def redeliver(self, update_id: int) -> int:
        """Delivers an update once more, as Telegram does after a lost confirmation."""
        return int(self._post("/e2e/redeliver", {"update_id": update_id})["update_id"])

    def fail(
        self,
        method: str,
        count: int = 1,
        status: int = 502,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """Makes this bot's next ``count`` calls to a Bot API method fail."""
        self._post(
            "/e2e/fail",
            {
                "method": method,
                "count": count,
                "status": status,
                "retry_after": retry_after,
                "description": description,
            },
        )

    def block(self, user: User, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot."""
        self._post("/e2e/block", {"user_id": user.id, "blocked": blocked})

    # -- reading what the bot did ------------------------------------------------------------

    def sent(self, chat: Chat | int) -> list[Sent]:
        """Every message the bot sent to ``chat``, in order, as it stands now."""
        chat_id = chat if isinstance(chat, int) else chat.id
        data = self.http.get("/e2e/sent", params={"token": self.token, "chat_id": chat_id}).json()
        return [
            Sent(
                m["chat_id"],
                m["message_id"],
                m["text"],
                m["buttons"],
                m["reply_to"],
                m["edits"],
                m["history"],
            )
            for m in data["messages"]
        ]

    def log(self, chat: Chat | int | None = None) -> list[dict[str, Any]]:
        """The bot's sends and edits, in order."""
        params: dict[str, Any] = {"token": self.token}
        if chat is not None:
            params["chat_id"] = chat if isinstance(chat, int) else chat.id
        return self.http.get("/e2e/sent", params=params).json()["log"]  # type: ignore[no-any-return]

    def answers(self) -> list[dict[str, Any]]:
        """Answers to button presses (the toasts)."""
        return self.http.get("/e2e/answers", params={"token": self.token}).json()["answers"]  # type: ignore[no-any-return]

    def answer_to(self, callback_id: str, timeout: float = 15.0) -> str:
        """Waits for the toast the bot showed for one button press."""
        found = self.wait_for(
            lambda: next((a for a in self.answers() if a["callback_query_id"] == callback_id), None),
            timeout,
            f"an answer to button press {callback_id}",
        )
        return str(found["text"])

    def state(self) -> dict[str, Any]:
        """Commands, webhook and the number of unconfirmed updates."""
        return self.http.get("/e2e/state", params={"token": self.token}).json()  # type: ignore[no-any-return]

    def wait_for(self, probe: Callable[[], T | None], timeout: float = 15.0, what: str = "a condition") -> T:
        """Polls ``probe`` until it returns something truthy."""
        deadline = time.monotonic() + timeout
        delay = 0.02
        while True:
            value = probe()
            if value:
                return value
            for guard in self.guards:
                guard()
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.25)

    def wait_message(
        self, chat: Chat, contains: str | Callable[[Sent], bool], timeout: float = 15.0, *, after: int = 0
    ) -> Sent:
        """Waits for a bot message in ``chat`` (with id > ``after``) whose text contains ``contains``."""

        def matches(message: Sent) -> bool:
            if message.message_id <= after:
                return False
            return contains(message) if callable(contains) else contains in message.text

        return self.wait_for(
            lambda: next((m for m in self.sent(chat) if matches(m)), None),
            timeout,
            f"a bot message {contains!r}",
        )


@dataclass
class LinliProcess:
    """The real `linli run` subprocess, with its log in a file."""

    config: Path
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    _log_file: Any = None

    def start(self) -> None:
        """Starts `linli run --config ...`."""
        self._log_file = self.log_path.open("ab")
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PTB_TIMEDELTA": "1"}
        self.process = subprocess.Popen(
            [str(LINLI), "-v", "run", "--config", str(self.config)],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            env=env,
        )

    def stop(self, timeout: float = 15.0) -> int | None:
        """Asks the bot to stop (SIGTERM) and waits; kills it if it hangs."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        code = self.process.returncode
        self.process = None
        if self._log_file is not None:
            self._log_file.close()
        return code

    def crash(self) -> None:
        """Kills the bot without warning (SIGKILL), like a power cut."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        self.process = None
        if self._log_file is not None:
            self._log_file.close()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def guard(self) -> None:
        """Raises when the process is gone although nobody stopped it."""
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(
                f"linli exited with {self.process.returncode}; log:\n{self.log_text()[-4000:]}"
            )

    def log_text(self, *, noisy: bool = False) -> str:
        """The process log; without ``noisy``, the debug chatter of sqlite and HTTP libraries is left out."""
        if not self.log_path.exists():
            return ""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        if noisy:
            return text
        quiet = (" DEBUG aiosqlite", " DEBUG httpcore", " DEBUG hpack", " DEBUG asyncio")
        return "".join(line for line in text.splitlines(keepends=True) if not any(q in line for q in quiet))


def write_config(
    directory: Path, base_url: str, staff: dict[str, int], extra: str = "", storage_url: str | None = None
) -> Path:
    """Writes a config.toml for one bot process against the emulator (on its own SQLite file
    unless given a storage URL)."""
    staff_tables = "".join(f'[[staff]]\nname = "{name}"\ntelegram = "{uid}"\n' for name, uid in staff.items())
    text = f"""[community]
name = "幸福里社区"
timezone = "Asia/Shanghai"
language = "zh-Hans"

[storage]
url = "{storage_url or f"sqlite:///{directory / 'linli.db'}"}"

{staff_tables}
[telegram]
token = "{BOT_TOKEN}"
base_url = "{base_url}"
{extra}
"""
    path = directory / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def launch_linli(
    peer: TelegramPeer, where: Path, staff: dict[str, int], *, extra: str = "", storage_url: str | None = None
) -> LinliProcess:
    """Starts `linli run` in ``where`` (its config written there unless one is) against the emulator;
    the peer's waits fail fast once it dies."""
    where.mkdir(parents=True, exist_ok=True)
    config = where / "config.toml"
    if not config.exists():
        config = write_config(where, peer.base_url, staff, extra, storage_url)
    bot = LinliProcess(config, where / "linli.log")
    bot.start()
    peer.guards.append(bot.guard)
    return bot


@pytest.fixture(scope="module")
def telegram_peer() -> Iterator[TelegramPeer]:
    """One emulator per test module."""
    peer = TelegramPeer.start()
    try:
        yield peer
    finally:
        peer.stop()


@pytest.fixture
def linli_factory(
    tmp_path: Path, telegram_peer: TelegramPeer, request: pytest.FixtureRequest
) -> Iterator[Callable[..., LinliProcess]]:
    """Starts `linli run` processes against the emulator; stops them and shows their log on failure."""
    started: list[LinliProcess] = []

    def make(
        staff: dict[str, int],
        *,
        directory: Path | None = None,
        extra: str = "",
        storage_url: str | None = None,
    ) -> LinliProcess:
        bot = launch_linli(telegram_peer, directory or tmp_path, staff, extra=extra, storage_url=storage_url)
        started.append(bot)
        return bot

    yield make
    telegram_peer.guards.clear()
    for bot in started:
        bot.stop()
    reports = [getattr(request.node, f"rep_{when}", None) for when in ("setup", "call")]
    if any(report is not None and report.failed for report in reports):
        for bot in started:
            sys.stderr.write(f"\n----- linli log ({bot.log_path}) -----\n{bot.log_text()[-6000:]}\n")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keeps each phase's report on the test item so fixtures can print logs on failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
