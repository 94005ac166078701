"""E2E fixtures live in each peer's module; this file only imports them (no pytest_plugins below the root)."""

from __future__ import annotations

from tests.e2e.telegram_peer import (  # noqa: F401
    linli_factory,
    pytest_runtest_makereport,
    telegram_peer,
)
from tests.e2e.wechat_peer import wechat_gateway, wechat_linli  # noqa: F401
