"""Persistence: one repository contract, one implementation per database dialect."""

from __future__ import annotations

from storage.base import Repository
from storage.sqlite import SqliteRepository, open_repository

__all__ = ["Repository", "SqliteRepository", "open_repository"]
