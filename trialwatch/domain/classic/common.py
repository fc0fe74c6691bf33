"""Shared pieces of the classic mapping: v2's habit of omitting absent keys, and dates."""

from __future__ import annotations

from typing import Any

from trialwatch.domain.classic import vocabulary as v
from trialwatch.domain.classic.tree import Node, iso_date


def compact(**values: Any) -> dict[str, Any]:
    """The given keys whose value is present (v2 omits what a record does not have)."""
    return {k: val for k, val in values.items() if val is not None and val != [] and val != {}}


def date_struct(node: Node, tag: str) -> dict[str, Any] | None:
    """`<start_date type="Actual">July 26, 2004</start_date>` -> {date, type}."""
    found = node.child(tag)
    if found is None:
        return None
    written = found.own_text()
    date = iso_date(written)
    if written and date is None:
        node.problem(f"{found.path}: not a date: {written!r:.60}, left out")
    kind = v.translate(found, f"{found.path}@type", found.attr("type"), v.DATE_TYPE)
    return compact(date=date, type=kind) or None


def plain_date(node: Node, *tags: str) -> str | None:
    """A date with no type (submission dates); older tag names are read as well."""
    for tag in tags:
        found = node.child(tag)
        if found is not None:
            date = iso_date(found.own_text())
            if date is None:
                node.problem(f"{found.path}: not a date: {found.own_text()!r:.60}, left out")
            return date
    return None


def group_ref(node: Node, prefix: str) -> str | None:
    return v.group_id(node, node.attr("group_id"), prefix)


def groups_of(node: Node, prefix: str) -> list[dict[str, Any]]:
    return [
        compact(id=group_ref(g, prefix), title=g.text("title"), description=g.text("description"))
        for g in node.walk("group_list", "group")
    ]
