"""A related search's trials side by side, from the store: those with posted results (each one's
registered primary analyses), then completed without results, ongoing, and stopped ones.

Rows come from each study's latest stored version: the full record where one is stored (cited
studies, and search hits with posted results that the refresh fetched in full), else the search
summary. Never pooled, never ranked by outcome: trials are listed by id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialwatch.domain.fdaaa import ReportingStatus, registry_facts, reporting_status
from trialwatch.domain.related import ForestRow, RelatedTrial, forest_rows, related_trial
from trialwatch.domain.wording import phase_words
from trialwatch.store.models import RecordVersion, SearchHit, Study

ONGOING = {"RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "ENROLLING_BY_INVITATION"}
STOPPED = {"TERMINATED", "WITHDRAWN", "SUSPENDED"}


@dataclass(frozen=True)
class OtherTrial:
    """A related trial without posted results, from its stored summary fields."""

    nct_id: str
    title: str | None
    phase: str
    status: str | None
    primary_completion: str | None
    primary_completion_type: str | None
    why_stopped: str | None
    reporting: ReportingStatus | None  # results-reporting status, for completed trials


@dataclass(frozen=True)
class RelatedEvidence:
    with_results: list[RelatedTrial]
    forest: list[ForestRow]
    awaiting_full: list[str]  # results posted, full record not stored yet (next refresh)
    completed_without_results: list[OtherTrial]
    ongoing: list[OtherTrial]
    stopped: list[OtherTrial]
    other: list[OtherTrial]  # unknown or other statuses

    @property
    def forest_groups(self) -> list[tuple[str, list[ForestRow]]]:
        """Rows by effect-measure type, in order of first appearance."""
        groups: dict[str, list[ForestRow]] = {}
        for row in self.forest:
            groups.setdefault(row.param_type, []).append(row)
        return list(groups.items())


def related_evidence(session: Session, search_name: str, today: date) -> RelatedEvidence:
    members = session.execute(
        select(Study, RecordVersion.raw, RecordVersion.scope)
        .join(SearchHit, SearchHit.nct_id == Study.nct_id)
        .outerjoin(RecordVersion, RecordVersion.id == Study.current_version_id)
        .where(SearchHit.search_name == search_name, SearchHit.present)
        .order_by(Study.nct_id)
        .execution_options(yield_per=500)  # streamed: each record is read into its row, then freed
    )
    return related_from_rows(((s, raw, scope) for s, raw, scope in members), today)


def related_from_rows(
    members: Iterable[tuple[Study, Any, str | None]], today: date
) -> RelatedEvidence:
    """Pure: the sections from (study row, latest version's raw record, its scope)."""
    with_results: list[RelatedTrial] = []
    forest: list[ForestRow] = []
    awaiting: list[str] = []
    buckets: dict[str, list[OtherTrial]] = {"done": [], "ongoing": [], "stopped": [], "other": []}
    for study, raw, scope in members:
        if study.has_results:
            if scope == "full" and isinstance(raw, dict):
                trial = related_trial(raw)
                with_results.append(trial)
                forest.extend(forest_rows(trial, raw))
            else:
                awaiting.append(study.nct_id)
            continue
        other = _other(study, raw, today)
        status = study.overall_status or ""
        key = (
            "done" if status == "COMPLETED"
            else "ongoing" if status in ONGOING
            else "stopped" if status in STOPPED
            else "other"
        )  # fmt: skip
        buckets[key].append(other)
    return RelatedEvidence(
        with_results=with_results,
        forest=forest,
        awaiting_full=awaiting,
        completed_without_results=buckets["done"],
        ongoing=buckets["ongoing"],
        stopped=buckets["stopped"],
        other=buckets["other"],
    )


def _other(study: Study, raw: Any, today: date) -> OtherTrial:
    reporting = None
    if study.overall_status == "COMPLETED":
        # from the stored version (often the search summary): a field it lacks makes the
        # status say "if covered", never guess
        reporting = reporting_status(registry_facts(raw), today=today)
    return OtherTrial(
        nct_id=study.nct_id,
        title=study.brief_title,
        phase=phase_words(study.phases, study.study_type),
        status=study.overall_status,
        primary_completion=study.primary_completion_date,
        primary_completion_type=study.primary_completion_date_type,
        why_stopped=study.why_stopped,
        reporting=reporting,
    )
