"""Versioned ingest: records in, versions, current study rows, changes and memberships out.

Orders the pure pieces (records, changes) around the store; one call works inside the caller's
transaction, so a failure anywhere rolls the whole refresh back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.records import StudySummary, canonical_record, loads_json, parse_study
from trialwatch.domain.version_diff import VersionKind, diff_versions
from trialwatch.store import bulk
from trialwatch.store import engine as store
from trialwatch.store.models import Change, SearchHit, Study


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
    observed = observed_date or now.date().isoformat()
    seen: set[str] = set()
    batch: dict[str, Prepared] = {}
    for entry in entries:
        if scope == "summary" and entry.nct_id in protected:
            continue
        seen.add(entry.nct_id)
        batch[entry.nct_id] = entry  # a repeated id: the last copy counts, as before
        if len(batch) >= BATCH:
            _ingest_batch(session, batch, scope, now, run_id, stats, observed)
            batch = {}
    if batch:
        _ingest_batch(session, batch, scope, now, run_id, stats, observed)
    stats.records = len(seen)
    return stats


BATCH = 500  # records per round of queries: one SELECT of stored hashes, bulk writes


def _ingest_batch(
    session: Session,
    batch: dict[str, Prepared],
    scope: str,
    now: datetime,
    run_id: int | None,
    stats: IngestStats,
    observed: str,
) -> None:
    previous = bulk.latest_versions(session, batch)  # one query for the whole batch
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
        new_rows.append(
            {
                "nct_id": nct,
                "version_no": prev.version_no + 1 if prev else 1,
                "scope": scope,
                "content_hash": entry.content_hash,
                "study_hash": entry.study_hash,
                "version_holder": entry.row["version_holder"],
                "last_update_posted": entry.row["last_update_posted"],
                "raw": store.raw_json(session, entry.canonical),
                "first_seen": now,
                "last_seen": now,
                "refresh_run_id": run_id,
                "source": "api",
                "format": "v2-json",
                "observed_date": observed,
            }
        )
        pending.append((entry, prev))
    bulk.touch_versions(session, unchanged, now)
    bulk.touch_studies(session, unchanged_ids, now)
    new_ids = bulk.insert_versions(session, new_rows)
    # the old versions a change is diffed against, read in one query
    diffed = {
        prev.id
        for entry, prev in pending
        if prev is not None and prev.scope == scope and prev.study_hash != entry.study_hash
    }
    old_raw = bulk.versions_raw(session, diffed)
    study_rows: list[dict[str, Any]] = []
    change_rows: list[dict[str, Any]] = []
    for (entry, prev), version_id in zip(pending, new_ids, strict=True):
        study_rows.append(
            {**entry.row, "scope": scope, "first_seen": now, "last_checked": now,
             "current_version_id": version_id}
        )  # fmt: skip
        if prev is not None and prev.id in diffed:
            new = loads_json(entry.canonical)
            where = {"nct_id": entry.nct_id, "from_version_id": prev.id,
                     "to_version_id": version_id, "detected_at": now, "run_id": run_id}  # fmt: skip
            old = old_raw.get(prev.id, {})
            kinds = VersionKind(prev.source, prev.format), VersionKind()
            change_rows += [c.logged(**where).row() for c in diff_versions(old, new, *kinds)]
    # current state: a known study keeps its original first_seen
    store.upsert(session, Study, study_rows, keep=("first_seen",))
    if change_rows:
        session.execute(insert(Change), change_rows)
    stats.new_versions += len(new_rows)
    stats.changes += len(change_rows)


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
    # only what is needed: (id, present) pairs, and for a partial look only the ids seen
    present = bulk.search_hits_present(session, search, None if complete else seen)
    delta = MembershipDelta()
    delta.entered = sorted(n for n in seen if not present.get(n, False))
    upserts = [
        {
            "search_name": search,
            "nct_id": nct,
            "first_seen": now,  # kept for a known hit (see upsert below)
            "last_seen": now,
            "present": True,
            "left_at": None,
        }
        for nct in sorted(seen)
    ]
    store.upsert(session, SearchHit, upserts, keep=("first_seen",))
    if complete:
        delta.left = sorted(n for n, here in present.items() if here and n not in seen)
        for start in range(0, len(delta.left), bulk.CHUNK):
            session.execute(
                update(SearchHit)
                .where(
                    SearchHit.search_name == search,
                    SearchHit.nct_id.in_(delta.left[start : start + bulk.CHUNK]),
                )
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
