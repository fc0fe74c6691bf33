"""Reported adverse events of a classic record as API v2's `adverseEventsModule`.

Each event keeps one count per group; the classic "Total" rows become each group's own totals
(deaths, serious, other), so nothing is pooled across groups.
"""

from __future__ import annotations

import re
from typing import Any

from trialwatch.domain.classic import vocabulary as v
from trialwatch.domain.classic.common import compact, group_ref, groups_of
from trialwatch.domain.classic.tree import Node

EVENT = "EG"
# The "Total" category of reported events carries each group's totals, not an event.
_TOTALS = {
    "Total, all-cause mortality": "deaths",
    "Total, serious adverse events": "serious",
    "Total, other adverse events": "other",
}


def adverse_events(node: Node | None) -> dict[str, Any] | None:
    if node is None:
        return None
    groups = {g["id"]: g for g in groups_of(node, EVENT) if "id" in g}
    serious = _events(node.child("serious_events"), groups, "serious")
    other = _events(node.child("other_events"), groups, "other")
    other_node = node.child("other_events")
    return compact(
        frequencyThreshold=other_node.text("frequency_threshold") if other_node else None,
        timeFrame=node.text("time_frame"),
        description=node.text("desc"),
        eventGroups=list(groups.values()),
        seriousEvents=serious,
        otherEvents=other,
    )


def _events(node: Node | None, groups: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """Events of one kind; the "Total" rows fill in each group's own totals."""
    if node is None:
        return []
    vocab, assessment = node.text("default_vocab"), node.text("default_assessment")
    out = []
    for category in node.walk("category_list", "category"):
        organ = category.text("title")
        for event in category.walk("event_list", "event"):
            term_node = event.child("sub_title")
            term = term_node.own_text() if term_node is not None else None
            stats = [_stat(c) for c in event.children("counts")]
            if organ == "Total" and term in _TOTALS:
                _totals(groups, _TOTALS[term], stats)
                continue
            own_vocab = term_node.attr("vocab") if term_node is not None else None
            out.append(compact(
                term=term,
                organSystem=organ,
                sourceVocabulary=own_vocab or vocab,
                assessmentType=v.translate(event, f"{event.path}/assessment",
                                           event.text("assessment") or assessment, v.ASSESSMENT),
                notes=event.text("description"),
                stats=stats,
            ))  # fmt: skip
    return out


def _stat(counts: Node) -> dict[str, Any]:
    return compact(
        groupId=group_ref(counts, EVENT),
        numEvents=_int(counts, "events"),
        numAffected=_int(counts, "subjects_affected"),
        numAtRisk=_int(counts, "subjects_at_risk"),
    )


def _int(node: Node, name: str) -> int | None:
    value = node.attr(name)
    if value is None:
        return None
    if not re.fullmatch(r"\d+", value):
        node.problem(f"{node.path}@{name}: not a whole number: {value!r:.40}, left out")
        return None
    return int(value)


def _totals(groups: dict[str, Any], kind: str, stats: list[dict[str, Any]]) -> None:
    for stat in stats:
        if "groupId" not in stat:
            continue
        group = groups.setdefault(stat["groupId"], {"id": stat["groupId"]})
        if "numAffected" in stat:
            group[f"{kind}NumAffected"] = stat["numAffected"]
        if "numAtRisk" in stat:
            group[f"{kind}NumAtRisk"] = stat["numAtRisk"]
