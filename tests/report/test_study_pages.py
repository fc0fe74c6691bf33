"""What a clinician reads on a study page: findings, trust panel, people, publications, claims.

Real records (tests/fixtures/ctgov/studies) and SYNTHETIC variants of them (tests/synthetic_edits).
"""

from __future__ import annotations

import html
import re
from typing import Any

from tests.conftest import study
from tests.report_inputs import TODAY, cited, fixed_context, version_of
from tests.synthetic_edits import one_sided_hazard_ratio, units_analysed, unmonitored_adverse_events
from trialwatch.config import StudyConfig
from trialwatch.report.context import cited_study
from trialwatch.report.render import render_study

CLAIM = (
    "have proven that Ketamine effectively reduces debilitating symptoms associated with "
    "depression, anxiety and chronic pain"
)


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _page(nct: str, record: dict[str, Any] | None = None, **config: Any) -> str:
    record = record if record is not None else study(nct)
    cited_ = cited_study(
        StudyConfig(nct, config.pop("cited_as", "Clinical Trial Provided by someone"), **config),
        record, version_of(record), changes_since_previous=[], changes_recent=[], today=TODAY,
    )  # fmt: skip
    return render_study(fixed_context(), cited_)


def test_findings_come_first_and_name_the_computed_check() -> None:
    page = _page("NCT02552212")
    text = _text(page)
    assert (
        text.index("What it found") < text.index("How far to trust it") < text.index("What it is")
    )
    assert "Placebo (FAS) vs CZP 200 mg Q2W (FAS): Odds Ratio (OR) 15.231" in text
    assert "95% CI 7.336 to 31.623 (2-sided)" in text
    assert "lies entirely above 1" in text and "worked out by trialwatch" in text
    assert "Analysis description (the registry's words)" in text
    # no verdict of our own
    for word in (" significant", " works ", " effective"):
        assert word not in text.lower().replace("not evidence that the treatment works", "")


def test_one_sided_test_reads_as_the_registry_says() -> None:
    """SYNTHETIC maintenance-trial shape: HR 1.09 (0.72 to 1.63), p 0.655, one-sided alpha 0.10."""
    text = _text(_page("NCT02552212", one_sided_hazard_ratio()))
    assert "Hazard Ratio (HR) 1.09 · 95% CI 0.72 to 1.63 (2-sided) · p 0.655" in text
    assert "(1-sided, as the registry's comment says)" in text
    assert "One-sided log-rank test at alpha 0.10." in text
    assert "includes 1, the value that means no difference" in text


def test_per_row_denominators_and_flow_comments() -> None:
    text = _text(_page("NCT02210780"))
    assert "Erythema: participants analysed 79 87" in text
    text = _text(_page("NCT02552212"))
    comment = "123 subjects from Placebo arm and 120 subjects from CZP 200 mg Q2W arm"
    assert f"Registry comment: {comment}" in text  # the flow table
    assert f"Started: {comment}" in text  # the trust panel's attrition


def test_units_analysed_on_the_page() -> None:
    """SYNTHETIC cluster-randomised variant: clinics beside participants."""
    text = _text(_page("NCT02210780", units_analysed()))
    assert "Units counted besides participants: Clinics." in text
    assert "97 6 clinics" in text and "97 5 clinics" in text
    assert "Units analysed: Clinics" in text
    assert "Clinics analysed 6 5" in text


def test_an_unmonitored_arm_is_never_zero_events() -> None:
    """SYNTHETIC: 'Adverse events were not monitored', 0 at risk in every arm."""
    text = _text(_page("NCT00763412", unmonitored_adverse_events()))
    assert "Adverse events were not monitored." in text
    assert "not zero events" in text
    assert "No events reported in this arm" not in text
    assert "0 / 0" not in text


def test_trust_panel_flags_and_limitations() -> None:
    text = _text(_page("NCT00763412"))
    assert "after the study started (22 months later" in text
    assert "weigh this" in text
    assert "A limitation of the study was the very small sample size." in text
    assert "From the record's history" not in text  # the slot stays hidden until it is filled


def test_who_was_in_it_and_what_was_published() -> None:
    page = _page("NCT02552212")
    text = _text(page)
    assert "Who was in it" in text and "Eligibility criteria, as registered" in text
    assert "Baseline characteristics per arm" in text
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/35296532/"' in page
    assert "Reports the study's results (as the sponsor typed it)" in text
    assert "The list is incomplete" in text


def test_observational_study_page() -> None:
    text = _text(_page("NCT06171568", cited_as="2024 - Clinical Trial Provided by AP-HP"))
    assert "Observational (no phase)" in text
    assert "Model: Cohort (a group followed over time)" in text
    assert "Time perspective: Prospective" in text
    assert "the registry records an observational study" in text
    assert "Allocation:" not in text


def test_planned_outcomes_lead_a_page_without_results() -> None:
    text = _text(_page("NCT03630471"))
    found = text[text.index("What it found") : text.index("How far to trust it")]
    assert "Mental health symptoms" in found and "Time frame: 6 weeks" in found


def test_claims_beside_the_evidence_escaped() -> None:
    page = _page("NCT02552212", claims=(CLAIM, "<script>alert(1)</script>"))
    text = _text(page)
    assert "What the clinic says it shows, beside the registry" in text
    assert CLAIM in text
    assert "<script>alert(1)</script>" not in page
    assert "it does not judge it" in text
    assert "Conditions registered" in text and "Who took part" in text


def test_hostile_see_also_links_are_dropped() -> None:
    """SYNTHETIC: a real record with a javascript: link and an https one."""
    record = study("NCT03630471")
    record["protocolSection"]["referencesModule"]["seeAlsoLinks"] = [
        {"label": "bad", "url": "javascript:alert(1)"},
        {"label": "Trial site", "url": "https://example.org/trial"},
    ]
    page = _page("NCT03630471", record)
    assert "javascript:" not in page
    assert 'href="https://example.org/trial"' in page


def test_no_results_page_keeps_its_note() -> None:
    ctx = fixed_context()
    text = _text(render_study(ctx, cited("NCT03630471", "Sangath 2019")))
    assert "No results have been posted on the registry for this study." in text


def test_events_beside_people_affected() -> None:
    text = _text(_page("NCT02552212"))
    assert "Upper respiratory tract infection 16 / 158 (10.1%), 23 events" in text
    assert "Terms from MedDRA19.0" in text
    assert "Non-systematic assessment (recorded when reported)" in text


def test_post_hoc_outcomes_keep_their_registered_type() -> None:
    """SYNTHETIC variant of the real NCT00763412: one secondary outcome typed POST_HOC."""
    record = study("NCT00763412")
    measures = record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    measures[-1]["type"] = "POST_HOC"
    text = _text(_page("NCT00763412", record))
    assert (
        "Post hoc (chosen after the study began, not pre-specified) outcomes, results (1)" in text
    )
    assert "Secondary outcomes, results (5)" in text


def test_the_shipped_config_carries_the_clinics_claim() -> None:
    from pathlib import Path

    from trialwatch.config import load_config

    config = load_config(Path(__file__).parents[2] / "config.toml")
    assert [s.claims for s in config.studies] == [(CLAIM,), (CLAIM,)]


def test_group_descriptions_are_on_the_page_collapsed() -> None:
    page = _page("NCT00763412")
    assert "How the registry describes these groups (2)" in page
    assert "How the registry describes these adverse-event groups (2)" in page
    text = _text(page)
    assert "Repaglinide intervention group of CF pancreatic insufficient patients" in text
