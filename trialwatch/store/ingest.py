"""Versioned ingest: records in, versions, current study rows and changes out.

Orders the pure pieces (records, changes) around the store; one call works inside the caller's
transaction, so a failure anywhere rolls the whole refresh back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import insert
from sqlalchemy.orm import Session

from trialwatch.domain.records import StudySummary, canonical_record, loads_json, parse_study
from trialwatch.domain.version_diff import VersionKind, diff_versions
from trialwatch.store import bulk
from trialwatch.store import engine as store
from trialwatch.store.models import Change, Study


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


class Prepared(NamedTuple):
    """A record made ready to store: parsed once, serialised once, hashed once."""

    nct_id: str
    row: dict[str, Any]  # the study row's parsed fields (no scope, times or version id)
    canonical: str  # the record's canonical JSON (what `raw` stores)
    content_hash: str
    study_hash: str


def prepare_record(record: dict[str, Any]) -> Prepared | None:
    """The record parsed, serialised and hashed; None for a record without a usable NCT id."""
    summary = parse_study(record)
    if not summary.nct_id:
        return None
    content_hash, study_hash, canonical = canonical_record(record)
    return Prepared(summary.nct_id, summary_row(summary), canonical, content_hash, study_hash)


def summary_row(summary: StudySummary) -> dict[str, Any]:
    row = summary.as_dict()
    row["parse_problems"] = row.pop("problems")
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
    skipped = 0

    def prepared() -> Iterator[Prepared]:
        nonlocal skipped
        for record in records:
            entry = prepare_record(record)
            if entry is None:
                skipped += 1
            else:
                yield entry

    stats = ingest_prepared(
        session, prepared(), scope=scope, now=now, run_id=run_id, protected=protected
    )
    stats.notes += ["skipped a record without an NCT id"] * skipped
    return stats


def ingest_prepared(
    session: Session,
    entries: Iterable[Prepared],
    *,
    scope: str,
    now: datetime,
    run_id: int | None,
    protected: frozenset[str] = frozenset(),
    observed_date: str | None = None,
) -> IngestStats:
    """`ingest_records` for prepared records, streamed in batches of `BATCH`: memory stays flat.

    New versions are observed on `now`'s day, or on `observed_date` (yyyy-mm-dd) when given: the
    snapshot's own date when archived records are replayed (the demo)."""
    stats = IngestStats()
    at = _Round(scope, now, run_id, observed_date or now.date().isoformat())
    seen: set[str] = set()
    batch: dict[str, Prepared] = {}
    for entry in entries:
        if scope == "summary" and entry.nct_id in protected:
            continue
        seen.add(entry.nct_id)
        batch[entry.nct_id] = entry  # a repeated id: the last copy counts, as before
        if len(batch) >= BATCH:
            _ingest_batch(session, batch, at, stats)
            batch = {}
    if batch:
        _ingest_batch(session, batch, at, stats)
    stats.records = len(seen)
    return stats


BATCH = 500  # records per round of queries: one SELECT of stored hashes, bulk writes


@dataclass(frozen=True)
class _Round:
    """What every row written for one call of `ingest_prepared` shares."""

    scope: str
    now: datetime
    run_id: int | None
    observed: str  # the date new versions are observed on (yyyy-mm-dd)


class _Stored(NamedTuple):
    """A record stored as a new version, with the version before it (None for a new study)."""

    entry: Prepared
    prev: bulk.VersionRef | None
    version_id: int


def _ingest_batch(
    session: Session, batch: dict[str, Prepared], at: _Round, stats: IngestStats
) -> None:
    previous = bulk.latest_versions(session, batch)  # one query for the whole batch
    stored = _store_versions(session, batch, previous, at)
    # the old versions a change is diffed against, read in one query
    diffed = {
        s.prev.id
        for s in stored
        if s.prev is not None
        and s.prev.scope == at.scope
        and s.prev.study_hash != s.entry.study_hash
    }
    old_raw = bulk.versions_raw(session, diffed)
    study_rows: list[dict[str, Any]] = []
    change_rows: list[dict[str, Any]] = []
    for s in stored:
        study_rows.append(
            {**s.entry.row, "scope": at.scope, "first_seen": at.now, "last_checked": at.now,
             "current_version_id": s.version_id}
        )  # fmt: skip
        if s.prev is not None and s.prev.id in diffed:
            old = old_raw.get(s.prev.id, {})
            change_rows += _change_rows(s.entry, s.prev, s.version_id, old, at)
    # current state: a known study keeps its original first_seen
    store.upsert(session, Study, study_rows, keep=("first_seen",))
    if change_rows:
        session.execute(insert(Change), change_rows)
    stats.new_versions += len(stored)
    stats.changes += len(change_rows)


def _store_versions(
    session: Session,
    batch: dict[str, Prepared],
    previous: dict[str, bulk.VersionRef],
    at: _Round,
) -> list[_Stored]:
    """Marks the unchanged records seen now and inserts a new version of each of the others."""
    unchanged: list[int] = []
    unchanged_ids: list[str] = []
    new_rows: list[dict[str, Any]] = []
    pending: list[tuple[Prepared, bulk.VersionRef | None]] = []
    for nct, entry in batch.items():
        prev = previous.get(nct)
        if prev is not None and prev.content_hash == entry.content_hash:
            unchanged.append(prev.id)
            unchanged_ids.append(nct)
            continue
        new_rows.append(_version_row(session, entry, prev, at))
        pending.append((entry, prev))
    bulk.touch_versions(session, unchanged, at.now)
    bulk.touch_studies(session, unchanged_ids, at.now)
    new_ids = bulk.insert_versions(session, new_rows)
    return [
        _Stored(entry, prev, version_id)
        for (entry, prev), version_id in zip(pending, new_ids, strict=True)
    ]


def _version_row(
    session: Session, entry: Prepared, prev: bulk.VersionRef | None, at: _Round
) -> dict[str, Any]:
    return {
        "nct_id": entry.nct_id,
        "version_no": prev.version_no + 1 if prev else 1,
        "scope": at.scope,
        "content_hash": entry.content_hash,
        "study_hash": entry.study_hash,
        "version_holder": entry.row["version_holder"],
        "last_update_posted": entry.row["last_update_posted"],
        "raw": store.raw_json(session, entry.canonical),
        "first_seen": at.now,
        "last_seen": at.now,
        "refresh_run_id": at.run_id,
        "source": "api",
        "format": "v2-json",
        "observed_date": at.observed,
    }


def _change_rows(
    entry: Prepared, prev: bulk.VersionRef, version_id: int, old: dict[str, Any], at: _Round
) -> list[dict[str, Any]]:
    """The changes from `prev` (`old` is its raw record) to the version just stored."""
    new = loads_json(entry.canonical)
    where = {"nct_id": entry.nct_id, "from_version_id": prev.id,
             "to_version_id": version_id, "detected_at": at.now, "run_id": at.run_id}  # fmt: skip
    kinds = VersionKind(prev.source, prev.format), VersionKind()
    return [c.logged(**where).row() for c in diff_versions(old, new, *kinds)]
