"""Versioned ingest: records in, versions, current study rows, changes and memberships out.

Orders the pure pieces (records, changes) around the store; one call works inside the caller's
transaction, so a failure anywhere rolls the whole refresh back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.records import StudySummary, canonical_record, parse_study
from trialwatch.domain.version_diff import VersionKind, diff_versions
from trialwatch.store import engine as store
from trialwatch.store.models import Change, RecordVersion, SearchHit, Study


@dataclass
class IngestStats:
    records: int = 0
    new_versions: int = 0
    changes: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: IngestStats) -> None:
        self.records += other.records
        self.new_versions += other.new_versions
        self.changes += other.changes
        self.notes += other.notes


def study_row(summary: StudySummary, scope: str, now: datetime) -> dict[str, Any]:
    row = summary.as_dict()
    row["parse_problems"] = row.pop("problems")
    row.update(scope=scope, first_seen=now, last_checked=now)
    return row


def ingest_records(
    session: Session,
    records: Iterable[dict[str, Any]],
    *,
    scope: str,
    now: datetime,
    run_id: int | None,
    protected: frozenset[str] = frozenset(),
) -> IngestStats:
    """Store each record as a new version if its content changed since the newest stored one.

    `protected` ids are kept at full scope: a search's summary of a cited study is not a version.
    """
    stats = IngestStats()
    parsed: dict[str, tuple[StudySummary, dict[str, Any]]] = {}
    for record in records:
        summary = parse_study(record)
        if not summary.nct_id:
            stats.notes.append("skipped a record without an NCT id")
            continue
        if scope == "summary" and summary.nct_id in protected:
            continue
        parsed[summary.nct_id] = (summary, record)
    stats.records = len(parsed)
    previous = store.latest_versions(session, parsed)

    unchanged: list[int] = []
    versions: list[dict[str, Any]] = []
    pending: list[tuple[StudySummary, dict[str, Any], str, store.VersionRef | None]] = []
    for nct, (summary, record) in parsed.items():
        content_hash, study_hash, canonical = canonical_record(record)
        prev = previous.get(nct)
        if prev is not None and prev.content_hash == content_hash:
            unchanged.append(prev.id)
            continue
        versions.append(
            {
                "nct_id": nct,
                "version_no": prev.version_no + 1 if prev else 1,
                "scope": scope,
                "content_hash": content_hash,
                "study_hash": study_hash,
                "version_holder": summary.version_holder,
                "last_update_posted": summary.last_update_posted,
                "raw": store.raw_json(session, record, canonical),
                "first_seen": now,
                "last_seen": now,
                "refresh_run_id": run_id,
                "source": "api",
                "format": "v2-json",
                "observed_date": now.date().isoformat(),
            }
        )
        pending.append((summary, record, study_hash, prev))

    store.touch_versions(session, unchanged, now)
    changed_ids = {summary.nct_id for summary, _, _, _ in pending}
    store.touch_studies(session, [n for n in parsed if n not in changed_ids], now)
    new_ids = _insert_versions(session, versions)
    study_rows: list[dict[str, Any]] = []
    change_rows: list[dict[str, Any]] = []
    for (summary, record, study_hash, prev), version_id in zip(pending, new_ids, strict=True):
        row = study_row(summary, scope, now)
        row["current_version_id"] = version_id
        study_rows.append(row)
        if prev is not None and prev.scope == scope and prev.study_hash != study_hash:
            old = store.version_raw(session, prev.id)
            where = {"nct_id": summary.nct_id, "from_version_id": prev.id,
                     "to_version_id": version_id, "detected_at": now, "run_id": run_id}  # fmt: skip
            kinds = VersionKind(prev.source, prev.format), VersionKind()
            change_rows += [c.logged(**where).row() for c in diff_versions(old, record, *kinds)]
    # current state: a known study keeps its original first_seen
    store.upsert(session, Study, study_rows, keep=("first_seen",))
    if change_rows:
        session.execute(insert(Change), change_rows)
    stats.new_versions = len(versions)
    stats.changes = len(change_rows)
    return stats


def _insert_versions(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    result = session.execute(
        insert(RecordVersion).returning(RecordVersion.id, sort_by_parameter_order=True), rows
    )
    return [r[0] for r in result]


@dataclass
class MembershipDelta:
    entered: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


def update_membership(
    session: Session,
    search: str,
    seen: Iterable[str],
    *,
    now: datetime,
    run_id: int | None,
    complete: bool,
    baseline: bool,
) -> MembershipDelta:
    """Record which studies a search returned.

    `complete`: `seen` is the whole result, so members not in it have left the search.
    `baseline`: the first look (or a changed definition): memberships are recorded silently.
    """
    seen = set(seen)
    rows = {
        h.nct_id: h
        for h in session.scalars(select(SearchHit).where(SearchHit.search_name == search))
    }
    delta = MembershipDelta()
    upserts = []
    for nct in sorted(seen):
        hit = rows.get(nct)
        if hit is None or not hit.present:
            delta.entered.append(nct)
        upserts.append(
            {
                "search_name": search,
                "nct_id": nct,
                "first_seen": now,  # kept for a known hit (see upsert below)
                "last_seen": now,
                "present": True,
                "left_at": None,
            }
        )
    store.upsert(session, SearchHit, upserts, keep=("first_seen",))
    if complete:
        delta.left = sorted(n for n, h in rows.items() if h.present and n not in seen)
        if delta.left:
            session.execute(
                update(SearchHit)
                .where(SearchHit.search_name == search, SearchHit.nct_id.in_(delta.left))
                .values(present=False, left_at=now)
            )
    if not baseline:
        entered = LoggedChange(
            "search",
            None,
            f"entered {search}",
            "notable",
            detected_at=now,
            run_id=run_id,
            search_name=search,
        )
        left = LoggedChange(
            "search",
            f"in {search}",
            f"left {search}",
            "minor",
            detected_at=now,
            run_id=run_id,
            search_name=search,
        )
        changes = [entered.logged(nct_id=n).row() for n in delta.entered]
        changes += [left.logged(nct_id=n).row() for n in delta.left]
        if changes:
            session.execute(insert(Change), changes)
    return delta
