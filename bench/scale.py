"""A first refresh of N cited studies (full records) in a fresh process: peak RSS and time.

The fake API (tests/fakeapi.py, in this process) serves N SYNTHETIC records at the registry's
size distribution (bench/synthetic.py); the child runs the real `services.refresh` against it
with `min_interval = 0`, storing into a new SQLite file. Memory is the child's peak resident
set; time is the child's refresh call (wall and CPU), not its start-up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import ChildRun, run_child
from bench.synthetic import CITED_PREFIX, SEARCH_PREFIX, registry_records
from tests.fakeapi import FakeApi


@dataclass
class RefreshRun:
    n: int
    payload_bytes: int
    child: ChildRun
    db_path: Path

    @property
    def wall(self) -> float:
        return float(self.child.answer["refresh_wall"])

    @property
    def http(self) -> float:
        return float(self.child.answer["http"])


def write_config(
    directory: Path,
    api_url: str,
    cited: list[str],
    search: dict[str, str] | None = None,
    max_studies: int = 10_000,
) -> Path:
    """A config for the fake API: the cited ids and at most one related search."""
    db = directory / "bench.db"
    lines = [
        "[api]",
        f"base_url = {json.dumps(api_url)}",
        "min_interval = 0",
        "[database]",
        f"url = {json.dumps(f'sqlite:///{db}')}",
        "[report]",
        f"dir = {json.dumps(str(directory / 'report'))}",
    ]
    for nct in cited:
        lines += ["[[studies]]", f'nct_id = "{nct}"', 'cited_as = "SYNTHETIC benchmark study"']
    if search is not None:
        params = ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in search.items())
        lines += ["[[searches]]", 'name = "related"', f"params = {{ {params} }}",
                  f"max_studies = {max_studies}"]  # fmt: skip
    path = directory / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def nct_of(record: dict[str, Any]) -> str:
    return str(record["protocolSection"]["identificationModule"]["nctId"])


def first_refresh(n: int, workdir: Path) -> RefreshRun:
    """A first refresh of n cited studies stored in full."""
    directory = workdir / f"refresh-{n}"
    directory.mkdir()
    records = registry_records(n, CITED_PREFIX)
    with FakeApi(records) as api:
        config = write_config(directory, api.url, [nct_of(r) for r in records])
        child = run_child("refresh", str(config))
        payload = api.path_bytes["studies"]
    if child.answer["fetched"] != n:
        raise RuntimeError(f"refresh stored {child.answer['fetched']} of {n} studies")
    return RefreshRun(n, payload, child, directory / "bench.db")


SEARCH = {"query.cond": "SYNTHETIC benchmark condition"}


@dataclass
class SearchRuns:
    hits: int
    first: RefreshRun
    unchanged: ChildRun  # a no-change (incremental) refresh of the same search
    config: Path


def search_refreshes(hits: int, workdir: Path) -> SearchRuns:
    """A related search of `hits` studies: the first refresh, then one in which nothing changed."""
    directory = workdir / f"search-{hits}"
    directory.mkdir()
    records = registry_records(hits, SEARCH_PREFIX)
    with FakeApi(records) as api:
        api.set_search(SEARCH, [nct_of(r) for r in records])
        config = write_config(directory, api.url, [], SEARCH, max_studies=max(hits, 10_000))
        first = run_child("refresh", str(config))
        payload = api.path_bytes["studies"]
        unchanged = run_child("refresh", str(config))
    # the first refresh also fetches the hits with posted results in full (related evidence)
    if first.answer["fetched"] < hits or unchanged.answer["fetched"] != 0:
        raise RuntimeError(f"search refresh fetched {first.answer}, then {unchanged.answer}")
    return SearchRuns(hits, RefreshRun(hits, payload, first, directory / "bench.db"), unchanged,
                      config)  # fmt: skip
