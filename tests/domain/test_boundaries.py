"""Edge cases a mutation run over trialwatch/domain found untested: each assertion below fails when
the branch it names is changed."""

from __future__ import annotations

from datetime import date

import pytest

from trialwatch.domain.changes import to_date
from trialwatch.domain.findings import Finding
from trialwatch.domain.severity import SEVERITIES, severity_rank


def test_severity_rank_orders_most_severe_first():
    assert [severity_rank(s) for s in ("critical", "notable", "minor")] == [0, 1, 2]
    assert sorted(["minor", "critical", "notable"], key=severity_rank) == list(SEVERITIES)
    with pytest.raises(ValueError):
        severity_rank("severe")


def test_a_year_only_date_is_its_first_day_unless_the_last_is_asked():
    assert to_date("2012") == date(2012, 1, 1)
    assert to_date("2012", month_end=True) == date(2012, 12, 31)
    assert to_date("2012-03") == date(2012, 3, 1)
    assert to_date("2012-03-09") == date(2012, 3, 9)
    assert to_date("") is None and to_date("2012-02-30") is None


def test_a_comment_that_is_not_there_is_none():
    """SYNTHETIC values: only the comment lookup is under test."""
    finding = Finding(
        groups=("A", "B"), comparison="A vs B", method=None, estimate=None, interval=None,
        p_value=None, p_sides="", hypothesis=None, no_effect=None, no_effect_note=None,
        comments=(("Method comment", "as registered"),), line="",
    )  # fmt: skip
    assert finding.comment("Method comment") == "as registered"
    assert finding.comment("Estimate comment") is None
