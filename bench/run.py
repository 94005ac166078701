"""`make bench`: runs every benchmark and writes bench/results.json."""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"
MODULES = (
    "bench.pipeline",
    "bench.parse",
    "bench.durability",
    "bench.postgres",
    "bench.failover",
    "bench.checkins",
    "bench.digest",
    "bench.noise",
)


async def main() -> int:
    logging.basicConfig(level=logging.ERROR)
    results: dict[str, dict[str, float]] = {}
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        print(f"running {name} …", flush=True)
        figures = await module.measure()
        results[name.removeprefix("bench.")] = figures
        for key, value in figures.items():
            print(f"  {key}: {value:,.3f}", flush=True)
    flat = dict(results.get("pipeline", {}))
    RESULTS.write_text(
        json.dumps({**flat, "all": results}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
