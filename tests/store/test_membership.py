"""Search memberships over more hits than one upsert round holds (store.membership)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from trialwatch.store import engine as store
from trialwatch.store.membership import HIT_ROWS, update_membership
from trialwatch.store.models import SearchHit, utcnow


def _ids(start: int, stop: int) -> list[str]:
    return [f"NCT9{i:07d}" for i in range(start, stop)]  # synthetic ids, no records needed


def test_every_hit_of_a_search_larger_than_one_round_is_stored_and_left_hits_marked(
    db_url: str,
) -> None:
    engine = store.open_store(db_url)
    try:
        _check_rounds(store.session_factory(engine))
    finally:
        engine.dispose()


def _check_rounds(sessions: sessionmaker[Session]) -> None:
    first = utcnow()
    hits = _ids(0, 2 * HIT_ROWS + 7)  # three rounds, the last one short
    with sessions.begin() as session:
        delta = update_membership(session, "related", reversed(hits), now=first, run_id=None,
                                  complete=True, baseline=True)  # fmt: skip
    assert delta.entered == hits and delta.left == []
    later = first + timedelta(days=1)
    now_seen = _ids(5, 2 * HIT_ROWS + 12)  # 5 left at the start, 5 new at the end
    with sessions.begin() as session:
        delta = update_membership(session, "related", now_seen, now=later, run_id=None,
                                  complete=True, baseline=False)  # fmt: skip
    assert delta.entered == _ids(2 * HIT_ROWS + 7, 2 * HIT_ROWS + 12)
    assert delta.left == _ids(0, 5)
    with sessions() as session:
        rows = session.execute(
            select(SearchHit.present, func.count(), func.min(SearchHit.first_seen))
            .where(SearchHit.search_name == "related")
            .group_by(SearchHit.present)
        ).all()
        counts = {bool(present): n for present, n, _ in rows}
        assert counts == {True: len(now_seen), False: 5}
        kept_first = session.scalar(
            select(SearchHit.first_seen).where(
                SearchHit.nct_id == _ids(HIT_ROWS + 1, HIT_ROWS + 2)[0]
            )
        )
        assert kept_first is not None and kept_first.replace(tzinfo=None) == first.replace(
            tzinfo=None
        )
