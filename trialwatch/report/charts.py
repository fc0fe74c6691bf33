"""Charts as inline SVG strings, drawn with matplotlib's SVG backend (no JavaScript, no files).

matplotlib is imported lazily: only a report needs it. Figures are built with the object API,
not pyplot, so nothing global is touched. Output is deterministic (fixed hash salt, no date): the
same inputs draw the same SVG with the same matplotlib version.
"""

from __future__ import annotations

import io
import re
import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# Okabe & Ito's colour-blind-safe palette (blue, orange, bluish green, reddish purple, sky blue,
# vermillion, yellow, black): neighbouring phases stay distinguishable for every common colour
# vision deficiency. Yellow, the lightest on white, comes late.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT_SIZE = 10  # points = SVG user units; the page never draws a chart smaller than 1:1
_RC: Any = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, printable
    "svg.hashsalt": "trialwatch",
    "font.family": "sans-serif",
    "font.size": FONT_SIZE,
    "legend.fontsize": FONT_SIZE,
    "legend.title_fontsize": FONT_SIZE,
    "text.parse_math": False,  # registry text may hold "$": it is text, never TeX
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
        bars = 0.4 * max(len(crosstab.index), 3) + 1.0
        lines = sum(_wrap(c).count("\n") + 1 for c in crosstab.columns)
        legend = 0.2 * lines + 0.9  # one 10 pt line per line of a phase, and the title
        fig = _figure(8.0, max(bars, legend))
        ax = fig.add_subplot()
        left = [0] * len(crosstab.index)
        labels = [_wrap(s) for s in crosstab.index]
        for i, phase in enumerate(crosstab.columns):
            values = [int(v) for v in crosstab[phase]]
            ax.barh(
                labels, values, left=left, label=_wrap(phase), color=PALETTE[i % len(PALETTE)],
                edgecolor="white", linewidth=0.6,
            )  # fmt: skip
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.invert_yaxis()
        ax.set_xlabel("Number of studies")
        ax.xaxis.get_major_locator().set_params(integer=True)
        _tidy(ax, grid="x")
        if len(crosstab.columns):
            fig.legend(title="Phase", loc="outside right upper", frameon=False)
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


def _wrap(label: object, width: int = 26) -> str:
    """A long label on two or more lines, so 10 pt text fits beside the bars (the table under
    the chart has it whole)."""
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def _rc() -> Any:
    import matplotlib

    return matplotlib.rc_context(_RC)


def _tidy(ax: Any, grid: str) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis=grid, alpha=0.3)
    ax.set_axisbelow(True)


def registered_estimates(
    groups: list[tuple[str, list[tuple[str, float, float, float]]]], null: dict[str, float]
) -> str:
    """Dot and interval per registered analysis, one panel per effect-measure type, each on its
    own axis with its no-effect line. `groups`: (type, [(label, estimate, lower, upper)]);
    `null`: type -> the value meaning no difference. Nothing is pooled or summarised."""
    rows = sum(len(items) for _, items in groups)
    with _rc():
        fig = _figure(8.0, 0.32 * rows + 0.9 * len(groups) + 0.4)
        heights = [len(items) + 1.5 for _, items in groups]
        axes = fig.subplots(len(groups), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)
        for ax, (kind, items) in zip(axes[:, 0], groups, strict=True):
            ys = list(range(len(items)))
            for y, (_label, estimate, lower, upper) in zip(ys, items, strict=True):
                ax.plot([lower, upper], [y, y], color=PALETTE[0], linewidth=1.6)
                ax.plot([estimate], [y], marker="o", color=PALETTE[0], markersize=5)
            ax.axvline(null[kind], color=PALETTE[7], linestyle="--", linewidth=1)
            ax.set_yticks(ys, [label for label, *_ in items])
            ax.set_ylim(len(items) - 0.5, -0.5)
            ax.set_title(f"{kind} (dashed line: {null[kind]:g}, no difference)", loc="left")
            _tidy(ax, grid="x")
        return _svg(fig, "Registered primary analyses: estimate and confidence interval per study")
