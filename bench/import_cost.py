"""Import cost: `trialwatch import` of study-file archives into SQLite.

Two archives, both SYNTHETIC copies of real records under made-up ids (`NCT9xxxxxxx`):
- a mixed one (half classic XML, the real records of `tests/fixtures/classic_xml/` with their NCT
  id replaced everywhere in the text; half API v2 JSON), timed against parsing the same bytes
  alone (ElementTree / json.loads);
- a bulk one laid out like the registry's v2 download (`ctg-studies/NCT….json`, every record an
  API v2 record at the registry's size distribution, bench/synthetic.py), imported in a fresh
  process at a tenth of its size and whole: its peak memory at both sizes, and its time, from
  which the whole registry (598,101 studies) is PROJECTED linearly.
The real code path runs: `import_paths`, as `trialwatch import` runs it (member by member, parse,
convert, store, one transaction).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from bench.common import Timing, mib, ratio, timed
from bench.limits import REGISTRY, REGISTRY_GOAL_S, RSS_GOAL
from bench.synthetic import (
    SEARCH_PREFIX,
    compact,
    registry_records,
    synthetic_id,
    synthetic_records,
)
from bench.writeup import Writeup
from tests.conftest import FIXTURES

CLASSIC = FIXTURES.parent / "classic_xml"


@dataclass
class ImportFigures:
    n: int
    archive_bytes: int  # compressed
    member_bytes: int  # uncompressed
    parse: Timing  # read every member + ElementTree / json.loads
    imported: Timing  # trialwatch import of the archive (commit included)
    bulk: dict[int, BulkRun]  # files in the v2 bulk archive -> its import in a fresh process
    bulk_bytes: dict[int, int]  # files -> uncompressed bytes of the bulk archive


@dataclass
class BulkRun:
    timing: Timing  # the import call in a fresh process (start-up excluded)
    peak_rss: int  # that process's maximum resident set, bytes


def make_archive(n: int, path: Path) -> int:
    """SYNTHETIC: a ZIP of n study files, alternately classic XML and API v2 JSON."""
    classics = [p.read_text(encoding="utf-8") for p in sorted(CLASSIC.glob("NCT*.xml"))]
    v2 = synthetic_records((n + 1) // 2)
    size = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for i in range(n):
            nct = synthetic_id(SEARCH_PREFIX, i)
            if i % 2 == 0:
                real = classics[(i // 2) % len(classics)]
                real_id = re.search(r"<nct_id>(NCT\d{8})</nct_id>", real)
                assert real_id is not None
                data = real.replace(real_id.group(1), nct).encode()
                name = f"SYNTHETIC/{nct[:7]}xxxx/{nct}.xml"
            else:
                record = v2[i // 2]
                record["protocolSection"]["identificationModule"]["nctId"] = nct
                data = compact(record)
                name = f"SYNTHETIC/{nct[:7]}xxxx/{nct}.json"
            archive.writestr(name, data)
            size += len(data)
    return size


def make_bulk(n: int, path: Path) -> int:
    """SYNTHETIC: a ZIP laid out like the v2 bulk download, n API v2 records, registry mix."""
    size = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for record in registry_records(n, SEARCH_PREFIX):
            nct = record["protocolSection"]["identificationModule"]["nctId"]
            data = compact(record)
            archive.writestr(f"ctg-studies/{nct}.json", data)
            size += len(data)
    return size


def time_parse(path: Path) -> Timing:
    """The yardstick: best of three (by CPU time) reading and parsing every member alone."""
    runs = []
    for _ in range(3):
        with timed() as timing, zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                data = archive.read(info)
                if info.filename.endswith(".xml"):
                    ElementTree.fromstring(data)
                else:
                    json.loads(data)
        runs.append(timing)
    return min(runs, key=lambda t: t.cpu)


def import_archive(archive: Path, workdir: Path, name: str) -> Timing:
    """`trialwatch import ARCHIVE` into a new SQLite store, as the command runs it."""
    from trialwatch.config import load_config
    from trialwatch.services.importing import import_paths

    config = workdir / f"{name}.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{workdir / name}.db"\n', encoding="utf-8")
    with timed() as timing:
        summary = import_paths(load_config(config), [archive])
    if summary.new_versions != summary.files:
        raise RuntimeError(f"import stored {summary.new_versions} of {summary.files} files")
    return timing


def fresh_import(archive: Path, workdir: Path, name: str) -> BulkRun:
    """`import_archive` in a fresh process: its timing and its own peak resident set."""
    code = (
        "import json, sys; from pathlib import Path; from bench.common import own_peak_rss; "
        "from bench.import_cost import import_archive; "
        "t = import_archive(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]); "
        "print(json.dumps([t.wall, t.cpu, own_peak_rss()]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(archive), str(workdir), name],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"import of {archive} failed: {done.stderr.strip()[-500:]}")
    wall, cpu, peak = json.loads(done.stdout.split("\n")[-2])
    return BulkRun(Timing(wall, cpu), peak)


def run(n: int, bulk_n: int, workdir: Path) -> ImportFigures:
    mixed = workdir / f"import-{n}.zip"
    member_bytes = make_archive(n, mixed)
    parse = time_parse(mixed)
    imported = import_archive(mixed, workdir, "import-timed")
    bulk: dict[int, BulkRun] = {}
    bulk_bytes: dict[int, int] = {}
    for files in (max(bulk_n // 10, 10), bulk_n):
        path = workdir / f"bulk-{files}.zip"
        bulk_bytes[files] = make_bulk(files, path)
        bulk[files] = fresh_import(path, workdir, f"bulk-{files}")
        path.unlink()  # gigabytes at full size
    return ImportFigures(n, mixed.stat().st_size, member_bytes, parse, imported, bulk, bulk_bytes)


def write(report: Writeup, f: ImportFigures) -> None:
    """Append the figure to the bench report (bench.writeup.Writeup)."""
    emit, table = report.emit, report.table
    emit(
        "## Import cost: archives of study files",
        "",
        f"A mixed archive of {f.n:,} SYNTHETIC copies of the real classic XML and API v2 records "
        "(half each) under made-up "
        f"ids, in one ZIP: {mib(f.archive_bytes)} compressed, {mib(f.member_bytes)} inside. "
        "Ratios are to reading and parsing the same members alone (ElementTree for XML, "
        "`json.loads` for JSON; best of three).",
        "",
    )
    rows = [
        [label, f"{t.wall:.2f}", f"{t.cpu:.2f}", ratio(t.wall, f.parse.wall),
         ratio(t.cpu, f.parse.cpu), f"{f.n / t.wall:,.0f}"]
        for label, t in (
            ("read + parse alone (the yardstick)", f.parse),
            ("`trialwatch import`: read + parse + convert + store + commit", f.imported),
        )
    ]  # fmt: skip
    table(["path", "wall s", "CPU s", "÷ parse (wall)", "÷ parse (CPU)", "files/s"], rows)
    emit(
        "The v2 bulk layout (`ctg-studies/NCT….json`, registry mix), each size imported in a "
        "fresh process (time of the import call; peak memory that process's own):",
        "",
    )
    bulk_rows = [
        [f"{k:,}", mib(f.bulk_bytes[k]), f"{b.timing.wall:.1f}", f"{b.timing.cpu:.1f}",
         f"{k / b.timing.wall:,.0f}", mib(b.peak_rss)]
        for k, b in sorted(f.bulk.items())
    ]  # fmt: skip
    table(["files", "inside the ZIP", "wall s", "CPU s", "files/s", "peak RSS"], bulk_rows)
    sizes = sorted(f.bulk)
    small, large = f.bulk[sizes[0]], f.bulk[sizes[-1]]
    scale = REGISTRY / sizes[-1]
    seconds = large.timing.wall * scale
    emit(
        f"PROJECTION, linear from the {sizes[-1]:,}-file import (not measured): the whole "
        f"registry ({REGISTRY:,} studies, {f.bulk_bytes[sizes[-1]] * scale / 2**30:.1f} GiB of "
        f"JSON) in {seconds / 60:.1f} min on this machine. Memory: {mib(small.peak_rss)} at "
        f"{sizes[0]:,} files, {mib(large.peak_rss)} at {sizes[-1]:,} "
        f"({large.peak_rss / small.peak_rss:.2f}x for {sizes[-1] / sizes[0]:.0f}x the files).",
        "",
    )
    peak = max(b.peak_rss for b in f.bulk.values())
    report.goal(f"full registry via `trialwatch import`, PROJECTED from {sizes[-1]:,} files",
                "≤ 15 min, ≤ 400 MB", f"{seconds / 60:.1f} min, {mib(peak)}",
                seconds <= REGISTRY_GOAL_S and peak <= RSS_GOAL, "time")  # fmt: skip
    report.goal(f"peak RSS, `trialwatch import` of {sizes[-1]:,} files", "≤ 400 MB", mib(peak),
                peak <= RSS_GOAL, "memory")  # fmt: skip
