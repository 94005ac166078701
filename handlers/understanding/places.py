"""Buildings as people write them: '3', '3号楼', '三号楼', '3栋502' → ('3号楼', '502').

Used wherever staff or volunteers type a building: registrations, spreadsheets, /bind.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.understanding.timeparse import cn_to_int
from handlers.understanding.understand import understand

BUILDING = re.compile(
    r"^\s*(\d{1,3}|[一二三四五六七八九十]{1,3})\s*(?:号楼|號樓|号|號|栋|棟|幢)?\s*(\d{3,4})?\s*$"
)
"""A building number alone, with an optional room: '3号楼', '三栋', '3 502'."""

_EPOCH = datetime(2026, 1, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
"""Places do not depend on the time: any moment will do for understanding them."""


def normalize_building(text: str) -> tuple[str | None, str | None]:
    """'3' / '3号楼' / '3栋502' / '三号楼' → ('3号楼', room or None); anything else is kept as written."""
    cleaned = text.strip().strip("。.!！")
    if not cleaned:
        return None, None
    found = BUILDING.match(cleaned)
    if found:
        number = found.group(1)
        if not number.isdigit():
            value = cn_to_int(number)
            number = str(value) if value is not None else number
        return f"{number}号楼", found.group(2)
    understood = understand(cleaned, _EPOCH)
    if understood.building:
        return understood.building, understood.room
    return cleaned[:20], None
