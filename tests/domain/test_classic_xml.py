"""The classic XML reader on every shared archived record: the v2 parsers read what it gives.

Expected values are read from the XML text itself with regular expressions and strptime (not with
the reader), and the cited studies' values are also written out as the files state them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from tests.conftest import CLASSIC_FILES, classic_xml
from trialwatch.domain.classic import ClassicXmlError, read_classic_xml
from trialwatch.domain.protocol import parse_arms, parse_design, parse_interventions
from trialwatch.domain.records import parse_study
from trialwatch.domain.results import parse_adverse_events

STATUS_WORDS = {"Active, not recruiting": "ACTIVE_NOT_RECRUITING", "Unknown status": "UNKNOWN"}


def _raw(text: str, tag: str) -> tuple[str | None, str | None]:
    """(type attribute, text) of the first top-level `<tag>` in the XML text."""
    m = re.search(rf'\n  <{tag}(?: type="(\w+)")?>([^<]*)</{tag}>', text)
    return (m.group(1), m.group(2)) if m else (None, None)


def _iso(written: str | None) -> str | None:
    if written is None:
        return None
    for fmt, out in (("%B %d, %Y", "%Y-%m-%d"), ("%B %Y", "%Y-%m")):
        try:
            return datetime.strptime(written, fmt).strftime(out)
        except ValueError:
            continue
    raise AssertionError(f"unexpected date {written!r}")


@pytest.mark.parametrize("path", CLASSIC_FILES, ids=lambda p: p.stem)
def test_every_shared_record_reads_as_v2(path) -> None:
    text = path.read_text(encoding="utf-8")
    got = read_classic_xml(path.read_bytes())
    summary = parse_study(got.record)
    nct, snapshot = path.stem.split("__")
    assert (got.nct_id, summary.nct_id, got.snapshot_date) == (nct, nct, snapshot)
    assert summary.version_holder == snapshot
    assert summary.problems == ()  # the v2 parser finds nothing odd in the mapped record

    status = _raw(text, "overall_status")[1]
    assert summary.overall_status == STATUS_WORDS.get(status, status.upper().replace(" ", "_"))
    kind, count = _raw(text, "enrollment")
    assert summary.enrollment == int(count)
    assert summary.enrollment_type == {"Actual": "ACTUAL", "Anticipated": "ESTIMATED"}[kind]
    for tag, name in (
        ("start_date", "start_date"),
        ("primary_completion_date", "primary_completion_date"),
        ("completion_date", "completion_date"),
    ):
        kind, written = _raw(text, tag)
        assert getattr(summary, name) == _iso(written)
        expected_type = {"Actual": "ACTUAL", "Anticipated": "ESTIMATED", None: None}[kind]
        assert getattr(summary, f"{name}_type") == expected_type
    assert summary.results_first_posted == _iso(_raw(text, "results_first_posted")[1])
    assert summary.has_results == ("<clinical_results>" in text)
    assert list(summary.conditions) == re.findall(r"\n  <condition>([^<]*)</condition>", text)
    assert summary.brief_title == _raw(text, "brief_title")[1].replace("&amp;", "&")


@pytest.mark.parametrize("path", CLASSIC_FILES, ids=lambda p: p.stem)
def test_no_element_is_dropped_silently(path) -> None:
    """Every element the mapping leaves out is named; the known ones have no v2 counterpart."""
    got = read_classic_xml(path.read_bytes())
    unread = {p.split(":")[0] for p in got.problems if "no v2 counterpart" in p}
    allowed = {
        "clinical_study/required_header/link_text",  # boilerplate of the bulk download
        "clinical_study/required_header/url",
        "clinical_study/location_countries",  # v2 derives countries from the locations
        "clinical_study/last_update_submitted_qc",
        "clinical_study/number_of_arms",  # v2 counts the arm groups
        "clinical_study/pending_results",  # v2 keeps submission tracking elsewhere
    }
    assert unread <= allowed
    text = path.read_text(encoding="utf-8")
    for element in unread:
        assert f"<{element.rsplit('/', 1)[-1]}>" in text


def test_the_cited_studies_as_the_files_state_them() -> None:
    old = parse_study(read_classic_xml(classic_xml("NCT01558063", "2018-05-29")).record)
    new = parse_study(read_classic_xml(classic_xml("NCT01558063", "2020-07-28")).record)
    assert (old.overall_status, old.enrollment, old.enrollment_type) == (
        "ACTIVE_NOT_RECRUITING", 76, "ESTIMATED",
    )  # fmt: skip
    assert (old.primary_completion_date, old.primary_completion_date_type) == (
        "2017-03", "ESTIMATED",
    )  # fmt: skip
    assert (new.overall_status, new.enrollment, new.enrollment_type) == ("COMPLETED", 38, "ACTUAL")
    assert (new.primary_completion_date, new.primary_completion_date_type) == ("2015-05", "ACTUAL")
    assert old.start_date == "2012-02" and new.results_first_posted == "2019-07-16"
    assert old.lead_sponsor == "Columbia University"
    assert old.collaborators == ("National Institute of Mental Health (NIMH)",)

    nimh = parse_study(read_classic_xml(classic_xml("NCT00088699", "2018-05-29")).record)
    assert nimh.start_date == "2004-07-26" and nimh.phases == ("PHASE1", "PHASE2")
    assert nimh.study_type == "INTERVENTIONAL" and nimh.enrollment == 233


def test_design_arms_and_interventions_use_v2_codes() -> None:
    record = read_classic_xml(classic_xml("NCT01558063", "2018-05-29")).record
    design = parse_design(record)
    assert (design.allocation, design.intervention_model, design.primary_purpose) == (
        "RANDOMIZED", "PARALLEL", "TREATMENT",
    )  # fmt: skip
    assert design.masking == "TRIPLE"
    assert design.who_masked == ("PARTICIPANT", "INVESTIGATOR", "OUTCOMES_ASSESSOR")
    arms = parse_arms(record)
    assert [a.label for a in arms][:2] == ["Ketamine Dose 1", "Ketamine Dose 2"]
    assert arms[0].type == "ACTIVE_COMPARATOR" and arms[0].interventions == ("Drug: Ketamine",)
    assert arms[5].type == "PLACEBO_COMPARATOR" and arms[5].interventions == ("Drug: Saline",)
    ketamine = parse_interventions(record)[0]
    assert (ketamine.type, ketamine.name) == ("DRUG", "Ketamine")
    assert ketamine.other_names == ("Ketalar",)
    eligibility = record["protocolSection"]["eligibilityModule"]
    assert eligibility["sex"] == "ALL" and eligibility["healthyVolunteers"] is True
    assert eligibility["minimumAge"] == "18 Years" and eligibility["maximumAge"] == "65 Years"


def test_text_blocks_are_unwrapped_and_lists_keep_their_lines() -> None:
    record = read_classic_xml(classic_xml("NCT01558063", "2018-05-29")).record
    summary = record["protocolSection"]["descriptionModule"]["briefSummary"]
    assert summary.startswith("Depressed patients will be offered experimental treatment with a")
    assert "fast-acting antidepressant called ketamine" in summary  # a wrapped line, joined
    assert summary.count("\n\n") == 1 and "  " not in summary
    criteria = record["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
    lines = criteria.splitlines()
    assert lines[0] == "Patient Inclusion Criteria:"
    assert lines[2] == (
        "- Patient suffering from a major depressive episode (MDE) as part of an MDD. Patients "
        "may be psychiatric medication-free or, if on psychiatric medications, not responding "
        "adequately."
    )
    assert "- Subjects will be excluded for baseline hypertension (BP>140/90) or significant" in (
        criteria
    )


def test_phases_and_unknown_vocabulary() -> None:
    """SYNTHETIC: the real NCT01558063 2018 record with its phase, status and design words
    replaced, and an element the mapping does not know added."""
    text = classic_xml("NCT01558063", "2018-05-29").decode()
    text = text.replace("<phase>Phase 2</phase>", "<phase>N/A</phase>")
    text = text.replace("<allocation>Randomized</allocation>", "<allocation>Shuffled</allocation>")
    text = text.replace("</clinical_study>", "<novel_element>x</novel_element></clinical_study>")
    got = read_classic_xml(text.encode())
    summary = parse_study(got.record)
    assert summary.phases == ("NA",)
    assert parse_design(got.record).allocation == "Shuffled"  # kept as written, and named:
    assert any("allocation: unknown classic value 'Shuffled'" in p for p in got.problems)
    assert "clinical_study/novel_element: no v2 counterpart, not carried" in got.problems


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not xml at all",
        b'{"protocolSection": {}}',
        b"<clinical_study><id_info><nct_id>NCT1</nct_id></id_info></clinical_study>",
        b"<other_root/>",
        b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<clinical_study>&b;</clinical_study>",
    ],
    ids=["empty", "text", "json", "bad-id", "other-root", "entities"],
)
def test_bytes_that_are_not_a_record_are_refused_with_a_clear_error(data) -> None:
    with pytest.raises(ClassicXmlError) as err:
        read_classic_xml(data)
    assert err.value.exit_code == 2 and "\n" not in str(err.value)


def test_odd_values_are_named_and_the_rest_is_read() -> None:
    """SYNTHETIC: the real NCT01558063 2020 record with unreadable values planted."""
    text = classic_xml("NCT01558063", "2020-07-28").decode()
    text = text.replace('<enrollment type="Actual">38</enrollment>',
                        '<enrollment type="Guessed">about 40</enrollment>')  # fmt: skip
    text = text.replace("<start_date>February 2012</start_date>",
                        "<start_date>Spring 2012</start_date>")  # fmt: skip
    text = text.replace('<counts group_id="E1" events="2" subjects_affected="2"',
                        '<counts group_id="E1" events="two" subjects_affected="2"')  # fmt: skip
    text = text.replace('<group group_id="O1">', '<group group_id="X">', 1)
    got = read_classic_xml(text.encode())
    summary = parse_study(got.record)
    assert summary.enrollment is None and summary.start_date is None
    assert summary.overall_status == "COMPLETED" and summary.primary_completion_date == "2015-05"
    problems = "\n".join(got.problems)
    assert "clinical_study/enrollment: not a whole number: 'about 40', left out" in problems
    assert "enrollment@type: unknown classic value 'Guessed'" in problems
    assert "clinical_study/start_date: not a date: 'Spring 2012', left out" in problems
    assert "@events: not a whole number: 'two', left out" in problems
    assert "unexpected group id 'X', kept as written" in problems
    unrelated = parse_adverse_events(got.record)
    assert unrelated is not None and unrelated.serious[0].stats[0].num_events is None
    assert unrelated.serious[0].stats[0].num_affected == 2


@pytest.mark.parametrize("path", CLASSIC_FILES[:2], ids=lambda p: p.stem)
def test_any_element_missing_is_still_a_record(path) -> None:
    """SYNTHETIC: each top-level element of a real record removed in turn."""
    root = ET.fromstring(path.read_bytes())
    for i, child in enumerate(list(root)):
        if child.tag in ("id_info",):
            continue
        root.remove(child)
        got = read_classic_xml(ET.tostring(root))
        assert parse_study(got.record).nct_id == got.nct_id
        root.insert(i, child)
