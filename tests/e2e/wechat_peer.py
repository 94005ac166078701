"""Drives the local WeChat (a wechaty puppet service over a mock puppet) and the real `linli run` process.

Fixtures live here; ``tests/e2e/conftest.py`` only imports them.  The gateway is
``peers/wechat_gateway.js``: people and rooms are created through its control API,
people speak through it, and it logs every message the bot sends.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]
GATEWAY_JS = Path(__file__).resolve().parent / "peers" / "wechat_gateway.js"
LINLI = ROOT / ".venv" / "bin" / "linli"
TOKEN = "insecure_linli"
BOT_NAME = "Linli"
QUOTE_SEPARATOR = "- - - - - - - - - - - - - - -"
_ids = itertools.count(1)


@dataclass(frozen=True)
class Person:
    """A WeChat account played by a test."""

    id: str
    name: str


@dataclass(frozen=True)
class Room:
    """A WeChat room (群) the bot is a member of."""

    id: str
    topic: str


@dataclass(frozen=True)
class BotMessage:
    """One message the bot sent, as the gateway saw it."""

    seq: int
    id: str
    text: str
    room: str | None
    to: str | None


Where = Room | Person


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WechatGateway:
    """The node gateway process and a client for its control API."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = _free_port()
        self.state = directory / "wechat-state.json"
        self.log_path = directory / "wechat-gateway.log"
        self.process: subprocess.Popen[str] | None = None
        self.http: httpx.Client | None = None
        self.restarts = 0

    # -- the process -----------------------------------------------------------------------------

    def start(self, timeout: float = 20.0) -> None:
        """Starts the gateway on its port (same port and state after a restart); waits for READY."""
        node = shutil.which("node")
        if node is None or not (ROOT / "node_modules" / "wechaty-puppet-service").is_dir():
            pytest.fail(  # never a silent skip: say what to install
                "node (Node.js 18+) and `make node` (npm ci: wechaty-puppet-service, wechaty-puppet-mock)"
            )
        log = self.log_path.open("a", encoding="utf-8")
        self.process = subprocess.Popen(
            [
                node,
                str(GATEWAY_JS),
                "--port",
                str(self.port),
                "--token",
                TOKEN,
                "--state",
                str(self.state),
                "--bot-name",
                BOT_NAME,
            ],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        log.close()
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith("READY "):
                info = json.loads(line[len("READY ") :])
                if self.http is not None:
                    self.http.close()
                self.http = httpx.Client(base_url=f"http://127.0.0.1:{info['controlPort']}", timeout=10.0)
                return
            if not line and self.process.poll() is not None:
                break
        self.kill()
        raise RuntimeError(f"the WeChat gateway did not start; see {self.log_path}")

    def stop(self) -> None:
        """Stops the gateway this object started (SIGTERM, then SIGKILL)."""
        if self.http is not None:
            self.http.close()
            self.http = None
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """Kills the gateway without warning, like a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)

    def crash_on_next_send(self) -> None:
        """Makes the gateway die when the bot next sends something, before delivering it."""
        self._post("/crash-on-next-send", {})

    def wait_crashed(self, timeout: float = 20.0) -> int:
        """Waits until the gateway process has exited; returns its exit code."""
        assert self.process is not None
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the gateway did not go down within {timeout:.0f}s") from None

    def restart(self) -> None:
        """Starts the gateway again after it stopped, with the same people, rooms and log."""
        if self.process is not None and self.process.poll() is None:
            self.stop()
        self.restarts += 1
        self.start()

    # -- the control API ----------------------------------------------------------------------------

    def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        assert self.http is not None, "the gateway is not running"
        response = self.http.post(path, json=payload)
        if response.status_code != 200:
            raise AssertionError(f"{path} failed: {response.status_code} {response.text}")
        return response.json()  # type: ignore[no-any-return]

    @property
    def bot_id(self) -> str:
        """The bot account's contact id."""
        return str(self.health()["botId"])

    def health(self) -> dict[str, Any]:
        assert self.http is not None, "the gateway is not running"
        return self.http.get("/health").json()  # type: ignore[no-any-return]

    def person(self, name: str) -> Person:
        """A new WeChat account."""
        person_id = f"wxid_{next(_ids)}_{os.getpid()}"
        self._post("/contacts", {"id": person_id, "name": name})
        return Person(person_id, name)

    def room(self, topic: str, members: list[Person], aliases: dict[Person, str] | None = None) -> Room:
        """A new room with the bot and ``members`` in it; ``aliases`` are 群昵称."""
        room_id = f"room{next(_ids)}x{os.getpid()}@chatroom"
        self._post(
            "/rooms",
            {
                "id": room_id,
                "topic": topic,
                "members": [m.id for m in members],
                "aliases": {p.id: alias for p, alias in (aliases or {}).items()},
            },
        )
        return Room(room_id, topic)

    def say(
        self,
        person: Person,
        text: str,
        room: Room | None = None,
        *,
        mention: bool = False,
        quote: BotMessage | str | None = None,
        quoted_name: str = BOT_NAME,
    ) -> str:
        """``person`` speaks in ``room`` (or privately to the bot); quoting renders WeChat's 引用 text."""
        body: dict[str, Any] = {"from": person.id, "text": text, "mentionBot": mention}
        body.update({"room": room.id} if room is not None else {"to": self.bot_id})
        if quote is not None:
            quoted = quote.text if isinstance(quote, BotMessage) else quote
            body["quote"] = {"name": quoted_name, "text": quoted}
        return str(self._post("/say", body)["id"])

    def send_media(self, person: Person, kind: str, room: Room | None = None) -> str:
        """``person`` sends an image, voice message, video, file or sticker."""
        body: dict[str, Any] = {"from": person.id, "kind": kind}
        body.update({"room": room.id} if room is not None else {"to": self.bot_id})
        return str(self._post("/say", body)["id"])

    def sent(self, since: int = 0) -> list[BotMessage]:
        """What the bot said after sequence number ``since``, in order."""
        assert self.http is not None, "the gateway is not running"
        data = self.http.get("/sent", params={"since": since}).json()
        return [BotMessage(m["seq"], m["id"], m["text"], m["room"], m["to"]) for m in data["messages"]]

    def sent_on_disk(self, since: int = 0) -> list[BotMessage]:
        """What the bot said, read from the gateway's state file (works while the gateway is down)."""
        messages = json.loads(self.state.read_text(encoding="utf-8"))["sent"] if self.state.exists() else []
        return [
            BotMessage(m["seq"], m["id"], m["text"], m["room"], m["to"]) for m in messages if m["seq"] > since
        ]

    def mark(self) -> int:
        """The sequence number of the last bot message so far (to read only what comes after)."""
        assert self.http is not None, "the gateway is not running"
        return int(self.http.get("/sent", params={"since": 1 << 40}).json()["next"])

    def said_to(self, where: Where, since: int = 0) -> list[BotMessage]:
        """What the bot said in a room, or privately to a person."""
        if isinstance(where, Room):
            return [m for m in self.sent(since) if m.room == where.id]
        return [m for m in self.sent(since) if m.to == where.id and m.room is None]

    def wait_for(self, probe: Callable[[], T | None], timeout: float = 15.0, what: str = "a condition") -> T:
        """Polls ``probe`` until it returns something truthy."""
        deadline = time.monotonic() + timeout
        delay = 0.02
        while True:
            value = probe()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
            time.sleep(delay)
            delay = min(delay * 1.5, 0.2)

    def wait_bot(self, where: Where, contains: str, since: int = 0, timeout: float = 15.0) -> BotMessage:
        """Waits for a bot message in ``where`` (after ``since``) whose text contains ``contains``."""
        return self.wait_for(
            lambda: next((m for m in self.said_to(where, since) if contains in m.text), None),
            timeout,
            f"the bot to say {contains!r} to {where}; it said {[m.text for m in self.said_to(where, since)]}",
        )

    def wait_connected(self, streams_before: int, timeout: float = 20.0) -> None:
        """Waits until a new bot connection has opened its event stream and the account is logged in."""
        self.wait_for(
            lambda: (h := self.health())["streams"] > streams_before and h["loggedIn"] and h["streaming"],
            timeout,
            "the bot to connect to the gateway",
        )


@dataclass
class LinliBot:
    """The real `linli run` subprocess, run in its own directory, with its log in a file."""

    directory: Path
    config: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.directory / "linli.log"

    def start(self) -> None:
        """Starts `linli run --config ...` (in its directory: python-wechaty writes ./.wechaty)."""
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(LINLI), "run", "--config", str(self.config)],
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        log.close()

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
        return code

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""


def write_wechat_config(
    directory: Path, endpoint: str, staff: dict[str, Person], groups: dict[Room, str] | None = None
) -> Path:
    """Writes a config.toml for one bot process against the gateway."""
    staff_tables = "".join(f'[[staff]]\nname = "{name}"\nwechat = "{p.id}"\n\n' for name, p in staff.items())
    group_tables = "".join(
        f'[[groups]]\nplatform = "wechat"\nchat = "{room.id}"\nbuilding = "{building}"\n'
        f'title = "{room.topic}"\n\n'
        for room, building in (groups or {}).items()
    )
    text = f"""[community]
name = "幸福里社区"
timezone = "Asia/Shanghai"
language = "zh-Hans"

[storage]
url = "sqlite:///{directory / "linli.db"}"

{staff_tables}{group_tables}[wechat]
endpoint = "{endpoint}"
token = "{TOKEN}"
name = "{BOT_NAME}"
send_gap = [0.0, 0.0]
"""
    path = directory / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def wechat_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WechatGateway]:
    """One gateway per test module; each test makes its own people and rooms."""
    gateway = WechatGateway(tmp_path_factory.mktemp("wechat-gateway"))
    gateway.start()
    try:
        yield gateway
    finally:
        gateway.stop()


@pytest.fixture
def wechat_linli(
    tmp_path: Path, wechat_gateway: WechatGateway, request: pytest.FixtureRequest
) -> Iterator[Callable[..., LinliBot]]:
    """Starts `linli run` against the gateway and waits until it is connected; stops it after the test."""
    started: list[LinliBot] = []
    failed_before = request.session.testsfailed

    def make(staff: dict[str, Person], groups: dict[Room, str] | None = None) -> LinliBot:
        config = write_wechat_config(tmp_path, f"127.0.0.1:{wechat_gateway.port}", staff, groups)
        bot = LinliBot(tmp_path, config)
        streams = wechat_gateway.health()["streams"]
        bot.start()
        started.append(bot)
        try:
            wechat_gateway.wait_connected(streams)
        except AssertionError:
            raise AssertionError(f"linli did not connect:\n{bot.log_text()[-3000:]}") from None
        return bot

    yield make
    for bot in started:
        bot.stop()
    if request.session.testsfailed > failed_before:
        for bot in {b.log_path: b for b in started}.values():
            sys.stderr.write(f"\n----- linli log ({bot.log_path}) -----\n{bot.log_text()[-6000:]}\n")
        if wechat_gateway.log_path.exists():
            text = wechat_gateway.log_path.read_text(encoding="utf-8", errors="replace")
            sys.stderr.write(f"\n----- gateway log ({wechat_gateway.log_path}) -----\n{text[-3000:]}\n")
