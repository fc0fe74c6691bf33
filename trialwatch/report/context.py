"""Reads the store (and the config's citations) into the plain data the report templates show.

The only module of the report that touches the database. Every number it hands on comes from a
stored record version, named with its `versionHolder` and trialwatch version number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trialwatch.config import Config, SearchConfig, StudyConfig
from trialwatch.domain.change import LoggedChange
from trialwatch.domain.health import Freshness, freshness
from trialwatch.domain.pages import STUDY_PAGE, search_page_names
from trialwatch.report import evidence
from trialwatch.report.related import RelatedEvidence, related_evidence
from trialwatch.report.study import CitedStudy, VersionInfo, cited_study
from trialwatch.store import engine as store
from trialwatch.store.changelog import logged
from trialwatch.store.models import Change, RecordVersion, SearchHit, SearchState, Study
from trialwatch.store.runlog import since_last_success
from trialwatch.store.versions import study_flags

RECENT_DAYS = 90
__all__ = [
    "CitedStudy", "Provenance", "ReportContext", "SearchReport", "VersionInfo",
    "build_context", "cited_study", "search_report",
]  # fmt: skip


@dataclass(frozen=True)
class Provenance:
    rendered_at: datetime
    fetched_at: datetime | None  # end of the last successful refresh
    data_timestamp: str | None  # the registry's /version dataTimestamp at that refresh
    api_version: str | None
    previous_report_at: datetime | None
    freshness: Freshness | None = None  # None: not read from a store (fixed inputs)


@dataclass(frozen=True)
class SearchReport:
    config: SearchConfig
    filename: str
    total_count: int | None  # what the registry said the search matched
    capped: bool
    last_success_at: datetime | None
    evidence: evidence.SearchEvidence
    changes_since_previous: list[LoggedChange]
    related: RelatedEvidence | None = None  # None: not read from a store (fixed inputs)


@dataclass(frozen=True)
class ReportContext:
    title: str
    provenance: Provenance
    studies: list[CitedStudy]
    searches: list[SearchReport]
    changes_since_previous: list[LoggedChange]
    last_change_id: int | None
    recent_days: int = RECENT_DAYS


def build_context(
    session: Session, config: Config, now: datetime, *, again: bool = False
) -> ReportContext:
    """Everything the pages show. `again`: the last report once more (for its stale-data
    banner), compared with the same previous report as it was."""
    previous = store.last_report(session, skip=1 if again else 0)
    since_id = (previous.last_change_id or 0) if previous else 0
    last_ok = store.last_successful_run(session)
    provenance = Provenance(
        rendered_at=now,
        fetched_at=last_ok.finished_at if last_ok else None,
        data_timestamp=last_ok.data_timestamp if last_ok else None,
        api_version=last_ok.api_version if last_ok else None,
        previous_report_at=previous.rendered_at if previous else None,
        freshness=freshness(since_last_success(session), now, config.report.stale_after_days),
    )
    last_change_id = session.scalar(select(func.max(Change.id)))
    new_changes = _changes(session, Change.id > since_id)
    recent = _changes(  # only the study pages show these
        session,
        Change.detected_at >= now - timedelta(days=RECENT_DAYS),
        Change.nct_id.in_(config.cited_ids),
    )
    studies = [_cited(session, cited, new_changes, recent, now.date()) for cited in config.studies]
    pages = search_page_names(s.name for s in config.searches)
    searches = [
        _search(session, search, pages[search.name], new_changes, now.date())
        for search in config.searches
    ]
    cited_ids = set(config.cited_ids)
    return ReportContext(
        title=config.report.title,
        provenance=provenance,
        studies=studies,
        searches=searches,
        changes_since_previous=[c for c in new_changes if c.nct_id in cited_ids],
        last_change_id=last_change_id,
    )


def _changes(session: Session, *conditions: Any) -> list[LoggedChange]:
    holder = (
        select(RecordVersion.version_holder)
        .where(RecordVersion.id == Change.to_version_id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Change, holder).where(*conditions).order_by(Change.id.desc())
    ).all()
    return [logged(c, version_holder=vh) for c, vh in rows]


def _cited(
    session: Session,
    cited: StudyConfig,
    new_changes: list[LoggedChange],
    recent: list[LoggedChange],
    today: date,
) -> CitedStudy:
    row = session.get(Study, cited.nct_id)
    version = (
        session.get(RecordVersion, row.current_version_id)
        if row and row.current_version_id
        else None
    )
    if row is None or version is None or version.scope != "full":
        return CitedStudy(cited, STUDY_PAGE.format(nct=cited.nct_id), None)
    return cited_study(
        cited,
        version.raw if isinstance(version.raw, dict) else {},
        VersionInfo(
            version.version_no, version.version_holder, version.first_seen, version.last_seen
        ),
        changes_since_previous=[c for c in new_changes if c.nct_id == cited.nct_id],
        changes_recent=[c for c in recent if c.nct_id == cited.nct_id],
        today=today,
        flags=study_flags(session, cited.nct_id),
    )


def _search(
    session: Session,
    search: SearchConfig,
    filename: str,
    new_changes: list[LoggedChange],
    today: date,
) -> SearchReport:
    state = session.get(SearchState, search.name)
    columns = [getattr(Study, c) for c in evidence.COLUMNS]
    rows = session.execute(
        select(*columns)
        .join(SearchHit, SearchHit.nct_id == Study.nct_id)
        .where(SearchHit.search_name == search.name, SearchHit.present)
    ).mappings()
    report = search_report(
        search,
        filename,
        [dict(r) for r in rows],
        [c for c in new_changes if c.search_name == search.name],
        total_count=state.total_count if state else None,
        capped=bool(state.capped) if state else False,
        last_success_at=state.last_success_at if state else None,
    )
    return replace(report, related=related_evidence(session, search.name, today))


def search_report(
    search: SearchConfig,
    filename: str,
    members: list[dict[str, Any]],
    changes: list[LoggedChange],
    *,
    total_count: int | None,
    capped: bool,
    last_success_at: datetime | None,
) -> SearchReport:
    """Pure: a search's counts and tables from its members' stored summary rows."""
    present = {m["nct_id"] for m in members}
    entered = {
        c.nct_id for c in changes if (c.new or "").startswith("entered") and c.nct_id in present
    }
    summary = evidence.summarise(members, entered)
    return SearchReport(
        config=search,
        filename=filename,
        total_count=total_count,
        capped=capped,
        last_success_at=last_success_at,
        evidence=summary,
        changes_since_previous=changes,
    )
