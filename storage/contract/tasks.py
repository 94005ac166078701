"""The queue: tasks, their state changes and the cards that show them in group chats."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from storage.models import Card, ChatRef, Task, TaskEvent, TaskState, TaskUpdate


class TaskStore(Protocol):
    """Tasks (#N), their events and their cards."""

    async def create_task(
        self,
        *,
        text: str,
        requester_id: int,
        at: datetime,
        category: str | None = None,
        urgency: str = "normal",
        window: tuple[datetime, datetime] | None = None,
        building: str | None = None,
        room: str | None = None,
        emergency: bool = False,
        priority: int = 0,
        origin: ChatRef | None = None,
        origin_message_id: str | None = None,
        inbox_id: int | None = None,
        language: str | None = None,
    ) -> Task:
        """Creates task #N in state open (one per inbox message) and records the event."""
        ...

    async def get_task(self, task_id: int) -> Task | None:
        """Returns the task, or None for an unknown number."""
        ...

    async def task_for_inbox(self, inbox_id: int) -> Task | None:
        """Returns the task an incoming message created, if any."""
        ...

    async def transition_task(
        self,
        task_id: int,
        *,
        action: str,
        expect: TaskState | Sequence[TaskState],
        to: TaskState,
        actor_id: int | None,
        at: datetime,
        claimer_id: int | None = None,
        unclaim: bool = False,
        duration_hours: float | None = None,
        note: str | None = None,
    ) -> bool:
        """Moves the task only if it is in ``expect`` and records the event; exactly one of racing
        calls wins. False when the task is missing or was not in an expected state.

        ``claimer_id`` names the volunteer who holds the task from now on (a claim, an
        assignment); ``unclaim`` forgets the holder (a release); otherwise the holder stays.
        ``duration_hours``, when given, records the hours served.
        """
        ...

    async def update_task(self, task_id: int, change: TaskUpdate) -> None:
        """Writes the descriptive fields ``change`` sets; an unknown task is ignored."""
        ...

    async def task_events(self, task_id: int) -> list[TaskEvent]:
        """Returns every state change of the task, oldest first."""
        ...

    async def list_tasks(
        self,
        *,
        states: Sequence[TaskState] = (),
        building: str | None = None,
        emergency: bool | None = None,
        created_before: datetime | None = None,
        categories: Sequence[str] = (),
        requester_id: int | None = None,
        claimer_id: int | None = None,
        limit: int = 1000,
    ) -> list[Task]:
        """Returns tasks, highest priority then oldest first; every argument given narrows."""
        ...

    async def tasks_between(self, start: datetime, end: datetime) -> list[Task]:
        """Returns tasks created in [start, end), oldest first."""
        ...

    async def oldest_task_ids(
        self,
        states: Sequence[TaskState],
        *,
        limit: int,
        window_before: datetime | None = None,
        updated_before: datetime | None = None,
    ) -> list[int]:
        """Returns ids of tasks in ``states``, oldest first; optionally only past their window or stale."""
        ...

    async def record_card(self, task_id: int, chat: ChatRef, message_id: str) -> None:
        """Remembers where the card of a task stands in a chat (latest wins)."""
        ...

    async def cards_of(self, task_id: int) -> list[Card]:
        """Returns every card of the task."""
        ...

    async def last_card_in(self, chat: ChatRef) -> int | None:
        """The task whose card the bot posted last in a group chat (sent or still queued), if any."""
        ...

    async def task_for_message(self, chat: ChatRef, message_id: str) -> Task | None:
        """Returns the task whose card, or whose source message, this is."""
        ...
