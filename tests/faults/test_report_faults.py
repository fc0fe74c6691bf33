"""Report faults: a write interrupted, the disk full, and hostile registry text.

A failed report write must leave the previous report byte for byte as it was (no half-written
page, no staging folder left behind), tell the user, and let the next `trialwatch report` work.
Registry text is untrusted: every text field the report shows is autoescaped.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Callable
from typing import Any

import pytest
import responses

from tests.conftest import study
from tests.faults.harness import CITED, SEARCH_HITS, Clinic, query, run_cli, set_up_clinic
from tests.write_faults import fail_staged_fsync, failing_swap
from trialwatch.report import writer as report_writer


@pytest.fixture
def clinic(clinic: Clinic) -> Clinic:
    """The shared clinic (tests/faults/conftest.py), checked to have a report to protect."""
    assert (clinic.report_dir / "index.html").is_file()
    return clinic


def _disk_full() -> OSError:
    return OSError(errno.ENOSPC, "No space left on device")


def _at_page(n: int, exc: BaseException) -> Callable[[pytest.MonkeyPatch], None]:
    """The n-th staged page fails as it is synced to disk."""
    return lambda monkeypatch: (fail_staged_fsync(monkeypatch, n, exc), None)[1]


def _at_swap(exc: BaseException) -> Callable[[pytest.MonkeyPatch], None]:
    return lambda monkeypatch: monkeypatch.setattr(
        report_writer, "exchange_paths", failing_swap(exc)
    )


# (case id, fault installer, message)
WRITE_FAULTS = [
    ("disk-full-on-the-first-page", _at_page(1, _disk_full()),
     r"could not write the report to .*reports: \[Errno 28\] No space left on device; "
     r"the previous report is unchanged"),
    ("disk-full-on-the-last-page", _at_page(3, _disk_full()),
     r"\[Errno 28\] No space left on device; the previous report is unchanged"),
    ("io-error-at-the-swap", _at_swap(OSError(errno.EIO, "Input/output error")),
     r"\[Errno 5\] Input/output error; the previous report is unchanged"),
    ("report-write-interrupted", _at_page(2, KeyboardInterrupt()),
     r"^Aborted\.$"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("install", "message"), [pytest.param(*c[1:], id=c[0]) for c in WRITE_FAULTS]
)
def test_failed_report_write_keeps_the_previous_report(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch, install: Any, message: str
):
    refreshed = clinic.refresh()  # new data, so the next report would differ from the last
    assert refreshed.exit_code == 0, refreshed.stderr
    before = clinic.snapshot()
    renders = _report_runs(clinic)
    install(monkeypatch)
    result = run_cli("--config", str(clinic.config_path), "report")
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert re.search(message, result.stderr.strip(), re.M), result.stderr
    assert "Traceback" not in result.stderr
    assert clinic.snapshot() == before  # report bytes, data and run log all unchanged
    assert _report_runs(clinic) == renders  # a failed render is not logged as a report
    assert _leftovers(clinic) == []
    monkeypatch.undo()
    again = run_cli("--config", str(clinic.config_path), "report")
    assert again.exit_code == 0, again.stderr
    assert clinic.report_hashes() != before.report  # the new report, with the new version
    assert "Terminated (stopped early)" in _page(clinic, CITED[0])  # the new version's status


XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
    "</title><iframe src=javascript:alert(4)>",
]
RAW_MARKUP = re.compile(r"<(script|img|svg|iframe)\b[^>]*(alert|onerror|onload|javascript)", re.I)
STRUCTURAL = re.compile(r"(^|\.)(nctId|nctIdAliases|groupId|id|versionHolder)$|Date$|date$")


def poison(node: Any, path: str = "", n: list[int] | None = None) -> Any:
    """SYNTHETIC: every free-text leaf of a real record with an XSS payload appended (ids, dates
    and group references kept, so the record still parses and its groups still line up)."""
    n = n if n is not None else [0]
    if isinstance(node, dict):
        return {k: poison(v, f"{path}.{k}", n) for k, v in node.items()}
    if isinstance(node, list):
        return [poison(v, path, n) for v in node]
    if isinstance(node, str) and not STRUCTURAL.search(path) and not path.endswith(".type"):
        n[0] += 1
        return node + " " + XSS[n[0] % len(XSS)]
    return node


def test_xss_payloads_in_every_text_field_are_escaped(
    ctgov: responses.RequestsMock, make_config: Any, db_url: str
):
    clinic = set_up_clinic(ctgov, make_config, db_url)
    for nct in CITED + SEARCH_HITS:
        record = poison(study(nct))
        status = record["protocolSection"]["statusModule"]
        status["lastUpdatePostDateStruct"] = {"date": "2026-11-21", "type": "ACTUAL"}
        status["overallStatus"] = "<b>RECRUITING</b>"  # an unknown code, shown verbatim
        clinic.put(record)
    result = clinic.refresh("--full")
    assert result.exit_code == 0, result.stderr
    report = run_cli("--config", str(clinic.config_path), "report")
    assert report.exit_code == 0, report.stderr
    pages = {p.name: p.read_text(encoding="utf-8") for p in clinic.report_dir.glob("*.html")}
    assert {f"study-{n}.html" for n in CITED} <= set(pages)
    for name, html in pages.items():
        assert not RAW_MARKUP.search(html), (name, RAW_MARKUP.search(html))
        assert "<b>RECRUITING" not in html, name
        assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I), name
    study_page = pages[f"study-{CITED[0]}.html"]
    # the payloads were shown, as text: escaped, not dropped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in study_page
    assert "&lt;img src=x onerror=alert(2)&gt;" in study_page
    title = study(CITED[0])["protocolSection"]["identificationModule"]["briefTitle"]
    assert f"{title} &lt;" in study_page  # the real title is shown, the payload after it


def _page(clinic: Clinic, nct: str) -> str:
    return (clinic.report_dir / f"study-{nct}.html").read_text(encoding="utf-8")


def _report_runs(clinic: Clinic) -> list[tuple]:
    return query(clinic.db_url, "SELECT id, bytes FROM report_runs ORDER BY id")


def _leftovers(clinic: Clinic) -> list[str]:
    parent = clinic.report_dir.parent
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".reports"))
