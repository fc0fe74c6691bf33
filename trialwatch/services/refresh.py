"""The refresh use case: ask the registry what changed, store versions, changes and memberships.

Everything a refresh writes happens in one transaction: a failure anywhere leaves the store as it
was. Only the run log is written outside it, so failed runs are recorded too.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from trialwatch.config import Config, SearchConfig
from trialwatch.ctgov.client import PROBE_FIELDS, SUMMARY_FIELDS, CtgovClient, IdFetch
from trialwatch.domain.ids import CANONICAL
from trialwatch.domain.records import canonical_json
from trialwatch.errors import Stopped, unexpected
from trialwatch.store import engine as store
from trialwatch.store.ingest import IngestStats, ingest_records, update_membership
from trialwatch.store.models import RefreshRun, SearchState, utcnow

log = logging.getLogger(__name__)


@dataclass
class RefreshResult:
    run_id: int
    kind: str
    studies_fetched: int = 0
    new_versions: int = 0
    changes: int = 0
    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0
    data_timestamp: str | None = None
    notes: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    searches: dict[str, dict[str, Any]] = field(default_factory=dict)

    def summary_line(self) -> str:
        return (
            f"refresh {self.kind}: {self.studies_fetched} studies fetched, "
            f"{self.new_versions} new versions, {self.changes} changes, "
            f"{self.requests} requests ({self.bytes / 1024:.0f} KiB), {self.seconds:.1f} s"
        )


def run_refresh(
    config: Config,
    sessions: sessionmaker[Session],
    client: CtgovClient,
    *,
    full: bool = False,
    trigger: str = "manual",
) -> RefreshResult:
    """Refresh everything `config` tracks; on failure log the run and raise TrialwatchError."""
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
    try:
        with sessions.begin() as session:
            _refresh(session, config, client, result, now=now, full=kind == "full")
    except BaseException as exc:  # a failure, a stop, or a bug: logged as text, then re-raised
        outcome = "stopped" if isinstance(exc, Stopped) else "failed"
        try:
            _finish(sessions, result, client, started, outcome=outcome, error=unexpected(exc))
        except Exception:  # a full disk or a lost connection: the first error is the news
            log.debug("could not record the run's end", exc_info=True)
        raise
    _finish(sessions, result, client, started, outcome="ok", error=None)
    return result


def _finish(
    sessions: sessionmaker[Session],
    result: RefreshResult,
    client: CtgovClient,
    started: float,
    *,
    outcome: str,
    error: str | None,
) -> None:
    result.requests, result.bytes = client.stats.requests, client.stats.bytes
    result.seconds = time.monotonic() - started
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
    with sessions.begin() as session:
        session.execute(update(RefreshRun).where(RefreshRun.id == result.run_id).values(**values))


def _refresh(
    session: Session,
    config: Config,
    client: CtgovClient,
    result: RefreshResult,
    *,
    now: datetime,
    full: bool,
) -> None:
    version = client.version()
    result.data_timestamp = version.data_timestamp
    result.notes += [f"WARNING {problem}" for problem in version.problems]
    session.execute(
        update(RefreshRun)
        .where(RefreshRun.id == result.run_id)
        .values(api_version=version.api_version)
    )
    stats = IngestStats()
    cited = frozenset(_refresh_cited(session, config, client, result, stats, now=now, full=full))
    for search in config.searches:
        _refresh_search(session, config, search, client, result, stats, cited, now=now, full=full)
    result.new_versions, result.changes = stats.new_versions, stats.changes
    result.notes += stats.notes


def _refresh_cited(
    session: Session,
    config: Config,
    client: CtgovClient,
    result: RefreshResult,
    stats: IngestStats,
    *,
    now: datetime,
    full: bool,
) -> set[str]:
    """Fetch the cited studies: a cheap probe of update dates first, full records only if needed."""
    ids = config.cited_ids
    if not ids:
        return set()
    stored = store.stored_update_dates(session, ids)
    to_fetch = [n for n in ids if full or stored.get(n, (None, ""))[1] != "full"]
    probe_ids = [n for n in ids if n not in to_fetch]
    found = IdFetch()
    if probe_ids:
        probe = client.fetch_ids(probe_ids, fields=PROBE_FIELDS)
        _merge_lookup(found, probe)
        for asked in probe_ids:
            record = probe.studies.get(probe.aliases.get(asked, asked))
            if record is None:
                continue
            posted = _text_at(record, *_LAST_UPDATE)
            if asked in probe.aliases or posted != stored[asked][0]:
                to_fetch.append(asked)
        store.touch_studies(session, [n for n in probe_ids if n not in to_fetch], now)
    if to_fetch:
        fetched = client.fetch_ids(to_fetch)
        _merge_lookup(found, fetched)
        result.studies_fetched += len(fetched.studies)
        stats.add(
            ingest_records(
                session, fetched.studies.values(), scope="full", now=now, run_id=result.run_id
            )
        )
    result.not_found = sorted(set(found.not_found))
    result.aliases = dict(found.aliases)
    for nct in result.not_found:
        result.notes.append(f"{nct}: not found in the registry (check the id in the config)")
    for asked, actual in found.aliases.items():
        result.notes.append(
            f"{asked} is an alias of {actual}; tracking {actual} (update the config)"
        )
    for nct, reason in found.rejected.items():
        result.notes.append(f"{nct}: the registry refused this id: {reason}")
    return set(ids) | set(found.aliases.values())


def _merge_lookup(into: IdFetch, other: IdFetch) -> None:
    """What was not found, resolved or refused (the records themselves are ingested apart)."""
    into.aliases.update(other.aliases)
    into.not_found += other.not_found
    into.rejected.update(other.rejected)


def _refresh_search(
    session: Session,
    config: Config,
    search: SearchConfig,
    client: CtgovClient,
    result: RefreshResult,
    stats: IngestStats,
    cited: frozenset[str],
    *,
    now: datetime,
    full: bool,
) -> None:
    state = store.search_state(session, search.name)
    redefined = state is None or canonical_json(state.params) != canonical_json(search.params)
    stale = (
        state is None
        or state.last_full_at is None
        or now - state.last_full_at >= timedelta(days=config.refresh.full_every_days)
    )
    complete = full or redefined or stale
    params: dict[str, Any] = dict(search.params)
    if not complete and state is not None and state.last_success_at is not None:
        since = (state.last_success_at - timedelta(days=config.refresh.overlap_days)).date()
        window = f"AREA[LastUpdatePostDate]RANGE[{since.isoformat()},MAX]"
        existing = params.get("filter.advanced")
        params["filter.advanced"] = f"({existing}) AND {window}" if existing else window
    fetched = client.search(params, fields=SUMMARY_FIELDS, max_studies=search.max_studies)
    received = len(fetched.studies)
    info: dict[str, Any] = {
        "mode": "full" if complete else "incremental",
        "received": received,
        "total_count": fetched.total_count,
        "capped": fetched.capped,
    }
    if fetched.capped:
        result.notes.append(
            f"WARNING search {search.name!r}: stopped at max_studies={search.max_studies} of "
            f"{fetched.total_count if fetched.total_count is not None else 'more'} studies; "
            "raise max_studies in the config to see them all"
        )
    elif fetched.total_count is not None and fetched.total_count != received:
        result.notes.append(
            f"WARNING search {search.name!r}: the registry counted {fetched.total_count} "
            f"studies but {received} arrived"
        )
    result.notes += [f"WARNING search {search.name!r}: {p}" for p in fetched.problems]
    result.studies_fetched += received
    stats.add(
        ingest_records(
            session, fetched.studies, scope="summary", now=now, run_id=result.run_id,
            protected=cited,
        )
    )  # fmt: skip
    # only ids ingest accepts (a malformed one was skipped there with a note)
    ids = [n for s in fetched.studies if (n := _text_at(s, *_NCT_ID)) and CANONICAL.match(n)]
    delta = update_membership(
        session, search.name, ids, now=now, run_id=result.run_id,
        complete=complete and not fetched.capped, baseline=redefined,
    )  # fmt: skip
    if not redefined:
        stats.changes += len(delta.entered) + len(delta.left)
    info.update(entered=len(delta.entered), left=len(delta.left))
    result.searches[search.name] = info
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


def _text_at(record: dict[str, Any], *path: str) -> str | None:
    """The text at `path` in a record, or None when anything on the way is missing or odd."""
    node: Any = record
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, str) else None


_NCT_ID = ("protocolSection", "identificationModule", "nctId")
_LAST_UPDATE = ("protocolSection", "statusModule", "lastUpdatePostDateStruct", "date")
