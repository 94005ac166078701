"""Kill-and-restart harness shared by the durability test and `make bench`.

A real `linli run` process on the console platform reads JSON lines (one request
each) and acknowledges each once it is committed; it is killed with SIGKILL at
random points and restarted, and unacknowledged lines are delivered again, as a
chat platform would.

Deliveries are counted here, at the receiving end of the bot's stdout, the way
Telegram or WeChat would receive them: the bot keeps no transcript to check
against after a restart. Afterwards every accepted message must have exactly one
task, every committed reply must have arrived (lost: 0), nothing may arrive that
was never committed, and a reply arrives twice only if the bot was killed between
sending it and recording it (repeated, reported per kill).

The database is SQLite in the run's folder unless a storage URL names another (a fresh,
migrated PostgreSQL database); the counts afterwards are read with plain SQL both understand.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.sqlite import sqlite_path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Outcome:
    """What the harness saw, for assertions and the benchmark report."""

    kills: int = 0
    sent_lines: int = 0
    acked: set[str] = field(default_factory=set)
    inbox: int = 0
    tasks: int = 0
    tasks_per_inbox_max: int = 0
    inbox_without_task: int = 0
    outbox_rows: int = 0
    outbox_unsent: int = 0
    deliveries: int = 0
    lost_replies: int = 0  # committed, never delivered
    phantom_replies: int = 0  # delivered, never committed
    repeated: int = 0  # deliveries beyond the first of a reply
    repeated_max_per_kill: int = 0  # the most repeats one kill caused
    seconds: float = 0.0
    received: list[tuple[int, str]] = field(default_factory=list)  # (round, outbox key)


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'linli.db'}"


def write_config(folder: Path, storage_url: str | None = None) -> Path:
    """A console bot's config.toml in ``folder``, storing into ``storage_url`` or SQLite beside it."""
    storage_url = storage_url or sqlite_url(folder)
    config = folder / "config.toml"
    config.write_text(
        '[community]\nname = "测试社区"\n'
        f'[storage]\nurl = "{storage_url}"\n'
        '[[staff]]\nname = "张书记"\nconsole = "张书记"\n'
        '[[groups]]\nplatform = "console"\nchat = "3号楼互助群"\nbuilding = "3号楼"\n'
        "[console]\nenabled = true\njsonl = true\n",
        encoding="utf-8",
    )
    return config


def request_line(n: int) -> str:
    text = f"谁能帮我明天上午买点菜,第{n}次麻烦大家了"
    return json.dumps(
        {"id": f"m{n}", "from": f"居民{n % 13}", "chat": "3号楼互助群", "text": text}, ensure_ascii=False
    )


def _start(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--config", str(config)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )


def _reader(proc: subprocess.Popen[str], outcome: Outcome, round_number: int, lock: threading.Lock) -> None:
    """Reads what the bot says: acknowledgements of messages, and replies delivered (by outbox key)."""
    assert proc.stdout is not None
    for line in proc.stdout:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        with lock:
            if "ack" in record:
                outcome.acked.add(str(record["ack"]))
            elif "out" in record:
                outcome.received.append((round_number, str(record["out"])))


def run(folder: Path, messages: int, kills: int, seed: int = 7, storage_url: str | None = None) -> Outcome:
    """Feeds ``messages`` requests while killing the bot ``kills`` times at random moments.

    The bot stores into ``storage_url`` (a fresh database), or into SQLite in ``folder``.
    """
    rng = random.Random(seed)
    storage_url = storage_url or sqlite_url(folder)
    config = write_config(folder, storage_url)
    outcome = Outcome()
    lock = threading.Lock()
    began = time.perf_counter()
    cursor = 0
    for round_number in range(kills + 1):
        proc = _start(config)
        reader = threading.Thread(target=_reader, args=(proc, outcome, round_number, lock), daemon=True)
        reader.start()
        assert proc.stdin is not None
        last_round = round_number == kills
        with lock:
            unacked = [n for n in range(cursor) if f"m{n}" not in outcome.acked]
        # Redeliver what was never acknowledged, plus a few acknowledged ones (duplicates).
        batch = unacked + rng.sample(range(cursor), min(3, cursor)) if cursor else []
        fresh = messages - cursor if last_round else rng.randint(5, max(6, messages // (kills + 1)))
        batch += list(range(cursor, min(messages, cursor + fresh)))
        cursor = max(cursor, min(messages, cursor + fresh))
        try:
            for n in batch:
                proc.stdin.write(request_line(n) + "\n")
                proc.stdin.flush()
                outcome.sent_lines += 1
                if not last_round and rng.random() < 0.02:
                    break
            if last_round:
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline:
                    with lock:
                        if all(f"m{n}" in outcome.acked for n in range(messages)):
                            break
                    time.sleep(0.05)
                time.sleep(0.5)  # let the outbox drain
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=60)
            else:
                time.sleep(rng.uniform(0.05, 0.6))
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
                outcome.kills += 1
        except BrokenPipeError:
            proc.kill()
            proc.wait(timeout=30)
            outcome.kills += 1
        reader.join(timeout=5)
    outcome.seconds = time.perf_counter() - began
    _inspect(storage_url, outcome)
    return outcome


def _connect(storage_url: str) -> Any:
    """A DB-API connection to the run's database: sqlite3, or psycopg for a PostgreSQL URL."""
    path = sqlite_path(storage_url)
    if path is None:
        import psycopg

        return psycopg.connect(storage_url, autocommit=True)
    return closing(sqlite3.connect(path))


def _inspect(storage_url: str, outcome: Outcome) -> None:
    with _connect(storage_url) as db:

        def one(sql: str) -> int:
            return int(db.execute(sql).fetchone()[0])

        outcome.inbox = one("SELECT count(*) FROM inbox")
        outcome.tasks = one("SELECT count(*) FROM tasks")
        outcome.tasks_per_inbox_max = one(
            "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM tasks GROUP BY inbox_id) AS per_inbox"
        )
        outcome.inbox_without_task = one(
            "SELECT count(*) FROM inbox "
            "WHERE id NOT IN (SELECT inbox_id FROM tasks WHERE inbox_id IS NOT NULL)"
        )
        outcome.outbox_rows = one("SELECT count(*) FROM outbox")
        outcome.outbox_unsent = one("SELECT count(*) FROM outbox WHERE state != 'sent'")
        committed = {f"outbox-{row[0]}" for row in db.execute("SELECT id FROM outbox").fetchall()}
    delivered = Counter(key for _, key in outcome.received)
    outcome.deliveries = sum(delivered.values())
    outcome.lost_replies = len(committed - set(delivered))
    outcome.phantom_replies = len(set(delivered) - committed)
    outcome.repeated = sum(count - 1 for count in delivered.values())
    # A repeat is the killed round's fault: count them by the round of the first delivery.
    first_round: dict[str, int] = {}
    per_kill: Counter[int] = Counter()
    for round_number, key in outcome.received:
        if key in first_round:
            per_kill[first_round[key]] += 1
        else:
            first_round[key] = round_number
    outcome.repeated_max_per_kill = max(per_kill.values(), default=0)
