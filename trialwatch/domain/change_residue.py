"""Pure: what is left of a protocol module once the facts read from it are taken out.

A module read by content (trialwatch.domain.change_protocol) can hold more than its facts
compare (an intervention's description, a site's status, the principal investigator). What is
left is compared as a whole, items matched by what identifies them, so such an edit is still
reported ("edited"), and an item added or removed is not reported twice.
"""

from __future__ import annotations

from typing import Any

from trialwatch.domain.records import canonical_json

_OUTCOMES = (("measure",), ("measure", "timeFrame", "description"))
# {key: None (compared whole) | {nested spec} | (identifying fields, compared fields) for a list}
READ: dict[str, dict[str, Any]] = {
    "outcomesModule": {"primaryOutcomes": _OUTCOMES, "secondaryOutcomes": _OUTCOMES,
                       "otherOutcomes": _OUTCOMES},
    "armsInterventionsModule": {
        "armGroups": (("label",), ("label", "type", "description", "interventionNames")),
        "interventions": (("type", "name"), ("type", "name")),
    },
    "eligibilityModule": dict.fromkeys(("eligibilityCriteria", "sex", "minimumAge", "maximumAge",
                                        "healthyVolunteers", "stdAges")),
    "designModule": {
        **dict.fromkeys(("phases", "studyType", "enrollmentInfo")),  # summary fields
        "designInfo": {**dict.fromkeys(("allocation", "interventionModel", "primaryPurpose",
                                        "observationalModel", "timePerspective")),
                       "maskingInfo": {"masking": None}},
    },
    "contactsLocationsModule": {
        "locations": (("facility", "city", "country"), ("facility", "city", "country")),
    },
}  # fmt: skip


def residue_differs(module: str, old: Any, new: Any) -> bool:
    """Whether the module differs outside what its facts compare."""
    spec = READ.get(module)
    if spec is None:
        return False
    a, b = _residue(old, spec), _residue(new, spec)
    return canonical_json(_shared(a, b)) != canonical_json(_shared(b, a))


def _residue(value: Any, spec: dict[str, Any]) -> Any:
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        rule = spec.get(key, ...)
        if rule is ...:
            out[key] = item
        elif isinstance(rule, dict):
            out[key] = _residue(item, rule)
        elif isinstance(rule, tuple):
            out[key] = _items(item, *rule)
    return out


def _items(items: Any, identity: tuple[str, ...], compared: tuple[str, ...]) -> dict[str, Any]:
    """{identity: what else the item holds}, with a "#n" for an identity seen again."""
    out: dict[str, Any] = {}
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        key = canonical_json([" ".join(str(item.get(f) or "").split()).casefold()
                              for f in identity])  # fmt: skip
        while key in out:
            key += "#"
        out[key] = {k: v for k, v in item.items() if k not in compared}
    return {"items": out}


def _shared(value: Any, other: Any) -> Any:
    """`value` with list items kept only where `other` has an item of the same identity (an
    item, or a whole list, only one version has is a fact already reported)."""
    if _is_items(value):
        theirs = other["items"] if _is_items(other) else {}
        return {k: v for k, v in value["items"].items() if k in theirs}
    if isinstance(value, dict):
        mine = {k: _shared(v, (other or {}).get(k) if isinstance(other, dict) else None)
                for k, v in value.items()}  # fmt: skip
        return {k: v for k, v in mine.items() if v != {} or not _is_items(value[k])}
    return value


def _is_items(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"items"}
