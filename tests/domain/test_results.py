"""Parsing of resultsSection on real recorded records (tests/fixtures/ctgov/studies)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from tests.conftest import study
from trialwatch.domain.protocol import has_certificate_of_delay, parse_arms, parse_design
from trialwatch.domain.results import (
    ClassDenoms,
    Denom,
    EventStat,
    GroupValue,
    most_frequent_events,
    parse_adverse_events,
    parse_baseline,
    parse_outcomes,
    parse_participant_flow,
)


def test_outcomes_keep_registered_values_verbatim() -> None:
    outcomes = parse_outcomes(study("NCT00763412"))
    assert [o.type for o in outcomes] == ["PRIMARY"] * 3 + ["SECONDARY"] * 6
    bmi = outcomes[0]
    assert (bmi.title, bmi.param_type, bmi.dispersion_type, bmi.unit) == (
        "BMI", "MEAN", "Full Range", "Kg/m^2",
    )  # fmt: skip
    assert [g.title for g in bmi.groups] == ["1 Placebo", "2. Repaglinide"]
    assert [(c.group_id, c.value) for c in bmi.denoms[0].counts] == [("OG000", "4"), ("OG001", "4")]
    placebo = bmi.measurements[0]
    # "19.63" stays text: no float round-trip that could turn 21.8 into 21.80 or 21.799999.
    assert (placebo.value, placebo.lower_limit, placebo.upper_limit) == ("19.63", "15.56", "22.64")
    assert bmi.measurements[1].upper_limit == "21.8"


def test_na_value_and_its_comment_survive_and_the_arm_is_kept() -> None:
    outcome = parse_outcomes(study("NCT02552212"))[10]
    assert outcome.title == "Certolizumab Pegol Plasma Concentration at Follow-Up (FU) Visit"
    [(_, _, cells)] = outcome.rows()
    assert set(cells) == {"OG000", "OG001"}  # the NA arm is not dropped
    na = cells["OG001"]
    assert (na.value, na.lower_limit, na.upper_limit) == ("NA", "NA", "NA")
    assert na.comment == "Values were below the level of quantification."


def test_analyses_are_parsed_with_their_arms() -> None:
    outcome = parse_outcomes(study("NCT02552212"))[0]
    [analysis] = outcome.analyses
    assert analysis.group_ids == ("OG000", "OG001")
    assert analysis.method == "Regression, Logistic"
    assert (analysis.param_type, analysis.param_value) == ("Odds Ratio (OR)", "15.231")
    assert (analysis.ci_pct, analysis.ci_sides) == ("95", "TWO_SIDED")
    assert (analysis.ci_lower, analysis.ci_upper, analysis.p_value) == ("7.336", "31.623", "<0.001")
    assert analysis.description and analysis.description.startswith("Odds ratio")


def test_participant_flow_per_group_per_period() -> None:
    flow = parse_participant_flow(study("NCT02552212"))
    assert flow is not None
    assert [p.title for p in flow.periods] == [
        "Double-Blind Period (Week 0 - 52)",
        "SFE Period (Week 52 - 156)",
    ]
    started = flow.periods[0].milestones[0]
    assert started.type == "STARTED"
    assert [(c.group_id, c.value) for c in started.counts] == [
        ("FG000", "158"), ("FG001", "159"), ("FG002", "0"),
    ]  # fmt: skip
    assert [g.title for g in flow.groups if g.id == "FG001"] == ["CZP 200 mg Q2W"]
    reasons = flow.periods[0].drop_withdraws
    assert reasons[0].type == "Adverse Event"
    assert [c.value for c in reasons[0].counts] == ["6", "3", "0"]


def test_adverse_events_per_arm_never_pooled() -> None:
    events = parse_adverse_events(study("NCT02210780"))
    assert events is not None
    assert [(g.title, g.serious_affected, g.serious_at_risk) for g in events.groups] == [
        ("Placebo qw", 0, 97), ("Dupilumab 300 mg qw", 3, 97),
    ]  # fmt: skip
    assert [e.term for e in events.serious] == [
        "Serum sickness-like reaction", "Mycosis fungoides stage iv", "Squamous cell carcinoma",
    ]  # fmt: skip
    assert all(e.serious for e in events.serious) and not any(e.serious for e in events.other)
    top = most_frequent_events(events, limit=3)
    assert set(top) == {"EG000", "EG001"}
    for group_id, pairs in top.items():
        assert all(stat.group_id == group_id for _, stat in pairs)  # each arm's own numbers
        affected = [stat.num_affected or 0 for _, stat in pairs]
        assert affected == sorted(affected, reverse=True) and all(a > 0 for a in affected)
    first_event, first_stat = top["EG000"][0]
    assert (first_event.term, first_stat.num_affected, first_stat.num_at_risk) == (
        "Upper respiratory tract infection", 14, 97,
    )  # fmt: skip


def test_adverse_event_groups_without_events() -> None:
    events = parse_adverse_events(study("NCT00763412"))
    assert events is not None and events.serious == () and events.other == ()
    assert [g.deaths_at_risk for g in events.groups] == [8, 8]
    assert most_frequent_events(events) == {"EG000": [], "EG001": []}


def test_records_without_results() -> None:
    record = study("NCT04267848")
    assert parse_outcomes(record) == []
    assert parse_participant_flow(record) is None
    assert parse_adverse_events(record) is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda r: r.__setitem__("resultsSection", "not an object"),
        lambda r: r["resultsSection"].__setitem__("outcomeMeasuresModule", []),
        lambda r: r["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0].update(
            classes=[{"categories": [{"measurements": [{"groupId": 7}, None, {"value": 1}]}]}],
            groups="x",
            analyses=[{"groupIds": "OG000", "pValue": 0.03}],
        ),
        lambda r: r["resultsSection"]["adverseEventsModule"].update(
            eventGroups=[{"id": None}, 3], seriousEvents=[{"stats": [{"groupId": "EG0"}]}]
        ),
        lambda r: r["resultsSection"]["participantFlowModule"].update(periods={"a": 1}),
    ],
)
def test_odd_shapes_never_raise(mangle: Any) -> None:
    """Synthetic variants of a real record with wrongly shaped pieces."""
    record = copy.deepcopy(study("NCT02552212"))
    mangle(record)
    json.dumps([o.as_dict() for o in parse_outcomes(record)])
    for parse in (parse_participant_flow, parse_adverse_events):
        result = parse(record)
        json.dumps(result.as_dict() if result is not None else None)
    assert parse_outcomes(None) == [] and parse_adverse_events("x") is None


def test_as_dict_is_json() -> None:
    outcome = parse_outcomes(study("NCT02552212"))[0]
    data = json.loads(json.dumps(outcome.as_dict()))
    assert data["analyses"][0]["p_value"] == "<0.001"
    assert data["measurements"][0] == {
        "group_id": "OG000", "class_title": None, "category_title": None, "value": "7.0",
        "spread": None, "lower_limit": None, "upper_limit": None, "comment": None,
    }  # fmt: skip


def test_design_arms_and_certificate_of_delay() -> None:
    record = study("NCT02552212")
    design = parse_design(record)
    assert (design.allocation, design.intervention_model, design.masking) == (
        "RANDOMIZED", "PARALLEL", "QUADRUPLE",
    )  # fmt: skip
    assert [a.label for a in parse_arms(record)] == ["Certolizumab Pegol 200 mg Q2W", "Placebo"]
    assert has_certificate_of_delay(record)  # dispFirstSubmitDate 2019-03-01
    assert not has_certificate_of_delay(study("NCT00763412"))


# SYNTHETIC: every free-text and optional field the parsers read, each with its own value,
# so a field read from the wrong key (or not read) shows.
_FULL_RESULTS = {
    "participantFlowModule": {
        "recruitmentDetails": "recruited in clinics",
        "preAssignmentDetails": "run-in of 2 weeks",
        "groups": [{"id": "FG000", "title": "Drug", "description": "drug arm"}],
        "periods": [
            {
                "title": "Overall Study",
                "milestones": [
                    {
                        "type": "STARTED",
                        "comment": "milestone note",
                        "achievements": [
                            {"groupId": "FG000", "numSubjects": "10", "numUnits": "4"}
                        ],
                    }
                ],
                "dropWithdraws": [
                    {
                        "type": "Lost to Follow-up",
                        "comment": "reason note",
                        "reasons": [{"groupId": "FG000", "numSubjects": "2", "comment": "two"}],
                    }
                ],
            }
        ],
    },
    "baselineCharacteristicsModule": {
        "populationDescription": "all randomised",
        "typeUnitsAnalyzed": "Eyes",
        "measures": [
            {
                "title": "Age",
                "description": "age at entry",
                "populationDescription": "adults",
                "paramType": "MEAN",
                "dispersionType": "STANDARD_DEVIATION",
                "unitOfMeasure": "years",
                "denoms": [
                    {"units": "Participants", "counts": [{"groupId": "BG000", "value": "9"}]}
                ],
                "classes": [
                    {
                        "title": "Visit 1",
                        "denoms": [
                            {"units": "Eyes", "counts": [{"groupId": "BG000", "value": 17}]}
                        ],
                        "categories": [{"measurements": [{"groupId": "BG000", "value": 41.5}]}],
                    }
                ],
            }
        ],
    },
    "outcomeMeasuresModule": {
        "outcomeMeasures": [
            {
                "type": "PRIMARY",
                "title": "Response",
                "populationDescription": "per protocol",
                "reportingStatus": "NOT_POSTED",
                "anticipatedPostingDate": "2027-03",
                "analyses": [
                    {
                        "groupIds": ["OG000", 1],
                        "ciLowerLimitComment": "lower note",
                        "ciUpperLimitComment": "upper note",
                        "testedNonInferiority": True,
                        "nonInferiorityComment": "margin 10%",
                        "otherAnalysisDescription": "post hoc",
                    }
                ],
            }
        ],
    },
    "adverseEventsModule": {
        "timeFrame": "12 weeks",
        "description": "as reported",
        "allCauseMortalityComment": "no deaths",
        "eventGroups": [{"id": "EG000", "title": "Drug", "description": "drug arm"}],
        "seriousEvents": [
            {"term": "Fall", "notes": "one fall", "stats": [{"groupId": "EG000", "numAffected": 1}]}
        ],
        "otherEvents": [{"term": "Headache", "stats": [{"groupId": "EG000", "numAffected": "3"}]}],
    },
}


def test_every_registered_text_field_lands_in_its_own_field() -> None:
    record = {"resultsSection": copy.deepcopy(_FULL_RESULTS)}
    flow = parse_participant_flow(record)
    assert flow is not None
    assert (flow.recruitment_details, flow.pre_assignment_details) == (
        "recruited in clinics", "run-in of 2 weeks",
    )  # fmt: skip
    assert flow.groups[0].description == "drug arm"
    (period,) = flow.periods
    started = period.milestone("STARTED")
    assert started is not None and started.comment == "milestone note"
    assert started.count_for("FG000") == GroupValue("FG000", "10", None, "4")
    assert started.count_for("FG001") is None
    assert period.milestone("COMPLETED") is None
    (dropped,) = period.drop_withdraws
    assert (dropped.type, dropped.comment) == ("Lost to Follow-up", "reason note")
    assert dropped.counts == (GroupValue("FG000", "2", "two"),)

    baseline = parse_baseline(record)
    assert baseline is not None
    assert (baseline.population, baseline.type_units_analyzed) == ("all randomised", "Eyes")
    (age,) = baseline.measures
    assert (age.description, age.population, age.dispersion_type) == (
        "age at entry", "adults", "STANDARD_DEVIATION",
    )  # fmt: skip
    assert age.denoms == (Denom("Participants", (GroupValue("BG000", "9"),)),)
    assert age.class_denoms == (
        ClassDenoms("Visit 1", (Denom("Eyes", (GroupValue("BG000", "17"),)),)),
    )
    assert [(m.class_title, m.value) for m in age.measurements] == [("Visit 1", "41.5")]
    assert age.denoms[0].count_for("BG001") is None

    (outcome,) = parse_outcomes(record)
    assert (outcome.population, outcome.reporting_status, outcome.anticipated_posting_date) == (
        "per protocol", "NOT_POSTED", "2027-03",
    )  # fmt: skip
    (analysis,) = outcome.analyses
    assert analysis.group_ids == ("OG000",)
    assert (
        analysis.ci_lower_comment, analysis.ci_upper_comment, analysis.tested_non_inferiority,
        analysis.non_inferiority_comment, analysis.other_description,
    ) == ("lower note", "upper note", True, "margin 10%", "post hoc")  # fmt: skip

    events = parse_adverse_events(record)
    assert events is not None
    assert (events.time_frame, events.description, events.all_cause_mortality_comment) == (
        "12 weeks", "as reported", "no deaths",
    )  # fmt: skip
    assert events.groups[0].description == "drug arm"
    (fall,) = events.serious
    (headache,) = events.other
    assert (fall.serious, fall.notes, headache.serious, headache.notes) == (
        True, "one fall", False, None,
    )  # fmt: skip
    assert headache.stat_for("EG000") == EventStat("EG000", None, 3, None)
    assert headache.stat_for("EG001") is None


def test_odd_values_in_the_optional_fields_are_dropped() -> None:
    results = copy.deepcopy(_FULL_RESULTS)
    analysis = results["outcomeMeasuresModule"]["outcomeMeasures"][0]["analyses"][0]
    analysis["testedNonInferiority"] = "yes"  # not a JSON boolean
    results["adverseEventsModule"]["otherEvents"][0]["stats"][0]["numAffected"] = "3.0"
    results["adverseEventsModule"]["seriousEvents"][0]["stats"][0]["numAffected"] = True
    record = {"resultsSection": results}
    assert parse_outcomes(record)[0].analyses[0].tested_non_inferiority is None
    events = parse_adverse_events(record)
    assert events is not None
    assert events.other[0].stats[0].num_affected is None
    assert events.serious[0].stats[0].num_affected is None


def test_most_frequent_events_per_arm_leave_out_nobody_affected_and_keep_five() -> None:
    """SYNTHETIC: seven events in arm EG000, some never given for arm EG001."""
    affected = {"A": 1, "B": 0, "C": None, "D": 3, "E": 2, "F": 2, "G": 2, "H": 1}
    events = []
    for term, n in affected.items():
        stats: list[dict[str, Any]] = [{"groupId": "EG000"}]
        if n is not None:
            stats[0]["numAffected"] = n
        if term == "H":
            stats.append({"groupId": "EG001", "numAffected": 4})
        events.append({"term": term, "stats": stats})
    record = {"resultsSection": {"adverseEventsModule": {
        "eventGroups": [{"id": "EG000"}, {"id": "EG001"}], "otherEvents": events,
    }}}  # fmt: skip
    parsed = parse_adverse_events(record)
    assert parsed is not None
    top = most_frequent_events(parsed)
    assert [(e.term, s.num_affected) for e, s in top["EG000"]] == [
        ("D", 3), ("E", 2), ("F", 2), ("G", 2), ("A", 1),
    ]  # fmt: skip
    assert [(e.term, s.num_affected) for e, s in top["EG001"]] == [("H", 4)]
    # B (0 affected) and C (not given) are never listed, however long the list
    assert [e.term for e, _ in most_frequent_events(parsed, limit=10)["EG000"]] == [
        "D", "E", "F", "G", "A", "H",
    ]  # fmt: skip
