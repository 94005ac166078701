"""What the registry answers in chat; handlers/router.py puts it in the one visible order.

Staff commands (/vol, /role, /note, /notes, /delnote), 注册 / /register, and the answers of a
registration under way; all in handlers/registry/registry.py.
"""

from __future__ import annotations

from handlers.registry.registry import on_register, on_registration_answer, on_registry_command

__all__ = ["on_register", "on_registration_answer", "on_registry_command"]
