"""Pure: field-level differences between two versions of a record, each with a severity.

critical: status becomes TERMINATED, SUSPENDED or WITHDRAWN; results are posted.
notable:  other status changes, enrollment moves 20% or more, a key date moves 30 days or more,
          why stopped, lead sponsor, primary outcomes or posted results change.
minor:    everything else. Differences only in `derivedSection` are not changes of the study.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from trialwatch.domain.normalize import normalize_record
from trialwatch.domain.records import StudySummary, canonical_json, parse_study
from trialwatch.domain.severity import SEVERITIES, severity_rank

__all__ = ["SEVERITIES", "FieldChange", "diff_records", "severity_rank"]
STOPPED = {"TERMINATED", "SUSPENDED", "WITHDRAWN"}
ENROLLMENT_NOTABLE = 0.20
DATE_NOTABLE_DAYS = 30

# Summary fields compared one by one; anything else is caught per module below.
_SIMPLE: dict[str, str] = {
    "brief_title": "minor",
    "official_title": "minor",
    "acronym": "minor",
    "why_stopped": "notable",
    "phases": "minor",
    "study_type": "minor",
    "enrollment_type": "minor",
    "lead_sponsor": "notable",
    "collaborators": "minor",
    "conditions": "minor",
    "interventions": "minor",
    "start_date_type": "minor",
    "primary_completion_date_type": "minor",
    "completion_date_type": "minor",
    "results_first_posted": "minor",
}
_DATES = ("start_date", "primary_completion_date", "completion_date")
# Modules whose content is already covered by the summary fields above.
_COVERED = {"identificationModule", "statusModule", "sponsorCollaboratorsModule",
            "conditionsModule", "outcomesModule"}  # fmt: skip


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None
    new: str | None
    severity: str


def diff_records(
    old: dict[str, Any], new: dict[str, Any], *, references: bool = True
) -> list[FieldChange]:
    """Changes of the study between two versions (derived metadata is ignored).

    Found on both versions' normal form (domain.normalize), so format (classic XML, history
    HTML, markdown) is no change; each change keeps its values as registered.
    `references=False` leaves references out (between registry history versions).
    """
    raw = {c.field: c for c in _field_changes(old, new)}
    if not raw:
        return []
    found = _field_changes(
        normalize_record(old, references=references), normalize_record(new, references=references)
    )
    return [
        replace(c, old=raw[c.field].old, new=raw[c.field].new) if c.field in raw else c
        for c in found
    ]


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    a, b = parse_study(old), parse_study(new)
    out: list[FieldChange] = []
    out += _status(a, b)
    out += _results(a, b)
    out += _enrollment(a, b)
    for name in _DATES:
        out += _date(name, getattr(a, name), getattr(b, name))
    for name, severity in _SIMPLE.items():
        before, after = getattr(a, name), getattr(b, name)
        if before != after:
            out.append(FieldChange(name, _show(before), _show(after), severity))
    out += _outcomes(old, new)
    out += _modules(old, new)
    return out


def _status(a: StudySummary, b: StudySummary) -> list[FieldChange]:
    if a.overall_status == b.overall_status:
        return []
    severity = "critical" if b.overall_status in STOPPED else "notable"
    return [FieldChange("overall_status", a.overall_status, b.overall_status, severity)]


def _results(a: StudySummary, b: StudySummary) -> list[FieldChange]:
    if bool(a.has_results) == bool(b.has_results):
        return []
    if b.has_results:
        posted = f"posted {b.results_first_posted}" if b.results_first_posted else "posted"
        return [FieldChange("results", "not posted", posted, "critical")]
    return [FieldChange("results", "posted", "no longer posted", "notable")]


def _enrollment(a: StudySummary, b: StudySummary) -> list[FieldChange]:
    if a.enrollment == b.enrollment:
        return []
    if a.enrollment is None or b.enrollment is None or a.enrollment == 0:
        severity = "notable"
    else:
        moved = abs(b.enrollment - a.enrollment) / a.enrollment
        severity = "notable" if moved >= ENROLLMENT_NOTABLE else "minor"
    return [FieldChange("enrollment", _show(a.enrollment), _show(b.enrollment), severity)]


def _date(name: str, before: str | None, after: str | None) -> list[FieldChange]:
    if before == after:
        return []
    d1, d2 = to_date(before), to_date(after)
    if d1 is None or d2 is None:
        severity = "notable"
    else:
        severity = "notable" if abs((d2 - d1).days) >= DATE_NOTABLE_DAYS else "minor"
    return [FieldChange(name, before, after, severity)]


def to_date(value: str | None, *, month_end: bool = False) -> date | None:
    """A registry partial date as a date: first day of the month/year (or the last, if asked)."""
    if not value:
        return None
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 1:
            return date(parts[0], 12, 31) if month_end else date(parts[0], 1, 1)
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            return date(parts[0], parts[1], last if month_end else 1)
        return date(parts[0], parts[1], parts[2])
    except (ValueError, TypeError):
        return None


def _outcome_list(record: dict[str, Any], key: str) -> list[str]:
    module = (record.get("protocolSection") or {}).get("outcomesModule") or {}
    items = module.get(key) if isinstance(module, dict) else None
    if not isinstance(items, list):
        return []
    return [
        " | ".join(str(o.get(k) or "") for k in ("measure", "timeFrame"))
        for o in items
        if isinstance(o, dict)
    ]


def _outcomes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    out = []
    for key, name, severity in (
        ("primaryOutcomes", "primary_outcomes", "notable"),
        ("secondaryOutcomes", "secondary_outcomes", "minor"),
        ("otherOutcomes", "other_outcomes", "minor"),
    ):
        before, after = _outcome_list(old, key), _outcome_list(new, key)
        if before != after:
            out.append(FieldChange(name, _show(before), _show(after), severity))
    return out


def _modules(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Catch-all: a module outside the compared fields whose content changed."""
    out = []
    for section, severity in (
        ("protocolSection", "minor"),
        ("resultsSection", "notable"),
        ("documentSection", "minor"),
        ("annotationSection", "minor"),
    ):
        a, b = _as_dict(old.get(section)), _as_dict(new.get(section))
        if section == "resultsSection" and not (a and b):
            continue  # posting or removing results is reported as `results`
        for module in sorted(set(a) | set(b)):
            if section == "protocolSection" and module in _COVERED:
                continue
            if canonical_json(a.get(module)) != canonical_json(b.get(module)):
                state = "added" if module not in a else "removed" if module not in b else "edited"
                out.append(FieldChange(f"{section}.{module}", None, state, severity))
    return out


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _show(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value) if value else ""
    return str(value)
