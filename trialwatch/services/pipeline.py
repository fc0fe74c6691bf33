"""Use cases the command line and the scheduler call: the only place that wires the pieces."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import requests
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from trialwatch.config import Config
from trialwatch.ctgov.client import CtgovClient
from trialwatch.ctgov.session import make_retry, make_session
from trialwatch.errors import Stopped, TrialwatchError
from trialwatch.services.refresh import RefreshResult, run_refresh
from trialwatch.store import engine as store
from trialwatch.store.lock import refresh_lock

if TYPE_CHECKING:
    from trialwatch.alerts.delivery import AlertOutcome
    from trialwatch.ctgov.live import SearchOutcome

log = logging.getLogger(__name__)


def make_client(config: Config, session: requests.Session | None = None) -> CtgovClient:
    api = config.api
    if session is None:
        session = make_session(make_retry(api.max_retries, api.backoff_factor, api.max_retry_after))
    return CtgovClient(
        api.base_url,
        session,
        timeout=(api.connect_timeout, api.read_timeout),
        min_interval=api.min_interval,
    )


@contextmanager
def open_sessions(config: Config) -> Iterator[tuple[Engine, sessionmaker[Session]]]:
    """The store's engine (for its lock) and a session factory bound to it."""
    engine = store.open_store(config.database_url, config_path=str(config.path))
    try:
        yield engine, store.session_factory(engine)
    finally:
        engine.dispose()


def refresh(
    config: Config,
    *,
    full: bool = False,
    client: CtgovClient | None = None,
    trigger: str = "manual",
    lock_wait: float = 0.0,
    observed_date: str | None = None,
) -> RefreshResult:
    """Fetch, store and log what changed; one refresh at a time per database (`observed_date`:
    see run_refresh)."""
    client = client or make_client(config)
    with open_sessions(config) as (engine, sessions):
        with refresh_lock(engine, wait=lock_wait) as lock_connection:
            try:
                result = run_refresh(
                    config, sessions, client, full=full, trigger=trigger,
                    write_bind=lock_connection, observed_date=observed_date,
                )  # fmt: skip
            except Stopped:  # nothing happened: no alert, no feed, exit at once
                raise
            except TrialwatchError:
                # The failed run is in the run log: a failure streak may call for an alert.
                after_run(config, sessions)
                raise
            # The refresh has committed; alerts never fail it (their problems become notes).
            result.notes += after_run(config, sessions)
            return result


def after_run(config: Config, sessions: sessionmaker[Session]) -> list[str]:
    """After every refresh run: alerts, then the monitoring textfile. Never raises."""
    notes = deliver_alerts(config, sessions).notes
    path = config.metrics_file
    if path is not None:
        from trialwatch.services.metrics import write_metrics

        try:
            with sessions() as session:
                write_metrics(session, path)
        except Exception as exc:  # monitoring must not fail the refresh it reports on
            log.warning("could not write the monitoring textfile %s: %s", path, exc)
            notes.append(f"WARNING monitoring: could not write {path}: {exc}")
    return notes


def deliver_alerts(config: Config, sessions: sessionmaker[Session]) -> AlertOutcome:
    """Write the change feed and e-mail pending changes; never raises (alerts.delivery)."""
    from trialwatch.alerts.delivery import deliver

    return deliver(config, sessions)


def send_alerts(config: Config, *, lock_wait: float = 0.0) -> AlertOutcome:
    """Write the feed and send what is pending now, outside a refresh (`trialwatch alerts`)."""
    with open_sessions(config) as (engine, sessions):
        with refresh_lock(engine, wait=lock_wait):  # never two digests at once
            return deliver_alerts(config, sessions)


def send_test_alert(config: Config) -> str:
    """Send a test e-mail to the configured recipients; AlertError if it cannot go out."""
    from trialwatch.alerts.delivery import send_message
    from trialwatch.alerts.digest import build_test_message
    from trialwatch.errors import UsageError
    from trialwatch.store.models import utcnow

    email = config.alerts.email
    if email is None:
        raise UsageError(f"{config.path}: no [alerts.email] table; e-mail alerts are off")
    send_message(email, build_test_message(email, now=utcnow()))
    return f"test message sent to {', '.join(email.to)} through {email.host}:{email.port}"


@dataclass(frozen=True)
class JobResult:
    """One scheduled job run: the refresh and the report it rendered."""

    refresh: RefreshResult
    report: Path
    seconds: float

    def summary_line(self) -> str:
        r = self.refresh
        return (
            f"{r.studies_fetched} studies, {r.new_versions} new versions, {r.changes} changes, "
            f"{r.requests} requests, {self.seconds:.1f} s; report written to {self.report}"
        )


def refresh_and_report(
    config: Config,
    *,
    trigger: str = "schedule",
    lock_wait: float = 0.0,
    client: CtgovClient | None = None,
) -> JobResult:
    """The scheduled job: refresh, then render the report; a failed refresh leaves both alone."""
    started = time.monotonic()
    check_report_dir(config)  # before the refresh: a run that cannot render changes nothing
    result = refresh(config, client=client, trigger=trigger, lock_wait=lock_wait)
    report = render_report(config)
    return JobResult(result, report, time.monotonic() - started)


def check_report_dir(config: Config) -> None:
    """UsageError (exit 2) when `[report] dir` is, or contains, the folder of the database or
    of the config file: a render swaps the whole folder."""
    from sqlalchemy.engine import make_url

    from trialwatch.report.writer import refuse_shared_folder

    holders = {"config file": config.path.resolve()}
    url = make_url(config.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        holders["database"] = Path(url.database).resolve()
    refuse_shared_folder(config.report_dir, holders)


def render_report(config: Config, *, now: datetime | None = None, again: bool = False) -> Path:
    """Render the evidence report from the store alone (no network); return the index page.

    Pages are rendered in memory, then swapped in as a whole (trialwatch.report.writer): a
    failure leaves the previous report exactly as it was. Each render is logged in report_runs,
    except `again`: the last report re-rendered after a failed run, to add its stale-data banner
    and change nothing else (it compares with the same previous report and is not logged).
    The log row is written in the same transaction and before the swap: a render it cannot log
    swaps nothing.
    """
    from sqlalchemy.exc import DBAPIError

    from trialwatch.errors import StoreError
    from trialwatch.report.context import build_context
    from trialwatch.report.render import INDEX, render_pages
    from trialwatch.report.writer import write_report
    from trialwatch.store.models import ReportRun, utcnow

    check_report_dir(config)
    now = now or utcnow()
    directory = config.report_dir
    with open_sessions(config) as (_engine, sessions):
        with sessions() as session:
            has_report = store.last_report(session) is not None
            context = build_context(session, config, now, again=again and has_report)
        pages = render_pages(context)
        if again and has_report:  # not logged, so nothing to log before the swap
            write_report(directory, pages)
            return directory / INDEX
        # the run is logged (and the write lock taken) before the swap; the swap happens only
        # if the log row could be written, and a failed swap takes the row back
        with sessions.begin() as session:

            def log_run(size: int) -> None:
                session.add(
                    ReportRun(
                        rendered_at=now,
                        directory=str(directory),
                        last_change_id=context.last_change_id,
                        bytes=size,
                    )
                )
                try:
                    session.flush()
                except DBAPIError as exc:
                    raise StoreError(
                        f"Could not log the report in the database ({store.first_line(exc)}); "
                        "the previous report is unchanged."
                    ) from None

            write_report(directory, pages, before_swap=log_run)
    return directory / INDEX


def last_successful_refresh(config: Config) -> datetime | None:
    """When the last refresh that succeeded started (None if none has)."""
    with open_sessions(config) as (_engine, sessions), sessions() as session:
        run = store.last_successful_run(session)
        return run.started_at if run is not None else None


@dataclass(frozen=True)
class LiveFetch:
    """What `show --live` fetched and stored."""

    nct_id: str  # the record's own id (differs from the asked id for an alias)
    note: str | None
    new_version: bool
    changes: int


def fetch_study(
    config: Config, nct_id: str, *, client: CtgovClient | None = None, lock_wait: float = 10.0
) -> LiveFetch:
    """Fetch one study from the registry now and store it as a version, like a refresh would.

    The network call happens before the refresh lock is taken, so the lock is held briefly.
    """
    from trialwatch.errors import NotFound
    from trialwatch.store.ingest import ingest_records
    from trialwatch.store.models import utcnow

    client = client or make_client(config)
    found = client.fetch_ids([nct_id])
    if nct_id in found.rejected:
        raise NotFound(f"{nct_id}: the registry refused this id: {found.rejected[nct_id]}")
    actual = found.aliases.get(nct_id, nct_id)
    record = found.studies.get(actual)
    if record is None:
        raise NotFound(f"{nct_id} was not found in the registry (ClinicalTrials.gov).")
    note = f"{nct_id} is an alias of {actual}" if actual != nct_id else None
    with open_sessions(config) as (engine, sessions):
        with refresh_lock(engine, wait=lock_wait), sessions.begin() as session:
            stats = ingest_records(session, [record], scope="full", now=utcnow(), run_id=None)
    return LiveFetch(actual, note, stats.new_versions > 0, stats.changes)


def search_registry(
    config: Config,
    params: dict[str, str],
    *,
    limit: int,
    client: CtgovClient | None = None,
    on_page: Callable[[int, int | None], None] | None = None,
) -> SearchOutcome:
    """A live ad-hoc search of the registry (summary fields, first `limit` studies); no writes."""
    from trialwatch.ctgov.live import run_search

    return run_search(client or make_client(config), params, limit=limit, on_page=on_page)
