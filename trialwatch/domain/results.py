"""Pure parsing of a record's `resultsSection`: outcomes, participant flow, adverse events.

Like `trialwatch.domain.records`, nothing here raises on a strange record: a missing or wrongly
shaped piece is skipped. Registered values stay verbatim strings ("NA", "NR", "<0.001", "7.0"), so a
value the registry could not estimate is never turned into a number, a blank or "not reached".
Every arm of a measure is kept, whatever its value. Adverse events stay per arm: nothing is pooled.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

RESULTS = "resultsSection"


class _AsDict:
    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (nested tuples become lists)."""
        return _jsonable(dataclasses.asdict(self))  # type: ignore[call-overload,no-any-return]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# -- defensive readers ---------------------------------------------------------------------------
def _obj(value: Any, *path: str) -> dict[str, Any]:
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def _objs(value: Any, key: str) -> list[dict[str, Any]]:
    items = value.get(key) if isinstance(value, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _text(value: dict[str, Any], key: str) -> str | None:
    """A registered value as the registry wrote it (numbers as their text)."""
    item = value.get(key)
    if isinstance(item, str):
        return item
    if isinstance(item, int | float) and not isinstance(item, bool):
        return str(item)
    return None


def _count(value: dict[str, Any], key: str) -> int | None:
    item = value.get(key)
    if isinstance(item, int) and not isinstance(item, bool):
        return item
    if isinstance(item, str) and item.isdigit():
        return int(item)
    return None


def _texts(value: dict[str, Any], key: str) -> tuple[str, ...]:
    items = value.get(key)
    return tuple(i for i in items if isinstance(i, str)) if isinstance(items, list) else ()


# -- shared shapes -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Group(_AsDict):
    id: str
    title: str | None
    description: str | None


@dataclass(frozen=True)
class GroupValue(_AsDict):
    """One group's entry in a denominator, milestone or drop-out reason (verbatim text)."""

    group_id: str
    value: str | None
    comment: str | None = None


def _groups(module: dict[str, Any]) -> tuple[Group, ...]:
    return tuple(
        Group(g["id"], _text(g, "title"), _text(g, "description"))
        for g in _objs(module, "groups")
        if isinstance(g.get("id"), str)
    )


def _group_values(items: list[dict[str, Any]], value_key: str) -> tuple[GroupValue, ...]:
    return tuple(
        GroupValue(i["groupId"], _text(i, value_key), _text(i, "comment"))
        for i in items
        if isinstance(i.get("groupId"), str)
    )


# -- outcome measures ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Denom(_AsDict):
    units: str | None
    counts: tuple[GroupValue, ...]


@dataclass(frozen=True)
class Measurement(_AsDict):
    group_id: str
    class_title: str | None
    category_title: str | None
    value: str | None
    spread: str | None
    lower_limit: str | None
    upper_limit: str | None
    comment: str | None


@dataclass(frozen=True)
class Analysis(_AsDict):
    group_ids: tuple[str, ...]
    method: str | None
    param_type: str | None
    param_value: str | None
    ci_pct: str | None
    ci_sides: str | None
    ci_lower: str | None
    ci_upper: str | None
    p_value: str | None
    p_value_comment: str | None
    non_inferiority_type: str | None
    description: str | None
    estimate_comment: str | None = None
    dispersion_type: str | None = None
    dispersion_value: str | None = None


@dataclass(frozen=True)
class OutcomeMeasure(_AsDict):
    type: str | None
    title: str | None
    description: str | None
    population: str | None
    time_frame: str | None
    unit: str | None
    param_type: str | None
    dispersion_type: str | None
    groups: tuple[Group, ...]
    denoms: tuple[Denom, ...]
    measurements: tuple[Measurement, ...]
    analyses: tuple[Analysis, ...]
    reporting_status: str | None = None

    def rows(self) -> list[tuple[str | None, str | None, dict[str, Measurement]]]:
        """(class title, category title, {group id: measurement}) in registry order.

        A group with no measurement in a row is simply absent from that row's dict, so the
        page shows it as not reported instead of dropping the arm.
        """
        out: dict[tuple[str | None, str | None], dict[str, Measurement]] = {}
        for m in self.measurements:
            out.setdefault((m.class_title, m.category_title), {})[m.group_id] = m
        return [(c, cat, cells) for (c, cat), cells in out.items()]


def _measurements(measure: dict[str, Any]) -> tuple[Measurement, ...]:
    out: list[Measurement] = []
    for klass in _objs(measure, "classes"):
        for category in _objs(klass, "categories"):
            out.extend(
                Measurement(
                    group_id=m["groupId"],
                    class_title=_text(klass, "title"),
                    category_title=_text(category, "title"),
                    value=_text(m, "value"),
                    spread=_text(m, "spread"),
                    lower_limit=_text(m, "lowerLimit"),
                    upper_limit=_text(m, "upperLimit"),
                    comment=_text(m, "comment"),
                )
                for m in _objs(category, "measurements")
                if isinstance(m.get("groupId"), str)
            )
    return tuple(out)


def _analysis(a: dict[str, Any]) -> Analysis:
    return Analysis(
        group_ids=_texts(a, "groupIds"),
        method=_text(a, "statisticalMethod"),
        param_type=_text(a, "paramType"),
        param_value=_text(a, "paramValue"),
        ci_pct=_text(a, "ciPctValue"),
        ci_sides=_text(a, "ciNumSides"),
        ci_lower=_text(a, "ciLowerLimit"),
        ci_upper=_text(a, "ciUpperLimit"),
        p_value=_text(a, "pValue"),
        p_value_comment=_text(a, "pValueComment"),
        non_inferiority_type=_text(a, "nonInferiorityType"),
        description=_text(a, "groupDescription"),
        estimate_comment=_text(a, "estimateComment"),
        dispersion_type=_text(a, "dispersionType"),
        dispersion_value=_text(a, "dispersionValue"),
    )


def parse_outcomes(record: Any) -> list[OutcomeMeasure]:
    """Every posted outcome measure, primary first as the registry lists them."""
    module = _obj(record, RESULTS, "outcomeMeasuresModule")
    return [
        OutcomeMeasure(
            type=_text(m, "type"),
            title=_text(m, "title"),
            description=_text(m, "description"),
            population=_text(m, "populationDescription"),
            time_frame=_text(m, "timeFrame"),
            unit=_text(m, "unitOfMeasure"),
            param_type=_text(m, "paramType"),
            dispersion_type=_text(m, "dispersionType"),
            groups=_groups(m),
            denoms=tuple(
                Denom(_text(d, "units"), _group_values(_objs(d, "counts"), "value"))
                for d in _objs(m, "denoms")
            ),
            measurements=_measurements(m),
            analyses=tuple(_analysis(a) for a in _objs(m, "analyses")),
            reporting_status=_text(m, "reportingStatus"),
        )
        for m in _objs(module, "outcomeMeasures")
    ]


# -- participant flow ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Milestone(_AsDict):
    type: str | None  # STARTED, COMPLETED, NOT COMPLETED or the sponsor's own label
    counts: tuple[GroupValue, ...]


@dataclass(frozen=True)
class FlowPeriod(_AsDict):
    title: str | None
    milestones: tuple[Milestone, ...]
    drop_withdraws: tuple[Milestone, ...]  # reasons for not completing, per group


@dataclass(frozen=True)
class ParticipantFlow(_AsDict):
    groups: tuple[Group, ...]
    periods: tuple[FlowPeriod, ...]
    recruitment_details: str | None
    pre_assignment_details: str | None

    def group_title(self, group_id: str) -> str:
        return next((g.title or g.id for g in self.groups if g.id == group_id), group_id)


def parse_participant_flow(record: Any) -> ParticipantFlow | None:
    """Started/completed (and drop-out reasons) per group per period; None without a flow."""
    module = _obj(record, RESULTS, "participantFlowModule")
    if not module:
        return None
    periods = tuple(
        FlowPeriod(
            title=_text(p, "title"),
            milestones=tuple(
                Milestone(_text(m, "type"), _group_values(_objs(m, "achievements"), "numSubjects"))
                for m in _objs(p, "milestones")
            ),
            drop_withdraws=tuple(
                Milestone(_text(d, "type"), _group_values(_objs(d, "reasons"), "numSubjects"))
                for d in _objs(p, "dropWithdraws")
            ),
        )
        for p in _objs(module, "periods")
    )
    return ParticipantFlow(
        groups=_groups(module),
        periods=periods,
        recruitment_details=_text(module, "recruitmentDetails"),
        pre_assignment_details=_text(module, "preAssignmentDetails"),
    )


# -- adverse events ------------------------------------------------------------------------------
@dataclass(frozen=True)
class EventGroup(_AsDict):
    id: str
    title: str | None
    description: str | None
    deaths_affected: int | None
    deaths_at_risk: int | None
    serious_affected: int | None
    serious_at_risk: int | None
    other_affected: int | None
    other_at_risk: int | None


@dataclass(frozen=True)
class EventStat(_AsDict):
    group_id: str
    num_events: int | None
    num_affected: int | None
    num_at_risk: int | None


@dataclass(frozen=True)
class AdverseEvent(_AsDict):
    term: str | None
    organ_system: str | None
    serious: bool
    assessment_type: str | None
    source_vocabulary: str | None
    stats: tuple[EventStat, ...]

    def stat_for(self, group_id: str) -> EventStat | None:
        return next((s for s in self.stats if s.group_id == group_id), None)


@dataclass(frozen=True)
class AdverseEvents(_AsDict):
    groups: tuple[EventGroup, ...]
    serious: tuple[AdverseEvent, ...]
    other: tuple[AdverseEvent, ...]
    frequency_threshold: str | None
    time_frame: str | None
    description: str | None


def _events(module: dict[str, Any], key: str, serious: bool) -> tuple[AdverseEvent, ...]:
    return tuple(
        AdverseEvent(
            term=_text(e, "term"),
            organ_system=_text(e, "organSystem"),
            serious=serious,
            assessment_type=_text(e, "assessmentType"),
            source_vocabulary=_text(e, "sourceVocabulary"),
            stats=tuple(
                EventStat(
                    s["groupId"],
                    _count(s, "numEvents"),
                    _count(s, "numAffected"),
                    _count(s, "numAtRisk"),
                )
                for s in _objs(e, "stats")
                if isinstance(s.get("groupId"), str)
            ),
        )
        for e in _objs(module, key)
    )


def parse_adverse_events(record: Any) -> AdverseEvents | None:
    """Event groups with their totals, serious and other events per group; None if absent."""
    module = _obj(record, RESULTS, "adverseEventsModule")
    if not module:
        return None
    groups = tuple(
        EventGroup(
            id=g["id"],
            title=_text(g, "title"),
            description=_text(g, "description"),
            deaths_affected=_count(g, "deathsNumAffected"),
            deaths_at_risk=_count(g, "deathsNumAtRisk"),
            serious_affected=_count(g, "seriousNumAffected"),
            serious_at_risk=_count(g, "seriousNumAtRisk"),
            other_affected=_count(g, "otherNumAffected"),
            other_at_risk=_count(g, "otherNumAtRisk"),
        )
        for g in _objs(module, "eventGroups")
        if isinstance(g.get("id"), str)
    )
    return AdverseEvents(
        groups=groups,
        serious=_events(module, "seriousEvents", True),
        other=_events(module, "otherEvents", False),
        frequency_threshold=_text(module, "frequencyThreshold"),
        time_frame=_text(module, "timeFrame"),
        description=_text(module, "description"),
    )


def most_frequent_events(
    events: AdverseEvents, limit: int = 5
) -> dict[str, list[tuple[AdverseEvent, EventStat]]]:
    """Per event group (arm), its events with the most people affected; never pooled.

    Ties keep the registry's order; events nobody in that arm had are left out.
    """
    out: dict[str, list[tuple[AdverseEvent, EventStat]]] = {}
    for group in events.groups:
        pairs = [
            (event, stat)
            for event in events.serious + events.other
            if (stat := event.stat_for(group.id)) is not None and (stat.num_affected or 0) > 0
        ]
        pairs.sort(key=lambda pair: -(pair[1].num_affected or 0))
        out[group.id] = pairs[:limit]
    return out
