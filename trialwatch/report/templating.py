"""The one Jinja2 Environment that renders every page, feed and e-mail, with its filters.

Autoescape is on for every template whatever its file name, and StrictUndefined turns a typo into
an error, not a blank. Registry text is always escaped; the only markup marked safe is the SVG
`trialwatch.report.charts` drew.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from trialwatch.domain import change_words, wording
from trialwatch.domain.findings import outcome_findings
from trialwatch.domain.pages import INDEX_PAGE, REGISTRY_URL, STUDY_PAGE
from trialwatch.domain.results import Measurement
from trialwatch.domain.text import clean_text

LINK_LIMIT = 2000  # above this many studies a search table lists ids without links (page size)
SEVERITY_TONE = {"critical": "stop", "notable": "warn", "minor": "info"}


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else "not available"


def number(value: int | None) -> str:
    return f"{value:,}" if value is not None else "not given"


def events(share_text: str, num_events: int | None) -> str:
    """People affected with the registered number of events beside it: '3 / 97 (3.1%), 5 events'."""
    if num_events is None:
        return share_text
    return f"{share_text}, {num_events} event{'s' if num_events != 1 else ''}"


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


_CSS_SAFE = re.compile(r"[A-Za-z0-9.,:()#/_+-]")  # no space: an escape swallows one after it


def css_string(text: str | None) -> Markup:
    """A quoted CSS string for a `content:` property inside <style>: every character outside a
    small safe set is a CSS escape, so no text can end the string, the rule or the element."""
    body = "".join(ch if _CSS_SAFE.fullmatch(ch) else f"\\{ord(ch):06X}" for ch in text or "")
    return Markup(f'"{body}"')  # noqa: S704 - fully escaped above


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("trialwatch.report", "templates"),
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
        allocation_words=wording.allocation_words,
        hypothesis_words=wording.hypothesis_words,
        funder_words=wording.funder_words,
        dispersion_words=wording.dispersion_words,
        threshold_words=wording.threshold_words,
        yes_no=wording.yes_no,
        date_words=wording.date_words,
        when=when,
        css_string=css_string,
        number=number,
        measurement=measurement,
        events=events,
        plain=plain,
        shorten=change_words.shorten,
        severity_tone=lambda s: SEVERITY_TONE.get(s, "info"),
    )
    env.globals.update(
        study_url=lambda nct: REGISTRY_URL.format(nct=nct),
        study_page=lambda nct: STUDY_PAGE.format(nct=nct),
        share=share,
        outcome_findings=outcome_findings,
        change_words=change_words,  # a change in plain words (trialwatch.domain.change_words)
        index_page=INDEX_PAGE,
        link_limit=LINK_LIMIT,
    )
    env.filters["clean"] = clean_text  # drops characters XML cannot carry (feed, e-mail)
    return env
