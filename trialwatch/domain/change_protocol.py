"""Pure: what changed in the protocol, named by its content.

Outcomes (primary, secondary, other) matched by their measure's text: replaced, added or removed
with old and new titles and time frames, or a time frame edited. Arms and interventions added,
removed or renamed; eligibility edited (the lines that changed); design changes (allocation,
masking, model...); locations added or removed, as counts. A primary outcome's change is rated by
trialwatch.domain.change_rules.primary_outcome_rating; everything else here is minor.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.change_rules import primary_outcome_rating
from trialwatch.domain.raw import obj, objs, same_text, text, texts

OUTCOME_LISTS = {"primaryOutcomes": "primary", "secondaryOutcomes": "secondary",
                 "otherOutcomes": "other"}  # fmt: skip
ELIGIBILITY = {"sex": "eligibility_sex", "minimumAge": "eligibility_minimum_age",
               "maximumAge": "eligibility_maximum_age",
               "healthyVolunteers": "eligibility_healthy_volunteers"}  # fmt: skip
DESIGN = {("allocation",): "design_allocation", ("interventionModel",): "design_model",
          ("primaryPurpose",): "design_purpose", ("maskingInfo", "masking"): "design_masking",
          ("observationalModel",): "design_observational_model",
          ("timePerspective",): "design_time_perspective"}  # fmt: skip


def diff_protocol(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[LoggedChange]]:
    """{protocol module: its changes} for the modules read by content."""
    a, b = obj(old, "protocolSection"), obj(new, "protocolSection")
    outcomes: list[LoggedChange] = []
    for key, kind in OUTCOME_LISTS.items():
        outcomes += _outcomes(kind, objs(obj(a, "outcomesModule"), key),
                              objs(obj(b, "outcomesModule"), key), b)  # fmt: skip
    arms_a, arms_b = obj(a, "armsInterventionsModule"), obj(b, "armsInterventionsModule")
    return {
        "outcomesModule": outcomes,
        "armsInterventionsModule": _arms(arms_a, arms_b) + _interventions(arms_a, arms_b),
        "eligibilityModule": _eligibility(obj(a, "eligibilityModule"), obj(b, "eligibilityModule")),
        "designModule": _design(obj(a, "designModule", "designInfo"),
                                obj(b, "designModule", "designInfo")),
        "contactsLocationsModule": _locations(obj(a, "contactsLocationsModule"),
                                              obj(b, "contactsLocationsModule")),
    }  # fmt: skip


def _measure_key(outcome: dict[str, Any]) -> str:
    return " ".join((text(outcome, "measure") or "").split()).casefold()


def _described(outcome: dict[str, Any]) -> str:
    measure, frame = text(outcome, "measure") or "", text(outcome, "timeFrame")
    return f"{measure} (time frame: {frame})" if frame else measure


def _outcomes(
    kind: str, old: list[dict[str, Any]], new: list[dict[str, Any]], protocol: dict[str, Any]
) -> list[LoggedChange]:
    a = {_measure_key(o): o for o in old}
    b = {_measure_key(o): o for o in new}
    removed = [o for k, o in a.items() if k not in b]
    added = [o for k, o in b.items() if k not in a]
    context, severity = _outcome_rating(kind, protocol)
    out = []
    for before, after in zip(removed, added, strict=False):
        out.append(LoggedChange(f"{kind}_outcome_replaced", _described(before),
                                _described(after), severity, context))  # fmt: skip
    pairs = min(len(removed), len(added))
    out += [LoggedChange(f"{kind}_outcome_removed", _described(o), None, severity, context)
            for o in removed[pairs:]]  # fmt: skip
    out += [LoggedChange(f"{kind}_outcome_added", None, _described(o), severity, context)
            for o in added[pairs:]]  # fmt: skip
    for key in (k for k in b if k in a):  # the new version's order: a set's would vary by run
        before_text, after_text = text(a[key], "description"), text(b[key], "description")
        if not same_text(before_text, after_text):
            where = {**(context or {}), "outcome": text(b[key], "measure") or ""}
            out.append(
                LoggedChange(f"{kind}_outcome_description", before_text, after_text, "minor", where)
            )
        old_frame, new_frame = text(a[key], "timeFrame"), text(b[key], "timeFrame")
        if not same_text(old_frame, new_frame):
            where = {**(context or {}), "outcome": text(b[key], "measure") or ""}
            out.append(
                LoggedChange(f"{kind}_outcome_time_frame", old_frame, new_frame, severity, where)
            )
    return out


def _outcome_rating(kind: str, protocol: dict[str, Any]) -> tuple[dict[str, str] | None, str]:
    """(context with the flag, severity): the primary-outcome rule, or minor for the others."""
    if kind != "primary":
        return None, "minor"
    status = obj(protocol, "statusModule")
    changed_on = text(obj(status, "lastUpdatePostDateStruct"), "date") or text(
        status, "lastUpdateSubmitDate"
    )
    rating = primary_outcome_rating(
        changed_on,
        text(obj(status, "startDateStruct"), "date"),
        text(obj(status, "primaryCompletionDateStruct"), "date"),
    )
    if rating.flag is None:
        return None, rating.severity
    context = {"flag": rating.flag, "reference_date": rating.reference or "",
               "changed_on": changed_on or ""}  # fmt: skip
    return context, rating.severity


def _arms(a: dict[str, Any], b: dict[str, Any]) -> list[LoggedChange]:
    old = {text(g, "label") or "": g for g in objs(a, "armGroups")}
    new = {text(g, "label") or "": g for g in objs(b, "armGroups")}
    gone = [k for k in old if k not in new]
    came = [k for k in new if k not in old]
    out = []
    for label in list(gone):  # same type and interventions under a new label: a rename
        match = next((c for c in came if _arm_body(old[label]) == _arm_body(new[c])), None)
        if match is not None:
            out.append(LoggedChange("arm_renamed", label, match, "minor"))
            gone.remove(label)
            came.remove(match)
    out += [LoggedChange("arm_removed", _arm(old[k]), None, "minor") for k in gone]
    out += [LoggedChange("arm_added", None, _arm(new[k]), "minor") for k in came]
    for label in (k for k in new if k in old):  # the new version's order, as above
        if not same_text(text(old[label], "description"), text(new[label], "description")):
            out.append(LoggedChange("arm_description", text(old[label], "description"),
                                    text(new[label], "description"), "minor",
                                    {"group": label}))  # fmt: skip
    return out


def _arm_body(arm: dict[str, Any]) -> tuple[Any, ...]:
    return (text(arm, "type"), sorted(texts(arm, "interventionNames")))


def _arm(arm: dict[str, Any]) -> str:
    kind = text(arm, "type")
    return (text(arm, "label") or "") + (f" ({kind})" if kind else "")


def _interventions(a: dict[str, Any], b: dict[str, Any]) -> list[LoggedChange]:
    def named(module: dict[str, Any]) -> dict[str, str]:
        out = {}
        for i in objs(module, "interventions"):
            kind, name = text(i, "type"), text(i, "name") or ""
            out[f"{kind}: {name}" if kind else name] = name
        return out

    old, new = named(a), named(b)
    return [LoggedChange("intervention_removed", k, None, "minor") for k in old if k not in new] + [
        LoggedChange("intervention_added", None, k, "minor") for k in new if k not in old
    ]


def _eligibility(a: dict[str, Any], b: dict[str, Any]) -> list[LoggedChange]:
    out = []
    before, after = text(a, "eligibilityCriteria"), text(b, "eligibilityCriteria")
    if not same_text(before, after):
        removed, added = _changed_lines(before or "", after or "")
        out.append(LoggedChange("eligibility_criteria", removed, added, "minor"))
    for key, field in ELIGIBILITY.items():
        if text(a, key) != text(b, key):
            out.append(LoggedChange(field, text(a, key), text(b, key), "minor"))
    if texts(a, "stdAges") != texts(b, "stdAges"):
        out.append(LoggedChange("eligibility_ages", "; ".join(texts(a, "stdAges")),
                                "; ".join(texts(b, "stdAges")), "minor"))  # fmt: skip
    return out


def _changed_lines(before: str, after: str) -> tuple[str | None, str | None]:
    """The sentences taken out and put in (the text around them is unchanged); sentences, not
    lines, so text wrapped or laid out differently is no edit."""
    old, new = _sentences(before), _sentences(after)
    gone, came = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
        if tag != "equal":
            gone += old[i1:i2]
            came += new[j1:j2]
    return ("\n".join(gone) or None), ("\n".join(came) or None)


def _sentences(text: str) -> list[str]:
    parts = re.split(r"\n\s*\n|\n\s*(?=[-*•]|\d+[.)])|(?<=[.;:!?])\s+", text)
    return [" ".join(p.split()).lstrip("-*• ") for p in parts if p and p.strip(" -*•\n")]


def _design(a: dict[str, Any], b: dict[str, Any]) -> list[LoggedChange]:
    out = []
    for path, field in DESIGN.items():
        before, after = text(obj(a, *path[:-1]), path[-1]), text(obj(b, *path[:-1]), path[-1])
        if before != after:
            out.append(LoggedChange(field, before, after, "minor"))
    return out


def _locations(a: dict[str, Any], b: dict[str, Any]) -> list[LoggedChange]:
    def sites(module: dict[str, Any]) -> set[tuple[str | None, ...]]:
        return {(text(s, "facility"), text(s, "city"), text(s, "country"))
                for s in objs(module, "locations")}  # fmt: skip

    old, new = sites(a), sites(b)
    if old == new:
        return []
    added, removed = len(new - old), len(old - new)
    now = f"{_sites(len(new))} ({added} added, {removed} removed)"
    return [LoggedChange("locations", _sites(len(old)), now, "minor")]


def _sites(n: int) -> str:
    return f"{n} site" if n == 1 else f"{n} sites"
