"""Domain errors: each one a refusal the user can be told about."""

from __future__ import annotations

from handlers.common.texts import t
from storage.models import Incoming, Reply


class LinliError(Exception):
    """A domain rule refused an action; ``text_id`` names the message to tell the user."""

    text_id = "error.generic"

    def __init__(self, detail: str = "", **params: object) -> None:
        super().__init__(detail or self.text_id)
        self.params = params


class InvalidTransition(LinliError):
    """The task is not in a state where this action makes sense."""

    text_id = "error.transition"


class NotAllowed(LinliError):
    """The person may not do this to this task."""

    text_id = "error.not_allowed"


class UnknownTask(LinliError):
    """No task has that number."""

    text_id = "error.unknown_task"


def refusal(msg: Incoming, error: LinliError, language: str | None) -> list[Reply]:
    """Tells the person, briefly, why their action was refused."""
    text = t(language, error.text_id, **error.params)
    if msg.action is not None:
        return [Reply(chat=msg.chat, text=text, toast=True)]
    return [Reply(chat=msg.chat, text=text, reply_to=msg.message_id)]
