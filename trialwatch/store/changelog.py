"""The change log: every field change and search entry/exit, filtered, as LoggedChange."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.severity import SEVERITIES, severity_rank
from trialwatch.store.models import Change, Study
from trialwatch.store.reader import reading

if TYPE_CHECKING:
    from trialwatch.config import Config


@dataclass(frozen=True)
class ChangeQuery:
    """Which changes to list; every filter is optional."""

    since: datetime | None = None
    min_severity: str | None = None  # "notable" lists notable and critical
    nct_id: str | None = None
    limit: int | None = None
    oldest_first: bool = False
    unnotified: bool = False  # only changes no e-mail digest has carried yet


def change_log(session: Session, query: ChangeQuery) -> list[LoggedChange]:
    """Changes newest first (or oldest first), each with the study's title for context."""
    stmt = select(Change, Study.brief_title).outerjoin(Study, Study.nct_id == Change.nct_id)
    if query.since is not None:
        stmt = stmt.where(Change.detected_at >= query.since)
    if query.min_severity is not None:
        allowed = [s for s in SEVERITIES if severity_rank(s) <= severity_rank(query.min_severity)]
        stmt = stmt.where(Change.severity.in_(allowed))
    if query.nct_id is not None:
        stmt = stmt.where(Change.nct_id == query.nct_id)
    if query.unnotified:
        stmt = stmt.where(Change.notified_at.is_(None))
    order = (Change.id,) if query.oldest_first else (Change.detected_at.desc(), Change.id.desc())
    stmt = stmt.order_by(*order)
    if query.limit is not None:
        stmt = stmt.limit(query.limit)
    return [logged(change, brief_title=title) for change, title in session.execute(stmt)]


def logged(change: Change, **extra: Any) -> LoggedChange:
    """A stored change row as the one change type (`extra`: the study's title, a version)."""
    return LoggedChange(
        field=change.field,
        old=change.old_value,
        new=change.new_value,
        severity=change.severity,
        context=change.context if isinstance(change.context, dict) else None,
        nct_id=change.nct_id,
        id=change.id,
        detected_at=change.detected_at,
        run_id=change.refresh_run_id,
        search_name=change.search_name,
        from_version_id=change.from_version_id,
        to_version_id=change.to_version_id,
        notified_at=change.notified_at,
        **extra,
    )


def get_changes(config: Config, query: ChangeQuery) -> list[LoggedChange]:
    with reading(config.database_url, config.path) as session:
        return change_log(session, query)
