"""`import` and `backfill` show a progress line on standard error when it is a terminal (not with
-q), rewritten in place and cleared at the end; piped or redirected they print nothing beyond
their summary, and standard output (the summary, or the JSON with --json) never carries it."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.archive_helpers import HISTORY_NCT, dated, write_json
from tests.faults.harness import run_cli
from tests.services.test_backfill import _serve
from trialwatch.cli import output

NCT = "NCT02552212"
CLEAR = "\r\x1b[2K"  # back to the line's start, erase it (click drops the escape off a terminal)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tty_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard error is a terminal, standard output a pipe (`trialwatch import … > out`)."""
    real = output.is_tty
    monkeypatch.setattr(output, "is_tty", lambda stream=None: stream is sys.stderr or real(stream))


def _files(tmp_path: Path, n: int) -> list[str]:
    """`n` SYNTHETIC daily copies of the real NCT02552212, one folder each (in date order, so
    each is appended, never slotted in)."""
    days = [date(2024, 1, 1) + timedelta(days=i) for i in range(n)]
    records = [dated(NCT, day.isoformat(), enrollment=i) for i, day in enumerate(days)]
    return [
        str(write_json(tmp_path / f"f{i:03}" / f"{NCT}.json", record))
        for i, record in enumerate(records)
    ]


def _redrawn(stderr: str) -> list[str]:
    """The progress line's successive texts: each one redrawn over the one before."""
    return stderr.replace(CLEAR, "\r").split("\r")


def _import(config: Path, *args: str):
    return run_cli("--config", str(config), "import", *args)


def test_import_shows_progress_on_a_terminal(make_config, tmp_path, tty_stderr):
    config = make_config()
    result = _import(config, *_files(tmp_path, 101))
    assert result.exit_code == 0, result.stderr
    # every 50th file and the last, each line drawn over the one before, cleared at the end
    bars = _redrawn(result.stderr)
    assert bars[0] == "" and bars[-1] == ""
    assert [b.split("] ")[1] for b in bars[1:-1]] == [
        "50/101 files", "100/101 files", "101/101 files",
    ]  # fmt: skip
    assert bars[-2] == "import [########################] 101/101 files"
    assert result.stdout.startswith("import: 101 files read, 1 studies")
    assert "\r" not in result.stdout and "files]" not in result.stdout


def test_import_json_keeps_progress_off_standard_output(make_config, tmp_path, tty_stderr):
    config = make_config()
    result = _import(config, "--json", *_files(tmp_path, 3))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["files"] == 3  # the JSON alone
    assert "import [" in result.stderr  # the terminal still sees where it is


def test_import_quiet_shows_no_progress_even_on_a_terminal(make_config, tmp_path, tty_stderr):
    result = (
        _import(make_config(), "-q", *_files(tmp_path, 3))
        if False
        else run_cli("-q", "--config", str(make_config()), "import", *_files(tmp_path, 3))
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "" and result.stdout == ""


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_import_piped_prints_no_progress(make_config, tmp_path, as_json):
    config = make_config()
    result = _import(config, *(["--json"] if as_json else []), *_files(tmp_path, 51))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    if as_json:
        assert json.loads(result.stdout)["files"] == 51
    else:
        assert result.stdout.splitlines() == [result.stdout.strip()]
        assert result.stdout.startswith("import: 51 files read")


def test_backfill_shows_progress_on_a_terminal(ctgov, make_config, tty_stderr):
    _serve(ctgov)
    result = run_cli("--config", str(make_config(studies=(HISTORY_NCT,))), "backfill", "--cited")
    assert result.exit_code == 0, result.stderr
    bars = _redrawn(result.stderr)
    assert bars[0] == "" and bars[-1] == ""
    assert [b.rsplit(" ", 1)[1] for b in bars[1:-1]] == ["1/3", "2/3", "3/3"]
    assert bars[-2] == f"backfill {HISTORY_NCT} [########################] version 3/3"
    assert "\r" not in result.stdout and "version 1/3" not in result.stdout


def test_backfill_piped_prints_no_progress(ctgov, make_config):
    _serve(ctgov)
    result = run_cli("--config", str(make_config(studies=(HISTORY_NCT,))), "backfill", "--cited")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [result.stdout.strip()]


def test_import_in_a_real_terminal(make_config, tmp_path):
    """The real detection: standard error a pseudo-terminal, standard output a pipe."""
    config = make_config()
    files = _files(tmp_path, 3)
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "trialwatch", "--config", str(config), "import", *files],
            stdout=subprocess.PIPE, stderr=follower, env=env, timeout=120, check=False,
        )  # fmt: skip
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal is closed: everything has been read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0, seen
    assert b"\r\x1b[2Kimport [########################] 3/3 files\r\x1b[2K" in seen
    assert done.stdout.decode().startswith("import: 3 files read")
    assert b"\r" not in done.stdout and b"files]" not in done.stdout
