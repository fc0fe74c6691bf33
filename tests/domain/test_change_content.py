"""What changed, down to the number: real records and documented SYNTHETIC edits of them
(tests/synthetic_edits.py says what each edit changes)."""

from __future__ import annotations

import pytest

from tests import synthetic_edits as edits
from tests.conftest import classic_xml, study
from trialwatch.domain.change import LoggedChange
from trialwatch.domain.change_events import diff_adverse_events, diff_participant_flow
from trialwatch.domain.change_outcomes import diff_outcome_measures
from trialwatch.domain.change_words import change_sentence, display_key, grouped
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


@pytest.mark.parametrize(
    ("change", "sentence"),
    [
        (LoggedChange("outcome_detail", "Week 4", "Week 8", "minor",
                      {"outcome": "BMI", "outcome_type": "PRIMARY", "param": "timeFrame"}),
         "Primary outcome “BMI”, time frame: Week 4 → Week 8"),
        (LoggedChange("outcome_detail", "a", "b", "minor",
                      {"outcome": "BMI", "outcome_type": "SECONDARY", "param": "other"}),
         "Secondary outcome “BMI”, detail: a → b"),
        (LoggedChange("protocolSection.armsInterventionsModule", "a", "b", "minor"),
         "Protocol: arms interventions: a → b"),
        (LoggedChange("otherSection.conditionsModule", "a", "b", "minor"),
         "otherSection: conditions: a → b"),
        (LoggedChange("brand_new_field", "a", "b", "minor"), "Brand new field: a → b"),
        (LoggedChange("analysis_p_value", "0.04", "0.06", "notable",
                      {"outcome": "BMI", "outcome_type": "PRIMARY", "analysis": "Drug vs placebo"}),
         "Primary outcome “BMI”, analysis “Drug vs placebo”, p-value: 0.04 → 0.06"),
        # post-hoc and other pre-specified outcomes are named by their kind, kept apart
        (LoggedChange("outcome_value", "1", "2", "minor",
                      {"outcome": "Pain", "outcome_type": "POST_HOC", "group": "Drug"}),
         "Post hoc outcome “Pain”, arm “Drug”, value: 1 → 2"),
        (LoggedChange("outcome_value", "1", "2", "minor",
                      {"outcome": "Pain", "outcome_type": "OTHER_PRE_SPECIFIED", "group": "Drug"}),
         "Other pre-specified outcome “Pain”, arm “Drug”, value: 1 → 2"),
        (LoggedChange("other_outcome_time_frame", "Week 4", "Week 8", "minor",
                      {"outcome": "Pain"}),
         "Other pre-specified outcome “Pain”, time frame: Week 4 → Week 8"),
        # the kind from the field when the context has no outcome type
        (LoggedChange("secondary_outcome_time_frame", "Week 4", "Week 8", "minor",
                      {"outcome": "Pain", "time_frame": "Week 4"}),
         "Secondary outcome “Pain” (Week 4), time frame: Week 4 → Week 8"),
        (LoggedChange("outcome_value", "1", "2", "minor",
                      {"outcome": "Pain", "outcome_type": "ODD_TYPE", "group": "Placebo",
                       "class": "Male", "category": "Adults"}),
         "Outcome “Pain”, arm “Placebo”, row “Male / Adults”, value: 1 → 2"),
        (LoggedChange("serious_event_count", "1 / 10", "2 / 10", "notable",
                      {"event": "Fall", "organ_system": "Injuries", "group": "Drug"}),
         "Serious adverse event “Fall” (Injuries), arm “Drug”, affected / at risk: 1 / 10 → "
         "2 / 10"),
        (LoggedChange("other_event_removed", "3 / 10", None, "minor", {"event": "Headache"}),
         "Other adverse event “Headache” no longer listed: 3 / 10"),
        (LoggedChange("flow_count", "10", "9", "minor",
                      {"period": "Overall Study", "milestone": "NOT COMPLETED", "group": "Drug"}),
         "Participant flow, “Overall Study”, Not completed, arm “Drug”, participants: 10 → 9"),
        (LoggedChange("outcome_value", "1", "2", "minor", {"period": "Overall Study"}),
         "value: 1 → 2"),  # a period names a flow step only for flow changes
        (LoggedChange("eligibility_healthy_volunteers", "true", "false", "minor"),
         "Healthy volunteers accepted: yes → no"),
        (LoggedChange("eligibility_healthy_volunteers", None, "maybe", "minor"),
         "Healthy volunteers accepted: maybe"),
        (LoggedChange("primary_outcome_replaced", "A", "B", "critical",
                      {"flag": "odd_flag", "reference_date": "2020-01"}),
         "Primary outcome replaced: A → B [odd_flag (2020-01)]"),
    ],
)  # fmt: skip
def test_each_kind_of_change_in_words(change: LoggedChange, sentence: str) -> None:
    assert change_sentence(change) == sentence


def test_display_keys_group_one_outcome_or_one_event() -> None:
    def key(field: str, **context: str) -> str | None:
        return display_key(LoggedChange(field, "a", "b", "minor", context))

    assert key("outcome_value", outcome="BMI", outcome_type="PRIMARY") == "outcome:PRIMARY:BMI"
    assert key("outcome_value", outcome="BMI") == "outcome:None:BMI"
    assert key("serious_event_count", event="Fall", organ_system="Injuries") == (
        "event:serious:Fall:Injuries"
    )
    assert key("other_event_added", event="Fall") == "event:other:Fall:"
    assert key("overall_status") is None
    a, b = (
        LoggedChange("overall_status", "a", "b", "critical"),
        LoggedChange("phases", "a", "b", "minor"),
    )
    assert grouped([a, b, a]) == [[a], [b], [a]]  # each change without a key stands alone


def test_codes_in_words_and_long_values_cut_only_when_asked() -> None:
    coded = LoggedChange("design_allocation", "RANDOMIZED", "NON_RANDOMIZED", "minor")
    assert change_sentence(coded) == "Allocation: Randomised → Not randomised"
    long = LoggedChange("brief_title", None, "x" * 400, "minor")
    assert change_sentence(long) == "Brief title: " + "x" * 400
    assert change_sentence(long, short=True) == "Brief title: " + "x" * 299 + "…"


def _adverse(deaths, serious, fall, headache, *, stray_fall=None, stray_headache=None):
    """SYNTHETIC adverse events module: one arm (Drug), a serious and an other event, and
    stats for a group the module does not list (shown as arm "?")."""
    fall_stats = [{"groupId": "EG000", "numAffected": fall, "numAtRisk": 10}]
    if stray_fall is not None:
        fall_stats.append({"groupId": "EG009", "numAffected": stray_fall, "numAtRisk": 10})
    headache_stats = [{"groupId": "EG000", "numAffected": headache, "numAtRisk": 10},
                      {"groupId": "EG009", **({"numAffected": stray_headache}
                                              if stray_headache is not None else {})}]  # fmt: skip
    return {"resultsSection": {"adverseEventsModule": {
        "eventGroups": [{"id": "EG000", "title": "Drug", "deathsNumAffected": deaths,
                         "deathsNumAtRisk": 10, "seriousNumAffected": serious,
                         "seriousNumAtRisk": 10}],
        "seriousEvents": [{"term": "Fall", "organSystem": "Injuries", "stats": fall_stats}],
        "otherEvents": [{"term": "Headache", "stats": headache_stats}],
    }}}  # fmt: skip


def test_more_deaths_or_serious_events_in_an_arm_are_notable_fewer_are_minor():
    fall = {"event": "Fall", "organ_system": "Injuries"}
    rose = diff_adverse_events(
        _adverse(0, 1, 1, 2, stray_fall=3), _adverse(1, 2, 2, 1, stray_headache=1)
    )
    assert _facts_with_context(rose) == [
        ("ae_deaths", "0 / 10", "1 / 10", "notable", {"group": "Drug"}),
        ("ae_serious_total", "1 / 10", "2 / 10", "notable", {"group": "Drug"}),
        ("serious_event_count", "1 / 10", "2 / 10", "notable", {**fall, "group": "Drug"}),
        ("serious_event_count", "3 / 10", None, "minor", {**fall, "group": "?"}),
        ("other_event_count", "2 / 10", "1 / 10", "minor", {"event": "Headache", "group": "Drug"}),
        ("other_event_count", "? / ?", "1 / ?", "minor", {"event": "Headache", "group": "?"}),
    ]
    fell = diff_adverse_events(_adverse(1, 2, 2, 1), _adverse(0, 1, 1, 2))
    assert [(c.field, c.severity) for c in fell] == [
        ("ae_deaths", "minor"), ("ae_serious_total", "minor"), ("serious_event_count", "minor"),
        ("other_event_count", "minor"),
    ]  # fmt: skip


def _flow(started, lost, stray):
    """SYNTHETIC participant flow: one arm (Drug) and a count for an unlisted group ("?")."""
    return {"resultsSection": {"participantFlowModule": {
        "groups": [{"id": "FG000", "title": "Drug"}],
        "periods": [{
            "title": "Overall Study",
            "milestones": [{"type": "STARTED",
                            "achievements": [{"groupId": "FG000", "numSubjects": started}]}],
            "dropWithdraws": [{"type": "Lost to Follow-up", "reasons": [
                {"groupId": "FG000", "numSubjects": lost},
                {"groupId": "FG007", "numSubjects": stray},
            ]}],
        }],
    }}}  # fmt: skip


def test_participant_flow_counts_and_drop_out_reasons_per_arm():
    step = {"period": "Overall Study", "milestone": "Lost to Follow-up"}
    changes = diff_participant_flow(_flow("10", "1", "1"), _flow("12", "3", "2"))
    assert _facts_with_context(changes) == [
        ("flow_count", "10", "12", "minor",
         {"period": "Overall Study", "milestone": "STARTED", "group": "Drug"}),
        ("flow_dropout", "1", "3", "minor", {**step, "group": "Drug"}),
        ("flow_dropout", "1", "2", "minor", {**step, "group": "?"}),
    ]  # fmt: skip


def _facts_with_context(changes):
    return [(c.field, c.old, c.new, c.severity, c.context) for c in changes]


def test_a_term_listed_twice_and_counts_for_unlisted_groups_are_still_compared():
    """SYNTHETIC: "Fall" listed twice (the registry allows it), a flow count and an event group
    without a listed arm or id."""
    old, new = _adverse(0, 1, 1, 2), _adverse(0, 1, 1, 2)
    for module, n in ((old, 1), (new, 2)):
        events = module["resultsSection"]["adverseEventsModule"]
        events["seriousEvents"].append(
            {"term": "Fall", "organSystem": "Injuries",
             "stats": [{"groupId": "EG000", "numAffected": n, "numAtRisk": 10}]}
        )  # fmt: skip
        events["eventGroups"].append({"deathsNumAffected": n, "deathsNumAtRisk": 10})
    assert _facts_with_context(diff_adverse_events(old, new)) == [
        ("ae_deaths", "1 / 10", "2 / 10", "notable", {"group": "?"}),
        ("serious_event_count", "1 / 10", "2 / 10", "notable",
         {"event": "Fall", "organ_system": "Injuries", "group": "Drug"}),
    ]  # fmt: skip
    before, after = _flow("10", "1", "1"), _flow("10", "1", "1")
    for module, n in ((before, "4"), (after, "5")):
        period = module["resultsSection"]["participantFlowModule"]["periods"][0]
        period["milestones"][0]["achievements"].append({"groupId": "FG007", "numSubjects": n})
    assert _facts_with_context(diff_participant_flow(before, after)) == [
        ("flow_count", "4", "5", "minor",
         {"period": "Overall Study", "milestone": "STARTED", "group": "?"}),
    ]  # fmt: skip


def test_an_event_term_is_compared_and_named_with_its_white_space_tidied():
    old, new = _adverse(0, 1, 1, 2), _adverse(0, 1, 1, 3)
    old["resultsSection"]["adverseEventsModule"]["otherEvents"][0]["term"] = "Upper  respiratory\n"
    new["resultsSection"]["adverseEventsModule"]["otherEvents"][0]["term"] = " Upper respiratory"
    assert _facts_with_context(diff_adverse_events(old, new)) == [
        ("other_event_count", "2 / 10", "3 / 10", "minor",
         {"event": "Upper respiratory", "group": "Drug"}),
    ]  # fmt: skip


def _outcome(title, kind="PRIMARY", *, analysed=("10", "11"), analyses=(), frame="Week 4"):
    """A SYNTHETIC posted outcome measure with two arms."""
    return {
        "type": kind, "title": title, **({"timeFrame": frame} if frame else {}),
        "groups": [{"id": "OG000", "title": "Drug"}, {"id": "OG001", "title": "Placebo"}],
        "denoms": [{"units": "Participants", "counts": [
            {"groupId": "OG000", "value": analysed[0]}, {"groupId": "OG001", "value": analysed[1]},
        ]}],
        "analyses": list(analyses),
    }  # fmt: skip


def _posted(*measures):
    return {"resultsSection": {"outcomeMeasuresModule": {"outcomeMeasures": list(measures)}}}


def _analysis(**fields):
    return {"groupIds": ["OG001", "OG000"], "paramType": "Odds Ratio", **fields}


def test_outcome_measures_added_removed_and_participants_analysed():
    old = _posted(_outcome("Response"), _outcome("Pain", "SECONDARY", frame=None))
    new = _posted(
        _outcome("Response", analysed=("10", "9")), _outcome("QoL", "OTHER_PRE_SPECIFIED")
    )
    assert [(c.field, c.old, c.new, c.severity, c.context) for c in
            diff_outcome_measures(old, new)] == [
        ("outcome_analysed", "11", "9", "notable",
         {"outcome_type": "PRIMARY", "outcome": "Response", "time_frame": "Week 4",
          "group": "Placebo", "param": "Participants"}),
        ("outcome_added", None, "QoL", "minor",
         {"outcome_type": "OTHER_PRE_SPECIFIED", "outcome": "QoL", "time_frame": "Week 4"}),
        ("outcome_removed", "Pain", None, "minor",
         {"outcome_type": "SECONDARY", "outcome": "Pain"}),
    ]  # fmt: skip


def test_an_analysis_confidence_interval_estimate_and_p_value_changed_added_or_removed():
    context = {"outcome_type": "PRIMARY", "outcome": "Response", "time_frame": "Week 4",
               "analysis": "Drug vs Placebo"}  # fmt: skip
    before = _analysis(paramValue="1.5", ciLowerLimit="1.1", ciUpperLimit="2.0", ciPctValue="95",
                       pValue="0.01")  # fmt: skip
    after = _analysis(paramValue="1.6", ciLowerLimit="1.1", ciUpperLimit="2.2", pValue="0.02")
    changes = diff_outcome_measures(
        _posted(_outcome("Response", analyses=[before])),
        _posted(_outcome("Response", analyses=[after])),
    )
    assert [(c.field, c.old, c.new, c.severity, c.context) for c in changes] == [
        ("analysis_estimate", "1.5", "1.6", "notable", context),
        ("analysis_p_value", "0.01", "0.02", "notable", context),
        ("analysis_ci", "1.1 to 2.0 (95% CI)", "1.1 to 2.2", "notable", context),
    ]
    one_limit = _analysis(ciLowerLimit="1.1")
    other = {"groupIds": [], "paramType": "Mean Difference", "ciUpperLimit": "3", "pValue": "0.5"}
    changes = diff_outcome_measures(
        _posted(_outcome("Response", analyses=[one_limit])),
        _posted(_outcome("Response", analyses=[other])),
    )
    assert [(c.field, c.old, c.new, c.context["analysis"]) for c in changes] == [
        ("analysis_added", None, "Mean Difference, ? to 3, p 0.5", "(arms not given)"),
        ("analysis_removed", "Odds Ratio, 1.1 to ?", None, "Drug vs Placebo"),
    ]


def test_an_outcome_detail_and_a_value_in_a_row_and_a_primary_outcome_removed():
    def measure(title, frame, value):
        m = _outcome(title, frame=frame)
        m["classes"] = [{"title": "Male", "categories": [
            {"title": "Adults", "measurements": [{"groupId": "OG000", "value": value}]},
        ]}]  # fmt: skip
        return m

    old = _posted(measure("Response", "Week 4", "5"), _outcome("Dropped", frame=None))
    new = _posted(measure(" Response ", "Week 8", "6"))  # the same measure, white space aside
    response = {"outcome_type": "PRIMARY", "outcome": " Response ", "time_frame": "Week 8"}
    assert [(c.field, c.old, c.new, c.severity, c.context) for c in
            diff_outcome_measures(old, new)] == [
        ("outcome_detail", "Week 4", "Week 8", "notable", {**response, "param": "timeFrame"}),
        ("outcome_value", "5", "6", "notable",
         {**response, "group": "Drug", "class": "Male", "category": "Adults"}),
        ("outcome_removed", "Dropped", None, "notable",
         {"outcome_type": "PRIMARY", "outcome": "Dropped"}),
    ]  # fmt: skip
    # the same title as another type is another measure
    secondary = _posted({**_outcome("Dropped", frame=None), "type": "SECONDARY"})
    assert [c.field for c in diff_outcome_measures(_posted(_outcome("Dropped")), secondary)] == [
        "outcome_added", "outcome_removed",
    ]  # fmt: skip


def test_analyses_are_matched_by_their_arms_and_parameter():
    """Two analyses of the same arms told apart by their parameter; an arm id the measure does
    not list is named by its id."""
    ratio, diff = (
        _analysis(paramValue="1.5"),
        _analysis(paramType="Mean Difference", paramValue="2"),
    )
    stray = {"groupIds": ["OG000", "OG009"], "paramType": "Odds Ratio", "paramValue": "1"}
    old = _posted(_outcome("Response", analyses=[ratio, diff]))
    new = _posted(_outcome("Response", analyses=[diff, {**ratio, "paramValue": "1.7"}, stray]))
    assert [(c.field, c.old, c.new, c.severity, c.context["analysis"]) for c in
            diff_outcome_measures(old, new)] == [
        ("analysis_estimate", "1.5", "1.7", "notable", "Drug vs Placebo"),
        ("analysis_added", None, "Odds Ratio, 1", "notable", "Drug vs OG009"),
    ]  # fmt: skip
