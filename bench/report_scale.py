"""Report render time and page size with 2 cited studies and a growing related search.

The store is filled by the real refresh from the fake API (SYNTHETIC copies of real records, see
bench/synthetic.py), then `services.render_report(config)` is timed. Growth is linear when the
time per related study stays flat as the search grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.common import Timing, timed
from bench.requests_cost import SEARCH, _nct, write_config
from bench.synthetic import CITED_PREFIX, SEARCH_PREFIX, synthetic_records
from tests.fakeapi import FakeApi
from trialwatch.config import load_config
from trialwatch.services import pipeline as services


@dataclass
class ReportFigures:
    related: int
    render: Timing
    page: str  # the largest page: the related search's list
    page_bytes: int
    report_bytes: int  # every file the report wrote


def run(related: int, workdir: Path) -> ReportFigures:
    directory = workdir / f"report-{related}"
    directory.mkdir()
    cited = synthetic_records(2, CITED_PREFIX)
    hits = synthetic_records(related, SEARCH_PREFIX)
    with FakeApi(cited + hits) as api:
        api.set_search(SEARCH, [_nct(r) for r in hits])
        config = load_config(write_config(directory, api.url, [_nct(r) for r in cited]))
        services.refresh(config)
    services.render_report(config)  # warm: imports, template compilation
    with timed() as timing:
        page = services.render_report(config)
    files = [p for p in page.parent.rglob("*") if p.is_file()]
    largest = max((p for p in files if p.suffix == ".html"), key=lambda p: p.stat().st_size)
    return ReportFigures(
        related=related,
        render=timing,
        page=largest.name,
        page_bytes=largest.stat().st_size,
        report_bytes=sum(p.stat().st_size for p in files),
    )
