"""Ingest cost against `json.loads` of the same bytes, on the real path, GC as a refresh has it.

Records are SYNTHETIC, at the registry's size distribution (bench/synthetic.py): full records,
and the search summaries the fake API cuts from them (`fields=` as a search asks). Pages of 1000
compact records are built in memory first. The timed path is a refresh's without the network,
with the collector paused as `services.collector.gc_paused` does in a refresh: `json.loads` of each
page, `Spool.add` (parse, canonical JSON, hashes, to disk), then one transaction of
`ingest_prepared` (stored hashes of each batch in one query, bulk inserts) and its commit.

The change path: the same records again with 10% of them edited (SYNTHETIC: a new status and
update date), after unchanged re-ingests. A changed record costs what an unchanged one does plus
the difference of the two runs divided by the changed records: decoding the old version,
diffing, the new version. Each kind of run is repeated and the fastest counts.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import Timing, timed
from bench.synthetic import compact, registry_records
from tests.fakeapi import project
from trialwatch.ctgov.client import SUMMARY_FIELDS
from trialwatch.services.collector import gc_paused
from trialwatch.services.spool import Spool
from trialwatch.store import engine as store
from trialwatch.store.ingest import ingest_prepared
from trialwatch.store.models import utcnow

PAGE = 1000


@dataclass
class MixFigures:
    mix: str
    n: int
    payload_bytes: int
    loads: Timing  # json.loads of every page (best of three by CPU), collector on as by default
    ingest: Timing  # the first ingest

    @property
    def ratio(self) -> float:
        return self.ingest.cpu / self.loads.cpu


@dataclass
class ChangeFigures:
    n: int
    changed: int
    first: Timing
    unchanged: Timing  # the fastest of REPEATS re-ingests of the same records
    with_changes: Timing  # the fastest of REPEATS re-ingests with 10% of the records changed
    versions: int
    changes: int

    @property
    def per_changed_record(self) -> float:
        """CPU s of a changed record: what an unchanged one costs (parse, hash, compare), plus
        the run's extra over an unchanged run, shared by its changed records (new version,
        the old version decoded, the diff, the change rows)."""
        extra = self.with_changes.cpu - self.unchanged.cpu
        return self.unchanged.cpu / self.n + extra / self.changed

    @property
    def ratio(self) -> float:
        """A changed record's cost ÷ a first-ingest record's."""
        return self.per_changed_record / (self.first.cpu / self.n)

    @property
    def run_ratio(self) -> float:
        """The whole run with 10% changed, per record, ÷ the first ingest's per record."""
        return self.with_changes.cpu / self.first.cpu


REPEATS = 3  # runs of each kind; the fastest (by CPU) counts, so noise cannot make a cost vanish


def pages_of(records: list[dict[str, Any]]) -> list[bytes]:
    return [compact({"studies": records[i : i + PAGE]}) for i in range(0, len(records), PAGE)]


def time_loads(pages: list[bytes]) -> Timing:
    runs = []
    for _ in range(3):
        with timed() as timing:
            for body in pages:
                json.loads(body)
        runs.append(timing)
    return min(runs, key=lambda t: t.cpu)


def time_ingest(pages: list[bytes], url: str, scope: str) -> tuple[Timing, int, int]:
    """One real-path ingest of every page; (timing, new versions, changes)."""
    engine = store.open_store(url)
    sessions = store.session_factory(engine)
    try:
        with timed() as timing, gc_paused(), Spool() as spool:
            section = spool.section()
            for body in pages:
                spool.add(json.loads(body)["studies"])
            with sessions.begin() as session:
                stats = ingest_prepared(
                    session, spool.read(section), scope=scope, now=utcnow(), run_id=None
                )
        return timing, stats.new_versions, stats.changes
    finally:
        engine.dispose()


def mix(name: str, n: int, workdir: Path) -> MixFigures:
    records = registry_records(n)
    scope = "full"
    if name == "summary":
        records = [project(r, SUMMARY_FIELDS) for r in records]
        scope = "summary"
    pages = pages_of(records)
    del records
    loads = time_loads(pages)
    ingest, _, _ = time_ingest(pages, f"sqlite:///{workdir / f'ingest-{name}.db'}", scope)
    return MixFigures(name, n, sum(map(len, pages)), loads, ingest)


def edited(record: dict[str, Any]) -> dict[str, Any]:
    """SYNTHETIC: the record with a new overall status and a later update date."""
    record = copy.copy(record)
    protocol = dict(record["protocolSection"])
    status = dict(protocol["statusModule"])
    status["overallStatus"] = "TERMINATED" if status.get("overallStatus") != "TERMINATED" else (
        "COMPLETED")  # fmt: skip
    status["whyStopped"] = "SYNTHETIC edit for the benchmark"
    status["lastUpdatePostDateStruct"] = {"date": "2026-11-30", "type": "ACTUAL"}
    protocol["statusModule"] = status
    record["protocolSection"] = protocol
    return record


def change_path(n: int, workdir: Path) -> ChangeFigures:
    """First ingest; REPEATS unchanged re-ingests; then REPEATS runs that each change 10% of the
    records (edited, original, edited...: every run after the first undoes the one before)."""
    records = registry_records(n)
    url = f"sqlite:///{workdir / 'change.db'}"
    original = pages_of(records)
    first, _, _ = time_ingest(original, url, "full")
    unchanged = min((time_ingest(original, url, "full")[0] for _ in range(REPEATS)),
                    key=lambda t: t.cpu)  # fmt: skip
    edited_pages = pages_of([edited(r) if i % 10 == 0 else r for i, r in enumerate(records)])
    count = sum(1 for i in range(n) if i % 10 == 0)
    runs = []
    for turn in range(REPEATS):
        timing, versions, changes = time_ingest(
            edited_pages if turn % 2 == 0 else original, url, "full"
        )
        if versions != count:
            raise RuntimeError(f"{versions} new versions for {count} changed records")
        runs.append((timing, versions, changes))
    with_changes, versions, changes = min(runs, key=lambda r: r[0].cpu)
    return ChangeFigures(n, count, first, unchanged, with_changes, versions, changes)
