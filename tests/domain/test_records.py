"""The record parser on every real fixture and on odd shapes."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, load_fixture, study
from trialwatch.domain.dates import date_precision
from trialwatch.domain.records import canonical_record, parse_study

ALL = sorted(p.relative_to(FIXTURES).as_posix() for p in (FIXTURES / "studies").glob("*.json"))


@pytest.mark.parametrize("name", ALL)
def test_every_real_record_parses_cleanly(name):
    summary = parse_study(load_fixture(name))
    assert summary.nct_id.startswith("NCT") and summary.brief_title
    assert summary.problems == ()


def test_fields_of_a_real_record():
    s = parse_study(study("NCT02552212"))
    assert (s.overall_status, s.phases, s.enrollment, s.enrollment_type) == (
        "COMPLETED",
        ("PHASE3",),
        317,
        "ACTUAL",
    )
    assert s.start_date == "2015-09" and date_precision(s.start_date) == "month"
    assert s.lead_sponsor == "UCB BIOSCIENCES GmbH" and s.has_results is True
    assert s.version_holder == "2023-12-12"


def test_withdrawn_study_with_zero_enrollment():
    s = parse_study(study("NCT00973089"))
    assert s.overall_status == "WITHDRAWN" and s.enrollment == 0


def test_odd_shapes_are_reported_not_raised():
    record = study("NCT03418623")
    record["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = 99999999
    record["protocolSection"]["statusModule"]["startDateStruct"] = {"date": "March 2018"}
    record["protocolSection"]["conditionsModule"]["conditions"] = "Alcohol Use Disorder"
    record["protocolSection"]["sponsorCollaboratorsModule"] = None
    s = parse_study(record)
    assert (
        s.enrollment is None
        and s.start_date is None
        and s.conditions == ()
        and s.lead_sponsor is None
    )
    text = " | ".join(s.problems)
    assert "99999999" in text and "not a registry date" in text and "expected a list" in text
    assert parse_study("not a record").problems[0] == "record: not a JSON object"


def test_hashes_ignore_key_order_and_split_off_derived_data():
    a = study("NCT02552212")
    b = dict(reversed(list(a.items())))
    assert canonical_record(a)[:2] == canonical_record(b)[:2]
    later = study("NCT02552212", "versionHolder-2024-01-03")
    assert canonical_record(a)[0] != canonical_record(later)[0]
    assert canonical_record(a)[1] == canonical_record(later)[1]


@pytest.mark.parametrize(
    "value, precision",
    [("2012", "year"), ("2012-02", "month"), ("2012-02-03", "day"), ("2012-2", None), ("", None),
     ("abcd", None), ("20120", None), ("2012-2-03", None), ("2012-02-3", None),
     ("2012-02-03-04", None)],
)  # fmt: skip
def test_date_precision(value, precision):
    assert date_precision(value) == precision
