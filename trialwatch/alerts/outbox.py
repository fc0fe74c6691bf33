"""The queries alerts need: pending changes, the feed's newest notices, notification marks.

Each notice also learns where the report shows its study (see trialwatch.alerts.notices).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from trialwatch.alerts.notices import StudyNotice, at_or_above, group_changes
from trialwatch.config import Config
from trialwatch.domain.change import LoggedChange
from trialwatch.domain.pages import STUDY_PAGE, search_page_names
from trialwatch.store.changelog import logged
from trialwatch.store.engine import CHUNK
from trialwatch.store.models import Change, SearchHit, Study

_T = TypeVar("_T")


def unnotified(session: Session, min_severity: str) -> list[LoggedChange]:
    """Changes at or above `min_severity` that no e-mail has carried yet, oldest first."""
    rows = session.scalars(
        select(Change)
        .where(Change.notified_at.is_(None), Change.severity.in_(at_or_above(min_severity)))
        .order_by(Change.id)
    )
    return [logged(c) for c in rows]


def recent_notices(session: Session, config: Config) -> list[StudyNotice]:
    """The feed's notices: the newest `feed_entries` (study per run) at or above the threshold.

    The groups are picked in SQL (a run logs all its changes with one detection time; a live
    `show --live` lookup logs changes with no run, and its time groups them), then only their
    changes are loaded.
    """
    qualifying = Change.severity.in_(at_or_above(config.alerts.min_severity))
    newest = func.max(Change.id)
    groups = session.execute(
        select(Change.detected_at, Change.nct_id).where(qualifying)
        .group_by(Change.detected_at, Change.nct_id)
        .order_by(newest.desc()).limit(config.alerts.feed_entries)
    ).all()  # fmt: skip
    if not groups:
        return []
    keys = {(at, nct) for at, nct in groups}
    since = min(at for at, _nct in groups)
    items: list[LoggedChange] = []
    for chunk in _chunks(sorted({nct for _at, nct in groups})):
        rows = session.scalars(
            select(Change).where(qualifying, Change.detected_at >= since, Change.nct_id.in_(chunk))
        )
        items += [logged(c) for c in rows if (c.detected_at, c.nct_id) in keys]
    return notices_for(session, config, items)


def notices_for(
    session: Session, config: Config, items: Sequence[LoggedChange]
) -> list[StudyNotice]:
    """Group changes into notices, with each study's title and report page."""
    ids = sorted({c.nct_id for c in items})
    titles: dict[str, str | None] = {}
    for chunk in _chunks(ids):
        rows = session.execute(
            select(Study.nct_id, Study.brief_title).where(Study.nct_id.in_(chunk))
        )
        titles.update((nct, title) for nct, title in rows)
    return group_changes(items, titles, report_pages(session, config, ids, items))


def report_pages(
    session: Session, config: Config, ids: Sequence[str], items: Iterable[LoggedChange]
) -> dict[str, str]:
    """The report page showing each study: its own page if cited, else a search page."""
    # named exactly as the report names them
    files = search_page_names(s.name for s in config.searches)
    pages: dict[str, str] = {}
    for item in items:  # a study entering or leaving a search: that search's page
        if item.search_name in files:
            pages.setdefault(item.nct_id, files[item.search_name])
    for chunk in _chunks(ids):
        hits = session.execute(
            select(SearchHit.nct_id, SearchHit.search_name)
            .where(SearchHit.nct_id.in_(chunk), SearchHit.present)
            .order_by(SearchHit.search_name)
        )
        for nct, name in hits:
            if name in files:
                pages.setdefault(nct, files[name])
    pages.update({nct: STUDY_PAGE.format(nct=nct) for nct in config.cited_ids})
    return pages


def mark_notified(session: Session, change_ids: list[int], when: datetime) -> None:
    for chunk in _chunks(change_ids):
        session.execute(update(Change).where(Change.id.in_(chunk)).values(notified_at=when))


def _chunks(values: Sequence[_T]) -> Iterable[Sequence[_T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
