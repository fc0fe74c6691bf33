"""Which related-search hits a refresh fetches in full: those whose summary says results are
posted, when no full record of them is stored or their last-update date moved since it was.

So a search page can set what related trials found beside the cited ones. Bounded per search by
`max_full_records` (reported when hit); a refresh in which nothing moved asks for nothing here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from trialwatch.config import SearchConfig
from trialwatch.ctgov.client import CtgovClient
from trialwatch.domain.raw import last_update_posted, nct_id
from trialwatch.services.spool import Section, Spool
from trialwatch.store import bulk

# 50 records with results are 2-20 MB of JSON (a full record with results is 30-400 KB): a page
# stays well inside the refresh's memory budget, and 500 trials cost 10 requests
FULL_BATCH = 50


@dataclass(frozen=True)
class FullFetchPlan:
    to_fetch: list[str]  # in id order
    left_out: int  # due, but beyond max_full_records


def with_results(summaries: Iterable[Mapping[str, Any]]) -> dict[str, str | None]:
    """NCT id -> last-update date of each search summary that says results are posted."""
    found: dict[str, str | None] = {}
    for record in summaries:
        if record.get("hasResults") is True and (nct := nct_id(record)) is not None:
            found[nct] = last_update_posted(record)
    return found


def plan_full_fetch(
    candidates: Mapping[str, str | None],
    stored: Mapping[str, tuple[str | None, str]],
    *,
    cap: int,
    skip: Iterable[str] = (),
) -> FullFetchPlan:
    """`stored`: id -> (last-update date, scope) of its newest stored version; `skip`: ids
    fetched in full anyway (the cited studies)."""
    skipped = set(skip)

    def due(nct: str, updated: str | None) -> bool:
        last_update, scope = stored.get(nct, (None, ""))
        return nct not in skipped and (scope != "full" or last_update != updated)

    due_ids = sorted(nct for nct, updated in candidates.items() if due(nct, updated))
    return FullFetchPlan(due_ids[:cap], max(0, len(due_ids) - cap))


def fetch_full(
    client: CtgovClient, ids: list[str], sink: Callable[[list[dict[str, Any]]], Any]
) -> None:
    """Full records of `ids`, `FULL_BATCH` per request, each page handed to `sink`."""
    for start in range(0, len(ids), FULL_BATCH):
        client.fetch_ids(ids[start : start + FULL_BATCH], sink=sink)


def fetch_results(
    sessions: sessionmaker[Session],
    client: CtgovClient,
    spool: Spool,
    search: SearchConfig,
    candidates: Mapping[str, str | None],
    notes: list[str],
) -> tuple[Section | None, frozenset[str]]:
    """Fetch what is due of `candidates` into a spool section of its own; returns it (None when
    nothing was due) and every candidate kept at full scope (stored so, or fetched now)."""
    if not candidates:
        return None, frozenset()
    with sessions() as session:
        stored = bulk.stored_update_dates(session, candidates)
    plan = plan_full_fetch(candidates, stored, cap=search.max_full_records)
    if plan.left_out:
        notes.append(
            f"WARNING search {search.name!r}: {plan.left_out} trials with posted results were "
            f"not fetched in full (max_full_records={search.max_full_records}); raise it to "
            "show them beside the others"
        )
    kept = frozenset(n for n in candidates if stored.get(n, (None, ""))[1] == "full")
    if not plan.to_fetch:
        return None, kept
    section = spool.section()
    fetch_full(client, plan.to_fetch, spool.add)
    return section, kept | frozenset(plan.to_fetch)
