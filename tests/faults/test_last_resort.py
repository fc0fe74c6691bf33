"""Whatever goes wrong, one line starting `Error:`, the right exit code, never a traceback.

A full disk during a refresh, a lost PostgreSQL connection, an export to /dev/full, /proc or a
read-only mount, numbers no database takes, and a feed that cannot be written all used to end in a
traceback. A last-resort handler turns any unexpected exception into one line (`-v` adds the
traceback); a refresh records it in the run log as text.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import table_contents
from tests.faults.harness import CITED, Clinic, run_cli


def _one_error_line(result: Any, exit_code: int = 1) -> str:
    """The one `Error:` line (a bad option too: no usage lines before it)."""
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr)
    lines = [ln for ln in result.stderr.strip().splitlines() if ln]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture
def sqlite_clinic(clinic: Clinic) -> Clinic:
    if not clinic.db_url.startswith("sqlite"):
        pytest.skip("a SQLite database file fills up; PostgreSQL's disk is not the test's")
    return clinic


def _limit_pages(extra: int, db_url: str) -> Any:
    """Every new SQLite connection may grow the file by `extra` pages only: a full disk."""
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
    engine.dispose()

    def limit(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + extra}")

    return limit


@pytest.mark.parametrize("free_pages", [0, 1, 2, 4, 8, 16])
def test_disk_full_during_a_refresh_is_one_line(sqlite_clinic: Clinic, free_pages: int):
    clinic = sqlite_clinic
    before = table_contents(clinic.db_url)
    runs = clinic.runs()
    limit = _limit_pages(free_pages, clinic.db_url)
    sa.event.listen(sa.engine.Engine, "connect", limit)
    try:
        result = clinic.refresh()
    finally:
        sa.event.remove(sa.engine.Engine, "connect", limit)
    if result.exit_code == 0:  # there was room enough after all
        assert result.stderr.count("Error:") == 0
    else:
        line = _one_error_line(result)
        assert "database or disk is full" in line
        assert table_contents(clinic.db_url) == before
        logged = clinic.runs()[len(runs) :]
        # the run log records the failure as text, unless even its row found no room
        assert logged in ([], [(runs[-1][0] + 1, "failed", line[len("Error: ") :])]) or (
            logged[0][1] == "running"
        ), logged
    clinic.reset()
    recovered = clinic.refresh()
    assert recovered.exit_code == 0, recovered.stderr
    assert clinic.study_row(CITED[0])[0] == "TERMINATED"


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
                             capture_output=True, text=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"needs root to mount a read-only tmpfs: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.mark.parametrize(
    ("target", "reason"),
    [("/dev/full", "No space left on device"), ("/proc/studies.csv", "No such file")],
    ids=["dev-full", "proc"],
)
def test_an_export_that_cannot_be_written_is_one_line(clinic: Clinic, target: str, reason: str):
    result = run_cli("--config", str(clinic.config_path), "export", "--what", "studies",
                     "--format", "csv", "-o", target)  # fmt: skip
    line = _one_error_line(result)
    assert line == f"Error: could not write the export to {target}: {reason}" + (
        "" if reason.startswith("No space") else " or directory"
    )


def test_an_export_to_a_read_only_mount_is_one_line(clinic: Clinic, read_only_folder: Path):
    target = read_only_folder / "studies.json"
    result = run_cli("--config", str(clinic.config_path), "export", "--what", "studies",
                     "-o", str(target))  # fmt: skip
    line = _one_error_line(result)
    assert line == f"Error: could not write the export to {target}: Read-only file system"


@pytest.mark.parametrize(
    "args",
    [("changes", "--since", "1000000000d"), ("changes", "--limit", str(10**20)),
     ("status", "--runs", str(10**20)), ("search", "ketamine", "--limit", str(10**20))],
    ids=["since-1000000000d", "changes-limit-10e20", "status-runs-10e20", "search-limit-10e20"],
)  # fmt: skip
def test_numbers_no_database_takes_are_bad_input(clinic: Clinic, args: tuple[str, ...]):
    before = clinic.snapshot()
    result = run_cli("--config", str(clinic.config_path), *args)
    line = _one_error_line(result, exit_code=2)
    assert "1000000000d" in line or "is not in the range 1<=x<=1000000000" in line
    assert clinic.snapshot() == before


def test_a_failed_feed_write_is_one_warning_under_an_exit_0_refresh(clinic: Clinic):
    feed = clinic.report_dir / "feed.xml"
    if feed.exists():
        feed.unlink()
    feed.mkdir()  # the feed's place is taken by a folder: its write fails
    (feed / "keep").write_text("x")
    result = clinic.refresh()
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr
    warnings = [ln for ln in result.stderr.splitlines() if "could not write the feed" in ln]
    assert len(warnings) == 1 and warnings[0].startswith("WARNING alerts: "), result.stderr
    assert clinic.runs()[-1][1] == "ok"
    assert clinic.study_row(CITED[0])[0] == "TERMINATED"


def test_an_unexpected_error_is_one_line_and_v_shows_the_traceback(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch
):
    """A bug nobody foresaw (planted: the change log query raises) in any command."""
    from trialwatch.services import lookups

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("planted bug")

    monkeypatch.setattr(lookups, "get_study", broken)
    plain = run_cli("--config", str(clinic.config_path), "show", CITED[0])
    assert _one_error_line(plain) == "Error: unexpected error: RuntimeError: planted bug"
    verbose = run_cli("--config", str(clinic.config_path), "-v", "show", CITED[0])
    assert verbose.exit_code == 1
    assert "Traceback (most recent call last)" in verbose.stderr
    assert verbose.stderr.rstrip().endswith("Error: unexpected error: RuntimeError: planted bug")
