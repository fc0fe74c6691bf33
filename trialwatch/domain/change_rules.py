"""Pure: how much a change matters for the evidence (the severity rules, one function each).

The README lists these rules one line each; tests/domain/test_change_rules.py holds each to it.
"""

from __future__ import annotations

from trialwatch.domain.dates import to_date

STOPPED = frozenset({"TERMINATED", "SUSPENDED", "WITHDRAWN"})
ENROLLMENT_NOTABLE = 0.20  # a move of this share of the previous figure is notable
DATE_NOTABLE_DAYS = 30  # a key date moved this far is notable


def status_severity(new_status: str | None) -> str:
    """critical when the study stops (terminated, suspended, withdrawn); else notable."""
    return "critical" if new_status in STOPPED else "notable"


def enrollment_severity(before: int | None, after: int | None) -> str:
    """notable when enrollment moves by 20% or more (or from or to nothing); else minor."""
    if before is None or after is None or before == 0:
        return "notable"
    return "notable" if abs(after - before) / before >= ENROLLMENT_NOTABLE else "minor"


def date_severity(before: str | None, after: str | None) -> str:
    """notable when a key date moves by 30 days or more (or appears or goes); else minor."""
    d1, d2 = to_date(before), to_date(after)
    if d1 is None or d2 is None:
        return "notable"
    return "notable" if abs((d2 - d1).days) >= DATE_NOTABLE_DAYS else "minor"
