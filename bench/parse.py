"""`linli parse` over 10,000 unique lines (goal: under 10 s, start-up included), beside reading the
same lines as JSON only (the floor of any parser)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

from bot.train import corpus_lines

LINES = 10_000
LINLI = Path(sys.executable).with_name("linli")


def unique_lines(count: int = LINES) -> str:
    """Corpus messages in the order of their texts' SHA-1, numbered where they repeat so every text is
    unique.

    Hash order spreads the feed over every file in the corpus's own mix, and a new file changes it only
    by its share; the first lines by file name would be whichever files sort first, long or short.
    """
    corpus = sorted(corpus_lines(), key=lambda line: hashlib.sha1(line.text.encode("utf-8")).hexdigest())
    rows = []
    for i in range(count):
        line = corpus[i % len(corpus)]
        text = line.text if i < len(corpus) else f"{line.text} {i}"
        rows.append(json.dumps({"text": text, "now": line.now}, ensure_ascii=False))
    return "\n".join(rows) + "\n"


async def measure(count: int = LINES) -> dict[str, float]:
    feed = unique_lines(count)
    started = time.perf_counter()
    done = subprocess.run([str(LINLI), "parse"], input=feed, capture_output=True, text=True, check=True)
    parse_seconds = time.perf_counter() - started
    answered = sum(1 for line in done.stdout.splitlines() if line.strip())
    started = time.perf_counter()
    for line in feed.splitlines():
        json.loads(line)
    floor_seconds = time.perf_counter() - started
    return {
        "parse_unique_lines": float(answered),
        "parse_mean_chars_per_line": sum(len(json.loads(line)["text"]) for line in feed.splitlines()) / count,
        "parse_seconds": parse_seconds,
        "parse_lines_per_s": answered / parse_seconds,
        "json_only_lines_per_s": count / floor_seconds,
    }
