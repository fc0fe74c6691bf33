"""Pages for every reader, checked in the HTML (the browser test checks them in Chromium): a skip
link, `scope` on every header cell, tables in their own scroll box, sections open so any browser
prints them, charts in a colour-blind-safe palette followed by their numbers as a table, and a
running header that registry text cannot break out of."""

from __future__ import annotations

import re

import pytest

from tests.report_inputs import all_records_context, fixed_context
from trialwatch.report import charts
from trialwatch.report.markup import TABLE_BOX, accessible_tables
from trialwatch.report.render import render_pages, search_figures
from trialwatch.report.templating import css_string

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return render_pages(all_records_context())


def test_every_page_has_a_skip_link_to_its_content(pages: dict[str, str]) -> None:
    assert len(pages) > 10
    for name, html in pages.items():
        body = html[html.index("<body>") :]
        first_link = re.search(r"<a\b[^>]*>", body)
        assert first_link and 'href="#content"' in first_link.group(0), name
        assert '<main id="content"' in html, name


def test_every_header_cell_has_a_scope(pages: dict[str, str]) -> None:
    for name, html in pages.items():
        cells = re.findall(r"<th\b[^>]*>", html)
        assert cells, name
        assert [c for c in cells if not re.search(r'scope="(row|col)"', c)] == [], name


def test_scope_follows_the_row() -> None:
    html = accessible_tables(
        "<table><thead><tr><th>Arm</th><th class='num'>A</th></tr>"
        "<tr><th>Analysed</th><td>3</td></tr></thead>"
        "<tbody><tr><th scope='col'>kept</th><td>1</td></tr><tr><td>x<td>y</tbody></table>"
    )
    assert '<th scope="col">Arm</th><th scope="col" class=\'num\'>A</th>' in html
    assert '<th scope="row">Analysed</th>' in html  # a header among data cells heads its row
    assert "<th scope='col'>kept</th>" in html  # a scope the template gave is kept
    assert html.startswith(TABLE_BOX) and html.endswith("</table></div>")


def test_every_table_is_in_its_own_box(pages: dict[str, str]) -> None:
    for name, html in pages.items():
        assert html.count("<table") == html.count(TABLE_BOX + "<table"), name


def test_content_sections_are_open_so_any_browser_prints_them(pages: dict[str, str]) -> None:
    study = pages["study-NCT02552212.html"]
    assert study.count("<details open>") >= 3  # secondary outcomes, all serious, all other
    for name, html in pages.items():
        closed = [d for d in re.findall(r"<details\b[^>]*>", html) if " open" not in d]
        # only a chart's numbers start closed: the chart above shows them
        assert all('class="chart-data"' in d for d in closed), name


def test_charts_use_the_okabe_ito_palette_and_10pt_text() -> None:
    assert set(charts.PALETTE) == OKABE_ITO
    search = fixed_context().searches[0]
    svg = search_figures(search)[0].svg
    drawn = {c.upper() for c in re.findall(r"fill: (#[0-9a-fA-F]{6})", svg)}
    assert drawn & OKABE_ITO and not drawn - OKABE_ITO - {"#FFFFFF"}
    sizes = {float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)}
    assert sizes and min(sizes) >= 10


def test_each_chart_is_followed_by_its_numbers_as_a_table(pages: dict[str, str]) -> None:
    search = fixed_context().searches[0]
    status, years = search_figures(search)
    table = search.evidence.status_by_phase
    assert status.header == ("Status", *map(str, table.columns))
    assert [label for label, _ in status.rows] == list(map(str, table.index))
    assert sum(sum(values) for _, values in status.rows) == search.evidence.total
    assert years.rows == tuple((str(y), (n,)) for y, n in search.evidence.start_years)
    for name, html in pages.items():
        for figure in re.finditer(r"</figure>\s*(<details[^>]*>)\s*<summary>([^<]*)", html):
            assert 'class="chart-data"' in figure.group(1), name
        assert html.count("<figure>") == html.count('<details class="chart-data">'), name


def test_running_header_names_study_version_and_date() -> None:
    ctx = fixed_context()
    html = render_pages(ctx)["study-NCT02552212.html"]
    header = re.search(r"@top-left \{ content: (\"[^\"]*\")", html)
    assert header is not None
    assert header.group(1) == css_string(
        "NCT02552212 · record version 2023-12-12 (stored version 1)"
    )
    assert css_string("Data of 2026-11-26 06:00 UTC") in html
    assert 'counter(page) " of " counter(pages)' in html


@pytest.mark.parametrize("hostile", ['"; } body { display: none } x { content: "', "</style>\\"])
def test_css_string_cannot_be_left(hostile: str) -> None:
    inner = str(css_string(hostile))[1:-1]
    assert not set(inner) & set('"<>{};\n ')  # nothing that ends a string, rule or element
    assert re.fullmatch(r"(?:[A-Za-z0-9.,:()#/_+-]|\\[0-9A-F]{6})*", inner)  # escapes only
