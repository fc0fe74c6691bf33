"""Defensive readers and the shapes every results module shares (groups, denominators).

Nothing here raises on a strange record: a missing or wrongly shaped piece reads as empty.
Registered values stay verbatim strings ("NA", "<0.001", "7.0").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from trialwatch.domain.raw import obj, objs

__all__ = ["obj", "objs"]  # shared by every results module, with the readers below

RESULTS = "resultsSection"


class AsDict:
    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (nested tuples become lists)."""
        return jsonable(dataclasses.asdict(self))  # type: ignore[call-overload,no-any-return]


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def text(value: dict[str, Any], key: str) -> str | None:
    """A registered value as the registry wrote it (numbers as their text)."""
    item = value.get(key)
    kind = type(item)  # exact types (decoded JSON has no subclasses; bool is not a number here)
    if kind is str:
        return item
    if kind is int or kind is float:
        return str(item)
    return None


def count(value: dict[str, Any], key: str) -> int | None:
    item = value.get(key)
    if isinstance(item, int) and not isinstance(item, bool):
        return item
    if isinstance(item, str) and item.isdigit():
        return int(item)
    return None


def flag(value: dict[str, Any], key: str) -> bool | None:
    item = value.get(key)
    return item if isinstance(item, bool) else None


def texts(value: dict[str, Any], key: str) -> tuple[str, ...]:
    items = value.get(key)
    return tuple(i for i in items if isinstance(i, str)) if isinstance(items, list) else ()


@dataclass(frozen=True)
class Group(AsDict):
    id: str
    title: str | None
    description: str | None


@dataclass(frozen=True)
class GroupValue(AsDict):
    """One group's entry in a denominator, milestone or drop-out reason (verbatim text)."""

    group_id: str
    value: str | None
    comment: str | None = None
    units: str | None = None  # numUnits: clusters, clinics, eyes... beside the people


@dataclass(frozen=True)
class Denom(AsDict):
    units: str | None  # "Participants", or the unit analysed ("Clinics", "Eyes")
    counts: tuple[GroupValue, ...]

    def count_for(self, group_id: str) -> GroupValue | None:
        return next((c for c in self.counts if c.group_id == group_id), None)


def groups(module: dict[str, Any]) -> tuple[Group, ...]:
    return tuple(
        Group(g["id"], text(g, "title"), text(g, "description"))
        for g in objs(module, "groups")
        if isinstance(g.get("id"), str)
    )


def group_values(items: list[dict[str, Any]], value_key: str) -> tuple[GroupValue, ...]:
    return tuple(
        GroupValue(i["groupId"], text(i, value_key), text(i, "comment"), text(i, "numUnits"))
        for i in items
        if isinstance(i.get("groupId"), str)
    )


def denoms(value: dict[str, Any]) -> tuple[Denom, ...]:
    return tuple(
        Denom(text(d, "units"), group_values(objs(d, "counts"), "value"))
        for d in objs(value, "denoms")
    )


def group_title(groups_: tuple[Group, ...], group_id: str) -> str:
    """A group's name as registered (its id when it has none)."""
    return next((g.title or g.id for g in groups_ if g.id == group_id), group_id)
