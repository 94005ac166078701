"""The scripted demo and the interactive console, on the console platform and a real SQLite file."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import Linli
from bot.config import load_config
from bot.platforms.console import ConsolePlatform, ConsoleSession, Sent
from bot.scheduler import run_job
from handlers.checkin.checkin import run_checkins
from handlers.common.context import Clock, Ctx, FakeClock, Settings, StaffMember, SystemClock
from handlers.digest.digest import send_digest
from handlers.queue.reminders import renudge_open_tasks
from storage.base import Repository
from storage.models import Reply
from storage.sqlite import SqliteRepository

TZ = ZoneInfo("Asia/Shanghai")
DEMO_START = datetime(2026, 11, 24, 9, 0, tzinfo=TZ)
GROUP = "3号楼互助群"
GROUP_5 = "5号楼互助群"
STAFF = "张书记"

DEMO_SETTINGS = Settings(
    community="幸福里社区",
    staff=(StaffMember(STAFF, (("console", STAFF),)),),
)


@dataclass
class Demo:
    """A running bot on the console platform, with helpers to script people."""

    app: Linli
    console: ConsolePlatform
    repo: Repository
    clock: Clock

    async def say(self, who: str, text: str, chat: str = GROUP, **kw: object) -> None:
        await self.console.say(who, text, chat, **kw)  # type: ignore[arg-type]
        await self.app.wait_idle()

    async def reply(self, who: str, card: Sent | None, text: str) -> None:
        assert card is not None, "the card to reply to was never sent"
        await self.say(who, text, card.chat.chat_id, reply_to=card.message_id)


@asynccontextmanager
async def demo_bot(
    db_path: Path, clock: Clock, out: Callable[[str], None] | None, settings: Settings = DEMO_SETTINGS
) -> AsyncIterator[Demo]:
    """Starts the full stack on a file database, with two building groups bound."""
    repo = await SqliteRepository(str(db_path)).open()
    try:
        async with demo_on(repo, clock, out, settings) as demo:
            yield demo
    finally:
        await repo.close()


@asynccontextmanager
async def demo_on(
    repo: Repository, clock: Clock, out: Callable[[str], None] | None, settings: Settings = DEMO_SETTINGS
) -> AsyncIterator[Demo]:
    """Starts the full stack on an open repository (any backend), with two building groups bound;
    the caller closes the repository."""
    console = ConsolePlatform(clock=clock, out=out)
    app = Linli(repo, settings, clock, [console])
    try:
        for chat, building in ((GROUP, "3号楼"), (GROUP_5, "5号楼")):
            await repo.upsert_chat("console", chat, chat)
            await repo.bind_chat("console", chat, building)
        await app.start(sender=False)
        yield Demo(app, console, repo, clock)
    finally:
        await app.stop()


def _printer() -> Callable[[str], None]:
    def out(line: str) -> None:
        print(line, flush=True)

    return out


async def run_demo(pause: float | None = None) -> int:
    """Plays every flow once and prints the chat transcript; exits 0."""
    if pause is None:
        pause = 0.6 if sys.stdin.isatty() and sys.stdout.isatty() else 0.0
    clock = FakeClock(DEMO_START)
    with tempfile.TemporaryDirectory(prefix="linli-demo-") as folder:
        async with demo_bot(Path(folder) / "demo.db", clock, _printer()) as demo:
            for title, step in SCRIPT:
                print(f"\n── {title} ──", flush=True)
                await step(demo)
                await asyncio.sleep(pause)
            tasks = await demo.repo.list_tasks(limit=100)
            print(
                f"\n✔ 演示结束:共 {len(tasks)} 个任务,"
                f"{sum(1 for t in tasks if t.state == 'confirmed')} 个已确认完成。",
                flush=True,
            )
    return 0


async def _need_to_confirm(demo: Demo) -> None:
    await demo.say("王奶奶", "3号楼502王奶奶想请人明天上午帮忙买点菜")
    card = demo.console.last_card(1)
    print("   (小李和小王同时回复「我来」)", flush=True)
    assert card is not None
    await asyncio.gather(
        demo.console.say("小李", "我来", GROUP, reply_to=card.message_id),
        demo.console.say("小王", "我来!", GROUP, reply_to=card.message_id),
    )
    await demo.app.wait_idle()


async def _done_and_confirm(demo: Demo) -> None:
    if isinstance(demo.clock, FakeClock):
        demo.clock.advance(timedelta(hours=26))
    await demo.reply("小李", demo.console.last_card(1), "完成,用了一个半小时")
    await demo.reply("王奶奶", demo.console.last_card(1), "确认")


async def _languages(demo: Demo) -> None:
    await demo.say("陳伯伯", "有沒有鄰居明天下午能幫我修一下水龍頭?一直在漏水")
    await demo.say(
        "Anna", "Could someone help my grandma set up video calls on her phone this Saturday afternoon?"
    )


async def _quiet(demo: Demo) -> None:
    before = len(demo.console.sent)
    await demo.say("小王", "谢谢大家,今天天气真好")
    await demo.say("张书记", "【通知】本周六上午9点到12点小区停水,请大家提前储水")
    await demo.say("赵阿姨", "好的收到")
    print(f"   (机器人保持安静:新增 {len(demo.console.sent) - before} 条消息)", flush=True)


async def _offers(demo: Demo) -> None:
    await demo.say("刘师傅", "我是退休电工,这周末有空可以帮大家修电器、换灯泡")
    await demo.say("孙大爷", "家里客厅的灯泡坏了,谁能帮忙换一下?")
    task = max(t.id for t in await demo.repo.list_tasks(limit=1000))
    print("   (刘师傅私聊收到了这单,直接私聊接单)", flush=True)
    await demo.say("刘师傅", f"我来 #{task}", private=True)
    await demo.say("周护士", "我是护士,明天下午有空,可以帮老人量血压", GROUP_5)
    await demo.say("吴奶奶", "谁能来帮我量一下血压?最近老觉得头晕", GROUP_5)


async def _emergency(demo: Demo) -> None:
    await demo.say("小陈", "快来人!5号楼302李大爷在楼道里摔倒了起不来", GROUP_5)
    alarm = next(
        s for s in reversed(demo.console.sent) if s.chat.private and s.chat.chat_id == STAFF and s.buttons
    )
    print(f"   ({STAFF}按下「我去处理」)", flush=True)
    await demo.console.press(STAFF, alarm, "我去处理")
    await demo.app.wait_idle()
    if isinstance(demo.clock, FakeClock):
        demo.clock.advance(timedelta(minutes=25))
    await demo.say(STAFF, "120 已经把李大爷接走了,已送医", private=True)


Step = Callable[[Demo], Awaitable[None]]
SCRIPT: list[tuple[str, Step]] = [
    ("1. 求助变成任务卡,两位志愿者同时接单", _need_to_confirm),
    ("2. 完成与确认", _done_and_confirm),
    ("3. 繁体中文和英文也能变成任务卡", _languages),
    ("4. 闲聊、通知、「好的」不生成任务卡", _quiet),
    ("5. 志愿者提供帮助:合适的求助私聊告诉他", _offers),
    ("6. 紧急情况 E1:立刻通知工作人员,有人确认前往,结束时记下结果", _emergency),
]


async def _passbook_star(demo: Demo) -> None:
    """Staff record the 16th's activity; 小李 reaches 10 hours, gets a star and reads the passbook."""
    await demo.say(STAFF, "/record console:小李 8.5 11月16日社区义诊活动,帮老人量血压", private=True)
    await demo.say("小李", "存折", private=True)


async def _repayment(demo: Demo) -> None:
    """小李 has banked hours: her own request goes first (⭐) and the hours used are drawn."""
    await demo.say("小李", "我家厨房水管漏水了,谁能帮忙看看?我住3号楼201")
    task = max(t.id for t in await demo.repo.list_tasks(limit=1000))
    await demo.reply("刘师傅", demo.console.last_card(task, GROUP), "我来")
    await demo.reply("刘师傅", demo.console.last_card(task, GROUP), "完成")
    await demo.reply("小李", demo.console.last_card(task, GROUP), "确认")


SCRIPT.append((f"{len(SCRIPT) + 1}. 爱心存折:服务记录、见证人、星级志愿者", _passbook_star))
SCRIPT.append((f"{len(SCRIPT) + 1}. 今天我帮人,明天人帮我:存了时间的人求助优先 ⭐", _repayment))


async def _tick(
    demo: Demo, job: Callable[[Ctx], Awaitable[list[Reply]]], at: datetime, note: str = ""
) -> None:
    """Moves the demo clock to ``at`` and runs a scheduled job, as the scheduler would at that moment."""
    if isinstance(demo.clock, FakeClock):
        demo.clock.set(at)
    print(f"   ⏰ {at.strftime('%m-%d %H:%M')} {note}".rstrip(), flush=True)
    await run_job(demo.app, job)
    await demo.app.wait_idle()


async def _checkins(demo: Demo) -> None:
    """Staff register two elders; one answers the greeting, the other does not and the ladder climbs."""
    await demo.say(
        STAFF,
        "/elder 李奶奶 3号楼601 09:00 结对 console:小李、console:小王 联系人 李华 13900001111 "
        "账号 console:李奶奶 备注 高血压,耳背",
        private=True,
    )
    await demo.say(STAFF, "/elder 王奶奶 3号楼502 08:30 结对 console:小李", private=True)
    day = DEMO_START + timedelta(days=2)
    await _tick(demo, run_checkins, day.replace(hour=8, minute=30), "王奶奶的问候")
    await demo.say("王奶奶", "挺好的,一会儿去公园走走", private=True)
    await _tick(demo, run_checkins, day.replace(hour=9), "李奶奶的问候(她没有回音)")
    await _tick(demo, run_checkins, day.replace(hour=11), "两小时过去:提醒一次")
    await _tick(demo, run_checkins, day.replace(hour=11, minute=30), "还是没有回音:请结对志愿者上门")
    await demo.say("小李", "好的我去看看", private=True)
    if isinstance(demo.clock, FakeClock):
        demo.clock.set(day.replace(hour=11, minute=45))
    await demo.say("小李", "已上门,平安。她在午睡,助听器没戴", private=True)
    await _tick(demo, run_checkins, day.replace(hour=12), "问候已结束:不再通知社区和紧急联系人")


async def _away(demo: Demo) -> None:
    """王奶奶 goes to her daughter's: greetings pause, the pair knows, and they resume by themselves."""
    await demo.say("王奶奶", "我去女儿家住三天,下周一回来", private=True)


async def _reminders(demo: Demo) -> None:
    """Requests nobody took are posted again (a few per group per day); urgent ones also reach staff."""
    await _tick(demo, renudge_open_tasks, DEMO_START.replace(day=26, hour=12, minute=5), "无人接单的求助")


async def _digest(demo: Demo) -> None:
    """08:00 the next morning: staff get the digest of the day, with a 14-day chart."""
    await _tick(demo, send_digest, DEMO_START.replace(day=27, hour=8), "社区工作人员的每日简报")


SCRIPT.append((f"{len(SCRIPT) + 1}. 独居老人每日问候:没有回音时逐级上门", _checkins))
SCRIPT.append((f"{len(SCRIPT) + 1}. 外出模式:问候暂停,回来自动恢复", _away))
SCRIPT.append((f"{len(SCRIPT) + 1}. 没人接单:再次提醒(每群每天有上限)", _reminders))
SCRIPT.append((f"{len(SCRIPT) + 1}. 每日简报:各楼栋数字、问候结果、近14天图表", _digest))


CONSOLE_HELP = """邻里 Linli console — 你可以扮演任何人:
  @王奶奶 明天上午谁能帮我买点菜     以王奶奶的身份在当前群里说话
  /as 小李                           换个人说话      /in 5号楼互助群   换个群
  /private  /group                   私聊机器人 / 回到群里
  /reply 1 我来                      回复机器人的第 [1] 条消息
  /press 1 我来                      按下第 [1] 条消息下的按钮
  /quit                              退出
  工作人员是「张书记」;3号楼互助群、5号楼互助群已绑定楼栋。"""


async def run_console(config_path: str | None = None) -> int:
    """Interactive console on the real clock; a scratch database unless a config is given."""
    if config_path:
        config = load_config(config_path)
        settings, url = config.settings, config.storage_url
    else:
        settings, url = DEMO_SETTINGS, ""
    print(CONSOLE_HELP, flush=True)
    with tempfile.TemporaryDirectory(prefix="linli-console-") as folder:
        db = Path(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else Path(folder) / "console.db"
        async with demo_bot(db, SystemClock(settings.tz), _printer(), settings) as demo:
            session = ConsoleSession(demo.console)
            loop = asyncio.get_running_loop()
            while True:
                if sys.stdin.isatty():
                    where = f"私聊 {session.speaker}" if session.private else session.group
                    print(f"({session.speaker} @ {where}) > ", end="", flush=True)
                line = await loop.run_in_executor(None, sys.stdin.readline)
                if not line or not await session.handle_line(line):
                    break
                await demo.app.wait_idle()
    return 0
