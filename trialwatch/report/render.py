"""Renders the evidence report's pages to strings (no I/O), with `trialwatch.report.templating`'s
one Environment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from trialwatch.domain.pages import INDEX_PAGE as INDEX
from trialwatch.report import charts
from trialwatch.report.context import CitedStudy, ReportContext, SearchReport
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


def render_search(ctx: ReportContext, search: SearchReport) -> str:
    title = search.config.title or search.config.name
    figures = search_figures(search)
    return _render("report_search.html", ctx=ctx, search=search, charts=figures, page_title=title)


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
    pages.update({s.filename: render_search(ctx, s) for s in ctx.searches})
    pages[INDEX] = render_index(ctx)
    return pages
