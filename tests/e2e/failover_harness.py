"""Instances of `linli run` on one PostgreSQL sharing one bot token on the Telegram emulator, a
group they serve, and the SIGKILL of the instance polling the token.

Shared by tests/e2e/test_failover_e2e.py (one kill, checked) and bench/failover.py (several
kills, timed), so both measure the same switch.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.e2e.telegram_peer import Group, LinliProcess, TelegramPeer, User

BOSS = User(1001, "张书记")
STAFF_IDS = {"张书记": BOSS.id}
HOLDS = "linli is running: platforms telegram;"
WAITS = "telegram (waiting for its lease"
TAKEN = "telegram: this instance holds the lease"
TAKEOVER_LIMIT = 15.0
STARTUP_SECONDS = 30.0
ANSWER_SECONDS = TAKEOVER_LIMIT + 10
"""How long a request posted during a switch may wait for its card before it counts as lost."""


def wait_for_log(bot: LinliProcess, words: str, timeout: float) -> float:
    """Waits until the process's log says ``words``; returns when it was seen (monotonic)."""
    deadline = time.monotonic() + timeout
    while words not in bot.log_text():
        bot.guard()
        if time.monotonic() > deadline:
            raise AssertionError(f"{bot.log_path} never said {words!r}:\n{bot.log_text()[-3000:]}")
        time.sleep(0.05)
    return time.monotonic()


@dataclass(frozen=True)
class Switch:
    """One kill of the token holder, in seconds from the SIGKILL."""

    took_over: float
    """Until the survivor's log said it holds the lease."""
    answered: float
    """Until every request posted during the switch had its card (or the wait gave up)."""

    @property
    def seconds(self) -> float:
        """Until the group was served again: the lease taken and the requests answered."""
        return max(self.took_over, self.answered)


@dataclass
class Failover:
    """The group and its requests; ``launch`` starts an instance in a directory of the given name."""

    peer: TelegramPeer
    launch: Callable[[str], LinliProcess]
    group: Group = field(default_factory=lambda: Group.fresh("3号楼互助群"))
    asked: list[int] = field(default_factory=list)
    """Every request posted, so the cards can be counted at the end."""
    _neighbours: itertools.count[int] = field(default_factory=itertools.count)

    def start(self, name: str, says: str = WAITS) -> LinliProcess:
        """Starts an instance and waits until it holds the token (HOLDS) or waits for it (WAITS)."""
        bot = self.launch(name)
        wait_for_log(bot, says, STARTUP_SECONDS)
        return bot

    def bind(self) -> None:
        """The staff member meets the bot and binds the group to a building."""
        since = self.peer.say(BOSS, BOSS, "/start")
        self.peer.wait_message(BOSS, lambda m: True, timeout=STARTUP_SECONDS, after=since)
        bound = self.peer.say(self.group, BOSS, "/bind 3号楼")
        self.peer.wait_message(self.group, lambda m: m.reply_to == bound)

    def ask(self) -> int:
        """A new neighbour asks for help in the group; returns the message id."""
        n = next(self._neighbours)
        asked = self.peer.say(
            self.group, User(5001 + n, f"邻居{n}"), f"3号楼{500 + n}室想请人明天上午帮忙买点菜"
        )
        self.asked.append(asked)
        return asked

    def cards(self, asked: list[int]) -> dict[int, int]:
        """How many cards the bot posted for each request."""
        sent = self.peer.sent(self.group)
        return {a: sum(m.reply_to == a and m.text.startswith("🙋") for m in sent) for a in asked}

    def answer_all(self, asked: list[int], timeout: float) -> float:
        """Waits until each request has a card, or ``timeout`` passed; returns when (monotonic)."""
        deadline = time.monotonic() + timeout
        while not all(self.cards(asked).values()) and time.monotonic() < deadline:
            for guard in self.peer.guards:
                guard()
            time.sleep(0.05)
        return time.monotonic()

    def kill(self, holder: LinliProcess, survivor: LinliProcess, during: int = 3) -> Switch:
        """SIGKILLs the token holder (no lease handed back, nothing flushed), posts ``during``
        requests a second apart from right after the kill, while nobody polls, and times the switch."""
        time.sleep(1.0)  # the delivery marks of what was answered are written (within 0.2 s)
        self.peer.guards.remove(holder.guard)
        holder.crash()
        killed = time.monotonic()
        posted = []
        for _ in range(during):
            posted.append(self.ask())
            time.sleep(1.0)
        took_over = wait_for_log(survivor, TAKEN, TAKEOVER_LIMIT + 5) - killed
        return Switch(took_over, self.answer_all(posted, ANSWER_SECONDS) - killed)

    def card_counts(self, settle: float = 2.0) -> dict[int, int]:
        """Cards per request posted so far, after ``settle`` seconds in which a second card would come."""
        time.sleep(settle)
        return self.cards(self.asked)
