"""A person's data on request (PIPL): export everything, or forget them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol


class PrivacyStore(Protocol):
    """Export and erasure of everything stored about one person."""

    async def person_data(self, person_id: int) -> dict[str, list[dict[str, Any]]]:
        """Returns every row about the person (their accounts, messages, tasks, hours, notes, check-ins),
        by section; an unknown id gives empty sections."""
        ...

    async def forget_person(self, person_id: int, placeholder: str, actor: str, at: datetime) -> int:
        """Erases texts, phones, rooms, notes and accounts; rows others point at stay with the name
        replaced by ``placeholder`` (ledger hours are kept); records who asked; returns rows changed."""
        ...
