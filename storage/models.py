"""Records the repository stores and returns: frozen values, never live rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TaskState(StrEnum):
    """Where a task stands in the queue."""

    OPEN = "open"
    CLAIMED = "claimed"
    DONE = "done"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class Role(StrEnum):
    """What a person may do; staff and admin manage the community."""

    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    ELDER = "elder"
    STAFF = "staff"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class ChatRef:
    """A conversation on one platform: a group, or the private chat with one user."""

    platform: str
    chat_id: str
    private: bool = False


@dataclass(frozen=True, slots=True)
class Button:
    """An inline action under a message; `action` looks like ``claim:12``.

    ``open:<payload>`` asks the platform for a link that opens the private chat
    with the bot carrying ``payload`` (Telegram deep links); platforms without
    such links leave it out.
    """

    label: str
    action: str


@dataclass(frozen=True, slots=True)
class Reply:
    """Something the bot wants to say; handlers return these, the outbox sends them.

    ``card_of`` marks the message as the card of task #N, so later changes can
    edit it (``edit=True``) instead of posting again.  ``reply_to`` is the
    platform message id to quote.  A ``toast`` is the short answer to a button
    press: it is shown at once and never queued.  ``fallback`` is queued instead
    when the recipient turns out to be unreachable (a hint in the group, say).
    ``image`` is the path of a picture sent after the text where the platform can.
    A ``bulk`` message is one of many sent at once (the morning's greetings): replies go first.
    """

    chat: ChatRef
    text: str
    buttons: tuple[Button, ...] = ()
    reply_to: str | None = None
    card_of: int | None = None
    edit: bool = False
    toast: bool = False
    fallback: Reply | None = None
    image: str | None = None
    bulk: bool = False


@dataclass(frozen=True, slots=True)
class Incoming:
    """One normalized event from a platform: a message, or a button press (``action``)."""

    platform: str
    chat: ChatRef
    sender_id: str
    sender_name: str
    text: str
    message_id: str
    at: datetime
    reply_to: str | None = None
    chat_title: str | None = None
    action: str | None = None
    mentions_bot: bool = False
    kind: str = "text"


@dataclass(frozen=True, slots=True)
class Person:
    """Someone in the community; may have identities on several platforms."""

    id: int
    name: str
    role: Role = Role.RESIDENT
    language: str | None = None
    building: str | None = None
    room: str | None = None
    phone: str | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class Identity:
    """A person's account on one platform."""

    platform: str
    user_id: str
    person_id: int
    display_name: str
    reachable: bool = True
    verified: bool = False


@dataclass(frozen=True, slots=True)
class Chat:
    """A group chat the bot is in, optionally bound to a building."""

    platform: str
    chat_id: str
    title: str | None = None
    building: str | None = None
    language: str | None = None
    reachable: bool = True


@dataclass(frozen=True, slots=True)
class Task:
    """A help request (or emergency) with community-wide number ``id`` (#N)."""

    id: int
    state: TaskState
    text: str
    requester_id: int
    created_at: datetime
    category: str | None = None
    urgency: str = "normal"
    window_start: datetime | None = None
    window_end: datetime | None = None
    building: str | None = None
    room: str | None = None
    claimer_id: int | None = None
    emergency: bool = False
    duration_hours: float | None = None
    priority: int = 0
    origin: ChatRef | None = None
    origin_message_id: str | None = None
    updated_at: datetime | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class TaskEvent:
    """One state change of a task: who did what, when."""

    task_id: int
    action: str
    from_state: TaskState | None
    to_state: TaskState
    actor_id: int | None
    at: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Offer:
    """A volunteer's offer of time or skills."""

    id: int
    person_id: int
    text: str
    skills: tuple[str, ...]
    created_at: datetime
    window_start: datetime | None = None
    window_end: datetime | None = None
    building: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A volunteer who fits a request: by the skill asked for (else by general free time), when
    they were last asked privately about a request (None: never), their name, and their newest
    fitting offer (None: they fit by their registered skills alone), so the card can name them."""

    person_id: int
    by_skill: bool
    asked_at: datetime | None
    name: str
    offer_id: int | None


@dataclass(frozen=True, slots=True)
class Card:
    """Where a task's card was posted, so it can be edited in place."""

    task_id: int
    chat: ChatRef
    message_id: str


class OutboxState(StrEnum):
    """Where a queued message stands: waiting, leased to a sender, delivered, or given up on."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A queued outgoing message with its delivery bookkeeping."""

    id: int
    reply: Reply
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    state: OutboxState = OutboxState.PENDING
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class SentMark:
    """A delivery to record: the outbox row, when it went, and the platform's id for the message."""

    outbox_id: int
    at: datetime
    message_id: str | None


class InboxState(StrEnum):
    """Whether a stored incoming message has been handled."""

    NEW = "new"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class InboxItem:
    """A stored incoming message and whether it has been handled."""

    id: int
    message: Incoming
    state: InboxState
    error: str | None = None


@dataclass(frozen=True, slots=True)
class PersonUpdate:
    """Changes to a person's record; None leaves a field as it is."""

    name: str | None = None
    role: Role | None = None
    language: str | None = None
    building: str | None = None
    room: str | None = None
    phone: str | None = None
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class PersonEvent:
    """One entry of a person's record of merges, proofs and refusals."""

    kind: str
    actor_id: int | None
    detail: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ChatUpdate:
    """Changes to a group chat's record (its building is bound with ``bind_chat``); None leaves a field."""

    title: str | None = None
    language: str | None = None
    reachable: bool | None = None


@dataclass(frozen=True, slots=True)
class TaskUpdate:
    """Changes to a task's descriptive fields (its state moves only by ``transition_task``); None leaves a
    field as it is."""

    duration_hours: float | None = None
    priority: int | None = None
    building: str | None = None
    room: str | None = None
    category: str | None = None
    urgency: str | None = None


class IncidentState(StrEnum):
    """An emergency's life: reported → acknowledged (someone is on the way) → resolved (with an outcome)."""

    REPORTED = "reported"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


INCIDENT_OUTCOMES = ("hospital", "safe", "false_alarm")
"""送医, 平安, 误报."""


@dataclass(frozen=True, slots=True)
class Incident:
    """An emergency with its own number ``id`` (🚨 E3), over the task row that keeps its text and place."""

    id: int
    task_id: int
    kind: str | None
    state: IncidentState
    reported_at: datetime
    elder_id: int | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: int | None = None
    resolved_at: datetime | None = None
    resolved_by: int | None = None
    outcome: str | None = None
    step: int = 0
    next_call_at: datetime | None = None
