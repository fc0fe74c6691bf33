"""Pure: the changes of a study between two versions of its record, each with a severity.

The pieces, by topic: summary fields (trialwatch.domain.change_summary), severity rules
(trialwatch.domain.change_rules). Differences only in `derivedSection` are not changes of the
study.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.change_summary import diff_summary, show
from trialwatch.domain.dates import to_date
from trialwatch.domain.normalize import normalize_record
from trialwatch.domain.records import canonical_json, parse_study
from trialwatch.domain.severity import SEVERITIES, severity_rank

__all__ = ["SEVERITIES", "LoggedChange", "diff_records", "severity_rank", "to_date"]
# Modules whose content is already covered by the summary fields above.
_COVERED = {"identificationModule", "statusModule", "sponsorCollaboratorsModule",
            "conditionsModule", "outcomesModule"}  # fmt: skip


def diff_records(
    old: dict[str, Any], new: dict[str, Any], *, references: bool = True
) -> list[LoggedChange]:
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


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[LoggedChange]:
    out = diff_summary(parse_study(old), parse_study(new))
    out += _outcomes(old, new)
    out += _modules(old, new)
    return out


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


def _outcomes(old: dict[str, Any], new: dict[str, Any]) -> list[LoggedChange]:
    out = []
    for key, name, severity in (
        ("primaryOutcomes", "primary_outcomes", "notable"),
        ("secondaryOutcomes", "secondary_outcomes", "minor"),
        ("otherOutcomes", "other_outcomes", "minor"),
    ):
        before, after = _outcome_list(old, key), _outcome_list(new, key)
        if before != after:
            out.append(LoggedChange(name, show(before), show(after), severity))
    return out


def _modules(old: dict[str, Any], new: dict[str, Any]) -> list[LoggedChange]:
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
                out.append(LoggedChange(f"{section}.{module}", None, state, severity))
    return out


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
