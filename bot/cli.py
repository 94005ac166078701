"""The `linli` command: demo, console, run, parse (and more as the product grows)."""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo

from bot.cli_digest import add_digest_command
from bot.cli_doctor import add_doctor_command
from bot.cli_person import add_person_command
from bot.cli_records import add_commands as add_record_commands
from bot.cli_storage import add_commands as add_storage_commands
from bot.config import ConfigError, check_runnable, load_config
from bot.demo import run_console, run_demo
from bot.runner import serve
from bot.train import add_commands as add_model_commands
from handlers.understanding.understand import parse_line
from storage.base import StorageError

log = logging.getLogger(__name__)

Command = Callable[[argparse.Namespace], int]


def cmd_demo(args: argparse.Namespace) -> int:
    """Plays the scripted demo on the console platform and exits."""
    return asyncio.run(run_demo(pause=args.pause))


def cmd_console(args: argparse.Namespace) -> int:
    """Lets a person type as any simulated resident, volunteer or staff member."""
    return asyncio.run(run_console(args.config))


class ZonedFormatter(logging.Formatter):
    """Log times in the community's timezone, as the chats show them (not the server's UTC)."""

    def __init__(self, fmt: str, tz: tzinfo) -> None:
        super().__init__(fmt)
        self.tz = tz

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.fromtimestamp(record.created, self.tz)
        return moment.strftime(datefmt) if datefmt else moment.isoformat(sep=" ", timespec="seconds")


def use_log_timezone(tz: tzinfo) -> None:
    """Makes every root handler write times in ``tz`` (with the offset, so nobody has to guess)."""
    for handler in logging.getLogger().handlers:
        handler.setFormatter(ZonedFormatter(LOG_FORMAT, tz))


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
SERVICE_LOGGERS = ("bot.runner", "bot.platforms", "storage.sqlite_core", "storage.postgres.core")
"""Whose INFO lines ``linli run`` shows (docs/operations.md): start, platforms connecting, migrations."""


def cmd_run(args: argparse.Namespace) -> int:
    """Runs the bot on every platform the config turns on."""
    config = load_config(args.config)
    use_log_timezone(config.settings.tz)
    if not (config.console.enabled or config.telegram or config.wechat):
        raise ConfigError(
            "telegram / wechat / console",
            "no platform is configured: set [telegram] token, [wechat] endpoint, or [console] enabled = true",
        )
    check_runnable(config)
    if not args.verbose:  # a service's log says what it migrated, started on, connected to, and stopped
        for name in SERVICE_LOGGERS:
            logging.getLogger(name).setLevel(logging.INFO)
    return asyncio.run(serve(config))


def cmd_parse(args: argparse.Namespace) -> int:
    """JSON lines in, one understanding per line out (../shared/corpus/CONTRACT.md)."""
    # Bytes that are not UTF-8 reach parse_line as surrogates and get an error line, not a crash.
    lines = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape")
    for line in lines:
        sys.stdout.write(parse_line(line.rstrip("\r\n")) + "\n")
        sys.stdout.flush()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="linli",
        description="邻里 Linli — a mutual-aid bot for building group chats (WeChat, Telegram, console).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details to stderr")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = commands.add_parser("demo", help="play the scripted demo (need → card → claim → done → confirm …)")
    demo.add_argument(
        "--pause",
        type=float,
        default=None,
        help="seconds between steps (default: 0.6 on a terminal, 0 otherwise)",
    )
    demo.set_defaults(func=cmd_demo)

    console = commands.add_parser("console", help="type as simulated people in simulated groups")
    console.add_argument(
        "--config", help="use this config (storage, staff, groups); default: a scratch setup"
    )
    console.set_defaults(func=cmd_console)

    run = commands.add_parser("run", help="run the bot on the platforms in the config")
    run.add_argument("--config", default="config.toml", help="path to config.toml (default: %(default)s)")
    run.set_defaults(func=cmd_run)

    parse = commands.add_parser("parse", help="understand JSON lines from stdin (see corpus/CONTRACT.md)")
    parse.set_defaults(func=cmd_parse)
    add_model_commands(commands)
    add_digest_command(commands)
    add_record_commands(commands)
    add_person_command(commands)
    add_storage_commands(commands)
    add_doctor_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG
        if args.verbose
        else (logging.ERROR if args.command == "demo" else logging.WARNING),
        format=LOG_FORMAT,
        stream=sys.stderr,
    )
    try:
        result: int = args.func(args)
        return result
    except ConfigError as exc:
        print(f"linli: {exc}", file=sys.stderr)
        return 2
    except StorageError as exc:
        print(f"linli: storage: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
