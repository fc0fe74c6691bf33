"""A refresh's fetch phase: ask the registry, spool what arrives (services.spool), never write.

The store is only read here, in short read transactions, so no write lock is held while the
registry answers. services.refresh then writes what was fetched in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from trialwatch.config import Config, SearchConfig
from trialwatch.ctgov.client import PROBE_FIELDS, SUMMARY_FIELDS, CtgovClient, IdFetch
from trialwatch.domain.raw import last_update_posted, nct_id
from trialwatch.domain.records import canonical_json
from trialwatch.services.related_fetch import fetch_results, with_results
from trialwatch.services.spool import Section, Spool
from trialwatch.store import bulk
from trialwatch.store import engine as store
from trialwatch.store.ingest import IngestStats
from trialwatch.store.models import SearchState


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


@dataclass
class RefreshJob:
    """What one refresh works with, from the fetch to the write."""

    config: Config
    client: CtgovClient
    result: RefreshResult
    spool: Spool
    now: datetime
    full: bool
    started: float
    api_version: str | None = None
    observed_date: str | None = None  # new versions' date if not today's (a replayed snapshot)
    stats: IngestStats = field(default_factory=IngestStats)


@dataclass
class CitedFetch:
    """The cited studies as fetched: full records spooled, probed-unchanged ids to touch."""

    section: Section | None = None
    unchanged: list[str] = field(default_factory=list)
    ids: frozenset[str] = frozenset()  # cited ids and what their aliases resolved to


@dataclass
class SearchFetched:
    """One search as fetched, and what the store knew of it before."""

    search: SearchConfig
    state: SearchState | None
    complete: bool
    redefined: bool
    section: Section
    ids: list[str]
    received: int
    total_count: int | None
    capped: bool
    full_section: Section | None = None  # hits with posted results, fetched in full
    full_ids: frozenset[str] = frozenset()  # hits kept at full scope: their summary is no version


def fetch(
    sessions: sessionmaker[Session], job: RefreshJob
) -> tuple[CitedFetch, list[SearchFetched]]:
    """Ask the registry; spool what arrives. Reads the store, never writes it."""
    version = job.client.version()
    job.result.data_timestamp = version.data_timestamp
    job.api_version = version.api_version
    job.result.notes += [f"WARNING {problem}" for problem in version.problems]
    cited = _fetch_cited(sessions, job)
    searches = [_fetch_search(sessions, job, s, cited.ids) for s in job.config.searches]
    return cited, searches


def _fetch_cited(sessions: sessionmaker[Session], job: RefreshJob) -> CitedFetch:
    """The cited studies: a cheap probe of update dates first, full records only if needed."""
    ids = job.config.cited_ids
    out = CitedFetch(ids=frozenset(ids))
    if not ids:
        return out
    with sessions() as session:
        stored = bulk.stored_update_dates(session, ids)
    to_fetch = [n for n in ids if job.full or stored.get(n, (None, ""))[1] != "full"]
    fetching = set(to_fetch)
    probe_ids = [n for n in ids if n not in fetching]
    found = IdFetch()
    if probe_ids:
        probe = job.client.fetch_ids(probe_ids, fields=PROBE_FIELDS)
        _merge_lookup(found, probe)
        for asked in probe_ids:
            record = probe.studies.get(probe.aliases.get(asked, asked))
            if record is None:
                continue
            posted = last_update_posted(record)
            if asked in probe.aliases or posted != stored[asked][0]:
                to_fetch.append(asked)
                fetching.add(asked)
        out.unchanged = [n for n in probe_ids if n not in fetching]
    if to_fetch:
        out.section = job.spool.section()
        fetched = job.client.fetch_ids(to_fetch, sink=job.spool.add)
        _merge_lookup(found, fetched)
        job.result.studies_fetched += out.section.count + out.section.skipped
    _cited_notes(job.result, found)
    out.ids = frozenset(ids) | frozenset(found.aliases.values())
    return out


def _cited_notes(result: RefreshResult, found: IdFetch) -> None:
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


def _merge_lookup(into: IdFetch, other: IdFetch) -> None:
    """What was not found, resolved or refused (the records themselves are ingested apart)."""
    into.aliases.update(other.aliases)
    into.not_found += other.not_found
    into.rejected.update(other.rejected)


def _fetch_search(
    sessions: sessionmaker[Session], job: RefreshJob, search: SearchConfig, cited: frozenset[str]
) -> SearchFetched:
    config, now, result = job.config, job.now, job.result
    with sessions() as session:
        state = store.search_state(session, search.name)
    redefined = state is None or canonical_json(state.params) != canonical_json(search.params)
    stale = (
        state is None
        or state.last_full_at is None
        or now - state.last_full_at >= timedelta(days=config.refresh.full_every_days)
    )
    complete = job.full or redefined or stale
    params: dict[str, Any] = dict(search.params)
    if not complete and state is not None and state.last_success_at is not None:
        since = (state.last_success_at - timedelta(days=config.refresh.overlap_days)).date()
        window = f"AREA[LastUpdatePostDate]RANGE[{since.isoformat()},MAX]"
        existing = params.get("filter.advanced")
        params["filter.advanced"] = f"({existing}) AND {window}" if existing else window
    section = job.spool.section()
    ids: list[str] = []  # only ids ingest accepts (a malformed one is skipped with a note)

    results_posted: dict[str, str | None] = {}

    def sink(studies: list[dict[str, Any]]) -> None:
        results_posted.update(with_results(s for s in studies if nct_id(s) not in cited))
        # a cited study's summary is not a version: not spooled, still a member
        ids.extend(n for n in job.spool.add([s for s in studies if nct_id(s) not in cited]))
        ids.extend(n for s in studies if (n := nct_id(s)) in cited)

    fetched = job.client.search(
        params, fields=SUMMARY_FIELDS, max_studies=search.max_studies, sink=sink
    )
    _search_notes(result, search, fetched.received, fetched.total_count, fetched.capped)
    result.notes += [f"WARNING search {search.name!r}: {p}" for p in fetched.problems]
    result.studies_fetched += fetched.received
    full_section, full_ids = fetch_results(
        sessions, job.client, job.spool, search, results_posted, result.notes
    )
    if full_section is not None:
        result.studies_fetched += full_section.count + full_section.skipped
    return SearchFetched(
        search, state, complete, redefined, section, ids,
        fetched.received, fetched.total_count, fetched.capped, full_section, full_ids,
    )  # fmt: skip


def _search_notes(
    result: RefreshResult, search: SearchConfig, received: int, total: int | None, capped: bool
) -> None:
    if capped:
        result.notes.append(
            f"WARNING search {search.name!r}: stopped at max_studies={search.max_studies} of "
            f"{total if total is not None else 'more'} studies; "
            "raise max_studies in the config to see them all"
        )
    elif total is not None and total != received:
        result.notes.append(
            f"WARNING search {search.name!r}: the registry counted {total} "
            f"studies but {received} arrived"
        )
