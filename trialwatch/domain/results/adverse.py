"""Adverse events per arm, never pooled: totals, serious and other events, the module's notes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trialwatch.domain.results.read import RESULTS, AsDict, count, obj, objs, text


@dataclass(frozen=True)
class EventGroup(AsDict):
    id: str
    title: str | None
    description: str | None
    deaths_affected: int | None
    deaths_at_risk: int | None
    serious_affected: int | None
    serious_at_risk: int | None
    other_affected: int | None
    other_at_risk: int | None

    @property
    def nobody_at_risk(self) -> bool:
        """No one was counted at risk for serious or other events (0 or not given).

        Such an arm was not monitored as far as the registry shows: its zeros are not
        "no events".
        """
        return not (self.serious_at_risk or self.other_at_risk)


@dataclass(frozen=True)
class EventStat(AsDict):
    group_id: str
    num_events: int | None
    num_affected: int | None
    num_at_risk: int | None


@dataclass(frozen=True)
class AdverseEvent(AsDict):
    term: str | None
    organ_system: str | None
    serious: bool
    assessment_type: str | None
    source_vocabulary: str | None
    stats: tuple[EventStat, ...]
    notes: str | None = None

    def stat_for(self, group_id: str) -> EventStat | None:
        return next((s for s in self.stats if s.group_id == group_id), None)


@dataclass(frozen=True)
class AdverseEvents(AsDict):
    groups: tuple[EventGroup, ...]
    serious: tuple[AdverseEvent, ...]
    other: tuple[AdverseEvent, ...]
    frequency_threshold: str | None
    time_frame: str | None
    description: str | None
    all_cause_mortality_comment: str | None = None

    def vocabularies(self) -> tuple[str, ...]:
        """The source vocabularies the events name (MedDRA 21.0...), in registry order."""
        found = (e.source_vocabulary for e in self.serious + self.other)
        return tuple(dict.fromkeys(v for v in found if v))

    def assessment_types(self) -> tuple[str, ...]:
        found = (e.assessment_type for e in self.serious + self.other)
        return tuple(dict.fromkeys(a for a in found if a))


def _events(module: dict[str, Any], key: str, serious: bool) -> tuple[AdverseEvent, ...]:
    return tuple(
        AdverseEvent(
            term=text(e, "term"),
            organ_system=text(e, "organSystem"),
            serious=serious,
            assessment_type=text(e, "assessmentType"),
            source_vocabulary=text(e, "sourceVocabulary"),
            stats=tuple(
                EventStat(
                    s["groupId"],
                    count(s, "numEvents"),
                    count(s, "numAffected"),
                    count(s, "numAtRisk"),
                )
                for s in objs(e, "stats")
                if isinstance(s.get("groupId"), str)
            ),
            notes=text(e, "notes"),
        )
        for e in objs(module, key)
    )


def _group(g: dict[str, Any]) -> EventGroup:
    return EventGroup(
        id=g["id"],
        title=text(g, "title"),
        description=text(g, "description"),
        deaths_affected=count(g, "deathsNumAffected"),
        deaths_at_risk=count(g, "deathsNumAtRisk"),
        serious_affected=count(g, "seriousNumAffected"),
        serious_at_risk=count(g, "seriousNumAtRisk"),
        other_affected=count(g, "otherNumAffected"),
        other_at_risk=count(g, "otherNumAtRisk"),
    )


def parse_adverse_events(record: Any) -> AdverseEvents | None:
    """Event groups with their totals, serious and other events per group; None if absent."""
    module = obj(record, RESULTS, "adverseEventsModule")
    if not module:
        return None
    return AdverseEvents(
        groups=tuple(
            _group(g) for g in objs(module, "eventGroups") if isinstance(g.get("id"), str)
        ),
        serious=_events(module, "seriousEvents", True),
        other=_events(module, "otherEvents", False),
        frequency_threshold=text(module, "frequencyThreshold"),
        time_frame=text(module, "timeFrame"),
        description=text(module, "description"),
        all_cause_mortality_comment=text(module, "allCauseMortalityComment"),
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
