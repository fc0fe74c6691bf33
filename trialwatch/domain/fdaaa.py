"""Results-reporting status under FDAAA 801, computed the way the FDAAA TrialsTracker does.

Method (docs/fdaaa.md cites the TrialsTracker's published code and paper for each rule):
- Results are due 1 year after the primary completion date (the completion date when no primary
  completion date is registered), or 3 years after it when a certificate of delay was filed. A
  partial date counts as the last day of its month (or year), which is the conservative choice.
- Lateness is measured on submission: `resultsFirstSubmitDate`, the day the sponsor sent the
  results. The registry's quality-control review before posting is not the sponsor's delay.
  Results submitted after the due date were reported late; unreported results count as overdue
  only after a further 30 days' grace.
- Studies whose primary completion precedes the Final Rule's effective date (18 January 2017)
  are not scored: they are "not covered by the Final Rule's deadline".
- Whether a study is an applicable clinical trial is only estimated (`coverage`) from the
  registry's own fields. Every status says which fields and dates it used (`basis`).
Pure: `today` is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from trialwatch.domain.dates import date_precision

GRACE = timedelta(days=30)
FINAL_RULE_START = date(2017, 1, 18)  # 42 CFR Part 11 took effect; earlier completions not scored

REPORTED = "reported"  # results submitted (posted, or still in the registry's review)
NOT_YET_DUE = "not yet due"
DUE = "due"  # past the due date, still inside the 30-day grace
OVERDUE = "overdue"
UNKNOWN = "unknown"
NOT_COVERED = "not covered"
BEFORE_FINAL_RULE = "not covered by the Final Rule's deadline"

EXEMPT_PHASES = {"EARLY_PHASE1", "PHASE1"}
# Intervention types that can be an FDA-regulated product (the TrialsTracker's list).
PRODUCT_TYPES = {
    "DRUG", "DEVICE", "BIOLOGICAL", "GENETIC", "RADIATION", "COMBINATION_PRODUCT",
    "DIAGNOSTIC_TEST",
}  # fmt: skip
US_COUNTRIES = {
    "United States", "American Samoa", "Guam", "Northern Mariana Islands", "Puerto Rico",
    "Virgin Islands (U.S.)", "U.S. Virgin Islands",
}  # fmt: skip


@dataclass(frozen=True)
class RegistryFacts:
    """The registry fields the rules read, as registered (dates stay partial)."""

    study_type: str | None = None
    phases: tuple[str, ...] = ()
    overall_status: str | None = None
    primary_purpose: str | None = None
    intervention_types: tuple[str, ...] = ()
    fda_regulated_drug: bool | None = None
    fda_regulated_device: bool | None = None
    countries: tuple[str, ...] = ()
    start_date: str | None = None
    primary_completion: str | None = None
    primary_completion_type: str | None = None
    completion: str | None = None
    results_first_submitted: str | None = None
    results_first_posted: str | None = None
    certificate_submitted: str | None = None  # dispFirstSubmitDate: a certificate of delay


@dataclass(frozen=True)
class ReportingStatus:
    state: str  # REPORTED, NOT_YET_DUE, DUE, OVERDUE, UNKNOWN, NOT_COVERED, BEFORE_FINAL_RULE
    due_date: date | None
    overdue_from: date | None  # first day unreported results count as overdue
    submitted_on: str | None  # resultsFirstSubmitDate, as registered
    posted_on: str | None  # resultsFirstPostDateStruct, as registered
    reported_late: bool  # submitted after the due date
    notes: tuple[str, ...]  # why: coverage, caveats
    covered: bool | None = None  # None: the registry does not say enough to tell
    basis: tuple[str, ...] = ()  # which registry fields and dates the status used


def _get(node: Any, *path: str) -> Any:
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _strs(items: Any, key: str | None = None) -> tuple[str, ...]:
    items = items if isinstance(items, list) else []
    values = [_get(i, key) if key else i for i in items]
    return tuple(v for v in values if isinstance(v, str))


def registry_facts(record: Any) -> RegistryFacts:
    """The fields the rules need, read defensively from an API v2 record (never raises)."""
    protocol = _get(record, "protocolSection")
    status, design = _get(protocol, "statusModule"), _get(protocol, "designModule")
    oversight = _get(protocol, "oversightModule")
    flags = [_get(oversight, k) for k in ("isFdaRegulatedDrug", "isFdaRegulatedDevice")]
    return RegistryFacts(
        study_type=_str(_get(design, "studyType")),
        phases=_strs(_get(design, "phases")),
        overall_status=_str(_get(status, "overallStatus")),
        primary_purpose=_str(_get(design, "designInfo", "primaryPurpose")),
        intervention_types=_strs(
            _get(protocol, "armsInterventionsModule", "interventions"), "type"
        ),
        fda_regulated_drug=flags[0] if isinstance(flags[0], bool) else None,
        fda_regulated_device=flags[1] if isinstance(flags[1], bool) else None,
        countries=_strs(_get(protocol, "contactsLocationsModule", "locations"), "country"),
        start_date=_str(_get(status, "startDateStruct", "date")),
        primary_completion=_str(_get(status, "primaryCompletionDateStruct", "date")),
        primary_completion_type=_str(_get(status, "primaryCompletionDateStruct", "type")),
        completion=_str(_get(status, "completionDateStruct", "date")),
        results_first_submitted=_str(_get(status, "resultsFirstSubmitDate")),
        results_first_posted=_str(_get(status, "resultsFirstPostDateStruct", "date")),
        certificate_submitted=_str(_get(status, "dispFirstSubmitDate"))
        or _str(_get(status, "dispFirstPostDateStruct", "date")),
    )


def coverage(facts: RegistryFacts) -> tuple[bool | None, str]:
    """Whether the results rule likely applies, and why, naming the registry fields read."""
    if facts.overall_status == "WITHDRAWN":
        return False, "Withdrawn before enrolling anyone (overallStatus), so no results are due."
    if facts.study_type and facts.study_type != "INTERVENTIONAL":
        return False, f"The rule covers interventional trials only (studyType {facts.study_type})."
    if facts.phases and set(facts.phases) <= EXEMPT_PHASES:
        return False, f"Phase 1 trials are not covered (phases {', '.join(facts.phases)})."
    if facts.primary_purpose == "DEVICE_FEASIBILITY":
        return False, "Device feasibility studies are not covered (primaryPurpose)."
    flags = (facts.fda_regulated_drug, facts.fda_regulated_device)
    if True in flags:
        return True, (
            "The registry says an FDA-regulated drug or device is studied "
            f"(isFdaRegulatedDrug {_flag(flags[0])}, isFdaRegulatedDevice {_flag(flags[1])})."
        )
    if flags == (False, False):
        return False, (
            "The registry says no FDA-regulated drug or device is studied "
            "(isFdaRegulatedDrug no, isFdaRegulatedDevice no)."
        )
    types = ", ".join(dict.fromkeys(facts.intervention_types)) or "none listed"
    if facts.intervention_types and not PRODUCT_TYPES & set(facts.intervention_types):
        return False, (
            "No intervention is a drug, biological, device or other product the FDA regulates "
            f"(intervention types: {types}), and the registry gives no FDA-regulated flag."
        )
    if facts.countries and not US_COUNTRIES & set(facts.countries):
        return False, (
            "The registry gives no FDA-regulated flag and lists no site in the United States "
            "(locations), so the rule is not taken to apply."
        )
    return None, (
        "The registry does not say whether an FDA-regulated product is studied "
        f"(no isFdaRegulatedDrug or isFdaRegulatedDevice; intervention types: {types}), so "
        "whether the rule applies is not known; the dates below apply if it does."
    )


def _flag(value: bool | None) -> str:
    return "not given" if value is None else ("yes" if value else "no")


def last_day(registry_date: str | None) -> date | None:
    """The last calendar day a partial registry date can mean ('2012-02' -> 2012-02-29)."""
    precision = date_precision(registry_date)
    if precision is None or registry_date is None:
        return None
    parts = [int(p) for p in registry_date.split("-")]
    if precision == "year":
        return date(parts[0], 12, 31)
    if precision == "month":
        return date(parts[0], parts[1], 1) + relativedelta(day=31)  # day=31: the month's last
    try:
        return date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def add_years(day: date, years: int) -> date:
    """Same calendar day `years` later; 29 February becomes 28 February."""
    return day + relativedelta(years=years)


def reporting_status(facts: RegistryFacts, *, today: date) -> ReportingStatus:
    """The status, the due date and what it was computed from; see the module docstring."""
    covered, why = coverage(facts)
    empty = ReportingStatus(
        NOT_COVERED, None, None, facts.results_first_submitted, facts.results_first_posted,
        False, (), covered, (why,),
    )  # fmt: skip
    if covered is False:
        return empty
    completion_text, field = facts.primary_completion, "primaryCompletionDateStruct"
    if last_day(completion_text) is None and last_day(facts.completion):
        completion_text, field = facts.completion, "completionDateStruct"
    completion = last_day(completion_text)
    if completion is None:
        reason = "No primary completion date is registered, so no due date can be computed."
        return _replace(empty, UNKNOWN, (why,), (reason,))
    last = "" if completion_text == completion.isoformat() else f", read as {completion}"
    counted = f"{completion_text} ({field}{last})"
    if completion < FINAL_RULE_START:
        reason = (
            f"Primary completion {counted} is before 18 January 2017, when the FDAAA Final "
            "Rule took effect; like the FDAAA TrialsTracker, trialwatch does not score it."
        )
        return _replace(empty, BEFORE_FINAL_RULE, (why,), (reason,))
    return _scored(facts, today, completion, counted, (why, *_caveats(facts, field)), covered)


def _replace(
    base: ReportingStatus, state: str, notes: tuple[str, ...], basis: tuple[str, ...]
) -> ReportingStatus:
    return ReportingStatus(
        state, None, None, base.submitted_on, base.posted_on, False, notes, base.covered, basis
    )


def _caveats(facts: RegistryFacts, field: str) -> list[str]:
    notes = []
    if field == "completionDateStruct":
        notes.append(
            "No primary completion date is registered; the study completion date is used, "
            "as the TrialsTracker does."
        )
    if facts.primary_completion_type == "ESTIMATED":
        notes.append("The primary completion date is an estimate, so the due date may move.")
    if facts.certificate_submitted:
        notes.append(
            f"A certificate of delay was filed ({facts.certificate_submitted}, "
            "dispFirstSubmitDate): results may be due up to 3 years after completion."
        )
    return notes


def _scored(
    facts: RegistryFacts,
    today: date,
    completion: date,
    counted: str,
    notes: tuple[str, ...],
    covered: bool | None,
) -> ReportingStatus:
    years = 3 if facts.certificate_submitted else 1
    due = add_years(completion, years)
    overdue_from = due + GRACE + timedelta(days=1)
    rule = f"due date {due.isoformat()}: primary completion {counted} + {years} year"
    rule += "s, certificate of delay filed" if years == 3 else ""
    submitted_text, field = facts.results_first_submitted, "resultsFirstSubmitDate"
    if last_day(submitted_text) is None and last_day(facts.results_first_posted):
        submitted_text, field = facts.results_first_posted, "resultsFirstPostDateStruct"
        notes = (*notes, "No results submission date is registered; the first-posted date is "
                 "used, which includes the registry's review time.")  # fmt: skip
    submitted = last_day(submitted_text)
    if submitted is not None:
        late = submitted > due
        line = (
            f"Results first submitted {submitted_text} ({field}), "
            f"{'after' if late else 'on or before'} the {rule}."
        )
        return ReportingStatus(
            REPORTED, due, overdue_from, facts.results_first_submitted,
            facts.results_first_posted, late, notes, covered, (line,),
        )  # fmt: skip
    if today <= due:
        state = NOT_YET_DUE
    elif today < overdue_from:
        state = DUE
    else:
        state = OVERDUE
    line = (
        f"No results submitted (no resultsFirstSubmitDate) as of {today.isoformat()}; {rule}; "
        f"counted overdue from {overdue_from.isoformat()}, after 30 days' grace."
    )
    return ReportingStatus(
        state, due, overdue_from, None, facts.results_first_posted, False, notes, covered,
        (line,),
    )  # fmt: skip
