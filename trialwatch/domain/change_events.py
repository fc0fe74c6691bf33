"""Pure: what changed in posted adverse events and participant flow, down to the number.

Adverse events stay per arm (never pooled): an arm's deaths, serious and other totals (affected /
at risk), an event term (matched by term and organ system) that appeared or disappeared with its
counts per arm, or an arm's count for a term. A new death or serious adverse event in an arm is
notable; everything else here is minor. Participant flow: each milestone's (and drop-out
reason's) count per period and arm.
"""

from __future__ import annotations

from typing import Any

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.change_facts import (
    Key,
    affected_rose,
    arm_titles,
    compare_facts,
    count_pair,
    groups_of,
    renames,
    unique_keys,
)
from trialwatch.domain.raw import obj, objs, text

TOTALS = {"deaths": "ae_deaths", "serious": "ae_serious_total", "other": "ae_other_total"}
EVENT_LISTS = {"seriousEvents": "serious", "otherEvents": "other"}


def diff_adverse_events(old: dict[str, Any], new: dict[str, Any]) -> list[LoggedChange]:
    a = obj(old, "resultsSection", "adverseEventsModule")
    b = obj(new, "resultsSection", "adverseEventsModule")
    arms = arm_titles(groups_of(a, "eventGroups"), groups_of(b, "eventGroups"))

    def make(key: Key, before: str | None, after: str | None) -> LoggedChange:
        kind, group = key
        rose = affected_rose(before, after)
        severity = "notable" if kind in ("deaths", "serious") and rose else "minor"
        return LoggedChange(TOTALS[kind], before, after, severity, {"group": group})

    out = renames(arms) + compare_facts(_totals(a, arms.old), _totals(b, arms.new), make)
    old_events, new_events = _events(a, arms.old), _events(b, arms.new)
    for key in list(new_events) + [k for k in old_events if k not in new_events]:
        out += _event_changes(key, old_events.get(key), new_events.get(key))
    return out


def _totals(module: dict[str, Any], titles: dict[str, str]) -> dict[Key, str | None]:
    facts: dict[Key, str | None] = {}
    for group in objs(module, "eventGroups"):
        title = titles.get(text(group, "id") or "", "?")
        for kind in TOTALS:
            pair = count_pair(group.get(f"{kind}NumAffected"), group.get(f"{kind}NumAtRisk"))
            if pair is not None:
                facts[(kind, title)] = pair
    return facts


def _events(module: dict[str, Any], titles: dict[str, str]) -> dict[Key, dict[str, str]]:
    """{(kind, term, organ system): {arm title: 'affected / at risk'}}."""
    items = []
    for list_key, kind in EVENT_LISTS.items():
        for event in objs(module, list_key):
            counts = {
                titles.get(text(s, "groupId") or "", "?"): count_pair(
                    s.get("numAffected"), s.get("numAtRisk")
                )
                or "? / ?"
                for s in objs(event, "stats")
            }
            term = " ".join((text(event, "term") or "").split())
            items.append(((kind, term, text(event, "organSystem") or ""), counts))
    return unique_keys(items)


def _event_changes(
    key: Key, before: dict[str, str] | None, after: dict[str, str] | None
) -> list[LoggedChange]:
    kind, term, organ = key[:3]
    context = {"event": term, **({"organ_system": organ} if organ else {})}
    if before is None or after is None:
        counts = "; ".join(f"{arm}: {n}" for arm, n in (after or before or {}).items())
        field = f"{kind}_event_{'added' if before is None else 'removed'}"
        severity = "notable" if kind == "serious" and before is None else "minor"
        return [LoggedChange(field, counts if after is None else None,
                             counts if before is None else None, severity, context)]  # fmt: skip
    out = []
    for arm in list(after) + [g for g in before if g not in after]:
        old, new = before.get(arm), after.get(arm)
        if old != new:
            severity = "notable" if kind == "serious" and affected_rose(old, new) else "minor"
            out.append(LoggedChange(f"{kind}_event_count", old, new, severity,
                                    {**context, "group": arm}))  # fmt: skip
    return out


def diff_participant_flow(old: dict[str, Any], new: dict[str, Any]) -> list[LoggedChange]:
    a = obj(old, "resultsSection", "participantFlowModule")
    b = obj(new, "resultsSection", "participantFlowModule")
    arms = arm_titles(groups_of(a), groups_of(b))

    def make(key: Key, before: str | None, after: str | None) -> LoggedChange:
        kind, period, step, group = key[:4]
        context = {"period": period, "milestone": step, "group": group}
        return LoggedChange(kind, before, after, "minor", context)

    return renames(arms) + compare_facts(_flow(a, arms.old), _flow(b, arms.new), make)


def _flow(module: dict[str, Any], titles: dict[str, str]) -> dict[Key, str | None]:
    facts: dict[Key, str | None] = {}
    for period in objs(module, "periods"):
        name = text(period, "title") or ""
        for milestone in objs(period, "milestones"):
            for n in objs(milestone, "achievements"):
                arm = titles.get(text(n, "groupId") or "", "?")
                facts[("flow_count", name, text(milestone, "type") or "", arm)] = text(
                    n, "numSubjects"
                )
        for drop in objs(period, "dropWithdraws"):
            for n in objs(drop, "reasons"):
                arm = titles.get(text(n, "groupId") or "", "?")
                facts[("flow_dropout", name, text(drop, "type") or "", arm)] = text(
                    n, "numSubjects"
                )
    return {k: v for k, v in facts.items() if v is not None}
