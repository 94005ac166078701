"""One process per SQLite file: an advisory lock on ``<database>.lock`` naming its holder."""

from __future__ import annotations

import fcntl
import os
import socket
import time
from pathlib import Path
from types import TracebackType
from typing import Self

from storage.base import StorageError


class DatabaseInUse(StorageError):
    """Another process already serves this database file."""


class ProcessLock:
    """Holds ``<database>.lock`` with ``fcntl.flock`` while the bot runs; the kernel lets go when
    the process ends, however it ends, so a stale lock file never blocks a restart."""

    def __init__(self, database: str | Path) -> None:
        self.path = Path(f"{database}.lock")
        self._fd: int | None = None

    def acquire(self) -> Self:
        """Takes the lock, or raises :class:`DatabaseInUse` naming the process that holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise DatabaseInUse(
                f"{self.path.with_suffix('')} is already in use by {holder}; "
                "stop that process first (one Linli process per database file)"
            ) from None
        holder = f"pid {os.getpid()} on {socket.gethostname()} since {time.strftime('%Y-%m-%d %H:%M:%S')}"
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder.encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        """Lets go of the lock (the file stays; it is harmless)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __enter__(self) -> Self:
        return self.acquire()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
