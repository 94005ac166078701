"""People and their platform accounts: identities, proofs, link codes and the record of changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from storage.models import Identity, Person, PersonEvent, PersonUpdate, Role


class PeopleStore(Protocol):
    """People, their platform identities, one-time link codes (invitations and /link) and their events."""

    async def resolve_identity(self, platform: str, user_id: str, display_name: str) -> Person:
        """Returns the person behind an account, creating both on first sight."""
        ...

    async def get_person(self, person_id: int) -> Person | None:
        """Returns the person, or None for an unknown id."""
        ...

    async def find_person_by_name(self, name: str) -> Person | None:
        """Returns the active person with exactly this name, or None."""
        ...

    async def people_named(self, name: str) -> list[Person]:
        """Returns every person (active or not) with exactly this name, oldest first."""
        ...

    async def persons_with_role(self, *roles: Role) -> list[Person]:
        """Returns the active people with any of ``roles``."""
        ...

    async def add_person(self, name: str, role: Role, at: datetime) -> Person:
        """Creates a new person even when someone else has the same name (two 王奶奶 in two buildings)."""
        ...

    async def upsert_person(
        self, name: str, role: Role, identities: Sequence[tuple[str, str]] = ()
    ) -> Person:
        """Creates or updates (name, role) the person owning any of ``identities`` (platform, user id),
        or with none the pending record of that name, and gives them every account as proven."""
        ...

    async def update_person(self, person_id: int, change: PersonUpdate) -> Person:
        """Writes the fields ``change`` sets and returns the person; KeyError for an unknown id."""
        ...

    async def person_by_identity(self, platform: str, user_id: str) -> Person | None:
        """Returns the person owning a platform account, or None (never creates one)."""
        ...

    async def identities_of(self, person_id: int) -> list[Identity]:
        """Returns the person's platform accounts, reachable ones first."""
        ...

    async def identities_named(self, name: str) -> list[Identity]:
        """Returns every account whose display name or person is called ``name`` (active people)."""
        ...

    async def attach_identity(self, person_id: int, platform: str, user_id: str, display_name: str) -> None:
        """Gives the person this platform account, creating it or moving it from whoever had it."""
        ...

    async def link_identity(self, platform: str, user_id: str, person_id: int) -> None:
        """Moves a known account to another person (identity linking across platforms)."""
        ...

    async def verify_identity(self, platform: str, user_id: str) -> None:
        """Marks an account as proven (staff picked it, or it redeemed an invitation); unknown: nothing."""
        ...

    async def set_identity_reachable(self, platform: str, user_id: str, reachable: bool) -> bool:
        """Marks an account (un)reachable; returns True when this changed it."""
        ...

    async def record_person_event(
        self, person_id: int, kind: str, actor_id: int | None, detail: str, at: datetime
    ) -> None:
        """Appends to a person's record of merges, proofs and refusals (who, what, when)."""
        ...

    async def person_events(self, person_id: int) -> list[PersonEvent]:
        """Returns a person's recorded events, oldest first."""
        ...

    async def count_person_events(self, person_id: int, kind: str, since: datetime) -> int:
        """Counts a person's events of one kind after ``since`` (e.g. wrong /link codes)."""
        ...

    async def create_link_code(
        self, person_id: int, code: str, expires_at: datetime, platform: str = ""
    ) -> None:
        """Stores a one-time code for joining another account to this person (replacing older ones)."""
        ...

    async def take_link_code(self, code: str, now: datetime, platform: str = "") -> int | None:
        """Consumes a code still valid at ``now``; returns its person, or None (unknown, used, expired,
        or said on ``platform``, the one that issued it; such a code stays valid)."""
        ...
