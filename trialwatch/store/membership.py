"""A search's memberships: which studies it returned, which entered and which left it.

Works inside the caller's transaction, as the ingest of the records does
(trialwatch.store.ingest).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from trialwatch.domain.change import LoggedChange
from trialwatch.store import bulk
from trialwatch.store import engine as store
from trialwatch.store.models import Change, SearchHit


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
    ordered = sorted(seen)
    for start in range(0, len(ordered), HIT_ROWS):  # in rounds: memory stays flat for any search
        rows = _hit_rows(search, ordered[start : start + HIT_ROWS], now)
        store.upsert(session, SearchHit, rows, keep=("first_seen",))
    if complete:
        delta.left = sorted(n for n, here in present.items() if here and n not in seen)
        _mark_left(session, search, delta.left, now)
    if not baseline:
        changes = _membership_changes(search, delta, now, run_id)
        if changes:
            session.execute(insert(Change), changes)
    return delta


HIT_ROWS = 5_000  # membership rows per upsert


def _hit_rows(search: str, ids: list[str], now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "search_name": search,
            "nct_id": nct,
            "first_seen": now,  # kept for a known hit (see the upsert in update_membership)
            "last_seen": now,
            "present": True,
            "left_at": None,
        }
        for nct in ids
    ]


def _mark_left(session: Session, search: str, left: list[str], now: datetime) -> None:
    for start in range(0, len(left), bulk.CHUNK):
        session.execute(
            update(SearchHit)
            .where(
                SearchHit.search_name == search,
                SearchHit.nct_id.in_(left[start : start + bulk.CHUNK]),
            )
            .values(present=False, left_at=now)
        )


def _membership_changes(
    search: str, delta: MembershipDelta, now: datetime, run_id: int | None
) -> list[dict[str, Any]]:
    """A change row for each study that entered the search and each that left it."""
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
    return changes
