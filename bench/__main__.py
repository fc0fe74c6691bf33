"""Run every benchmark and write the figures: `python -m bench [--size tiny|full]`.

Not part of the test suite. `--size full` (the default) measures the sizes issue 8 names and
rewrites bench/RESULTS.md; `--size tiny` is a seconds-long smoke run that writes nothing unless
`--out` is given. `--check` exits 1 when a count goal (requests, bytes, page size) is missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import import_cost, ingest_cost, report_scale, requests_cost, show_latency
from bench.common import machine
from bench.writeup import Writeup

RESULTS = Path(__file__).with_name("RESULTS.md")


@dataclass(frozen=True)
class Size:
    cited: tuple[int, ...]  # K
    hits: int  # H
    ingest: int  # N
    related: tuple[int, ...]
    show_repeats: int


SIZES = {
    "tiny": Size(cited=(2, 30), hits=100, ingest=100, related=(10, 100), show_repeats=1),
    "full": Size(
        cited=(2, 300, 5000), hits=10_000, ingest=10_000, related=(1000, 10_000), show_repeats=7
    ),
}
ITEMS = ("requests", "ingest", "show", "report", "import")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--only", choices=ITEMS, action="append", help="run only these items")
    parser.add_argument("--out", type=Path, help="write the results here (full: RESULTS.md)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a count goal is missed")
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    items = args.only or list(ITEMS)
    out = args.out or (RESULTS if args.size == "full" and not args.only else None)
    report = Writeup(args.size, datetime.now(UTC), machine())
    report.start()
    with tempfile.TemporaryDirectory(prefix="trialwatch-bench-") as tmp:
        workdir = Path(tmp)
        if "requests" in items:
            for k in size.cited:
                part = workdir / f"requests-{k}"
                part.mkdir()
                report.requests(requests_cost.run(k, size.hits, part))
        ingest = None
        if "ingest" in items:
            ingest = ingest_cost.run(size.ingest, workdir)
            report.ingest(ingest)
        if "show" in items:
            targets = {"show, demo store": (show_latency.demo_store(workdir), "NCT00088699")}
            if ingest is not None:
                config = show_latency.plain_config(workdir, ingest.db_path)
                label = f"show, store of {ingest.n:,} synthetic records"
                targets[label] = (config, "NCT90000003")
            report.show(show_latency.run(workdir, targets, size.show_repeats))
        if "report" in items:
            report.reports([report_scale.run(n, workdir) for n in size.related])
        if ingest is not None:
            report.projection(ingest)
        if "import" in items:  # an archive of N files, half classic XML, half API v2 JSON
            import_cost.write(report, import_cost.run(size.ingest, workdir))
    report.finish()
    if out is not None:
        report.write(out)
        print(f"\nwritten to {out}")
    return 1 if args.check and report.missed_counts else 0


if __name__ == "__main__":
    sys.exit(main())
