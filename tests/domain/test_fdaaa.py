"""FDAAA results-reporting status: due 1 year after primary completion, overdue after 30 days."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import study
from trialwatch.domain.fdaaa import (
    DUE,
    NOT_YET_DUE,
    OVERDUE,
    POSTED,
    UNKNOWN,
    add_years,
    last_day,
    reporting_status,
)
from trialwatch.domain.protocol import has_certificate_of_delay
from trialwatch.domain.records import parse_study


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


def status(pcd: str, today: date, posted: str | None = None, cod: bool = False) -> object:
    return reporting_status(pcd, "ACTUAL", posted, certificate_of_delay=cod, today=today)


def test_month_only_completion_boundaries() -> None:
    # 2020-06 means 2020-06-30: due 2021-06-30, overdue from 2021-07-31 (30 days' grace).
    first = reporting_status("2020-06", "ACTUAL", None, certificate_of_delay=False,
                             today=date(2021, 6, 30))  # fmt: skip
    assert (first.state, first.due_date, first.overdue_from) == (
        NOT_YET_DUE, date(2021, 6, 30), date(2021, 7, 31),
    )  # fmt: skip
    assert any("2020-06" in note for note in first.notes)
    assert reporting_status("2020-06", "ACTUAL", None, certificate_of_delay=False,
                            today=date(2021, 7, 1)).state == DUE  # fmt: skip
    assert reporting_status("2020-06", "ACTUAL", None, certificate_of_delay=False,
                            today=date(2021, 7, 30)).state == DUE  # fmt: skip
    assert reporting_status("2020-06", "ACTUAL", None, certificate_of_delay=False,
                            today=date(2021, 7, 31)).state == OVERDUE  # fmt: skip


def test_certificate_of_delay_extends_to_three_years() -> None:
    result = reporting_status("2020-06-15", "ACTUAL", None, certificate_of_delay=True,
                              today=date(2022, 1, 1))  # fmt: skip
    assert (result.state, result.due_date) == (NOT_YET_DUE, date(2023, 6, 15))
    assert any("certificate of delay" in n for n in result.notes)


def test_posted_on_time_and_late() -> None:
    on_time = reporting_status("2020-06-15", "ACTUAL", "2021-05-01", certificate_of_delay=False,
                               today=date(2025, 1, 1))  # fmt: skip
    assert (on_time.state, on_time.posted_late, on_time.posted_on) == (POSTED, False, "2021-05-01")
    late = reporting_status("2020-06-15", "ACTUAL", "2021-07-16", certificate_of_delay=False,
                            today=date(2025, 1, 1))  # fmt: skip
    assert (late.state, late.posted_late) == (POSTED, True)


def test_no_completion_date_and_estimates() -> None:
    assert reporting_status(None, None, None, certificate_of_delay=False,
                            today=date(2025, 1, 1)).state == UNKNOWN  # fmt: skip
    estimated = reporting_status("2030-01", "ESTIMATED", None, certificate_of_delay=False,
                                 today=date(2025, 1, 1))  # fmt: skip
    assert estimated.state == NOT_YET_DUE
    assert any("estimate" in n for n in estimated.notes)


def test_real_record_with_certificate_of_delay() -> None:
    """NCT02552212: primary completion 2018-05, certificate filed 2019-03, results 2020-08-17."""
    record = study("NCT02552212")
    summary = parse_study(record)
    result = reporting_status(
        summary.primary_completion_date,
        summary.primary_completion_date_type,
        summary.results_first_posted,
        certificate_of_delay=has_certificate_of_delay(record),
        today=date(2026, 1, 1),
    )
    assert result.state == POSTED
    assert result.due_date == date(2021, 5, 31)  # 2018-05-31 + 3 years
    assert result.posted_late is False
