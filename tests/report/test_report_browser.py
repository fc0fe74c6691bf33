"""The report in real headless Chromium, as a reader uses it: printed to PDF, on a 390 px phone,
with a keyboard, and checked by axe-core.

Reports: the offline demo; one of every real record in tests/fixtures (v2, classic XML and version
history, each the latest version and a cited study) with
every real recorded search page; and a SYNTHETIC variant with an unbroken 288-character word.
Needs chromium, poppler-utils, playwright and axe-core: skips naming what is missing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_pages import DESKTOP, PHONE, axe_violations, launch, missing, pdf_pages, squeeze
from tests.report_inputs import all_records, all_records_context, long_words_context
from trialwatch.domain import results
from trialwatch.report.render import render_pages

REASON = missing()
if REASON and os.environ.get("TRIALWATCH_REQUIRE_BROWSER"):  # .ci/run sets it: never a silent skip
    raise RuntimeError(f"{REASON}; TRIALWATCH_REQUIRE_BROWSER is set")
pytestmark = [pytest.mark.chromium, pytest.mark.skipif(REASON is not None, reason=REASON or "")]
MARKERS = "▶▸►▹▼▾"  # disclosure triangles a closed or open <details> would print


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from trialwatch.demo import run_demo

    demo = run_demo(tmp_path_factory.mktemp("demo"))
    assert demo.report is not None
    out = {"demo": demo.report.parent}
    for name, ctx in (("records", all_records_context()), ("long-words", long_words_context())):
        folder = tmp_path_factory.mktemp(name)
        for filename, html in render_pages(ctx).items():
            (folder / filename).write_text(html, encoding="utf-8")
        out[name] = folder
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def open_page(browser: Any, path: Path, viewport: dict[str, int] = DESKTOP) -> Any:
    page = browser.new_page(viewport=viewport)
    page.goto(path.as_uri())
    return page


def pages_of(folder: Path, prefix: str = "") -> list[Path]:
    return sorted(p for p in folder.glob(f"{prefix}*.html"))


def registered_texts(record: dict[str, Any]) -> list[str]:
    """Every outcome title and adverse-event term the record registers."""
    titles = [o.title for o in results.parse_outcomes(record) if o.title]
    events = results.parse_adverse_events(record)
    terms = [e.term for e in (events.serious + events.other) if e.term] if events else []
    return titles + terms


def demo_records() -> dict[str, dict[str, Any]]:
    """The demo's records as its report shows them: each study's newest archived snapshot."""
    from trialwatch.demo.replay import snapshots

    return {nct: versions[-1] for nct, versions in snapshots().items()}


@pytest.mark.parametrize("report", ["demo", "records"])
def test_printed_study_pages_hold_every_outcome_and_event(
    browser: Any, reports: dict[str, Path], tmp_path: Path, report: str
) -> None:
    """Collapsed sections print expanded: every section is closed first, as a reader might."""
    records = demo_records() if report == "demo" else all_records()
    checked = 0
    for path in pages_of(reports[report], "study-"):
        nct = path.stem.removeprefix("study-")
        expected = registered_texts(records[nct])
        page = open_page(browser, path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = false)")
        printed = squeeze(" ".join(pdf_pages(page, tmp_path / f"{nct}.pdf")))
        page.close()
        lost = [text for text in expected if squeeze(text) not in printed]
        assert lost == [], f"{path.name} printed without {len(lost)} of {len(expected)}: {lost[:5]}"
        checked += len(expected)
    assert checked > 60  # the demo's two cited studies alone hold 76 outcomes and events


def test_printed_pages_have_header_page_numbers_links_and_no_markers(
    browser: Any, reports: dict[str, Path], tmp_path: Path
) -> None:
    for path in pages_of(reports["demo"]):
        page = open_page(browser, path)
        printed = pdf_pages(page, tmp_path / f"{path.stem}.pdf")
        page.close()
        total = len(printed)
        for number, text in enumerate(printed, 1):
            assert f"Page {number} of {total}" in text, (path.name, number)
            assert "Data of " in text, (path.name, number)  # the running header's date of data
            if path.name.startswith("study-"):
                nct = path.stem.removeprefix("study-")
                assert re.search(rf"{nct} · record version \S+ \(stored version \d+\)", text)
        whole = "".join(printed)
        assert not any(marker in whole for marker in MARKERS), path.name
        assert "Skip to the content" not in whole
        if path.name.startswith("study-"):  # links are followed by their address
            assert f"(https://clinicaltrials.gov/study/{path.stem.removeprefix('study-')})" in whole


HEADINGS = "[...document.querySelectorAll('h2, h3, h4, summary')].map(h => h.innerText)"


def test_no_printed_page_ends_with_a_heading(
    browser: Any, reports: dict[str, Path], tmp_path: Path
) -> None:
    for path in pages_of(reports["records"], "study-"):
        page = open_page(browser, path)
        headings = {squeeze(h) for h in page.evaluate(HEADINGS) if len(squeeze(h)) > 3}
        printed = pdf_pages(page, tmp_path / f"{path.stem}.pdf")
        page.close()
        for number, text in enumerate(printed[:-1], 1):
            lines = [squeeze(line) for line in text.splitlines() if squeeze(line)]
            body = [line for line in lines if not re.fullmatch(r"Page\d+of\d+", line)]
            last = body[-1] if body else ""
            assert not any(h.endswith(last) for h in headings if len(last) > 3), (
                f"{path.name} page {number} ends with the heading {last!r}"
            )


def test_no_page_scrolls_sideways_on_a_phone(browser: Any, reports: dict[str, Path]) -> None:
    widths = {}
    for name, folder in reports.items():
        for path in pages_of(folder):
            page = open_page(browser, path, PHONE)
            widths[f"{name}/{path.name}"] = page.evaluate(
                "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            )
            page.close()
    assert len(widths) >= 20
    assert {k: w for k, w in widths.items() if w > PHONE["width"]} == {}


@pytest.mark.parametrize("report", ["demo", "records"])
def test_axe_finds_no_violations_on_any_page(
    browser: Any, reports: dict[str, Path], report: str
) -> None:
    found = {}
    for path in pages_of(reports[report]):
        for viewport in (DESKTOP, PHONE):
            page = open_page(browser, path, viewport)
            violations = axe_violations(page)
            page.close()
            if violations:
                found[f"{path.name} at {viewport['width']} px"] = violations
    assert found == {}


CHART_TEXT = """[...document.querySelectorAll('figure svg text')].map(t => {
    const m = t.getScreenCTM();  // the scale on screen, also for the rotated axis label
    return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); })"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_chart_text_is_at_least_10px(
    browser: Any, reports: dict[str, Path], viewport: dict[str, int]
) -> None:
    sizes = []
    for path in pages_of(reports["demo"], "search-"):
        page = open_page(browser, path, viewport)
        sizes += page.evaluate(CHART_TEXT)
        page.close()
    assert len(sizes) > 20  # legends, ticks and axis labels of both charts
    assert min(sizes) >= 9.99


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(
    browser: Any, reports: dict[str, Path]
) -> None:
    page = open_page(browser, reports["demo"] / "study-NCT00088699.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.close()
