"""Renders the evidence report's pages to strings (no I/O), with `trialwatch.report.templating`'s
one Environment."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from trialwatch.domain.pages import INDEX_PAGE as INDEX
from trialwatch.report import charts
from trialwatch.report.context import CitedStudy, ReportContext, SearchReport
from trialwatch.report.templating import environment

__all__ = ["INDEX", "environment", "render_index", "render_pages", "render_search", "render_study"]


def _render(name: str, **values: Any) -> str:
    return environment().get_template(name).render(**values)


def render_index(ctx: ReportContext) -> str:
    return _render("report_index.html", ctx=ctx, page_title=ctx.title)


def render_study(ctx: ReportContext, study: CitedStudy) -> str:
    title = (study.summary.brief_title if study.summary else None) or study.config.nct_id
    return _render("report_study.html", ctx=ctx, study=study, page_title=title)


def render_search(ctx: ReportContext, search: SearchReport) -> str:
    title = search.config.title or search.config.name
    figures = search_figures(search)
    return _render("report_search.html", ctx=ctx, search=search, charts=figures, page_title=title)


def search_figures(search: SearchReport) -> dict[str, Markup]:
    """Caption -> inline SVG drawn from the search's counts (our drawing, not registry text)."""
    summary = search.evidence
    figures: dict[str, Markup] = {}
    if summary.total:
        svg = charts.status_by_phase(summary.status_by_phase)
        figures["Studies by status, split by phase"] = Markup(svg)  # noqa: S704
    if summary.start_years:
        svg = charts.start_years(summary.start_years)
        figures["Studies by start year (actual or expected)"] = Markup(svg)  # noqa: S704
    return figures


def render_pages(ctx: ReportContext) -> dict[str, str]:
    """Every page of the report, {file name: HTML}; the index is last."""
    pages = {s.filename: render_study(ctx, s) for s in ctx.studies}
    pages.update({s.filename: render_search(ctx, s) for s in ctx.searches})
    pages[INDEX] = render_index(ctx)
    return pages
