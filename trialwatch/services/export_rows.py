"""The rows of each export kind, read from the store: one row per natural unit.

A study; an outcome measurement of one arm; an adverse event in one arm; a change; a study in a
search. Columns are named for people. Registry values stay verbatim ("NA" stays "NA", `2019-09`
stays `2019-09`) and adverse events are never pooled across arms. Writing them is
trialwatch.services.exports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialwatch.domain.results import parse_adverse_events, parse_outcomes
from trialwatch.domain.summary import FIELD_LABELS, LIST_JOINERS, LISTED_FIELDS
from trialwatch.services.result_exports import analysis_rows, baseline_rows, measurement_cells
from trialwatch.store.changelog import ChangeQuery, change_log
from trialwatch.store.models import RecordVersion, SearchHit, Study


def _study_rows(session: Session) -> Iterator[dict[str, Any]]:
    for s in session.scalars(select(Study).order_by(Study.nct_id)):
        row: dict[str, Any] = {}
        for name in LISTED_FIELDS:
            value = getattr(s, name)
            if name in LIST_JOINERS:
                value = LIST_JOINERS[name].join(value or [])
            row[FIELD_LABELS[name]] = value
        yield {
            **row,
            "Stored fields": "full record" if s.scope == "full" else "search summary",
            "Registry page": f"https://clinicaltrials.gov/study/{s.nct_id}",
        }


class _Current(NamedTuple):
    nct_id: str
    version_holder: str | None


def _full_records(session: Session, module: str) -> Iterator[tuple[_Current, dict[str, Any]]]:
    """Each study stored in full that has results, with one results module of its current
    version, shaped as a record holding only that module. The database picks the module out
    (JSON path), so only it is decoded: half the cost of an outcomes export was decoding the
    rest of each record."""
    picked = RecordVersion.raw[("resultsSection", module)]
    rows = session.execute(
        select(Study.nct_id, Study.version_holder, picked)
        .join(RecordVersion, RecordVersion.id == Study.current_version_id)
        .where(Study.scope == "full", Study.has_results.is_(True))
        .order_by(Study.nct_id)
        .execution_options(yield_per=200)  # streamed: a store's records never all in memory
    )
    for nct_id, version_holder, value in rows:
        record = {"resultsSection": {module: value}} if isinstance(value, dict) else {}
        yield _Current(nct_id, version_holder), record


def _outcome_rows(session: Session) -> Iterator[dict[str, Any]]:
    for study, raw in _full_records(session, "outcomeMeasuresModule"):
        for number, outcome in enumerate(parse_outcomes(raw), 1):
            groups = {g.id: g.title for g in outcome.groups}
            for m in outcome.measurements:
                row_denoms = outcome.denoms_for_class(m.class_title) or outcome.denoms
                analysed = row_denoms[0].count_for(m.group_id) if row_denoms else None
                yield {
                    "NCT ID": study.nct_id,
                    "Record version": study.version_holder,
                    "Outcome number": number,
                    "Outcome type": outcome.type,
                    "Outcome title": outcome.title,
                    "Time frame": outcome.time_frame,
                    "Unit": outcome.unit,
                    "Measure": outcome.param_type,
                    "Dispersion": outcome.dispersion_type,
                    "Arm ID": m.group_id,
                    "Arm": groups.get(m.group_id),
                    **measurement_cells(m),
                    "Number analysed": analysed.value if analysed else None,
                    "Units analysed": row_denoms[0].units if row_denoms else None,
                }


def _analysis_rows(session: Session) -> Iterator[dict[str, Any]]:
    for study, raw in _full_records(session, "outcomeMeasuresModule"):
        yield from analysis_rows(study.nct_id, study.version_holder, raw)


def _baseline_rows(session: Session) -> Iterator[dict[str, Any]]:
    for study, raw in _full_records(session, "baselineCharacteristicsModule"):
        yield from baseline_rows(study.nct_id, study.version_holder, raw)


def _adverse_event_rows(session: Session) -> Iterator[dict[str, Any]]:
    for study, raw in _full_records(session, "adverseEventsModule"):
        events = parse_adverse_events(raw)
        if events is None:
            continue
        groups = {g.id: g for g in events.groups}
        for event in events.serious + events.other:
            for stat in event.stats:
                group = groups.get(stat.group_id)
                yield {
                    "NCT ID": study.nct_id,
                    "Record version": study.version_holder,
                    "Serious": event.serious,
                    "Event": event.term,
                    "Organ system": event.organ_system,
                    "Arm ID": stat.group_id,
                    "Arm": group.title if group else None,
                    "Participants affected": stat.num_affected,
                    "Participants at risk": stat.num_at_risk,
                    "Events": stat.num_events,
                    "Assessment": event.assessment_type,
                    "Vocabulary": event.source_vocabulary,
                    "Notes": event.notes,
                    "Time frame": events.time_frame,
                }


def _change_rows(session: Session) -> Iterator[dict[str, Any]]:
    for c in change_log(session, ChangeQuery(oldest_first=True)):
        yield {
            "Detected (UTC)": c.detected_at,
            "NCT ID": c.nct_id,
            "Brief title": c.brief_title,
            "Search": c.search_name,
            "Field": c.field,
            "Old value": c.old,
            "New value": c.new,
            "Severity": c.severity,
            "Alert sent (UTC)": c.notified_at,
        }


def _search_hit_rows(session: Session) -> Iterator[dict[str, Any]]:
    rows = session.execute(
        select(SearchHit, Study)
        .outerjoin(Study, Study.nct_id == SearchHit.nct_id)
        .order_by(SearchHit.search_name, SearchHit.nct_id)
    )
    for hit, study in rows:
        yield {
            "Search": hit.search_name,
            "NCT ID": hit.nct_id,
            "Brief title": study.brief_title if study else None,
            "Overall status": study.overall_status if study else None,
            "Phases": ", ".join(study.phases or []) if study else None,
            "Enrollment": study.enrollment if study else None,
            "Has results": study.has_results if study else None,
            "In the search now": hit.present,
            "First seen (UTC)": hit.first_seen,
            "Last seen (UTC)": hit.last_seen,
            "Left the search (UTC)": hit.left_at,
        }


def _related_result_rows(session: Session) -> Iterator[dict[str, Any]]:
    """Each related search's members with posted results and a stored full record."""
    from trialwatch.domain.related import export_rows

    rows = session.execute(
        select(SearchHit.search_name, Study.nct_id, RecordVersion.raw)
        .join(Study, Study.nct_id == SearchHit.nct_id)
        .join(RecordVersion, RecordVersion.id == Study.current_version_id)
        .where(SearchHit.present, Study.has_results.is_(True), RecordVersion.scope == "full")
        .order_by(SearchHit.search_name, Study.nct_id)
    )
    for search, _nct, raw in rows:
        if isinstance(raw, dict):
            yield from ({"Search": search} | row for row in export_rows(raw))


WHAT: dict[str, Callable[[Session], Iterator[dict[str, Any]]]] = {
    "studies": _study_rows,
    "outcomes": _outcome_rows,
    "analyses": _analysis_rows,
    "baseline": _baseline_rows,
    "adverse-events": _adverse_event_rows,
    "changes": _change_rows,
    "search-hits": _search_hit_rows,
    "related-results": _related_result_rows,
}


# the headings an export with no rows still has
EMPTY_COLUMNS = {
    "studies": ["NCT ID", "Brief title", "Overall status", "Phases", "Enrollment"],
    "outcomes": ["NCT ID", "Outcome type", "Outcome title", "Arm", "Value"],
    "analyses": ["NCT ID", "Outcome title", "Groups compared", "Estimate", "p-value"],
    "baseline": ["NCT ID", "Measure", "Arm", "Value", "Number analysed"],
    "adverse-events": ["NCT ID", "Serious", "Event", "Arm", "Participants affected"],
    "changes": ["Detected (UTC)", "NCT ID", "Field", "Old value", "New value", "Severity"],
    "search-hits": ["Search", "NCT ID", "Brief title", "In the search now"],
    "related-results": ["Search", "NCT ID", "Primary outcome", "Groups compared", "Estimate"],
}
