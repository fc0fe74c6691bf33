"""Results-reporting status under FDAAA 801, computed the way the FDAAA TrialsTracker does.

Results are due 1 year after the primary completion date and overdue after a further 30 days'
grace; a certificate of delay moves the due date to at most 3 years after completion. A partial
date counts as the last day of its month (or year). Pure: `today` is passed in.

Whether a study is an "applicable clinical trial" is only estimated (`coverage`), from what the
registry says: interventional, not phase 1, not withdrawn, and an FDA-regulated product. Where
the registry does not say, the status is computed and shown as "if covered".
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from trialwatch.domain.dates import date_precision

GRACE = timedelta(days=30)
FINAL_RULE_START = date(2017, 1, 18)  # the Final Rule covers trials completed after this day

POSTED = "posted"
NOT_YET_DUE = "not yet due"
DUE = "due"  # past the due date, still inside the 30-day grace
OVERDUE = "overdue"
UNKNOWN = "unknown"
NOT_COVERED = "not covered"
EXEMPT_PHASES = {"EARLY_PHASE1", "PHASE1"}


@dataclass(frozen=True)
class ReportingStatus:
    state: str  # one of POSTED, NOT_YET_DUE, DUE, OVERDUE, UNKNOWN
    due_date: date | None
    overdue_from: date | None  # first day the results count as overdue
    posted_on: str | None  # results first posted, as registered
    posted_late: bool
    notes: tuple[str, ...]
    covered: bool | None = None  # None: the registry does not say enough to tell


def coverage(
    *,
    study_type: str | None,
    phases: tuple[str, ...],
    overall_status: str | None,
    fda_regulated: bool | None,
) -> tuple[bool | None, str]:
    """Whether the results rule likely applies, and why, from the registry's own fields."""
    if overall_status == "WITHDRAWN":
        return False, "The study was withdrawn before enrolling anyone, so no results are due."
    if study_type and study_type != "INTERVENTIONAL":
        return False, "The rule covers interventional trials only."
    if phases and set(phases) <= EXEMPT_PHASES:
        return False, "Phase 1 trials are not covered by the rule."
    if fda_regulated is False:
        return False, "The registry says no FDA-regulated drug or device is studied."
    if fda_regulated:
        return True, "The registry says an FDA-regulated drug or device is studied."
    return None, (
        "The registry does not say whether an FDA-regulated product is studied, so whether "
        "the rule applies is not known; the dates below apply if it does."
    )


def last_day(registry_date: str | None) -> date | None:
    """The last calendar day a partial registry date can mean ('2012-02' -> 2012-02-29)."""
    precision = date_precision(registry_date)
    if precision is None or registry_date is None:
        return None
    parts = [int(p) for p in registry_date.split("-")]
    if precision == "year":
        return date(parts[0], 12, 31)
    if precision == "month":
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    try:
        return date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def add_years(day: date, years: int) -> date:
    """Same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def reporting_status(
    primary_completion: str | None,
    primary_completion_type: str | None,
    results_first_posted: str | None,
    *,
    certificate_of_delay: bool,
    today: date,
    covered: tuple[bool | None, str] = (None, ""),
) -> ReportingStatus:
    """Posted, not yet due, due (in the grace period) or overdue, with the dates behind it."""
    is_covered, why = covered
    notes: list[str] = [why] if why else []
    if is_covered is False:
        return ReportingStatus(
            NOT_COVERED, None, None, results_first_posted, False, tuple(notes), False
        )
    completion = last_day(primary_completion)
    if completion is None:
        return ReportingStatus(
            UNKNOWN, None, None, results_first_posted, False,
            (*notes, "No primary completion date is registered, so no due date can be computed."),
            is_covered,
        )  # fmt: skip
    years = 3 if certificate_of_delay else 1
    due = add_years(completion, years)
    overdue_from = due + GRACE + timedelta(days=1)
    if certificate_of_delay:
        notes.append("A certificate of delay was filed: results may be due up to 3 years later.")
    if (date_precision(primary_completion) or "day") != "day":
        notes.append(
            f"The primary completion date is registered as {primary_completion}; "
            "it counts as the last day of that period."
        )
    if primary_completion_type == "ESTIMATED":
        notes.append("The primary completion date is an estimate, so the due date may move.")
    if completion <= FINAL_RULE_START:
        notes.append(
            "Primary completion is before 18 January 2017, when the FDAAA Final Rule took effect."
        )

    if results_first_posted:
        posted = last_day(results_first_posted)
        late = posted is not None and posted >= overdue_from
        return ReportingStatus(
            POSTED, due, overdue_from, results_first_posted, late, tuple(notes), is_covered
        )
    if today <= due:
        state = NOT_YET_DUE
    elif today < overdue_from:
        state = DUE
    else:
        state = OVERDUE
    return ReportingStatus(state, due, overdue_from, None, False, tuple(notes), is_covered)
