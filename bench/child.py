"""One benchmark step in a fresh process: `python -m bench.child TASK ARGS...` (bench.common).

Prints one JSON line: the task's own figures, its CPU seconds and its peak resident set size
(VmHWM of this process alone, so the parent's fake API and other steps are not counted).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import requests

from bench.common import own_peak_rss


class TimingSession(requests.Session):
    """A requests.Session that adds up the wall time spent in its requests."""

    spent = 0.0

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        started = time.perf_counter()
        try:
            response = super().request(*args, **kwargs)
            response.content  # noqa: B018 - the transfer is part of the request
            return response
        finally:
            TimingSession.spent += time.perf_counter() - started


def refresh(config_path: str, full: str = "") -> dict[str, Any]:
    """The real `services.refresh`; `http` is the time spent waiting for the fake API."""
    from trialwatch.config import load_config
    from trialwatch.ctgov.session import make_retry
    from trialwatch.services import pipeline as services

    config = load_config(Path(config_path))
    session = TimingSession()
    session.mount("http://", requests.adapters.HTTPAdapter(max_retries=make_retry(0)))
    started = time.perf_counter()
    result = services.refresh(
        config, full=bool(full), client=services.make_client(config, session=session)
    )
    wall = time.perf_counter() - started
    return {
        "refresh_wall": wall,
        "http": TimingSession.spent,
        "requests": result.requests,
        "bytes": result.bytes,
        "fetched": result.studies_fetched,
        "new_versions": result.new_versions,
        "changes": result.changes,
    }


def export(config_path: str, out: str) -> dict[str, Any]:
    from trialwatch.config import load_config
    from trialwatch.services.exports import export_to

    started = time.perf_counter()
    written = export_to(load_config(Path(config_path)), "outcomes", Path(out))
    return {"export_wall": time.perf_counter() - started, "rows": written["rows"]}


def pandas_export(config_path: str, out: str) -> dict[str, Any]:
    """The yardstick: the same rows, already in memory, written by pandas alone."""
    import pandas as pd

    from trialwatch.config import load_config
    from trialwatch.services.export_rows import WHAT
    from trialwatch.store.reader import reading

    config = load_config(Path(config_path))
    with reading(config.database_url, config.path) as session:
        rows = list(WHAT["outcomes"](session))
    started = time.perf_counter()
    pd.DataFrame(rows).to_csv(out, index=False)
    pandas_wall = time.perf_counter() - started
    # the export's own writer on the same rows in memory: what streaming and formula-proofing
    # cost beyond pandas, apart from reading and parsing the store's records
    from trialwatch.services.collector import gc_paused
    from trialwatch.services.exports import stream

    started = time.perf_counter()
    with gc_paused():
        stream(iter(rows), Path(out).with_suffix(".stream.csv"), "csv")
    return {"pandas_wall": pandas_wall, "rows": len(rows),
            "writer_wall": time.perf_counter() - started}  # fmt: skip


def report(config_path: str) -> dict[str, Any]:
    from trialwatch.config import load_config
    from trialwatch.services import pipeline as services

    config = load_config(Path(config_path))
    started = time.perf_counter()
    index = services.render_report(config)
    wall = time.perf_counter() - started
    pages = {p.name: p.stat().st_size for p in index.parent.glob("*.html")}
    largest = max(pages, key=pages.__getitem__)
    return {"render_wall": wall, "pages": len(pages), "largest": largest,
            "largest_bytes": pages[largest]}  # fmt: skip


TASKS = {"refresh": refresh, "export": export, "pandas-export": pandas_export, "report": report}


def main() -> None:
    task, *args = sys.argv[1:]
    answer = TASKS[task](*args)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    answer.update(cpu=usage.ru_utime + usage.ru_stime, peak_rss=own_peak_rss())
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
