"""Related trials' rows and chart points read against the raw real records they come from."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import study
from trialwatch.domain import protocol
from trialwatch.domain.related import design_words, forest_rows, related_trial


def _primary(record: dict) -> list[dict]:
    measures = record["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    return [m for m in measures if m.get("type") == "PRIMARY"]


def _titles(measure: dict) -> dict[str, str]:
    return {g["id"]: g["title"] for g in measure.get("groups", [])}


def test_every_primary_analysis_is_copied_as_registered() -> None:
    record = study("NCT02552212")
    trial = related_trial(record)
    raw = _primary(record)
    assert trial.nct_id == "NCT02552212" and len(trial.outcomes) == len(raw) == 11
    for shown, measure in zip(trial.outcomes, raw, strict=True):
        assert shown.title == measure["title"] and shown.time_frame == measure.get("timeFrame")
        titles = _titles(measure)
        counts = measure["denoms"][0]["counts"]
        assert shown.analysed == tuple((titles[c["groupId"]], c["value"]) for c in counts)
        analyses = measure.get("analyses", [])
        assert len(shown.findings) == len(analyses)
        for finding, analysis in zip(shown.findings, analyses, strict=True):
            assert finding.comparison == " vs ".join(titles[g] for g in analysis["groupIds"])
            assert analysis["paramValue"] in (finding.estimate or "")
            if "pValue" in analysis:
                assert finding.p_value == f"p {analysis['pValue']}"


def test_forest_rows_carry_the_registered_numbers_and_the_no_effect_value() -> None:
    record = study("NCT02552212")
    rows = forest_rows(related_trial(record), record)
    drawable = [
        (m, a)
        for m in _primary(record)
        for a in m.get("analyses", [])
        if {"paramValue", "ciLowerLimit", "ciUpperLimit", "paramType"} <= set(a)
    ]
    assert rows and len(rows) == len(drawable)
    for row, (measure, analysis) in zip(rows, drawable, strict=True):
        assert row.outcome == measure["title"]
        assert row.estimate == Decimal(analysis["paramValue"])
        assert (row.lower, row.upper) == (
            Decimal(analysis["ciLowerLimit"]),
            Decimal(analysis["ciUpperLimit"]),
        )
        assert row.param_type == analysis["paramType"]
        assert row.no_effect == (Decimal(0) if row.scale == "difference" else Decimal(1))


def test_without_an_analysis_the_per_arm_values_are_shown_verbatim() -> None:
    record = study("NCT00763412")
    trial = related_trial(record)
    assert forest_rows(trial, record) == []  # nothing registered to draw
    for shown, measure in zip(trial.outcomes, _primary(record), strict=True):
        assert shown.findings == ()
        titles = _titles(measure)
        expected = [
            (titles[m["groupId"]], m.get("value"))
            for c in measure.get("classes", [])
            for cat in c.get("categories", [])
            for m in cat.get("measurements", [])
        ]
        assert [(v.arm, v.value) for v in shown.arm_values] == expected


def test_design_in_words_names_allocation_masking_and_the_comparator() -> None:
    record = study("NCT02552212")
    words = design_words(protocol.parse_design(record), protocol.parse_arms(record))
    design = record["protocolSection"]["designModule"]["designInfo"]
    assert words.startswith("Randomi") == (design.get("allocation") == "RANDOMIZED")
    assert "masking: " in words
    arm_types = {
        a.get("type") for a in record["protocolSection"]["armsInterventionsModule"]["armGroups"]
    }
    assert ("comparator" in words) == any((t or "").endswith("COMPARATOR") for t in arm_types)
