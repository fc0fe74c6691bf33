"""Bulk queries of a refresh's write: newest versions, raw records, touches, search hits.

Each takes a Session and plain values and works in chunks of ids (one query per CHUNK).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from trialwatch.store.engine import CHUNK
from trialwatch.store.models import RecordVersion, SearchHit, Study


@dataclass(frozen=True)
class VersionRef:
    id: int
    version_no: int
    scope: str
    content_hash: str
    study_hash: str
    source: str = "api"
    format: str = "v2-json"


def latest_versions(session: Session, ids: Iterable[str]) -> dict[str, VersionRef]:
    """The newest stored version of each id (any scope)."""
    ids = list(ids)
    out: dict[str, VersionRef] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        newest = (
            select(RecordVersion.nct_id, func.max(RecordVersion.version_no).label("v"))
            .where(RecordVersion.nct_id.in_(chunk))
            .group_by(RecordVersion.nct_id)
            .subquery()
        )
        rows = session.execute(
            select(
                RecordVersion.id, RecordVersion.nct_id, RecordVersion.version_no,
                RecordVersion.scope, RecordVersion.content_hash, RecordVersion.study_hash,
                RecordVersion.source, RecordVersion.format,
            ).join(
                newest,
                (RecordVersion.nct_id == newest.c.nct_id)
                & (RecordVersion.version_no == newest.c.v),
            )
        )  # fmt: skip
        for row in rows:
            out[row.nct_id] = VersionRef(
                row.id, row.version_no, row.scope, row.content_hash, row.study_hash,
                row.source, row.format,
            )  # fmt: skip
    return out


def versions_raw(session: Session, version_ids: Collection[int]) -> dict[int, dict[str, Any]]:
    """{version id: its raw record} for the given versions, in one query per CHUNK."""
    ids = list(version_ids)
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = session.execute(
            select(RecordVersion.id, RecordVersion.raw).where(RecordVersion.id.in_(chunk))
        )
        out.update((r.id, r.raw if isinstance(r.raw, dict) else {}) for r in rows)
    return out


def insert_versions(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert version rows in bulk (one id per row at most); their new ids in the rows' order.

    Plain executemany, then the ids read back by (nct_id, version_no), which is unique: RETURNING
    in parameter order made SQLAlchemy insert one row per statement on SQLite (100,000
    statements in a 100,000-study refresh)."""
    if not rows:
        return []
    session.execute(insert(RecordVersion), rows)
    ids: dict[tuple[str, int], int] = {}
    ncts = [r["nct_id"] for r in rows]
    for start in range(0, len(ncts), CHUNK):
        found = session.execute(
            select(RecordVersion.id, RecordVersion.nct_id, RecordVersion.version_no).where(
                RecordVersion.nct_id.in_(ncts[start : start + CHUNK])
            )
        )
        ids.update(((nct, no), id_) for id_, nct, no in found)
    return [ids[(r["nct_id"], r["version_no"])] for r in rows]


def touch_versions(session: Session, version_ids: Sequence[int], now: datetime) -> None:
    for start in range(0, len(version_ids), CHUNK):
        chunk = version_ids[start : start + CHUNK]
        session.execute(
            update(RecordVersion).where(RecordVersion.id.in_(chunk)).values(last_seen=now)
        )


def touch_studies(session: Session, ids: Sequence[str], now: datetime) -> None:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        session.execute(update(Study).where(Study.nct_id.in_(chunk)).values(last_checked=now))


def stored_update_dates(session: Session, ids: Iterable[str]) -> dict[str, tuple[str | None, str]]:
    """{nct_id: (last_update_posted, scope)} for the stored studies among `ids`."""
    ids = list(ids)
    out: dict[str, tuple[str | None, str]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(
            select(Study.nct_id, Study.last_update_posted, Study.scope).where(
                Study.nct_id.in_(ids[start : start + CHUNK])
            )
        )
        out.update({r.nct_id: (r.last_update_posted, r.scope) for r in rows})
    return out


def search_hits_present(
    session: Session, search: str, ids: Collection[str] | None = None
) -> dict[str, bool]:
    """{nct_id: present} for the search's stored hits (only `ids` among them, if given)."""
    base = select(SearchHit.nct_id, SearchHit.present).where(SearchHit.search_name == search)
    if ids is None:
        return {r.nct_id: bool(r.present) for r in session.execute(base)}
    wanted = list(ids)
    out: dict[str, bool] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = session.execute(base.where(SearchHit.nct_id.in_(chunk)))
        out.update((r.nct_id, bool(r.present)) for r in rows)
    return out
