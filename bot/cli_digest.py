"""`linli digest`: the staff digest of one day from the command line, as text, Markdown or a PNG chart."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.config import load_config
from handlers.common.context import Ctx, Settings, SystemClock
from handlers.common.texts import LANGUAGES
from handlers.digest.chart import render_chart
from handlers.digest.digest import make_digest, render
from handlers.digest.figures import Digest
from storage import connect_repository

log = logging.getLogger(__name__)

FORMATS = ("text", "markdown", "png")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-24") from None


def add_digest_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``linli digest`` to the command line."""
    parser = commands.add_parser(
        "digest", help="print or write the staff digest of a day (text, markdown, png)"
    )
    parser.add_argument("--date", type=_day, help="the day to report, e.g. 2026-11-24 (default: yesterday)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="default: %(default)s")
    parser.add_argument("--config", default="config.toml", help="path to config.toml (default: %(default)s)")
    parser.add_argument(
        "--output", help="write to this file instead of standard output (png: default digest-DATE.png)"
    )
    parser.add_argument("--language", choices=LANGUAGES, help="default: the community's language")
    parser.set_defaults(func=cmd_digest)


def cmd_digest(args: argparse.Namespace) -> int:
    """Builds the digest from the configured database and prints or writes it."""
    config = load_config(args.config)
    tz = config.settings.tz
    day = args.date or (datetime.now(tz).date() - timedelta(days=1))
    language = args.language or config.settings.language
    digest = asyncio.run(_build(config.storage_url, config.settings, day))
    if args.format == "png":
        path = Path(args.output or f"digest-{day.isoformat()}.png")
        path.write_bytes(render_chart(digest, language))
        print(path, file=sys.stderr)
        return 0
    text = render(digest, language, markdown=args.format == "markdown") + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


async def _build(url: str, settings: Settings, day: date) -> Digest:
    repo = await connect_repository(url)
    try:
        return await make_digest(Ctx(repo=repo, clock=SystemClock(settings.tz), settings=settings), day)
    finally:
        await repo.close()
