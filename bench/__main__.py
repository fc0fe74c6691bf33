"""Run every benchmark and print each goal of issue 19 with "met" or "not met":
`python -m bench [--size tiny|full] [--check]`.

Not part of the test suite. `--size full` measures the sizes the issue names (as far as
`Size.full` says) and rewrites bench/RESULTS.md; `--size tiny` is a seconds-long smoke run that
writes nothing unless `--out` is given. `--check` exits 1 when a request, byte or memory goal is
missed (time goals are printed, never checked: this machine is shared).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import (
    export_cost,
    import_cost,
    ingest_cost,
    report_scale,
    requests_cost,
    scale,
    sections,
    show_latency,
)
from bench.common import machine
from bench.writeup import Writeup

RESULTS = Path(__file__).with_name("RESULTS.md")


@dataclass(frozen=True)
class Size:
    refreshes: tuple[int, ...]  # first refreshes of N full records (memory, linear time)
    ingest: int  # records per ingest-ratio mix and for the change path
    search: int  # hits of the no-change search refresh
    related: int  # hits of the related search whose report is rendered
    export_rows: int
    show_repeats: int
    cited: tuple[int, ...]  # K for the request counts (with H = `hits`)
    hits: int
    import_files: int  # the mixed classic XML / v2 archive timed against parsing alone
    bulk_files: int  # the v2 bulk-layout archive: memory, and the projection to the registry


SIZES = {
    "tiny": Size(refreshes=(100, 400), ingest=200, search=500, related=600, export_rows=2_000,
                 show_repeats=3, cited=(2, 30), hits=100, import_files=100, bulk_files=400),
    # the sizes issue 19 names; about 10 minutes on this 2-core machine when it is quiet
    "full": Size(refreshes=(10_000, 50_000, 100_000), ingest=10_000, search=100_000,
                 related=50_000, export_rows=600_000, show_repeats=15, cited=(2, 1000),
                 hits=10_000, import_files=5_000, bulk_files=100_000),
}  # fmt: skip


def run(size: Size, report: Writeup, workdir: Path) -> None:
    refreshes = [scale.first_refresh(n, workdir) for n in size.refreshes]
    sections.refreshes(report, refreshes)
    mixes = [ingest_cost.mix(m, size.ingest, workdir) for m in ("registry", "summary")]
    sections.ingest(report, mixes, ingest_cost.change_path(size.ingest, workdir))
    searches = scale.search_refreshes(size.search, workdir)
    sections.search(report, searches)
    related = searches if size.related == size.search else (
        scale.search_refreshes(size.related, workdir))  # fmt: skip
    sections.report(report, report_scale.run(related, workdir))
    sections.export(report, export_cost.run(size.export_rows, workdir))
    largest = refreshes[-1]
    config = show_latency.plain_config(workdir, largest.db_path)
    targets = {f"show, store of {largest.n:,} full records": (config, "NCT80000003")}
    sections.show(report, show_latency.run(workdir, targets, size.show_repeats))
    for k in size.cited:
        part = workdir / f"requests-{k}"
        part.mkdir()
        sections.requests(report, requests_cost.run(k, size.hits, part))
    sections.projection(report, largest)
    # archives of SYNTHETIC copies: mixed classic XML / v2, and the v2 bulk layout
    import_cost.write(report, import_cost.run(size.import_files, size.bulk_files, workdir))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--out", type=Path, help="write the results here (full: RESULTS.md)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a checked goal is missed")
    args = parser.parse_args(argv)
    out = args.out or (RESULTS if args.size == "full" else None)
    report = Writeup(args.size, datetime.now(UTC), machine())
    report.start()
    with tempfile.TemporaryDirectory(prefix="trialwatch-bench-") as tmp:
        run(SIZES[args.size], report, Path(tmp))
    report.finish()
    if out is not None:
        report.write(out)
        print(f"\nwritten to {out}")
    missed = report.missed_checked
    if args.check and missed:
        print("missed: " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
