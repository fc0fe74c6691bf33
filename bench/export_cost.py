"""`export --what outcomes` of a store holding many outcome rows: peak RSS and time.

The store is filled by a real first refresh (in a child process) of SYNTHETIC copies of the
three real records with posted results (bench/synthetic.py), enough of them for `rows`
outcome measurement rows. The export runs in a fresh process (`export_to`, CSV); the yardstick,
in another, writes the same rows, already in memory, with `pandas.DataFrame(rows).to_csv`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from bench.common import ChildRun, run_child
from bench.scale import nct_of, write_config
from bench.synthetic import CITED_PREFIX, real_records, synthetic_copy, synthetic_id
from tests.fakeapi import FakeApi
from trialwatch.domain.results import parse_outcomes


@dataclass
class ExportFigures:
    studies: int
    rows: int
    export: ChildRun
    pandas: ChildRun

    @property
    def ratio(self) -> float:
        return float(self.export.answer["export_wall"]) / float(self.pandas.answer["pandas_wall"])


def run(rows: int, workdir: Path) -> ExportFigures:
    directory = workdir / f"export-{rows}"
    directory.mkdir()
    with_results = [r for r in real_records() if r.get("resultsSection")]
    per_study = [sum(len(o.measurements) for o in parse_outcomes(r)) for r in with_results]
    n = math.ceil(rows * len(per_study) / sum(per_study))
    records = [
        synthetic_copy(with_results[i % len(with_results)], synthetic_id(CITED_PREFIX, i))
        for i in range(n)
    ]
    with FakeApi(records) as api:
        config = write_config(directory, api.url, [nct_of(r) for r in records])
        run_child("refresh", str(config))
    export = run_child("export", str(config), str(directory / "outcomes.csv"))
    pandas = run_child("pandas-export", str(config), str(directory / "pandas.csv"))
    if export.answer["rows"] != pandas.answer["rows"]:
        raise RuntimeError(f"export wrote {export.answer['rows']}, pandas {pandas.answer['rows']}")
    return ExportFigures(n, int(export.answer["rows"]), export, pandas)
