"""Pure: changes of the study's summary fields (status, dates, enrollment, sponsor...).

Which fields are compared, and by which rule, is said once in trialwatch.domain.summary.
"""

from __future__ import annotations

from typing import Any

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.change_rules import date_severity, enrollment_severity, status_severity
from trialwatch.domain.summary import CHANGE_RULES, StudySummary

# Rules that get their own treatment, in this order, before the fields rated by a severity.
_RULE_ORDER = ("status", "results", "enrollment", "date")


def diff_summary(a: StudySummary, b: StudySummary) -> list[LoggedChange]:
    """One change per summary field that differs, rated by the field's rule."""
    out: list[LoggedChange] = []
    for rule in _RULE_ORDER:
        for name, field_rule in CHANGE_RULES.items():
            if field_rule == rule:
                out += _by_rule(rule, name, getattr(a, name), getattr(b, name), b)
    for name, severity in CHANGE_RULES.items():
        if severity in _RULE_ORDER:
            continue
        before, after = getattr(a, name), getattr(b, name)
        if before != after:
            out.append(LoggedChange(name, show(before), show(after), severity))
    return out


def _by_rule(rule: str, name: str, before: Any, after: Any, b: StudySummary) -> list[LoggedChange]:
    if rule == "results":
        return _results(bool(before), bool(after), b.results_first_posted)
    if before == after:
        return []
    if rule == "status":
        return [LoggedChange(name, before, after, status_severity(after))]
    if rule == "enrollment":
        return [LoggedChange(name, show(before), show(after), enrollment_severity(before, after))]
    return [LoggedChange(name, before, after, date_severity(before, after))]


def _results(before: bool, after: bool, first_posted: str | None) -> list[LoggedChange]:
    if before == after:
        return []
    if after:
        posted = f"posted {first_posted}" if first_posted else "posted"
        return [LoggedChange("results", "not posted", posted, "critical")]
    return [LoggedChange("results", "posted", "no longer posted", "notable")]


def show(value: Any) -> str | None:
    """A value as the change log stores it: lists joined with '; ', None kept."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value) if value else ""
    return str(value)
