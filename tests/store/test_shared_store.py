"""One store, several users: two refreshes at once, dialect upserts, no duplicate versions.

Runs on SQLite and, with TRIALWATCH_TEST_DATABASE_URL set, on PostgreSQL (the shared store).
Each refresh here opens its own engine, as a second process would.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from tests.conftest import API, page, query_rows, study
from trialwatch.config import load_config
from trialwatch.errors import LockBusy
from trialwatch.services import pipeline as services
from trialwatch.services.refresh import RefreshResult
from trialwatch.store import engine as store
from trialwatch.store.models import RecordVersion, SearchHit, SearchState, utcnow


class HeldRefresh:
    """A refresh in a thread whose API call blocks until released: the "other process"."""

    def __init__(self, ctgov: Any, run: Callable[[], RefreshResult]) -> None:
        self.inside, self.release = threading.Event(), threading.Event()
        self.result: RefreshResult | None = None
        self.error: BaseException | None = None

        def answer(_request: Any) -> tuple[int, dict[str, str], str]:
            self.inside.set()
            self.release.wait(timeout=30)
            return 200, {"Content-Type": "application/json"}, _page_json()

        ctgov.add_callback("GET", f"{API}/studies", callback=answer)
        self.thread = threading.Thread(target=self._run, args=(run,))

    def _run(self, run: Callable[[], RefreshResult]) -> None:
        try:
            self.result = run()
        except BaseException as exc:  # reported by the test below
            self.error = exc

    def start(self) -> HeldRefresh:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.inside.wait(timeout=0.05):
            assert self.thread.is_alive(), f"the first refresh ended early: {self.error!r}"
            assert time.monotonic() < deadline, "the first refresh never reached the API"
        return self

    def finish(self) -> RefreshResult:
        self.release.set()
        self.thread.join(timeout=30)
        assert self.error is None and self.result is not None, self.error
        return self.result


def _page_json() -> str:
    import json

    return json.dumps(page(study("NCT02552212")))


def test_second_refresh_exits_clearly_while_one_runs(ctgov, make_config, db_url):
    cfg = load_config(make_config())
    held = HeldRefresh(ctgov, lambda: services.refresh(cfg)).start()
    try:
        with pytest.raises(LockBusy, match="Another trialwatch refresh is running"):
            services.refresh(cfg)  # no --wait: exits at once
    finally:
        first = held.finish()
    assert first.new_versions == 1
    assert query_rows(db_url, "SELECT outcome FROM refresh_runs") == [
        ("ok",)
    ]  # the other: no trace
    assert query_rows(db_url, "SELECT nct_id, version_no FROM record_versions") == [
        ("NCT02552212", 1)
    ]


def test_second_refresh_with_wait_runs_after_the_first_without_duplicates(
    ctgov, make_config, db_url
):
    cfg = load_config(make_config())
    held = HeldRefresh(ctgov, lambda: services.refresh(cfg, full=True)).start()
    second: dict[str, Any] = {}

    def waiting() -> None:
        second["started_at"] = time.monotonic()
        try:
            second["result"] = services.refresh(cfg, full=True, lock_wait=30)
        except LockBusy as exc:  # what it would raise without --wait
            second["error"] = exc
        second["done_at"] = time.monotonic()

    waiter = threading.Thread(target=waiting)
    waiter.start()
    time.sleep(0.3)  # time for the waiter to reach the lock the first refresh holds
    assert "done_at" not in second  # neither finished nor refused while the lock is held
    released_at = time.monotonic()
    first = held.finish()
    waiter.join(timeout=30)
    assert "error" not in second, second.get("error")
    assert second["started_at"] < released_at <= second["done_at"]  # it waited for the first
    assert first.new_versions == 1 and second["result"].new_versions == 0
    assert query_rows(db_url, "SELECT outcome FROM refresh_runs ORDER BY id") == [("ok",), ("ok",)]
    assert query_rows(db_url, "SELECT count(*) FROM record_versions") == [(1,)]


def test_a_duplicate_version_number_is_refused_by_the_database(db_url):
    """The last line of defence if two writers ever got past the lock."""
    engine = store.open_store(db_url)
    now = utcnow()
    row: dict[str, Any] = {
        "nct_id": "NCT02552212", "version_no": 1, "scope": "full", "content_hash": "a" * 64,
        "study_hash": "b" * 64, "raw": {"synthetic": True}, "first_seen": now, "last_seen": now,
        "observed_date": now.date().isoformat(),
    }  # fmt: skip
    sessions = store.session_factory(engine)
    try:
        with sessions.begin() as session:
            session.add(RecordVersion(**row))
        with pytest.raises(IntegrityError), sessions.begin() as session:
            session.add(RecordVersion(**{**row, "content_hash": "c" * 64}))
    finally:
        engine.dispose()
    assert query_rows(db_url, "SELECT content_hash FROM record_versions") == [("a" * 64,)]


def _search(name: str, cond: str, count: int, **extra: Any) -> dict[str, Any]:
    return {"name": name, "params": {"query.cond": cond}, "total_count": count, **extra}


def test_upsert_inserts_then_updates_on_conflict(db_url):
    engine = store.open_store(db_url)
    sessions = store.session_factory(engine)
    now = utcnow()
    hit = {"search_name": "tr", "nct_id": "NCT02552212", "first_seen": now, "last_seen": now}
    try:
        with sessions.begin() as session:
            first = [_search("tr", "tr", 3, capped=True), _search("pain", "pain", 5, capped=False)]
            store.upsert(session, SearchState, first)
            store.upsert(session, SearchHit, [{**hit, "present": True}])
        with sessions.begin() as session:
            store.upsert(session, SearchState, [_search("tr", "depression", 4)])
            store.upsert(session, SearchHit, [{**hit, "present": False}])
    finally:
        engine.dispose()
    rows = query_rows(
        db_url, "SELECT name, total_count, capped, params FROM searches ORDER BY name"
    )
    assert [(name, count, bool(capped)) for name, count, capped, _ in rows] == [
        ("pain", 5, False),
        ("tr", 4, True),  # capped was not given, so it kept its value (not the model default)
    ]
    assert "depression" in str(rows[1][3])
    hits = query_rows(db_url, "SELECT search_name, nct_id, present FROM search_hits")
    assert [(s, n, bool(present)) for s, n, present in hits] == [("tr", "NCT02552212", False)]


def test_refresh_lock_is_per_store_not_per_postgres_database(pg_url):
    """Two stores in one PostgreSQL database (a schema each) refresh independently."""
    from tests.conftest import pg_schema
    from trialwatch.store.lock import refresh_lock

    with pg_schema() as other_url:
        engines = [store.make_engine(url) for url in (pg_url, pg_url, other_url)]
        try:
            with refresh_lock(engines[0]):
                with pytest.raises(LockBusy):
                    with refresh_lock(engines[1]):
                        pass  # the same store: busy
                with refresh_lock(engines[2]):
                    pass  # another store in the same database: free
        finally:
            for engine in engines:
                engine.dispose()
