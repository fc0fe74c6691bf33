"""The largest page of a related search of N studies, stored by a real refresh.

SYNTHETIC hits at the registry's size distribution (bench/synthetic.py) are fetched as search
summaries by the real refresh (child process), then the report is rendered in another child.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.common import ChildRun, run_child
from bench.scale import SearchRuns


@dataclass
class ReportFigures:
    related: int
    child: ChildRun

    @property
    def largest_bytes(self) -> int:
        return int(self.child.answer["largest_bytes"])


def run(search: SearchRuns, workdir: Path) -> ReportFigures:
    return ReportFigures(search.hits, run_child("report", str(search.config)))
