"""Requests and bytes per refresh against the fake API on 127.0.0.1, and a naive client.

K cited studies plus one related search of H hits, all SYNTHETIC records at the registry mix (see
bench/synthetic.py). The real `services.refresh` runs three times with `[api] base_url` at the fake
API and no pacing: the first refresh, a refresh in which nothing changed (incremental), and the
periodic full re-check (`--full`, every `full_every_days`) in which nothing changed either. The
naive client asks one GET /studies/{nctId} per tracked study, full records, every time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.scale import nct_of, write_config
from bench.synthetic import CITED_PREFIX, SEARCH_PREFIX, registry_records
from tests.fakeapi import FakeApi
from trialwatch.config import load_config
from trialwatch.services import pipeline as services

SEARCH = {"query.cond": "synthetic benchmark condition"}


@dataclass
class Traffic:
    studies_requests: int  # GET /studies and /studies/{id}
    version_requests: int
    studies_bytes: int
    version_bytes: int
    client_requests: int | None = None  # what trialwatch itself counted (a cross-check)
    related_full: int = 0  # of studies_requests: search hits with posted results, in full


@dataclass
class RequestFigures:
    k: int
    h: int
    first: Traffic
    unchanged: Traffic
    full_recheck: Traffic
    naive: Traffic

    @property
    def goal_first(self) -> int:
        return math.ceil(self.k / 1000) + math.ceil(self.h / 1000) + 1

    @property
    def goal_unchanged(self) -> int:
        return math.ceil(self.k / 1000) + 1

    @property
    def unchanged_share(self) -> float:
        return self.unchanged.studies_bytes / self.first.studies_bytes


def _traffic(api: FakeApi, client_requests: int | None = None) -> Traffic:
    single = api.paths["{nctId}"]
    related_full = sum(  # full records (no `fields`) of search hits, asked by id
        1 for q in api.asked
        if "fields" not in q and q.get("filter.ids", "").startswith(SEARCH_PREFIX)
    )  # fmt: skip
    return Traffic(
        studies_requests=api.paths["studies"] + single,
        version_requests=api.paths["version"],
        studies_bytes=api.path_bytes["studies"] + api.path_bytes["{nctId}"],
        version_bytes=api.path_bytes["version"],
        client_requests=client_requests,
        related_full=related_full,
    )


def naive_refresh(api: FakeApi, ids: list[str]) -> Traffic:
    """One request per study id, full record, as a client without batching would."""
    api.reset_counts()
    with requests.Session() as session:
        for nct in ids:
            response = session.get(f"{api.url}/studies/{nct}", timeout=30)
            response.raise_for_status()
            len(response.content)
    return _traffic(api)


def run(k: int, h: int, workdir: Path) -> RequestFigures:
    cited = registry_records(k, CITED_PREFIX)
    hits = registry_records(h, SEARCH_PREFIX)
    with FakeApi(cited + hits) as api:
        api.set_search(SEARCH, [nct_of(r) for r in hits])
        config = load_config(write_config(workdir, api.url, [nct_of(r) for r in cited], SEARCH))
        figures = []
        for full in (False, False, True):  # first, nothing changed, weekly full re-check
            api.reset_counts()
            result = services.refresh(config, full=full)
            figures.append(_traffic(api, result.requests))
        naive = naive_refresh(api, [nct_of(r) for r in cited + hits])
    return RequestFigures(k, h, figures[0], figures[1], figures[2], naive)
