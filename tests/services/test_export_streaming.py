"""Streamed exports: CSV and JSON written in pieces are byte for byte the whole-frame file.

Uses the staff store (tests/staff_store.py: real recorded records through two refreshes).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.staff_store import populate
from trialwatch.config import load_config
from trialwatch.services import export_rows, exports
from trialwatch.store.reader import reading

WHATS = ("studies", "outcomes", "adverse-events", "changes", "search-hits")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_streamed_export_equals_the_whole_frame_written_at_once(
    ctgov, make_config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
):
    config = load_config(populate(ctgov, make_config))
    monkeypatch.setattr(exports, "STREAM_ROWS", 7)  # many pieces, and a short last one
    sizes = {}
    for what in WHATS:
        streamed = tmp_path / f"{what}.{fmt}"
        written = exports.export_to(config, what, streamed)
        whole = tmp_path / f"{what}-whole.{fmt}"
        with reading(config.database_url, config.path) as session:
            df = exports.frame(session, what)
        exports.write(df, whole, fmt, sheet=what)
        assert written["rows"] == len(df)
        assert streamed.read_bytes() == whole.read_bytes(), what
        assert not list(tmp_path.glob(".*.partial"))
        sizes[what] = written["rows"]
    assert sizes["outcomes"] > 7 * 2  # it really came in pieces (and a short last one)


def test_failed_export_leaves_no_file(ctgov, make_config, tmp_path: Path, monkeypatch):
    config = load_config(populate(ctgov, make_config))
    target = tmp_path / "outcomes.csv"

    def broken(session):  # the store read fails part way
        yield from []
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(export_rows.WHAT, "outcomes", broken)
    with pytest.raises(exports.ExportError, match="No space left on device"):
        exports.export_to(config, "outcomes", target)
    assert list(tmp_path.glob("outcomes*")) == [] and not list(tmp_path.glob(".*.partial"))


def test_an_export_to_a_device_writes_to_it_and_never_replaces_it(ctgov, make_config):
    """`-o /dev/null` streams into the device; the device node is not swapped for a file."""
    config = load_config(populate(ctgov, make_config))
    before = Path("/dev/null").stat()
    written = exports.export_to(config, "studies", Path("/dev/null"), "csv")
    assert written["rows"] > 0
    after = Path("/dev/null").stat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert not list(Path("/dev").glob(".null*.partial"))
