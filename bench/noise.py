"""Group posts per completed task: console/Telegram (cards edited in place) against WeChat (no edits).

A request becomes a card, two volunteers answer 我来 at once, the winner says 完成, the requester
确认.  Every message the bot puts in the group counts; private messages do not.  With edits the
card changes in place; without them each state change is one short line (an open card is posted in
full), "already taken" goes privately, and so does "please confirm" to the requester (the group sees
the card, who took it and the thanks).  The goal is at most 3 on
WeChat; ``LINLI_BENCH_NOISE_TASKS`` sets how many tasks are played (default 20).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import Linli
from bot.platforms.console import ConsolePlatform
from handlers.common.context import FakeClock, Settings, StaffMember
from storage.sqlite import SqliteRepository

TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)
GROUP = "3号楼互助群"
TASKS = int(os.environ.get("LINLI_BENCH_NOISE_TASKS", "20"))


async def group_posts_per_task(can_edit: bool, tasks: int = TASKS) -> float:
    """Plays ``tasks`` full request → claim race → done → confirm flows; group posts per task."""
    with tempfile.TemporaryDirectory(prefix="linli-noise-") as folder:
        repo = await SqliteRepository(str(Path(folder) / "noise.db")).open()
        clock = FakeClock(START)
        console = ConsolePlatform(clock=clock)
        console.can_edit = can_edit
        settings = Settings(community="幸福里社区", staff=(StaffMember("张书记", (("console", "张书记"),)),))
        app = Linli(repo, settings, clock, [console])
        await repo.bind_chat("console", GROUP, "3号楼")
        await app.start(sender=False)
        try:
            for volunteer in ("小李", "小王"):  # both can be written to privately
                await console.say(volunteer, "你好", private=True)
            await app.wait_idle()
            console.pop()
            for number in range(1, tasks + 1):
                await console.say(f"邻居{number}", "谁能帮我明天上午买点菜", GROUP)
                await app.wait_idle()
                card = console.last_card(number, GROUP)
                assert card is not None
                await asyncio.gather(
                    console.say("小李", "我来", GROUP, reply_to=card.message_id),
                    console.say("小王", "我来", GROUP, reply_to=card.message_id),
                )
                await app.wait_idle()
                task = await repo.get_task(number)
                assert task is not None and task.claimer_id is not None
                claimer = await repo.get_person(task.claimer_id)
                assert claimer is not None
                await console.say(claimer.name, f"完成 #{number}", GROUP)
                await app.wait_idle()
                await console.say(f"邻居{number}", f"确认 #{number}", GROUP)
                await app.wait_idle()
            sent = console.pop()  # an edit changes a message in place: it is not one more post
            posts = [s for s in sent if s.chat.chat_id == GROUP and not s.chat.private and s.edit_of is None]
        finally:
            await app.stop()
            await repo.close()
    return len(posts) / tasks


async def measure() -> dict[str, float]:
    return {
        "group_posts_per_task_with_edits": await group_posts_per_task(True),
        "group_posts_per_task_without_edits": await group_posts_per_task(False),
    }


if __name__ == "__main__":
    for key, value in asyncio.run(measure()).items():
        print(f"{key}: {value:.2f}")
