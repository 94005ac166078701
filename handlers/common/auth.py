"""Who may do what: one table of (role or relationship, action) → allowed, read by every handler."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from handlers.common.errors import NotAllowed
from handlers.common.texts import t
from storage.models import Person, Role, Task

log = logging.getLogger(__name__)


class Permission(StrEnum):
    """Every command and button; task actions share their names with ``understanding.actions.Action``."""

    CLAIM = "claim"
    DONE = "done"
    CONFIRM = "confirm"
    CANCEL = "cancel"
    RELEASE = "release"
    ASSIGN = "assign"
    HELP = "help"
    LANGUAGE = "language"
    BIND = "bind"
    PASSBOOK = "passbook"
    PASSBOOK_OTHER = "passbook_other"
    REPORT_HOURS = "report_hours"
    RECORD_SERVICE = "record_service"
    CORRECT_RECORD = "correct_record"
    SUMMARY = "summary"
    REGISTER = "register"
    MANAGE_VOLUNTEERS = "manage_volunteers"
    SET_ROLE = "set_role"
    GRANT_STAFF = "grant_staff"
    ADD_NOTE = "add_note"
    READ_NOTES = "read_notes"
    REMOVE_NOTE = "remove_note"
    PERSONAL_DATA = "personal_data"


class Relation(StrEnum):
    """How the person stands to what they act on (a task, or the person a note is about)."""

    REQUESTER = "requester"
    CLAIMER = "claimer"
    PAST_VOLUNTEER = "past_volunteer"
    LADDER = "ladder"
    SELF = "self"


STAFF_ROLES = frozenset({Role.STAFF, Role.ADMIN})
ADMIN_ONLY = frozenset({Role.ADMIN})
EVERY_ROLE = frozenset(Role)


@dataclass(frozen=True, slots=True)
class Rule:
    """Allowed for ``roles`` whatever the relation; else for ``relations``; never for ``unless``.

    ``reason`` names the text that tells a refused person why, in their language.
    """

    roles: frozenset[Role]
    relations: frozenset[Relation] = frozenset()
    unless: frozenset[Relation] = frozenset()
    reason: str = "reason.only_staff"
    unless_reason: str = ""


def _rule(
    roles: frozenset[Role],
    relations: tuple[Relation, ...] = (),
    unless: tuple[Relation, ...] = (),
    reason: str = "reason.only_staff",
    unless_reason: str = "",
) -> Rule:
    return Rule(roles, frozenset(relations), frozenset(unless), reason, unless_reason)


R = Relation
RULES: dict[Permission, Rule] = {
    # The queue (flows 2–4): anyone helps, but not with their own request.
    Permission.CLAIM: _rule(EVERY_ROLE, unless=(R.REQUESTER,), unless_reason="reason.own_task"),
    Permission.DONE: _rule(STAFF_ROLES, (R.CLAIMER,), reason="reason.only_claimer"),
    Permission.RELEASE: _rule(STAFF_ROLES, (R.CLAIMER,), reason="reason.only_claimer"),
    Permission.CONFIRM: _rule(STAFF_ROLES, (R.REQUESTER,), reason="reason.only_requester"),
    Permission.CANCEL: _rule(STAFF_ROLES, (R.REQUESTER,), reason="reason.only_requester"),
    Permission.ASSIGN: _rule(STAFF_ROLES),
    # Everyone.
    Permission.HELP: _rule(EVERY_ROLE),
    Permission.LANGUAGE: _rule(EVERY_ROLE),
    Permission.REGISTER: _rule(EVERY_ROLE),
    Permission.PASSBOOK: _rule(EVERY_ROLE),
    # The love bank (flow 10): a volunteer reports hours on their own task; staff keep the books.
    Permission.REPORT_HOURS: _rule(STAFF_ROLES, (R.CLAIMER,), reason="reason.only_claimer"),
    Permission.PASSBOOK_OTHER: _rule(STAFF_ROLES, (R.SELF,)),
    Permission.RECORD_SERVICE: _rule(STAFF_ROLES),
    Permission.CORRECT_RECORD: _rule(STAFF_ROLES),
    Permission.SUMMARY: _rule(STAFF_ROLES),
    # The registry (flow 11).
    Permission.BIND: _rule(STAFF_ROLES),
    Permission.MANAGE_VOLUNTEERS: _rule(STAFF_ROLES),
    Permission.SET_ROLE: _rule(STAFF_ROLES),
    Permission.GRANT_STAFF: _rule(ADMIN_ONLY, reason="reason.only_admin"),
    # Care notes and personal data: who knows the person, and who is at their door.
    Permission.ADD_NOTE: _rule(
        STAFF_ROLES, (R.PAST_VOLUNTEER, R.CLAIMER, R.LADDER), reason="reason.only_helpers"
    ),
    Permission.READ_NOTES: _rule(STAFF_ROLES, (R.CLAIMER, R.LADDER), reason="reason.only_helpers"),
    Permission.REMOVE_NOTE: _rule(STAFF_ROLES),
    Permission.PERSONAL_DATA: _rule(STAFF_ROLES, (R.CLAIMER, R.LADDER), reason="reason.only_helpers"),
}
"""The whole authorization matrix; tests/test_auth_matrix.py walks every cell."""


def refusal_reason(
    permission: Permission, role: Role, relations: frozenset[Relation] = frozenset()
) -> str | None:
    """Returns None when allowed, else the text key that says why not."""
    rule = RULES[permission]
    if role in rule.roles and not (relations & rule.unless and role not in STAFF_ROLES):
        return None
    if relations & rule.unless:
        return rule.unless_reason or rule.reason
    if relations & rule.relations:
        return None
    return rule.reason


def allowed(permission: Permission, role: Role, relations: frozenset[Relation] = frozenset()) -> bool:
    """True when a person with ``role`` standing in ``relations`` may do ``permission``."""
    return refusal_reason(permission, role, relations) is None


def authorize(
    permission: Permission,
    person: Person,
    relations: frozenset[Relation] = frozenset(),
    language: str | None = None,
) -> None:
    """Returns quietly when allowed; raises NotAllowed with a reason in the person's language."""
    reason = refusal_reason(permission, person.role, relations)
    if reason is None:
        return
    log.info("%s (%s, %s) may not %s", person.name, person.role, sorted(relations), permission)
    raise NotAllowed(f"{person.role} may not {permission}", reason=t(language, reason))


def is_staff(person: Person) -> bool:
    """Staff and admins manage every task and every record."""
    return person.role in STAFF_ROLES


def task_relations(task: Task, person: Person) -> frozenset[Relation]:
    """How a person stands to a task: its requester, its claimer, or neither."""
    found = set()
    if task.requester_id == person.id:
        found.add(Relation.REQUESTER)
    if task.claimer_id is not None and task.claimer_id == person.id:
        found.add(Relation.CLAIMER)
    return frozenset(found)
