"""A store that cannot be written, and one a newer trialwatch upgraded.

A read-only SQLite store could not even be read (opening it switched on WAL, a write); lookups
now open it read-only, and a command that must write says "read-only". A store at a schema
revision this trialwatch does not know used to be read silently by `show`, `status`, `changes`,
`history` and `export`; each refuses it now, as `refresh` always did.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.faults.harness import CITED, Clinic, run_cli

LOOKUPS = [
    ("show", CITED[0]), ("history", CITED[0]), ("changes",), ("status",),
    ("export", "--what", "studies", "-o", "{out}"),
]  # fmt: skip


def _lookups(clinic: Clinic, out: Path) -> list:
    return [
        run_cli("--config", str(clinic.config_path), *(a.format(out=out) for a in args))
        for args in LOOKUPS
    ]


@pytest.fixture
def read_only_store(clinic: Clinic, tmp_path: Path) -> Iterator[Clinic]:
    """The clinic's SQLite store moved onto a read-only mount (needs root for `mount`)."""
    if not clinic.db_url.startswith("sqlite"):
        pytest.skip("a read-only SQLite file; PostgreSQL grants are the server's business")
    mount = tmp_path / "ro"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)],
                          capture_output=True, text=True)  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"needs root to mount a tmpfs: {made.stderr.strip()}")
    try:
        source = Path(clinic.db_url.removeprefix("sqlite:///"))
        sa.create_engine(clinic.db_url).dispose()
        shutil.copy2(source, mount / "trialwatch.db")  # a clean copy: no -wal, no -shm
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        text = clinic.config_path.read_text(encoding="utf-8")
        clinic.config_path.write_text(text.replace(str(source), str(mount / "trialwatch.db")))
        yield clinic
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_read_only_store_is_read_and_a_write_says_read_only(read_only_store: Clinic, tmp_path):
    clinic = read_only_store
    results = _lookups(clinic, tmp_path / "studies.csv")
    assert [r.exit_code for r in results] == [0] * len(LOOKUPS), [r.stderr for r in results]
    assert CITED[0] in results[0].stdout and (tmp_path / "studies.csv").is_file()
    refused = clinic.refresh()
    assert refused.exit_code == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: The database at sqlite:///")
    assert "is read-only" in lines[0] and "Traceback" not in refused.stderr


def test_a_store_at_a_newer_schema_revision_is_refused_by_every_lookup(clinic: Clinic, tmp_path):
    engine = sa.create_engine(clinic.db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0999'"))
    engine.dispose()
    before = clinic.snapshot()
    out = tmp_path / "studies.csv"
    for result in _lookups(clinic, out):
        assert result.exit_code == 1, (result.stdout, result.stderr)
        assert result.stderr.startswith("Error: The database at ")
        assert "is at schema revision 0999, which this trialwatch does not know" in result.stderr
        assert result.stdout == ""
    assert not out.exists()
    assert clinic.snapshot() == before
