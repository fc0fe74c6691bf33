"""Each benchmark's figures as Markdown, and its goals (bench.writeup.Writeup.goal)."""

from __future__ import annotations

from bench.common import mib
from bench.export_cost import ExportFigures
from bench.ingest_cost import REPEATS, ChangeFigures, MixFigures
from bench.limits import (
    CHANGE_GOAL,
    EXPORT_GOAL,
    INGEST_GOAL,
    LINEAR_GOAL,
    NO_CHANGE_GOAL,
    PAGE_GOAL,
    REGISTRY,
    REGISTRY_GOAL_S,
    RSS_GOAL,
    SHOW_GOAL,
)
from bench.report_scale import ReportFigures
from bench.requests_cost import RequestFigures
from bench.scale import RefreshRun, SearchRuns
from bench.show_latency import ShowFigures
from bench.writeup import Writeup


def refreshes(w: Writeup, runs: list[RefreshRun]) -> None:
    w.emit(
        "## Memory and time of a first refresh",
        "",
        "N cited studies, full records, from the fake API on 127.0.0.1 (`min_interval = 0`); the "
        "real `services.refresh` in a fresh process per size; peak RSS is that process's own "
        "(VmHWM). Time is the refresh call, wall and CPU of the whole child.",
        "",
    )
    rows = [
        [f"{r.n:,}", mib(r.payload_bytes), f"{r.wall:.1f}", f"{r.http:.1f}",
         f"{r.child.timing.cpu:.1f}", mib(r.child.peak_rss)]
        for r in runs
    ]  # fmt: skip
    w.table(["N", "downloaded", "refresh wall s", "of it waiting for HTTP", "child CPU s",
             "peak RSS"], rows)  # fmt: skip
    for r in runs:
        w.goal(f"peak RSS, first refresh of {r.n:,} full records", "≤ 400 MB",
               mib(r.child.peak_rss), r.child.peak_rss <= RSS_GOAL, "memory")  # fmt: skip
    small, large = runs[0], runs[-1]
    scale = large.n / small.n
    growth = large.wall / small.wall
    cpu = large.child.timing.cpu / small.child.timing.cpu
    limit = LINEAR_GOAL * scale / 10
    w.goal(f"wall time {small.n:,} → {large.n:,} ({scale:g}x the studies)", f"≤ {limit:g}x",
           f"{growth:.2f}x (child CPU {cpu:.2f}x)", growth <= limit, "time")  # fmt: skip


def ingest(w: Writeup, mixes: list[MixFigures], change: ChangeFigures) -> None:
    w.emit(
        "## Ingest cost ÷ `json.loads` of the same bytes",
        "",
        "The refresh's path without the network (bench/ingest_cost.py): loads, spool (parse, "
        "canonical JSON, hashes), one transaction of batched ingest into SQLite, commit; the "
        "cyclic collector paused as in a refresh. `json.loads` runs with the collector on, as by "
        "default. CPU seconds (wall beside).",
        "",
    )
    rows = [
        [m.mix, f"{m.n:,}", f"{m.payload_bytes / m.n / 1024:.1f} KiB", f"{m.loads.cpu:.2f}",
         f"{m.ingest.cpu:.2f} ({m.ingest.wall:.2f} wall)", f"{m.ratio:.2f}x"]
        for m in mixes
    ]  # fmt: skip
    w.table(["mix", "records", "average record", "loads CPU s", "ingest CPU s", "ratio"], rows)
    for m in mixes:
        registry = m.mix == "registry"
        w.goal(f"ingest ÷ json.loads, {m.mix} mix", "≤ 2.0x" if registry else "none (reported)",
               f"{m.ratio:.2f}x", m.ratio <= INGEST_GOAL if registry else "reported",
               "time")  # fmt: skip
    c = change
    w.emit(
        f"Change path: {c.n:,} records, first ingest {c.first.cpu:.2f} s CPU; again unchanged "
        f"{c.unchanged.cpu:.2f} s; again with {c.changed:,} changed (10%) "
        f"{c.with_changes.cpu:.2f} s "
        f"({c.versions:,} new versions, {c.changes:,} logged changes; fastest of "
        f"{REPEATS} runs each). A changed record costs "
        f"{c.per_changed_record * 1000:.2f} ms (an unchanged one's "
        f"{c.unchanged.cpu / c.n * 1000:.2f} ms plus the changed run's extra per changed "
        f"record); a first-ingest record {c.first.cpu / c.n * 1000:.2f} ms. The whole "
        f"10%-changed run per record ÷ the first ingest per record: {c.run_ratio:.2f}x.",
        "",
    )
    w.goal(f"change path: a changed record ÷ a first-ingest record ({c.changed:,} of "
           f"{c.n:,} changed)", "≤ 1.5x", f"{c.ratio:.2f}x (whole run {c.run_ratio:.2f}x)",
           c.ratio <= CHANGE_GOAL, "time")  # fmt: skip


def search(w: Writeup, s: SearchRuns) -> None:
    u = s.unchanged.answer
    beyond = float(u["refresh_wall"]) - float(u["http"])
    w.emit(
        f"## A related search of {s.hits:,} studies",
        "",
        f"First refresh (summaries, {mib(s.first.payload_bytes)}): {s.first.wall:.1f} s, peak RSS "
        f"{mib(s.first.child.peak_rss)}. No-change refresh: {u['requests']} requests, "
        f"{float(u['refresh_wall']):.3f} s in `services.refresh`, of which "
        f"{float(u['http']):.3f} s "
        "waiting for the fake API.",
        "",
    )
    peak = s.first.child.peak_rss
    w.goal(f"peak RSS, first refresh of a {s.hits:,}-hit search", "≤ 400 MB", mib(peak),
           peak <= RSS_GOAL, "memory")  # fmt: skip
    w.goal(f"no-change refresh of a {s.hits:,}-hit search, beyond its requests", "≤ 0.3 s",
           f"{beyond:.3f} s", beyond <= NO_CHANGE_GOAL, "time")  # fmt: skip


def export(w: Writeup, e: ExportFigures) -> None:
    ours, theirs = float(e.export.answer["export_wall"]), float(e.pandas.answer["pandas_wall"])
    w.emit(
        f"## `export --what outcomes`: {e.rows:,} rows from {e.studies:,} studies",
        "",
        f"trialwatch (streamed CSV, store read included): {ours:.1f} s, peak RSS "
        f"{mib(e.export.peak_rss)}. pandas alone writing the same rows from memory: {theirs:.1f} s "
        f"(its process, holding the rows: {mib(e.pandas.peak_rss)}). The export's own streamed "
        f"writer (pieces of rows, formula-proofing) on those rows in memory: "
        f"{float(e.pandas.answer['writer_wall']):.1f} s "
        f"({float(e.pandas.answer['writer_wall']) / theirs:.2f}x pandas alone); the rest of the "
        "export is reading the records from the store, decoding and parsing their results.",
        "",
    )
    w.goal(f"export outcomes, {e.rows:,} rows: peak RSS", "≤ 400 MB", mib(e.export.peak_rss),
           e.export.peak_rss <= RSS_GOAL, "memory")  # fmt: skip
    w.goal("export outcomes ÷ pandas writing the same rows", "≤ 1.5x", f"{e.ratio:.2f}x",
           e.ratio <= EXPORT_GOAL, "time")  # fmt: skip


def report(w: Writeup, r: ReportFigures) -> None:
    a = r.child.answer
    w.emit(
        f"## Report of a related search of {r.related:,} studies",
        "",
        f"Rendered in {float(a['render_wall']):.1f} s into {a['pages']} pages (peak RSS "
        f"{mib(r.child.peak_rss)}); largest `{a['largest']}`, {mib(r.largest_bytes)}.",
        "",
    )
    w.goal(f"largest page, related search of {r.related:,} studies", "≤ 2 MB",
           mib(r.largest_bytes), r.largest_bytes <= PAGE_GOAL, "bytes")  # fmt: skip


def show(w: Writeup, f: ShowFigures) -> None:
    w.emit(
        "## `trialwatch show <id>` ÷ the import floor",
        "",
        f"Fresh processes, median of {f.repeats} runs each, interleaved. Floor: "
        f'`python -c "import sqlalchemy.orm, click"` {f.floor.wall * 1000:.0f} ms wall '
        f"(`python -c pass` {f.bare.wall * 1000:.0f} ms).",
        "",
    )
    for label, t in f.shows.items():
        wall, cpu = t.wall / f.floor.wall, t.cpu / f.floor.cpu
        w.goal(f"{label} ÷ floor", "≤ 1.4x",
               f"{wall:.2f}x wall ({t.wall * 1000:.0f} ms), {cpu:.2f}x CPU",
               wall <= SHOW_GOAL, "time")  # fmt: skip


def requests(w: Writeup, f: RequestFigures) -> None:
    first, same = f.first, f.unchanged
    w.emit(
        f"## Requests and bytes, K = {f.k:,} cited, H = {f.h:,} hits",
        "",
        f"First refresh {first.studies_requests} requests ({mib(first.studies_bytes)}; "
        f"{first.related_full} of them fetch the hits with posted results in full, for the related "
        f"evidence); no change "
        f"{same.studies_requests} ({mib(same.studies_bytes)}, {f.unchanged_share:.4%}); full "
        f"re-check {f.full_recheck.studies_requests}; naive client "
        f"{f.naive.studies_requests:,} ({mib(f.naive.studies_bytes)}). Plus one `/version` each.",
        "",
    )
    own = first.studies_requests - first.related_full  # the cited studies and the search
    ok_first = own <= f.goal_first
    ok_same = same.studies_requests <= f.goal_unchanged
    w.goal(f"first refresh, K={f.k:,}, H={f.h:,}: requests for the cited studies and the search",
           f"≤ {f.goal_first}", str(own), ok_first, "count")  # fmt: skip
    w.goal(f"first refresh, K={f.k:,}, H={f.h:,}: requests fetching hits with posted results in "
           "full (related evidence)", "reported (at most max_full_records, 50 a request)",
           str(first.related_full), "reported", "count")  # fmt: skip
    w.goal(f"no-change refresh, K={f.k:,}: requests", f"≤ {f.goal_unchanged}",
           str(same.studies_requests), ok_same, "count")  # fmt: skip
    w.goal(f"no-change refresh, K={f.k:,}: bytes of the first", "≤ 1%",
           f"{f.unchanged_share:.4%}", f.unchanged_share <= 0.01, "bytes")  # fmt: skip


def projection(w: Writeup, large: RefreshRun) -> None:
    scale = REGISTRY / large.n
    seconds = large.wall * scale
    w.emit(
        f"## Projection: the whole registry ({REGISTRY:,} studies)",
        "",
        f"PROJECTION, linear from the {large.n:,}-record first refresh above (not measured): "
        f"{seconds / 60:.0f} min on this machine through the refresh path, memory flat at the "
        f"measured {mib(large.child.peak_rss)}; download {large.payload_bytes * scale / 2**30:.1f} "
        "GiB. The projection through `trialwatch import` is in the import section below.",
        "",
    )
    w.goal(f"full registry through the refresh path, PROJECTED from {large.n:,}",
           "≤ 15 min, ≤ 400 MB",
           f"{seconds / 60:.0f} min, {mib(large.child.peak_rss)}",
           seconds <= REGISTRY_GOAL_S and large.child.peak_rss <= RSS_GOAL, "time")  # fmt: skip
