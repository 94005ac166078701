"""Volunteers' offers of time and skills, and the matching of requests to them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from storage.models import Candidate, Offer, Task


class OfferStore(Protocol):
    """Offers, the requests they fit, and when each volunteer was last asked privately."""

    async def create_offer(
        self,
        *,
        person_id: int,
        text: str,
        skills: Sequence[str],
        at: datetime,
        window: tuple[datetime, datetime] | None = None,
        building: str | None = None,
    ) -> Offer:
        """Records a volunteer's offer."""
        ...

    async def active_offers(
        self, now: datetime, category: str | None = None, limit: int = 200
    ) -> list[Offer]:
        """Returns offers whose window has not ended (or that have none), newest first.

        With ``category``, only offers naming that skill or no skill at all (general time).
        """
        ...

    async def open_task_for_offer(
        self,
        *,
        categories: Sequence[str],
        window: tuple[datetime, datetime] | None,
        building: str | None,
        excluding_requester: int,
    ) -> Task | None:
        """The most pressing open request (not an emergency) an offer fits: one of ``categories``
        (any, when empty), a window meeting ``window`` and the same building, where both have one."""
        ...

    async def fitting_volunteers(
        self,
        category: str,
        window: tuple[datetime, datetime] | None,
        now: datetime,
        *,
        offers_read: int,
        registered: bool,
    ) -> list[Candidate]:
        """Everyone who fits a request of ``category``, each once, with when they were last asked,
        their name and their newest fitting offer: by one of the ``offers_read`` newest live offers
        naming the skill or no skill at all, if its window meets ``window`` (where both have one), or,
        with ``registered``, by the skill in an active volunteer registration. In no particular order.

        One read serves both uses of a new request: naming on its card who may be free (the newest
        offers) and asking a few privately (the least recently asked)."""
        ...

    async def mark_asked(self, person_ids: Sequence[int], at: datetime) -> None:
        """Remembers that these volunteers were asked at ``at``."""
        ...
