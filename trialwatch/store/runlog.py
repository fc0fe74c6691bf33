"""The refresh-run log read for health, and the health alerts it calls for (SQL only).

Only the newest event of each kind is ever added: a store upgraded with a long history gets no
flood of old news, and since this runs after every refresh, nothing newer is missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trialwatch.domain.health import RunRecord, StreakEvent, streak_events
from trialwatch.store.models import HealthAlert, RefreshRun


def run_records(session: Session, limit: int | None = None) -> list[RunRecord]:
    """The refresh-run log as the health rules read it, oldest first (the newest `limit`)."""
    query = select(RefreshRun).order_by(RefreshRun.id.desc())
    if limit is not None:
        query = query.limit(limit)
    rows = list(session.scalars(query))
    return [_record(r) for r in reversed(rows)]


def since_last_success(session: Session) -> list[RunRecord]:
    """The last successful run and every run after it, oldest first (what freshness needs)."""
    last_ok = session.scalar(select(func.max(RefreshRun.id)).where(RefreshRun.outcome == "ok"))
    query = select(RefreshRun).order_by(RefreshRun.id)
    if last_ok is not None:
        query = query.where(RefreshRun.id >= last_ok)
    return [_record(r) for r in session.scalars(query)]


def _record(r: RefreshRun) -> RunRecord:
    return RunRecord(r.id, r.started_at, r.outcome, r.trigger or "manual", r.error, r.finished_at)


def sync_health_alerts(session: Session, threshold: int) -> list[HealthAlert]:
    """Add the alerts the run log calls for and does not have yet; return the added ones."""
    events = streak_events(run_records(session), threshold)
    newest: dict[str, StreakEvent] = {e.kind: e for e in events}
    have = {(a.kind, a.streak_start_run_id) for a in session.scalars(select(HealthAlert))}
    added = []
    for event in sorted(newest.values(), key=lambda e: e.run_id):
        if (event.kind, event.streak_start_run_id) in have:
            continue
        alert = HealthAlert(
            kind=event.kind,
            streak_start_run_id=event.streak_start_run_id,
            run_id=event.run_id,
            raised_at=event.at,
            since=event.since,
            failed_runs=event.failed_runs,
            last_error=event.last_error,
        )
        session.add(alert)
        added.append(alert)
    session.flush()
    return added


def pending_health_alerts(session: Session) -> list[HealthAlert]:
    query = select(HealthAlert).where(HealthAlert.notified_at.is_(None)).order_by(HealthAlert.id)
    return list(session.scalars(query))


def recent_health_alerts(session: Session, limit: int) -> list[HealthAlert]:
    """Newest first, for the feed."""
    query = select(HealthAlert).order_by(HealthAlert.id.desc()).limit(limit)
    return list(session.scalars(query))


def mark_health_notified(session: Session, ids: Sequence[int], now: datetime) -> None:
    for alert in session.scalars(select(HealthAlert).where(HealthAlert.id.in_(ids))):
        alert.notified_at = now
