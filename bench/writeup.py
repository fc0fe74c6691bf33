"""Prints each benchmark's figures as it finishes and writes them all to a Markdown file.

The hand-written analysis below the NOTES marker of an existing results file is kept.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

from bench.common import mib, ratio
from bench.ingest_cost import IngestFigures
from bench.report_scale import ReportFigures
from bench.requests_cost import RequestFigures
from bench.show_latency import ShowFigures

NOTES = "<!-- notes: everything below this line is hand-written and kept across runs -->"
REGISTRY = 600_000  # studies in ClinicalTrials.gov, roughly
INGEST_GOAL, SHOW_GOAL, PAGE_GOAL = 3.0, 1.5, 2 * 2**20


def _met(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


class Writeup:
    def __init__(self, size: str, when: datetime, machine: dict[str, str]) -> None:
        self.size, self.when, self.machine = size, when, machine
        self.lines: list[str] = []
        self.goals: list[tuple[str, str, str]] = []  # goal, measured, verdict
        self.missed_counts = False

    def _emit(self, *lines: str) -> None:
        for line in lines:
            print(line, flush=True)
            self.lines.append(line)

    def _table(self, header: list[str], rows: list[list[str]]) -> None:
        self._emit(
            "| " + " | ".join(header) + " |",
            "|" + "|".join("---" for _ in header) + "|",
            *("| " + " | ".join(row) + " |" for row in rows),
            "",
        )

    def start(self) -> None:
        self._emit(
            f"Size `{self.size}`, {self.when:%Y-%m-%d %H:%M} UTC.",
            "",
            *(f"- {k}: {v}" for k, v in self.machine.items()),
            "",
            "All records are SYNTHETIC: real recorded records from `tests/fixtures/ctgov/studies/` "
            "with made-up ids (`NCT8xxxxxxx` cited, `NCT9xxxxxxx` search hits), cycling through "
            "the 8 real studies; see `bench/synthetic.py`. Only the demo store in item 3 holds the "
            "real records under their own ids.",
            "",
        )

    # -- 1 -------------------------------------------------------------------------------------
    def requests(self, f: RequestFigures) -> None:
        if not any(line.startswith("## 1.") for line in self.lines):
            self._emit(
                "## 1. Requests and bytes per refresh (fake API on 127.0.0.1)",
                "",
                "`services.refresh` with `min_interval = 0`. Requests and bytes are what the fake "
                "API sent for `/studies`; the one `GET /version` each refresh makes is counted "
                "apart. *Naive*: one `GET /studies/{nctId}` per tracked study (K + H), full "
                "records, on every refresh.",
                "",
            )
        first, same, full, naive = f.first, f.unchanged, f.full_recheck, f.naive
        rows = [
            ["first", str(first.studies_requests), f"≤ {f.goal_first}",
             mib(first.studies_bytes), "100%"],
            ["nothing changed", str(same.studies_requests), f"≤ {f.goal_unchanged}",
             mib(same.studies_bytes), f"{f.unchanged_share:.4%} (goal ≤ 1%)"],
            ["full re-check, nothing changed", str(full.studies_requests), "",
             mib(full.studies_bytes), f"{full.studies_bytes / first.studies_bytes:.0%}"],
            ["naive, any refresh", f"{naive.studies_requests:,}", "", mib(naive.studies_bytes),
             f"{naive.studies_bytes / first.studies_bytes:.0%}"],
        ]  # fmt: skip
        self._emit(f"**K = {f.k:,} cited, H = {f.h:,} search hits**", "")
        self._table(["refresh", "requests", "goal", "bytes", "share of first refresh"], rows)
        self._emit(
            f"Plus `/version`: {first.version_requests} request ({first.version_bytes} bytes) "
            f"per refresh. trialwatch's own count (including `/version`): "
            f"{first.client_requests}, {same.client_requests}, {full.client_requests}. "
            f"Naive / trialwatch: {naive.studies_requests / first.studies_requests:,.0f}x the "
            f"requests of a first refresh and "
            f"{naive.studies_bytes / max(same.studies_bytes, 1):,.0f}x the bytes of a no-change "
            "refresh.",
            "",
        )
        ok_first = first.studies_requests <= f.goal_first
        ok_same = same.studies_requests <= f.goal_unchanged and f.unchanged_share <= 0.01
        self.missed_counts |= not (ok_first and ok_same)
        self.goals += [
            (f"1. first refresh, K={f.k:,}, H={f.h:,}: ≤ {f.goal_first} requests",
             f"{first.studies_requests} (+1 /version)", _met(ok_first)),
            (f"1. no-change refresh, K={f.k:,}: ≤ {f.goal_unchanged} requests, ≤ 1% bytes",
             f"{same.studies_requests} (+1 /version), {f.unchanged_share:.4%}", _met(ok_same)),
        ]  # fmt: skip

    # -- 2 and 5 -------------------------------------------------------------------------------
    def ingest(self, f: IngestFigures) -> None:
        per = f.payload_bytes / f.n
        self._emit(
            f"## 2. Ingest cost: {f.n:,} records into SQLite",
            "",
            f"{mib(f.payload_bytes)} of compact API JSON ({per / 1024:.1f} KiB a record on "
            "average), in pages of 1000. Ratios are to `json.loads` of the same bytes (best of "
            "three). CPU time is given beside wall time because other jobs shared the cores.",
            "",
        )
        rows = []
        for label, t in (
            ("`json.loads` (the yardstick)", f.loads),
            ("trialwatch: loads + parse + hash + versioned upsert + commit", f.ingest),
            ("trialwatch, same records again (no new version)", f.reingest),
            ("naive: loads + `pandas.json_normalize` + `to_sql`", f.naive),
        ):
            rows.append(
                [label, f"{t.wall:.2f}", f"{t.cpu:.2f}", ratio(t.wall, f.loads.wall),
                 ratio(t.cpu, f.loads.cpu), f"{f.n / t.wall:,.0f}"]
            )  # fmt: skip
        self._table(
            ["path", "wall s", "CPU s", "÷ loads (wall)", "÷ loads (CPU)", "records/s"], rows
        )
        self._emit(
            f"Store size after ingest: {mib(f.db_bytes)} ({f.db_bytes / f.n / 1024:.1f} KiB a "
            f"record); the naive table: {mib(f.naive_db_bytes)}.",
            "",
        )
        wall, cpu = f.ingest.wall / f.loads.wall, f.ingest.cpu / f.loads.cpu
        self.goals.append(
            (f"2. ingest ≤ {INGEST_GOAL:g}x json.loads", f"{wall:.2f}x wall, {cpu:.2f}x CPU",
             _met(wall <= INGEST_GOAL and cpu <= INGEST_GOAL)),
        )  # fmt: skip

    def projection(self, f: IngestFigures) -> None:
        per = f.payload_bytes / f.n
        scale = REGISTRY / f.n
        hours = f.ingest.wall * scale / 3600
        self._emit(
            f"## 5. Projection: the whole registry ({REGISTRY:,} studies)",
            "",
            f"Linear from item 2, for this record mix ({per / 1024:.0f} KiB a record: 3 of the 8 "
            "real studies carry results and one is 360 KiB, so the mix leans large; the "
            "registry's own average is not known here):",
            "",
            f"- ingest time: {hours:.1f} h wall ({f.ingest.cpu * scale / 3600:.1f} h CPU) on "
            "one core, in one transaction per page as a refresh would",
            f"- store size: {f.db_bytes * scale / 2**30:.0f} GiB "
            "(`record_versions.raw` holds each version's JSON)",
            f"- download: {f.payload_bytes * scale / 2**30:.0f} GiB in {math.ceil(REGISTRY / 1000)}"
            " requests of 1000 records; at `min_interval = 1` s pacing that is "
            f"{math.ceil(REGISTRY / 1000) / 60:.0f} min of pacing plus transfer",
            "",
        )

    # -- 3 -------------------------------------------------------------------------------------
    def show(self, f: ShowFigures) -> None:
        self._emit(
            "## 3. `trialwatch show <id>` against the import floor",
            "",
            f"Fresh processes, median of {f.repeats}, run alternately. Floor: "
            '`python -c "import sqlalchemy.orm, click"`.',
            "",
        )
        rows = [
            ["`python -c pass`", f"{f.bare.wall * 1000:.0f}", f"{f.bare.cpu * 1000:.0f}", "", ""],
            ["floor", f"{f.floor.wall * 1000:.0f}", f"{f.floor.cpu * 1000:.0f}", "1.00x", "1.00x"],
        ]
        for label, t in f.shows.items():
            rows.append(
                [label, f"{t.wall * 1000:.0f}", f"{t.cpu * 1000:.0f}",
                 ratio(t.wall, f.floor.wall), ratio(t.cpu, f.floor.cpu)]
            )  # fmt: skip
            wall, cpu = t.wall / f.floor.wall, t.cpu / f.floor.cpu
            self.goals.append(
                (f"3. {label} ≤ {SHOW_GOAL:g}x floor", f"{wall:.2f}x wall, {cpu:.2f}x CPU",
                 _met(wall <= SHOW_GOAL and cpu <= SHOW_GOAL)),
            )  # fmt: skip
        self._table(["command", "wall ms", "CPU ms", "÷ floor (wall)", "÷ floor (CPU)"], rows)

    # -- 4 -------------------------------------------------------------------------------------
    def reports(self, figures: list[ReportFigures]) -> None:
        self._emit(
            "## 4. Report render time and page size",
            "",
            "2 cited studies plus a related search of N studies, stored by a real refresh; "
            "`services.render_report(config)` timed after one warm-up render.",
            "",
        )
        rows = [
            [f"{f.related:,}", f"{f.render.wall:.2f}", f"{f.render.cpu:.2f}",
             f"{f.render.wall / f.related * 1000:.2f}", f"`{f.page}`", mib(f.page_bytes),
             mib(f.report_bytes)]
            for f in figures
        ]  # fmt: skip
        self._table(
            ["related N", "wall s", "CPU s", "wall ms per related", "largest page", "its size",
             "whole report"],
            rows,
        )  # fmt: skip
        small, large = figures[0], figures[-1]
        growth = large.render.cpu / small.render.cpu
        scale = large.related / small.related
        self._emit(
            f"From N = {small.related:,} to {large.related:,} ({scale:g}x): render time "
            f"{growth:.1f}x (CPU), largest page {large.page_bytes / small.page_bytes:.1f}x.",
            "",
        )
        page_ok = all(f.page_bytes <= PAGE_GOAL for f in figures)
        self.missed_counts |= not page_ok
        self.goals += [
            ("4. render time grows at most linearly", f"{growth:.1f}x for {scale:g}x the studies",
             _met(growth <= scale * 1.2)),
            ("4. largest page ≤ 2 MiB", mib(max(f.page_bytes for f in figures)), _met(page_ok)),
        ]  # fmt: skip

    # -- output --------------------------------------------------------------------------------
    def finish(self) -> None:
        self._emit("## Goals", "")
        self._table(["goal", "measured", "verdict"], [list(g) for g in self.goals])

    def write(self, path: Path) -> None:
        notes = ""
        if path.exists() and NOTES in path.read_text(encoding="utf-8"):
            notes = path.read_text(encoding="utf-8").split(NOTES, 1)[1]
        lines = self.lines  # the goals table (printed last) goes first in the file
        goals = lines.index("## Goals")
        first = next(i for i, line in enumerate(lines) if line.startswith("## "))
        body = [
            "# Benchmark results",
            "",
            "Written by `python -m bench` (see README, *Benchmarks*). Figures from one run.",
            "",
            *lines[:first],
            *lines[goals:],
            *lines[first:goals],
            NOTES,
        ]
        path.write_text("\n".join(body) + (notes or "\n"), encoding="utf-8")
