"""Edge cases a mutation run over trialwatch/domain found untested: each assertion below fails when
the branch it names is changed."""

from __future__ import annotations

from datetime import date

import pytest

from trialwatch.domain.changes import to_date
from trialwatch.domain.fdaaa import coverage
from trialwatch.domain.findings import Finding
from trialwatch.domain.severity import SEVERITIES, severity_rank


def test_severity_rank_orders_most_severe_first():
    assert [severity_rank(s) for s in ("critical", "notable", "minor")] == [0, 1, 2]
    assert sorted(["minor", "critical", "notable"], key=severity_rank) == list(SEVERITIES)
    with pytest.raises(ValueError):
        severity_rank("severe")


def _coverage(**kw: object) -> tuple[bool | None, str]:
    facts: dict = {"study_type": "INTERVENTIONAL", "phases": ("PHASE3",),
                   "overall_status": "COMPLETED", "fda_regulated": True}  # fmt: skip
    return coverage(**{**facts, **kw})


@pytest.mark.parametrize(
    ("facts", "applies", "why"),
    [
        ({}, True, "an FDA-regulated drug or device is studied"),
        ({"overall_status": "WITHDRAWN"}, False, "withdrawn before enrolling anyone"),
        ({"study_type": "OBSERVATIONAL"}, False, "interventional trials only"),
        ({"phases": ("PHASE1",)}, False, "Phase 1 trials are not covered"),
        ({"phases": ("PHASE1", "PHASE2")}, True, "an FDA-regulated"),  # phase 1/2 is covered
        ({"phases": ()}, True, "an FDA-regulated"),
        ({"fda_regulated": False}, False, "no FDA-regulated drug or device"),
        ({"fda_regulated": None}, None, "does not say whether"),
        ({"study_type": None, "fda_regulated": None}, None, "does not say whether"),
    ],
)
def test_who_the_results_rule_covers(facts, applies, why):
    covered, reason = _coverage(**facts)
    assert covered is applies and why in reason


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
