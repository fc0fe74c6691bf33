"""Rendering the report pages (pure): content, evidence fidelity and escaping of registry text."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from typing import Any

import pytest

from tests.conftest import study
from tests.report_inputs import NOW, PHELAN_PAGE, cited, fixed_context, search, summary_rows
from trialwatch.domain.change import LoggedChange
from trialwatch.domain.history_flags import HistoryFlag
from trialwatch.report.render import (
    environment,
    render_index,
    render_pages,
    render_search,
    render_study,
)

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'


def _text(page: str) -> str:
    """The visible text of a page, roughly: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_one_environment_autoescape_strict() -> None:
    env = environment()
    assert env is environment()
    assert env.autoescape is True
    from jinja2 import StrictUndefined

    assert env.undefined is StrictUndefined


def test_index_lists_each_cited_study_and_provenance() -> None:
    ctx = fixed_context()
    page = render_index(ctx)
    for s in ctx.studies:
        assert s.summary is not None
        assert html.escape(s.summary.brief_title or "") in page
        assert f'href="{s.filename}"' in page
    assert "2026-11-26 06:00 UTC" in page  # data fetched
    assert "2026-11-25T09:00:05" in page  # the API's dataTimestamp
    assert "not peer-reviewed" in page
    assert "https://clinicaltrials.gov/study/NCT02552212" in page
    assert "<script" not in page and "http://" not in page  # no scripts, no external assets


def test_missing_data_timestamp_says_not_available() -> None:
    assert "not available" in _text(render_index(fixed_context(data_timestamp=None)))


def test_study_page_keeps_na_and_its_comment_verbatim() -> None:
    ctx = fixed_context()
    text = _text(render_study(ctx, ctx.studies[0]))
    assert "NA (NA to NA)" in text
    assert "Values were below the level of quantification." in text
    assert "0.2 (0.1 to 0.7)" in text  # the other arm of the same row
    assert "not reached" not in text.replace('never means "not reached"', "")
    # Every number says which record version it comes from.
    assert "record version 2023-12-12" in text  # the fixture's versionHolder


def test_study_page_analysis_flow_and_adverse_events_per_arm() -> None:
    ctx = fixed_context()
    text = _text(render_study(ctx, ctx.studies[0]))
    assert "Regression, Logistic" in text and "15.231" in text and "<0.001" in text
    assert "95% CI 7.336 to 31.623 (2-sided)" in text
    assert "Double-Blind Period (Week 0 - 52)" in text
    # NCT02552212 safety groups: Placebo (SS) 4/158 serious; never one pooled total.
    assert "4 / 158 (2.5%)" in text
    assert "Placebo (SS)" in text
    total_at_risk = 158 + 159 + 96 + 20 + 243
    assert f"/ {total_at_risk}" not in text


def test_adverse_events_on_a_two_arm_study() -> None:
    text = _text(render_study(fixed_context(), cited("NCT02210780", "Regeneron 2015")))
    assert "0 / 97 (0.0%)" in text and "3 / 97 (3.1%)" in text  # serious, per arm
    assert "Upper respiratory tract infection" in text
    assert "14 / 97 (14.4%)" in text
    assert "/ 194" not in text  # 97 + 97 pooled would be a lie


def test_citation_disagreements_are_explained() -> None:
    ctx = fixed_context()
    text = _text(render_study(ctx, ctx.studies[1]))  # NCT00763412 cited as Washington University
    assert "matches no registry date" in text and "2012" in text
    assert "only as a collaborator" in text
    assert "Arbelaez, Ana Maria" in text
    agree = _text(render_study(ctx, ctx.studies[2]))  # Sangath 2019: both agree
    assert "agree with the registry" in agree


def test_no_results_note_and_partial_dates() -> None:
    ctx = fixed_context()
    text = _text(render_study(ctx, ctx.studies[2]))
    assert "No results have been posted on the registry for this study." in text
    partial = _text(render_study(ctx, ctx.studies[1]))
    assert "2006-11 (month only)" in partial  # start date stays partial


def test_changes_since_previous_report_and_recent() -> None:
    ctx = fixed_context()
    text = _text(render_study(ctx, ctx.studies[1]))
    assert "Overall status Running, no longer recruiting Completed" in " ".join(text.split())
    assert "ACTIVE_NOT_RECRUITING" not in text  # codes in words
    assert "In the last 90 days" in text


def test_results_changes_name_the_outcome_the_arm_and_both_values_grouped() -> None:
    ctx = fixed_context()
    page = render_study(ctx, ctx.studies[1])
    text = " ".join(_text(page).split())
    assert (
        "Primary outcome “BMI” (2 year/end of study), arm “2. Repaglinide”, value 21.19 19.19"
        in text
    )
    assert "Serious adverse event “Pancreatitis” (Gastrointestinal disorders) appeared" in text
    assert "Placebo: 0 / 8; Repaglinide: 1 / 8" in text
    assert "Arm “Repaglinide”, participants with serious adverse events" in text


def test_index_banner_links_critical_changes_of_cited_studies() -> None:
    ctx = fixed_context()
    assert "Critical changes" not in render_index(ctx)  # only notable changes so far
    stopped = LoggedChange("overall_status", "COMPLETED", "TERMINATED", "critical",
                           nct_id="NCT00763412", id=20, detected_at=NOW)  # fmt: skip
    page = render_index(replace(ctx, changes_since_previous=[stopped, *ctx.changes_since_previous]))
    start = page.index('<section class="banner"')
    banner = page[start : page.index("</section>", start)]
    assert '<a href="study-NCT00763412.html">NCT00763412</a>: terminated' in banner
    assert "resultsSection" not in page and "outcome_value" not in page


def test_study_page_shows_the_flags_from_its_history() -> None:
    flag = HistoryFlag("enrollment_vs_first_plan", "Enrollment 76 planned → 38 actual (50% of "
                       "the plan) (versions 1 and 2)", (1, 2))  # fmt: skip
    ctx = fixed_context()
    page = render_study(ctx, cited("NCT00763412", "", flags=[flag]))
    panel = page[page.index('<section id="trust">') :]
    assert "From the record's history" in panel
    assert "Enrollment against the first registered figure: Enrollment 76 planned → 38 actual" in (
        panel
    )
    read_none = render_study(ctx, cited("NCT00763412", "", flags=[]))
    assert "nothing flagged" in read_none


def test_search_page_counts_new_entries_and_charts() -> None:
    ctx = fixed_context()
    page = render_search(ctx, ctx.searches[0])
    rows = summary_rows(PHELAN_PAGE)
    text = _text(page)
    assert f"{len(rows)} studies" in text
    assert "New since the previous report (1)" in text
    assert page.count("<svg") == 2  # status by phase, start year
    assert "<script" not in page
    for row in rows:  # a small search links every study to the registry
        assert f'href="https://clinicaltrials.gov/study/{row["nct_id"]}"' in page


def test_pages_are_named_and_index_is_last() -> None:
    pages = render_pages(fixed_context())
    assert list(pages)[-1] == "index.html"
    assert {"study-NCT02552212.html", "search-phelan.html", "search-nsclc.html"} <= set(pages)


def _hostile(record: dict[str, Any]) -> dict[str, Any]:
    """SYNTHETIC variant of a real record: markup in the title, arm names and outcome text."""
    ident = record["protocolSection"]["identificationModule"]
    ident["briefTitle"] = f"Trial {SCRIPT} of {IMG}"
    ident["officialTitle"] = f"Official {IMG}"
    arms = record["protocolSection"]["armsInterventionsModule"]["armGroups"]
    arms[0]["label"] = f"Arm {SCRIPT}"
    results = record["resultsSection"]
    outcome = results["outcomeMeasuresModule"]["outcomeMeasures"][0]
    outcome["title"] = f"Outcome {SCRIPT}"
    outcome["description"] = f"Described {IMG}"
    outcome["groups"][0]["title"] = f"Group {IMG}"
    outcome["classes"][0]["categories"][0]["measurements"][0]["value"] = SCRIPT
    results["adverseEventsModule"]["eventGroups"][0]["title"] = f"AE arm {SCRIPT}"
    results["adverseEventsModule"]["seriousEvents"][0]["term"] = f"Event {IMG}"
    results["participantFlowModule"]["groups"][0]["title"] = f"Flow {IMG}"
    return record


@pytest.mark.parametrize("page_kind", ["index", "study", "search"])
def test_registry_markup_is_escaped_never_raw(page_kind: str) -> None:
    record = _hostile(study("NCT02552212"))
    hostile = cited("NCT02552212", f"2017 {SCRIPT}", record=record)
    rows = summary_rows(PHELAN_PAGE)
    rows[0]["brief_title"] = f"Search hit {SCRIPT}{IMG}"
    ctx = fixed_context()
    ctx.studies[0] = hostile
    ctx.searches[0] = search("phelan", f"Phelan {SCRIPT}", rows)
    page = {
        "index": lambda: render_index(ctx),
        "study": lambda: render_study(ctx, hostile),
        "search": lambda: render_search(ctx, ctx.searches[0]),
    }[page_kind]()
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "onerror=" not in page.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_hostile_study_page_shows_every_hostile_field_escaped() -> None:
    page = render_study(
        fixed_context(), cited("NCT02552212", "x", record=_hostile(study("NCT02552212")))
    )
    escaped_script = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for visible in ("Trial ", "Arm ", "Outcome ", "AE arm "):
        assert visible + escaped_script in page
    for visible in ("Described ", "Group ", "Event ", "Flow ", "Official "):
        assert visible + "&lt;img src=x onerror=" in page


def test_search_page_names_are_unique_file_names_in_config_order() -> None:
    from pathlib import Path

    from trialwatch.config import Config, SearchConfig
    from trialwatch.domain.pages import search_page_names

    names = ["Ketamine / TRD", "ketamine-trd", "Ketamine TRD", "%%"]
    config = Config(path=Path("config.toml"), searches=tuple(SearchConfig(n) for n in names))
    assert search_page_names(s.name for s in config.searches) == {
        "Ketamine / TRD": "search-ketamine-trd.html",
        "ketamine-trd": "search-ketamine-trd-x.html",
        "Ketamine TRD": "search-ketamine-trd-x-x.html",
        "%%": "search-search.html",
    }
