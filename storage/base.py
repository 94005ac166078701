"""The repository contract every storage dialect implements: one Protocol per aggregate, joined.

Handlers depend on ``Repository`` (or on the one Protocol they need); the Protocols live in
``storage/contract/``, one module per aggregate, and ``tests/storage_contract`` runs every
backend through the same cases.
"""

from __future__ import annotations

from typing import Protocol

from storage.contract.chats import ChatStore
from storage.contract.checkins import CheckinStore, ElderStore
from storage.contract.core import CoreStore
from storage.contract.incidents import IncidentStore
from storage.contract.jobs import JobStore
from storage.contract.leases import LeaseStore
from storage.contract.ledger import LedgerStore
from storage.contract.messages import InboxStore, OutboxStore
from storage.contract.offers import OfferStore
from storage.contract.people import PeopleStore
from storage.contract.privacy import PrivacyStore
from storage.contract.registry import RegistryStore
from storage.contract.reports import ReportStore
from storage.contract.tasks import TaskStore


class StorageError(Exception):
    """The database cannot be used as it is (wrong version, unreadable file)."""


class SchemaTooNew(StorageError):
    """The database was written by a newer Linli than this one."""


class Repository(
    CoreStore,
    PeopleStore,
    ChatStore,
    InboxStore,
    OutboxStore,
    TaskStore,
    OfferStore,
    IncidentStore,
    ElderStore,
    CheckinStore,
    LedgerStore,
    RegistryStore,
    JobStore,
    LeaseStore,
    ReportStore,
    PrivacyStore,
    Protocol,
):
    """Everything handlers may ask of storage."""


__all__ = [
    "ChatStore",
    "CheckinStore",
    "CoreStore",
    "ElderStore",
    "InboxStore",
    "IncidentStore",
    "JobStore",
    "LeaseStore",
    "LedgerStore",
    "OfferStore",
    "OutboxStore",
    "PeopleStore",
    "PrivacyStore",
    "RegistryStore",
    "ReportStore",
    "Repository",
    "SchemaTooNew",
    "StorageError",
    "TaskStore",
]
