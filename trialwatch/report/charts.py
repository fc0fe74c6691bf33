"""Charts as inline SVG strings, drawn with matplotlib's SVG backend (no JavaScript, no files).

matplotlib is imported lazily: only a report needs it. Figures are built with the object API,
not pyplot, so nothing global is touched. Output is deterministic (fixed hash salt, no date): the
same inputs draw the same SVG with the same matplotlib version.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

PALETTE = ["#1b6ca8", "#e08a1e", "#3c9d5d", "#b8433c", "#7a5aa6", "#6b6b6b", "#c7a535", "#2aa5a0"]
_RC: Any = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, printable
    "svg.hashsalt": "trialwatch",
    "font.family": "sans-serif",
    "font.size": 9,
}


def _figure(width: float, height: float) -> Any:
    import matplotlib

    matplotlib.use("svg", force=False)
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _svg(fig: Any, label: str) -> str:
    """The figure as SVG; call inside `_rc()`, whose settings the SVG backend reads."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prolog and DOCTYPE: it is inlined in HTML
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    return text.replace("<svg ", f'<svg role="img" aria-label="{_attr(label)}" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def status_by_phase(crosstab: pd.DataFrame) -> str:
    """Horizontal stacked bars: studies per status, split by phase."""
    with _rc():
        fig = _figure(8.0, 0.4 * max(len(crosstab.index), 3) + 1.0)
        ax = fig.add_subplot()
        left = [0] * len(crosstab.index)
        labels = [str(s) for s in crosstab.index]
        for i, phase in enumerate(crosstab.columns):
            values = [int(v) for v in crosstab[phase]]
            ax.barh(labels, values, left=left, label=str(phase), color=PALETTE[i % len(PALETTE)])
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.invert_yaxis()
        ax.set_xlabel("Number of studies")
        ax.xaxis.get_major_locator().set_params(integer=True)
        _tidy(ax, grid="x")
        if len(crosstab.columns):
            fig.legend(title="Phase", loc="outside right upper", fontsize=8, frameon=False)
        return _svg(fig, "Studies by status, split by phase")


def start_years(counts: list[tuple[int, int]]) -> str:
    """Bars: studies by the year they started (or are expected to start)."""
    with _rc():
        fig = _figure(8.0, 2.4)
        ax = fig.add_subplot()
        years = [y for y, _ in counts]
        ax.bar(years, [n for _, n in counts], color=PALETTE[0], width=0.8)
        ax.set_xlabel("Start year (actual or expected)")
        ax.set_ylabel("Number of studies")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.yaxis.get_major_locator().set_params(integer=True)
        _tidy(ax, grid="y")
        return _svg(fig, "Studies by start year")


def _rc() -> Any:
    import matplotlib

    return matplotlib.rc_context(_RC)


def _tidy(ax: Any, grid: str) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis=grid, alpha=0.3)
    ax.set_axisbelow(True)
