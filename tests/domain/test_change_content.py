"""What changed, down to the number: real records and documented SYNTHETIC edits of them
(tests/synthetic_edits.py says what each edit changes)."""

from __future__ import annotations

import pytest

from tests import synthetic_edits as edits
from tests.conftest import classic_xml, study
from trialwatch.domain.change_words import change_sentence, grouped
from trialwatch.domain.changes import diff_records
from trialwatch.domain.classic import read_classic_xml


def _facts(changes):
    return [(c.field, c.old, c.new, c.severity) for c in changes]


def test_a_changed_value_in_one_arm_names_the_outcome_the_arm_and_both_values():
    changes = diff_records(study("NCT00763412"), edits.bmi_value_changed())
    assert _facts(changes) == [("outcome_value", "21.19", "19.19", "notable")]
    assert changes[0].context == {
        "outcome_type": "PRIMARY", "outcome": "BMI", "time_frame": "2 year/end of study",
        "group": "2. Repaglinide",
    }  # fmt: skip
    assert change_sentence(changes[0]) == (
        "Primary outcome “BMI” (2 year/end of study), arm “2. Repaglinide”, value: 21.19 → 19.19"
    )


def test_a_secondary_outcome_value_is_minor():
    """SYNTHETIC edit of the real NCT02552212: one value of a secondary outcome measure."""
    after = study("NCT02552212")
    measure = next(
        m
        for m in after["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
        if m["type"] == "SECONDARY" and m.get("classes")
    )
    cell = measure["classes"][0]["categories"][0]["measurements"][0]
    cell["value"] = "999"
    (change,) = diff_records(study("NCT02552212"), after)
    assert (change.field, change.new, change.severity) == ("outcome_value", "999", "minor")
    assert change.context["outcome"] == measure["title"]


def test_a_new_serious_event_is_notable_with_its_counts_per_arm():
    changes = diff_records(study("NCT00763412"), edits.new_serious_event())
    assert _facts(changes) == [
        ("ae_serious_total", "0 / 8", "1 / 8", "notable"),
        ("serious_event_added", None, "Placebo: 0 / 8; Repaglinide: 1 / 8", "notable"),
    ]
    assert changes[0].context == {"group": "Repaglinide"}
    assert change_sentence(changes[1]) == (
        "Serious adverse event “Pancreatitis” (Gastrointestinal disorders) appeared: "
        "Placebo: 0 / 8; Repaglinide: 1 / 8"
    )


def test_a_serious_event_going_away_again_is_minor():
    changes = diff_records(edits.new_serious_event(), study("NCT00763412"))
    assert _facts(changes) == [
        ("ae_serious_total", "1 / 8", "0 / 8", "minor"),
        ("serious_event_removed", "Placebo: 0 / 8; Repaglinide: 1 / 8", None, "minor"),
    ]


@pytest.mark.parametrize("nct", ["NCT02552212", "NCT00763412", "NCT02210780"])
def test_a_reordered_list_is_not_a_change(nct):
    assert diff_records(study(nct), edits.reordered(nct)) == []


def test_a_renamed_arm_is_one_change_per_name_not_every_value_again():
    """The record spells the arm "2. repaglinide" (protocol), "2. Repaglinide" (outcomes, flow)
    and "Repaglinide" (adverse events); the normal form reads a leading "2. " as a list number,
    so those are one name, renamed once: one change per arm, none per value."""
    changes = diff_records(study("NCT00763412"), edits.arm_renamed())
    assert _facts(changes) == [
        ("arm_renamed", "2. repaglinide", "Repaglinide 0.5 mg", "minor"),
        ("arm_renamed", "2. Repaglinide", "Repaglinide 0.5 mg", "minor"),
    ]


@pytest.mark.parametrize(
    "updated, severity, flag",
    [
        ("2015-09-30", "notable", None),  # in the month the study started: not called later
        ("2016-06-01", "notable", "after_start"),
        ("2018-06-01", "critical", "after_primary_completion"),  # completion: 2018-05 (actual)
    ],
)
def test_a_primary_outcome_replaced_before_and_after_primary_completion(updated, severity, flag):
    changes = diff_records(
        study("NCT02552212"), edits.primary_outcome_replaced("NCT02552212", updated)
    )
    replaced = [c for c in changes if c.field == "primary_outcome_replaced"]
    assert len(replaced) == 1
    assert replaced[0].old.startswith("Percentage of Subjects With Ankylosing Spondylitis")
    assert replaced[0].new == "Number of responders at day 1 (time frame: Day 1)"
    assert replaced[0].severity == severity
    assert (replaced[0].context or {}).get("flag") == flag


def test_changes_are_grouped_for_display_by_outcome():
    """SYNTHETIC edit of the real NCT00763412: both arms' BMI values and the CRP unit edited."""
    after = edits.bmi_value_changed()
    measures = after["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    bmi = next(m for m in measures if m["title"] == "BMI")
    bmi["classes"][0]["categories"][0]["measurements"][0]["value"] = "18.00"
    next(m for m in measures if m["title"] == "CRP")["unitOfMeasure"] = "mg/dL"
    groups = grouped(diff_records(study("NCT00763412"), after))
    assert [[c.context["outcome"] for c in g] for g in groups] == [["BMI", "BMI"], ["CRP"]]


def test_analysis_and_flow_changes_are_named():
    """SYNTHETIC edit of the real NCT02552212: an analysis's p-value and a flow count."""
    after = study("NCT02552212")
    measure = next(
        m
        for m in after["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
        if m.get("analyses")
    )
    old_p = measure["analyses"][0]["pValue"]
    measure["analyses"][0]["pValue"] = "0.049"
    milestone = after["resultsSection"]["participantFlowModule"]["periods"][0]["milestones"][0]
    old_n = milestone["achievements"][0]["numSubjects"]
    milestone["achievements"][0]["numSubjects"] = "1"
    changes = {c.field: c for c in diff_records(study("NCT02552212"), after)}
    assert (changes["analysis_p_value"].old, changes["analysis_p_value"].new) == (old_p, "0.049")
    assert " vs " in changes["analysis_p_value"].context["analysis"]
    flow = changes["flow_count"]
    assert (flow.old, flow.new, flow.severity) == (old_n, "1", "minor")
    assert flow.context["milestone"] == milestone["type"]


def test_the_real_archived_changes_of_nct01558063_in_words():
    """2018-05-29 -> 2020-07-28 snapshots (real): the primary outcome replaced after primary
    completion is critical and says so; results posted; enrollment 76 -> 38."""
    old, new = (
        read_classic_xml(classic_xml("NCT01558063", s)).record for s in ("2018-05-29", "2020-07-28")
    )
    changes = {c.field: c for c in diff_records(old, new)}
    replaced = changes["primary_outcome_replaced"]
    assert replaced.severity == "critical"
    assert replaced.context["flag"] == "after_primary_completion"
    assert change_sentence(replaced).endswith(
        "→ Number of Responders 24-hours Post-ketamine Infusion (time frame: Day 1 (post ketamine))"
        " [changed after its primary completion date (2015-05)]"
    )
    assert (changes["enrollment"].old, changes["enrollment"].new) == ("76", "38")
    assert changes["results"].severity == "critical"
    assert change_sentence(changes["overall_status"]) == (
        "Overall status: Running, no longer recruiting → Completed"
    )
