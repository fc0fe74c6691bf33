"""Import cost: `trialwatch import` of an archive of N study files (half classic XML, half API v2
JSON) into SQLite, against parsing the same bytes alone (ElementTree / json.loads), and its peak
memory as the archive grows.

The files are SYNTHETIC copies of real records under made-up ids (`NCT9xxxxxxx`): the real
classic XML records of `tests/fixtures/classic_xml/` with their NCT id replaced everywhere in the
text, and the real API v2 records of bench/synthetic.py. They are stored in one ZIP laid out like
a bulk download (`SYNTHETIC/NCT9…/NCT9….xml`). The real code path is timed: `import_paths`, as
`trialwatch import` runs it (member by member, parse, convert, store, one transaction). Peak
memory is each run's own maximum resident set, measured in a fresh process per archive size.
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
from bench.synthetic import SEARCH_PREFIX, compact, synthetic_id, synthetic_records
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
    peak_rss: dict[int, int]  # files in the archive -> peak resident set, bytes


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


def peak_memory(archive: Path, workdir: Path, name: str) -> int:
    """Peak resident set of a fresh process importing `archive` (bytes)."""
    code = (
        "import resource, sys; from pathlib import Path; from bench.import_cost import "
        "import_archive; import_archive(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(archive), str(workdir), name],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"import of {archive} failed: {done.stderr.strip()[-500:]}")
    return int(done.stdout.split()[-1]) * 1024  # Linux reports KiB


def run(n: int, workdir: Path) -> ImportFigures:
    small_n = max(n // 10, 10)
    small, large = workdir / f"import-{small_n}.zip", workdir / f"import-{n}.zip"
    make_archive(small_n, small)
    member_bytes = make_archive(n, large)
    parse = time_parse(large)
    imported = import_archive(large, workdir, "import-timed")
    peaks = {
        small_n: peak_memory(small, workdir, "import-small"),
        n: peak_memory(large, workdir, "import-large"),
    }
    return ImportFigures(n, large.stat().st_size, member_bytes, parse, imported, peaks)


def write(report: Writeup, f: ImportFigures) -> None:
    """Append the figure to the bench report (bench.writeup.Writeup)."""
    emit, table = report.emit, report.table
    emit(
        f"## 6. Import cost: an archive of {f.n:,} study files",
        "",
        f"SYNTHETIC copies of the real classic XML and API v2 records (half each) under made-up "
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
    sizes = sorted(f.peak_rss)
    emit(
        "Peak memory of the import (a fresh process's maximum resident set): "
        + ", ".join(f"{mib(f.peak_rss[k])} for {k:,} files" for k in sizes)
        + f" ({f.peak_rss[sizes[-1]] / f.peak_rss[sizes[0]]:.2f}x for "
        f"{sizes[-1] / sizes[0]:.0f}x the files).",
        "",
    )
    print(f"import peak RSS: {', '.join(f'{k}: {f.peak_rss[k]}' for k in sizes)}", flush=True)
