"""The digest's picture: tasks and check-ins over the last 14 days, with Chinese labels that render.

Chinese needs a CJK font; the ``paperang-p2-fonts-cjk`` package ships WenQuanYi
Micro Hei (simplified and traditional), so the chart looks the same on every
machine without a system font.
"""

from __future__ import annotations

import io
import logging
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path

from handlers.common.texts import t
from handlers.digest.figures import Digest

log = logging.getLogger(__name__)

FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_FILE = "fonts/wqy-microhei.ttc"


@cache
def cjk_font() -> str | None:
    """Registers the bundled CJK font with matplotlib and returns its family name (None if missing)."""
    from matplotlib import font_manager  # here, not at the top: matplotlib takes seconds to load

    try:
        path = resources.files(FONT_PACKAGE) / FONT_FILE
        with resources.as_file(path) as real:
            font_manager.fontManager.addfont(str(real))
            return str(font_manager.FontProperties(fname=str(real)).get_name())
    except (ModuleNotFoundError, FileNotFoundError, RuntimeError):
        log.warning("the CJK font package %s is missing; Chinese labels may not render", FONT_PACKAGE)
        return None


def render_chart(digest: Digest, language: str | None = None) -> bytes:
    """Draws new/done tasks and answered/missed check-ins per day; returns PNG bytes."""
    import matplotlib  # here, not at the top: only the chart needs it, and it takes seconds to load

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    family = cjk_font()
    fonts = [family, "DejaVu Sans"] if family else ["DejaVu Sans"]
    days = [p.day.strftime("%m-%d") for p in digest.series]
    positions = list(range(len(days)))
    with plt.rc_context({"font.family": fonts, "axes.unicode_minus": False}):
        figure, (tasks, checkins) = plt.subplots(2, 1, figsize=(9, 6.4), dpi=110, sharex=True)
        width = 0.4
        tasks.bar(
            [x - width / 2 for x in positions],
            [p.new for p in digest.series],
            width,
            label=t(language, "chart.new"),
            color="#4C9BE8",
        )
        tasks.bar(
            [x + width / 2 for x in positions],
            [p.done for p in digest.series],
            width,
            label=t(language, "chart.done"),
            color="#5CB85C",
        )
        tasks.set_ylabel(t(language, "chart.tasks"))
        tasks.legend(loc="upper left", frameon=False)
        tasks.grid(axis="y", alpha=0.3)
        answered = [p.answered for p in digest.series]
        checkins.bar(positions, answered, 0.6, label=t(language, "chart.answered"), color="#8BC34A")
        checkins.bar(
            positions,
            [p.missed for p in digest.series],
            0.6,
            bottom=answered,
            label=t(language, "chart.missed"),
            color="#F0AD4E",
        )
        checkins.set_ylabel(t(language, "chart.checkins"))
        checkins.legend(loc="upper left", frameon=False)
        checkins.grid(axis="y", alpha=0.3)
        checkins.set_xticks(positions, days, rotation=45, ha="right", rotation_mode="anchor")
        task_total = sum(p.new + p.done for p in digest.series)
        checkin_total = sum(p.answered + p.missed for p in digest.series)
        for axis, total in ((tasks, task_total), (checkins, checkin_total)):
            axis.spines[["top", "right"]].set_visible(False)
            axis.yaxis.get_major_locator().set_params(integer=True)
            if total == 0:  # nothing to draw: say so, rather than an axis of fractional people
                axis.set_ylim(0, 1)
                axis.set_yticks([0])
                axis.text(
                    0.5,
                    0.5,
                    t(language, "chart.empty"),
                    transform=axis.transAxes,
                    ha="center",
                    va="center",
                    color="#888888",
                )
            else:
                axis.set_ylim(bottom=0)
        figure.suptitle(
            t(
                language,
                "chart.title",
                community=digest.community,
                days=len(days),
                date=digest.day.strftime("%Y-%m-%d"),
            )
        )
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        plt.close(figure)
    return buffer.getvalue()


def write_chart(digest: Digest, language: str | None = None, folder: Path | None = None) -> Path:
    """Writes ``digest-YYYY-MM-DD.png`` (in a temporary folder unless told) and returns its path."""
    folder = folder or Path(tempfile.gettempdir()) / "linli-digests"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"digest-{digest.day.isoformat()}.png"
    path.write_bytes(render_chart(digest, language))
    return path


__all__ = ["cjk_font", "render_chart", "write_chart"]
