"""The process entry point (`trialwatch` script, `python -m trialwatch`) against `main`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FROZEN_AT_EXIT = (
    "import atexit, gc, sys; atexit.register(lambda: print(gc.get_freeze_count())); "
    "sys.argv = ['trialwatch', '--version']; from trialwatch.cli import {entry}; {entry}()"
)


def _frozen(entry: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", FROZEN_AT_EXIT.format(entry=entry)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_the_entry_point_freezes_the_loaded_libraries_and_main_alone_does_not() -> None:
    # SQLAlchemy's objects are set aside from the cyclic collector at a process's start only
    assert _frozen("run") > 20_000  # SQLAlchemy's tracked objects: about 50,000
    assert _frozen("main") == 0


def test_python_dash_m_runs_the_same_entry_point() -> None:
    done = subprocess.run([sys.executable, "-m", "trialwatch", "--version"], capture_output=True,
                          text=True, cwd=ROOT, check=False)  # fmt: skip
    assert done.returncode == 0 and done.stdout.startswith("trialwatch"), done
