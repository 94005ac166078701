"""What the check-in feature answers in chat; handlers/router.py puts it in the one visible order.

The sign-of-life observer sees every message first; the handlers answer the ladder's buttons and
words, the staff's /elder and /away commands, and an elder's own words (handlers/checkin/checkin.py).
"""

from __future__ import annotations

from handlers.checkin.checkin import (
    observe_sign_of_life,
    on_checkin_button,
    on_checkin_command,
    on_checkin_reply,
    on_ladder_reply,
)

__all__ = [
    "observe_sign_of_life",
    "on_checkin_button",
    "on_checkin_command",
    "on_checkin_reply",
    "on_ladder_reply",
]
