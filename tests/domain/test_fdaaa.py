"""FDAAA results-reporting status, following the FDAAA TrialsTracker's published rules
(docs/fdaaa.md): coverage from the registry's fields, due 1 year after primary completion,
lateness on the first results submission, trials completed before the Final Rule not scored."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.conftest import study
from trialwatch.domain.fdaaa import (
    BEFORE_FINAL_RULE,
    DUE,
    NOT_COVERED,
    NOT_YET_DUE,
    OVERDUE,
    REPORTED,
    UNKNOWN,
    RegistryFacts,
    ReportingStatus,
    add_years,
    coverage,
    last_day,
    registry_facts,
    reporting_status,
)

# A covered trial: interventional phase 3 drug trial with the registry's FDA flag set.
COVERED = RegistryFacts(
    study_type="INTERVENTIONAL", phases=("PHASE3",), overall_status="COMPLETED",
    intervention_types=("DRUG",), fda_regulated_drug=True, fda_regulated_device=False,
    primary_completion="2020-06-15", primary_completion_type="ACTUAL",
)  # fmt: skip


@pytest.mark.parametrize(
    ("registry_date", "expected"),
    [
        ("2012-02", date(2012, 2, 29)),  # leap year
        ("2013-02", date(2013, 2, 28)),
        ("2018-05", date(2018, 5, 31)),
        ("2018", date(2018, 12, 31)),
        ("2018-05-03", date(2018, 5, 3)),
        ("2018-02-30", None),
        ("May 2018", None),
        (None, None),
    ],
)
def test_partial_dates_count_as_the_last_day(registry_date: str | None, expected: date) -> None:
    assert last_day(registry_date) == expected


def test_add_years_on_29_february() -> None:
    assert add_years(date(2020, 2, 29), 1) == date(2021, 2, 28)
    assert add_years(date(2020, 2, 29), 4) == date(2024, 2, 29)  # leap to leap keeps the day
    assert add_years(date(2019, 12, 31), 3) == date(2022, 12, 31)
    assert add_years(date(2021, 3, 1), 1) == date(2022, 3, 1)


def at(facts: RegistryFacts, today: date) -> str:
    return reporting_status(facts, today=today).state


def test_month_only_completion_boundaries() -> None:
    # 2020-06 means 2020-06-30: due 2021-06-30, overdue from 2021-07-31 (30 days' grace).
    facts = replace(COVERED, primary_completion="2020-06")
    first = reporting_status(facts, today=date(2021, 6, 30))
    assert (first.state, first.due_date, first.overdue_from) == (
        NOT_YET_DUE, date(2021, 6, 30), date(2021, 7, 31),
    )  # fmt: skip
    assert "2020-06 (primaryCompletionDateStruct, read as 2020-06-30)" in (first.basis[0])
    assert at(facts, date(2021, 7, 1)) == DUE
    assert at(facts, date(2021, 7, 30)) == DUE
    assert at(facts, date(2021, 7, 31)) == OVERDUE


def test_certificate_of_delay_extends_to_three_years() -> None:
    facts = replace(COVERED, certificate_submitted="2021-05-01")
    result = reporting_status(facts, today=date(2022, 1, 1))
    assert (result.state, result.due_date) == (NOT_YET_DUE, date(2023, 6, 15))
    assert any("certificate of delay was filed (2021-05-01, dispFirstSubmitDate)" in n
               for n in result.notes)  # fmt: skip
    assert "+ 3 years, certificate of delay filed" in result.basis[0]


def test_lateness_is_measured_on_submission_not_posting() -> None:
    """Submitted before the due date, posted after it (the registry's review took months):
    on time. The TrialsTracker dates a report by resultsFirstSubmitDate."""
    facts = replace(
        COVERED, results_first_submitted="2021-05-01", results_first_posted="2021-09-30"
    )
    result = reporting_status(facts, today=date(2025, 1, 1))
    assert (result.state, result.reported_late) == (REPORTED, False)
    assert (result.submitted_on, result.posted_on) == ("2021-05-01", "2021-09-30")
    assert result.basis == (
        "Results first submitted 2021-05-01 (resultsFirstSubmitDate), on or before the due date "
        "2021-06-15: primary completion 2020-06-15 (primaryCompletionDateStruct) + 1 year.",
    )
    late = reporting_status(
        replace(facts, results_first_submitted="2021-06-16"), today=date(2025, 1, 1)
    )
    assert (late.state, late.reported_late) == (REPORTED, True)  # a day after the due date
    assert "after the due date 2021-06-15" in late.basis[0]


def test_submitted_results_still_in_review_count_as_reported() -> None:
    facts = replace(COVERED, results_first_submitted="2021-05-01")
    result = reporting_status(facts, today=date(2025, 1, 1))
    assert (result.state, result.posted_on) == (REPORTED, None)


def test_first_posted_date_is_used_only_without_a_submission_date() -> None:
    facts = replace(COVERED, results_first_posted="2021-07-01")
    result = reporting_status(facts, today=date(2025, 1, 1))
    assert (result.state, result.reported_late) == (REPORTED, True)
    assert "(resultsFirstPostDateStruct)" in result.basis[0]
    assert result.notes[-1] == (
        "No results submission date is registered; the first-posted date is used, which "
        "includes the registry's review time."
    )


def test_unreported_status_line_names_the_dates() -> None:
    result = reporting_status(COVERED, today=date(2022, 1, 1))
    assert result.state == OVERDUE
    assert result.basis == (
        "No results submitted (no resultsFirstSubmitDate) as of 2022-01-01; due date 2021-06-15: "
        "primary completion 2020-06-15 (primaryCompletionDateStruct) + 1 year; counted overdue "
        "from 2021-07-16, after 30 days' grace.",
    )


def test_completion_before_the_final_rule_is_not_scored() -> None:
    """The TrialsTracker only scores trials completing on or after 18 January 2017."""
    facts = replace(COVERED, primary_completion="2017-01-17", results_first_submitted="2019-01-01")
    result = reporting_status(facts, today=date(2025, 1, 1))
    assert result.state == BEFORE_FINAL_RULE == "not covered by the Final Rule's deadline"
    assert result.due_date is None and result.reported_late is False
    assert "2017-01-17 (primaryCompletionDateStruct) is before 18 January 2017" in result.basis[0]
    on_the_day = replace(facts, primary_completion="2017-01-18")
    assert at(on_the_day, date(2025, 1, 1)) == REPORTED
    # a month-only date counts as its last day, so 2017-01 is on or after the effective date
    assert at(replace(facts, primary_completion="2017-01"), date(2025, 1, 1)) == REPORTED


def test_completion_date_used_when_no_primary_completion() -> None:
    facts = replace(COVERED, primary_completion=None, completion="2020-06-15")
    result = reporting_status(facts, today=date(2022, 1, 1))
    assert (result.state, result.due_date) == (OVERDUE, date(2021, 6, 15))
    assert "(completionDateStruct)" in result.basis[0]
    assert at(replace(facts, completion=None), date(2022, 1, 1)) == UNKNOWN


@pytest.mark.parametrize(
    ("change", "covered", "names"),
    [
        ({"overall_status": "WITHDRAWN"}, False, "overallStatus"),
        ({"study_type": "OBSERVATIONAL"}, False, "studyType OBSERVATIONAL"),
        ({"phases": ("PHASE1",)}, False, "phases PHASE1"),
        ({"phases": ("EARLY_PHASE1",)}, False, "EARLY_PHASE1"),
        ({"phases": ("PHASE1", "PHASE2")}, True, "isFdaRegulatedDrug yes"),  # phase 1/2 is covered
        ({"phases": ("NA",)}, True, "isFdaRegulatedDrug yes"),  # device trials have no phase
        ({"primary_purpose": "DEVICE_FEASIBILITY"}, False, "primaryPurpose"),
        ({"fda_regulated_drug": False}, False, "isFdaRegulatedDevice no"),
        ({"fda_regulated_drug": False, "fda_regulated_device": True}, True, "Device yes"),
        # no flags: the intervention types and sites decide what can be decided
        ({"fda_regulated_drug": None, "fda_regulated_device": None}, None, "types: DRUG"),
        (
            {"fda_regulated_drug": None, "fda_regulated_device": None,
             "intervention_types": ("OTHER", "BEHAVIORAL")},
            False, "intervention types: OTHER, BEHAVIORAL",
        ),
        (
            {"fda_regulated_drug": None, "fda_regulated_device": None,
             "countries": ("India", "Bulgaria")},
            False, "no site in the United States",
        ),
        (
            {"fda_regulated_drug": None, "fda_regulated_device": None,
             "countries": ("India", "Puerto Rico")},
            None, "not known",
        ),
    ],
)  # fmt: skip
def test_coverage_rules(change: dict, covered: bool | None, names: str) -> None:
    result, why = coverage(replace(COVERED, **change))
    assert result is covered
    assert names in why


def test_not_covered_has_no_dates_and_says_why() -> None:
    facts = replace(
        COVERED, fda_regulated_drug=None, fda_regulated_device=None,
        intervention_types=("OTHER",), results_first_submitted="2022-01-01",
    )  # fmt: skip
    result = reporting_status(facts, today=date(2025, 1, 1))
    assert (result.state, result.due_date, result.reported_late) == (NOT_COVERED, None, False)
    assert "intervention types: OTHER" in result.basis[0]


def test_quality_improvement_study_with_only_other_interventions_is_not_badged() -> None:
    """SYNTHETIC variant of the real NCT02552212 (results submitted 2019-04-27, completion
    2018-05): its interventions made type OTHER only, as in a cluster-randomised
    quality-improvement study, with no FDA flags. It has no results deadline: not scored."""
    record = study("NCT02552212")
    for intervention in record["protocolSection"]["armsInterventionsModule"]["interventions"]:
        intervention["type"] = "OTHER"
    result = reporting_status(registry_facts(record), today=date(2026, 1, 1))
    assert (result.state, result.covered, result.reported_late) == (NOT_COVERED, False, False)


def test_real_record_with_certificate_of_delay() -> None:
    """NCT02552212: primary completion 2018-05, certificate filed 2019-03-01, results submitted
    2019-04-27 and first posted 2020-08-17; no FDA flags, a biological, sites in the US."""
    facts = registry_facts(study("NCT02552212"))
    assert (facts.primary_completion, facts.certificate_submitted) == ("2018-05", "2019-03-01")
    assert (facts.results_first_submitted, facts.results_first_posted) == (
        "2019-04-27", "2020-08-17",
    )  # fmt: skip
    result = reporting_status(facts, today=date(2026, 1, 1))
    assert (result.state, result.covered, result.reported_late) == (REPORTED, None, False)
    assert result.due_date == date(2021, 5, 31)  # 2018-05-31 + 3 years


@pytest.mark.parametrize(
    ("nct", "state", "covered"),
    [
        ("NCT00763412", BEFORE_FINAL_RULE, True),  # completion 2013-01, FDA-regulated drug
        ("NCT02210780", BEFORE_FINAL_RULE, None),  # completion 2015-09-15, no flags
        ("NCT00973089", NOT_COVERED, False),  # withdrawn
        ("NCT03630471", NOT_COVERED, False),  # flags say no FDA-regulated product
        ("NCT06171568", NOT_COVERED, False),  # observational
        ("NCT03418623", OVERDUE, True),  # completion 2020-03-13, drug, no results submitted
    ],
)
def test_real_records(nct: str, state: str, covered: bool | None) -> None:
    result = reporting_status(registry_facts(study(nct)), today=date(2026, 1, 1))
    assert (result.state, result.covered) == (state, covered)
    assert result.basis  # every status says what it used


def test_odd_records_do_not_raise() -> None:
    for odd in (None, [], {"protocolSection": []}, {"protocolSection": {"statusModule": 3}}):
        assert reporting_status(registry_facts(odd), today=date(2026, 1, 1)).state == UNKNOWN


def test_registry_facts_reads_every_field_of_a_real_record() -> None:
    """NCT00763412: every field the rules read, exactly as registered."""
    assert registry_facts(study("NCT00763412")) == RegistryFacts(
        study_type="INTERVENTIONAL", phases=("NA",), overall_status="COMPLETED",
        primary_purpose="OTHER", intervention_types=("DRUG", "DRUG"),
        fda_regulated_drug=True, fda_regulated_device=False, countries=("United States",),
        start_date="2006-11", primary_completion="2013-01", primary_completion_type="ACTUAL",
        completion="2013-01", results_first_submitted="2016-07-11",
        results_first_posted="2017-06-05", certificate_submitted=None,
    )  # fmt: skip
    # NCT02552212: no FDA flags, sites in several countries, a certificate of delay
    facts = registry_facts(study("NCT02552212"))
    assert replace(facts, countries=()) == RegistryFacts(
        study_type="INTERVENTIONAL", phases=("PHASE3",), overall_status="COMPLETED",
        primary_purpose="TREATMENT", intervention_types=("BIOLOGICAL", "OTHER"),
        start_date="2015-09", primary_completion="2018-05", primary_completion_type="ACTUAL",
        completion="2020-05", results_first_submitted="2019-04-27",
        results_first_posted="2020-08-17", certificate_submitted="2019-03-01",
    )  # fmt: skip
    assert facts.countries[0] == "United States" and "Taiwan" in facts.countries


def test_registry_facts_device_flag_and_certificate_posted_date() -> None:
    """SYNTHETIC record: only the device flag set; the certificate known by its posted date."""
    record = {
        "protocolSection": {
            "oversightModule": {"isFdaRegulatedDrug": "yes", "isFdaRegulatedDevice": True},
            "statusModule": {
                "dispFirstPostDateStruct": {"date": "2019-03-05"},
                "overallStatus": "",
            },
            "designModule": {"phases": ["PHASE2", 3], "studyType": 3},
        }
    }
    facts = registry_facts(record)
    assert (facts.fda_regulated_drug, facts.fda_regulated_device) == (None, True)
    assert facts.certificate_submitted == "2019-03-05"
    assert facts.phases == ("PHASE2",)
    assert (facts.study_type, facts.overall_status) == (None, None)  # not text, or empty
    text_flag = {"protocolSection": {"oversightModule": {"isFdaRegulatedDevice": "no"}}}
    assert registry_facts(text_flag).fda_regulated_device is None


def test_results_submitted_on_the_due_date_are_on_time() -> None:
    facts = replace(COVERED, results_first_submitted="2021-06-15")
    result = reporting_status(facts, today=date(2025, 1, 1))
    assert result == ReportingStatus(
        REPORTED, date(2021, 6, 15), date(2021, 7, 16), "2021-06-15", None, False,
        result.notes, True,
        ("Results first submitted 2021-06-15 (resultsFirstSubmitDate), on or before the due "
         "date 2021-06-15: primary completion 2020-06-15 (primaryCompletionDateStruct) + 1 "
         "year.",),
    )  # fmt: skip


def test_unreported_status_keeps_the_posted_date_and_is_not_late() -> None:
    result = reporting_status(COVERED, today=date(2021, 6, 15))
    assert (result.state, result.posted_on, result.reported_late) == (NOT_YET_DUE, None, False)
    assert (result.due_date, result.overdue_from, result.covered) == (
        date(2021, 6, 15),
        date(2021, 7, 16),
        True,
    )


def test_caveats_for_a_completion_date_and_an_estimated_primary_completion() -> None:
    why = (
        "The registry says an FDA-regulated drug or device is studied "
        "(isFdaRegulatedDrug yes, isFdaRegulatedDevice no)."
    )
    completion_only = replace(COVERED, primary_completion=None, completion="2020-06-15")
    assert reporting_status(completion_only, today=date(2022, 1, 1)).notes == (
        why,
        "No primary completion date is registered; the study completion date is used, "
        "as the TrialsTracker does.",
    )
    estimated = replace(COVERED, primary_completion_type="ESTIMATED")
    assert reporting_status(estimated, today=date(2022, 1, 1)).notes == (
        why,
        "The primary completion date is an estimate, so the due date may move.",
    )
    assert reporting_status(COVERED, today=date(2022, 1, 1)).notes == (why,)


def test_unknown_and_unscored_statuses_keep_the_registry_dates_and_say_why() -> None:
    undated = replace(
        COVERED, primary_completion=None, results_first_submitted="2021-05-01",
        results_first_posted="2021-09-30",
    )  # fmt: skip
    why = (
        "The registry says an FDA-regulated drug or device is studied "
        "(isFdaRegulatedDrug yes, isFdaRegulatedDevice no)."
    )
    assert reporting_status(undated, today=date(2025, 1, 1)) == ReportingStatus(
        UNKNOWN, None, None, "2021-05-01", "2021-09-30", False, (why,), True,
        ("No primary completion date is registered, so no due date can be computed.",),
    )  # fmt: skip
    early = replace(undated, primary_completion="2016-12")
    assert reporting_status(early, today=date(2025, 1, 1)) == ReportingStatus(
        BEFORE_FINAL_RULE, None, None, "2021-05-01", "2021-09-30", False, (why,), True,
        ("Primary completion 2016-12 (primaryCompletionDateStruct, read as 2016-12-31) is "
         "before 18 January 2017, when the FDAAA Final Rule took effect; like the FDAAA "
         "TrialsTracker, trialwatch does not score it.",),
    )  # fmt: skip
    excluded = replace(undated, primary_completion="2020-06-15", study_type="OBSERVATIONAL")
    assert reporting_status(excluded, today=date(2025, 1, 1)) == ReportingStatus(
        NOT_COVERED, None, None, "2021-05-01", "2021-09-30", False, (), False,
        ("The rule covers interventional trials only (studyType OBSERVATIONAL).",),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"overall_status": "WITHDRAWN"},
         "Withdrawn before enrolling anyone (overallStatus), so no results are due."),
        ({"phases": ("EARLY_PHASE1", "PHASE1")},
         "Phase 1 trials are not covered (phases EARLY_PHASE1, PHASE1)."),
        ({"primary_purpose": "DEVICE_FEASIBILITY"},
         "Device feasibility studies are not covered (primaryPurpose)."),
        ({"fda_regulated_device": None},
         "The registry says an FDA-regulated drug or device is studied "
         "(isFdaRegulatedDrug yes, isFdaRegulatedDevice not given)."),
        ({"fda_regulated_drug": False},
         "The registry says no FDA-regulated drug or device is studied "
         "(isFdaRegulatedDrug no, isFdaRegulatedDevice no)."),
        ({"fda_regulated_drug": None, "fda_regulated_device": None,
          "intervention_types": ("OTHER", "BEHAVIORAL", "OTHER")},
         "No intervention is a drug, biological, device or other product the FDA regulates "
         "(intervention types: OTHER, BEHAVIORAL), and the registry gives no FDA-regulated "
         "flag."),
        ({"fda_regulated_drug": None, "fda_regulated_device": None, "countries": ("India",)},
         "The registry gives no FDA-regulated flag and lists no site in the United States "
         "(locations), so the rule is not taken to apply."),
        ({"fda_regulated_drug": None, "fda_regulated_device": None, "intervention_types": ()},
         "The registry does not say whether an FDA-regulated product is studied (no "
         "isFdaRegulatedDrug or isFdaRegulatedDevice; intervention types: none listed), so "
         "whether the rule applies is not known; the dates below apply if it does."),
    ],
)  # fmt: skip
def test_coverage_reasons_in_full(change: dict, why: str) -> None:
    assert coverage(replace(COVERED, **change))[1] == why
