"""`make demo`: a missed check-in climbs the ladder, a volunteer's visit closes it, then the digest."""

from __future__ import annotations

import pytest

from bot.demo import run_demo


async def test_the_demo_shows_the_ladder_and_the_digest(capsys: pytest.CaptureFixture[str]) -> None:
    assert await run_demo(pause=0) == 0
    out = capsys.readouterr().out
    assert "独居老人每日问候" in out and "还是没有回音:请结对志愿者上门" in out
    assert "谢谢您上门看望 李奶奶!已记录:平安。" in out
    assert "李奶奶(3号楼):提醒 11:00 → 结对志愿者上门 11:30 → 上门平安(小李)" in out
    assert "日报" in out and "近14天图表" in out


async def test_the_demo_shows_an_incident_handled_and_an_offer_matched_privately(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert await run_demo(pause=0) == 0
    out = capsys.readouterr().out
    assert "张书记 已确认,正在赶往现场" in out and "已处理:送医" in out
    assert "有一个求助可能适合您" in out
    assert "梯子" not in out
