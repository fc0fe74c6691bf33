"""Results of the archived classic records, read by the v2 results parsers unchanged.

Every number is checked against the XML text: a plain ElementTree walk in the test (not the
reader) lists what the file says, and spot values are written out as the files state them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.conftest import CLASSIC_FILES, classic_xml
from trialwatch.domain.classic import read_classic_xml
from trialwatch.domain.results import (
    most_frequent_events,
    parse_adverse_events,
    parse_baseline,
    parse_more_info,
    parse_outcomes,
    parse_participant_flow,
)

WITH_RESULTS = [p for p in CLASSIC_FILES if b"<clinical_results>" in p.read_bytes()]
PREFIX = {"P": "FG", "B": "BG", "O": "OG", "E": "EG"}


def _v2_id(classic: str) -> str:
    return f"{PREFIX[classic[0]]}{int(classic[1:]) - 1:03d}"


def test_twelve_records_have_results() -> None:
    assert len(WITH_RESULTS) == 12


@pytest.mark.parametrize("path", WITH_RESULTS, ids=lambda p: p.stem)
def test_outcome_measurements_match_the_file(path) -> None:
    root = ET.fromstring(path.read_bytes())
    outcomes = parse_outcomes(read_classic_xml(path.read_bytes()).record)
    written = root.findall("clinical_results/outcome_list/outcome")
    assert [o.title for o in outcomes] == [w.findtext("title") for w in written]
    for outcome, xml in zip(outcomes, written, strict=True):
        assert outcome.type == xml.findtext("type").upper().replace(" ", "_").replace("-", "_")
        assert [g.id for g in outcome.groups] == [
            _v2_id(g.get("group_id")) for g in xml.findall("group_list/group")
        ]
        cells = [
            (_v2_id(m.get("group_id")), m.get("value"), m.get("spread"), m.get("lower_limit"),
             m.get("upper_limit"))
            for m in xml.iter("measurement")
        ]  # fmt: skip
        assert [
            (m.group_id, m.value, m.spread, m.lower_limit, m.upper_limit)
            for m in outcome.measurements
        ] == cells
        analyses = xml.findall("analysis_list/analysis")
        assert [(a.p_value, a.method, a.param_value) for a in outcome.analyses] == [
            (a.findtext("p_value"), a.findtext("method"), a.findtext("param_value"))
            for a in analyses
        ]


@pytest.mark.parametrize("path", WITH_RESULTS, ids=lambda p: p.stem)
def test_adverse_events_stay_per_group_as_the_file_counts_them(path) -> None:
    root = ET.fromstring(path.read_bytes())
    events = parse_adverse_events(read_classic_xml(path.read_bytes()).record)
    assert events is not None
    xml_groups = root.findall("clinical_results/reported_events/group_list/group")
    assert [g.id for g in events.groups] == [_v2_id(g.get("group_id")) for g in xml_groups]
    for kind, parsed in (("serious", events.serious), ("other", events.other)):
        rows = []
        for category in root.findall(f"clinical_results/reported_events/{kind}_events//category"):
            for event in category.findall("event_list/event"):
                stats = [
                    (_v2_id(c.get("group_id")), int(c.get("subjects_affected")),
                     int(c.get("subjects_at_risk")))
                    for c in event.findall("counts")
                ]  # fmt: skip
                if category.findtext("title") == "Total":
                    for group_id, affected, at_risk in stats:
                        group = next(g for g in events.groups if g.id == group_id)
                        totals = {
                            "Total, all-cause mortality": (group.deaths_affected,
                                                           group.deaths_at_risk),
                            "Total, serious adverse events": (group.serious_affected,
                                                              group.serious_at_risk),
                            "Total, other adverse events": (group.other_affected,
                                                            group.other_at_risk),
                        }  # fmt: skip
                        assert totals[event.findtext("sub_title")] == (affected, at_risk)
                    continue
                rows.append((category.findtext("title"), event.findtext("sub_title"), stats))
        assert [
            (e.organ_system, e.term, [(s.group_id, s.num_affected, s.num_at_risk) for s in e.stats])
            for e in parsed
        ] == rows


def test_nct01558063_results_as_the_2020_file_states_them() -> None:
    record = read_classic_xml(classic_xml("NCT01558063", "2020-07-28")).record
    flow = parse_participant_flow(record)
    assert flow is not None
    assert [g.id for g in flow.groups] == [f"FG00{i}" for i in range(6)]
    started = flow.periods[0].milestones[0]
    assert started.type == "STARTED"
    assert [(c.group_id, c.value) for c in started.counts] == [
        ("FG000", "5"), ("FG001", "6"), ("FG002", "8"), ("FG003", "5"), ("FG004", "9"),
        ("FG005", "5"),
    ]  # fmt: skip
    baseline = record["resultsSection"]["baselineCharacteristicsModule"]
    assert baseline["groups"][6] == {
        "id": "BG006", "title": "Total", "description": "Total of all reporting groups",
    }  # fmt: skip
    assert baseline["denoms"][0]["counts"][6] == {"groupId": "BG006", "value": "38"}
    age = baseline["measures"][0]
    assert (age["title"], age["paramType"], age["dispersionType"]) == (
        "Age", "MEAN", "STANDARD_DEVIATION",
    )  # fmt: skip
    assert age["classes"][0]["categories"][0]["measurements"][0] == {
        "groupId": "BG000", "value": "37.4", "spread": "12.3",
    }  # fmt: skip

    primary = parse_outcomes(record)[0]
    assert (primary.type, primary.title, primary.param_type, primary.unit) == (
        "PRIMARY", "Number of Responders 24-hours Post-ketamine Infusion", "NUMBER",
        "participants",
    )  # fmt: skip
    assert '"responder" was defined' in (primary.description or "")
    assert [(m.group_id, m.value) for m in primary.measurements] == [
        ("OG000", "3"), ("OG001", "1"), ("OG002", "3"), ("OG003", "2"), ("OG004", "2"),
        ("OG005", "0"),
    ]  # fmt: skip
    assert [(c.group_id, c.value) for c in primary.denoms[0].counts][4] == ("OG004", "9")
    glutamate = parse_outcomes(record)[1]
    assert glutamate.measurements == () and glutamate.denoms[0].counts[0].value == "0"

    events = parse_adverse_events(record)
    assert events is not None and events.frequency_threshold == "5"
    (group,) = events.groups
    assert (group.id, group.title) == ("EG000", "All Subjects")
    assert (group.deaths_affected, group.deaths_at_risk) == (0, 38)
    assert (group.serious_affected, group.serious_at_risk) == (4, 38)
    assert (group.other_affected, group.other_at_risk) == (0, 38)
    assert [(e.term, e.organ_system, e.assessment_type) for e in events.serious] == [
        ("Unrelated Medical Illness", "General disorders", "NON_SYSTEMATIC_ASSESSMENT"),
        ("Antidepressant Misuse", "Product Issues", "NON_SYSTEMATIC_ASSESSMENT"),
        ("Active Suicidal Ideation", "Psychiatric disorders", "NON_SYSTEMATIC_ASSESSMENT"),
    ]
    assert events.serious[0].stats[0].num_events == 2 and events.other == ()
    more = record["resultsSection"]["moreInfoModule"]
    assert more["certainAgreement"] == {"piSponsorEmployee": True, "restrictiveAgreement": False}
    assert more["pointOfContact"]["title"] == "J. John Mann, MD"
    info = parse_more_info(record)
    assert info is not None
    assert (info.pi_sponsor_employee, info.restrictive_agreement) == (True, False)


def test_baseline_through_the_v2_parser() -> None:
    record = read_classic_xml(classic_xml("NCT01558063", "2020-07-28")).record
    baseline = parse_baseline(record)
    assert baseline is not None
    assert [g.title for g in baseline.groups][-1] == "Total"
    assert [(c.group_id, c.value) for c in baseline.denoms[0].counts][-1] == ("BG006", "38")
    sex = baseline.measures[1]
    assert (sex.title, sex.param_type, sex.unit) == (
        "Sex: Female, Male", "COUNT_OF_PARTICIPANTS", "Participants",
    )  # fmt: skip
    female = [(m.group_id, m.value) for m in sex.measurements if m.category_title == "Female"]
    assert female == [
        ("BG000", "4"), ("BG001", "5"), ("BG002", "4"), ("BG003", "5"), ("BG004", "5"),
        ("BG005", "2"), ("BG006", "25"),
    ]  # fmt: skip


def test_an_analysis_with_its_p_value_and_interval() -> None:
    record = read_classic_xml(classic_xml("NCT01304147", "2018-05-29")).record
    madrs = parse_outcomes(record)[0]
    assert madrs.title == "Montgomery-Asberg Depression Rating Scale (MADRS)"
    assert [(m.group_id, m.value) for m in madrs.measurements][:2] == [("OG000", "8"),
                                                                       ("OG001", "1")]  # fmt: skip
    (analysis,) = madrs.analyses
    assert analysis.group_ids == ("OG000", "OG001")
    assert analysis.p_value == "<0.001"  # `&lt;0.001` in the file, kept as text
    assert (analysis.method, analysis.param_type, analysis.param_value) == (
        "Paired t-test, 2 sided", "Mean Difference (Final Values)", "7.6",
    )  # fmt: skip
    assert (analysis.ci_pct, analysis.ci_sides, analysis.ci_lower, analysis.ci_upper) == (
        "95", "TWO_SIDED", "3.9", "11.3",
    )  # fmt: skip
    assert analysis.non_inferiority_type == "SUPERIORITY_OR_OTHER"
    assert analysis.description == "within-subject crossover design"


def test_two_arms_are_never_pooled() -> None:
    """NCT00749203 (2020): ketamine 38 and midazolam 31 at risk, each with its own counts."""
    events = parse_adverse_events(read_classic_xml(classic_xml("NCT00749203", "2020-07-28")).record)
    assert events is not None
    ketamine, midazolam = events.groups
    assert (ketamine.title, ketamine.serious_affected, ketamine.serious_at_risk) == (
        "Ketamine", 33, 38,
    )  # fmt: skip
    assert (midazolam.title, midazolam.serious_affected, midazolam.serious_at_risk) == (
        "Midazolam", 31, 31,
    )  # fmt: skip
    blurred = next(e for e in events.serious if e.term == "Blurred vision")
    assert [(s.group_id, s.num_affected, s.num_at_risk) for s in blurred.stats] == [
        ("EG000", 15, 38), ("EG001", 6, 31),
    ]  # fmt: skip
    assert blurred.source_vocabulary == "PRISE" and blurred.assessment_type == (
        "SYSTEMATIC_ASSESSMENT"
    )
    top = most_frequent_events(events)
    assert set(top) == {"EG000", "EG001"}
    assert {s.num_at_risk for _, s in top["EG000"]} == {38}


def test_participant_flow_comment_is_kept() -> None:
    text = classic_xml("NCT00749203", "2020-07-28")
    flow = parse_participant_flow(read_classic_xml(text).record)
    assert flow is not None
    comments = [c.comment for p in flow.periods for m in p.milestones for c in m.counts]
    assert "N=6 completed the study at 2 wks due to CAPS scores < 50, precluding 2nd infusion." in (
        comments
    )
