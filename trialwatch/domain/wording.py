"""Plain words for registry codes, for people who do not read ClinicalTrials.gov every day."""

from __future__ import annotations

from collections.abc import Iterable

from trialwatch.domain.dates import date_precision

STATUS_WORDS = {
    "RECRUITING": "Recruiting",
    "NOT_YET_RECRUITING": "Not yet recruiting",
    "ENROLLING_BY_INVITATION": "Enrolling by invitation",
    "ACTIVE_NOT_RECRUITING": "Running, no longer recruiting",
    "COMPLETED": "Completed",
    "SUSPENDED": "Suspended (paused)",
    "TERMINATED": "Terminated (stopped early)",
    "WITHDRAWN": "Withdrawn (stopped before enrolling anyone)",
    "UNKNOWN": "Status unknown (not confirmed by the sponsor for 2 years or more)",
    "AVAILABLE": "Expanded access available",
    "NO_LONGER_AVAILABLE": "Expanded access no longer available",
    "TEMPORARILY_NOT_AVAILABLE": "Expanded access temporarily unavailable",
    "APPROVED_FOR_MARKETING": "Approved for marketing",
    "WITHHELD": "Withheld",
}
# Badge colour class per status: what a reader should notice first.
STATUS_TONE = {
    "RECRUITING": "go",
    "NOT_YET_RECRUITING": "go",
    "ENROLLING_BY_INVITATION": "go",
    "ACTIVE_NOT_RECRUITING": "info",
    "COMPLETED": "done",
    "SUSPENDED": "warn",
    "TERMINATED": "stop",
    "WITHDRAWN": "stop",
    "UNKNOWN": "warn",
}
STATUS_ORDER = list(STATUS_WORDS)
PHASE_WORDS = {
    "EARLY_PHASE1": "Early phase 1",
    "PHASE1": "Phase 1",
    "PHASE2": "Phase 2",
    "PHASE3": "Phase 3",
    "PHASE4": "Phase 4",
    "NA": "No phase (not a drug trial)",
}
CODE_WORDS = {
    "RANDOMIZED": "Randomised",
    "NON_RANDOMIZED": "Not randomised",
    "SINGLE_GROUP": "Single group",
    "PARALLEL": "Parallel groups",
    "CROSSOVER": "Crossover",
    "FACTORIAL": "Factorial",
    "SEQUENTIAL": "Sequential",
    "NONE": "None (open label)",
    "SINGLE": "Single-blind",
    "DOUBLE": "Double-blind",
    "TRIPLE": "Triple-blind",
    "QUADRUPLE": "Quadruple-blind",
    "ACTUAL": "actual",
    "ESTIMATED": "estimated",
    "INTERVENTIONAL": "Interventional (people are assigned a treatment)",
    "OBSERVATIONAL": "Observational (people are followed, not assigned a treatment)",
    "EXPANDED_ACCESS": "Expanded access",
    "TWO_SIDED": "2-sided",
    "ONE_SIDED": "1-sided",
    "EXPERIMENTAL": "Experimental",
    "ACTIVE_COMPARATOR": "Active comparator",
    "PLACEBO_COMPARATOR": "Placebo comparator",
    "SHAM_COMPARATOR": "Sham comparator",
    "NO_INTERVENTION": "No intervention",
    "SUPERIORITY": "Superiority",
    "NON_INFERIORITY": "Non-inferiority",
    "EQUIVALENCE": "Equivalence",
    "OTHER": "Other",
}


def status_words(code: str | None) -> str:
    if not code:
        return "Not given"
    return STATUS_WORDS.get(code, code.replace("_", " ").capitalize())


def status_tone(code: str | None) -> str:
    return STATUS_TONE.get(code or "", "info")


def phase_words(phases: Iterable[str] | None) -> str:
    phases = list(phases or ())
    if not phases:
        return "Not given"
    return " / ".join(PHASE_WORDS.get(p, p) for p in phases)


def code_words(code: str | None) -> str:
    """A registry code in words; unknown codes are shown tidied, never hidden."""
    if not code:
        return "Not given"
    return CODE_WORDS.get(code, code.replace("_", " ").capitalize())


def date_words(date: str | None, kind: str | None = None) -> str:
    """A registry date with its precision kept visible: '2012-02 (month only, actual)'."""
    if not date:
        return "Not given"
    notes = []
    precision = date_precision(date)
    if precision == "month":
        notes.append("month only")
    elif precision == "year":
        notes.append("year only")
    if kind:
        notes.append(code_words(kind))
    return f"{date} ({', '.join(notes)})" if notes else date
