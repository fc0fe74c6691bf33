"""The trust panel on real records (tests/fixtures/ctgov/studies) and SYNTHETIC variants."""

from __future__ import annotations

from typing import Any

from tests.conftest import study
from tests.synthetic_edits import units_analysed
from trialwatch.domain import protocol, results
from trialwatch.domain.appraisal import (
    Appraisal,
    TrustItem,
    appraise,
    match_arm,
    months_between,
    with_history_flags,
)
from trialwatch.domain.records import parse_study


def _appraise(record: dict[str, Any]) -> Appraisal:
    return appraise(
        parse_study(record),
        protocol.parse_design(record),
        protocol.parse_arms(record),
        protocol.parse_status_dates(record),
        flow=results.parse_participant_flow(record),
        outcomes=results.parse_outcomes(record),
        more_info=results.parse_more_info(record),
    )


def _item(appraisal: Appraisal, label: str) -> TrustItem:
    return next(i for i in appraisal.items if i.label == label)


def test_real_trial_panel() -> None:
    panel = _appraise(study("NCT00763412"))
    assert _item(panel, "Randomised").value == "Randomised"
    masking = _item(panel, "Masking (who was blinded)").value
    assert masking == "Quadruple-blind: participant, care provider, investigator, outcomes assessor"
    assert _item(panel, "Control").value == "Placebo comparator: 1 Placebo"
    assert _item(panel, "Funder").value == "An individual: Arbelaez, Ana Maria"
    # registered 2008-09-29 for a start in 2006-11: late, flagged, the interval named as computed
    late = _item(panel, "Registered")
    assert late.flag and "after the study started (22 months later" in late.value
    assert "worked out by trialwatch" in late.value
    delay = _item(panel, "Results submitted")
    assert delay.flag and "42 months after primary completion (2013-01" in delay.value
    assert panel.limitations == "A limitation of the study was the very small sample size."
    agreement = _item(panel, "Publication agreement")
    assert not agreement.flag and agreement.value.startswith("No restrictive agreement")


def test_attrition_per_arm_per_period_with_the_registry_comments() -> None:
    panel = _appraise(study("NCT02552212"))
    rows = {(r.period, r.arm): r for r in panel.attrition}
    placebo = rows[("Double-Blind Period (Week 0 - 52)", "Placebo")]
    assert (placebo.started, placebo.completed) == ("158", "143")
    extension = rows[("SFE Period (Week 52 - 156)", "SFE OL CZP 200 mg Q2W")]
    assert extension.comments == (
        "Started: 123 subjects from Placebo arm and 120 subjects from CZP 200 mg Q2W arm",
    )
    agreement = _item(panel, "Publication agreement")
    assert agreement.flag and "more than 60 days" in agreement.value


def test_restrictive_agreement_details_verbatim() -> None:
    agreement = _item(_appraise(study("NCT02210780")), "Publication agreement")
    assert agreement.flag and agreement.note is not None
    assert agreement.note.startswith("The investigator has the right to independently publish")


def test_analysed_against_started_matches_arms_by_name_only() -> None:
    panel = _appraise(study("NCT02210780"))
    first = [r for r in panel.analysed if r.outcome and r.outcome.startswith("Percentage of")]
    assert [(r.arm, r.analysed, r.started) for r in first] == [
        ("Placebo qw", "92", "97"),
        ("Dupilumab 300 mg qw", "90", "97"),
    ]
    # "Placebo (FAS)" matches the flow's "Placebo"; "CZP 200 mg Q2W (FAS)" only its own arm
    assert match_arm("Placebo (FAS)", ["placebo", "czp 200 mg q2w"]) == "placebo"
    assert match_arm("CZP (FAS)", ["czp low", "czp high"]) is None  # ambiguous: no guess


def test_units_analysed_are_kept() -> None:
    """SYNTHETIC: the cluster-randomised variant counts clinics beside participants."""
    record = units_analysed()
    flow = results.parse_participant_flow(record)
    assert flow is not None and flow.type_units_analyzed == "Clinics"
    started = flow.periods[0].milestones[0]
    assert [(c.value, c.units) for c in started.counts] == [("97", "6"), ("97", "5")]
    outcome = results.parse_outcomes(record)[0]
    assert outcome.type_units_analyzed == "Clinics"
    assert [d.units for d in outcome.denoms] == ["Participants", "Clinics"]


def test_observational_panel_and_registration_before_start() -> None:
    panel = _appraise(study("NCT06171568"))
    labels = [i.label for i in panel.items]
    assert "Masking (who was blinded)" not in labels and "Control" not in labels
    assert _item(panel, "Randomised").value.startswith("No: observational")
    registered = _item(panel, "Registered")
    assert not registered.flag and registered.value.endswith("before the study started")


def test_month_only_start_in_the_registration_month_is_not_called_late() -> None:
    registered = _item(_appraise(study("NCT02552212")), "Registered")
    assert not registered.flag and "in the month it started" in registered.value


def test_history_slot_is_empty_until_filled() -> None:
    panel = _appraise(study("NCT00763412"))
    assert panel.history_flags is None
    filled = with_history_flags(panel, [TrustItem("Primary outcome changed", "yes", flag=True)])
    assert filled.history_flags is not None and filled.history_flags[0].flag
    assert filled.items == panel.items


def test_months_between_partial_dates() -> None:
    assert months_between("2018-05", "2019-04-27") == 11
    assert months_between("2018", "2019-04-27") is None
