"""Elders living alone, their daily check-ins and the ladder climbed when one goes unanswered."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from storage.checkin_models import (
    Checkin,
    CheckinCount,
    DueGreeting,
    Elder,
    ElderSpec,
    LadderEntry,
    LadderStep,
    NewCheckin,
    Outcome,
    Wellbeing,
)
from storage.models import ChatRef


class ElderStore(Protocol):
    """Elders: where they live, when they are greeted, who is paired with them."""

    async def save_elder(self, spec: ElderSpec, *, at: datetime, next_due_at: datetime | None) -> Elder:
        """Registers the person as an elder, or updates the fields ``spec`` sets (pairs replaced if given).

        A new elder given no time is greeted at 09:00 and has 120 minutes to answer.
        """
        ...

    async def get_elder(self, elder_id: int) -> Elder | None:
        """Returns the elder, or None for an unknown id."""
        ...

    async def elder_of_person(self, person_id: int) -> Elder | None:
        """Returns the elder record of a person (active or not), or None."""
        ...

    async def list_elders(self, *, active: bool | None = True, building: str | None = None) -> list[Elder]:
        """Returns elders in registration order, optionally only (in)active ones or one building's."""
        ...

    async def elders_by_ids(self, ids: Sequence[int]) -> dict[int, Elder]:
        """Returns the elders with these ids (active or not); unknown ids are left out."""
        ...

    async def elders_of_volunteer(self, volunteer_id: int) -> list[Elder]:
        """Returns the active elders a volunteer is paired with."""
        ...

    async def elders_named_in(self, text: str) -> list[Elder]:
        """Returns the active elders whose name (two characters or more) occurs in ``text``."""
        ...

    async def set_elder_schedule(
        self, elder_id: int, *, next_due_at: datetime | None, away_until: datetime | None, at: datetime
    ) -> None:
        """Sets when the elder is next greeted and until when they are away; unknown ids are ignored."""
        ...

    async def set_next_due(self, updates: Sequence[tuple[int, datetime | None]]) -> None:
        """Moves the next greeting of many elders (elder id, when) at once (those skipped while away
        or unreachable)."""
        ...

    async def due_greetings(self, now: datetime, limit: int) -> list[DueGreeting]:
        """Returns up to ``limit`` active elders whose greeting is due by ``now``, earliest first."""
        ...


class CheckinStore(Protocol):
    """One check-in per elder and local day, and its ladder: reminder, volunteers, staff, contact."""

    async def begin_checkins(self, items: Sequence[NewCheckin]) -> dict[int, int]:
        """Records greetings and moves each elder's next due time; returns elder id → new check-in id.

        An elder already greeted that day gets no second row (and is left out of the result).
        """
        ...

    async def get_checkin(self, checkin_id: int) -> Checkin | None:
        """Returns the check-in, or None for an unknown id."""
        ...

    async def checkin_on(self, elder_id: int, day: date) -> Checkin | None:
        """Returns the elder's check-in of a local day, or None."""
        ...

    async def open_checkins_of_person(self, person_id: int) -> list[Checkin]:
        """Returns the person's check-ins still waiting or escalating, oldest first (none if not an elder)."""
        ...

    async def answer_checkin(
        self,
        checkin_id: int,
        *,
        at: datetime,
        in_window: bool,
        outcome: Outcome,
        wellbeing: Wellbeing | None,
        text: str | None,
        chat: ChatRef | None,
        message_id: str | None,
        by: int | None,
    ) -> bool:
        """Closes an open check-in with the elder's sign of life; False when it was no longer open."""
        ...

    async def checkin_answered_by(self, chat: ChatRef, message_id: str) -> Checkin | None:
        """Returns the check-in a message answered, or None."""
        ...

    async def note_wellbeing(self, checkin_id: int, wellbeing: Wellbeing) -> bool:
        """Lowers the day's wellbeing mark (never raises it); True when it changed."""
        ...

    async def due_steps(self, now: datetime, limit: int) -> list[Checkin]:
        """Returns open check-ins whose next ladder step is due by ``now``, earliest first."""
        ...

    async def next_checkin_work_at(self) -> datetime | None:
        """Returns when the next greeting or ladder step is due, or None when nothing is scheduled."""
        ...

    async def advance_checkin(
        self,
        checkin_id: int,
        *,
        expect: LadderStep,
        step: LadderStep,
        at: datetime,
        next_step_at: datetime | None,
        reached: int,
        note: str | None = None,
    ) -> bool:
        """Climbs one step if the check-in is open and still at ``expect``; exactly one racing call wins."""
        ...

    async def hurry_checkin(self, checkin_id: int, at: datetime) -> bool:
        """Brings the next step of an open ladder forward to ``at`` (nobody answered the door)."""
        ...

    async def close_checkin(
        self, checkin_id: int, *, outcome: Outcome, by: int | None, at: datetime, task_id: int | None = None
    ) -> bool:
        """Ends an open ladder with an outcome; False when it was already over."""
        ...

    async def set_checkin_task(self, checkin_id: int, task_id: int) -> None:
        """Links the task a check-in answer produced (an unwell elder's request for the pair)."""
        ...

    async def ladder_of(self, checkin_id: int) -> list[LadderEntry]:
        """Returns the steps taken, with their times, in order."""
        ...

    async def add_notified(self, checkin_id: int, person_ids: Sequence[int], step: LadderStep) -> None:
        """Remembers who was asked on a ladder (once per person)."""
        ...

    async def notified_of(self, checkin_id: int) -> list[int]:
        """Returns the people asked on a ladder, in the order they were asked."""
        ...

    async def open_ladders_of(self, person_id: int) -> list[Checkin]:
        """Returns the escalating check-ins this person was asked about."""
        ...

    async def escalating_checkins(self) -> list[Checkin]:
        """Returns every check-in whose ladder is being climbed."""
        ...

    async def checkins_between(self, first: date, last: date) -> list[Checkin]:
        """Returns check-ins of the local days first..last (inclusive)."""
        ...

    async def count_checkins(self, first: date, last: date) -> list[CheckinCount]:
        """Counts check-ins of the days first..last per day, building and key.

        The key is ``answered`` (inside the window), ``away``, or ``missed:<outcome>``
        (``missed:open`` while the ladder is still being climbed).
        """
        ...

    async def missed_checkins(self, day: date, limit: int) -> list[Checkin]:
        """Returns up to ``limit`` check-ins of a day that got no answer inside their window (away aside)."""
        ...

    async def checkins_of_concern(self, first: date, last: date, *, missed: int) -> list[Checkin]:
        """Returns the days first..last of every elder who missed ``missed`` or more of them, or had a
        mark below 好; by elder, oldest day first (everyone else is left out)."""
        ...
