"""Findings and the trust panel on real archived classic XML records (tests/fixtures/classic_xml,
read by trialwatch.domain.classic into the v2 shape)."""

from __future__ import annotations

from tests.report_inputs import classic_record
from trialwatch.domain import protocol, results
from trialwatch.domain.appraisal import appraise
from trialwatch.domain.findings import outcome_findings, primary_findings
from trialwatch.domain.records import parse_study


def test_classic_analysis_with_an_interval_and_sides_in_the_method() -> None:
    [primary] = primary_findings(results.parse_outcomes(classic_record("NCT01304147")))
    [finding] = primary.findings
    assert finding.comparison == "Ketamine vs Placebo"
    assert finding.estimate == "Mean Difference (Final Values) 7.6"
    assert finding.interval == "95% CI 3.9 to 11.3 (2-sided)"
    assert finding.p_value == "p <0.001"
    assert finding.p_sides == "2-sided, as the registry's method says"
    assert finding.no_effect is not None and "entirely above 0" in finding.no_effect.text


def test_classic_analyses_without_an_interval_say_why_there_is_no_check() -> None:
    outcomes = results.parse_outcomes(classic_record("NCT01367119"))
    found = [f for o in outcomes for f in outcome_findings(o).findings]
    assert len(found) == 8
    assert {f.p_value for f in found} >= {"p 0.171", "p 0.003"}
    assert all(f.no_effect is None and "No confidence interval" in (f.no_effect_note or "")
               for f in found)  # fmt: skip
    assert found[0].comment("Analysis description") == (
        "P-values take into account variability across treatments and within subject."
    )


def test_the_clinics_cited_study_in_its_2020_version() -> None:
    record = classic_record("NCT01558063")
    [primary] = primary_findings(results.parse_outcomes(record))
    assert primary.title == "Number of Responders 24-hours Post-ketamine Infusion"
    assert primary.findings == () and "No statistical analysis is registered" in primary.note
    panel = appraise(
        parse_study(record), protocol.parse_design(record), protocol.parse_arms(record),
        protocol.parse_status_dates(record), flow=results.parse_participant_flow(record),
        outcomes=results.parse_outcomes(record), more_info=results.parse_more_info(record),
    )  # fmt: skip
    registered = next(i for i in panel.items if i.label == "Registered")
    assert registered.flag and "(1 month later;" in registered.value
    assert [(a.arm, a.analysed, a.started) for a in panel.analysed][-1] == (
        "Saline Solution", "5", "5",
    )  # fmt: skip


def test_registered_days_after_a_start_with_a_day() -> None:
    record = classic_record("NCT00088699")
    panel = appraise(
        parse_study(record), protocol.parse_design(record), protocol.parse_arms(record),
        protocol.parse_status_dates(record),
    )  # fmt: skip
    registered = next(i for i in panel.items if i.label == "Registered")
    assert registered.flag and "after the study started (4 days later;" in registered.value
