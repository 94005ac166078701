"""Kill-and-restart harness shared by the durability test and `make bench`.

A real `linli run` process on the console platform reads JSON lines (one request
each) and acknowledges each once it is committed; it is killed with SIGKILL at
random points and restarted, and unacknowledged lines are delivered again, as a
chat platform would.  Afterwards every accepted message must have exactly one
task and every outbox message exactly one delivery.
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
from dataclasses import dataclass, field
from pathlib import Path

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
    duplicate_deliveries: int = 0
    seconds: float = 0.0


def write_config(folder: Path) -> Path:
    config = folder / "config.toml"
    config.write_text(
        '[community]\nname = "测试社区"\n'
        f'[storage]\nurl = "sqlite:///{folder / "linli.db"}"\n'
        '[[staff]]\nname = "张书记"\nconsole = "张书记"\n'
        '[[groups]]\nplatform = "console"\nchat = "3号楼互助群"\nbuilding = "3号楼"\n'
        f'[console]\nenabled = true\njsonl = true\ntranscript = "{folder / "transcript.jsonl"}"\n',
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


def _reader(proc: subprocess.Popen[str], acked: set[str], lock: threading.Lock) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "ack" in record:
            with lock:
                acked.add(str(record["ack"]))


def run(folder: Path, messages: int, kills: int, seed: int = 7) -> Outcome:
    """Feeds ``messages`` requests while killing the bot ``kills`` times at random moments."""
    rng = random.Random(seed)
    config = write_config(folder)
    outcome = Outcome()
    lock = threading.Lock()
    began = time.perf_counter()
    cursor = 0
    for round_number in range(kills + 1):
        proc = _start(config)
        reader = threading.Thread(target=_reader, args=(proc, outcome.acked, lock), daemon=True)
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
    _inspect(folder, outcome)
    return outcome


def _inspect(folder: Path, outcome: Outcome) -> None:
    with sqlite3.connect(folder / "linli.db") as db:
        outcome.inbox = db.execute("SELECT count(*) FROM inbox").fetchone()[0]
        outcome.tasks = db.execute("SELECT count(*) FROM tasks").fetchone()[0]
        outcome.tasks_per_inbox_max = db.execute(
            "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM tasks GROUP BY inbox_id)"
        ).fetchone()[0]
        outcome.inbox_without_task = db.execute(
            "SELECT count(*) FROM inbox "
            "WHERE id NOT IN (SELECT inbox_id FROM tasks WHERE inbox_id IS NOT NULL)"
        ).fetchone()[0]
        outcome.outbox_rows = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
        outcome.outbox_unsent = db.execute("SELECT count(*) FROM outbox WHERE state != 'sent'").fetchone()[0]
    keys: list[str] = []
    transcript = folder / "transcript.jsonl"
    if transcript.exists():
        for line in transcript.read_text(encoding="utf-8").splitlines():
            try:
                keys.append(json.loads(line)["key"])
            except (ValueError, KeyError):
                continue
    outcome.deliveries = len(keys)
    outcome.duplicate_deliveries = len(keys) - len(set(keys))
