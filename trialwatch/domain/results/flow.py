"""Participant flow: started / completed / not completed per group per period, with comments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trialwatch.domain.results.read import (
    RESULTS,
    AsDict,
    Group,
    GroupValue,
    group_values,
    groups,
    obj,
    objs,
    text,
)


@dataclass(frozen=True)
class Milestone(AsDict):
    type: str | None  # STARTED, COMPLETED, NOT COMPLETED or the sponsor's own label
    counts: tuple[GroupValue, ...]
    comment: str | None = None

    def count_for(self, group_id: str) -> GroupValue | None:
        return next((c for c in self.counts if c.group_id == group_id), None)


@dataclass(frozen=True)
class FlowPeriod(AsDict):
    title: str | None
    milestones: tuple[Milestone, ...]
    drop_withdraws: tuple[Milestone, ...]  # reasons for not completing, per group

    def milestone(self, kind: str) -> Milestone | None:
        return next((m for m in self.milestones if (m.type or "").upper() == kind), None)


@dataclass(frozen=True)
class ParticipantFlow(AsDict):
    groups: tuple[Group, ...]
    periods: tuple[FlowPeriod, ...]
    recruitment_details: str | None
    pre_assignment_details: str | None
    type_units_analyzed: str | None = None  # counted besides people: "Clinics", "Eyes"


def _period(p: dict[str, Any]) -> FlowPeriod:
    return FlowPeriod(
        title=text(p, "title"),
        milestones=tuple(
            Milestone(
                text(m, "type"),
                group_values(objs(m, "achievements"), "numSubjects"),
                text(m, "comment"),
            )
            for m in objs(p, "milestones")
        ),
        drop_withdraws=tuple(
            Milestone(
                text(d, "type"), group_values(objs(d, "reasons"), "numSubjects"), text(d, "comment")
            )
            for d in objs(p, "dropWithdraws")
        ),
    )


def parse_participant_flow(record: Any) -> ParticipantFlow | None:
    """Started/completed (and drop-out reasons) per group per period; None without a flow."""
    module = obj(record, RESULTS, "participantFlowModule")
    if not module:
        return None
    return ParticipantFlow(
        groups=groups(module),
        periods=tuple(_period(p) for p in objs(module, "periods")),
        recruitment_details=text(module, "recruitmentDetails"),
        pre_assignment_details=text(module, "preAssignmentDetails"),
        type_units_analyzed=text(module, "typeUnitsAnalyzed"),
    )
