"""Renders the evidence report's pages to strings (no I/O), with `trialwatch.report.templating`'s
one Environment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from trialwatch.domain.pages import INDEX_PAGE as INDEX
from trialwatch.report import charts
from trialwatch.report.context import CitedStudy, ReportContext, SearchReport
from trialwatch.report.evidence import StudyRow
from trialwatch.report.markup import accessible_tables
from trialwatch.report.templating import environment

__all__ = [
    "INDEX", "Figure", "environment", "render_index", "render_pages", "render_search",
    "render_study",
]  # fmt: skip


def _render(name: str, **values: Any) -> str:
    return accessible_tables(environment().get_template(name).render(**values))


def render_index(ctx: ReportContext) -> str:
    return _render("report_index.html", ctx=ctx, page_title=ctx.title)


def render_study(ctx: ReportContext, study: CitedStudy) -> str:
    title = (study.summary.brief_title if study.summary else None) or study.config.nct_id
    return _render("report_study.html", ctx=ctx, study=study, page_title=title)


# Studies listed per page of a search: a long list is split into linked pages, so the largest
# page of a 50,000-study search stays under 2 MB (bench/RESULTS.md). Likewise the related
# trials with posted results (a card each, 1-11 KB), and the related tables by category list
# their first rows only: every study is in the list by status.
LIST_ROWS = 5000
RESULT_CARDS = 100
RELATED_TABLE_ROWS = 100


@dataclass(frozen=True)
class CardPart:
    """One page's share of a related search's trials with posted results."""

    filename: str
    number: int
    first: int  # 1-based position of its first trial among them
    last: int
    trials: list[Any]


def card_parts(search: SearchReport, per_page: int = RESULT_CARDS) -> list[CardPart]:
    """The trials with posted results cut into pages; the first part is on the search's page."""
    trials = search.related.with_results if search.related else []
    stem = search.filename.removesuffix(".html")
    parts = []
    for number, start in enumerate(range(0, max(len(trials), 1), per_page), 1):
        name = search.filename if number == 1 else f"{stem}.results{number}.html"
        chunk = trials[start : start + per_page]
        parts.append(CardPart(name, number, start + 1, start + len(chunk), chunk))
    return parts


@dataclass(frozen=True)
class ListPage:
    """One page of a search's list of studies: (status, its rows here, its total) groups."""

    filename: str
    number: int
    first: int  # 1-based position of its first study in the whole list
    last: int
    groups: list[tuple[str, list[StudyRow], int]]


def render_search(ctx: ReportContext, search: SearchReport) -> str:
    """The search's page, with the first part of its list of studies."""
    parts, cards = list_pages(search, LIST_ROWS), card_parts(search)
    return _render(
        "report_search.html", ctx=ctx, search=search, charts=search_figures(search),
        forest_svg=forest_figure(search), page_title=_title(search), listing=parts[0],
        parts=parts, cards=cards[0], card_parts=cards, table_rows=RELATED_TABLE_ROWS,
    )  # fmt: skip


def render_search_continuations(ctx: ReportContext, search: SearchReport) -> dict[str, str]:
    """The continuation pages of a long list of studies, and of many trials with posted results
    (none for a short search)."""
    parts, cards = list_pages(search, LIST_ROWS), card_parts(search)
    pages = {
        part.filename: _render(
            "report_search_list.html", ctx=ctx, search=search, listing=part, parts=parts,
            page_title=f"{_title(search)}: studies {part.first:,}-{part.last:,}",
        )
        for part in parts[1:]
    }  # fmt: skip
    for part in cards[1:]:
        pages[part.filename] = _render(
            "report_related_results.html", ctx=ctx, search=search, cards=part, card_parts=cards,
            page_title=f"{_title(search)}: trials with posted results {part.first:,}-{part.last:,}",
        )  # fmt: skip
    return pages


def _title(search: SearchReport) -> str:
    return search.config.title or search.config.name


def list_pages(search: SearchReport, per_page: int) -> list[ListPage]:
    """The search's studies (grouped by status, in order) cut into pages of `per_page`."""
    stem = search.filename.removesuffix(".html")
    chunks: list[list[tuple[str, list[StudyRow], int]]] = [[]]
    room = per_page
    for code, rows in search.evidence.grouped:
        start = 0
        while start < len(rows):
            if room == 0:
                chunks.append([])
                room = per_page
            part = rows[start : start + room]
            chunks[-1].append((code, part, len(rows)))
            start += len(part)
            room -= len(part)
    pages, first = [], 1
    for number, groups in enumerate(chunks, 1):
        count = sum(len(rows) for _, rows, _ in groups)
        # a slug never holds a dot: these names cannot meet another search's page
        name = search.filename if number == 1 else f"{stem}.page{number}.html"
        pages.append(ListPage(name, number, first, first + count - 1, groups))
        first += count
    return pages


def forest_figure(search: SearchReport) -> Markup:
    """The related trials' registered primary analyses as dots and intervals (our drawing)."""
    related = search.related
    if related is None or not related.forest:
        return Markup("")
    groups, null = [], {}
    for kind, rows in related.forest_groups:
        items = [
            (_label(r.nct_id, r.outcome, r.time_frame), float(r.estimate), float(r.lower),
             float(r.upper))
            for r in rows
        ]  # fmt: skip
        groups.append((kind, items))
        null[kind] = float(rows[0].no_effect)
    return Markup(charts.registered_estimates(groups, null))  # noqa: S704


def _label(nct_id: str, outcome: str, time_frame: str | None, width: int = 70) -> str:
    text = f"{nct_id} · {outcome}" + (f" · {time_frame}" if time_frame else "")
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class Figure:
    """A chart and the same numbers as a table (for screen readers, and for print in black)."""

    caption: str
    svg: Markup  # our drawing, not registry text
    header: tuple[str, ...]  # the table's column headings
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # (row heading, values)


def search_figures(search: SearchReport) -> list[Figure]:
    """The search page's charts, each with its data, drawn from the search's counts."""
    summary = search.evidence
    figures: list[Figure] = []
    if summary.total:
        table = summary.status_by_phase
        figures.append(
            Figure(
                "Studies by status, split by phase",
                Markup(charts.status_by_phase(table)),  # noqa: S704
                ("Status", *(str(c) for c in table.columns)),
                tuple((str(s), tuple(int(v) for v in table.loc[s])) for s in table.index),
            )
        )
    if summary.start_years:
        figures.append(
            Figure(
                "Studies by start year (actual or expected)",
                Markup(charts.start_years(summary.start_years)),  # noqa: S704
                ("Start year", "Studies"),
                tuple((str(year), (n,)) for year, n in summary.start_years),
            )
        )
    return figures


def render_pages(ctx: ReportContext) -> dict[str, str]:
    """Every page of the report, {file name: HTML}; the index is last."""
    pages = {s.filename: render_study(ctx, s) for s in ctx.studies}
    for search in ctx.searches:
        pages[search.filename] = render_search(ctx, search)
        pages.update(render_search_continuations(ctx, search))
    pages[INDEX] = render_index(ctx)
    return pages
