"""Backups and restores of either backend, safe while the bot runs.

SQLite through its online backup API (a consistent copy of the file, read in one transaction, which
in WAL mode never stops the bot's writes); PostgreSQL through ``pg_dump`` / ``pg_restore`` in
their custom format. A backup holds personal data: its file is 0600, in a 0700 folder when we
make the folder.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import IO

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from storage.base import StorageError
from storage.lockfile import ProcessLock
from storage.sqlite_core import migrations as sqlite_migrations
from storage.sqlite_core import private_file
from storage.tables import postgres_counts, sqlite_counts, sqlite_version

INSTALL_CLIENT = (
    "install the PostgreSQL client tools of the server's major version or newer "
    "(Debian/Ubuntu: apt install postgresql-client-18; or the PGDG packages)"
)


def private_target(target: Path) -> Path:
    """Creates ``target`` empty and 0600 (its folder 0700 when we make it); refuses to overwrite
    an earlier backup."""
    if target.exists():
        raise StorageError(
            f"{target} already exists; choose another --to (an old backup is never overwritten)"
        )
    private_file(target)
    return target


def open_to_others(folder: Path) -> bool:
    """Whether people other than the owner may list or read the folder's files."""
    return bool(folder.stat().st_mode & 0o077)


# -- SQLite ----------------------------------------------------------------------


def _sqlite_file(path: str) -> sqlite3.Connection:
    if not Path(path).is_file():
        raise StorageError(f"{path} does not exist")
    return sqlite3.connect(path)


def backup_sqlite(path: str, target: Path) -> None:
    """Copies the database at ``path`` into ``target`` (one self-contained file, no -wal)."""
    source = _sqlite_file(path)
    try:
        copy = sqlite3.connect(private_target(target))
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
    finally:
        source.close()


def _check_sqlite_backup(backup: sqlite3.Connection, name: Path) -> int:
    """The backup's schema version, after checking it is a whole Linli database this Linli can read."""
    try:
        verdict = backup.execute("PRAGMA quick_check").fetchone()[0]
        version = sqlite_version(backup)
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{name} is not a SQLite database: {exc}") from None
    if verdict != "ok":
        raise StorageError(f"{name} is damaged: {verdict}")
    if version == 0:
        raise StorageError(f"{name} is not a Linli database (it has no schema_version)")
    check_not_newer(version, sqlite_migrations()[-1][0], name)
    return version


def check_not_newer(version: int, latest: int, name: object) -> None:
    """Refuses a database newer than this Linli: its code would misread what it does not know."""
    if version > latest:
        raise StorageError(
            f"{name} is at schema version {version}, "
            f"but this Linli knows only up to {latest}: upgrade Linli first"
        )


def restore_sqlite(backup: Path, path: str, *, force: bool) -> None:
    """Writes ``backup`` over the database at ``path``: refused while a bot holds the file, and over
    a database with data in it unless ``force``. The caller opens it after (migrating it forward)."""
    source = _sqlite_file(str(backup))
    try:
        _check_sqlite_backup(source, backup)
        with ProcessLock(path):  # no bot may start (or run) meanwhile
            if Path(path).exists():
                current = sqlite3.connect(path)
                try:
                    rows = sum(sqlite_counts(current).values())
                finally:
                    current.close()
                if rows and not force:
                    raise StorageError(
                        f"{path} already holds {rows} rows; restoring would replace them: add --force"
                    )
            private_file(Path(path))
            target = sqlite3.connect(path)
            try:
                source.backup(target)
            finally:
                target.close()
    finally:
        source.close()


# -- PostgreSQL ------------------------------------------------------------------


def pg_tool(name: str, given: str | None) -> str:
    """The path of ``pg_dump`` or ``pg_restore``: the one given, else the one on PATH."""
    found = shutil.which(given or name)
    if found is None:
        where = f"{given} is not an executable" if given else f"{name} is not on PATH"
        raise StorageError(f"{where}: {INSTALL_CLIENT}, or name it with --{name.replace('_', '-')}")
    return found


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL as a conninfo without its password, and an environment giving the password to libpq,
    so that the password never shows on a command line (``ps`` lists those to every user)."""
    parts = conninfo_to_dict(url)
    password = parts.pop("password", None)
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    return make_conninfo(**{key: str(value) for key, value in parts.items()}), env


def _run(command: list[str], env: dict[str, str], stdout: IO[bytes] | int = subprocess.PIPE) -> bytes:
    """Runs a PostgreSQL client tool; its complaint becomes a StorageError."""
    done = subprocess.run(command, env=env, stdout=stdout, stderr=subprocess.PIPE, check=False)
    if done.returncode != 0:
        raise StorageError(f"{Path(command[0]).name} failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout or b""


def backup_postgres(url: str, target: Path, pg_dump: str) -> None:
    """``pg_dump --format=custom`` of the database into ``target`` (created 0600 before pg_dump writes)."""
    conninfo, env = _libpq(url)
    with private_target(target).open("wb") as out:
        _run([pg_dump, "--format=custom", "--no-owner", "--dbname", conninfo], env, stdout=out)


def postgres_backup_version(backup: Path, pg_restore: str) -> int:
    """The schema version inside a ``pg_dump`` file, read without restoring it."""
    data = _run(
        [pg_restore, "--data-only", "--table=schema_version", "--file=-", str(backup)], dict(os.environ)
    )
    lines = data.decode(errors="replace").splitlines()
    # The table's data comes as ``COPY public.schema_version (…) FROM stdin;``, one row a line, then ``\.``.
    copy = next(
        (i for i, line in enumerate(lines) if line.startswith("COPY ") and "schema_version" in line), None
    )
    if copy is None:
        raise StorageError(f"{backup} is not a Linli backup (it has no schema_version)")
    rows = itertools.takewhile(lambda line: line != "\\.", lines[copy + 1 :])
    return max((int(line.split("\t")[0]) for line in rows), default=0)


def restore_postgres(backup: Path, url: str, pg_restore: str, *, force: bool) -> None:
    """``pg_restore`` of a backup into the database ``url`` names: refused over data unless ``force``.
    Tables the backup has are dropped and made again; the caller opens it after (migrating it forward)."""
    from storage.postgres.core import migrations as postgres_migrations

    if not backup.is_file():
        raise StorageError(f"{backup} does not exist")
    version = postgres_backup_version(backup, pg_restore)
    check_not_newer(version, postgres_migrations()[-1][0], backup)
    conninfo, env = _libpq(url)
    with psycopg.connect(url) as conn:
        rows = sum(postgres_counts(conn).values())
    if rows and not force:
        raise StorageError(
            f"the database already holds {rows} rows; restoring would replace them: add --force"
        )
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            conninfo,
            str(backup),
        ],
        env,
    )
