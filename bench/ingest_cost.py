"""Ingest cost: parse + normalise + versioned upsert of N records into SQLite, against json.loads.

The records are SYNTHETIC copies of the real fixtures (see bench/synthetic.py), sent as API pages
of 1000 compact records. The real code path is timed: `json.loads` of each page, then
`trialwatch.store.ingest.ingest_records` inside one transaction, as `trialwatch/refresh.py` does.
A naive baseline (pandas.json_normalize + DataFrame.to_sql) runs on the same bytes in the same run.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import Timing, timed
from bench.synthetic import compact, synthetic_records
from trialwatch.store import engine as store
from trialwatch.store.ingest import ingest_records
from trialwatch.store.models import utcnow

PAGE = 1000  # records per API page


@dataclass
class IngestFigures:
    n: int
    payload_bytes: int
    loads: Timing  # json.loads of every page
    ingest: Timing  # json.loads + ingest_records + commit
    reingest: Timing  # the same records again: hashes match, no new version
    naive: Timing  # json.loads + json_normalize + to_sql
    db_bytes: int
    naive_db_bytes: int
    db_path: Path


def make_pages(n: int) -> list[bytes]:
    records = synthetic_records(n)
    return [compact({"studies": records[i : i + PAGE]}) for i in range(0, n, PAGE)]


def time_loads(pages: list[bytes]) -> Timing:
    """The yardstick: best of three (by CPU time) json.loads over every page."""
    runs = []
    for _ in range(3):
        with timed() as timing:
            for body in pages:
                json.loads(body)
        runs.append(timing)
    return min(runs, key=lambda t: t.cpu)


def time_ingest(pages: list[bytes], url: str) -> Timing:
    """json.loads + ingest_records of every page, in one transaction (commit included)."""
    engine = store.open_store(url)
    sessions = store.session_factory(engine)
    try:
        with timed() as timing, sessions.begin() as session:
            now = utcnow()
            for body in pages:
                records = json.loads(body)["studies"]
                ingest_records(session, records, scope="full", now=now, run_id=None)
        return timing
    finally:
        engine.dispose()


def time_naive(pages: list[bytes], path: Path) -> Timing:
    """The naive baseline: json_normalize each page and append it to one wide table."""
    import pandas as pd

    with timed() as timing, sqlite3.connect(path) as conn:
        for body in pages:
            frame = pd.json_normalize(json.loads(body)["studies"])
            frame = frame.map(_scalar)  # SQLite cannot bind lists: store them as JSON text
            frame.to_sql("studies", conn, if_exists="append", index=False)
    return timing


def _scalar(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, list | dict) else value


def run(n: int, workdir: Path) -> IngestFigures:
    pages = make_pages(n)
    db = workdir / "ingest.db"
    url = f"sqlite:///{db}"
    loads = time_loads(pages)
    ingest = time_ingest(pages, url)
    reingest = time_ingest(pages, url)
    naive_db = workdir / "naive.db"
    naive = time_naive(pages, naive_db)
    figures = IngestFigures(
        n=n,
        payload_bytes=sum(len(p) for p in pages),
        loads=loads,
        ingest=ingest,
        reingest=reingest,
        naive=naive,
        db_bytes=db_size(db),
        naive_db_bytes=db_size(naive_db),
        db_path=db,
    )
    naive_db.unlink()
    return figures


def db_size(path: Path) -> int:
    """The database's size on disk once its WAL is folded in."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if os.path.exists(p))
