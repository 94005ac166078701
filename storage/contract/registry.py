"""The volunteer registry, registration conversations in progress, and care notes on people."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from storage.lovebank_models import CareNote, Draft, VolunteerProfile


class RegistryStore(Protocol):
    """Volunteers' registrations (skills, free time), the /register conversation, and care notes."""

    async def upsert_volunteer(
        self,
        person_id: int,
        *,
        skills: Sequence[str],
        availability: str | None,
        source: str,
        at: datetime,
    ) -> tuple[VolunteerProfile, bool]:
        """Registers the person as an active volunteer, or updates their registration; True when new."""
        ...

    async def get_volunteer(self, person_id: int) -> VolunteerProfile | None:
        """Returns the person's registration, or None."""
        ...

    async def list_volunteers(self, *, active: bool | None = True) -> list[VolunteerProfile]:
        """Returns registrations (only active ones by default), oldest first."""
        ...

    async def set_volunteer_active(self, person_id: int, active: bool, at: datetime) -> bool:
        """(De)activates a registration; False when the person never registered."""
        ...

    async def get_draft(self, person_id: int) -> Draft | None:
        """Returns the person's registration conversation in progress, or None."""
        ...

    async def save_draft(self, person_id: int, step: str, data: dict[str, str], at: datetime) -> None:
        """Stores where the registration conversation stands (replacing the previous state)."""
        ...

    async def drop_draft(self, person_id: int) -> None:
        """Forgets the registration conversation; a no-op when there is none."""
        ...

    async def add_care_note(self, person_id: int, text: str, author_id: int | None, at: datetime) -> CareNote:
        """Adds a care note on a person."""
        ...

    async def care_notes_of(self, person_id: int, limit: int = 5) -> list[CareNote]:
        """Returns a person's active care notes, newest first."""
        ...

    async def remove_care_note(self, note_id: int) -> CareNote | None:
        """Hides a care note (kept for the record); returns it, or None for an unknown id."""
        ...
