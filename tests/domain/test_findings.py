"""The plain-language analysis line, on real records and SYNTHETIC variants of them."""

from __future__ import annotations

import pytest

from tests.conftest import study
from tests.synthetic_edits import one_sided_hazard_ratio
from trialwatch.domain.findings import (
    COMPUTED,
    describe_analysis,
    no_effect_check,
    outcome_findings,
    primary_findings,
)
from trialwatch.domain.results import parse_outcomes

VERDICTS = ("works", "significant", "effective", "proven")


def test_real_primary_analysis_in_plain_words() -> None:
    [first, second, *_] = primary_findings(parse_outcomes(study("NCT02552212")))
    [finding] = first.findings
    # groups by name, in the order the analysis lists them
    assert finding.groups == ("Placebo (FAS)", "CZP 200 mg Q2W (FAS)")
    assert finding.estimate == "Odds Ratio (OR) 15.231"
    assert finding.interval == "95% CI 7.336 to 31.623 (2-sided)"
    assert finding.p_value == "p <0.001"
    assert finding.p_sides == "sides not stated by the registry"
    assert finding.no_effect is not None and finding.no_effect.includes is False
    assert finding.no_effect.no_effect_value == "1" and COMPUTED in finding.no_effect.text
    assert "entirely above 1" in finding.no_effect.text
    # the registry's own words, verbatim
    assert finding.comment(
        "Analysis description",
    ).startswith("Odds ratio: CZP/Placebo")
    assert second.findings[0].estimate == "Odds Ratio (OR) 7.436"


def test_a_real_interval_that_includes_no_difference_says_so() -> None:
    uveitis = next(
        o for o in parse_outcomes(study("NCT02552212")) if o.title and "Uveitis" in o.title
    )
    [finding] = outcome_findings(uveitis).findings
    assert finding.p_value == "p =0.247"
    assert finding.no_effect is not None and finding.no_effect.includes
    assert "includes 1" in finding.no_effect.text


def test_differences_compare_with_zero() -> None:
    outcomes = parse_outcomes(study("NCT02210780"))
    lines = [f for o in outcomes for f in outcome_findings(o).findings]
    ls_mean = next(f for f in lines if f.estimate and f.estimate.startswith("LS Mean Difference"))
    assert ls_mean.no_effect is not None and ls_mean.no_effect.no_effect_value == "0"
    assert "entirely below 0" in ls_mean.no_effect.text
    # the analysis dispersion is shown with the estimate
    assert "(standard error of the mean " in (ls_mean.estimate or "")
    assert ls_mean.interval == "90% CI -2.72 to -1.55 (2-sided)"
    assert ls_mean.comment("Estimate comment") == "Dupilumab 300 mg qw vs. Placebo qw"


def test_one_sided_test_named_from_the_registry_comment() -> None:
    """The SYNTHETIC maintenance-trial shape: HR 1.09 (0.72 to 1.63), p 0.655, one-sided test."""
    [first, second, *_] = primary_findings(parse_outcomes(one_sided_hazard_ratio()))
    [hr] = first.findings
    assert hr.estimate == "Hazard Ratio (HR) 1.09"
    assert hr.interval == "95% CI 0.72 to 1.63 (2-sided)"
    assert hr.p_sides == "1-sided, as the registry's comment says"
    assert hr.no_effect is not None and hr.no_effect.includes
    assert hr.comment("Statistical comment") == "One-sided log-rank test at alpha 0.10."
    assert hr.comment("p-value comment") == "Stratified by region."
    assert hr.hypothesis == "Superiority"
    # a 1-sided interval with only a lower limit runs to infinity above it
    [open_ended] = second.findings
    assert open_ended.interval == "95% CI 1.8 to NA (1-sided)"
    assert open_ended.no_effect is not None and not open_ended.no_effect.includes


def test_no_check_when_the_type_does_not_say_what_no_effect_is() -> None:
    assert no_effect_check("Mean", "-1", "2", "TWO_SIDED") is None
    assert no_effect_check("Other", "0.5", "2", "TWO_SIDED") is None
    assert no_effect_check("Risk Difference (RD)", "NA", "2", "TWO_SIDED") is None
    assert no_effect_check("Log Hazard Ratio", "-0.2", "0.4", "TWO_SIDED").no_effect_value == "0"


def test_no_analysis_registered_says_so_without_a_verdict() -> None:
    [bmi, *_] = primary_findings(parse_outcomes(study("NCT00763412")))
    assert bmi.findings == ()
    assert "No statistical analysis is registered" in bmi.note


@pytest.mark.parametrize("nct", ["NCT02552212", "NCT02210780", "NCT00763412"])
def test_no_verdict_words_of_our_own(nct: str) -> None:
    for outcome in parse_outcomes(study(nct)):
        found = outcome_findings(outcome)
        words = [found.note] + [
            f.line + (f.no_effect.text if f.no_effect else f.no_effect_note or "")
            for f in found.findings
        ]
        for text in words:
            assert not any(v in text.lower() for v in VERDICTS), text


def test_missing_group_names_fall_back_to_ids() -> None:
    outcome = parse_outcomes(study("NCT02552212"))[0]
    analysis = outcome.analyses[0]
    finding = describe_analysis(analysis, ())
    assert finding.comparison == "OG000 vs OG001"
