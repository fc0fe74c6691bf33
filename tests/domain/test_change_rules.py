"""The severity rules of trialwatch.domain.change_rules, each at its boundary."""

from __future__ import annotations

import pytest

from trialwatch.domain.change_rules import (
    PrimaryOutcomeRating,
    date_severity,
    enrollment_severity,
    primary_outcome_rating,
)


@pytest.mark.parametrize(
    "before, after, severity",
    [
        (None, 100, "notable"),
        (100, None, "notable"),
        (0, 5, "notable"),
        (1, 1, "minor"),
        (100, 120, "notable"),  # 20 % exactly
        (100, 80, "notable"),
        (100, 119, "minor"),
        (100, 81, "minor"),
    ],
)
def test_enrollment_severity(before, after, severity):
    assert enrollment_severity(before, after) == severity


@pytest.mark.parametrize(
    "before, after, severity",
    [
        (None, "2020-01-01", "notable"),
        ("2020-01-01", None, "notable"),
        ("2020-01-01", "2020-01-31", "notable"),  # 30 days exactly
        ("2020-01-31", "2020-01-01", "notable"),
        ("2020-01-01", "2020-01-30", "minor"),
        ("2020-01", "2020-01-15", "minor"),
    ],
)
def test_date_severity(before, after, severity):
    assert date_severity(before, after) == severity


@pytest.mark.parametrize(
    "changed_on, start, completion, rating",
    [
        # a partial completion date counts from its last day: mid-month is not after it
        (
            "2020-03-15",
            "2019-01",
            "2020-03",
            PrimaryOutcomeRating("notable", "after_start", "2019-01"),
        ),
        # on the completion day itself: not after it
        (
            "2020-03-31",
            "2019-01-01",
            "2020-03-31",
            PrimaryOutcomeRating("notable", "after_start", "2019-01-01"),
        ),
        (
            "2020-04-01",
            "2019-01-01",
            "2020-03-31",
            PrimaryOutcomeRating("critical", "after_primary_completion", "2020-03-31"),
        ),
        ("2019-01-31", "2019-01", "2020-03", PrimaryOutcomeRating("notable")),
        ("2019-02-01", "2019-01", None, PrimaryOutcomeRating("notable", "after_start", "2019-01")),
        (None, "2019-01", "2020-03", PrimaryOutcomeRating("notable")),
    ],
)
def test_primary_outcome_rating(changed_on, start, completion, rating):
    assert primary_outcome_rating(changed_on, start, completion) == rating
