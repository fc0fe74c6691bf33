"""Renders the evidence report's pages to strings: one Jinja2 Environment, no I/O.

Autoescape is on for every template and StrictUndefined turns a typo into an error, not a blank.
Registry text is always escaped; the only markup marked safe is the SVG `trialwatch.charts` drew.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from trialwatch import wording
from trialwatch.report_data import CitedStudy, ReportContext, SearchReport
from trialwatch.results import Measurement

INDEX = "index.html"
STUDY_URL = "https://clinicaltrials.gov/study/{}"
LINK_LIMIT = 2000  # above this many studies a search table lists ids without links (page size)
SEVERITY_TONE = {"critical": "stop", "notable": "warn", "minor": "info"}


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else "not available"


def number(value: int | None) -> str:
    return f"{value:,}" if value is not None else "not given"


def share(affected: int | None, at_risk: int | None) -> str:
    """'3 / 97 (3.1%)': the registry's counts, with the percentage worked out from them."""
    if affected is None:
        return "not reported"
    if not at_risk:
        return f"{affected} / {at_risk if at_risk is not None else '?'}"
    return f"{affected} / {at_risk} ({100 * affected / at_risk:.1f}%)"


def measurement(m: Measurement) -> str:
    """Value with its dispersion or limits exactly as registered: '19.63 (15.56 to 22.64)'."""
    text = m.value if m.value is not None else "not given"
    if m.spread is not None:
        text += f" ({m.spread})"
    elif m.lower_limit is not None or m.upper_limit is not None:
        text += f" ({m.lower_limit or '?'} to {m.upper_limit or '?'})"
    return text


_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~=])")


def plain(text: str | None) -> str:
    """Registry text without markdown backslash escapes ('\\>= 2.0' reads '>= 2.0').

    Only the backslashes go; the text is still autoescaped, never rendered as markup.
    """
    return _MARKDOWN_ESCAPE.sub(r"\1", text or "")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("trialwatch", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        status_words=wording.status_words,
        status_tone=wording.status_tone,
        phase_words=wording.phase_words,
        code_words=wording.code_words,
        date_words=wording.date_words,
        when=when,
        number=number,
        measurement=measurement,
        plain=plain,
        severity_tone=lambda s: SEVERITY_TONE.get(s, "info"),
    )
    env.globals.update(
        study_url=STUDY_URL.format, share=share, index_page=INDEX, link_limit=LINK_LIMIT
    )
    return env


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
