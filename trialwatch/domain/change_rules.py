"""Pure: how much a change matters for the evidence (the severity rules, one function each).

The README lists these rules one line each; tests/domain/test_change_rules.py holds each to it.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class PrimaryOutcomeRating:
    severity: str
    flag: str | None = None  # "after_start" or "after_primary_completion"
    reference: str | None = None  # the registered date the change came after


def primary_outcome_rating(
    changed_on: str | None, start: str | None, primary_completion: str | None
) -> PrimaryOutcomeRating:
    """A changed primary outcome: notable; after the start date, notable with a flag; after the
    primary completion date (as the later version registers it, actual or anticipated),
    critical. `changed_on` is the later version's last-update date; a partial reference date
    counts from its last day, so a change in the month a study started is not called later."""
    when = to_date(changed_on)
    if when is not None:
        completion = to_date(primary_completion, month_end=True)
        if completion is not None and when > completion:
            return PrimaryOutcomeRating("critical", "after_primary_completion", primary_completion)
        started = to_date(start, month_end=True)
        if started is not None and when > started:
            return PrimaryOutcomeRating("notable", "after_start", start)
    return PrimaryOutcomeRating("notable")
