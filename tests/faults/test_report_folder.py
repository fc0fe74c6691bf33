"""The report folder is swapped as a whole: it must be a folder of its own.

`[report] dir = "."` used to swap away the folder holding the SQLite database: a refresh running
meanwhile printed "1 new versions", exited 0, and the version was gone. A render now refuses a
report folder that is, or contains, the folder of the database or of the config file, and files
that trialwatch did not write stay the very files their owners wrote.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import query_rows, table_contents
from tests.faults.harness import Clinic, run_cli


def _point_report_at(clinic: Clinic, folder: str) -> None:
    text = clinic.config_path.read_text(encoding="utf-8")
    clinic.config_path.write_text(text.replace('dir = "reports"', f'dir = "{folder}"'))


@pytest.mark.parametrize("folder", [".", ".."], ids=["the-config-folder", "its-parent"])
@pytest.mark.parametrize("command", [("report",), ("schedule", "--once")])
def test_a_report_folder_holding_the_database_or_config_is_refused(
    clinic: Clinic, folder: str, command: tuple[str, ...]
):
    refreshed = clinic.refresh()
    assert refreshed.exit_code == 0
    before = table_contents(clinic.db_url)
    runs = query_rows(clinic.db_url, "SELECT count(*) FROM refresh_runs")
    renders = query_rows(clinic.db_url, "SELECT count(*) FROM report_runs")
    home = clinic.config_path.parent
    listing = sorted(p.name for p in home.parent.iterdir())
    _point_report_at(clinic, folder)
    result = run_cli("--config", str(clinic.config_path), *command)

    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: [report] dir ") and "Traceback" not in result.stderr
    assert f"the config file ({clinic.config_path})" in result.stderr
    if clinic.db_url.startswith("sqlite"):  # PostgreSQL keeps its data elsewhere
        assert f"the database ({home / 'trialwatch.db'})" in result.stderr
    assert table_contents(clinic.db_url) == before
    assert query_rows(clinic.db_url, "SELECT count(*) FROM refresh_runs") == runs
    assert query_rows(clinic.db_url, "SELECT count(*) FROM report_runs") == renders
    assert sorted(p.name for p in home.parent.iterdir()) == listing  # no staging folder left


def test_the_default_report_folder_beside_the_database_is_fine(clinic: Clinic):
    result = run_cli("--config", str(clinic.config_path), "report")
    assert result.exit_code == 0, result.stderr
    assert (clinic.config_path.parent / "reports" / "index.html").is_file()


def test_files_the_writer_did_not_write_stay_the_files_their_owner_wrote(clinic: Clinic):
    notes = clinic.report_dir / "notes.txt"
    notes.write_text("kept by the clinic\n")
    inode = notes.stat().st_ino
    with notes.open("a") as held:  # someone still writing to it while the report is rendered
        result = run_cli("--config", str(clinic.config_path), "report")
        held.write("written after the render\n")
    assert result.exit_code == 0, result.stderr
    assert notes.stat().st_ino == inode
    assert notes.read_text() == "kept by the clinic\nwritten after the render\n"


def test_a_staging_folder_left_by_a_killed_render_is_removed(clinic: Clinic):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    parent = clinic.report_dir.parent
    abandoned = parent / f".reports.staging-{int(gone.stdout)}-abc123"  # its writer is dead
    abandoned.mkdir()
    (abandoned / "index.html").write_text("half a report")
    running = parent / f".reports.staging-{os.getppid()}-def456"  # a live process's: kept
    running.mkdir()
    result = run_cli("--config", str(clinic.config_path), "report")
    assert result.exit_code == 0, result.stderr
    assert not abandoned.exists()
    assert running.is_dir()
    staging = sorted(p.name for p in parent.iterdir() if ".staging-" in p.name)
    assert staging == [running.name]
