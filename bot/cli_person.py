"""`linli person export|forget NAME`: a person's data on request (PIPL 个人信息查阅、删除)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.cli_records import _config
from bot.config import ConfigError
from storage import Repository, connect_repository
from storage.models import Person

log = logging.getLogger(__name__)

FORGOTTEN = "已删除的居民 #{id}"
"""The name a forgotten person's rows keep (ledger hours stay, the name does not)."""


async def _one_person(repo: Repository, name: str, person_id: int | None) -> Person:
    """The person meant: by --id, else the one with this name; several → the choices, by id."""
    if person_id is not None:
        person = await repo.get_person(person_id)
        if person is None or person.name != name:
            raise ConfigError("--id", f"no person #{person_id} called {name!r}")
        return person
    people = await repo.people_named(name)
    if not people:
        raise ConfigError("NAME", f"nobody is called {name!r}")
    if len(people) > 1:
        choices = "; ".join(f"#{p.id} {p.building or ''} {p.role}".strip() for p in people)
        raise ConfigError("NAME", f"{len(people)} people are called {name!r}: {choices}; add --id")
    return people[0]


def _write_private(path: Path, text: str) -> None:
    """Writes the export readable by its owner only (it holds phones, rooms and health notes)."""
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(text, encoding="utf-8")


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def cmd_person(args: argparse.Namespace) -> int:
    """Exports everything stored about a person as JSON, or forgets them; both are logged."""
    config = _config(args)

    async def main() -> int:
        repo = await connect_repository(config.storage_url)
        try:
            person = await _one_person(repo, args.name, args.id)
            now = datetime.now(UTC)
            if args.action == "export":
                data = await repo.person_data(person.id)
                text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
                if args.output and args.output != "-":
                    await asyncio.to_thread(_write_private, Path(args.output), text + "\n")
                else:
                    sys.stdout.write(text + "\n")
                await repo.record_person_event(person.id, "exported", None, f"by {_who()}", now)
                log.warning("person #%s's data exported by %s", person.id, _who())
                return 0
            if not args.yes:
                raise ConfigError(
                    "--yes", f"forgetting #{person.id} {person.name} cannot be undone; add --yes"
                )
            changed = await repo.forget_person(person.id, FORGOTTEN.format(id=person.id), f"by {_who()}", now)
            log.warning("person #%s forgotten by %s (%d rows changed)", person.id, _who(), changed)
            sys.stdout.write(f"#{person.id} forgotten: {changed} rows erased or anonymised\n")
            return 0
        finally:
            await repo.close()

    return asyncio.run(main())


def add_person_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds `linli person export|forget NAME`."""
    person = commands.add_parser(
        "person", help="a person's data on request: export it as JSON, or forget them"
    )
    person.add_argument("action", choices=("export", "forget"))
    person.add_argument("name", help="the person's name (see --id when two share it)")
    person.add_argument("--id", type=int, help="the person's number, when several share the name")
    person.add_argument("--output", "-o", help="export: file to write (default: standard output)")
    person.add_argument("--yes", action="store_true", help="forget: really erase (cannot be undone)")
    person.add_argument("--config", help="config.toml (default: ./config.toml)")
    person.add_argument("--db", help="storage URL or SQLite file, instead of the config's")
    person.set_defaults(func=cmd_person)
