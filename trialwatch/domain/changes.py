"""Pure: the changes of a study between two versions of its record, each with a severity.

The pieces, by topic: summary fields (change_summary), protocol content (change_protocol),
posted results (change_outcomes, change_events), severity rules (change_rules). A module read by
content whose content changed without any fact found is still reported, as edited, so nothing is
missed. Differences only in `derivedSection` are not changes of the study.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.change_events import diff_adverse_events, diff_participant_flow
from trialwatch.domain.change_outcomes import diff_outcome_measures
from trialwatch.domain.change_protocol import diff_protocol
from trialwatch.domain.change_residue import residue_differs
from trialwatch.domain.change_summary import diff_summary
from trialwatch.domain.dates import to_date
from trialwatch.domain.normalize import normalize_pair, normalize_text
from trialwatch.domain.records import canonical_json, parse_study
from trialwatch.domain.severity import SEVERITIES, severity_rank

__all__ = ["SEVERITIES", "LoggedChange", "diff_records", "severity_rank", "to_date"]
# Protocol modules, or their keys, that the summary fields already compare.
_SUMMARY_MODULES = {"identificationModule", "statusModule", "sponsorCollaboratorsModule",
                    "conditionsModule"}  # fmt: skip
_SUMMARY_KEYS = {"designModule": ("phases", "studyType", "enrollmentInfo")}
_RESULTS: dict[str, Callable[[dict[str, Any], dict[str, Any]], list[LoggedChange]]] = {
    "outcomeMeasuresModule": diff_outcome_measures,
    "adverseEventsModule": diff_adverse_events,
    "participantFlowModule": diff_participant_flow,
}
# Values that are extracts of a text (the lines that changed), taken from the normal form.
_EXTRACTS = {"eligibility_criteria"}
# The severity of an edit found only as "edited": protocol and other sections minor; posted
# results (baseline characteristics, more information) notable.
_EDITED = {"protocolSection": "minor", "resultsSection": "notable",
           "documentSection": "minor", "annotationSection": "minor"}  # fmt: skip


def diff_records(
    old: dict[str, Any], new: dict[str, Any], *, references: bool = True
) -> list[LoggedChange]:
    """Changes of the study between two versions (derived metadata is ignored).

    Found on both versions' normal form (domain.normalize), so format (classic XML, history
    HTML, markdown) is no change; each change keeps its values as registered.
    `references=False` leaves references out (between registry history versions).
    """
    raw = _facts(old, new)
    if not raw:
        return []
    found = _facts(*normalize_pair(old, new, references=references))
    return _as_registered(found, raw)


def _facts(old: dict[str, Any], new: dict[str, Any]) -> list[LoggedChange]:
    out = diff_summary(parse_study(old), parse_study(new))
    by_content = {("protocolSection", m): facts for m, facts in diff_protocol(old, new).items()}
    if _as_dict(old.get("resultsSection")) and _as_dict(new.get("resultsSection")):
        by_content |= {("resultsSection", m): fn(old, new) for m, fn in _RESULTS.items()}
    for facts in by_content.values():
        out += facts
    out += _edited(old, new, by_content)
    return _once(out)


def _as_registered(found: list[LoggedChange], raw: list[LoggedChange]) -> list[LoggedChange]:
    """Each fact found on the normal forms, with its values and context as registered: the raw
    fact that is the same once normalised (the same field, context and, if need be, values)."""
    exact: dict[tuple[Any, ...], LoggedChange] = {}
    loose: dict[tuple[Any, ...], LoggedChange] = {}
    for c in raw:
        exact.setdefault(_normal_key(c, values=True), c)
        loose.setdefault(_normal_key(c, values=False), c)
    out = []
    for c in found:
        if c.field in _EXTRACTS:  # lines picked out of a text: the normal form's are the edit
            out.append(c)
            continue
        match = exact.get(_normal_key(c, values=True)) or loose.get(_normal_key(c, values=False))
        out.append(replace(c, old=match.old, new=match.new, context=match.context) if match else c)
    return out


def _normal_key(change: LoggedChange, *, values: bool) -> tuple[Any, ...]:
    context = tuple(sorted((k, normalize_text(v)) for k, v in (change.context or {}).items()))
    if not values:
        return (change.field, context)
    return (
        change.field,
        context,
        normalize_text(change.old or ""),
        normalize_text(change.new or ""),
    )


def _edited(
    old: dict[str, Any], new: dict[str, Any], by_content: dict[tuple[str, str], list[LoggedChange]]
) -> list[LoggedChange]:
    """A module whose content changed with no fact found for it, or, where facts were found,
    outside what they compare (trialwatch.domain.change_residue)."""
    out = []
    for section, severity in _EDITED.items():
        a, b = _as_dict(old.get(section)), _as_dict(new.get(section))
        if section == "resultsSection" and not (a and b):
            continue  # posting or removing results is reported as `results`
        for module in sorted(set(a) | set(b)):
            if section == "protocolSection" and module in _SUMMARY_MODULES:
                continue
            if a.get(module) == b.get(module):  # equal as decoded: no edit (and no need to
                continue  # canonicalise both, the cost of a diff for most modules)
            if by_content.get((section, module)):  # facts found: is anything else edited?
                edited = section == "protocolSection" and residue_differs(
                    module, a.get(module), b.get(module)
                )
            else:
                skip = _SUMMARY_KEYS.get(module, ()) if section == "protocolSection" else ()
                edited = _content(a.get(module), skip) != _content(b.get(module), skip)
            if edited:
                state = "added" if module not in a else "removed" if module not in b else "edited"
                out.append(LoggedChange(f"{section}.{module}", None, state, severity))
    return out


def _content(module: Any, skip: tuple[str, ...]) -> str:
    """The module's content regardless of list order (a reordered list is not an edit)."""
    if isinstance(module, dict) and skip:
        module = {k: v for k, v in module.items() if k not in skip}
    return canonical_json(_unordered(module))


def _unordered(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _unordered(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted(canonical_json(_unordered(v)) for v in value)
    return value


def _once(changes: list[LoggedChange]) -> list[LoggedChange]:
    """Each fact once (an arm renamed in several results modules is one change)."""
    seen: set[str] = set()
    out = []
    for c in changes:
        key = canonical_json([c.field, c.old, c.new, c.context])
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
