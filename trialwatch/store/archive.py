"""Versions with their own dates: archived copies, the registry's version history, imports.

A study's versions are numbered in observed-date order. A version older than the newest stored
one is slotted in by date and the study's change log is rebuilt in date order, so importing a
2020 copy and then a 2018 one gives the same versions and changes as the other way round. The
same version twice (same content hash) adds nothing. Works inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.records import StudySummary, canonical_record, parse_study
from trialwatch.domain.version_diff import VersionKind, diff_versions
from trialwatch.store import bulk
from trialwatch.store import engine as store
from trialwatch.store.models import Change, RecordVersion, Study

SCOPE = "full"  # an archived or history version is a whole record


@dataclass(frozen=True)
class Provenance:
    source: str  # import, history (api versions come in through store.ingest)
    format: str  # v2-json, classic-xml
    observed_date: str  # yyyy-mm-dd: the snapshot's or the registry's date of the version
    source_file: str | None = None
    raw_text: str | None = None  # the original text, when `raw` is not it (classic XML)
    registry_version: int | None = None  # the registry's version number (history)


@dataclass(frozen=True)
class Added:
    stored: bool  # False: this version was already stored
    version_no: int
    changes: int  # change-log rows written


@dataclass(frozen=True)
class _Stored:
    id: int
    registry_version: int | None
    version_no: int
    observed_date: str
    content_hash: str
    study_hash: str
    scope: str
    kind: VersionKind


def add_version(
    session: Session,
    record: dict[str, Any],
    provenance: Provenance,
    *,
    now: datetime,
    problems: Sequence[str] = (),
) -> Added:
    """Store `record` as a version of its study at its observed date (`problems`: the reader's,
    kept with the study row when this version becomes the current one)."""
    summary = parse_study(record)
    nct = summary.nct_id
    if not nct:
        raise ValueError("a version needs the record's NCT id")
    content_hash, study_hash, canonical = canonical_record(record)
    stored = _versions(session, nct)
    same = next((v for v in stored if _same(v, provenance, content_hash)), None)
    if same is not None:
        return Added(False, same.version_no, 0)
    position = sum(1 for v in stored if v.observed_date <= provenance.observed_date)
    version_no = position + 1
    newest = position == len(stored)
    if not newest:
        _shift_from(session, nct, version_no)
    version_id = _insert(session, summary, record, canonical, provenance, now,
                         version_no=version_no, content_hash=content_hash,
                         study_hash=study_hash)  # fmt: skip
    if newest:
        prev = stored[-1] if stored else None
        changes = _diff_rows(session, prev, version_id, record, provenance, study_hash, now)
        if changes:
            session.execute(insert(Change), changes)
        row = summary.as_dict()
        row["parse_problems"] = list(dict.fromkeys([*problems, *row.pop("problems")]))
        row.update(scope=SCOPE, first_seen=now, last_checked=now, current_version_id=version_id)
        # `last_checked` is when the registry last confirmed the state: an import is not that
        store.upsert(session, Study, [row], keep=("first_seen", "last_checked"))
        return Added(True, version_no, len(changes))
    return Added(True, version_no, rebuild_changes(session, nct, now=now))


def stored_registry_versions(session: Session, nct: str) -> set[int]:
    """The registry's history version numbers already stored for a study (to resume)."""
    rows = session.scalars(
        select(RecordVersion.registry_version).where(
            RecordVersion.nct_id == nct, RecordVersion.registry_version.is_not(None)
        )
    )
    return {int(n) for n in rows if n is not None}


def rebuild_changes(session: Session, nct: str, *, now: datetime) -> int:
    """Recompute the study's field changes between consecutive versions in date order.

    Changes that still hold (same versions, field and values) keep their row, so their detection
    time and alert state stay; the others are replaced. Returns how many rows were written.
    """
    wanted: list[tuple[int, int, LoggedChange]] = []
    prev: RecordVersion | None = None
    for version in session.scalars(
        select(RecordVersion).where(RecordVersion.nct_id == nct).order_by(RecordVersion.version_no)
    ):
        if prev is not None and prev.scope == version.scope and _differ(prev, version):
            changes = diff_versions(_raw(prev), _raw(version), _kind(prev), _kind(version))
            wanted.extend((prev.id, version.id, change) for change in changes)
        prev = version
    existing = {
        (
            c.from_version_id,
            c.to_version_id,
            c.field,
            c.old_value,
            c.new_value,
            c.severity,
            _context_key(c.context),
        ): c.id
        for c in session.scalars(
            select(Change).where(Change.nct_id == nct, Change.search_name.is_(None))
        )
    }
    rows = []
    for from_id, to_id, change in wanted:
        key = (
            from_id,
            to_id,
            change.field,
            change.old,
            change.new,
            change.severity,
            _context_key(change.context),
        )
        if existing.pop(key, None) is None:
            rows.append(_change_row(nct, change, from_id, to_id, now))
    if existing:
        session.execute(delete(Change).where(Change.id.in_(list(existing.values()))))
    if rows:
        session.execute(insert(Change), rows)
    return len(rows)


def _versions(session: Session, nct: str) -> list[_Stored]:
    rows = session.execute(
        select(
            RecordVersion.id, RecordVersion.version_no, RecordVersion.observed_date,
            RecordVersion.content_hash, RecordVersion.study_hash, RecordVersion.scope,
            RecordVersion.source, RecordVersion.format, RecordVersion.registry_version,
        ).where(RecordVersion.nct_id == nct).order_by(RecordVersion.version_no)
    )  # fmt: skip
    return [
        _Stored(r.id, r.registry_version, r.version_no, r.observed_date, r.content_hash,
                r.study_hash, r.scope, VersionKind(r.source, r.format))
        for r in rows
    ]  # fmt: skip


def _same(stored: _Stored, provenance: Provenance, content_hash: str) -> bool:
    """Already stored: the registry's numbered version (two of them may read the same once
    normalised, yet both are the registry's), or else the same content."""
    if provenance.registry_version is not None:
        return stored.kind.source == "history" and stored.registry_version == (
            provenance.registry_version
        )
    return stored.content_hash == content_hash


def _shift_from(session: Session, nct: str, version_no: int) -> None:
    """Make room at `version_no`: later versions move up one (through negative numbers, since
    (nct_id, version_no) is unique at every step)."""
    later = (RecordVersion.nct_id == nct) & (RecordVersion.version_no >= version_no)
    session.execute(
        update(RecordVersion).where(later).values(version_no=-(RecordVersion.version_no + 1))
    )
    session.execute(
        update(RecordVersion)
        .where(RecordVersion.nct_id == nct, RecordVersion.version_no < 0)
        .values(version_no=-RecordVersion.version_no)
    )


def _insert(
    session: Session,
    summary: StudySummary,
    record: dict[str, Any],
    canonical: str,
    provenance: Provenance,
    now: datetime,
    **values: Any,
) -> int:
    row = {
        "nct_id": summary.nct_id,
        "scope": SCOPE,
        "version_holder": summary.version_holder,
        "last_update_posted": summary.last_update_posted,
        "raw": store.raw_json(session, canonical),
        "first_seen": now,
        "last_seen": now,
        "refresh_run_id": None,
        "source": provenance.source,
        "format": provenance.format,
        "observed_date": provenance.observed_date,
        "source_file": provenance.source_file,
        "raw_text": provenance.raw_text,
        "registry_version": provenance.registry_version,
        **values,
    }
    return int(session.execute(insert(RecordVersion).returning(RecordVersion.id), row).scalar_one())


def _diff_rows(
    session: Session,
    prev: _Stored | None,
    version_id: int,
    record: dict[str, Any],
    provenance: Provenance,
    study_hash: str,
    now: datetime,
) -> list[dict[str, Any]]:
    if prev is None or prev.scope != SCOPE or prev.study_hash == study_hash:
        return []
    old = bulk.versions_raw(session, [prev.id]).get(prev.id, {})
    kind = VersionKind(provenance.source, provenance.format)
    nct = str(record["protocolSection"]["identificationModule"]["nctId"])
    return [
        _change_row(nct, change, prev.id, version_id, now)
        for change in diff_versions(old, record, prev.kind, kind)
    ]


def _change_row(
    nct: str, change: LoggedChange, from_id: int, to_id: int, now: datetime
) -> dict[str, Any]:
    where = {"nct_id": nct, "from_version_id": from_id, "to_version_id": to_id, "detected_at": now}
    return change.logged(**where).row()


def _context_key(context: dict[str, str] | None) -> str:
    return json.dumps(context or None, sort_keys=True)


def _differ(a: RecordVersion, b: RecordVersion) -> bool:
    return a.study_hash != b.study_hash


def _raw(version: RecordVersion) -> dict[str, Any]:
    return version.raw if isinstance(version.raw, dict) else {}


def _kind(version: RecordVersion) -> VersionKind:
    return VersionKind(version.source, version.format)
