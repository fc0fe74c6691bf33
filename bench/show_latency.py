"""`trialwatch show <id>` wall time against the stack's import floor.

The floor is `python -c "import sqlalchemy.orm, click"`: no lookup can start faster. Both run as
fresh processes, alternately, several times; medians are compared. `show` runs on the store the
offline demo builds (real recorded records) and, when given, on the store of the largest first
refresh (SYNTHETIC copies at the registry's size distribution).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import Timing, median, run_command

FLOOR = [sys.executable, "-c", "import sqlalchemy.orm, click"]
BARE = [sys.executable, "-c", "pass"]
# What the `trialwatch` console script runs (its wrapper only adds this import and call).
TRIALWATCH = [
    sys.executable,
    "-c",
    "import sys; from trialwatch.cli import run; sys.exit(run())",
]


@dataclass
class ShowFigures:
    repeats: int
    bare: Timing
    floor: Timing
    shows: dict[str, Timing] = field(default_factory=dict)  # label -> median timing


def _medians(runs: list[Timing]) -> Timing:
    return Timing(wall=median([t.wall for t in runs]), cpu=median([t.cpu for t in runs]))


def demo_store(workdir: Path) -> Path:
    """Build the offline demo (real records) and return its config."""
    directory = workdir / "demo"
    run_command([*TRIALWATCH, "-q", "demo", "--dir", str(directory)])
    return directory / "config.toml"


def plain_config(workdir: Path, db: Path) -> Path:
    path = workdir / "show-config.toml"
    url = json.dumps(f"sqlite:///{db}")
    path.write_text(f"[database]\nurl = {url}\n", encoding="utf-8")
    return path


def run(workdir: Path, targets: dict[str, tuple[Path, str]], repeats: int) -> ShowFigures:
    """targets: label -> (config path, NCT id)."""
    commands = {"bare": BARE, "floor": FLOOR}
    for label, (config, nct) in targets.items():
        commands[label] = [*TRIALWATCH, "--config", str(config), "show", nct]
    for argv in commands.values():  # warm the page cache and check every command works
        run_command(argv)
    runs: dict[str, list[Timing]] = {label: [] for label in commands}
    for _ in range(repeats):
        for label, argv in commands.items():
            timing, out = run_command(argv)
            if label in targets and targets[label][1] not in out:
                raise RuntimeError(f"show printed no {targets[label][1]}: {out[:300]!r}")
            runs[label].append(timing)
    figures = ShowFigures(repeats, _medians(runs.pop("bare")), _medians(runs.pop("floor")))
    figures.shows = {label: _medians(timings) for label, timings in runs.items()}
    return figures
