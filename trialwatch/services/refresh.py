"""The refresh use case: ask the registry what changed, store versions, changes and memberships.

Two phases. Fetching asks the registry and writes each page to a spool file on disk as it
arrives (services.spool; memory stays flat), reading the store only in short read
transactions: nothing holds the database's write lock meanwhile. Writing then ingests the spool
in one short transaction that also marks the run `ok` in the run log: the data and its run-log
row commit together or not at all, so a failure anywhere leaves the store as it was. Only the
`running` row at the start and a `failed` row after a failure are written apart.
On PostgreSQL the write goes through the connection that holds the refresh lock: if that
connection was lost (and the lock with it), the write fails before anything commits.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from trialwatch.config import Config
from trialwatch.ctgov.client import CtgovClient
from trialwatch.errors import LockLost, Stopped, StoreError, unexpected
from trialwatch.services.collector import gc_paused
from trialwatch.services.refresh_fetch import (
    CitedFetch,
    RefreshJob,
    RefreshResult,
    SearchFetched,
    fetch,
)
from trialwatch.services.spool import Section, Spool
from trialwatch.store import bulk
from trialwatch.store import engine as store
from trialwatch.store.ingest import ingest_prepared
from trialwatch.store.membership import update_membership
from trialwatch.store.models import RefreshRun, SearchState, utcnow

log = logging.getLogger(__name__)


def run_refresh(
    config: Config,
    sessions: sessionmaker[Session],
    client: CtgovClient,
    *,
    full: bool = False,
    trigger: str = "manual",
    write_bind: Connection | None = None,
    observed_date: str | None = None,
) -> RefreshResult:
    """Refresh everything `config` tracks; on failure log the run and raise TrialwatchError.

    `write_bind`: the connection holding the refresh lock (PostgreSQL), for the write.
    `observed_date`: the date new versions are observed on, when not today (the demo replays
    archived snapshots: each version is dated by its snapshot).
    """
    started = time.monotonic()
    now = utcnow()
    with sessions.begin() as session:
        last_full = session.scalar(
            select(RefreshRun.started_at)
            .where(RefreshRun.outcome == "ok", RefreshRun.kind == "full")
            .order_by(RefreshRun.id.desc())
            .limit(1)
        )
        due = last_full is None or now - last_full >= timedelta(days=config.refresh.full_every_days)
        kind = "full" if full or due else "incremental"
        run = RefreshRun(started_at=now, outcome="running", kind=kind, trigger=trigger, notes=[])
        session.add(run)
        session.flush()
        run_id = run.id
    result = RefreshResult(run_id=run_id, kind=kind)
    spool = Spool()
    job = RefreshJob(config, client, result, spool, now, kind == "full", started)
    job.observed_date = observed_date
    try:
        with spool, gc_paused():
            cited, searches = fetch(sessions, job)
            with _writing(sessions, write_bind) as session:
                _write(session, job, cited, searches)
                _log_run(session, job, outcome="ok", error=None)
    except BaseException as exc:  # a failure, a stop, or a bug: logged as text, then re-raised
        outcome = "stopped" if isinstance(exc, Stopped) else "failed"
        try:
            _log_failure(sessions, job, unexpected(exc), outcome=outcome)
        except Exception:  # a full disk or a lost connection: the first error is the news
            log.debug("could not record the run's end", exc_info=True)
        raise
    return result


@contextmanager
def _writing(sessions: sessionmaker[Session], write_bind: Connection | None) -> Iterator[Session]:
    """The refresh's one write transaction (on the lock's connection, if given)."""
    try:
        if write_bind is None:
            with sessions.begin() as session:
                yield session
        else:
            with Session(bind=write_bind, expire_on_commit=False) as session, session.begin():
                yield session
    except DBAPIError as exc:
        if write_bind is not None and (
            exc.connection_invalidated or write_bind.invalidated or write_bind.closed
        ):
            raise LockLost(
                "The database connection holding the refresh lock was lost, so another refresh "
                "may have started; nothing was stored. Run the refresh again."
            ) from None
        raise StoreError(
            f"The database refused the refresh's write ({store.first_line(exc)}); "
            "nothing was stored."
        ) from None


def _log_failure(
    sessions: sessionmaker[Session], job: RefreshJob, error: str, *, outcome: str
) -> None:
    with sessions.begin() as session:
        _log_run(session, job, outcome=outcome, error=error)


def _log_run(session: Session, job: RefreshJob, *, outcome: str, error: str | None) -> None:
    result, client = job.result, job.client
    result.requests, result.bytes = client.stats.requests, client.stats.bytes
    result.seconds = time.monotonic() - job.started
    values: dict[str, Any] = {
        "finished_at": utcnow(),
        "outcome": outcome,
        "requests": result.requests,
        "bytes": result.bytes,
        "notes": result.notes,
        "error": error,
    }
    if outcome == "ok":
        values.update(
            studies_fetched=result.studies_fetched,
            new_versions=result.new_versions,
            changes=result.changes,
            data_timestamp=result.data_timestamp,
        )
    session.execute(update(RefreshRun).where(RefreshRun.id == result.run_id).values(**values))


def _write(
    session: Session, job: RefreshJob, cited: CitedFetch, searches: list[SearchFetched]
) -> None:
    """Store what was fetched (inside the caller's one transaction)."""
    result, stats = job.result, job.stats
    # first statement: SQLite takes the write lock here, before any read of this transaction
    session.execute(
        update(RefreshRun).where(RefreshRun.id == result.run_id).values(api_version=job.api_version)
    )
    bulk.touch_studies(session, cited.unchanged, job.now)
    if cited.section is not None:
        _ingest(session, job, cited.section, scope="full")
    for fetched in searches:
        _write_search(session, job, fetched, cited.ids)
    result.new_versions, result.changes = stats.new_versions, stats.changes
    result.notes += stats.notes


def _ingest(
    session: Session,
    job: RefreshJob,
    section: Section,
    *,
    scope: str,
    protected: frozenset[str] = frozenset(),
) -> None:
    entries = job.spool.read(section)
    job.stats.add(
        ingest_prepared(
            session, entries, scope=scope, now=job.now, run_id=job.result.run_id,
            protected=protected, observed_date=job.observed_date,
        )
    )  # fmt: skip
    job.stats.notes += ["skipped a record without an NCT id"] * section.skipped


def _write_search(
    session: Session, job: RefreshJob, fetched: SearchFetched, cited: frozenset[str]
) -> None:
    search, state, now, result = fetched.search, fetched.state, job.now, job.result
    _ingest(session, job, fetched.section, scope="summary", protected=cited | fetched.full_ids)
    if fetched.full_section is not None:
        _ingest(session, job, fetched.full_section, scope="full")
    delta = update_membership(
        session, search.name, fetched.ids, now=now, run_id=result.run_id,
        complete=fetched.complete and not fetched.capped, baseline=fetched.redefined,
    )  # fmt: skip
    if not fetched.redefined:
        job.stats.changes += len(delta.entered) + len(delta.left)
    result.searches[search.name] = {
        "mode": "full" if fetched.complete else "incremental",
        "received": fetched.received,
        "total_count": fetched.total_count,
        "capped": fetched.capped,
        "entered": len(delta.entered),
        "left": len(delta.left),
    }
    complete = fetched.complete
    store.upsert(
        session,
        SearchState,
        [
            {
                "name": search.name,
                "params": dict(search.params),
                # an incremental window's count is not the search's: keep the last full one
                "total_count": (
                    fetched.total_count if complete or state is None else state.total_count
                ),
                "capped": fetched.capped,
                "last_success_at": now,
                "last_full_at": now if complete else (state.last_full_at if state else None),
            }
        ],
    )
