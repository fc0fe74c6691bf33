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


FDA_YES = "The registry says an FDA-regulated drug or device is studied."
PHASE_1 = "Phase 1 trials are not covered by the rule."
UNKNOWN = (
    "The registry does not say whether an FDA-regulated product is studied, so whether "
    "the rule applies is not known; the dates below apply if it does."
)


@pytest.mark.parametrize(
    ("facts", "applies", "why"),
    [
        ({}, True, FDA_YES),
        ({"overall_status": "WITHDRAWN"}, False,
         "The study was withdrawn before enrolling anyone, so no results are due."),
        ({"study_type": "OBSERVATIONAL"}, False, "The rule covers interventional trials only."),
        ({"phases": ("PHASE1",)}, False, PHASE_1),
        ({"phases": ("EARLY_PHASE1", "PHASE1")}, False, PHASE_1),
        ({"phases": ("PHASE1", "PHASE2")}, True, FDA_YES),  # phase 1/2 is covered
        ({"phases": ()}, True, FDA_YES),
        ({"fda_regulated": False}, False,
         "The registry says no FDA-regulated drug or device is studied."),
        ({"fda_regulated": None}, None, UNKNOWN),
        ({"study_type": None, "fda_regulated": None}, None, UNKNOWN),
    ],
)  # fmt: skip
def test_who_the_results_rule_covers(facts, applies, why):
    assert _coverage(**facts) == (applies, why)


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
