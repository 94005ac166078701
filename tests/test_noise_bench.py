"""The noise bench runs and WeChat-like platforms stay within four group posts per completed task."""

from __future__ import annotations

from bench.noise import group_posts_per_task


async def test_group_posts_per_completed_task() -> None:
    assert await group_posts_per_task(True, tasks=2) <= 2  # the card, and "already taken" to the late one
    assert await group_posts_per_task(False, tasks=2) <= 4  # card, claimed, done (asks 确认), confirmed
