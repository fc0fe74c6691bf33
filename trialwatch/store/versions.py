"""A study's stored versions as the pure history flags read them (every full record version)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialwatch.domain.history_flags import HistoryFlag, HistoryVersion, history_flags
from trialwatch.store.models import RecordVersion


def study_versions(session: Session, nct_id: str) -> list[HistoryVersion]:
    """Every full version of the study, oldest first (a search's summary fields are skipped)."""
    rows = session.scalars(
        select(RecordVersion)
        .where(RecordVersion.nct_id == nct_id, RecordVersion.scope == "full")
        .order_by(RecordVersion.version_no)
    )
    return [
        HistoryVersion(v.version_no, observed_date(v), v.raw if isinstance(v.raw, dict) else {})
        for v in rows
    ]


def observed_date(version: RecordVersion) -> date:
    """When the version was seen: its observed date where the store keeps one (imported and
    back-filled versions carry the archive's or the registry's date), else when first seen."""
    observed: Any = getattr(version, "observed_date", None) or version.first_seen
    return observed.date() if isinstance(observed, datetime) else date.fromisoformat(str(observed))


def study_flags(session: Session, nct_id: str) -> list[HistoryFlag]:
    return history_flags(study_versions(session, nct_id))
