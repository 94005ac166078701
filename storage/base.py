"""The repository contract every storage dialect implements.

Handlers depend on these Protocols only.  All times passed in and returned are
timezone-aware.  Methods that read return frozen copies.  Any method may be
called inside ``async with repo.transaction():``; outside one, each call is
its own transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date, datetime
from typing import Any, Literal, Protocol

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
    TaskCount,
    VolunteerHours,
    Wellbeing,
)
from storage.lovebank_models import (
    CareNote,
    Draft,
    Ledger,
    RecordKind,
    ServiceRecord,
    StarAward,
    VolunteerProfile,
)
from storage.models import (
    Card,
    Chat,
    ChatRef,
    Identity,
    InboxItem,
    Incident,
    IncidentState,
    Incoming,
    Offer,
    OutboxItem,
    Person,
    Reply,
    Role,
    Task,
    TaskEvent,
    TaskState,
)


class StorageError(Exception):
    """The database cannot be used as it is (wrong version, unreadable file)."""


class SchemaTooNew(StorageError):
    """The database was written by a newer Linli than this one."""


class CoreStore(Protocol):
    """Connection lifetime and transactions."""

    def transaction(self) -> AbstractAsyncContextManager[None]:
        """Groups the calls inside into one atomic unit; nests as a savepoint.

        An error leaving a unit undoes that unit's work alone. Tasks started inside a unit
        (``asyncio.gather``) run their calls in it.
        """
        ...

    async def close(self) -> None:
        """Commits nothing further and closes the connection; idempotent."""
        ...


class PeopleStore(Protocol):
    """People, their platform identities, and the chats the bot is in."""

    async def resolve_identity(self, platform: str, user_id: str, display_name: str) -> Person:
        """Returns the person behind an account, creating both on first sight."""
        ...

    async def get_person(self, person_id: int) -> Person | None:
        """Returns the person, or None for an unknown id."""
        ...

    async def find_person_by_name(self, name: str) -> Person | None:
        """Returns the active person with exactly this name, or None."""
        ...

    async def upsert_person(
        self,
        name: str,
        role: Role,
        identities: Sequence[tuple[str, str]] = (),
        **fields: str | None,
    ) -> Person:
        """Creates or updates the person owning any of ``identities`` (or named ``name``)."""
        ...

    async def set_person_fields(self, person_id: int, **fields: object) -> Person:
        """Updates columns (role, language, building, room, phone, active); KeyError if missing."""
        ...

    async def identities_of(self, person_id: int) -> list[Identity]:
        """Returns the person's platform accounts, reachable ones first."""
        ...

    async def link_identity(self, platform: str, user_id: str, person_id: int) -> None:
        """Moves an account to another person (identity linking across platforms)."""
        ...

    async def verify_identity(self, platform: str, user_id: str) -> None:
        """Marks an account as proven (staff picked it, or it redeemed an invitation); unknown: nothing."""
        ...

    async def identities_named(self, name: str) -> list[Identity]:
        """Returns every account whose display name or person is called ``name`` (active people)."""
        ...

    async def record_person_event(
        self, person_id: int, kind: str, actor_id: int | None, detail: str, at: datetime
    ) -> None:
        """Appends to a person's record of merges, proofs and refusals (who, what, when)."""
        ...

    async def person_events(self, person_id: int) -> list[tuple[str, int | None, str, datetime]]:
        """Returns a person's recorded events (kind, actor, detail, when), oldest first."""
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

    async def set_identity_reachable(self, platform: str, user_id: str, reachable: bool) -> bool:
        """Marks an account (un)reachable; returns True when this changed it."""
        ...

    async def persons_with_role(self, *roles: Role) -> list[Person]:
        """Returns the active people with any of ``roles``."""
        ...

    async def upsert_chat(self, platform: str, chat_id: str, title: str | None) -> Chat:
        """Records a group chat the bot has seen; keeps its binding."""
        ...

    async def get_chat(self, platform: str, chat_id: str) -> Chat | None:
        """Returns the chat, or None if the bot never saw it."""
        ...

    async def bind_chat(self, platform: str, chat_id: str, building: str | None) -> Chat:
        """Binds (or with None unbinds) a chat to a building."""
        ...

    async def set_chat_fields(self, platform: str, chat_id: str, **fields: object) -> None:
        """Updates a chat's title, language or reachability; unknown chats are ignored."""
        ...

    async def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        """Re-keys a chat and everything pointing at it (a group that became a supergroup)."""
        ...

    async def chats_for_building(self, building: str) -> list[Chat]:
        """Returns every reachable chat bound to ``building``, on every platform."""
        ...


class InboxStore(Protocol):
    """Incoming messages, stored before anything acts on them."""

    async def store_incoming(
        self, msg: Incoming, state: Literal["new", "done"] = "new"
    ) -> tuple[InboxItem, bool]:
        """Stores the message once per (platform, chat, message id); True when new.

        ``state="done"`` stores it as handled, for a caller that handles it in the same
        transaction (and marks it 'failed' or rolls back if that fails).
        """
        ...

    async def mark_incoming(self, inbox_id: int, state: str, error: str | None = None) -> None:
        """Records that a stored message was handled ('done') or failed ('failed')."""
        ...

    async def fail_incoming(self, msg: Incoming, error: str) -> int:
        """Stores the message (if it is not yet) as failed, in a transaction of its own; returns
        how many times handling it has failed."""
        ...

    async def pending_incoming(self, limit: int = 100) -> list[InboxItem]:
        """Returns stored messages not yet handled, oldest first (crash recovery)."""
        ...

    async def count_incoming(
        self, state: str | None = None, between: tuple[datetime, datetime] | None = None
    ) -> int:
        """Counts stored messages, optionally in one state and posted within [start, end)."""
        ...


class TaskStore(Protocol):
    """The queue: tasks, their events, their cards, and offers."""

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
        claimer_id: int | Literal["keep"] | None = "keep",
        duration_hours: float | None = None,
        note: str | None = None,
    ) -> bool:
        """Moves the task only if it is in ``expect``; exactly one of racing calls wins.

        ``claimer_id`` is left unchanged when ``"keep"``.  Returns False when the
        task is missing or was not in an expected state.
        """
        ...

    async def set_task_fields(self, task_id: int, **fields: object) -> None:
        """Updates descriptive fields (duration_hours, priority, building, room)."""
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

    async def names_offering(
        self,
        now: datetime,
        category: str | None,
        overlapping: tuple[datetime, datetime] | None,
        excluding_person: int,
        limit: int,
    ) -> list[str]:
        """Names of the people behind the newest live offers that fit, each once: the skill (or
        general time; any offer when ``category`` is None), a window meeting ``overlapping``
        where both have one, and none of ``excluding_person``'s."""
        ...


class OutboxStore(Protocol):
    """Outgoing messages, kept until a platform has taken them."""

    async def enqueue(self, reply: Reply, at: datetime) -> int:
        """Queues a reply for sending; returns its outbox id."""
        ...

    async def due_outgoing(self, now: datetime, limit: int = 50) -> list[OutboxItem]:
        """Returns pending messages due by ``now``, in the order they were queued (not leased)."""
        ...

    async def lease_outgoing(
        self,
        owner: str,
        now: datetime,
        until: datetime,
        limit: int = 50,
        bulk_limits: Mapping[str, int] | None = None,
    ) -> list[OutboxItem]:
        """Leases up to ``limit`` messages to ``owner`` until ``until``, in one short transaction,
        and returns them in the order they were queued.

        Taken are pending messages due by ``now`` and messages whose lease ran out (their
        sender died between sending and recording it: they may be sent a second time).
        ``bulk_limits`` caps the bulk messages taken per platform (a few a pass, so replies
        queued behind thousands of greetings are not held back by them).
        """
        ...

    async def release_leases(self, outbox_ids: Sequence[int] | None = None) -> int:
        """Puts leased messages back to pending without counting an attempt (all leased ones when
        ``outbox_ids`` is None: what a stopped process held); returns how many."""
        ...

    async def mark_sent(self, outbox_id: int, at: datetime, message_id: str | None) -> None:
        """Records delivery and ends the lease; a card's message id is remembered for later edits."""
        ...

    async def mark_sent_many(self, marks: Sequence[tuple[int, datetime, str | None]]) -> None:
        """Records many deliveries (outbox id, when, platform message id) in one transaction."""
        ...

    async def mark_retry(self, outbox_id: int, error: str, next_attempt_at: datetime) -> None:
        """Counts a failed attempt, ends the lease and schedules the next one."""
        ...

    async def mark_dead(self, outbox_id: int, error: str) -> None:
        """Gives up on a message whose recipient can never be reached."""
        ...

    async def sent_text(self, chat: ChatRef, message_id: str) -> str | None:
        """Returns what the bot said in the message with this platform id, or None."""
        ...

    async def next_due_at(self) -> datetime | None:
        """Returns when the earliest pending message is due or a lease runs out, or None."""
        ...

    async def count_outgoing(self, state: str | None = None) -> int:
        """Counts outbox rows, optionally in one state."""
        ...


class LovebankStore(Protocol):
    """The love bank (爱心银行): passbook ledger, stars, volunteer registry and care notes."""

    async def add_record(
        self,
        *,
        kind: RecordKind,
        person_id: int,
        hours: float,
        served_at: datetime,
        at: datetime,
        counterpart_id: int | None = None,
        task_id: int | None = None,
        building: str | None = None,
        room: str | None = None,
        category: str | None = None,
        description: str = "",
        witness_id: int | None = None,
        corrects_id: int | None = None,
        reason: str | None = None,
        created_by: int | None = None,
    ) -> tuple[ServiceRecord, bool]:
        """Appends a passbook line with the holder's running totals; True when new.

        A task gets at most one line per (kind, holder): asking again returns the
        existing line and False.  A correction counts as service exactly when the
        line it corrects does; KeyError if ``corrects_id`` is unknown.
        """
        ...

    async def get_record(self, record_id: int) -> ServiceRecord | None:
        """Returns one passbook line, or None for an unknown id."""
        ...

    async def records_of(self, person_id: int, limit: int = 10) -> list[ServiceRecord]:
        """Returns the holder's latest lines, newest first."""
        ...

    async def records_between(self, start: datetime, end: datetime) -> list[ServiceRecord]:
        """Returns every line served in [start, end), oldest first."""
        ...

    async def records_for_task(self, task_id: int) -> list[ServiceRecord]:
        """Returns the lines a task produced (service, withdrawal, corrections), oldest first."""
        ...

    async def ledger(self, person_id: int, start: datetime, end: datetime) -> Ledger:
        """Sums a holder's lines: hours served ever and in [start, end), and the balance; zeros if none."""
        ...

    async def balance(self, person_id: int) -> float:
        """A holder's banked hours now (deposits less withdrawals); 0 if none."""
        ...

    async def ledgers(self, start: datetime, end: datetime) -> list[Ledger]:
        """Returns the ledger of every holder who has any line, most hours in the period first."""
        ...

    async def served_before(self, volunteer_id: int, person_id: int) -> bool:
        """True when the volunteer has a service line for this person (a past volunteer)."""
        ...

    async def award_star(self, person_id: int, year: int, stars: int, hours: float, at: datetime) -> bool:
        """Records that a star level was reached in a year; False if it was recorded before."""
        ...

    async def stars_between(self, start: datetime, end: datetime) -> list[StarAward]:
        """Returns the star levels reached in [start, end), oldest first."""
        ...

    async def mark_job_run(self, job: str, period: str, at: datetime) -> bool:
        """Claims a scheduled job's run for a period; False when it already ran (restart-safe)."""
        ...

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

    async def people_named(self, name: str) -> list[Person]:
        """Returns every person (active or not) with exactly this name, oldest first."""
        ...

    async def tasks_between(self, start: datetime, end: datetime) -> list[Task]:
        """Returns tasks created in [start, end), oldest first."""
        ...

    async def add_person(self, name: str, role: Role, at: datetime) -> Person:
        """Creates a new person even when someone else has the same name (two 王奶奶 in two buildings)."""
        ...

    async def person_by_identity(self, platform: str, user_id: str) -> Person | None:
        """Returns the person owning a platform account, or None (never creates one)."""
        ...

    async def attach_identity(self, person_id: int, platform: str, user_id: str, display_name: str) -> None:
        """Gives the person this platform account, moving it from whoever had it."""
        ...


class CheckinStore(Protocol):
    """Elders living alone, their daily check-ins and ladders, task reminders and digest figures."""

    async def save_elder(self, spec: ElderSpec, *, at: datetime, next_due_at: datetime | None) -> Elder:
        """Registers the person as an elder, or updates the fields ``spec`` sets (pairs replaced if given)."""
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
        """Moves the next greeting of many elders at once (those skipped while away or unreachable)."""
        ...

    async def due_greetings(self, now: datetime, limit: int) -> list[DueGreeting]:
        """Returns up to ``limit`` active elders whose greeting is due by ``now``, earliest first."""
        ...

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

    async def reminder_of(self, task_id: int, kind: str) -> tuple[int, datetime] | None:
        """Returns how often and when a task was last reminded of (``announce``/``nudge``), or None."""
        ...

    async def record_reminder(self, task_id: int, kind: str, *, expect_count: int, at: datetime) -> bool:
        """Counts a reminder if the count is still ``expect_count``; exactly one racing call wins."""
        ...

    async def take_chat_reminder(self, chat: ChatRef, day: date, cap: int) -> bool:
        """Takes one of a group's ``cap`` reminders for a local day; False when none is left."""
        ...

    async def chat_reminders_on(self, chat: ChatRef, day: date) -> int:
        """Returns how many reminders a group got on a local day."""
        ...

    async def claim_digest(self, day: date, at: datetime) -> bool:
        """Claims the digest of a local day; False when it was sent before (restart-safe)."""
        ...

    async def digest_sent(self, day: date) -> bool:
        """True when the digest of a local day was sent."""
        ...

    async def has_history_before(self, end: datetime) -> bool:
        """True when any task or check-in happened before ``end`` (a fresh install sends no digest)."""
        ...

    async def count_tasks_created(self, start: datetime, end: datetime) -> list[TaskCount]:
        """Counts tasks created in [start, end) per building (the requester's when the task has none)."""
        ...

    async def count_task_events(
        self, start: datetime, end: datetime, actions: Sequence[str]
    ) -> list[TaskCount]:
        """Counts tasks with a claim/done/confirm… event in [start, end), per building and action."""
        ...

    async def count_tasks_in_states(self, states: Sequence[TaskState]) -> list[TaskCount]:
        """Counts tasks now in ``states``, per building and state."""
        ...

    async def count_overdue(self, now: datetime) -> list[TaskCount]:
        """Counts open or claimed tasks whose window ended before ``now``, per building and state."""
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

    async def hours_served(self, start: datetime, end: datetime) -> list[VolunteerHours]:
        """Sums confirmed hours per volunteer and building for tasks confirmed in [start, end), most first."""
        ...


class IncidentStore(Protocol):
    """Emergencies as incidents: their own numbers, states and escalation (see storage/migrations/015)."""

    async def create_incident(
        self,
        task_id: int,
        *,
        kind: str | None,
        at: datetime,
        elder_id: int | None,
        next_call_at: datetime | None,
    ) -> Incident:
        """Opens the incident of an emergency task (once: a second call returns the first)."""
        ...

    async def get_incident(self, incident_id: int) -> Incident | None: ...

    async def incident_of_task(self, task_id: int) -> Incident | None: ...

    async def acknowledge_incident(self, incident_id: int, person_id: int, at: datetime) -> bool:
        """Reported → acknowledged; False when someone else was first or it is past that."""
        ...

    async def resolve_incident(self, incident_id: int, person_id: int, at: datetime, outcome: str) -> bool:
        """→ resolved with an outcome (hospital, safe, false_alarm); False when already resolved."""
        ...

    async def due_incidents(self, now: datetime, limit: int = 50) -> list[Incident]:
        """Reported incidents whose next escalation call is due."""
        ...

    async def step_incident(self, incident_id: int, step: int, next_call_at: datetime | None) -> bool:
        """Moves a still-reported incident from ``step - 1`` to ``step`` (once, even if two ticks race)."""
        ...

    async def list_incidents(
        self, *, states: Sequence[IncidentState] = (), since: datetime | None = None, limit: int = 50
    ) -> list[Incident]:
        """Newest first."""
        ...

    async def incidents_between(self, start: datetime, end: datetime) -> list[Incident]:
        """Incidents reported or resolved in [start, end)."""
        ...

    async def last_asked(self, person_ids: Sequence[int]) -> dict[int, datetime]:
        """When each volunteer was last asked privately about a fitting request (absent: never)."""
        ...

    async def mark_asked(self, person_ids: Sequence[int], at: datetime) -> None: ...


class PrivacyStore(Protocol):
    """A person's data on request (PIPL): export everything, or forget them."""

    async def person_data(self, person_id: int) -> dict[str, list[dict[str, Any]]]:
        """Returns every row about the person (their accounts, messages, tasks, hours, notes, check-ins),
        by section; an unknown id gives empty sections."""
        ...

    async def forget_person(self, person_id: int, placeholder: str, actor: str, at: datetime) -> int:
        """Erases texts, phones, rooms, notes and accounts; rows others point at stay with the name
        replaced by ``placeholder`` (ledger hours are kept); records who asked; returns rows changed."""
        ...


class Repository(
    CoreStore,
    PeopleStore,
    InboxStore,
    TaskStore,
    OutboxStore,
    LovebankStore,
    CheckinStore,
    IncidentStore,
    PrivacyStore,
    Protocol,
):
    """Everything handlers may ask of storage."""


__all__ = [
    "Card",
    "Chat",
    "ChatRef",
    "CoreStore",
    "Identity",
    "InboxItem",
    "InboxStore",
    "Incoming",
    "Offer",
    "OutboxItem",
    "OutboxStore",
    "PeopleStore",
    "Person",
    "Reply",
    "Repository",
    "Role",
    "SchemaTooNew",
    "StorageError",
    "Task",
    "TaskEvent",
    "TaskState",
    "TaskStore",
]
