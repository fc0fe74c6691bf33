"""Golden files: the rendered pages for fixed inputs (tests/report_inputs.py), byte for byte
(charts aside).

After an intended change to the report, regenerate them with

    python -m tests.report.test_report_golden --regen

and review the diff of tests/report/golden/ before committing it.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

import pytest

from tests.report_inputs import extra_studies, fixed_context
from trialwatch.report.render import render_pages, render_study

GOLDEN = Path(__file__).parent / "golden"
REGEN = "python -m tests.report.test_report_golden --regen"
PAGES = [
    "index.html",
    "study-NCT02552212.html",
    "study-NCT03630471.html",
    "study-NCT00763412.html",
    "search-phelan.html",
    "study-NCT02210780.html",
    "study-NCT06171568.html",
    "study-NCT00088699.html",
    "study-NCT01558063.html",
    "study-NCT01304147.html",
]


def _without_charts(page: str) -> str:
    """Charts are replaced by a marker: their SVG depends on the matplotlib version installed
    (tested on their own in test_report_render); everything else must match exactly."""
    return re.sub(
        r"<svg .*?</svg>", "<svg><!-- chart drawn by matplotlib --></svg>", page, flags=re.S
    )


def rendered() -> dict[str, str]:
    ctx = fixed_context()
    pages = render_pages(ctx)
    pages.update({s.filename: render_study(ctx, s) for s in extra_studies()})
    return {name: _without_charts(pages[name]) for name in PAGES}


@pytest.mark.parametrize("name", PAGES)
def test_page_matches_golden_file(name: str) -> None:
    path = GOLDEN / name
    assert path.exists(), f"{path} is missing; create it with: {REGEN}"
    expected = path.read_text(encoding="utf-8")
    actual = rendered()[name]
    if actual != expected:
        diff = "".join(
            list(difflib.unified_diff(
                expected.splitlines(True), actual.splitlines(True), str(path), "rendered"
            ))[:60]
        )  # fmt: skip
        pytest.fail(
            f"{name} differs from its golden file. If the change is intended, run: {REGEN}\n"
            f"and review `git diff tests/report/golden`.\n{diff}"
        )


def regenerate() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, page in rendered().items():
        (GOLDEN / name).write_text(page, encoding="utf-8")
        print(f"wrote {GOLDEN / name} ({len(page.encode()):,} bytes)")


if __name__ == "__main__":
    if sys.argv[1:] != ["--regen"]:
        sys.exit(f"usage: {REGEN}")
    regenerate()
