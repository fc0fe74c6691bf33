"""services.render_report on a real store: provenance, changes since the last report, atomicity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from tests.conftest import API, VERSION, load_fixture, page, reset_api, study
from tests.write_faults import fail_staged_fsync
from trialwatch.cli.main import cli
from trialwatch.config import load_config
from trialwatch.report import writer as report_writer
from trialwatch.report.writer import MANIFEST, ReportWriteError
from trialwatch.services import pipeline as services

PHELAN = "search_pages/biomcp__search_phelan_limit50_20260811.json"
CITED = """
[[studies]]
nct_id = "NCT00763412"
cited_as = "2012 - Clinical Trial Provided by Washington University"
[[studies]]
nct_id = "NCT02552212"
cited_as = "2017 - Clinical Trial Provided by UCB Pharma"
"""


@pytest.fixture
def clinic(ctgov: Any, make_config: Any) -> Any:
    """A config citing two real studies and one real search, after one refresh."""
    cfg = load_config(make_config(studies=[], searches={"phelan": {"query.cond": "Phelan"}},
                                  extra=CITED))  # fmt: skip
    _serve(ctgov, study("NCT00763412"), study("NCT02552212"))
    services.refresh(cfg, full=True)
    return cfg


def _serve(ctgov: Any, *records: dict[str, Any]) -> None:
    reset_api(ctgov)
    ctgov.get(f"{API}/studies", json=page(*records), match=[_has("filter.ids")])
    ctgov.get(f"{API}/studies", json=load_fixture(PHELAN), match=[_has("query.cond")])


def _has(param: str) -> Any:
    def match(request: Any) -> tuple[bool, str]:
        return (f"{param}=" in request.url, f"no {param}")

    return match


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _report_runs(db_url: str) -> list[tuple[Any, ...]]:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT last_change_id, bytes FROM report_runs ORDER BY id"))
        out = [tuple(r) for r in rows]
    engine.dispose()
    return out


def test_render_writes_pages_with_provenance_and_logs_the_run(clinic: Any, db_url: str) -> None:
    index = services.render_report(clinic)
    assert index == clinic.report_dir / "index.html"
    names = {p.name for p in clinic.report_dir.iterdir()}
    assert {"index.html", "study-NCT00763412.html", "study-NCT02552212.html",
            "search-phelan.html", MANIFEST} <= names  # fmt: skip
    html = index.read_text(encoding="utf-8")
    assert "Pilot and Feasibility Study for the Treatment of Pre-diabetes" in html
    assert VERSION["dataTimestamp"] in html
    study_page = (clinic.report_dir / "study-NCT00763412.html").read_text(encoding="utf-8")
    assert "only as a collaborator" in study_page
    assert "record version <strong>2024-01-03</strong>" in study_page
    [(last_change_id, size)] = _report_runs(db_url)
    assert size == sum(len(p.read_bytes()) for p in clinic.report_dir.glob("*.html"))
    assert not list(clinic.report_dir.parent.glob(".reports.staging-*"))


def test_changes_since_the_previous_report(clinic: Any, ctgov: Any, db_url: str) -> None:
    services.render_report(clinic)
    first = (clinic.report_dir / "study-NCT02552212.html").read_text(encoding="utf-8")
    assert "Terminated (stopped early)" not in first
    # SYNTHETIC variant of the real record: the sponsor stops the study.
    stopped = study("NCT02552212")
    status = stopped["protocolSection"]["statusModule"]
    status["overallStatus"] = "TERMINATED"
    status["whyStopped"] = "Synthetic: sponsor decision"
    status["lastUpdatePostDateStruct"]["date"] = "2026-11-20"
    _serve(ctgov, study("NCT00763412"), stopped)
    services.refresh(clinic, full=True)

    services.render_report(clinic)
    second = (clinic.report_dir / "study-NCT02552212.html").read_text(encoding="utf-8")
    since = second.split("Since the previous report")[1].split("In the last 90 days")[0]
    assert "Terminated (stopped early)" in since and "critical" in since  # in words
    assert "Synthetic: sponsor decision" in second
    index = (clinic.report_dir / "index.html").read_text(encoding="utf-8")
    banner = index[index.index('<section class="banner"') :]
    assert banner.index('<a href="study-NCT02552212.html">NCT02552212</a>: terminated') < (
        banner.index("</section>")
    )  # the critical change leads the index, linked to the study's page

    services.render_report(clinic)  # nothing new since the second report
    third = (clinic.report_dir / "study-NCT02552212.html").read_text(encoding="utf-8")
    since = third.split("Since the previous report")[1].split("In the last 90 days")[0]
    assert "Terminated (stopped early)" not in since and "No changes." in since
    index = (clinic.report_dir / "index.html").read_text(encoding="utf-8")
    assert '<section class="banner"' not in index  # nothing critical since the second report
    recent = third.split("In the last 90 days")[1]
    assert "Terminated (stopped early)" in recent  # still in the 90-day log
    runs = _report_runs(db_url)
    assert len(runs) == 3 and runs[1][0] is not None and runs[1][0] == runs[2][0]


def test_failed_write_leaves_the_previous_report_byte_identical(
    clinic: Any, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.render_report(clinic)
    before = _snapshot(clinic.report_dir)
    synced = fail_staged_fsync(monkeypatch, 3, OSError(28, "No space left on device (simulated)"))
    with pytest.raises(ReportWriteError, match="previous report is unchanged"):
        services.render_report(clinic)
    assert _snapshot(clinic.report_dir) == before
    assert not list(clinic.report_dir.parent.glob(".reports.staging-*"))
    assert len(_report_runs(db_url)) == 1  # the failed render is not logged as a report
    assert len(synced) == 3  # the fault struck the third staged page


def test_failed_render_touches_nothing(clinic: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    services.render_report(clinic)
    before = _snapshot(clinic.report_dir)
    from trialwatch.report import render as report

    def broken(*_: Any) -> str:
        raise RuntimeError("template bug (simulated)")

    monkeypatch.setattr(report, "render_search", broken)
    with pytest.raises(RuntimeError):
        services.render_report(clinic)
    assert _snapshot(clinic.report_dir) == before


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_swap_keeps_foreign_files_and_drops_stale_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setattr(report_writer, "exchange_paths", lambda a, b: False)
    out = tmp_path / "reports"
    report_writer.write_report(out, {"study-A.html": "a", "index.html": "1"})
    (out / ".gitkeep").write_text("")
    (out / "feed.xml").write_text("<feed/>")  # written there by another feature
    report_writer.write_report(out, {"study-B.html": "b", "index.html": "2"})
    assert _snapshot(out) == {
        ".gitkeep": b"", MANIFEST: b'["index.html", "study-B.html"]', "feed.xml": b"<feed/>",
        "index.html": b"2", "study-B.html": b"b",
    }  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]
    assert oct(out.stat().st_mode & 0o777) == oct(0o755)


def test_crash_between_fallback_renames_is_recovered(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    report_writer.write_report(out, {"index.html": "old"})
    out.rename(tmp_path / ".reports.previous")  # as if the process died between the renames
    report_writer.write_report(out, {"index.html": "new"})
    assert (out / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


def test_page_names_cannot_escape_the_report_folder(tmp_path: Path) -> None:
    with pytest.raises(ReportWriteError):
        report_writer.write_report(tmp_path / "r", {"../evil.html": "x"})
    assert not (tmp_path / "evil.html").exists()


def test_cli_report_command(clinic: Any) -> None:
    result = CliRunner().invoke(cli, ["--config", str(clinic.path), "report"])
    assert result.exit_code == 0, result.output
    assert str(clinic.report_dir / "index.html") in result.output
    assert (clinic.report_dir / "index.html").exists()


def test_demo_renders_the_report(tmp_path: Path) -> None:
    from trialwatch.demo import run_demo

    result = run_demo(tmp_path / "demo")
    assert result.report == tmp_path / "demo" / "reports" / "index.html"
    html = result.report.read_text(encoding="utf-8")
    assert "not available" in html  # the recordings carry no dataTimestamp
    assert "Rapid Antidepressant Effects of Ketamine in Major Depression" in html
