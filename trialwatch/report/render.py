"""Renders the evidence report's pages to strings (no I/O), with `trialwatch.report.templating`'s
one Environment."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from trialwatch.domain.pages import INDEX_PAGE as INDEX
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
    charts = {caption: Markup(svg) for caption, svg in search.charts.items()}  # noqa: S704
    title = search.config.title or search.config.name
    return _render("report_search.html", ctx=ctx, search=search, charts=charts, page_title=title)


def render_pages(ctx: ReportContext) -> dict[str, str]:
    """Every page of the report, {file name: HTML}; the index is last."""
    pages = {s.filename: render_study(ctx, s) for s in ctx.studies}
    pages.update({s.filename: render_search(ctx, s) for s in ctx.searches})
    pages[INDEX] = render_index(ctx)
    return pages
